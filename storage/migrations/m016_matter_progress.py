"""Each matter's progress day by day, so that a period's figures read one row per matter
instead of every event it ever had (issue 17: at a million matters with their accept, reply
and rate events, the events behind one month took 0.6–0.9 s of a 2 s report).

``matter_progress`` holds, for every day on which a matter had an event that the figures read
(accept, not_accept, not_reaccept, reply, extend, rate), what those events add up to from the
first day *through* that day: the first acceptance, refusals and reply, the reply's result,
the days of extension and the latest rating. Each row holds from its ``day`` until (excluded)
the matter's next such day, ``until`` (9999-12-31 for the last), which is its key with the
matter: as of any day D a matter's figures are the one row
with ``day <= D < until``, found by one probe of the key — exactly the aggregate
``statistics.figures`` took of the events up to D before, for any period (a month, a quarter,
any range), and the same month a year before.

The table is derived and never synced or audited: triggers on ``matter_events`` rebuild a
matter's rows inside the statement that changed one of its events (every writer — the desk,
corrections, voiding, an import, a direct edit — keeps it current; a matter has a handful of
such events), and ``check`` compares it with the events (``storage.matter_progress``).
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

KINDS = "'accept', 'not_accept', 'not_reaccept', 'reply', 'extend', 'rate'"

COLUMNS = ("matter_id, day, until, accepted_on, not_accepted_on, not_reaccepted_on,"
           " replied_on, result, extension, rating")


def progress_select(where: str) -> str:
    """The progress rows of the matters ``where`` selects (a condition on ``matter_events``):
    each day's events, then running aggregates over the matter's days. Only what cannot be
    derived from the rest is kept (the first decision and conclusion are the earliest of three
    days each): a month at a million matters reads ~180,000 of these rows, and their pages are
    most of what a cold report reads."""
    return (
        "SELECT matter_id, day, until, accepted_on, not_accepted_on, not_reaccepted_on,"
        " replied_on, result, extension,"
        # the rating of "day time rating": what follows the second space
        " substr(substr(rated, instr(rated, ' ') + 1),"
        " instr(substr(rated, instr(rated, ' ') + 1), ' ') + 1) AS rating"
        " FROM (SELECT matter_id, day,"
        # the row holds from its day until the matter's next day with an event (excluded)
        " coalesce(lead(day) OVER w, '9999-12-31') AS until,"
        " min(accepted) OVER w AS accepted_on, min(not_accepted) OVER w AS not_accepted_on,"
        " min(not_reaccepted) OVER w AS not_reaccepted_on, min(replied) OVER w AS replied_on,"
        " max(result) OVER w AS result, sum(extension) OVER w AS extension,"
        " max(rated) OVER w AS rated FROM ("
        "SELECT matter_id, occurred_on AS day,"
        " min(CASE WHEN kind = 'accept' THEN occurred_on END) AS accepted,"
        " min(CASE WHEN kind = 'not_accept' THEN occurred_on END) AS not_accepted,"
        " min(CASE WHEN kind = 'not_reaccept' THEN occurred_on END) AS not_reaccepted,"
        " min(CASE WHEN kind = 'reply' THEN occurred_on END) AS replied,"
        " max(CASE WHEN kind = 'reply' THEN json_extract(data, '$.result') END) AS result,"
        " sum(CASE WHEN kind = 'extend' THEN coalesce(json_extract(data, '$.days'), 0)"
        " ELSE 0 END) AS extension,"
        # the latest rating: the greatest "day time rating" (ISO texts sort as they happen)
        " max(CASE WHEN kind = 'rate' THEN occurred_on || ' ' || coalesce(created_at, '')"
        " || ' ' || coalesce(json_extract(data, '$.rating'), '') END) AS rated"
        f" FROM matter_events WHERE deleted = 0 AND kind IN ({KINDS}) AND {where}"
        " GROUP BY matter_id, occurred_on)"
        " WINDOW w AS (PARTITION BY matter_id ORDER BY day ROWS UNBOUNDED PRECEDING))")


def _rebuild(matters: str) -> str:
    """The trigger body that rebuilds the rows of the matters in ``matters`` (an SQL list)."""
    return (f"DELETE FROM matter_progress WHERE matter_id IN ({matters});"
            f" INSERT INTO matter_progress ({COLUMNS})"
            f" {progress_select(f'matter_id IN ({matters})')};")


@MIGRATIONS(name="m016_matter_progress")
def m016_matter_progress(db: Database) -> None:
    conn = db.conn
    conn.execute(
        "CREATE TABLE matter_progress (matter_id TEXT NOT NULL, day TEXT NOT NULL,"
        " until TEXT NOT NULL, accepted_on TEXT, not_accepted_on TEXT,"
        # result, extension and rating without a type: kept exactly as the events give them
        # (a type's affinity would turn a number into text, and ``check`` would then find the
        # row different from its events after every rebuild)
        " not_reaccepted_on TEXT, replied_on TEXT, result, extension, rating,"
        " PRIMARY KEY (matter_id, until)) WITHOUT ROWID")
    conn.execute(
        "CREATE TRIGGER matter_progress_insert AFTER INSERT ON matter_events"
        f" WHEN NEW.kind IN ({KINDS}) BEGIN {_rebuild('NEW.matter_id')} END")
    # every column a row of progress is made of (a voided event: ``deleted``)
    conn.execute(
        "CREATE TRIGGER matter_progress_update AFTER UPDATE OF matter_id, kind, occurred_on,"
        f" data, deleted, created_at ON matter_events WHEN OLD.kind IN ({KINDS})"
        f" OR NEW.kind IN ({KINDS}) BEGIN {_rebuild('OLD.matter_id, NEW.matter_id')} END")
    conn.execute(
        "CREATE TRIGGER matter_progress_delete AFTER DELETE ON matter_events"
        f" WHEN OLD.kind IN ({KINDS}) BEGIN {_rebuild('OLD.matter_id')} END")
    conn.execute(f"INSERT INTO matter_progress ({COLUMNS}) {progress_select('1')}")
