"""同比 and 环比 (docs/domain.md §7.5): a figure beside the same figure of a base period, as a
change and a percentage — or "—" with the reason when the base is zero or has no data.

A count changes by its difference (件); a rate by percentage points, and its percentage is the
relative change of the rate. The reason is plain words the report prints instead of a number."""

from __future__ import annotations

from dataclasses import dataclass

from storage.i18n import _
from storage.rates import Rate
from storage.statistics.figures import Figures

YOY, MOM = "yoy", "mom"


@dataclass(frozen=True)
class Change:
    value: float | None  # this period (a rate: percent)
    base: float | None  # the base period (a rate: percent); None when it has none
    diff: float | None  # value − base (a rate: percentage points)
    percent: float | None  # diff ÷ base × 100
    reason: str  # why there is no percentage ("" when there is one)

    def text(self, *, is_rate: bool = False) -> str:
        if self.diff is None:
            return _("—（{reason}）").format(reason=self.reason)
        sign = "+" if self.diff > 0 else ""
        diff = (f"{sign}{self.diff:.1f}" + _("个百分点")) if is_rate else \
            f"{sign}{int(self.diff)}"
        if self.percent is None:
            return _("{diff}（—，{reason}）").format(diff=diff, reason=self.reason)
        return f"{diff}（{'+' if self.percent > 0 else ''}{self.percent:.1f}%）"


def _as_number(value: int | Rate) -> float | None:
    return value.percent if isinstance(value, Rate) else float(value)


def change(current: Figures, base: Figures, key: str, kind: str) -> Change:
    """``key`` of ``current`` against ``base`` (``kind`` is YOY or MOM, for the reason's words)."""
    now = _as_number(current.value(key))
    has_data = base.data_from is not None and base.data_from <= base.period.last
    if not has_data:
        reason = _("上年同期无数据") if kind == YOY else _("上期无数据")
        return Change(now, None, None, None, reason)
    then = _as_number(base.value(key))
    if now is None or then is None:
        return Change(now, then, None, None,
                      _("本期无可计算的基数") if now is None else
                      (_("上年同期无可计算的基数") if kind == YOY else _("上期无可计算的基数")))
    diff = now - then
    if then == 0:
        return Change(now, then, diff, None, _("上年同期为0") if kind == YOY else _("上期为0"))
    return Change(now, then, diff, 100.0 * diff / then, "")
