"""Liaisons who work on their own laptop: the township makes a *starter file* holding
only that liaison's grids (with their villages, the station's codes and month locks, and the
screenings and disputes already recorded for those grids), the township's public keys, and a
signing key made for that laptop. The file is encrypted under a passphrase the station head tells
the liaison in person. The laptop is set up from it as a register in 'liaison' mode; from then on
its screenings travel back as ordinary bundles (signed by the laptop, encrypted to the township,
imported idempotently by the same importer).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import accounts, preferences, seals, station
from storage.errors import BundleError, ValidationError
from storage.i18n import _
from storage.register import SYSTEM, Actor, Register
from storage.sync import crypto, keys, scope, signkey
from storage.sync.manifest import applied_migrations, known_migrations
from storage.sync.merge import MergeContext, foreign_keys_deferred, merge_table
from storage.sync.payload import TableRows
from storage.sync.safewrite import MAX_STARTER_BYTES, read_limited, write_new_file

MAGIC = b"PDSTART\x01"
FORMAT = "petitiondesk-liaison-starter"
STARTER_EXT = ".pdstart"
_AAD = b"petitiondesk/liaison-starter/v1"


@dataclass(frozen=True)
class StarterInfo:
    path: Path
    sender: str
    grids: int
    records: int


def _liaison_sender(reg: Register, user_id: str) -> str:
    row = reg.rows("SELECT sender FROM sync_peers WHERE kind = 'liaison' AND user_id = ?",
                   (user_id,))
    if row:
        return str(row[0]["sender"])
    used = {r["sender"] for r in reg.rows("SELECT sender FROM sync_peers WHERE kind = 'liaison'")}
    n = 1
    while f"{reg.station_code}-L{n:02d}" in used:
        n += 1
    return f"{reg.station_code}-L{n:02d}"


def make_starter(reg: Register, user_id: str, passphrase: str, directory: Path) -> StarterInfo:
    """Township: write the starter file for liaison ``user_id`` into ``directory``.

    Making a new starter for the same liaison replaces the laptop's signing key: import that
    laptop's outstanding bundles first."""
    reg.require_role("head")
    keys.check_passphrase(passphrase)
    if reg.mode != "township":
        raise ValidationError(_("只有乡镇工作站才能为联络员制作启动文件。"))
    user = accounts.get_user(reg, user_id)
    if user.role != "liaison" or not user.active:
        raise ValidationError(_("{name}不是在用的信访联络员账号。").format(name=user.display_name))
    if not keys.has_receiving_key(reg):
        raise ValidationError(_("本站还没有接收密钥：请先在“密钥”中创建接收密钥（联络员的数据包要用它加密）。"))
    tables = scope.starter_tables(reg, user_id)
    grids = sum(len(t.rows) for t in tables if t.name == "grids")
    if not grids:
        raise ValidationError(_("还没有给{name}分配网格，请先在网格设置中指定联络员。").format(
            name=user.display_name))
    st = station.station(reg)
    sender = _liaison_sender(reg, user_id)
    sign_private, sign_public = crypto.new_signing_key()
    laptop = keys.KeyFile(sender, reg.station_code, f"{st.short_name}·{user.display_name}",
                          "liaison", sign_public, None)
    body = {
        "format": FORMAT, "version": 1, "schema": applied_migrations(reg),
        "created_at": reg.now(), "township_key": keys.own_key_file(reg).to_json(),
        "liaison": {"sender": sender, "name": laptop.name, "user_id": user.id,
                    "username": user.username, "display_name": user.display_name,
                    "village_ids": list(user.village_ids)},
        "sign_key": crypto.b64(sign_private),
        "tables": [{"name": t.name, "columns": t.columns, "rows": t.rows} for t in tables],
    }
    plain = zlib.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    data = MAGIC + json.dumps(crypto.protect(plain, passphrase, _AAD)).encode("ascii")
    stamp = reg.now().replace("-", "").replace(":", "").replace("T", "")[:12]
    path = write_new_file(directory / f"{sender}-{stamp}{STARTER_EXT}", data)
    with reg.transaction():
        keys.save_peer(reg, laptop, "in", user_id=user.id)
    return StarterInfo(path, sender, grids, sum(len(t.rows) for t in tables))


def read_starter(path: Path, passphrase: str) -> dict[str, Any]:
    try:
        data = read_limited(path, MAX_STARTER_BYTES)
    except OSError as exc:
        raise BundleError(_("无法读取文件 {path}：{error}").format(path=path, error=exc)) from exc
    if not data.startswith(MAGIC):
        raise BundleError(_("这不是联络员启动文件。"))
    try:
        box = json.loads(data[len(MAGIC):].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise BundleError(_("启动文件不完整或已损坏。")) from None
    try:
        plain = crypto.unprotect(box, passphrase, _AAD)
    except crypto.CryptoError:
        raise ValidationError(_("口令不对，或启动文件已损坏。"), "passphrase") from None
    body: dict[str, Any] = json.loads(zlib.decompress(plain).decode("utf-8"))
    if body.get("format") != FORMAT:
        raise BundleError(_("这不是联络员启动文件。"))
    if set(body["schema"]) - known_migrations():
        raise BundleError(_("启动文件来自更新版本的信访工作台，请先升级本机软件。"))
    return body


def set_up_from_starter(reg: Register, path: Path, passphrase: str, password: str) -> Actor:
    """Liaison laptop: turn an empty register into this liaison's copy; returns the liaison,
    signed in."""
    if reg.is_set_up:
        raise ValidationError(_("本登记库已经设置过，不能再用启动文件设置。"))
    if len(password) < accounts.MIN_PASSWORD:
        raise ValidationError(_("密码至少需要{n}个字符。").format(n=accounts.MIN_PASSWORD),
                              "password")
    body = read_starter(path, passphrase)
    township = keys.parse_key_file(json.dumps(body["township_key"]).encode("utf-8"))
    who = body["liaison"]
    reg.actor = SYSTEM
    # the laptop's signing key is kept sealed, with a slot under the liaison's new password
    signkey.sign_in(reg, who["username"], "liaison", password)
    with foreign_keys_deferred(reg.conn), reg.transaction():
        reg.set_setting(preferences.STATION_CODE.key, township.station_code)
        reg.set_setting(preferences.MODE.key, "liaison")
        reg.set_setting("sync.sender", who["sender"])
        reg.set_setting("sync.name", who["name"])
        keys.set_signing_key(reg, crypto.unb64(body["sign_key"], crypto.KEY_SIZE))
        keys.save_peer(reg, township, "out")
        ctx = MergeContext(reg, township.sender, "starter")
        for t in body["tables"]:
            merge_table(ctx, TableRows(t["name"], t["columns"], t["rows"]))
        # The starter's rows have entries in the township's chain, not in this laptop's:
        # seal them, so that `check` here proves them too (storage/seals.py).
        seals.seal(reg.conn, township.station_code, at=reg.now(), actor=reg.actor.username,
                   reason="liaison-starter")
        row = reg.insert("users", {
            "id": who["user_id"], "username": who["username"],
            "display_name": who["display_name"], "role": "liaison",
            "password_hash": reg.password_hasher.hash(password),
            "village_ids": json.dumps(who["village_ids"])})
    actor = accounts.get_user(reg, row["id"]).actor()
    reg.actor = actor
    return actor
