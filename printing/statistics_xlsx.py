"""The statistics tables and the case list as ``Sheet``s for ``printing.spreadsheet``: the
figures of a period with 同比/环比 (each rate's formula in its cell's note), the breakdowns by
channel, category and village, the county assessment with ranks, and the matters of a list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from printing.spreadsheet import Noted, Percent, Sheet
from storage import codes, petitions, statistics
from storage.i18n import _
from storage.masking import mask_id_number
from storage.register import Register


def _change_cells(c: statistics.Change, is_rate: bool) -> list[object]:
    """change, percent (as a fraction, formatted %), and the reason for a "—"."""
    diff: object = "—" if c.diff is None else (round(c.diff, 1) if is_rate else int(c.diff))
    pct: object = "—" if c.percent is None else Percent(round(c.percent / 100, 4))
    return [diff, pct, c.reason]


def _value(value: int | statistics.Rate, d: statistics.Definition) -> object:
    return Noted(value, d.formula_text)


def figures_sheet(report: statistics.Report, heading: str) -> Sheet:
    headers = [_("指标"), _("单位"), _("本期"), _("上年同期"), _("同比增减"), _("同比%"),
               _("同比说明"), _("上期"), _("环比增减"), _("环比%"), _("环比说明"), _("口径")]
    rows: list[list[object]] = []
    for key, d in statistics.DEFINITIONS.items():
        row: list[object] = [d.name, _(d.unit) if d.unit else _("比率"),
                             _value(report.current.value(key), d),
                             _value(report.year_before.value(key), d)]
        row += _change_cells(report.yoy(key), d.is_rate)
        row.append(_value(report.previous.value(key), d))
        row += _change_cells(report.mom(key), d.is_rate)
        row.append(d.formula_text)
        rows.append(row)
    return Sheet(_("统计指标"), headers, rows, heading=heading,
                 widths=(16, 6, 10, 10, 10, 9, 16, 10, 10, 9, 16, 60),
                 notes=[_("比率单元格的批注写明分子/分母和计算口径；比率的增减为百分点。"),
                        _("本期、上期、上年同期均按各自期末的状态计算。")])


def breakdown_sheet(title: str, label: str, now: dict[str, int],
                    before: dict[str, int], heading: str) -> Sheet:
    keys = list(now) + [k for k in before if k not in now]
    rows: list[list[object]] = [[k, now.get(k, 0), before.get(k, 0),
                                 now.get(k, 0) - before.get(k, 0)] for k in keys]
    rows.append([_("合计"), sum(now.values()), sum(before.values()),
                 sum(now.values()) - sum(before.values())])
    return Sheet(title, [label, _("本期"), _("上年同期"), _("同比增减")], rows, heading=heading)


def assessment_sheet(a: statistics.Assessment, heading: str) -> Sheet:
    headers: list[str] = [_("乡镇")]
    for key in statistics.ASSESSED:
        headers += [statistics.indicator_label(key), _("名次")]
    rows: list[list[object]] = []
    for r in [*a.rows, a.total]:
        line: list[object] = [r.name]
        for key in statistics.ASSESSED:
            value = r.values[key]
            if isinstance(value, statistics.Change):
                line.append("—" if value.percent is None else
                            Noted(Percent(round(value.percent / 100, 4)),
                                  _("信访总量 {now} 件次，上年同期 {base}").format(
                                      now=int(value.value or 0), base=value.base)))
            else:
                line.append(Noted(value, statistics.definition(key).formula_text))
            rank = r.ranks.get(key)
            line.append("" if r.code == statistics.TOTAL else ("—" if rank is None else rank))
        rows.append(line)
    notes = [m.text() for m in a.missing] or [_("各乡镇本期数据包均已收到。")]
    notes.append(_("名次：信访总量、同比、初件、重件、集体访、越级访少者在前，各比率高者在前；"
                   "“—”不参加排名。"))
    return Sheet(_("乡镇考核"), headers, rows, heading=heading, notes=notes)


def statistics_sheets(report: statistics.Report, station_name: str, made_on: date,
                      assessment: statistics.Assessment | None = None) -> list[Sheet]:
    heading = _("{station} {period}信访统计（制表日期：{day}）").format(
        station=station_name, period=report.period.label(), day=made_on.isoformat())
    cur, old = report.current, report.year_before
    sheets = [figures_sheet(report, heading),
              breakdown_sheet(_("按信访形式"), _("信访形式"), cur.by_form, old.by_form, heading),
              breakdown_sheet(_("按内容分类"), _("内容分类"), cur.by_category, old.by_category,
                              heading),
              breakdown_sheet(_("按问题属地"), _("问题属地"), cur.by_village, old.by_village,
                              heading)]
    if assessment is not None:
        sheets.append(assessment_sheet(assessment, heading))
    return sheets


def case_list_sheet(reg: Register, ids: Sequence[str], title: str = "") -> Sheet:
    """The matters of a list (the case page's columns), ID numbers masked (§8)."""
    headers = [_("编号"), _("信访人"), _("身份证号"), _("形式"), _("信访日期"), _("内容分类"),
               _("概况"), _("状态"), _("办理期限"), _("初/重")]
    rows: list[list[object]] = []
    for r in petitions.list_rows(reg, list(ids)):
        rows.append([r["number"], r["petitioner"],
                     mask_id_number(r["id_number"]) if r["id_number"] else "",
                     codes.form_label(r["form"]), date.fromisoformat(r["received_on"]),
                     "/".join(x for x in (r["category1"], r["category2"]) if x), r["summary"],
                     petitions.status_label(r["status"]),
                     date.fromisoformat(r["due_date"]) if r["due_date"] else "",
                     petitions.value_label(r["repeat_kind"] or "")])
    return Sheet(_("信访件清单"), headers, rows, heading=title,
                 widths=(22, 10, 20, 6, 11, 16, 50, 10, 11, 6))
