"""Compacting the register (整理登记库): the file written again by SQLite, table by table, so that
each table's and each index's pages lie together and the pages left free by deletions and
migrations are given back (docs/architecture.md §7).

Why: a register that grew by ten years of monthly imports, or that a migration rewrote, keeps
its rows where they happened to land. A month's figures then read their rows from all over a
ten-gigabyte file: at a million matters the monthly report read 282 MB to use 54 MB (the disk
reads ahead of every scattered page), 1.2 s instead of 0.85 s when the file is not in memory.
Written again, the same report reads 66 MB.

How, so that nothing can be lost:

1. under the folder's exclusive lock (refused while a window or a command has the register
   open), after the write-ahead log is checkpointed into the file and found empty;
2. ``VACUUM INTO`` a file beside the register (``….compact.part``; refused beforehand when the
   disk has not the room for it) — the register itself is only read;
3. the copy is checked: ``quick_check``, the records of every table, the schema version, the
   application id and the head of the audit chain all as in the register;
4. only then it replaces the register by a rename (atomic: a power cut leaves the old file or
   the new one, never a mixture; a ``.part`` left behind is swept at the next open).

The records, the audit log and its head are the same before and after (the chain is over the
records' contents, not where they lie in the file), so the anchor beside the register stays
valid and nothing is written to the audit log.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from storage import anchor, restore
from storage.datalock import register_alone
from storage.errors import Cancelled, KnownStorageError, storage_failure
from storage.i18n import _
from storage.regfile import (
    DamagedRegisterError,
    check_is_register,
    fsync_dir,
    read_header,
    read_only_uri,
)

if TYPE_CHECKING:
    from storage.register import Register

log = logging.getLogger(__name__)

DB_NAME = "register.sqlite3"  # = storage.db.DB_NAME (db imports restore, which this imports)
PART_SUFFIX = ".compact.part"  # a "*.part": swept by the next open if a kill left it
#: room kept free on the disk beyond the copy itself (the log, the backups, the next save)
SPARE_BYTES = 64 * 1024 * 1024
#: SQLite calls the progress handler every this many virtual-machine steps
_STEPS = 20_000

#: ``progress(done, total)`` in bytes of the copy written; False: stop (nothing is changed)
Progress = Callable[[int, int], bool | None]


@dataclass(frozen=True)
class Layout:
    """How much of the file holds data: what a compaction would write, and what it would free."""

    size: int  # bytes of the file
    used: int  # bytes of its pages in use (what the copy will hold)

    @property
    def free(self) -> int:
        return max(0, self.size - self.used)

    @property
    def worth_compacting(self) -> bool:
        """A twentieth of the file free, and at least 64 MB — what a migration that rewrote a
        table leaves (m017: 0.8 GB of 9.6 GB at a million matters) — enough to be worth minutes
        of work. (How scattered the pages are is not counted: SQLite does not say.)"""
        return self.free >= max(self.size // 20, 64 * 1024 * 1024)


@dataclass(frozen=True)
class CompactResult:
    size_before: int
    size_after: int
    seconds: float
    counts: dict[str, int]

    def summary(self) -> str:
        """What was done, in plain words."""
        return "\n".join([
            _("登记库已整理：{before} → {after}，用时{time}。").format(
                before=human_size(self.size_before), after=human_size(self.size_after),
                time=human_seconds(self.seconds)),
            _("整理前后核对一致：{figures}，审计链头相同，数据库检查正常。").format(
                figures=restore.describe_counts(self.counts)),
        ])


def human_size(n: int) -> str:
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.2f} GB"
    if n >= 1024 ** 2:
        return f"{n / 1024 ** 2:.1f} MB"
    return f"{-(-n // 1024)} KB"  # rounded up: a page in use is never "0 KB"


def human_seconds(s: float) -> str:
    if s < 60:
        return _("{n}秒").format(n=max(1, round(s)))
    return _("{m}分{s}秒").format(m=int(s // 60), s=int(s % 60))


def layout(conn: sqlite3.Connection) -> Layout:
    """The file's size and the part of it in use, from SQLite's page counts."""
    page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    return Layout(page * pages, page * (pages - free))


def describe(conn: sqlite3.Connection) -> dict[str, Any]:
    """What must be the same before and after: the records of every table, the migrations, the
    application id and the audit chain's head."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {
        "counts": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
        "migrations": [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations ORDER BY name")],
        "application_id": conn.execute("PRAGMA application_id").fetchone()[0],
        "audit_head": anchor.head_of_copy(conn),
    }


def compact(data_dir: Path, progress: Progress | None = None) -> CompactResult:
    """Write the register in ``data_dir`` again, compact (see the module doc). Refused with a
    plain :class:`KnownStorageError` — and nothing changed — while it is in use, when the disk
    is too full, when it is damaged or when the copy is not what the register holds;
    :class:`Cancelled` when ``progress`` answers False."""
    data_dir = Path(data_dir)
    live = data_dir / DB_NAME
    part = data_dir / (DB_NAME + PART_SUFFIX)
    if not live.is_file():
        raise KnownStorageError(_("数据目录 {path} 中没有登记库文件，无法整理。").format(
            path=data_dir))
    lock = register_alone(data_dir, _(
        "登记库正在使用中（信访工作台窗口或其他命令正打开着它），现在不能整理。"
        "请先关闭其他信访工作台窗口和命令，再整理。"))
    started = time.monotonic()
    try:
        restore.finish_interrupted(data_dir)  # a restore decided before a kill comes first
        part.unlink(missing_ok=True)
        try:
            before, size_before = _copy(live, part, progress)
            after = _verify(part, before)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        _swap(live, part)
    finally:
        lock.release()
    result = CompactResult(size_before, live.stat().st_size, time.monotonic() - started,
                           after["counts"])
    log.info("register compacted: %d -> %d bytes in %.0f s", result.size_before,
             result.size_after, result.seconds)
    return result


def compact_open(reg: Register, progress: Progress | None = None) -> CompactResult:
    """For the window, which holds the register open: close ``reg``, compact its folder, and
    open the register again into ``reg`` (the signed-in user and the clock stay) — also when
    the compaction was refused or cancelled, so the window goes on either way."""
    if reg.path is None:
        raise KnownStorageError(_("内存中的登记库不需要整理。"))
    data_dir = reg.path.parent
    reg.close()
    # until it is open again, whatever asks for the register is told so in plain words (a
    # timer of the window, say) instead of meeting a closed connection
    reg.conn = reg.db = cast(Any, _Away())
    try:
        result = compact(data_dir, progress)
    except BaseException:
        _reopen(reg, data_dir, done=False)
        raise
    _reopen(reg, data_dir, done=True)
    return result


class NotReopened(KnownStorageError):
    """Compacted (or not), but the register could not be opened again: the window must close."""


def _reopen(reg: Register, data_dir: Path, *, done: bool) -> None:
    from storage.db import open_register

    try:
        reg.adopt(open_register(data_dir, clock=reg.clock, password_hasher=reg.password_hasher,
                                check_after_crash=False))
    except (KnownStorageError, OSError, sqlite3.Error) as exc:
        detail = exc.user_text() if isinstance(exc, KnownStorageError) else str(exc)
        text = (_("登记库已整理，但没能重新打开：{error}\n请关闭程序后再打开。") if done else
                _("登记库没有整理，也没能重新打开：{error}\n请关闭程序后再打开。"))
        raise NotReopened(text.format(error=detail)) from exc


def rewriting(reg: Register) -> bool:
    """Whether ``reg`` is closed while ``compact_open`` writes its file anew (the window's idle
    lock waits: signing in again needs the register)."""
    return isinstance(reg.conn, _Away)


class _Away:
    """Stands in for the register's connection while its file is written anew."""

    in_transaction = False

    def __getattr__(self, name: str) -> Any:
        raise KnownStorageError(_("登记库正在整理，请稍候再操作。"))

    def close(self) -> None:
        pass


def _copy(live: Path, part: Path, progress: Progress | None) -> tuple[dict[str, Any], int]:
    """Checkpoint the register, describe it, and write its compact copy to ``part``."""
    header = read_header(live)
    try:
        conn = sqlite3.connect(str(live), timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        raise _plain(exc, live) from exc
    failed: list[BaseException] = []
    try:
        try:
            check_is_register(conn, live, header)
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                raise KnownStorageError(_("登记库正被其他程序读取，现在不能整理，请稍后再试。"))
            before = describe(conn)
            shape = layout(conn)
            _need_room(live.parent, shape.used)
            if progress is not None:
                if progress(0, shape.used) is False:
                    raise Cancelled()
                failed = _report_progress(conn, part, shape.used, progress)
            conn.execute("VACUUM INTO ?", (str(part),))
            conn.set_progress_handler(None, 0)
        except sqlite3.OperationalError as exc:
            if failed:
                raise failed[0] from exc
            if "interrupt" in str(exc):
                raise Cancelled() from exc
            raise _plain(exc, live) from exc
        except sqlite3.DatabaseError as exc:  # the register's own pages could not be read
            raise DamagedRegisterError(_(
                "登记库文件有损坏，不能整理（{error}）。请先运行“检查”，需要时用备份恢复。").format(
                    error=exc)) from exc
    finally:
        conn.close()
    wal = Path(f"{live}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # cannot be: the checkpoint emptied the log and nobody else may write; a log left now
        # would be replayed into the new file
        raise KnownStorageError(_("登记库的日志文件没有清空，现在不能整理，请稍后再试。"))
    try:
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
    except OSError as exc:
        raise _plain(exc, part) from exc
    return before, shape.size


def _report_progress(conn: sqlite3.Connection, part: Path, total: int,
                     progress: Progress) -> list[BaseException]:
    """Call ``progress`` as the copy grows; the list returned receives what ``progress``
    raised (SQLite would only say "interrupted": a bug must not pass for a Cancel)."""
    failed: list[BaseException] = []

    def step() -> int:
        try:
            done = part.stat().st_size
        except OSError:
            done = 0
        try:
            return 1 if progress(min(done, total), total) is False else 0
        except BaseException as exc:
            failed.append(exc)
            return 1

    conn.set_progress_handler(step, _STEPS)
    return failed


def _need_room(directory: Path, used: int) -> None:
    free = shutil.disk_usage(directory).free
    need = used + SPARE_BYTES
    if free < need:
        raise KnownStorageError(_(
            "磁盘空间不足：整理需要 {need} 空闲空间，现在只有 {free}。登记库没有被改动。"
            "请清理磁盘后再整理。").format(need=human_size(need), free=human_size(free)))


def _verify(part: Path, before: dict[str, Any]) -> dict[str, Any]:
    """The copy passes ``quick_check`` and holds what the register held."""
    try:
        conn = sqlite3.connect(read_only_uri(part), uri=True)
        try:
            quick = "; ".join(str(r[0]) for r in conn.execute("PRAGMA quick_check(5)"))
            after = describe(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _plain(exc, part) from exc
    if quick != "ok" or after != before:
        log.error("compact copy differs: quick_check %s; before %s; after %s", quick, before,
                  after)
        raise KnownStorageError(_("整理出的副本与登记库不一致，已放弃整理，登记库没有被改动。"))
    return after


def _swap(live: Path, part: Path) -> None:
    """The verified copy replaces the register. The old log and its index go first: neither may
    ever be read against the new file."""
    try:
        Path(f"{live}-shm").unlink(missing_ok=True)
        Path(f"{live}-wal").unlink(missing_ok=True)  # empty (checked in _copy)
        os.chmod(part, 0o600)
        os.replace(part, live)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _plain(exc, live) from exc
    fsync_dir(live.parent)


def _plain(exc: BaseException, path: Path) -> KnownStorageError:
    known = storage_failure(exc, path)
    if known is not None:
        return KnownStorageError(_("整理没有完成，登记库没有被改动：{error}").format(
            error=known.user_text()))
    return KnownStorageError(_("整理没有完成，登记库没有被改动：{error}").format(error=exc))


__all__ = ["PART_SUFFIX", "CompactResult", "Layout", "NotReopened", "compact", "compact_open", "describe",
           "human_size", "layout", "rewriting"]
