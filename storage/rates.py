"""A rate that keeps its numerator and denominator (docs/domain.md §7.3): the printed report and
the spreadsheet show both, and the formula is written beside it."""

from __future__ import annotations

from dataclasses import dataclass

from storage.i18n import _


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator

    @property
    def fraction(self) -> float | None:
        """0..1, for a spreadsheet cell formatted as a percentage."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    def text(self) -> str:
        p = self.percent
        return "—" if p is None else _("{p}（{n}/{d}）").format(
            p=f"{p:.1f}%", n=self.numerator, d=self.denominator)

    def __add__(self, other: Rate) -> Rate:
        """Pooled: a county total is the townships' numerators over their denominators."""
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)
