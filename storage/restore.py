"""Restoring a backup, whatever state the register is in (docs/architecture.md §7).

The current files are never opened: the register is hard-linked (or byte-copied) into
``set-aside/<time>/`` and its ``-wal`` moved there, so a damaged file is kept as it was and its
write-ahead log can never be replayed into the restored one. The order makes a kill at any point
harmless:

1. the backup is verified completely and written beside the register as ``….restore-part``
   (a failure, a full disk, a kill: the register is untouched; the part is swept later);
2. a journal (``restore-journal.json``) is written and synced: from here the restore is decided;
3. the old files go aside, the verified copy replaces the register, the journal is removed.

A start that finds the journal finishes steps 3 (:func:`finish_interrupted`) before anything
opens the register. Restoring needs the folder's exclusive lock: it is refused while a window or
another command has the register open.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storage import anchor, backup
from storage.datalock import register_alone
from storage.errors import KnownStorageError, NewerDatabaseError
from storage.i18n import N_, _, join_list
from storage.regfile import fsync_dir, read_only_uri

log = logging.getLogger(__name__)

DB_NAME = "register.sqlite3"  # = storage.db.DB_NAME (db imports this module)
JOURNAL = "restore-journal.json"
SET_ASIDE = "set-aside"
PART_SUFFIX = ".restore-part"

# The figures the summary names, in this order (a table missing from an old backup is skipped).
SUMMARY_TABLES = (("matters", N_("信访件{n}件")), ("mediations", N_("调解案件{n}件")),
                  ("screening_reports", N_("排查报告{n}份")), ("audit_log", N_("审计记录{n}条")))


def describe_counts(counts: dict[str, int]) -> str:
    """The figures a clerk recognises, e.g. "信访件200件、调解案件18件…"."""
    return join_list(_(text).format(n=counts[t]) for t, text in SUMMARY_TABLES
                     if t in counts)


@dataclass
class RestoreResult:
    backup: Path
    taken_at: datetime | None
    reason: str
    counts: dict[str, int]
    set_aside: Path | None
    checksum_verified: bool
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What was recovered and from when, in plain words."""
        when = self.taken_at.strftime("%Y-%m-%d %H:%M") if self.taken_at else "?"
        figures = describe_counts(self.counts)
        lines = [_("已用 {when} 的备份恢复登记库（{figures}）。").format(when=when, figures=figures),
                 _("这个时间以后录入或修改的内容不在其中，需要重新录入。")]
        lines.append(_("备份的校验值已核对无误。") if self.checksum_verified else
                     _("这是旧格式的备份（没有校验值），已做完整性检查。"))
        if self.set_aside is not None:
            lines.append(_("原来的登记库文件没有删除，已移到：{path}").format(path=self.set_aside))
        return "\n".join(lines + self.notes)


def restore(backup_file: Path, data_dir: Path) -> RestoreResult:
    """Replace the register in ``data_dir`` with ``backup_file`` (see the module doc)."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise KnownStorageError(_("找不到备份文件：{path}").format(path=backup_file))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownStorageError(_("无法创建数据目录 {path}：{error}").format(
            path=data_dir, error=exc.strerror or exc)) from exc
    lock = register_alone(data_dir, _(
        "登记库正在使用中（信访工作台窗口或其他命令正打开着它），现在不能恢复。"
        "请先关闭程序窗口，再恢复备份。"))
    try:
        finish_interrupted(data_dir)
        part = data_dir / (DB_NAME + PART_SUFFIX)
        meta = backup.extract(backup_file, part)
        _refuse_newer(meta, part)
        stamp = datetime.now()
        aside = data_dir / SET_ASIDE / f"{stamp:%Y%m%d-%H%M%S-%f}"
        journal = data_dir / JOURNAL
        notes = _state_of(data_dir / DB_NAME)
        _write_journal(journal, {"part": part.name, "aside": str(aside.relative_to(data_dir))})
        kept = _complete(data_dir, json.loads(journal.read_text(encoding="utf-8")))
    finally:
        lock.release()
    parsed = backup._parse_name(backup_file)
    return RestoreResult(backup_file, parsed[0] if parsed else None,
                         parsed[1] if parsed else "", dict(meta.get("counts") or {}),
                         kept, checksum_verified="sha256" in meta, notes=notes)


def _state_of(live: Path) -> list[str]:
    try:
        size = live.stat().st_size
    except FileNotFoundError:
        return [_("原来没有登记库文件。")]
    return [_("原来的登记库文件是空的（0字节），没有可保留的内容，已删除。")] if size == 0 else []


def _refuse_newer(meta: dict[str, Any], part: Path) -> None:
    from storage.migrations import MIGRATIONS

    names = meta.get("migrations")
    if names is None:  # an old backup: read its schema from the verified copy
        import sqlite3

        conn = sqlite3.connect(read_only_uri(part), uri=True)
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
        finally:
            conn.close()
    if set(names) - {m.name for m in MIGRATIONS._migrations}:
        part.unlink(missing_ok=True)
        raise NewerDatabaseError(_(
            "这个备份是由更新版本的信访工作台做的，当前版本无法使用它。请安装新版本后再恢复，"
            "登记库没有被改动。"))


def _write_journal(journal: Path, plan: dict[str, str]) -> None:
    tmp = journal.with_name(journal.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(plan, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, journal)
    fsync_dir(journal.parent)


def _complete(data_dir: Path, plan: dict[str, str]) -> Path | None:
    """Step 3; safe to run again after a kill at any point in it."""
    live = data_dir / DB_NAME
    part = data_dir / plan["part"]
    aside = data_dir / plan["aside"]
    if part.exists():  # otherwise the copy is already in place
        aside.mkdir(parents=True, exist_ok=True)
        _keep(live, aside / DB_NAME)
        for suffix in ("-wal", "-journal"):
            _keep(Path(str(live) + suffix), aside / (DB_NAME + suffix), move=True)
        Path(str(live) + "-shm").unlink(missing_ok=True)  # an index of the old log, nothing more
        os.replace(part, live)
    fsync_dir(data_dir)
    # The chain head outside the file follows the restored register (before the journal goes,
    # so a kill here is finished by the next start too); the old one is kept aside once.
    keep_old = aside.is_dir() and not (aside / anchor.FILE_NAME).exists()
    anchor.after_restore(live, aside if keep_old else None)
    (data_dir / JOURNAL).unlink(missing_ok=True)
    fsync_dir(data_dir)
    if aside.is_dir() and not any(aside.iterdir()):
        aside.rmdir()
    return aside if aside.is_dir() else None


def _keep(src: Path, dst: Path, *, move: bool = False) -> None:
    """Put ``src`` aside as ``dst`` without opening it as a database; an empty file is dropped
    (nothing to keep)."""
    try:
        size = src.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        src.unlink()
        return
    if move:
        os.replace(src, dst)
        return
    if dst.exists():  # done before a kill
        return
    try:
        os.link(src, dst)  # the same bytes under a second name: instant, no space needed
    except OSError:
        tmp = dst.with_name(dst.name + ".part")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)


def finish_interrupted(data_dir: Path) -> bool:
    """Finish a restore a kill interrupted after it was decided; remove the part of one that
    was not. Call only under the folder's exclusive lock. True if a restore was finished."""
    journal = data_dir / JOURNAL
    part = data_dir / (DB_NAME + PART_SUFFIX)
    Path(str(journal) + ".part").unlink(missing_ok=True)
    if not journal.exists():
        part.unlink(missing_ok=True)
        return False
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        if not isinstance(plan, dict):
            raise ValueError(plan)
    except (OSError, ValueError):  # cannot be: it was written whole and synced before use
        log.warning("unreadable restore journal %s left alone", journal)
        return False
    _complete(data_dir, {k: str(v) for k, v in plan.items()})
    log.warning("finished a restore that was interrupted")
    return True


__all__ = ["JOURNAL", "SET_ASIDE", "RestoreResult", "describe_counts", "finish_interrupted",
           "restore"]
