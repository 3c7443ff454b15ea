"""GUI start-up: fonts, language, crash handler, opening the register (with a plain message and a
restore offer if it cannot be opened), first-run set-up or sign-in, idle lock, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from storage import backup, preferences
from storage.db import DB_NAME, open_register
from storage.errors import PetitionDeskError
from storage.i18n import _, current_language, set_language
from storage.paths import data_dir_of, demo_data_dir
from storage.register import Register
from ui.context import AppContext
from ui.fonts import apply_ui_font, load_fonts

log = logging.getLogger(__name__)


def install_crash_handler(log_dir: Path) -> None:
    """Unexpected errors are logged and shown with the log path; the register is untouched
    because every action is one transaction that did not commit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(log_dir / "petitiondesk.log", maxBytes=1_000_000,
                                  backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled exception\n%s", text)
        box = QMessageBox(QMessageBox.Icon.Critical, _("程序出错"), _(
            "程序遇到了意外错误。已保存的数据不受影响；正在填写的登记表已自动保存为草稿。\n"
            "请把日志文件交给技术人员：{path}").format(path=log_dir / "petitiondesk.log"))
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


def install_translators(app: QApplication, language: str) -> None:
    """Qt's own texts (standard buttons, dialogs) in the same language as ours."""
    translator = QTranslator(app)
    qt_lang = "zh_CN" if language == "zh_CN" else "en"
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{qt_lang}", path):
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(qt_lang))


class IdleLock(QObject):
    """Locks the screen after the station's idle time: petition records are personal data."""

    def __init__(self, ctx: AppContext, minutes: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.lock)
        self.locked = False
        self.timer.start()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                            QEvent.Type.MouseMove, QEvent.Type.Wheel) and not self.locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        from ui.login import LoginDialog

        self.locked = True
        dialog = LoginDialog(self.ctx.reg, locked_user=self.ctx.reg.actor.username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            QApplication.quit()
            return
        self.locked = False
        self.timer.start()


def open_or_explain(data_dir: Path) -> Register | None:
    """Open the register; if it cannot be opened, say why and offer the newest backup."""
    try:
        return open_register(data_dir)
    except PetitionDeskError as exc:
        backups = backup.list_backups(data_dir)
        if not backups:
            QMessageBox.critical(None, _("无法打开登记库"), exc.user_text())
            return None
        newest = backups[0]
        answer = QMessageBox.question(None, _("无法打开登记库"), exc.user_text() + "\n\n" + _(
            "是否用最近的备份（{time}）恢复？当前文件会另存一份，不会丢失。").format(
                time=newest.taken_at.strftime("%Y-%m-%d %H:%M")))
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            backup.restore(newest.path, data_dir, DB_NAME)
            return open_register(data_dir)
        except PetitionDeskError as exc2:
            QMessageBox.critical(None, _("恢复失败"), exc2.user_text())
            return None


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("PetitionDesk")
    app.setOrganizationName("PetitionDesk")
    load_fonts()
    apply_ui_font(app)
    if args.demo:
        data_dir = demo_data_dir()
        if not (data_dir / DB_NAME).exists():
            from PySide6.QtCore import Qt

            from storage import demo

            # First --demo run builds the register (about half a minute); later runs reuse it.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                demo.build(data_dir, cases=800, seed=1, months=24)
            finally:
                QApplication.restoreOverrideCursor()
    else:
        data_dir = data_dir_of(args.data_dir)
    install_crash_handler(data_dir / "logs")
    reg = open_or_explain(data_dir)
    if reg is None:
        return 1
    # --lang, else the language chosen in the settings, else the one the program started in
    # ($PETITIONDESK_LANG or Chinese, see main.py)
    language = args.lang or preferences.LANGUAGE.stored(reg) or current_language()
    set_language(language)
    install_translators(app, language)
    if reg.is_set_up:
        backup.daily_backup(reg.conn, data_dir)
        from ui.login import LoginDialog

        hint = _("演示库账号：head / demo1234") if args.demo else ""
        login = LoginDialog(reg, hint=hint)
        if args.demo:
            login.username.setText("head")
            login.password.setFocus()
        if login.exec() != QDialog.DialogCode.Accepted:
            return 0
    else:
        from ui.setup_wizard import SetupWizard

        wizard = SetupWizard(reg)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
    ctx = AppContext(reg, data_dir)
    from ui import print_preview
    from ui.main_window import MainWindow

    print_preview.install()  # fills the print menus of the case and mediation views
    window = MainWindow(ctx)
    lock = IdleLock(ctx, preferences.IDLE_LOCK_MINUTES.read(reg))
    app.installEventFilter(lock)
    from ui.screen import show_fitted

    show_fitted(window)
    from printing import fonts

    # Load the fonts once the window is up, so the first receipt prints without a pause.
    QTimer.singleShot(1500, fonts.warm_up)
    code = app.exec()
    reg.close()
    return int(code)
