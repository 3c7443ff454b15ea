"""The statistics as plain data (for ``--json`` and anything else headless): every figure with
its name, unit, value — a rate with numerator, denominator and percent — formula, 同比 and 环比."""

from __future__ import annotations

from typing import Any

from storage.rates import Rate
from storage.statistics.assessment import Assessment, indicator_label
from storage.statistics.compare import Change
from storage.statistics.definitions import DEFINITIONS, MAIN
from storage.statistics.figures import Figures
from storage.statistics.report import Report


def value_data(value: int | Rate | Change) -> Any:
    if isinstance(value, Rate):
        return {"numerator": value.numerator, "denominator": value.denominator,
                "percent": None if value.percent is None else round(value.percent, 2)}
    if isinstance(value, Change):
        return change_data(value)
    return value


def change_data(c: Change) -> dict[str, Any]:
    return {"base": c.base, "change": None if c.diff is None else round(c.diff, 2),
            "percent": None if c.percent is None else round(c.percent, 2),
            "reason": c.reason}


def figures_data(f: Figures) -> dict[str, Any]:
    return {"period": f.period.key, "first": f.period.first.isoformat(),
            "last": f.period.last.isoformat(),
            "figures": {k: value_data(f.value(k)) for k in DEFINITIONS},
            "by_form": f.by_form, "by_category": f.by_category, "by_village": f.by_village,
            "replies": f.replies, "ratings": f.ratings, "mediation": f.mediation}


def report_data(r: Report) -> dict[str, Any]:
    figures = {}
    for key, d in DEFINITIONS.items():
        entry: dict[str, Any] = {"label": d.name, "unit": d.unit,
                                 "value": value_data(r.current.value(key)),
                                 "formula": d.formula_text}
        if key in MAIN:
            entry["yoy"] = change_data(r.yoy(key))
            entry["mom"] = change_data(r.mom(key))
        figures[key] = entry
    return {"period": r.period.key, "label": r.period.label(),
            "first": r.period.first.isoformat(), "last": r.period.last.isoformat(),
            "stations": list(r.stations), "figures": figures,
            "by_form": r.current.by_form, "by_category": r.current.by_category,
            "by_village": r.current.by_village, "replies": r.current.replies,
            "ratings": r.current.ratings, "mediation": r.current.mediation,
            "reconciles": r.current.reconciles(),
            "year_before": figures_data(r.year_before)["figures"],
            "previous": figures_data(r.previous)["figures"]}


def assessment_data(a: Assessment) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any]:
        return {"code": r.code, "name": r.name,
                "values": {k: value_data(v) for k, v in r.values.items()},
                "ranks": r.ranks}

    return {"period": a.period.key,
            "indicators": {k: indicator_label(k) for k in a.rows[0].values} if a.rows else {},
            "townships": [row(r) for r in a.rows], "total": row(a.total),
            "missing_bundles": [{"code": m.code, "name": m.name, "months": m.months,
                                 "text": m.text()} for m in a.missing]}
