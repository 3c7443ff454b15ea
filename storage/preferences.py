"""Every station setting a register reads with a default: its key, its type and its default, in
one table. Readers ask the table (``MASK_NAMES.read(reg)``), never ``reg.setting(key, default)``
themselves, so a default is written down once (tests/storage/test_preferences.py reads the whole
source tree to hold that).

Most of these are the station head's preferences, changed through ``Register.change_settings``
(设置 → 其他设置, the screening rules, …); ``station_code`` and ``mode`` are set once, at set-up.
Settings without a default — the sync keys, document-number counters — are internal state and
stay with the code that keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

from storage.i18n import DEFAULT_LANGUAGE

T = TypeVar("T")


class SettingsSource(Protocol):
    """What a preference is read from: a ``Register`` (or the county's township view of one)."""

    def setting(self, key: str, default: Any = None) -> Any: ...


_MISSING = object()  # "no row for this key", told apart from a stored JSON null


@dataclass(frozen=True)
class Preference(Generic[T]):
    """One setting: ``parse`` turns the stored JSON value into ``T`` (the same conversion every
    reader applied before the table existed); ``default`` is what a register without the row
    reads."""

    key: str
    default: T
    parse: Callable[[Any], T]

    def read(self, reg: SettingsSource) -> T:
        stored = reg.setting(self.key, _MISSING)
        return self.default if stored is _MISSING else self.parse(stored)

    def stored(self, reg: SettingsSource) -> T | None:
        """The value set at this station, or None when it was never set (the caller then has a
        better answer than the default, e.g. the language the program was started in)."""
        stored = reg.setting(self.key, _MISSING)
        return None if stored is _MISSING else self.parse(stored)


def _text(value: Any) -> str:
    """Optional text: nothing stored, null or empty all read as ""."""
    return str(value) if value else ""


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _text_mapping(value: Any) -> Mapping[str, str]:
    return MappingProxyType({str(key): str(item) for key, item in value.items()}
                            if isinstance(value, dict) else {})


# ----- set at set-up --------------------------------------------------------------------------
STATION_CODE = Preference("station_code", "", str)
#: "township", "county" or "liaison"
MODE = Preference("mode", "township", str)

# ----- 设置 → 其他设置 ---------------------------------------------------------------------------
#: docs/domain.md §7.2: 5 or more people (含5人) make a collective visit (UNCONFIRMED, hence a setting)
COLLECTIVE_THRESHOLD = Preference("collective_threshold", 5, int)
MASK_ID_NUMBERS = Preference("mask_id_numbers", True, bool)
MASK_PHONES = Preference("mask_phones", True, bool)
MASK_NAMES = Preference("mask_names", False, bool)
#: minutes without a key press or mouse move before the screen locks
IDLE_LOCK_MINUTES = Preference("idle_lock_minutes", 15, int)
LANGUAGE = Preference("language", DEFAULT_LANGUAGE, str)

# ----- screening (set on the screening page or the command line) -----------------------------
#: storage.screening's WEEKLY, HALF_MONTHLY or MONTHLY; anything else reads as weekly
SCREENING_CADENCE = Preference("screening_cadence", "weekly", str)
#: the report of a week is due by the Monday after it
SCREENING_GRACE_DAYS = Preference("screening_grace_days", 1, int)
#: risk levels that stand out on the home page; none chosen: the two most serious
SCREENING_ALERT_LEVELS: Preference[tuple[str, ...]] = Preference(
    "screening_alert_levels", (), _texts)
#: ISO date screening is expected from; none: the day the station was set up
SCREENING_START = Preference("screening_start", "", _text)

# ----- mediation ------------------------------------------------------------------------------
#: none: derived from the office name (花园镇人民政府 → 花园镇人民调解委员会)
MEDIATION_COMMITTEE = Preference("mediation_committee", "", _text)
#: days after the agreement's performance deadline (else its signing) the follow-up is due
MEDIATION_FOLLOWUP_DAYS = Preference("mediation_followup_days", 15, int)

# ----- 积案 rules (docs/domain.md §10.2; set on the 包案督办 page) ------------------------------
#: a matter still unanswered this many days after its handling limit (60 days + extension)
#: becomes 积案; a negative number switches the rule off
BACKLOG_OVERDUE_DAYS = Preference("backlog_overdue_days", 0, int)
#: this many repeat visits (重复访) about one open matter make it 积案; 0 switches the rule off
BACKLOG_REPEAT_VISITS = Preference("backlog_repeat_visits", 3, int)
#: a petitioner who asked for 复查 or 复核 (did not accept the answer) makes the matter 积案
BACKLOG_REVIEW = Preference("backlog_review", True, bool)

# ----- sync (county) --------------------------------------------------------------------------
#: a month's bundle is due by this day of the following month (at most the 28th)
BUNDLE_DUE_DAY = Preference("sync.due_day", 10, int)

# ----- printed documents ----------------------------------------------------------------------
#: the first character of document numbers; none: the first of the station's short name
DOCUMENT_NUMBER_PREFIX = Preference("docno_prefix", "", _text)
#: the organ one level up that takes a 复查 request (printed in the 答复意见书)
REVIEW_ORGAN = Preference("review_organ", "", _text)
#: the organ that decided the earlier 复核, named in the 不再受理告知书
REREVIEW_ORGAN = Preference("rereview_organ", "", _text)
#: units copied on every 答复意见书 (抄送), besides the handling unit
REPLY_COPIES_TO: Preference[tuple[str, ...]] = Preference("reply_copies_to", (), _texts)
#: {legal channel: competent organ} overriding the generic organs, e.g.
#: {"劳动人事争议仲裁": "苏州市姑苏区劳动人事争议仲裁委员会"}
LEGAL_CHANNEL_ORGANS = Preference("legal_channel_organs", _text_mapping({}), _text_mapping)

#: The table: every setting read with a default, by key.
PREFERENCES: Mapping[str, Preference[Any]] = MappingProxyType({p.key: p for p in (
    STATION_CODE, MODE, COLLECTIVE_THRESHOLD, MASK_ID_NUMBERS, MASK_PHONES, MASK_NAMES,
    IDLE_LOCK_MINUTES, LANGUAGE, SCREENING_CADENCE, SCREENING_GRACE_DAYS, SCREENING_ALERT_LEVELS,
    SCREENING_START, MEDIATION_COMMITTEE, MEDIATION_FOLLOWUP_DAYS, BUNDLE_DUE_DAY,
    DOCUMENT_NUMBER_PREFIX, REVIEW_ORGAN, REREVIEW_ORGAN, REPLY_COPIES_TO, LEGAL_CHANNEL_ORGANS,
    BACKLOG_OVERDUE_DAYS, BACKLOG_REPEAT_VISITS, BACKLOG_REVIEW)})
