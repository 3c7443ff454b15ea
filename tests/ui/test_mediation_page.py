"""The mediation page driven from the keyboard: open a case, add parties, record a session,
sign the agreement, record performance, follow up, close; then find the case in the list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from storage import accounts, mediation
from storage.register import Register
from tests.helpers.keyboard import focused, show_active, type_text
from tests.helpers.registers import FakeClock
from tests.storage.mediation.test_mediation import (
    ID_A,
    agreement,
    make_dispute,
    make_matter,
    open_case,
    session,
)
from ui.context import AppContext
from ui.pages.mediation import DUE_SOON_BG, OVERDUE_BG, MediationPage
from ui.pages.mediation_dialogs import FormDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("ui.context.show_error",
                        lambda _parent, exc: shown.append(exc.user_text()))
    monkeypatch.setattr("ui.pages.mediation.show_error",
                        lambda _parent, exc: shown.append(exc.user_text()))
    return shown


def show_page(qtbot: QtBot, ctx: AppContext) -> MediationPage:
    page = MediationPage(ctx)
    show_active(qtbot, page, (1400, 800))
    return page



def wait_dialog(qtbot: QtBot, owner: object) -> FormDialog:
    qtbot.waitUntil(lambda: isinstance(getattr(owner, "dialog", None), FormDialog)
                    and owner.dialog.isVisible(), timeout=3000)  # type: ignore[attr-defined]
    dlg = owner.dialog  # type: ignore[attr-defined]
    assert isinstance(dlg, FormDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    return dlg


def tab_to(qtbot: QtBot, dlg: FormDialog, key: str) -> QWidget:
    """Press Tab until the field ``key`` has the keyboard focus."""
    target = dlg.fields[key]
    for _i in range(60):
        w = focused()
        if w is target or target.isAncestorOf(w):
            return w
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {key}")


def fill(qtbot: QtBot, dlg: FormDialog, values: dict[str, str]) -> None:
    for key, text in values.items():
        w = tab_to(qtbot, dlg, key)
        type_text(qtbot, w, text)


def choose(qtbot: QtBot, dlg: FormDialog, key: str, value: str) -> None:
    """Pick ``value`` in a combo box with the arrow keys."""
    combo = dlg.fields[key]
    w = tab_to(qtbot, dlg, key)
    qtbot.keyClick(w, Qt.Key.Key_Home)
    for _i in range(30):
        if combo.currentData() == value:  # type: ignore[attr-defined]
            return
        qtbot.keyClick(w, Qt.Key.Key_Down)
    raise AssertionError(f"{value} not offered in {key}")


def tick(qtbot: QtBot, dlg: FormDialog, key: str) -> None:
    w = tab_to(qtbot, dlg, key)
    qtbot.keyClick(w, Qt.Key.Key_Space)


def save(qtbot: QtBot, dlg: FormDialog) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    # the page takes the keyboard focus back (on its list)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)


def step(qtbot: QtBot, page: MediationPage, key: str) -> FormDialog:
    assert page.detail.buttons[{"p": "party", "s": "session", "g": "agreement",
                                "l": "performance", "v": "followup", "c": "close",
                                "f": "fail"}[key]].isVisible()
    qtbot.keyClick(focused(), key, ALT)
    return wait_dialog(qtbot, page.detail)


def timeline(page: MediationPage) -> list[str]:
    t = page.detail.timeline
    item = [t.item(r, 1) for r in range(t.rowCount())]
    return [i.text() for i in item if i is not None]


def test_case_from_application_to_closed_by_keyboard(qtbot: QtBot, ctx: AppContext,
                                                     reg: Register, errors: list[str]) -> None:
    page = show_page(qtbot, ctx)
    assert page.table.rowCount() == 0

    # 受理: Ctrl+N opens the registration form.
    qtbot.keyClick(focused(), Qt.Key.Key_N, CTRL)
    dlg = wait_dialog(qtbot, page)
    fill(qtbot, dlg, {"title": "张建国与李秀英相邻通行纠纷",
                      "facts": "李秀英在通道上堆放柴草，张建国无法通行。"})
    choose(qtbot, dlg, "dispute_type", "邻里")
    choose(qtbot, dlg, "village_id", ctx.reg.rows("SELECT id FROM villages ORDER BY sort")[0]["id"])
    fill(qtbot, dlg, {"mediators": "陈国平"})
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # no party yet: refused, at the field
    assert errors and "当事人" in errors[-1]
    assert focused() is dlg.fields["party_a"]
    errors.clear()
    fill(qtbot, dlg, {"party_a": "张建国", "party_a_id": ID_A})
    save(qtbot, dlg)
    assert errors == []
    assert page.table.rowCount() == 1
    case_id = page.selected_id()
    assert case_id is not None
    assert page.detail.header.text().startswith("（2026）花园人调字第1号")
    assert "调解期限届满 2026-04-02" in page.detail.deadlines.text()

    # Parties on both sides; an agreement button is there, but storage would refuse it now.
    dlg = step(qtbot, page, "p")
    choose(qtbot, dlg, "side", "b")
    fill(qtbot, dlg, {"name": "李秀英"})
    choose(qtbot, dlg, "gender", "女")
    fill(qtbot, dlg, {"age": "52"})
    save(qtbot, dlg)
    assert page.detail.parties.rowCount() == 2
    assert page.detail.parties.item(0, 2).text() == "男"  # from the ID number

    # A refused step keeps the dialog open with what was typed.
    dlg = step(qtbot, page, "g")
    fill(qtbot, dlg, {"terms": "李秀英清除柴草"})
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert errors and "调解过程" in errors[-1]
    assert dlg.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)

    # Quick session record.
    dlg = step(qtbot, page, "s")
    fill(qtbot, dlg, {"statement_a": "通道被堵，要求清除。", "statement_b": "愿意搬走。",
                      "agreed": "三日内清除柴草"})
    choose(qtbot, dlg, "result", "agreed")
    fill(qtbot, dlg, {"place": "春明村调解室"})
    save(qtbot, dlg)
    assert page.detail.sessions.rowCount() == 1
    assert "调解中" in page.detail.header.text()

    # The agreement: terms come from the session; manner and place typed.
    dlg = step(qtbot, page, "g")
    assert dlg.fields["terms"].toPlainText() == "三日内清除柴草"  # type: ignore[attr-defined]
    fill(qtbot, dlg, {"performance_manner": "自行清除", "performance_place": "春明村三组"})
    save(qtbot, dlg)
    assert "已达成协议" in page.detail.header.text()
    assert not page.detail.buttons["session"].isVisible()  # no session after the agreement

    dlg = step(qtbot, page, "l")  # performed (the default choice)
    save(qtbot, dlg)
    dlg = step(qtbot, page, "v")  # follow-up, prefilled with the mediator and the performance
    save(qtbot, dlg)

    # Close: tick the identity papers of 李秀英 (no ID number in the data) with Space.
    dlg = step(qtbot, page, "c")
    assert "当事人身份证明" in dlg.intro.text()
    tick(qtbot, dlg, "docs:identity")
    save(qtbot, dlg)
    assert errors[1:] == []
    f = mediation.mediation_file(reg, case_id)
    assert f.case.status == "closed" and not f.missing_documents
    assert timeline(page) == ["受理", "添加当事人", "调解", "达成调解协议",
                              "履行", "回访", "结案归档"]
    # after closing: follow-ups, the file's materials, (within 30 days) judicial confirmation,
    # and 更正 / 作废 of the registration (docs/domain.md §3.6)
    assert {k for k, b in page.detail.buttons.items() if b.isVisible()} == {
        "followup", "documents", "judicial", "correct", "void"}

    # Find it: filter by status with the keyboard, then search by a party's name.
    page.status.setFocus()
    for _i in range(10):
        if page.status.currentData() == "closed":
            break
        qtbot.keyClick(page.status, Qt.Key.Key_Down)
    assert [s.id for s in page.summaries] == [case_id]
    page.search.setFocus()
    type_text(qtbot, page.search, "李秀英")
    assert page.table.rowCount() == 1 and page.selected_id() == case_id
    page.search.clear()
    type_text(qtbot, page.search, "王五")
    assert page.table.rowCount() == 0


def test_from_matter_by_keyboard(qtbot: QtBot, ctx: AppContext, reg: Register,
                                 errors: list[str]) -> None:
    matter = make_matter(reg)
    page = show_page(qtbot, ctx)
    qtbot.keyClick(focused(), Qt.Key.Key_M, CTRL)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    pick = page.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pick)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    dlg = wait_dialog(qtbot, page)
    assert "王大明（甲方）" in dlg.intro.text()
    assert dlg.fields["dispute_type"].currentData() == "房屋宅基地"  # type: ignore[attr-defined]
    fill(qtbot, dlg, {"mediators": "陈国平"})
    save(qtbot, dlg)
    assert errors == []
    case = mediation.get_case(reg, page.selected_id() or "")
    assert case.matter_id == matter["id"] and case.source == "matter"
    assert "关联信访事项：320508102000-2026-00001" in page.detail.info.text()


def test_from_dispute_by_keyboard(qtbot: QtBot, ctx: AppContext, reg: Register,
                                  errors: list[str]) -> None:
    dispute = make_dispute(reg)
    page = show_page(qtbot, ctx)
    qtbot.keyClick(focused(), Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    pick = page.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pick)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    dlg = wait_dialog(qtbot, page)
    assert "赵一（甲方）" in dlg.intro.text() and "钱二（乙方）" in dlg.intro.text()
    fill(qtbot, dlg, {"mediators": "陈国平"})
    save(qtbot, dlg)
    assert errors == []
    assert page.detail.parties.rowCount() == 2
    assert reg.get("disputes", dispute["id"])["status"] == "化解中"


def test_list_filters_and_deadline_colours(qtbot: QtBot, ctx: AppContext, reg: Register,
                                           clock: FakeClock) -> None:
    ending = open_case(reg, accepted_on=date(2026, 2, 5), title="期限将到的纠纷")  # due 5 Mar
    calm = open_case(reg, accepted_on=clock.now.date(), title="刚受理的纠纷")
    late = open_case(reg, title="履行逾期的纠纷")
    mediation.record_session(reg, late["id"], session())
    mediation.sign_agreement(reg, late["id"], agreement())  # performance due 1 Mar: overdue
    page = show_page(qtbot, ctx)
    rows = {page.table.item(r, 1).text(): r for r in range(page.table.rowCount())}
    colour = {title: page.table.item(r, 0).background().color() for title, r in rows.items()}
    assert colour["期限将到的纠纷"] == DUE_SOON_BG
    assert colour["履行逾期的纠纷"] == OVERDUE_BG
    assert colour["刚受理的纠纷"] not in (DUE_SOON_BG, OVERDUE_BG)
    qtbot.keyClick(page.near, Qt.Key.Key_Space)
    assert {s.id for s in page.summaries} == {ending["id"], late["id"]}
    qtbot.keyClick(page.near, Qt.Key.Key_Space)
    clock.advance(days=16)
    qtbot.keyClick(page.followup, Qt.Key.Key_Space)
    assert [s.id for s in page.summaries] == [late["id"]]
    assert calm["id"] not in {s.id for s in page.summaries}


def test_liaison_sees_own_village_and_cannot_edit(qtbot: QtBot, ctx: AppContext,
                                                  reg: Register) -> None:
    mine = open_case(reg)
    open_case(reg, village_id=reg.rows("SELECT id FROM villages ORDER BY sort")[1]["id"])
    reg.actor = accounts.find_user(reg, "liaison").actor()
    page = show_page(qtbot, ctx)
    assert [s.id for s in page.summaries] == [mine["id"]]
    page.table.selectRow(0)
    assert page.detail.file is not None
    assert not any(b.isVisible() for b in page.detail.buttons.values())
    assert not page.new_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_N, CTRL)
    assert page.dialog is None


# ----- corrections: 修改案件信息, 修改当事人, 删除当事人 ------------------------------------------

def retype(qtbot: QtBot, dlg: FormDialog, key: str, text: str) -> None:
    """Tab to the field ``key``, select what is there (Ctrl+A) and type ``text`` over it."""
    w = tab_to(qtbot, dlg, key)
    qtbot.keyClick(w, Qt.Key.Key_A, CTRL)
    type_text(qtbot, w, text)


def to_parties(qtbot: QtBot, page: MediationPage) -> QTableWidget:
    """Tab to the detail's tab bar, pick 当事人 with the arrow keys, Tab into the table."""
    tabs = page.detail.tabs
    for _i in range(60):
        if focused() is tabs.tabBar():
            break
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    else:
        raise AssertionError("Tab never reached the detail's tabs")
    for _i in range(tabs.count()):
        if tabs.currentWidget() is page.detail.party_actions.panel:
            break
        qtbot.keyClick(tabs.tabBar(), Qt.Key.Key_Right)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is page.detail.parties
    return page.detail.parties


def test_clerk_corrects_a_party_by_keyboard(qtbot: QtBot, ctx: AppContext, reg: Register,
                                            errors: list[str]) -> None:
    case = open_case(reg)  # 张建国 (with his ID number) and 李秀英 (女, 52)
    page = show_page(qtbot, ctx)
    actions = page.detail.party_actions
    table = to_parties(qtbot, page)
    assert actions.edit_button.isVisible() and actions.remove_button.isVisible()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentRow() == 1

    # Enter on the row opens the add-party form, prefilled, as 修改当事人.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dlg = wait_dialog(qtbot, actions)
    assert dlg.windowTitle() == "修改当事人"
    assert dlg.fields["name"].text() == "李秀英"  # type: ignore[attr-defined]
    assert dlg.fields["gender"].currentData() == "女"  # type: ignore[attr-defined]
    assert dlg.fields["age"].text() == "52"  # type: ignore[attr-defined]
    assert dlg.fields["side"].currentData() == "b"  # type: ignore[attr-defined]

    # A refused correction: the message in plain words; the form stays open with what was
    # typed, the keyboard on the field at fault; nothing saved.
    retype(qtbot, dlg, "name", "李秀芳")
    retype(qtbot, dlg, "phone", "12345")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert errors == ["手机号码应为11位，现在是5位。"]
    assert dlg.isVisible()
    assert dlg.fields["name"].text() == "李秀芳"  # type: ignore[attr-defined]
    assert dlg.fields["phone"].text() == "12345"  # type: ignore[attr-defined]
    assert focused() is dlg.fields["phone"]
    assert mediation.parties_of(reg, case["id"])[1].name == "李秀英"

    # Corrected: Enter saves; the table shows it and the keyboard is back on that row.
    qtbot.keyClick(focused(), Qt.Key.Key_A, CTRL)
    type_text(qtbot, focused(), "139 0000 1111")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    li = mediation.parties_of(reg, case["id"])[1]
    assert (li.name, li.phone, li.gender, li.age) == ("李秀芳", "13900001111", "女", 52)
    assert [table.item(1, c).text() for c in (1, 5)] == [  # type: ignore[union-attr]
        "李秀芳", "13900001111"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=3000)
    assert table.currentRow() == 1
    assert len(errors) == 1

    # 张建国's phone: his gender and birth date still come from his ID number.
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Enter)
    dlg = wait_dialog(qtbot, actions)
    assert dlg.fields["id_number"].text() == ID_A  # type: ignore[attr-defined]
    retype(qtbot, dlg, "phone", "13812345678")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    zhang = mediation.parties_of(reg, case["id"])[0]
    assert (zhang.phone, zhang.gender, zhang.birth_date) == ("13812345678", "男",
                                                             date(1990, 3, 7))

    # A double-click on a row opens the same form; Esc leaves without a change.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=3000)
    rect = table.visualItemRect(table.item(1, 1))  # type: ignore[arg-type]
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dlg = wait_dialog(qtbot, actions)
    assert dlg.fields["name"].text() == "李秀芳"  # type: ignore[attr-defined]
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert errors == ["手机号码应为11位，现在是5位。"]


def test_clerk_corrects_the_case_summary_by_keyboard(qtbot: QtBot, ctx: AppContext,
                                                     reg: Register, errors: list[str]) -> None:
    case = open_case(reg)
    page = show_page(qtbot, ctx)
    assert page.detail.buttons["edit"].isVisible()

    # Alt+I: the registration, prefilled.
    qtbot.keyClick(focused(), "i", ALT)
    dlg = wait_dialog(qtbot, page.detail)
    assert dlg.windowTitle() == "修改案件信息"
    assert case["number"] in dlg.intro.text()
    assert dlg.fields["title"].text() == case["title"]  # type: ignore[attr-defined]
    assert dlg.fields["facts"].toPlainText() == case["facts"]  # type: ignore[attr-defined]
    assert dlg.fields["claims"].toPlainText() == case["claims"]  # type: ignore[attr-defined]
    assert dlg.fields["amount"].text() == "500"  # type: ignore[attr-defined]
    assert dlg.fields["mediators"].text() == "陈调解"  # type: ignore[attr-defined]
    assert dlg.fields["dispute_type"].currentData() == "邻里"  # type: ignore[attr-defined]
    retype(qtbot, dlg, "facts", "李秀英在通道上堆放柴草和砖块，张建国的农用车无法通行。")
    retype(qtbot, dlg, "amount", "800")
    save(qtbot, dlg)
    assert errors == []
    row = reg.get("mediations", case["id"])
    assert row["facts"] == "李秀英在通道上堆放柴草和砖块，张建国的农用车无法通行。"
    assert row["amount_fen"] == 80000
    assert (row["title"], row["claims"], row["mediators"], row["village_id"]) == (
        case["title"], case["claims"], case["mediators"], case["village_id"])
    assert "砖块" in page.detail.info.text()

    # Someone changes the case meanwhile: the save is refused in plain words, the form keeps
    # what was typed; opened again, it shows the other change.
    qtbot.keyClick(focused(), "i", ALT)
    dlg = wait_dialog(qtbot, page.detail)
    retype(qtbot, dlg, "title", "张李通行纠纷")
    mediation.update_case(reg, case["id"], place="春明村3组通道")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter on a one-line field saves
    assert errors == ["该记录已被他人修改，请刷新后再试。"]
    assert dlg.isVisible()
    assert dlg.fields["title"].text() == "张李通行纠纷"  # type: ignore[attr-defined]
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    assert reg.get("mediations", case["id"])["title"] == case["title"]
    qtbot.keyClick(focused(), "i", ALT)
    dlg = wait_dialog(qtbot, page.detail)
    assert dlg.fields["place"].text() == "春明村3组通道"  # type: ignore[attr-defined]
    retype(qtbot, dlg, "title", "张李通行纠纷")
    save(qtbot, dlg)
    assert reg.get("mediations", case["id"])["title"] == "张李通行纠纷"
    assert "张李通行纠纷" in page.detail.header.text()
    assert len(errors) == 1


def test_clerk_deletes_a_party_after_confirming(qtbot: QtBot, ctx: AppContext, reg: Register,
                                                errors: list[str]) -> None:
    case = open_case(reg)
    page = show_page(qtbot, ctx)
    actions = page.detail.party_actions
    table = to_parties(qtbot, page)
    qtbot.keyClick(table, Qt.Key.Key_Down)

    def confirm() -> QWidget:
        qtbot.keyClick(table, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: actions.confirm is not None and actions.confirm.isVisible(),
                        timeout=3000)
        box = actions.confirm
        assert box is not None
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=3000)
        assert "李秀英" in box.text()
        return box

    box = confirm()  # Esc: nothing removed
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=3000)
    assert len(mediation.parties_of(reg, case["id"])) == 2
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=3000)
    assert table.currentRow() == 1

    box = confirm()  # Enter: 删除
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=3000)
    assert errors == []
    assert [p.name for p in mediation.parties_of(reg, case["id"])] == ["张建国"]
    assert table.rowCount() == 1
    assert timeline(page)[-1] == "删除当事人"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table, timeout=3000)
    assert table.currentRow() == 0


def test_corrections_offered_only_where_storage_allows(qtbot: QtBot, ctx: AppContext,
                                                       reg: Register,
                                                       errors: list[str]) -> None:
    case = open_case(reg)
    mediation.record_session(reg, case["id"], session())
    mediation.sign_agreement(reg, case["id"], agreement())  # agreed: registration is final
    page = show_page(qtbot, ctx)
    actions = page.detail.party_actions
    assert not page.detail.buttons["edit"].isVisible()
    table = to_parties(qtbot, page)
    assert not actions.edit_button.isVisible() and not actions.remove_button.isVisible()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Delete):
        qtbot.keyClick(table, key)
    assert actions.dialog is None and actions.confirm is None
    qtbot.keyClick(focused(), "i", ALT)
    assert page.detail.dialog is None
    assert errors == []


def test_no_corrections_in_county_mode(qtbot: QtBot, ctx: AppContext, reg: Register) -> None:
    open_case(reg)
    reg.set_setting("mode", "county")
    page = show_page(qtbot, ctx)
    assert page.detail.file is not None
    assert not page.detail.buttons["edit"].isVisible()
    assert not page.detail.party_actions.allowed
    assert page.detail.party_actions.edit_button.isHidden()
