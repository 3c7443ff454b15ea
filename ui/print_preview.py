"""Print preview, printing and "save as PDF" for every document (docs/architecture.md §6).

``show_document(ctx, kind, record_id, parent, **options)`` builds the PDF through
``printing.documents`` (the same PDF the ``print`` command writes), then shows it in a
:class:`PreviewDialog`: QtPdf renders the pages; 打印 (Ctrl+P) sends them to a QPrinter,
each page rendered at the printer's resolution (at most 300 dpi) and painted onto the paper;
另存为PDF writes the very bytes that were previewed; Esc closes.

:func:`install` fills the print menu of :class:`ui.case_detail.CaseDetailDialog` with the
documents the matter's state allows, and that of the mediation detail view with the documents
of the case shown (:func:`fill_case_menu`, :func:`fill_mediation_menu`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from storage.errors import Cancelled, PetitionDeskError, storage_failure
from storage.i18n import _
from ui.context import AppContext, show_error
from ui.progress import ProgressWindow
from ui.screen import fit_on_screen

if TYPE_CHECKING:  # the two views call these hooks; they do not import this module
    from printing.documents import Document
    from storage.mediation import MediationFile
    from storage.register import Register
    from ui.case_detail import CaseDetailDialog
    from ui.pages.mediation import MediationDetail

log = logging.getLogger(__name__)


# reportlab and the printing modules load when the first document is made, not with the window
# (issue 17): these two stand in for printing.documents' own.
def build_document(reg: Register, kind: str, record_id: str, **options: Any) -> Document:
    from printing import documents

    return documents.build_document(reg, kind, record_id, **options)


def mediation_documents(case_file: MediationFile) -> list[tuple[str, str]]:
    from printing import documents

    return list(documents.mediation_documents(case_file))

try:  # QtPdf is part of PySide6-Addons (before 6.12; see pyproject.toml for why not 6.12)
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installation
    HAVE_QTPDF = False
else:
    HAVE_QTPDF = True

#: Pages are rendered for the printer at its resolution, but never finer than this: a 600 dpi
#: A4 page would be a 140 MB image, and 300 dpi is already finer than the toner.
MAX_PRINT_DPI = 300


class PreviewDialog(QDialog):
    """One built document: the pages, and 打印 / 另存为PDF / 关闭.

    Attributes:
        document: the :class:`printing.documents.Document` shown.
        pdf: the QPdfDocument the view and the printer render from.
    """

    def __init__(self, ctx: AppContext, document: Document,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document = document
        self.setWindowTitle(_("打印预览 — {title}").format(title=document.title))
        fit_on_screen(self, 900, 1000)
        self._bytes = QByteArray(document.data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        self.info = QLabel(_("共{n}页").format(n=self.pdf.pageCount()))
        layout.addWidget(self.info)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        # Zoom (issue 15): fit the width, the page's real size, larger and smaller; the keys
        # W, 1, + and - do the same, PageDown/PageUp/Home/End move through the pages.
        self.fit_button = QPushButton(_("适合宽度（W）"))
        self.fit_button.clicked.connect(self.fit_width)
        self.actual_button = QPushButton(_("原大小（1）"))
        self.actual_button.clicked.connect(lambda: self.set_zoom(1.0))
        self.bigger_button = QPushButton("+")
        self.bigger_button.setToolTip(_("放大"))
        self.bigger_button.clicked.connect(lambda: self.zoom_by(1.25))
        self.smaller_button = QPushButton("−")
        self.smaller_button.setToolTip(_("缩小"))
        self.smaller_button.clicked.connect(lambda: self.zoom_by(0.8))
        for b in (self.fit_button, self.actual_button, self.smaller_button, self.bigger_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the pages
            row.addWidget(b)
        row.addStretch(1)
        self.print_button = QPushButton(_("打印(&P)"))
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(_("另存为PDF(&S)"))
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton(_("关闭 (Esc)"))
        self.close_button.clicked.connect(self.reject)
        for b in (self.print_button, self.save_button, self.close_button):
            b.setMinimumHeight(36)
            b.setAutoDefault(False)
            row.addWidget(b)
        layout.addLayout(row)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        shortcut.activated.connect(self.print_document)
        bar = self.view.verticalScrollBar()
        keys: tuple[tuple[str, Callable[[], object]], ...] = (
            ("+", lambda: self.zoom_by(1.25)), ("=", lambda: self.zoom_by(1.25)),
            ("-", lambda: self.zoom_by(0.8)), ("W", self.fit_width),
            ("1", lambda: self.set_zoom(1.0)),
            ("PgDown", lambda: bar.triggerAction(QScrollBar.SliderAction.SliderPageStepAdd)),
            ("PgUp", lambda: bar.triggerAction(QScrollBar.SliderAction.SliderPageStepSub)),
            ("Home", lambda: bar.setValue(bar.minimum())),
            ("End", lambda: bar.setValue(bar.maximum())))
        for key, slot in keys:
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        self.print_button.setFocus()

    # ----- zoom ----------------------------------------------------------------------------
    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, factor)))

    def zoom_by(self, step: float) -> None:
        """Larger or smaller from what is shown now (also from 适合宽度)."""
        self.set_zoom(self.shown_zoom() * step)

    def shown_zoom(self) -> float:
        """The factor the pages are shown at (适合宽度 computes its own)."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or not self.pdf.pageCount():
            return float(self.view.zoomFactor())
        page = self.pdf.pagePointSize(0).width() * self.view.logicalDpiX() / 72
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        return room / page if page > 0 else 1.0

    # ----- printing ----------------------------------------------------------------------
    def _landscape(self) -> bool:
        size = self.pdf.pagePointSize(0) if self.pdf.pageCount() else None
        return bool(size is not None and size.width() > size.height())

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if self._landscape()
                                   else QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF has its own margins (binding edge included)
        printer.setDocName(self.document.title)
        printer.setFromTo(1, max(1, self.pdf.pageCount()))
        return printer

    def print_document(self) -> None:
        """Ask for the printer (QPrintDialog), then print."""
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("打印 {title}").format(title=self.document.title))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except RuntimeError as exc:
            QMessageBox.warning(self, _("打印失败"), str(exc))

    def print_to(self, printer: QPrinter) -> int:
        """Render the chosen pages onto ``printer``; returns how many were printed."""
        count = self.pdf.pageCount()
        first = max(1, printer.fromPage() or 1)
        last = min(count, printer.toPage() or count)
        if first > last:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            raise RuntimeError(_("打印机无法开始打印，请检查打印机是否连接并开机。"))
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        printed = 0
        # 取消 stops sending pages (the printer drops the job); the register is not involved
        try:
            with ProgressWindow(self, _("正在打印 {title}…").format(title=self.document.title),
                                cancellable=True, show_after=SHOW_PROGRESS_AFTER) as window:
                for index in range(first - 1, last):
                    if not window(printed, last - first + 1):
                        printer.abort()
                        break
                    if printed:
                        printer.newPage()
                    points = self.pdf.pagePointSize(index)
                    image = self.pdf.render(index, QSize(round(points.width() / 72 * dpi),
                                                         round(points.height() / 72 * dpi)))
                    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                    target = QRectF(QPointF(0, 0), paper.size())
                    painter.drawImage(target, image)
                    printed += 1
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        return printed

    # ----- saving ------------------------------------------------------------------------
    def default_path(self) -> str:
        base = Path.home() / "Documents"
        if not base.is_dir():
            base = Path.home()
        return str(base / self.document.filename)

    def save_as(self) -> Path | None:
        """另存为PDF: exactly the bytes previewed."""
        name, _filter = QFileDialog.getSaveFileName(
            self, _("另存为PDF"), self.default_path(), _("PDF 文件 (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from printing.layout import write_output

        try:
            write_output(self.document.data, path)
        except OSError as exc:
            known = storage_failure(exc, path)
            QMessageBox.warning(self, _("保存失败"), known.user_text() if known else _(
                "无法保存到{path}：{error}").format(path=path, error=exc.strerror or exc))
            return None
        self.info.setText(_("共{n}页。已保存到：{path}").format(n=self.pdf.pageCount(),
                                                              path=path))
        return path


#: Seconds before the progress window of a document being built or printed appears: a one-page
#: receipt is done before that and nothing flashes; a year's screening sheet shows its bar.
SHOW_PROGRESS_AFTER = 0.4


def build(ctx: AppContext, kind: str, record_id: str, parent: QWidget | None,
          **options: Any) -> Document | None:
    """Build the document, showing a plain message (and returning None) if it cannot be. A big
    one shows its progress with 取消 (building only reads the register: stopping changes
    nothing); a cancelled one returns None without a message."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        try:
            with ProgressWindow(parent, _("正在生成文书…"), cancellable=True,
                                show_after=SHOW_PROGRESS_AFTER) as progress:
                return build_document(ctx.reg, kind, record_id, progress=progress, **options)
        finally:
            QApplication.restoreOverrideCursor()
    except Cancelled:
        return None
    except PetitionDeskError as exc:
        show_error(parent, exc)
        return None
    except Exception as exc:  # a broken printout must not take the desk down
        log.exception("building %s for %s failed", kind, record_id)
        QMessageBox.warning(parent, _("无法生成文书"), _(
            "生成文书时出错：{error}\n已保存的数据不受影响。").format(error=exc))
        return None


def show_document(ctx: AppContext, kind: str, record_id: str, parent: QWidget | None = None,
                  **options: Any) -> PreviewDialog | None:
    """Build the document ``kind`` of ``record_id`` (a matter or mediation id or number, or a
    month ``YYYY-MM``) and open its preview; None (after a plain message) if it cannot be."""
    document = build(ctx, kind, record_id, parent, **options)
    if document is None:
        return None
    if not HAVE_QTPDF:  # no preview component: the PDF can still be saved and printed
        QMessageBox.information(parent, _("无法预览"), _(
            "本机缺少打印预览组件（PySide6-Pdf），请把文书另存为PDF后打开打印。"))
        save_without_preview(document, parent)
        return None
    dialog = PreviewDialog(ctx, document, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def save_without_preview(document: Document, parent: QWidget | None) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("另存为PDF"), str(Path.home() / document.filename), _("PDF 文件 (*.pdf)"))
    if not name:
        return None
    from printing.layout import write_output

    path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
    try:
        write_output(document.data, path)
    except OSError as exc:
        known = storage_failure(exc, path)
        QMessageBox.warning(parent, _("保存失败"), known.user_text() if known else _(
            "无法保存到{path}：{error}").format(path=path, error=exc.strerror or exc))
        return None
    return path


# ----- the case detail's print menu ------------------------------------------------------------

def fill_case_menu(dialog: CaseDetailDialog) -> None:
    """``CaseDetailDialog`` hook: the documents valid for the matter's state, rebuilt each
    time the menu opens (the state may have moved on since)."""
    from printing.sources import documents_for

    menu: QMenu = dialog.print_menu

    def rebuild() -> None:
        menu.clear()
        try:
            matter = dialog.ctx.reg.get("matters", dialog.matter_id)
        except PetitionDeskError:
            return
        for kind, label in documents_for(dialog.ctx.reg, matter):
            action = menu.addAction(label)
            action.triggered.connect(
                lambda _checked=False, chosen=kind: show_document(dialog.ctx, chosen,
                                                                  dialog.matter_id, dialog))

    rebuild()
    menu.aboutToShow.connect(rebuild)


def fill_mediation_menu(detail: MediationDetail) -> None:
    """``MediationDetail`` hook: the documents the shown case has data for (read from
    ``detail.file`` each time the menu opens)."""
    menu: QMenu = detail.print_menu

    def open_doc(kind: str, **options: Any) -> None:
        if detail.file is not None:
            show_document(detail.ctx, kind, detail.file.case.id, detail, **options)

    def rebuild() -> None:
        menu.clear()
        case_file = detail.file
        if case_file is None:
            menu.addAction(_("请先选择调解案件")).setEnabled(False)
            return
        for kind, label in mediation_documents(case_file):
            action = menu.addAction(label)
            action.triggered.connect(lambda _c=False, chosen=kind: open_doc(chosen))
            if kind == "agreement":
                full = menu.addAction(_("{label}（存卷宗，完整证件号码）").format(label=label))
                full.triggered.connect(lambda _c=False: open_doc("agreement", full_ids=True))

    menu.aboutToShow.connect(rebuild)


def install() -> None:
    """Hook the print menus of the case detail and the mediation detail (idempotent). Called
    by ``ui/app.py`` before the main window is built, by the reports page when the window
    builds it and by the main window after building any page; a mediation detail built before
    is hooked here after the fact. Not done on import, so that importing this module changes
    nothing (tests of other dialogs)."""
    from ui import case_detail

    case_detail.register_print_hook(fill_case_menu)
    # The mediation page's module is imported when its page is first shown (issue 15); the
    # window calls this again then.
    mediation = sys.modules.get("ui.pages.mediation")
    if mediation is None:
        return
    if fill_mediation_menu in mediation.PRINT_HOOKS:
        return
    mediation.register_print_hook(fill_mediation_menu)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        for widget in app.allWidgets():
            if isinstance(widget, mediation.MediationDetail):
                fill_mediation_menu(widget)
                widget.print_button.setVisible(widget.file is not None)



__all__ = ["PreviewDialog", "build", "fill_case_menu", "fill_mediation_menu", "install",
           "show_document"]
