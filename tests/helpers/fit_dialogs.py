"""Every dialog of the desk, each built as a clerk would open it, for the fit test
(tests/ui/test_fit.py). Add a new dialog here with one line: its name, the modes that have it
and a function ``(ctx, records, parent) -> dialog``; the test opens it on each screen size and
in each language. ``records`` makes what a dialog needs (a matter, a mediation case, a dispute)
the first time it is asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from PySide6.QtWidgets import QWidget

from storage import accounts, codes, mediation
from storage import screening as sc
from storage.db import open_register
from storage.register import Register
from tests.helpers import register_data as rd
from tests.helpers.registers import CHEAP_HASHER
from ui.context import AppContext

TOWNSHIP = ("township",)
BOTH = ("township", "county")


class Records:
    """What the dialogs are opened on, made once per test on first use."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.reg = ctx.reg

    @cached_property
    def matter(self) -> Any:
        if self.reg.mode == "county":
            row = self.reg.conn.execute(
                "SELECT id FROM matters WHERE deleted = 0 LIMIT 1").fetchone()
            return self.reg.get("matters", row[0])
        return rd.register(self.reg, rd.TODAY)

    @cached_property
    def case_file(self) -> mediation.MediationFile:
        row = self.reg.conn.execute(
            "SELECT id FROM mediations WHERE deleted = 0 LIMIT 1").fetchone()
        case_id = row[0] if row else rd.mediation_case(self.reg)["id"]
        return mediation.mediation_file(self.reg, case_id)

    @cached_property
    def dispute(self) -> dict[str, object]:
        grid = rd.grids(self.reg)["春明村一组"] if self.reg.mode == "township" else None
        assert grid is not None
        row = sc.add_dispute(self.reg, grid.id, None, sc.DisputeInput(
            type="邻里", parties=[sc.PartyInput("张喆", rd.MOBILE), sc.PartyInput("李赟")],
            summary="排水沟走向争执，院内积水", risk_level="黄"))
        return sc.dispute(self.reg, row["id"])

    @cached_property
    def head(self) -> accounts.User:
        return accounts.find_user(self.reg, "head") if self.reg.mode == "township" \
            else accounts.find_user(self.reg, self.reg.actor.username)

    def fresh_register(self) -> Register:
        """A register not yet set up (for the wizard); closed by the test."""
        return open_register(None, clock=self.reg.clock, password_hasher=CHEAP_HASHER)


Factory = Callable[[AppContext, Records, QWidget], "QWidget | None"]


@dataclass(frozen=True)
class DialogCase:
    name: str
    modes: tuple[str, ...]
    make: Factory


def _md(fn_name: str, **kw: Any) -> Factory:
    def make(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
        from ui.pages import mediation_dialogs as md
        return getattr(md, fn_name)(ctx, r.case_file, parent, **kw)  # type: ignore[no-any-return]
    return make


def _lf(fn_name: str) -> Factory:
    def make(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
        from ui.pages import leadership_forms as lf
        return getattr(lf, fn_name)(ctx, parent)  # type: ignore[no-any-return]
    return make


def _login(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
    from ui.login import LoginDialog
    return LoginDialog(ctx.reg, parent)


def _wizard(_ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.setup_wizard import SetupWizard
    wizard = SetupWizard(r.fresh_register(), parent)
    return wizard


def _case_detail(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.case_detail import CaseDetailDialog
    return CaseDetailDialog(ctx, str(r.matter["id"]), parent)


def _step(step: str) -> Factory:
    def make(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
        from ui.case_detail import StepDialog
        return StepDialog(ctx, r.matter, step, parent)
    return make


def _preview(kind: str) -> Factory:
    def make(ctx: AppContext, r: Records, parent: QWidget) -> QWidget | None:
        from ui import print_preview
        record = str(r.matter["id"]) if kind == "receipt" else "2026-02"
        return print_preview.show_document(ctx, kind, record, parent)
    return make


def _person(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.corrections import PersonDialog
    return PersonDialog(ctx, str(r.matter["petitioner_id"]), parent)


def _correct_matter(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.corrections import correct_matter_dialog
    return correct_matter_dialog(ctx, ctx.reg.get("matters", str(r.matter["id"])), parent)


def _void_case(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.corrections import void_case_dialog
    return void_case_dialog(ctx, r.case_file, parent)


def _open_case(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
    from ui.pages.mediation_dialogs import open_case_dialog
    return open_case_dialog(ctx, parent)


def _screening(cls_name: str) -> Factory:
    def make(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
        from ui.pages import screening_views as sv
        cls = getattr(sv, cls_name)
        arg = r.dispute if cls_name == "MatterDialog" else str(r.dispute["id"])
        return cls(ctx, arg, parent)  # type: ignore[no-any-return]
    return make


def _user(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
    from ui.pages.settings.users import UserDialog
    return UserDialog(ctx, None, parent)


def _password(ctx: AppContext, r: Records, parent: QWidget) -> QWidget:
    from ui.pages.settings.users import PasswordDialog
    return PasswordDialog(ctx, r.head, parent)


def _rename_code(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
    from ui.pages.settings.codes import RenameDialog
    return RenameDialog(ctx, codes.list_codes(ctx.reg, "dispute_type")[0], parent)


def _liaison_setup(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
    from ui.sync.liaison_setup import LiaisonSetupDialog
    return LiaisonSetupDialog(ctx.reg, parent)


def _ledger_import(step: int) -> Factory:
    """文件 → 导入旧台账 at its first step, or at the preview of a ledger with problems."""
    def make(ctx: AppContext, _r: Records, parent: QWidget) -> QWidget:
        import tempfile
        from pathlib import Path

        from tests.helpers import ledger as lg
        from ui.ledger_import import LedgerImportDialog

        dialog = LedgerImportDialog(ctx, parent)
        if step:
            book = lg.make(40)
            book.headers = tuple({"姓名": "来访群众"}.get(h, h) for h in book.headers)
            dialog.path.setText(str(lg.write_xlsx(book, Path(tempfile.mkdtemp()) / "l.xlsx")))
            dialog.go_next()
            dialog.combos["来访群众"].setCurrentIndex(dialog.combos["来访群众"].findData("name"))
            if step > 1:
                dialog.go_next()
        return dialog
    return make


DIALOGS: list[DialogCase] = [
    DialogCase("login", BOTH, _login),
    DialogCase("wizard", TOWNSHIP, _wizard),
    DialogCase("case detail", BOTH, _case_detail),
    *(DialogCase(f"step {s}", TOWNSHIP, _step(s)) for s in ("accept", "forward", "reply")),
    DialogCase("preview receipt", TOWNSHIP, _preview("receipt")),
    DialogCase("preview screening sheet", TOWNSHIP, _preview("screening-sheet")),
    DialogCase("person", TOWNSHIP, _person),
    DialogCase("correct matter", TOWNSHIP, _correct_matter),
    DialogCase("mediation open case", TOWNSHIP, _open_case),
    *(DialogCase(f"mediation {n}", TOWNSHIP, _md(n)) for n in (
        "edit_case_dialog", "correct_case_dialog", "party_dialog", "session_dialog",
        "agreement_dialog", "performance_dialog", "followup_dialog", "extend_dialog",
        "fail_dialog", "terminate_dialog", "judicial_dialog", "judicial_result_dialog",
        "close_dialog", "documents_dialog")),
    DialogCase("mediation void", TOWNSHIP, _void_case),
    *(DialogCase(f"screening {n}", TOWNSHIP, _screening(n))
      for n in ("ProgressDialog", "MatterDialog", "MediationDialog")),
    DialogCase("settings user", BOTH, _user),
    DialogCase("settings password", BOTH, _password),
    DialogCase("settings rename code", TOWNSHIP, _rename_code),
    *(DialogCase(f"leadership {n}", TOWNSHIP, _lf(n)) for n in (
        "leader_form", "holding_form", "backlog_add_form", "rules_form", "reception_form",
        "weekly_form", "appointment_form")),
    DialogCase("leadership assignment_form", ("county",), _lf("assignment_form")),
    DialogCase("liaison setup", TOWNSHIP, _liaison_setup),
    *(DialogCase(f"ledger import {n}", TOWNSHIP, _ledger_import(i))
      for i, n in enumerate(("file", "mapping", "preview"))),
]
