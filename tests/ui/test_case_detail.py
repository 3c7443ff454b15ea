"""The case detail, driven the way a clerk uses it: Alt+letter opens a step, the step dialog is
filled from the keyboard and confirmed with Enter; the status, the deadline in words and the
timeline are checked after every step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from storage import petitions
from storage.errors import PetitionDeskError
from storage.register import Register, Row
from tests.helpers.keyboard import focused, show_active
from tests.helpers.registers import FakeClock
from ui import case_detail
from ui.case_detail import CaseDetailDialog, StepDialog
from ui.context import AppContext

ALT = Qt.KeyboardModifier.AltModifier


def register_matter(reg: Register, received: date) -> Row:
    return petitions.register(reg, petitions.RegistrationInput(
        form="来访", received_on=received, summary="邻居建房占用通道",
        request="要求恢复通行", facts="邻居加建围墙，占用公共通道。",
        petitioners=[petitions.PetitionerInput(name="王秀英", id_number="11010519491231002X",
                                             phone="13812345678", address="春明村一组18号")]))


def open_detail(qtbot, ctx: AppContext, matter_id: str) -> CaseDetailDialog:
    dlg = CaseDetailDialog(ctx, matter_id)
    show_active(qtbot, dlg)
    return dlg



def alt(qtbot, widget: QWidget, key: str) -> None:
    """Alt+key, then the moment a mnemonic takes to "click" its button."""
    qtbot.keyClick(widget, key, ALT)
    qtbot.wait(150)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type like a clerk: Latin letters and digits as key presses, Chinese as the input
    method commits it (QTest cannot press keys for characters outside ASCII)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def run_step(qtbot, dlg: CaseDetailDialog, key: str, fill: Callable[[StepDialog], None]
             ) -> str:
    """Press Alt+``key`` in the detail dialog; ``fill`` types into the step dialog that opens
    (and confirms it). Returns the step the dialog was for."""
    seen: list[StepDialog] = []
    failure: list[BaseException] = []

    def handle(tries: int = 0) -> None:
        # A mnemonic "clicks" the button after a short animation, and the new window becomes
        # active a moment later: wait for both before typing.
        step = QApplication.activeModalWidget()
        if not isinstance(step, StepDialog) or QApplication.activeWindow() is not step:
            if tries < 100:
                QTimer.singleShot(20, lambda: handle(tries + 1))
            else:
                failure.append(AssertionError(f"no step dialog opened, found {step!r}"))
            return
        seen.append(step)
        try:
            fill(step)
        except BaseException as exc:  # reported after the dialog is closed
            failure.append(exc)
        if step.isVisible():
            step.done(0)

    QTimer.singleShot(0, handle)
    qtbot.keyClick(focused(), key, ALT)
    qtbot.waitUntil(lambda: bool(seen or failure), timeout=5000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    if failure:
        raise failure[0]
    return seen[0].step


def timeline(dlg: CaseDetailDialog) -> list[list[str]]:
    t = dlg.timeline
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def offered(dlg: CaseDetailDialog) -> set[str]:
    return set(dlg.step_buttons)


def test_matter_from_registration_to_closed(qtbot, ctx: AppContext, reg: Register,
                                             clock: FakeClock, errors: list[str]) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    dlg = open_detail(qtbot, ctx, matter["id"])

    def press_enter(_d: StepDialog) -> None:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    assert dlg.status_label.text() == "已登记"
    assert dlg.deadline_label.text() == "书面告知受理：2026年3月17日（还剩15天）"
    assert "第二十三条" in dlg.deadline_label.toolTip()
    assert offered(dlg) == {"accept", "not_accept", "not_reaccept"}
    assert "reply" not in offered(dlg) and "close" not in offered(dlg)
    assert [row[1] for row in timeline(dlg)] == ["登记（来访）"]
    # The buttons show their keys; an impossible step has no button and Alt+R does nothing.
    assert dlg.step_buttons["accept"].text() == "受理(&A)"
    alt(qtbot, dlg, "r")
    assert dlg.status_label.text() == "已登记"

    # 受理 a week later: the 60-day handling limit runs from the acceptance day.
    clock.advance(days=7)
    step = run_step(qtbot, dlg, "a", press_enter)
    assert step == "accept"
    assert dlg.status_label.text() == "已受理"
    assert dlg.deadline_label.text() == "办理期限：2026年5月8日（还剩60天）"
    assert offered(dlg) == {"forward", "start_handling", "extend", "reply"}

    # 交办 to 镇司法所: Alt+2 picks 交办, Tab to the unit, type it, Tab to the note, Enter.
    def forward(d: StepDialog) -> None:
        alt(qtbot, d, "2")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "镇司法所")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "请30日内报结")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    assert run_step(qtbot, dlg, "f", forward) == "forward"
    assert errors == []
    assert dlg.status_label.text() == "已转送/交办"
    assert timeline(dlg)[-1][1:] == ["转送/交办（交办：镇司法所）", "李文静", "请30日内报结"]
    assert reg.get("matters", matter["id"])["handling_unit"] == "镇司法所"

    # 延期 10 days with a reason: the deadline moves by exactly 10 days.
    clock.advance(days=11)

    def extend(_d: StepDialog) -> None:
        qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, focused(), "10")
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        type_text(qtbot, focused(), "需要测量土地")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    run_step(qtbot, dlg, "e", extend)
    left = (date(2026, 5, 18) - date(2026, 3, 20)).days
    assert dlg.deadline_label.text() == f"办理期限：2026年5月18日（还剩{left}天）"
    assert "经批准延长10日" in dlg.basis_label.text()
    assert timeline(dlg)[-1][1] == "延期办理（延长10日）"
    assert timeline(dlg)[-1][3] == "需要测量土地"

    # 答复 支持: no station deadline any more, the petitioner's 复查 window instead.
    clock.advance(days=21)

    def reply(d: StepDialog) -> None:
        alt(qtbot, d, "1")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)

    run_step(qtbot, dlg, "r", reply)
    assert dlg.status_label.text() == "已答复"
    assert dlg.deadline_label.text() == "当前没有本站需要遵守的办理期限。"
    assert dlg.window_label.isVisible()
    # 30 days after 10 April is Sunday 10 May: the window runs to Monday 11 May.
    assert dlg.window_label.text() == "信访人可以申请复查至2026年5月11日（还剩31天）"
    assert offered(dlg) == {"request_review", "rate", "close"}

    # 满意 (Alt+1), then 办结.
    run_step(qtbot, dlg, "s", reply)
    assert timeline(dlg)[-1][1] == "满意度评价（满意）"
    run_step(qtbot, dlg, "c", press_enter)
    assert dlg.status_label.text() == "已办结"
    assert dlg.deadline_label.text() == "已办结（2026年4月10日），无待办期限"
    assert not dlg.window_label.isVisible()
    assert offered(dlg) == {"rate"}
    assert [row[1] for row in timeline(dlg)] == [
        "登记（来访）", "受理", "转送/交办（交办：镇司法所）", "延期办理（延长10日）",
        "答复（支持）", "满意度评价（满意）", "办结"]
    assert [row[0] for row in timeline(dlg)][:2] == ["2026年3月2日", "2026年3月9日"]


def test_refused_step_keeps_what_was_typed(qtbot, ctx: AppContext, reg: Register,
                                           errors: list[str]) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    petitions.accept(reg, matter["id"], date(2026, 3, 2))
    dlg = open_detail(qtbot, ctx, matter["id"])

    def extend_without_reason(d: StepDialog) -> None:
        qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, focused(), "5")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        # Refused: the dialog is still open, the days are kept, focus is on the reason.
        assert errors == ["请填写延期理由。"]
        assert d.isVisible() and d.fields["days"].value() == 5
        assert focused() is d.fields["reason"]
        type_text(qtbot, focused(), "案情复杂")
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
        assert not d.isVisible()

    run_step(qtbot, dlg, "e", extend_without_reason)
    assert reg.get("matters", matter["id"])["extension_days"] == 5
    assert dlg.deadline_label.text().startswith("办理期限：2026年5月6日")


def test_step_dialog_offers_codes_and_limits(qtbot, ctx: AppContext, reg: Register) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    dlg = open_detail(qtbot, ctx, matter["id"])
    not_accept = dlg.step_dialog("not_accept")
    qtbot.addWidget(not_accept)
    channel = not_accept.fields["legal_channel"]
    assert channel.findText("劳动人事争议仲裁") >= 0
    type_text(qtbot, not_accept.fields["reason"], "属于劳动争议")
    channel.setCurrentIndex(channel.findText("劳动人事争议仲裁"))
    assert not_accept.values() == {"reason": "属于劳动争议", "legal_channel": "劳动人事争议仲裁"}
    not_accept.accept()
    assert reg.get("matters", matter["id"])["legal_channel"] == "劳动人事争议仲裁"
    assert dlg.status_label.text() == "不予受理"
    assert offered(dlg) == set()

    other = register_matter(reg, date(2026, 3, 2))
    petitions.accept(reg, other["id"], date(2026, 3, 2))
    petitions.extend(reg, other["id"], date(2026, 3, 2), 25, "复杂")
    extend = CaseDetailDialog(ctx, other["id"]).step_dialog("extend")
    qtbot.addWidget(extend)
    assert extend.fields["days"].maximum() == 5  # 30 in all


def test_deadline_colours_and_fallback_warning(qtbot, ctx: AppContext, reg: Register,
                                               clock: FakeClock) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    dlg = open_detail(qtbot, ctx, matter["id"])
    clock.advance(days=10)
    dlg.reload()
    assert dlg.deadline_label.text().endswith("（还剩5天）")
    assert case_detail.DUE_SOON_COLOUR in dlg.deadline_label.styleSheet()
    clock.advance(days=10)
    dlg.reload()
    assert dlg.deadline_label.text().endswith("（已超期5天）")
    assert case_detail.OVERDUE_COLOUR in dlg.deadline_label.styleSheet()
    assert not dlg.fallback_label.isVisible()

    # A matter accepted in December 2026: its deadline lies in 2027, whose holidays are unknown.
    clock.now = clock.now.replace(year=2026, month=12, day=1)
    late = register_matter(reg, date(2026, 12, 1))
    petitions.accept(reg, late["id"], date(2026, 12, 1))
    late_dlg = open_detail(qtbot, ctx, late["id"])
    assert late_dlg.fallback_label.isVisible()
    assert "尚未录入" in late_dlg.fallback_label.text()


def test_numbers_masked_until_asked(qtbot, ctx: AppContext, reg: Register) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    dlg = open_detail(qtbot, ctx, matter["id"])
    assert dlg.people.item(0, 2).text() == "110105********002X"
    assert dlg.people.item(0, 3).text() == "138****5678"
    alt(qtbot, dlg, "m")
    assert dlg.people.item(0, 2).text() == "11010519491231002X"
    assert dlg.people.item(0, 3).text() == "13812345678"
    alt(qtbot, dlg, "m")
    assert dlg.people.item(0, 3).text() == "138****5678"
    reg.set_setting("mask_names", True)
    dlg.reload()
    assert dlg.people.item(0, 0).text() == "王*英"


def test_print_hook_and_escape(qtbot, ctx: AppContext, reg: Register,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    plain = open_detail(qtbot, ctx, matter["id"])
    assert not plain.print_button.isVisible()
    plain.print_menu.addAction("回执")
    assert plain.print_button.isVisible()
    qtbot.keyClick(plain, Qt.Key.Key_Escape)
    assert not plain.isVisible()

    monkeypatch.setattr(case_detail, "PRINT_HOOKS", [])
    case_detail.register_print_hook(lambda d: d.print_menu.addAction(f"回执 {d.matter['number']}"))
    hooked = open_detail(qtbot, ctx, matter["id"])
    assert [a.text() for a in hooked.print_menu.actions()] == [f"回执 {matter['number']}"]
    assert hooked.print_button.isVisible()


def test_liaison_sees_no_steps_and_storage_refuses(qtbot, ctx: AppContext, reg: Register
                                                  ) -> None:
    from storage import accounts

    matter = register_matter(reg, date(2026, 3, 2))
    accounts.authenticate(reg, "liaison", "liaison-pass-1")
    dlg = open_detail(qtbot, ctx, matter["id"])
    assert offered(dlg) == set()
    with pytest.raises(PetitionDeskError):
        petitions.accept(reg, matter["id"], date(2026, 3, 2))


def test_embedded(qtbot, ctx: AppContext, reg: Register) -> None:
    matter = register_matter(reg, date(2026, 3, 2))
    host = QWidget()
    qtbot.addWidget(host)
    dlg = CaseDetailDialog(ctx, matter["id"], host, embedded=True)
    assert not dlg.isWindow()
    assert dlg.close_button.isHidden()
    dlg.reject()  # Esc inside a host page does not hide the detail
    assert not dlg.isHidden()
    assert dlg.step_dialog("accept").on_date() == date(2026, 3, 2) + timedelta(days=0)
