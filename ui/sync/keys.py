"""Keys and fingerprints, and the liaison starter file. Fingerprints are digits in groups of five
so two people can read them to each other over the phone before a key file is trusted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from storage import accounts
from storage.errors import ValidationError
from storage.i18n import N_, _
from storage.sync import keys, liaison
from ui.context import AppContext
from ui.sync import widgets as w
from ui.widgets import heading

KIND_LABELS = {"township": N_("乡镇"), "county": N_("县级"), "liaison": N_("联络员电脑")}


class KeysPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        mode = ctx.reg.mode
        col = QVBoxLayout(self)
        col.addWidget(heading(_("密钥与指纹")))
        self.own = w.note()
        col.addWidget(self.own)
        row = QHBoxLayout()
        # Creating a key that exists would only be refused: those buttons go grey (refresh).
        self.create_buttons: dict[str, QWidget] = {}
        if mode == "county":
            self.create_buttons["box"] = w.button(_("创建接收密钥(&K)…"), self._create_receiving)
            self.create_buttons["sign"] = w.button(_("创建签名密钥（开回执用）(&S)"),
                                                   self.create_signing)
            row.addWidget(self.create_buttons["box"])
            row.addWidget(self.create_buttons["sign"])
            row.addWidget(w.button(_("登记乡镇公钥文件(&G)…"), self._register))
        elif mode == "township":
            self.create_buttons["sign"] = w.button(_("创建本站签名密钥(&S)"), self.create_signing)
            row.addWidget(self.create_buttons["sign"])
            row.addWidget(w.button(_("载入县级公钥文件(&L)…"), self._load_county))
            self.create_buttons["box"] = w.button(_("创建接收密钥（联络员用）(&K)…"),
                                                  self._create_receiving)
            row.addWidget(self.create_buttons["box"])
        if mode != "liaison":
            row.addWidget(w.button(_("导出本单位公钥文件(&E)…"), self._export))
        row.addStretch(1)
        col.addLayout(row)
        self.peers = w.table([_("方向"), _("单位"), _("代码"), _("类别"), _("指纹"), _("状态")])
        col.addWidget(self.peers, 1)

    def refresh(self) -> None:
        own = keys.own_key_file(self.ctx.reg)
        for kind, present in (("sign", own.sign_key is not None),
                              ("box", own.box_key is not None)):
            if kind in self.create_buttons:
                self.create_buttons[kind].setEnabled(not present)
        self.own.setText(_("本单位：{name}（{sender}）\n签名密钥：{s}　接收密钥：{r}\n"
                           "本单位公钥指纹：{fp}").format(
            name=own.name, sender=own.sender, s=_("已创建") if own.sign_key else _("未创建"),
            r=_("已创建") if own.box_key else _("未创建"), fp=own.fingerprint))
        w.fill(self.peers, [
            (_("发往") if p.direction == "out" else _("接收自"), p.name, p.sender,
             _(KIND_LABELS.get(p.kind, p.kind)), p.fingerprint,
             _("在用") if p.active else _("已停用")) for p in keys.peers(self.ctx.reg)])

    # ----- actions (the dialogs are in the underscore methods; tests call the others) ---------
    def create_signing(self) -> None:
        if self.ctx.run(self, keys.create_signing_key, self.ctx.reg, topic="sync"):
            self.refresh()

    def _create_receiving(self) -> None:
        first = w.ask_passphrase(self, _("为接收密钥设置口令（至少8个字符，请妥善保管）："))
        if first is None:
            return
        if w.ask_passphrase(self, _("再输入一遍口令：")) != first:
            w.inform(self, _("口令"), _("两次输入的口令不一致，密钥没有创建。"))
            return
        self.create_receiving(first)

    def create_receiving(self, passphrase: str) -> None:
        if self.ctx.run(self, keys.create_receiving_key, self.ctx.reg, passphrase, topic="sync"):
            self.refresh()

    def _export(self) -> None:
        folder = w.ask_folder(self, _("选择保存公钥文件的位置（如U盘）"))
        if folder is not None:
            path = self.export_key(folder)
            if path is not None:
                w.inform(self, _("公钥文件"), _("已保存：{path}\n请把指纹读给对方核对：{fp}").format(
                    path=path, fp=keys.own_key_file(self.ctx.reg).fingerprint))

    def export_key(self, folder: Path) -> Path | None:
        return self.ctx.run(self, keys.write_key_file, self.ctx.reg, folder)

    def _pick_key(self) -> keys.KeyFile | None:
        files = w.ask_files(self, _("选择公钥文件"), _("公钥文件 (*.pdkey)"))
        if not files:
            return None
        key = self.ctx.run(self, keys.read_key_file, files[0])
        if key is None:
            return None
        ok = w.confirm(self, _("核对指纹"), _(
            "{name}（{code}）的公钥指纹是：\n\n{fp}\n\n请打电话与对方逐组核对。完全一致吗？").format(
                name=key.name, code=key.sender, fp=key.fingerprint))
        return key if ok else None

    def _load_county(self) -> None:
        key = self._pick_key()
        if key is not None:
            self.load_county(key)

    def load_county(self, key: keys.KeyFile) -> None:
        old = keys.upstream_key_change(self.ctx.reg, key)
        if old is not None and not self._confirm_replace(old, key):
            return
        if self.ctx.run(self, keys.load_upstream, self.ctx.reg, key, replace=old is not None,
                        topic="sync"):
            self.refresh()

    def _confirm_replace(self, old: keys.Peer, key: keys.KeyFile) -> bool:
        """A key here already for that unit: replacing it is right only when they changed it."""
        return w.confirm(self, _("更换公钥"), _(
            "本机已有{name}的另一把公钥（指纹 {old}）。\n\n只有对方重装电脑或更换了密钥时才应"
            "更换。确认用新公钥（指纹 {new}）替换吗？").format(
                name=old.name, old=old.fingerprint, new=key.fingerprint))

    def _register(self) -> None:
        key = self._pick_key()
        if key is not None:
            self.register_station(key)

    def register_station(self, key: keys.KeyFile) -> None:
        old = keys.station_key_change(self.ctx.reg, key)
        if old is not None and not self._confirm_replace(old, key):
            return
        if self.ctx.run(self, keys.register_station, self.ctx.reg, key, replace=old is not None,
                        topic="sync"):
            self.refresh()


class LiaisonStarterPanel(QWidget):
    """Township head: the starter file that sets up a liaison's own laptop."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        col = QVBoxLayout(self)
        col.addWidget(heading(_("联络员自用电脑")))
        col.addWidget(w.note(_(
            "为联络员制作启动文件：只含该联络员负责的网格、所在村和分类代码，以及已登记的排查记录。"
            "启动文件用口令加密，请当面把口令告诉联络员。联络员在自己的电脑上用它设置信访工作台，"
            "录入的排查以后用数据包交回本站导入。")))
        form = QFormLayout()
        self.liaison = QComboBox()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget in ((_("联络员(&A)："), self.liaison),
                             (_("启动文件口令(&P)："), self.passphrase),
                             (_("再输入一遍(&G)："), self.again)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        col.addLayout(form)
        col.addWidget(w.button(_("制作启动文件(&M)…"), self._make))
        self.result = w.note()
        col.addWidget(self.result)
        col.addStretch(1)

    def refresh(self) -> None:
        current = self.liaison.currentData()
        self.liaison.clear()
        for u in accounts.list_users(self.ctx.reg):
            if u.role == "liaison" and u.active:
                self.liaison.addItem(_("{name}（{username}）").format(
                    name=u.display_name, username=u.username), u.id)
        index = self.liaison.findData(current)
        if index >= 0:
            self.liaison.setCurrentIndex(index)

    def _make(self) -> None:
        folder = w.ask_folder(self, _("选择保存启动文件的位置（如U盘）"))
        if folder is not None:
            self.make(folder)

    def make(self, folder: Path) -> Path | None:
        if self.passphrase.text() != self.again.text():
            self.ctx.run(self, _refuse, _("两次输入的口令不一致。"))
            return None
        user_id = self.liaison.currentData()
        info = self.ctx.run(self, liaison.make_starter, self.ctx.reg, str(user_id or ""),
                            self.passphrase.text(), folder, topic="sync")
        if info is None:
            return None
        self.passphrase.clear()
        self.again.clear()
        self.result.setText(_("启动文件已保存：{path}（{g}个网格，{n}条记录）。").format(
            path=info.path, g=info.grids, n=info.records))
        return info.path


def _refuse(message: str) -> None:
    raise ValidationError(message)
