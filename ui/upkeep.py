"""What the window starts once it is up, off the GUI thread (ui/background.py): today's backup
and ``quick_check``; and after an import, merging the search indexes' new segments
(``storage.upkeep``). Each speaks only when something is wrong (the merge not even then:
what it leaves undone is merged next time)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from storage import backup, health
from storage import upkeep as store_upkeep
from storage.db import connect
from storage.i18n import _
from ui.background import Job
from ui.context import AppContext


def start(window: QWidget, ctx: AppContext, *, take_backup: bool = True) -> list[Job]:
    """Start the background work; the jobs are kept by ``window`` (their parent)."""
    if ctx.data_dir is None or ctx.reg.path is None:
        return []
    path, data_dir = Path(ctx.reg.path), ctx.data_dir
    jobs = [Job("quick-check", lambda: health.quick_check(path), window)]
    jobs[0].done.connect(lambda problem, error: _checked(window, data_dir, problem, error))
    if take_backup:
        job = Job("daily-backup", lambda: backup.daily_backup(path, data_dir), window)
        job.done.connect(lambda _path, error: _backed_up(window, error))
        jobs.append(job)
    for job in jobs:
        job.start()
    return jobs


def merge_indexes(window: QWidget, ctx: AppContext) -> Job | None:
    """Merge what an import left unmerged, on a connection of its own, step by step (each a
    short transaction, so a clerk's save waits at most one step); stops when the window closes.
    The job is kept with the window's other background work (``upkeep_jobs``)."""
    if ctx.reg.path is None:
        return None
    path = Path(ctx.reg.path)

    def run() -> int:
        conn = connect(path)
        try:
            return store_upkeep.catch_up_quietly(conn, should_stop=job.stopping.is_set)
        finally:
            conn.close()

    job = Job("index-merge", run, window)
    jobs = getattr(window, "upkeep_jobs", None)
    if isinstance(jobs, list):
        jobs.append(job)
    return job.start()


def _checked(window: QWidget, data_dir: Path, problem: str | None,
             error: BaseException | None) -> None:
    detail = problem or (str(error) if error else None)
    if detail is None:
        health.clear_mark(data_dir)
        return
    health.mark_failed(data_dir, detail)  # the next start checks first and offers the backups
    QMessageBox.warning(window, _("登记库检查发现问题"), _(
        "后台检查发现登记库文件有损坏：{detail}\n\n"
        "请尽快关闭程序。下次启动时会再检查一次，并提供用最近的备份恢复。").format(detail=detail))


def _backed_up(window: QWidget, error: BaseException | None) -> None:
    if error is not None:
        text = error.user_text() if hasattr(error, "user_text") else str(error)
        QMessageBox.warning(window, _("自动备份没有完成"), _(
            "今天的自动备份没有完成：{error}").format(error=text))
