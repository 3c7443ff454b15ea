"""GUI start-up: fonts, language, crash handler, opening the register (with a plain message and a
restore offer if it cannot be opened), first-run set-up or sign-in, idle lock, main window."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from storage import backup, datalock, preferences, restore
from storage.datalock import RegisterInUse
from storage.db import DB_NAME, open_register
from storage.errors import NewerDatabaseError, PetitionDeskError
from storage.i18n import _, current_language, set_language
from storage.paths import data_dir_of, demo_data_dir
from storage.register import Register
from ui.context import AppContext
from ui.fonts import apply_ui_font, load_fonts
from ui.login import LoginDialog
from ui.qt_language import install_translators as install_translators

log = logging.getLogger(__name__)


def crash_text(log_path: Path, drafts_kept: bool | None) -> str:
    """What the crash box says: the draft is said to be kept only when it really was."""
    draft = {True: _("正在填写的登记表已保存为草稿。"), None: "",
             False: _("正在填写的登记表没能保存为草稿：请先不要关闭窗口，把填写的内容记下来。")}
    return _("程序遇到了意外错误。已保存的数据不受影响。") + draft[drafts_kept] + "\n" + _(
        "请把日志文件交给技术人员：{path}").format(path=log_path)


#: The open window's context, once there is one: the crash box asks it to keep the drafts.
_crash_context: list[AppContext] = []


def install_crash_handler(log_dir: Path) -> None:
    """Unexpected errors are logged and shown with the log path; the register is untouched
    because every action is one transaction that did not commit. The forms' drafts are saved
    again at that moment, and the box says whether that worked."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(log_dir / "petitiondesk.log", maxBytes=1_000_000,
                                  backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled exception\n%s", text)
        kept = _crash_context[-1].keep_drafts() if _crash_context else None
        box = QMessageBox(QMessageBox.Icon.Critical, _("程序出错"),
                          crash_text(log_dir / "petitiondesk.log", kept))
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook


#: What the main window needs for its first paint, imported one module at a time while the clerk
#: types the password (issue 15: after Enter the window took 3.5 s, most of it imports). The
#: sign-in window is painted first; between two modules it answers the keyboard. The other pages'
#: modules (and reportlab with them) are imported when their page is first shown
#: (ui/pages/registry.py), not here.
PRELOAD = ("ui.pages.home", "ui.print_preview", "ui.main_window", "ui.upkeep")
PRELOAD_AFTER_MS = 150


class Preload(QObject):
    """Imports ``PRELOAD`` in steps on the GUI thread's idle time; stops when ``owner`` goes."""

    def __init__(self, owner: QObject, modules: tuple[str, ...] = PRELOAD) -> None:
        super().__init__(owner)
        self.pending = list(modules)

    def next(self) -> None:
        if not self.pending:
            return
        name = self.pending.pop(0)
        try:
            importlib.import_module(name)
        except ImportError:  # a page not part of this build: the window says so itself
            log.warning("preloading %s failed", name, exc_info=True)
        QTimer.singleShot(10, self, self.next)


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
        from storage import compact
        from ui.lock_screen import cover_all_windows, uncover
        from ui.login import LoginDialog

        if compact.rewriting(self.ctx.reg):  # its progress window covers the desk meanwhile
            self.timer.start()
            return

        self.locked = True
        covers = cover_all_windows()  # every window's content hidden until sign-in
        dialog = LoginDialog(self.ctx.reg, locked_user=self.ctx.reg.actor.username)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            QApplication.quit()
            return
        uncover(covers)
        self.locked = False
        self.timer.start()


def open_or_explain(data_dir: Path, shell: QWidget | None = None) -> Register | None:
    """Open the register; if it cannot be opened, say why and offer the backups (newest first;
    one that fails its checksum is said so and the next one offered). ``shell``, a sign-in
    window painted before, is hidden before any message."""
    if not (data_dir / DB_NAME).exists() and backup.list_backups(data_dir):
        if shell is not None:
            shell.hide()
        reg, declined = offer_restore(data_dir, _(
            "数据目录 {path} 中没有登记库文件，但有它的备份。").format(path=data_dir),
            allow_new=True)
        if not declined:
            return reg
    try:
        return open_register(data_dir, check_after_crash=False)
    except (RegisterInUse, NewerDatabaseError) as exc:
        if shell is not None:
            shell.hide()
        QMessageBox.critical(None, _("无法打开登记库"), exc.user_text())
        return None
    except PetitionDeskError as exc:
        if shell is not None:
            shell.hide()
        return offer_restore(data_dir, exc.user_text())[0]


def offer_restore(data_dir: Path, reason: str, *, allow_new: bool = False
                  ) -> tuple[Register | None, bool]:
    """用最近的备份恢复？ — restore by renaming the damaged files aside, then open. Returns the
    register (None if not opened) and whether the clerk declined."""
    candidates = [b for b in backup.list_backups(data_dir)
                  if b.sidecar is None or b.sidecar.get("quick_check") == "ok"]
    if not candidates:
        QMessageBox.critical(None, _("无法打开登记库"), reason + "\n\n" + _(
            "这个数据目录里没有可用的备份。程序没有改动这个文件，请联系技术人员。"))
        return None, False
    text = reason
    for chosen in candidates:
        box = QMessageBox(QMessageBox.Icon.Question, _("无法打开登记库"), text + "\n\n" + _(
            "用最近的备份恢复？\n备份时间：{time}（{kind}）\n{figures}\n"
            "原来的文件不会删除，会移到数据目录的 set-aside 文件夹里。").format(
                time=chosen.taken_at.strftime("%Y-%m-%d %H:%M"), kind=reason_label(chosen.reason),
                figures=_("备份中有：{figures}").format(figures=restore.describe_counts(
                    chosen.sidecar["counts"])) if chosen.sidecar else ""))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("恢复"))
        box.button(QMessageBox.StandardButton.No).setText(
            _("不恢复，新建登记库") if allow_new else _("退出"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return None, True
        try:
            result = restore.restore(chosen.path, data_dir)
        except RegisterInUse as exc:
            QMessageBox.critical(None, _("恢复失败"), exc.user_text())
            return None, False
        except PetitionDeskError as exc:  # this backup is damaged: say so, offer the next one
            text = _("这个备份不能用：{error}").format(error=exc.user_text())
            continue
        QMessageBox.information(None, _("已恢复"), result.summary())
        try:
            return open_register(data_dir, check_after_crash=False), False
        except PetitionDeskError as exc:
            QMessageBox.critical(None, _("恢复失败"), exc.user_text())
            return None, False
    QMessageBox.critical(None, _("恢复失败"), text + "\n\n" + _("没有其他可用的备份了。"))
    return None, False


def reason_label(reason: str) -> str:
    labels = {"daily": _("每日备份"), "before-import": _("导入前备份"),
              "before-migration": _("升级前备份"), "manual": _("手动备份")}
    return labels.get(reason, reason)


def run_gui(args: argparse.Namespace, shell: LoginDialog | None = None) -> int:
    """The desk, from opening the register on. ``shell``: the sign-in window ui/start.py has
    already painted, waiting for the register (it is hidden before any message box)."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    if shell is None:  # not started through ui/start.py (which did this already)
        app.setApplicationName("PetitionDesk")
        app.setOrganizationName("PetitionDesk")
        load_fonts()
        apply_ui_font(app)
        install_translators(app, current_language())  # Qt's buttons in Chinese from the start
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
    desk = datalock.desk_lock(data_dir)  # one window per data folder (released at exit)
    try:
        alone = desk.acquire(exclusive=True)
    except OSError as exc:
        QMessageBox.critical(None, _("无法打开登记库"), _("无法使用数据目录 {path}：{error}").format(
            path=data_dir, error=exc.strerror or exc))
        return 1
    if not alone:
        desk.release()
        if shell is not None:
            shell.hide()
        QMessageBox.critical(None, _("信访工作台已经在运行"), _(
            "这个数据目录已经在另一个信访工作台窗口中打开了：{path}\n"
            "请切换到那个窗口使用，不要同时打开两个。").format(path=data_dir))
        return 1
    try:
        return _run_desk(app, args, data_dir, shell)
    finally:
        desk.release()


def _run_desk(app: QApplication, args: argparse.Namespace, data_dir: Path,
              shell: LoginDialog | None) -> int:
    reg = open_or_explain(data_dir, shell)
    if reg is None:
        return 1
    try:
        return _run_signed_in(app, args, data_dir, reg, shell)
    finally:
        # Closed on every way out (sign-in cancelled too): a register left open looks like a
        # crash to the next start, which then checks it before opening.
        reg.close()


def _run_signed_in(app: QApplication, args: argparse.Namespace, data_dir: Path,
                   reg: Register, shell: LoginDialog | None) -> int:
    # --lang, else the language chosen in the settings, else the one the program started in
    # ($PETITIONDESK_LANG or Chinese, see main.py)
    started_in = current_language()
    language = args.lang or preferences.LANGUAGE.stored(reg) or started_in
    set_language(language)
    if language != started_in:
        install_translators(app, language)
        if shell is not None:  # painted in the other language: a new one
            shell.close()
            shell = None
    if reg.is_set_up:
        from ui.login import LoginDialog

        hint = _("演示库账号：head / demo1234") if args.demo else ""
        if shell is not None:
            login = shell
            login.attach(reg, hint)
        else:
            login = LoginDialog(reg, hint=hint)
        if args.demo:
            login.username.setText("head")
            login.password.setFocus()
        preload = Preload(login)
        QTimer.singleShot(PRELOAD_AFTER_MS, preload.next)
        if login.exec() != QDialog.DialogCode.Accepted:
            return 0
    else:
        from ui.setup_wizard import SetupWizard

        if shell is not None:  # nobody to sign in yet: the set-up comes first
            shell.close()
        wizard = SetupWizard(reg)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
    ctx = AppContext(reg, data_dir)
    _crash_context.append(ctx)
    from ui import print_preview
    from ui.main_window import MainWindow

    print_preview.install()  # fills the print menus of the case and mediation views
    window = MainWindow(ctx)
    lock = IdleLock(ctx, preferences.IDLE_LOCK_MINUTES.read(reg))
    app.installEventFilter(lock)
    from ui.screen import show_fitted

    show_fitted(window)
    from ui import upkeep

    # today's backup and quick_check, each on its own thread and connection
    window.upkeep_jobs = upkeep.start(window, ctx, take_backup=reg.is_set_up)
    from printing import fonts
    from ui.background import Job

    # Load the printing fonts once the window is up, on a thread of their own (issue 17: the
    # warm-up froze the window for 0.5–0.9 s), so the first receipt prints without a pause.
    warm_up = Job("font-warm-up", fonts.warm_up, window)
    QTimer.singleShot(1500, warm_up.start)
    code = app.exec()
    for job in window.upkeep_jobs:
        job.stopping.set()  # work that can stop between steps does
    for job in window.upkeep_jobs:
        job.wait()  # a backup under way finishes before the register closes
    return int(code)
