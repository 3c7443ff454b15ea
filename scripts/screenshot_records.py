"""Screenshots of the identity, duplicate, correction and void flows at 1366×768, on a small
register made on the spot (README, "A register people can trust"):

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshot_records.py DIR

Writes mismatch, repeat-offer, repeat-saved, correction-timeline, correction-form, voided and
void-form PNGs and voided-receipt.pdf into DIR."""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from printing.documents import build_document
from storage import accounts, petitions, station
from storage.db import open_register
from storage.petitions import PetitionerInput, RegistrationInput
from tests.helpers.registers import CHEAP_HASHER, FakeClock, set_up
from ui.case_detail import CaseDetailDialog
from ui.context import AppContext
from ui.fonts import apply_ui_font, load_fonts
from ui.main_window import MainWindow

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/record-shots")
OUT.mkdir(parents=True, exist_ok=True)
app = QApplication(sys.argv)
load_fonts()
apply_ui_font(app)
clock = FakeClock(datetime(2026, 3, 2, 9, 30))
reg = set_up(open_register(None, clock=clock, password_hasher=CHEAP_HASHER))
village = station.villages(reg)[0].id


def registration(name: str, summary: str, day: date, idn: str = "320508198001011238") -> dict:
    return petitions.register(reg, RegistrationInput(
        form="来访", received_on=day, summary=summary, category1="农村农业",
        category2="土地承包经营", problem_village_id=village,
        petitioners=[PetitionerInput(name=name, id_number=idn, phone="13812345678",
                                     address="花园镇春明村3组12号", village_id=village,
                                     occupation="农民", ethnic_group="汉族")],
        duplicate_decision=petitions.NEW_MATTER))


first = registration("张建国", "反映宅基地界址争议，邻户建房越界", date(2026, 2, 10))
petitions.accept(reg, first["id"], date(2026, 2, 12))
second = registration("张建国", "反映承包地被邻户占用，多次协商未果", date(2026, 3, 2))

ctx = AppContext(reg, None)
window = MainWindow(ctx)
window.resize(1366, 768)
window.move(0, 0)
window.show()
window.show_page("registration")
page = window.pages["registration"]


def settle(ms: int = 300) -> None:
    # one call: each Qt call that answers None costs None a reference with PySide 6.12 on
    # Python 3.11, and a processEvents() loop makes hundreds of thousands of them
    QTest.qWait(ms)


def shot(widget, name: str) -> None:
    settle()
    widget.grab().save(str(OUT / f"{name}.png"))
    print("saved", name)


# 1. mismatch: 王五 with 张建国's ID number (15-digit form)
page.name.setText("王五")
page.id_number.setText("320508800101123")
page.lookup_history()
settle()
page.mismatch.stored_button.setFocus()
shot(window, "mismatch")

# 2. repeat-visit offer: 张建国 again, same summary, same day
page.clear_form()
page.name.setText("张建国")
page.id_number.setText("320508198001011238")
page.lookup_history()
page.summary.setText("反映承包地被邻户占用，多次协商未果")
page.summary.setFocus()
page.save()
settle()
shot(window, "repeat-offer")
page.offer.attach_button.click()
settle()
shot(window, "repeat-saved")

# 3. a correction on the case detail
accounts.authenticate(reg, "clerk", "clerk-pass-1")
link = petitions.petitioners_of(reg, first["id"])[0]["link_id"]
petitions.correct_matter(reg, first["id"], "概况录入时漏写“越界约半米”",
                         changes={"summary": "反映宅基地界址争议，邻户建房越界约半米"},
                         petitioner_changes={link: {"phone": "13812345679"}})
dialog = CaseDetailDialog(ctx, first["id"])
dialog.resize(1000, 700)
dialog.show()
settle()
dialog.timeline.scrollToBottom()
body_scroll = dialog.findChild(QScrollArea)
body_scroll.verticalScrollBar().setValue(body_scroll.verticalScrollBar().maximum())
shot(dialog, "correction-timeline")
form = dialog.record_dialog("correct")
form.resize(720, 700)
form.show()
form.fields["reason"].setText("问题属地选错")
shot(form, "correction-form")
form.close()

# 4. a voided matter
accounts.authenticate(reg, "head", "head-pass-1")
third = registration("李秀英", "误将电话咨询登记为信访", date(2026, 3, 2), idn="32050819900521204X")
petitions.void_matter(reg, third["id"], "电话咨询办事流程，不是信访事项，误登记")
void_dialog_view = CaseDetailDialog(ctx, third["id"])
void_dialog_view.resize(1000, 700)
void_dialog_view.show()
shot(void_dialog_view, "voided")
accounts.authenticate(reg, "clerk", "clerk-pass-1")
vd = CaseDetailDialog(ctx, second["id"]).record_dialog("void")
vd.show()
vd.fields["reason"].setText("同一来访登记了两次")
vd.fields["head_username"].setText("head")
vd.fields["head_password"].setText("head-pass-1")
shot(vd, "void-form")

(OUT / "voided-receipt.pdf").write_bytes(build_document(reg, "receipt", third["number"]).data)
print("done")
