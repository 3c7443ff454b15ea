"""The station's leaders (党委书记, 镇长, 副镇长…): names and posts the 包案, reception days and
约访 refer to. They are not accounts and never sign in (docs/domain.md §10)."""

from __future__ import annotations

from dataclasses import dataclass

from storage.errors import NotFound, ValidationError
from storage.i18n import _
from storage.leadership.common import require_own, text
from storage.register import Register, Row
from storage.validation import normalize_phone


@dataclass(frozen=True)
class Leader:
    id: str
    name: str
    post: str
    phone: str
    active: bool

    @property
    def label(self) -> str:
        """王建华（副镇长）"""
        return _("{name}（{post}）").format(name=self.name, post=self.post) if self.post \
            else self.name


def _leader(row: Row) -> Leader:
    return Leader(row["id"], row["name"], row["post"], row["phone"], bool(row["active"]))


def leaders(reg: Register, *, active_only: bool = True) -> list[Leader]:
    sql = "SELECT * FROM leaders WHERE deleted = 0 AND station_code = ?"
    if active_only:
        sql += " AND active = 1"
    return [_leader(r) for r in reg.rows(sql + " ORDER BY sort, name", (reg.station_code,))]


def leader(reg: Register, leader_id: str) -> Leader:
    rows = reg.rows("SELECT * FROM leaders WHERE id = ? AND deleted = 0 AND station_code = ?",
                    (leader_id, reg.station_code))
    if not rows:
        raise NotFound(_("找不到这位领导（可能已从名单中删除）。"))
    return _leader(rows[0])


def find_leader(reg: Register, ref: str) -> Leader:
    """A leader by id or by name (the command line's ``--leader 王建华``)."""
    ref = ref.strip()
    for item in leaders(reg, active_only=False):
        if ref in (item.id, item.name):
            return item
    raise NotFound(_("名单中没有“{name}”这位领导。").format(name=ref))


def _values(reg: Register, name: str, post: str, phone: str, leader_id: str | None
            ) -> dict[str, str]:
    name = text(name, "name", _("姓名"), 20, required=True)
    post = text(post, "post", _("职务"), 30, required=True)
    phone = normalize_phone(phone, field="phone").number if phone.strip() else ""
    same = reg.scalar("SELECT count(*) FROM leaders WHERE deleted = 0 AND station_code = ?"
                      " AND name = ? AND id != ?", (reg.station_code, name, leader_id or ""))
    if same:
        raise ValidationError(_("名单中已经有“{name}”。").format(name=name), "name")
    return {"name": name, "post": post, "phone": phone}


def add_leader(reg: Register, name: str, post: str, phone: str = "") -> Leader:
    require_own(reg, roles=("head", "county"))
    values = _values(reg, name, post, phone, None)
    with reg.transaction():
        sort = int(reg.scalar("SELECT coalesce(max(sort), 0) + 1 FROM leaders"
                              " WHERE station_code = ?", (reg.station_code,)))
        row = reg.insert("leaders", dict(values, sort=sort, active=1))
    return _leader(row)


def update_leader(reg: Register, leader_id: str, *, name: str, post: str, phone: str = "",
                  active: bool = True) -> Leader:
    """Change a leader's name, post or phone; ``active=False`` takes them off the lists (what
    they held stays theirs in the ledger)."""
    require_own(reg, roles=("head", "county"))
    leader(reg, leader_id)
    values = _values(reg, name, post, phone, leader_id)
    with reg.transaction():
        row = reg.update("leaders", leader_id, dict(values, active=int(active)))
    return _leader(row)
