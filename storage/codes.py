"""Classification tables (content categories, purposes, forms, occupations, handling units,
legal channels, dispute types, risk levels, ethnic groups): data seeded from
``assets/seed/codes.json`` and edited by the station head — never hard-coded enums."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.errors import ValidationError
from storage.i18n import N_, _, pgettext
from storage.register import Register

SEED_FILE = Path(__file__).resolve().parent.parent / "assets" / "seed" / "codes.json"

KIND_LABELS = {
    "content_category": N_("内容分类"),
    "purpose": N_("信访目的"),
    "form": N_("信访形式"),
    "occupation": N_("职业"),
    "handling_unit": N_("承办单位"),
    "legal_channel": N_("法定途径"),
    "dispute_type": N_("纠纷类型"),
    "risk_level": N_("风险等级"),
    "ethnic_group": N_("民族"),
}


def form_label(form: str) -> str:
    """How a matter came in, as a label (信访形式 column, receipt): the register stores the
    seeded Chinese value (来访, 来信, 来电, 网信, 代办); a value the station head added is shown
    as stored."""
    labels = {
        "来访": pgettext("信访形式", "来访"),
        "来信": pgettext("信访形式", "来信"),
        "来电": pgettext("信访形式", "来电"),
        "网信": pgettext("信访形式", "网信"),
        "代办": pgettext("信访形式", "代办"),
    }
    return labels.get(form, form)


def form_phrase(form: str) -> str:
    """How a form reads in a notice's "你于…通过{form}方式反映…" (网信 reads 网上信访)."""
    phrases = {
        "来访": pgettext("通过…方式", "来访"),
        "来信": pgettext("通过…方式", "来信"),
        "来电": pgettext("通过…方式", "来电"),
        "网信": pgettext("通过…方式", "网上信访"),
        "代办": pgettext("通过…方式", "信访联络员代办"),
    }
    return phrases.get(form, form)


@dataclass(frozen=True)
class Code:
    id: str
    kind: str
    code: str
    label: str
    parent: str
    sort: int
    active: bool


def _seed_rows() -> list[dict[str, Any]]:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for kind, values in data.items():
        if kind.startswith("_"):
            continue
        if kind == "content_category":
            for i, (first, seconds) in enumerate(values.items()):
                rows.append(dict(kind=kind, code=first, label=first, parent="", sort=i))
                for j, second in enumerate(seconds):
                    rows.append(dict(kind=kind, code=f"{first}/{second}", label=second,
                                     parent=first, sort=j))
        elif isinstance(values, dict):  # label -> description (risk levels)
            for i, (label, meaning) in enumerate(values.items()):
                rows.append(dict(kind=kind, code=label, label=label, parent=meaning, sort=i))
        else:
            for i, label in enumerate(values):
                rows.append(dict(kind=kind, code=label, label=label, parent="", sort=i))
    return rows


def seed(reg: Register) -> int:
    """Insert the seed values that are missing (inside the caller's transaction)."""
    existing = {(r["kind"], r["code"]) for r in reg.rows(
        "SELECT kind, code FROM codes WHERE station_code = ?", (reg.station_code,))}
    added = 0
    for row in _seed_rows():
        if (row["kind"], row["code"]) not in existing:
            reg.insert("codes", row)
            added += 1
    return added


def _to_code(row: dict[str, Any]) -> Code:
    return Code(row["id"], row["kind"], row["code"], row["label"], row["parent"], row["sort"],
                bool(row["active"]))


def list_codes(reg: Register, kind: str, *, parent: str | None = None,
               include_inactive: bool = False) -> list[Code]:
    sql = "SELECT * FROM codes WHERE deleted = 0 AND station_code = ? AND kind = ?"
    params: list[Any] = [reg.station_code, kind]
    if parent is not None:
        sql += " AND parent = ?"
        params.append(parent)
    if not include_inactive:
        sql += " AND active = 1"
    sql += " ORDER BY sort, label"
    return [_to_code(r) for r in reg.rows(sql, params)]


def labels(reg: Register, kind: str, *, parent: str | None = None) -> list[str]:
    return [c.label for c in list_codes(reg, kind, parent=parent)]


def categories(reg: Register) -> dict[str, list[str]]:
    """First-level content category -> its second-level labels, in display order."""
    firsts = list_codes(reg, "content_category", parent="")
    # Children point at their parent's code, which never changes; a renamed first level keeps
    # its children under its new label.
    children: dict[str, list[str]] = {c.code: [] for c in firsts}
    for c in list_codes(reg, "content_category"):
        if c.parent and c.parent in children:
            children[c.parent].append(c.label)
    return {c.label: children[c.code] for c in firsts}


def add_code(reg: Register, kind: str, label: str, *, parent: str = "") -> Code:
    reg.require_role("head")
    label = label.strip()
    if not label:
        raise ValidationError(_("名称不能为空。"), "label")
    if len(label) > 40:
        raise ValidationError(_("名称太长（最多40个字）。"), "label")
    code = f"{parent}/{label}" if kind == "content_category" and parent else label
    clash = reg.scalar(
        "SELECT count(*) FROM codes WHERE station_code = ? AND kind = ? AND code = ?",
        (reg.station_code, kind, code))
    if clash:
        raise ValidationError(_("“{label}”已经存在。").format(label=label), "label")
    sort = reg.scalar("SELECT coalesce(max(sort), -1) + 1 FROM codes WHERE station_code = ?"
                      " AND kind = ? AND parent = ?", (reg.station_code, kind, parent))
    with reg.transaction():
        row = reg.insert("codes", dict(kind=kind, code=code, label=label, parent=parent,
                                       sort=sort))
    return _to_code(row)


def rename_code(reg: Register, code_id: str, label: str) -> None:
    """Change the shown label; records keep the label they were registered with."""
    reg.require_role("head")
    label = label.strip()
    if not label or len(label) > 40:
        raise ValidationError(_("名称不能为空，最多40个字。"), "label")
    with reg.transaction():
        reg.update("codes", code_id, {"label": label})


def set_active(reg: Register, code_id: str, active: bool) -> None:
    """Retire a value (kept for old records, no longer offered) or bring it back."""
    reg.require_role("head")
    with reg.transaction():
        reg.update("codes", code_id, {"active": int(active)})
