"""Print preview (QtPdf), printing (QPrinter) and save as PDF; the print menus of the case and
mediation views; the reports page with the month's figures."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from printing import documents
from printing.monthly_report import summary_rows
from storage import petitions
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import FakeClock
from ui import case_detail, print_preview
from ui.case_detail import CaseDetailDialog
from ui.context import AppContext
from ui.pages import mediation as mediation_page
from ui.pages.reports import ReportsPage, last_month


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The print hooks go into lists of this test only."""
    monkeypatch.setattr(case_detail, "PRINT_HOOKS", [])
    monkeypatch.setattr(mediation_page, "PRINT_HOOKS", [])
    print_preview.install()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("ui.context.QMessageBox.warning",
                        lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr("ui.print_preview.QMessageBox.warning",
                        lambda _parent, _title, text: shown.append(text))
    return shown


def open_receipt(qtbot: QtBot, ctx: AppContext, matter_id: str) -> print_preview.PreviewDialog:
    dialog = print_preview.show_document(ctx, "receipt", matter_id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_preview_shows_the_receipt_and_saves_the_same_pdf(
        qtbot: QtBot, ctx: AppContext, reg: Register, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    matter = rd.register(reg, rd.TODAY)
    dialog = open_receipt(qtbot, ctx, matter["id"])
    assert dialog.pdf.status() == QPdfDocument.Status.Ready
    assert dialog.pdf.pageCount() == 1
    assert matter["number"] in dialog.windowTitle()
    assert matter["number"] in dialog.pdf.getAllText(0).text()
    target = tmp_path / "回执"
    asked: list[str] = []

    def fake_save(_parent: Any, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), "PDF"

    monkeypatch.setattr("ui.print_preview.QFileDialog.getSaveFileName", fake_save)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "回执.pdf"  # the extension is added
    assert asked and asked[0].endswith(f"登记回执-{matter['number']}.pdf")
    assert saved.read_bytes() == dialog.document.data
    reader = pypdf.PdfReader(io.BytesIO(saved.read_bytes()))
    assert len(reader.pages) == 1 and "信访事项登记回执" in reader.pages[0].extract_text()
    assert str(saved) in dialog.info.text()


def test_print_renders_every_page_onto_the_printer(qtbot: QtBot, ctx: AppContext,
                                                    reg: Register, clock: FakeClock,
                                                    tmp_path: Path) -> None:
    rd.screening_month(reg, clock)
    dialog = print_preview.show_document(ctx, "screening-sheet", "2026-02")
    assert dialog is not None
    qtbot.addWidget(dialog)
    printer = dialog.make_printer()
    assert printer.pageLayout().orientation().name == "Landscape"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    assert dialog.print_to(printer) == dialog.pdf.pageCount() >= 1
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == dialog.pdf.pageCount()
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape paper


def test_ctrl_p_asks_for_the_printer_and_escape_closes(
        qtbot: QtBot, ctx: AppContext, reg: Register, monkeypatch: pytest.MonkeyPatch) -> None:
    matter = rd.register(reg, rd.TODAY)
    dialog = open_receipt(qtbot, ctx, matter["id"])
    asked: list[QPrinter] = []

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, _parent: Any) -> None:
            asked.append(printer)

        def setWindowTitle(self, _title: str) -> None:  # noqa: N802 - Qt API
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr("ui.print_preview.QPrintDialog", FakePrintDialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1 and asked[0].docName() == dialog.document.title
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


@pytest.mark.usefixtures("qtbot")
def test_a_document_that_cannot_be_made_gives_a_plain_message(
        ctx: AppContext, reg: Register, messages: list[str]) -> None:
    matter = rd.register(reg, rd.TODAY)
    assert print_preview.show_document(ctx, "notice", matter["id"]) is None
    assert messages and "尚未作出受理决定" in messages[0]


@pytest.mark.usefixtures("hooks")
def test_case_detail_menu_follows_the_state(qtbot: QtBot, ctx: AppContext, reg: Register,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    matter = rd.register(reg, rd.TODAY)
    dlg = CaseDetailDialog(ctx, matter["id"])
    qtbot.addWidget(dlg)
    assert [a.text() for a in dlg.print_menu.actions()] == ["登记回执"]
    petitions.accept(reg, matter["id"], rd.TODAY)
    dlg.print_menu.aboutToShow.emit()
    assert [a.text() for a in dlg.print_menu.actions()] == ["登记回执", "受理告知书"]
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(print_preview, "show_document",
                        lambda _ctx, kind, ref, _parent, **_kw: opened.append((kind, ref)))
    dlg.print_menu.actions()[1].trigger()
    assert opened == [("notice", matter["id"])]


@pytest.mark.usefixtures("hooks")
def test_mediation_menu_lists_the_case_documents(qtbot: QtBot, ctx: AppContext, reg: Register,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    case = rd.mediation_case(reg)
    detail = mediation_page.MediationDetail(ctx)
    qtbot.addWidget(detail)
    detail.show_case(case["id"])
    detail.print_menu.aboutToShow.emit()
    labels = [a.text() for a in detail.print_menu.actions()]
    assert labels == ["人民调解申请书", "人民调解受理登记表", "人民调解调查记录（1份）",
                      "人民调解记录（2份）", "人民调解协议书",
                      "人民调解协议书（存卷宗，完整证件号码）", "人民调解回访记录（1份）",
                      "卷宗封面及卷内目录"]
    opened: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(print_preview, "show_document",
                        lambda _ctx, kind, _ref, _parent, **kw: opened.append((kind, kw)))
    detail.print_menu.actions()[5].trigger()
    assert opened == [("agreement", {"full_ids": True})]


@pytest.mark.usefixtures("hooks")
def test_reports_page_shows_the_months_figures(qtbot: QtBot, ctx: AppContext, reg: Register,
                                               clock: FakeClock,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rd.screening_month(reg, clock)
    rd.build_matters(reg)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    assert page.month.date() == last_month(ctx.today()) == QDate(2026, 2, 1)
    page.refresh()
    expected = summary_rows(documents.monthly_report_data(reg, "2026-02"))
    shown = [tuple(page.table.item(r, c).text() for c in range(3))
             for r in range(page.table.rowCount())]
    assert [(item, value) for _s, item, value in shown] == \
        [(item, value) for _s, item, value in expected]
    assert page.heading.text() == "2026年2月信访工作统计月报"
    values = {item: value for _s, item, value in shown}
    assert values["不予受理"] == "1件" and values["列入排查表的纠纷"].startswith("3件")
    page.month.setDate(QDate(2026, 3, 1))
    assert page.heading.text() == "2026年3月信访工作统计月报"
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr("ui.pages.reports.show_document",
                        lambda _ctx, kind, month, _parent: opened.append((kind, month)))
    qtbot.mouseClick(page.buttons[("screening-sheet", "preview")], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.buttons[("monthly-report", "preview")], Qt.MouseButton.LeftButton)
    assert opened == [("screening-sheet", "2026-03"), ("monthly-report", "2026-03")]


@pytest.mark.usefixtures("hooks")
def test_reports_page_saves_the_sheet(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.month.setDate(QDate(2026, 2, 1))
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr("ui.print_preview.QFileDialog.getSaveFileName",
                        lambda *_a: (str(target), "PDF"))
    qtbot.mouseClick(page.buttons[("screening-sheet", "save")], Qt.MouseButton.LeftButton)
    reader = pypdf.PdfReader(str(target))
    assert "2026年2月矛盾纠纷排查表" in reader.pages[0].extract_text().replace(" ", "")


def test_ctrl_p_after_saving_a_registration_previews_its_receipt(qtbot: QtBot,
                                                                  ctx: AppContext) -> None:
    from tests.ui.test_registration import fill_by_keyboard, make_page

    page = make_page(qtbot, ctx)
    fill_by_keyboard(qtbot, page, name="王堃", id_number=rd.ID_NUMBER, phone=rd.MOBILE,
                     summary="反映承包地被占用问题")
    assert page.last_saved_id is not None, page.error.text()
    number = ctx.reg.get("matters", page.last_saved_id)["number"]
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    previews = page.findChildren(print_preview.PreviewDialog)
    assert len(previews) == 1
    dialog = previews[0]
    qtbot.waitExposed(dialog)
    assert dialog.document.kind == "receipt" and number in dialog.windowTitle()
    assert "王堃" in dialog.pdf.getAllText(0).text()


def test_zoom_and_page_keys(qtbot: QtBot, ctx: AppContext, reg: Register,
                            clock: FakeClock) -> None:
    """Issue 15: the preview had no zoom, and PageDown did not move through the pages."""
    rd.screening_month(reg, clock)
    dialog = print_preview.show_document(ctx, "screening-sheet", "2026-02")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    view = dialog.view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = dialog.shown_zoom()
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_1)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom and view.zoomFactor() == 1.0
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Plus)
    assert view.zoomFactor() == pytest.approx(1.25)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Minus)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Minus)
    assert view.zoomFactor() == pytest.approx(0.8)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_W)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.shown_zoom() == pytest.approx(fitted)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Home)
    assert bar.value() == 0
