"""Who did it, by name: the person a record or a timeline entry names, wherever it is read.

Records carry the display name of whoever acted at the moment they acted (``registered_by_name``,
``actor_name``), so the name travels in the bundle while accounts and passwords stay home. Only
when a record has no name (written before names were kept) is the station's own account table
asked — and only for its own records: at the county, or for another station's record, a login
name is never looked up among this register's accounts (both may well have a ``head``), it is
shown as the login it is, marked as that station's.
"""

from __future__ import annotations

from storage.i18n import _
from storage.register import Register


def person_name(reg: Register, station_code: str, login: str, recorded: str = "") -> str:
    """The display name for an entry made under ``login`` at ``station_code``."""
    if recorded:
        return recorded
    if not login:
        return ""
    if station_code == reg.station_code and not reg.read_only:
        name = reg.scalar("SELECT display_name FROM users WHERE username = ? AND deleted = 0",
                          (login,))
        if name:
            return str(name)
        return login
    station = reg.scalar("SELECT coalesce(nullif(short_name, ''), name) FROM stations"
                         " WHERE code = ? AND deleted = 0", (station_code,))
    return _("{login}（{station}账号）").format(login=login, station=station or station_code)


def village_name(reg: Register, village_id: str | None) -> str:
    """A village by its id, whichever station it belongs to: ids are made once, at the station
    that owns the village, so this never confuses one township's village with another's."""
    if not village_id:
        return ""
    name = reg.scalar("SELECT name FROM villages WHERE id = ?", (village_id,))
    return str(name) if name else ""
