"""The statistics tables and the case list as ``Sheet``s for ``printing.spreadsheet``: the
figures of a period with 同比/环比 (each rate's formula and numerator/denominator in its cell's
note), the breakdowns by channel, category and village, the county assessment with ranks, and
the matters of a list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from printing.spreadsheet import Cell, Column, Kind, Sheet
from storage import codes, petitions, statistics
from storage.i18n import _
from storage.masking import mask_id_number
from storage.register import Register


def value_cell(value: int | statistics.Rate, formula: str) -> Cell:
    """A count as an integer; a rate as a percentage (its fraction), "—" without a base; the
    note: numerator/denominator and the formula."""
    if isinstance(value, statistics.Rate):
        note = f"{value.numerator}/{value.denominator}\n{formula}"
        if value.fraction is None:
            return Cell("—", note, Kind.TEXT)
        return Cell(value.fraction, note, Kind.PERCENT)
    return Cell(value, formula, Kind.INT)


def _change_cells(c: statistics.Change, is_rate: bool) -> list[object]:
    """change (a rate: percentage points), percent, and the reason for a "—"."""
    diff: object = "—" if c.diff is None else (
        Cell(round(c.diff, 1), None, Kind.FLOAT) if is_rate else Cell(int(c.diff), None, Kind.INT))
    pct: object = "—" if c.percent is None else Cell(round(c.percent / 100, 4), None,
                                                     Kind.PERCENT)
    return [diff, pct, c.reason]


def figures_sheet(report: statistics.Report, caption: Sequence[str]) -> Sheet:
    columns = [Column(_("指标"), 16), Column(_("单位"), 6), Column(_("本期"), 10),
               Column(_("上年同期"), 10), Column(_("同比增减"), 10), Column(_("同比%"), 9),
               Column(_("同比说明"), 18), Column(_("上期"), 10), Column(_("环比增减"), 10),
               Column(_("环比%"), 9), Column(_("环比说明"), 18), Column(_("口径"), 60)]
    rows: list[list[object]] = []
    for key, d in statistics.DEFINITIONS.items():
        row: list[object] = [d.name, _(d.unit) if d.unit else _("比率"),
                             value_cell(report.current.value(key), d.formula_text),
                             value_cell(report.year_before.value(key), d.formula_text)]
        row += _change_cells(report.yoy(key), d.is_rate)
        row.append(value_cell(report.previous.value(key), d.formula_text))
        row += _change_cells(report.mom(key), d.is_rate)
        row.append(d.formula_text)
        rows.append(row)
    return Sheet(_("统计指标"), columns, rows, caption=[
        *caption, _("比率单元格的批注写明分子/分母和计算口径；比率的增减为百分点。"
                    "本期、上期、上年同期均按各自期末的状态计算。")])


def breakdown_sheet(title: str, label: str, now: dict[str, int], before: dict[str, int],
                    caption: Sequence[str]) -> Sheet:
    keys = list(now) + [k for k in before if k not in now]
    rows: list[list[object]] = [[k, now.get(k, 0), before.get(k, 0),
                                 now.get(k, 0) - before.get(k, 0)] for k in keys]
    rows.append([_("合计"), sum(now.values()), sum(before.values()),
                 sum(now.values()) - sum(before.values())])
    return Sheet(title, [Column(label, 18), Column(_("本期"), 10, Kind.INT),
                         Column(_("上年同期"), 10, Kind.INT), Column(_("同比增减"), 10, Kind.INT)],
                 rows, caption=list(caption))


def assessment_sheet(a: statistics.Assessment, caption: Sequence[str]) -> Sheet:
    columns = [Column(_("乡镇"), 14)]
    for key in statistics.ASSESSED:
        note = (_("信访总量与上年同期相比的增减百分比") if key == "total_yoy"
                else statistics.definition(key).formula_text)
        columns += [Column(statistics.indicator_label(key), 12, note=note),
                    Column(_("名次"), 6, Kind.INT)]
    rows: list[list[object]] = []
    for r in [*a.rows, a.total]:
        line: list[object] = [r.name]
        for key in statistics.ASSESSED:
            value = r.values[key]
            if isinstance(value, statistics.Change):
                line.append(Cell("—", value.reason, Kind.TEXT) if value.percent is None else
                            Cell(round(value.percent / 100, 4),
                                 _("信访总量 {now} 件次，上年同期 {base}").format(
                                     now=int(value.value or 0), base=int(value.base or 0)),
                                 Kind.PERCENT))
            else:
                line.append(value_cell(value, statistics.definition(key).formula_text))
            rank = r.ranks.get(key)
            line.append(None if r.code == statistics.TOTAL else ("—" if rank is None else rank))
        rows.append(line)
    missing = [m.text() for m in a.missing] or [_("各乡镇本期数据包均已收到。")]
    return Sheet(_("乡镇考核"), columns, rows, caption=[
        *caption, *missing,
        _("名次：信访总量、同比、初件、重件、集体访、越级访少者在前，各比率高者在前；“—”不参加排名。")])


def statistics_sheets(report: statistics.Report, station_name: str, made_on: date,
                      assessment: statistics.Assessment | None = None) -> list[Sheet]:
    caption = [_("{station} {period}信访统计（制表日期：{day}）").format(
        station=station_name, period=report.period.label(), day=made_on.isoformat())]
    cur, old = report.current, report.year_before
    sheets = [figures_sheet(report, caption),
              breakdown_sheet(_("按信访形式"), _("信访形式"), cur.by_form, old.by_form, caption),
              breakdown_sheet(_("按内容分类"), _("内容分类"), cur.by_category, old.by_category,
                              caption),
              breakdown_sheet(_("按问题属地"), _("问题属地"), cur.by_village, old.by_village,
                              caption)]
    if assessment is not None:
        sheets.append(assessment_sheet(assessment, caption))
    return sheets


def case_list_sheet(reg: Register, ids: Sequence[str], title: str = "") -> Sheet:
    """The matters of a list (the case page's columns), ID numbers masked (§8)."""
    columns = [Column(_("编号"), 22), Column(_("信访人"), 10), Column(_("身份证号"), 20),
               Column(_("形式"), 6), Column(_("信访日期"), 11, Kind.DATE),
               Column(_("内容分类"), 16), Column(_("概况"), 50), Column(_("状态"), 10),
               Column(_("办理期限"), 11, Kind.DATE), Column(_("初/重"), 6)]
    rows: list[list[object]] = []
    for r in petitions.list_rows(reg, list(ids)):
        rows.append([r["number"], r["petitioner"],
                     mask_id_number(r["id_number"]) if r["id_number"] else "",
                     codes.form_label(r["form"]), r["received_on"],
                     "/".join(x for x in (r["category1"], r["category2"]) if x), r["summary"],
                     petitions.status_label(r["status"]), r["due_date"] or "",
                     petitions.value_label(r["repeat_kind"] or "")])
    return Sheet(_("信访件清单"), columns, rows, caption=[title] if title else [])
