"""The registration desk's decisions, by keyboard (docs/domain.md §3.4, §3.5): a different name on a
known ID number is asked about under the name (Alt+1 use the stored name, Alt+3 record a change
of name with its reason); a recognised person fills in what the register knows; before saving,
the person's open matters are offered above the save button, attaching by default when the
summary is near-identical on the same day; a collective visit lists its petitioners and at most
five representatives; the history's attach box keeps the clerk's choice while they type on."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from storage import petitions, station
from storage.petitions import PetitionerInput, RegistrationInput
from storage.register import Register, Row
from tests.helpers.keyboard import focused, show_active, type_and_tab, type_text
from ui.context import AppContext
from ui.pages.registration import RegistrationPage

ALT = Qt.KeyboardModifier.AltModifier
ID_ZHANG = "320508198001011238"
ID_ZHANG_15 = ID_ZHANG[:6] + ID_ZHANG[8:17]
TODAY = date(2026, 3, 2)


def zhang(reg: Register, summary: str = "反映宅基地界址争议") -> Row:
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=TODAY, summary=summary,
        petitioners=[PetitionerInput(name="张建国", id_number=ID_ZHANG, phone="13812345678",
                                     address="花园镇春明村3组12号",
                                     village_id=station.villages(reg)[0].id)]))


def desk(qtbot: QtBot, ctx: AppContext) -> RegistrationPage:
    page = RegistrationPage(ctx)
    show_active(qtbot, page, (1366, 740))
    page.focus_first()
    qtbot.waitUntil(page.name.hasFocus)
    return page


def alt(qtbot: QtBot, key: Qt.Key) -> None:
    """Alt+key, then the moment a mnemonic takes to "click" its button."""
    qtbot.keyClick(focused(), key, ALT)
    qtbot.wait(150)


def name_and_id(qtbot: QtBot, page: RegistrationPage, name: str, id_number: str) -> None:
    assert QApplication.focusWidget() is page.name
    type_and_tab(qtbot, name)
    assert focused() is page.id_number
    type_text(qtbot, page.id_number, id_number)


def summary_and_enter(qtbot: QtBot, page: RegistrationPage, text: str) -> None:
    page.summary.setFocus()
    type_text(qtbot, page.summary, text)
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)


def matters(reg: Register) -> int:
    return int(reg.scalar("SELECT count(*) FROM matters"))


def test_the_mismatch_is_asked_under_the_name_and_the_stored_name_used(
        qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    first = zhang(reg)
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "王五", ID_ZHANG_15)
    qtbot.waitUntil(page.mismatch.isVisible)  # as the ID number is typed (debounced lookup)
    assert page.mismatch.message.text() == "此身份证号已登记为张建国，与所填姓名不一致"
    # the recognised person's stored details are filled in
    assert (page.phone.text(), page.address.text()) == ("13812345678", "花园镇春明村3组12号")
    # Enter without deciding: nothing saved, the cursor on the choices under the name
    summary_and_enter(qtbot, page, "反映道路破损")
    assert matters(reg) == 1
    assert "张建国" in page.error.text()
    assert page.mismatch.stored_button.hasFocus()
    alt(qtbot, Qt.Key.Key_1)  # use the stored name
    assert page.name.text() == "张建国"
    assert page.mismatch.isHidden()
    # Enter again: the person's open matter is offered; this is another matter (the default)
    page.summary.setFocus()
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)
    assert page.offer.isVisible()
    assert page.offer.new_button.hasFocus()
    assert first["number"] in page.offer.matters.item(0).text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert matters(reg) == 2
    saved = reg.get("matters", page.last_saved_id)
    assert saved["petitioner_id"] == first["petitioner_id"]
    assert petitions.petitioners_of(reg, saved["id"])[0]["name"] == "张建国"
    assert reg.get("petitioners", first["petitioner_id"])["name"] == "张建国"


def test_a_change_of_name_is_recorded_with_its_reason(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    first = zhang(reg)
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "张建邦", ID_ZHANG)
    qtbot.waitUntil(page.mismatch.isVisible)
    alt(qtbot, Qt.Key.Key_3)  # 登记更名
    assert page.mismatch.reason.hasFocus()
    assert "张建国 → 张建邦" in page.mismatch.message.text()
    type_text(qtbot, page.mismatch.reason, "经派出所变更姓名")
    summary_and_enter(qtbot, page, "反映道路破损")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the open matter offered: a new one
    assert matters(reg) == 2
    pid = first["petitioner_id"]
    assert reg.get("petitioners", pid)["name"] == "张建邦"
    assert petitions.former_names(reg, pid) == ["张建国"]
    assert petitions.petitioners_of(reg, first["id"])[0]["name"] == "张建国"
    assert petitions.petitioners_of(reg, page.last_saved_id)[0]["name"] == "张建邦"


def test_a_same_day_duplicate_is_attached_as_a_repeat_visit_by_default(
        qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    first = zhang(reg, "反映承包地被邻户占用，多次协商未果")
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "张建国", ID_ZHANG)
    summary_and_enter(qtbot, page, "反映承包地被邻户占用,多次协商未果。")
    assert page.offer.isVisible()
    assert "几乎相同" in page.offer.message.text()
    assert page.offer.attach_button.hasFocus()  # where the clerk's Enter goes
    assert matters(reg) == 1
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert page.last_saved_id == first["id"]
    assert matters(reg) == 1
    assert reg.get("matters", first["id"])["repeat_visits"] == 1
    assert "重复来访" in page.banner.text()
    assert page.offer.isHidden()


def test_the_offer_can_be_narrowed_to_the_same_category(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    zhang(reg)
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "张建国", ID_ZHANG)
    summary_and_enter(qtbot, page, "反映低保评定不公")
    assert page.offer.matters.count() == 1
    alt(qtbot, Qt.Key.Key_5)  # only the same category: the form has none chosen
    assert page.offer.matters.count() == 0
    alt(qtbot, Qt.Key.Key_B)  # 登记为新件
    assert matters(reg) == 2


def test_a_collective_visit_keeps_at_most_five_representatives(qtbot: QtBot,
                                                               ctx: AppContext) -> None:
    reg = ctx.reg
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "赵一", "")
    alt(qtbot, Qt.Key.Key_6)  # the main petitioner represents the group
    for name in ("钱二", "孙三", "李四", "周五", "吴六", "郑七"):
        alt(qtbot, Qt.Key.Key_M)  # another petitioner: the cursor is on their name
        type_text(qtbot, focused(), name)
        for _field in ("id_number", "phone"):
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # to 代表
        if name != "郑七":
            qtbot.keyClick(focused(), Qt.Key.Key_Space)
    # six marked: the box says so at once
    assert "代表最多5人" in page.companions.count.text()
    assert page.visitors.value() == 7  # the visitors count follows the people listed
    summary_and_enter(qtbot, page, "反映村道拓宽占地补偿未落实")
    assert matters(reg) == 0
    assert "第二十条" in page.error.text()
    last = page.companions.rows[4].representative  # the sixth representative has the focus
    assert last.hasFocus()
    qtbot.keyClick(last, Qt.Key.Key_Space)
    page.summary.setFocus()
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)
    assert matters(reg) == 1, page.error.text()
    m = reg.get("matters", page.last_saved_id)
    people = petitions.petitioners_of(reg, m["id"])
    assert [p["name"] for p in people] == ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七"]
    assert [p["name"] for p in people if p["is_representative"]] == [
        "赵一", "钱二", "孙三", "李四", "周五"]
    assert (m["visitors_count"], m["is_collective"]) == (7, 1)


def test_the_attach_box_keeps_the_choice_while_typing_on(qtbot: QtBot, ctx: AppContext) -> None:
    reg = ctx.reg
    first = zhang(reg)
    page = desk(qtbot, ctx)
    name_and_id(qtbot, page, "张建国", ID_ZHANG)
    page.lookup_history()
    page.history.attach.setFocus()
    qtbot.keyClick(page.history.attach, Qt.Key.Key_Space)
    assert page.attach_to == first["id"]
    page.phone.setFocus()
    page.phone.selectAll()
    type_text(qtbot, page.phone, "13900001111")  # the person gave a new number
    page.lookup_history()
    assert page.history.attach.isChecked()
    assert page.attach_to == first["id"]
    summary_and_enter(qtbot, page, "再次来访催办")
    assert page.last_saved_id == first["id"]
    assert matters(reg) == 1
