"""Keys of this register and of the units it exchanges bundles with.

- A *signing key* (Ed25519) lets a station or liaison laptop sign what it sends.
- A *receiving key* (X25519) lets the county (or a township receiving liaison bundles) read what
  is sent to it; its private half is kept only encrypted under a passphrase.
- A *public key file* (``.pdkey``, JSON) carries the public halves to the other side; people
  compare its fingerprint by phone before trusting it.
- The *peers* registry (table ``sync_peers``) lists the units whose bundles we accept ('in') and
  the one unit we send to ('out').

Private keys live in the register's local settings (never in a bundle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import logins, station
from storage.audit import canonical_json
from storage.errors import BundleError, ValidationError
from storage.i18n import _
from storage.register import Register
from storage.sync import crypto, signkey
from storage.sync.safewrite import MAX_SMALL_FILE_BYTES, read_limited, write_new_file

KEY_FILE_FORMAT = "petitiondesk-public-key"
KEY_FILE_VERSION = 1
KEY_FILE_EXT = ".pdkey"
MIN_PASSPHRASE = 8
KEY_ROLES = ("head", "county")

_SENDER = "sync.sender"
RECEIVING_KEY_LOGIN = "receiving-key"  # its failed passphrases, counted by storage.logins
_SIGN = signkey.SETTING
_BOX = "sync.box_key"


@dataclass(frozen=True)
class KeyFile:
    """The public half of a unit's keys, as written to and read from a ``.pdkey`` file."""

    sender: str
    station_code: str
    name: str
    kind: str
    sign_key: bytes | None
    box_key: bytes | None

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(canonical_json({
            "sender": self.sender, "station_code": self.station_code, "kind": self.kind,
            "sign_key": None if self.sign_key is None else crypto.b64(self.sign_key),
            "box_key": None if self.box_key is None else crypto.b64(self.box_key),
        }).encode("utf-8"))

    def to_json(self) -> dict[str, Any]:
        return {"format": KEY_FILE_FORMAT, "version": KEY_FILE_VERSION, "sender": self.sender,
                "station_code": self.station_code, "name": self.name, "kind": self.kind,
                "sign_key": None if self.sign_key is None else crypto.b64(self.sign_key),
                "box_key": None if self.box_key is None else crypto.b64(self.box_key),
                "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class Peer:
    sender: str
    station_code: str
    name: str
    kind: str
    direction: str
    sign_key: bytes | None
    box_key: bytes | None
    fingerprint: str
    user_id: str | None
    registered_at: str
    active: bool


# ----- this register ---------------------------------------------------------------------------
def sender_of(reg: Register) -> str:
    """This register's bundle identity: the area code, or "<area code>-Lnn" on a liaison laptop."""
    return str(reg.setting(_SENDER) or reg.station_code)


def own_key_file(reg: Register) -> KeyFile:
    st = station.station(reg)
    box = reg.setting(_BOX)
    kind = "liaison" if reg.mode == "liaison" else st.kind
    name = str(reg.setting("sync.name") or st.name)
    return KeyFile(sender_of(reg), reg.station_code, name, kind, signkey.public_key(reg),
                   None if box is None else crypto.unb64(box["public"]))


def has_signing_key(reg: Register) -> bool:
    return reg.setting(_SIGN) is not None


def has_receiving_key(reg: Register) -> bool:
    return reg.setting(_BOX) is not None


def create_signing_key(reg: Register, *, replace: bool = False) -> str:
    """Make this station's Ed25519 signing key; returns the new key file's fingerprint."""
    reg.require_role(*KEY_ROLES)
    if has_signing_key(reg) and not replace:
        raise ValidationError(_("本站已有签名密钥。更换密钥后，需要把新的公钥文件重新交给县里登记。"))
    private, _public = crypto.new_signing_key()
    with reg.transaction():
        set_signing_key(reg, private)
    return own_key_file(reg).fingerprint


def set_signing_key(reg: Register, private: bytes) -> None:
    """Keep ``private`` sealed (storage/sync/signkey.py): open for this session, with a slot
    for every account signed in during it."""
    signkey.store(reg, private)


def signing_private(reg: Register) -> bytes:
    """The private signing key; ``SigningKeyLocked`` if this session has not opened it."""
    return signkey.private_key(reg)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            _("口令至少需要{n}个字符。请记在安全的地方：忘记口令就无法读取发来的数据包。").format(
                n=MIN_PASSPHRASE), "passphrase")


def create_receiving_key(reg: Register, passphrase: str, *, replace: bool = False) -> str:
    """Make the X25519 key pair bundles are encrypted to; the private half is kept encrypted
    under ``passphrase``. Returns the new key file's fingerprint."""
    reg.require_role(*KEY_ROLES)
    check_passphrase(passphrase)
    if has_receiving_key(reg) and not replace:
        raise ValidationError(_("本单位已有接收密钥。更换后，用旧公钥加密的数据包将无法读取。"))
    private, public = crypto.new_box_key()
    box = crypto.protect(private, passphrase, public)
    box.update(public=crypto.b64(public), created_at=reg.now())
    with reg.transaction():
        reg.set_setting(_BOX, box)
    return own_key_file(reg).fingerprint


def unlock_receiving_key(reg: Register, passphrase: str) -> bytes:
    """The private receiving key, or a plain refusal if the passphrase is wrong."""
    box = reg.setting(_BOX)
    if box is None:
        raise BundleError(_("本单位还没有接收密钥：请先在“密钥”中创建接收密钥。"))
    public = crypto.unb64(box["public"], crypto.KEY_SIZE)
    # guessed passphrases slow down and lock like sign-ins (for 30 minutes, as a head's)
    locked = _("口令连续{n}次错误，接收密钥已暂停使用，请30分钟后再试。")
    logins.check_allowed(reg, RECEIVING_KEY_LOGIN, head=True, locked=locked)
    try:
        private = crypto.unprotect(box, passphrase, public)
    except crypto.CryptoError:
        raise logins.wrong_password(reg, RECEIVING_KEY_LOGIN, _("口令不对，无法打开接收密钥。"),
                                    "passphrase", locked=locked) from None
    logins.clear(reg, RECEIVING_KEY_LOGIN)
    if crypto.box_public(private) != public:
        raise BundleError(_("接收密钥已损坏，请从备份恢复。"))
    return private


# ----- key files -------------------------------------------------------------------------------
def key_file_name(key: KeyFile) -> str:
    return f"{key.sender}-{key.kind}{KEY_FILE_EXT}"


def write_key_file(reg: Register, directory: Path) -> Path:
    """Write this register's public key file into ``directory`` (never overwriting)."""
    key = own_key_file(reg)
    if key.sign_key is None and key.box_key is None:
        raise ValidationError(_("还没有可导出的密钥：请先创建签名密钥或接收密钥。"))
    data = json.dumps(key.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
    return write_new_file(directory / key_file_name(key), data)


def parse_key_file(data: bytes) -> KeyFile:
    bad = BundleError(_("这不是信访工作台的公钥文件，或文件已损坏。"))
    try:
        obj = json.loads(data.decode("utf-8"))
        if obj.get("format") != KEY_FILE_FORMAT:
            raise bad
        if int(obj.get("version", 0)) > KEY_FILE_VERSION:
            raise BundleError(_("公钥文件由更新版本的软件生成，请先升级本机软件。"))
        key = KeyFile(
            str(obj["sender"]), str(obj["station_code"]), str(obj["name"]), str(obj["kind"]),
            None if obj.get("sign_key") is None else crypto.unb64(obj["sign_key"], 32),
            None if obj.get("box_key") is None else crypto.unb64(obj["box_key"], 32))
    except (ValueError, KeyError, TypeError, AttributeError, crypto.CryptoError):
        raise bad from None
    if key.kind not in ("township", "county", "liaison") or not key.station_code.isdigit():
        raise bad
    if obj.get("fingerprint") not in (None, key.fingerprint):
        raise BundleError(_("公钥文件内容与其中记录的指纹不符，文件可能被改动过。"))
    return key


def read_key_file(path: Path) -> KeyFile:
    try:
        data = read_limited(path, MAX_SMALL_FILE_BYTES)
    except OSError as exc:
        raise BundleError(_("无法读取公钥文件 {path}：{error}").format(path=path, error=exc)) \
            from exc
    return parse_key_file(data)


# ----- peers -----------------------------------------------------------------------------------
def _peer(row: dict[str, Any]) -> Peer:
    return Peer(row["sender"], row["station_code"], row["name"], row["kind"], row["direction"],
                None if row["sign_key"] is None else crypto.unb64(row["sign_key"]),
                None if row["box_key"] is None else crypto.unb64(row["box_key"]),
                row["fingerprint"], row["user_id"], row["registered_at"], bool(row["active"]))


def peers(reg: Register, direction: str | None = None) -> list[Peer]:
    sql = "SELECT * FROM sync_peers"
    params: tuple[str, ...] = ()
    if direction:
        sql += " WHERE direction = ?"
        params = (direction,)
    return [_peer(r) for r in reg.rows(sql + " ORDER BY direction, sender", params)]


def peer(reg: Register, sender: str) -> Peer | None:
    rows = reg.rows("SELECT * FROM sync_peers WHERE sender = ?", (sender,))
    return _peer(rows[0]) if rows else None


def upstream(reg: Register) -> Peer | None:
    """The unit this register sends its bundles to (the county, or the township for a liaison)."""
    rows = reg.rows("SELECT * FROM sync_peers WHERE direction = 'out' AND active = 1")
    return _peer(rows[0]) if rows else None


def save_peer(reg: Register, key: KeyFile, direction: str, *, user_id: str | None = None) -> Peer:
    """Insert or replace a peer row (inside the caller's transaction)."""
    reg.conn.execute(
        "INSERT INTO sync_peers(sender, station_code, name, kind, direction, sign_key, box_key,"
        " fingerprint, user_id, registered_at, registered_by, active)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,1)"
        " ON CONFLICT(sender) DO UPDATE SET station_code=excluded.station_code,"
        " name=excluded.name, kind=excluded.kind, direction=excluded.direction,"
        " sign_key=excluded.sign_key, box_key=excluded.box_key,"
        " fingerprint=excluded.fingerprint, user_id=excluded.user_id,"
        " registered_at=excluded.registered_at, registered_by=excluded.registered_by, active=1",
        (key.sender, key.station_code, key.name, key.kind, direction,
         None if key.sign_key is None else crypto.b64(key.sign_key),
         None if key.box_key is None else crypto.b64(key.box_key), key.fingerprint, user_id,
         reg.now(), reg.actor.username))
    found = peer(reg, key.sender)
    assert found is not None
    return found


def upstream_key_change(reg: Register, key: KeyFile) -> Peer | None:
    """The loaded upstream whose *receiving* key ``key`` would replace, if it differs: bundles
    would then be encrypted to someone else, so that takes an explicit "replace". (The same
    receiving key with a signing key added — the county set up receipts — is an update.)"""
    up = upstream(reg)
    return up if up is not None and up.box_key != key.box_key else None


def load_upstream(reg: Register, key: KeyFile, *, replace: bool = False) -> Peer:
    """Station: accept the county's public key file (the fingerprint was compared by phone)."""
    reg.require_role(*KEY_ROLES)
    if key.box_key is None:
        raise ValidationError(_("该公钥文件中没有接收密钥，不能用来加密数据包。"))
    if key.kind != "county" and reg.mode != "liaison":
        raise ValidationError(_("这是乡镇或联络员的公钥文件，不是县级的。请载入县信访局给的公钥文件。"))
    if key.kind == "county" and key.station_code[:6] != reg.station_code[:6]:
        raise ValidationError(_("该公钥文件属于其他县（区划代码{code}），不是本县的。").format(
            code=key.station_code))
    old = upstream_key_change(reg, key)
    if old is not None and not replace:
        raise ValidationError(_(
            "已经载入了{name}的另一把接收公钥（指纹 {fp}）。确认对方更换了密钥后，请选择“替换”"
            "（命令行加 --replace）。").format(name=old.name, fp=old.fingerprint))
    with reg.transaction():
        reg.conn.execute("DELETE FROM sync_peers WHERE direction = 'out'")
        return save_peer(reg, key, "out")


def station_key_change(reg: Register, key: KeyFile) -> Peer | None:
    """The registered station whose signing key ``key`` would replace, if it differs."""
    existing = peer(reg, key.sender)
    return existing if existing is not None and existing.sign_key != key.sign_key else None


def register_station(reg: Register, key: KeyFile, *, replace: bool = False) -> Peer:
    """County: accept a township's public key file so that its bundles can be verified."""
    reg.require_role(*KEY_ROLES)
    if reg.mode != "county":
        raise ValidationError(_("只有县级汇总库才能登记乡镇公钥。"))
    if key.kind != "township" or key.sign_key is None:
        raise ValidationError(_("这不是乡镇工作站的签名公钥文件。"))
    if key.station_code[:6] != reg.station_code[:6]:
        raise ValidationError(_("该乡镇（区划代码{code}）不属于本县（{county}）。").format(
            code=key.station_code, county=reg.station_code[:6]))
    existing = station_key_change(reg, key)
    if existing is not None and not replace:
        raise ValidationError(_(
            "{name}（{code}）已经登记过另一把公钥。确认该站更换了密钥后，请选择“替换”"
            "（命令行加 --replace）。").format(name=existing.name, code=key.sender))
    with reg.transaction():
        return save_peer(reg, key, "in")


def set_peer_active(reg: Register, sender: str, active: bool) -> None:
    reg.require_role(*KEY_ROLES)
    with reg.transaction():
        reg.conn.execute("UPDATE sync_peers SET active = ? WHERE sender = ?", (int(active), sender))
