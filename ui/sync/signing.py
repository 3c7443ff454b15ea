"""Before the desk signs a bundle: the sealed signing key (storage/sync/signkey.py) is normally
open since sign-in; when it is not (an account without a slot yet), one password is asked —
a head's, or the clerk's own — and never again in this session."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from storage.i18n import _
from storage.sync import signkey
from ui.context import AppContext


def ensure_unlocked(ctx: AppContext, parent: QWidget | None) -> bool:
    """True when the key can sign now; False when the password was not given or was wrong
    (the refusal shown)."""
    if not signkey.is_locked(ctx.reg):
        return True
    password, ok = QInputDialog.getText(
        parent, _("解锁签名密钥"),
        _("签名密钥已加密保存，这个账号还不能打开它。\n请站长输入登录密码（只需这一次）："),
        QLineEdit.EchoMode.Password)
    if not ok or not password:
        return False
    return ctx.run(parent, signkey.unlock, ctx.reg, password) is not None
