"""Keys and liaison laptops: ``keys`` (create, export, load, register, show fingerprints) and
``liaison starter|setup``. Their parsers are in cli/sync.py with the other sync commands."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.common import account_password, ask_secret, emit, open_for_cli, passphrase, required
from storage.i18n import _
from storage.paths import data_dir_of

if TYPE_CHECKING:  # imported when a command runs: starting the GUI stays light
    from storage.register import Register


def keys_text(reg: Register) -> tuple[dict[str, Any], str]:
    """This register's own keys and its peers: as data for ``--json``, and as lines."""
    from storage.sync import keys

    own = keys.own_key_file(reg)
    data: dict[str, Any] = {
        "own": {"sender": own.sender, "signing_key": own.sign_key is not None,
                "receiving_key": own.box_key is not None, "fingerprint": own.fingerprint},
        "peers": [{"sender": p.sender, "name": p.name, "kind": p.kind, "direction": p.direction,
                   "fingerprint": p.fingerprint, "active": p.active}
                  for p in keys.peers(reg)]}
    has_keys = own.sign_key is not None or own.box_key is not None
    data["own"]["fingerprint"] = own.fingerprint if has_keys else None
    lines = [_("本单位 {sender}：签名密钥{s}，接收密钥{r}").format(
        sender=own.sender, s=_("已创建") if own.sign_key else _("未创建"),
        r=_("已创建") if own.box_key else _("未创建"))]
    lines.append(_("  指纹：{fp}").format(fp=own.fingerprint) if has_keys
                 else _("  还没有密钥，也就没有指纹。"))
    for p in keys.peers(reg):
        role = _("发往") if p.direction == "out" else _("接收自")
        lines.append(_("{role} {name}（{sender}）  {fingerprint}").format(
            role=role, name=p.name, sender=p.sender, fingerprint=p.fingerprint))
    return data, "\n".join(lines)


def cmd_sync_keys(args: argparse.Namespace) -> int:
    from storage.sync import keys

    reg = open_for_cli(args)
    try:
        out: dict[str, Any] = {}
        if args.action in ("create-county", "create-receiving"):
            out["fingerprint"] = keys.create_receiving_key(
                reg, passphrase(args, _("为接收密钥设置口令："), confirm=True),
                replace=args.replace)
        elif args.action == "create-signing":
            from storage.sync import signkey

            # kept sealed, with a slot under a head's password (the command line has no sign-in)
            signkey.sign_in_head(reg, account_password(_("请输入站长的登录密码（用来加密保存签名密钥）：")))
            out["fingerprint"] = keys.create_signing_key(reg, replace=args.replace)
        elif args.action == "export":
            out["path"] = str(keys.write_key_file(reg, Path(args.to or ".")))
        elif args.action == "load-county":
            peer = keys.load_upstream(reg, keys.read_key_file(Path(required(args.file, "FILE"))),
                                      replace=args.replace)
            out.update(name=peer.name, fingerprint=peer.fingerprint)
        elif args.action == "register":
            peer = keys.register_station(reg, keys.read_key_file(Path(required(args.file, "FILE"))),
                                         replace=args.replace)
            out.update(name=peer.name, fingerprint=peer.fingerprint)
        data, text = keys_text(reg)
    finally:
        reg.close()
    data.update(out)
    labels = {"fingerprint": _("指纹"), "path": _("文件"), "name": _("单位")}
    emit(args, data, "".join(_("{label}：{value}").format(label=labels[k], value=v) + "\n"
                             for k, v in out.items()) + text)
    return 0


def cmd_sync_liaison(args: argparse.Namespace) -> int:
    from storage import accounts
    from storage.sync import liaison

    if args.action == "starter":
        required(args.liaison, "--liaison")
        required(args.to, "--to")
        reg = open_for_cli(args)
        try:
            user = accounts.find_user(reg, args.liaison)
            info = liaison.make_starter(reg, user.id, passphrase(
                args, _("为启动文件设置口令（当面告诉联络员）："), confirm=True), Path(args.to))
        finally:
            reg.close()
        emit(args, {"path": str(info.path), "sender": info.sender, "grids": info.grids,
                    "records": info.records}, str(info.path))
        return 0
    from storage.db import open_register

    # setting a laptop up: the register is new, so it is opened without open_for_cli's check —
    # but only once the starter file has been read: a wrong file or passphrase creates nothing
    starter = Path(required(args.file, _("启动文件")))
    secret = passphrase(args, _("启动文件口令："))
    liaison.read_starter(starter, secret)
    password = os.environ.get("PETITIONDESK_PASSWORD") \
        or ask_secret(_("为本机的联络员账号设置密码："))
    reg = open_register(data_dir_of(args.data_dir))
    try:
        actor = liaison.set_up_from_starter(reg, starter, secret, password)
    finally:
        reg.close()
    emit(args, {"username": actor.username}, _("本机已设置为联络员{name}的登记库。").format(
        name=actor.display_name))
    return 0
