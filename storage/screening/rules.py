"""Rules shared by every part of grid screening: the station's settings (cadence, grace days,
which risk levels raise an alert, when tracking began), who may enter a grid's report, and
whether a month is locked because its sheet has been issued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import codes, preferences, station
from storage.errors import PermissionDenied, TransitionError, ValidationError
from storage.i18n import N_, _
from storage.register import Register, Row
from storage.screening.periods import (
    CADENCE_LABELS,
    CADENCES,
    WEEKLY,
    Period,
    parse_month,
    period_containing,
)

# Workflow states and outcomes of a dispute. The values are the contract with mediation and the
# sheet (stored as written); the labels are the same Chinese words.
OPEN = "未化解"
IN_PROGRESS = "化解中"
RESOLVED = "已化解"
TRANSFERRED = "已移交"
STATUSES = (OPEN, IN_PROGRESS, RESOLVED, TRANSFERRED)
ACTIVE_STATUSES = (OPEN, IN_PROGRESS)
RESOLUTION_WAYS = ("人民调解", "行政调解", "司法", "其他")
# Where a dispute is handed over to (suggestions; free text is allowed).
TRANSFER_TARGETS = ("村（居）调委会", "镇人民调解委员会", "镇司法所", "镇派出所", "人民法院",
                    "镇综治中心", "信访工作站（信访事项）")
#: The stored values above as msgids: shown with :func:`label`.
_VALUE_MSGIDS = frozenset((N_("未化解"), N_("化解中"), N_("已化解"), N_("已移交"), N_("人民调解"),
                           N_("行政调解"), N_("司法"), N_("其他")))
MAY_CAUSE = (("may_collective", N_("集体访")), ("may_skip_level", N_("越级访")),
             ("may_criminal", N_("民转刑")))

SETTING_CADENCE = preferences.SCREENING_CADENCE.key
SETTING_GRACE = preferences.SCREENING_GRACE_DAYS.key
SETTING_ALERT_LEVELS = preferences.SCREENING_ALERT_LEVELS.key
SETTING_START = preferences.SCREENING_START.key


# ----- settings -----------------------------------------------------------------------------
def cadence(reg: Register) -> str:
    value = preferences.SCREENING_CADENCE.read(reg)
    return value if value in CADENCES else WEEKLY


def value_label(value: str) -> str:
    """A stored status or resolution way (未化解, 已移交, 人民调解 …) in the current language;
    free text (a transfer target, a way the station added) as stored."""
    return _(value) if value in _VALUE_MSGIDS else value


def cadence_label(value: str) -> str:
    return _(CADENCE_LABELS.get(value, value))


def set_cadence(reg: Register, value: str) -> None:
    """Station head: weekly (default), half-monthly or monthly screening."""
    reg.require_role("head")
    if value not in CADENCES:
        raise ValidationError(_("请选择排查周期：每周、每半月或每月。"), "cadence")
    reg.change_settings({SETTING_CADENCE: value})


def grace_days(reg: Register) -> int:
    return preferences.SCREENING_GRACE_DAYS.read(reg)


def set_grace_days(reg: Register, days: int) -> None:
    reg.require_role("head")
    if not 0 <= days <= 15:
        raise ValidationError(_("报送宽限天数应在0到15天之间。"), "grace_days")
    reg.change_settings({SETTING_GRACE: days})


def risk_levels(reg: Register) -> list[str]:
    """The configured scale, most serious first (default 红/橙/黄/蓝, docs/domain.md §5.3)."""
    return codes.labels(reg, "risk_level")


def alert_levels(reg: Register) -> list[str]:
    """Risk levels that stand out on the home screen: a setting, else the two most serious."""
    chosen = preferences.SCREENING_ALERT_LEVELS.read(reg)
    return list(chosen) if chosen else risk_levels(reg)[:2]


def set_alert_levels(reg: Register, levels: list[str]) -> None:
    reg.require_role("head")
    known = set(risk_levels(reg))
    if not levels or any(level not in known for level in levels):
        raise ValidationError(_("请从风险等级中选择需要提醒的等级。"), "alert_levels")
    reg.change_settings({SETTING_ALERT_LEVELS: list(levels)})


def tracking_start(reg: Register) -> date:
    """First day screening is expected: a setting, else the day the station was set up."""
    value = preferences.SCREENING_START.read(reg)
    if value:
        return date.fromisoformat(value)
    created = reg.scalar("SELECT min(created_at) FROM stations WHERE code = ?",
                         (reg.station_code,))
    return date.fromisoformat(str(created)[:10]) if created else reg.clock().date()


def set_tracking_start(reg: Register, day: date) -> None:
    reg.require_role("head")
    reg.change_settings({SETTING_START: day.isoformat()})


def today(reg: Register) -> date:
    return reg.clock().date()


def current_period(reg: Register, day: date | None = None) -> Period:
    return period_containing(cadence(reg), day or today(reg))


# ----- who may report for which grid -----------------------------------------------------------
def may_enter(reg: Register, grid: station.Grid) -> bool:
    """Clerk and head: every grid. A liaison: grids assigned to them, and grids of their
    villages. County reviewers only read."""
    actor = reg.actor
    if actor.role in ("clerk", "head"):
        return True
    if actor.role == "liaison":
        return grid.liaison_id == actor.user_id or grid.village_id in actor.village_ids
    return False


def entry_grids(reg: Register) -> list[station.Grid]:
    """The grids the signed-in user may report for, in village order."""
    return [g for g in station.grids(reg) if may_enter(reg, g)]


def find_grid(reg: Register, grid_id: str) -> station.Grid:
    for g in station.grids(reg):
        if g.id == grid_id:
            return g
    raise ValidationError(_("找不到该网格。"), "grid")


def require_grid(reg: Register, grid_id: str) -> station.Grid:
    """The grid, if the signed-in user may enter its screening; refused otherwise."""
    reg.require_writable()
    g = find_grid(reg, grid_id)
    if not may_enter(reg, g):
        raise PermissionDenied(_("您只能为分配给自己的网格填报排查（{village}{grid}不在其中）。")
                               .format(village=g.village_name, grid=g.name))
    return g


# ----- month locks ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthLock:
    month: str
    locked: bool
    issued_at: str | None
    issued_by: str
    reopened_at: str | None
    reopened_by: str
    reopen_reason: str
    id: str = ""


def lock_row(reg: Register, month: str) -> Row | None:
    rows = reg.rows("SELECT * FROM month_locks WHERE station_code = ? AND month = ?"
                    " AND deleted = 0", (reg.station_code, month))
    return rows[0] if rows else None


def month_lock(reg: Register, month: str) -> MonthLock | None:
    r = lock_row(reg, month)
    if r is None:
        return None
    return MonthLock(r["month"], bool(r["locked"]), r["issued_at"], r["issued_by"],
                     r["reopened_at"], r["reopened_by"], r["reopen_reason"], r["id"])


def is_locked(reg: Register, month: str) -> bool:
    return bool(reg.scalar("SELECT locked FROM month_locks WHERE station_code = ? AND month = ?"
                           " AND deleted = 0", (reg.station_code, month)))


def require_open_month(reg: Register, month: str) -> None:
    """Refuse any change dated in a month whose sheet has been issued."""
    if is_locked(reg, month):
        year, mon = parse_month(month)
        raise TransitionError(_(
            "{year}年{month}月的矛盾纠纷排查表已出具，该月已锁定，不能再修改。"
            "如确需更正，请站长先重新打开该月并说明理由。").format(year=year, month=mon))
