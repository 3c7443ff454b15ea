"""The monthly 矛盾纠纷排查表 (docs/domain.md §5.4), landscape A4.

- A header: the station, the month, the screening periods, whether the sheet was issued (and
  so frozen), then the counts by dispute type, by risk level and by status, the totals and how
  the grids reported.
- One row per dispute with the nineteen columns of ``storage.screening.sheet.SHEET_COLUMNS``;
  the header row repeats on every page and a row too tall for the rest of a page splits.
- The grids that made zero reports and the grids that did not report, each as a list.
- Signatures (填表人, 审核人) and the station's seal.

Names and phones of the parties are masked by the policy (phones by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from printing import fonts
from printing.layout import (
    A4_LANDSCAPE,
    GRID_COLOUR,
    HEADER_FILL,
    Column,
    SealBlock,
    build_pdf,
    chinese_date,
    chinese_month,
    data_table,
    para,
    scaled,
    styles,
    table_sheet,
)
from storage import screening
from storage.i18n import _, join_list
from storage.masking import MaskPolicy
from storage.screening import ScreeningSheet, SheetGrid, SheetRow

WIDTH = A4_LANDSCAPE.frame_width
SIZE = 7.5  # 六号: nineteen columns across a landscape page

#: Widths (points at 7.5 pt type) of the nineteen columns, in SHEET_COLUMNS order; scaled to
#: the frame. A date ("10月28日") needs 36 pt with the cell padding, a masked mobile in
#: brackets 60 pt; the running texts (简要情况, 化解措施) get the rest.
WEIGHTS = (22, 37, 46, 30, 37, 64, 22, 78, 22, 30, 58, 36, 30, 37, 36, 37, 32, 36, 42)
CENTRED = {0, 1, 6, 8, 13, 14, 15}


def short_date(iso: str, year: int) -> str:
    """``2026-05-12`` → ``5月12日`` on the sheet of 2026; other years keep the year."""
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    if d.year == year:
        return _("{m}月{d}日").format(m=d.month, d=d.day)
    return _("{y}年{m}月{d}日").format(y=d.year, m=d.month, d=d.day)


def row_cells(row: SheetRow, year: int, policy: MaskPolicy) -> tuple[str, ...]:
    """A dispute as the nineteen printed cells: dates short, parties masked, an overdue
    dispute marked in its status."""
    # One party a line: "张三（138****5678）" keeps together far better in a narrow column.
    parties = "\n".join(
        _("{name}（{phone}）").format(name=policy.name(p.name), phone=policy.phone(p.phone))
        if p.phone else policy.name(p.name) for p in row.parties)
    lines = [screening.value_label(row.status)]
    if row.overdue:
        lines.append(_("逾期"))
    if row.transfer_to and row.status == screening.TRANSFERRED:
        lines.append(row.transfer_to)
    status = "\n".join(lines)
    place = f"{row.village}\n{row.grid}" if row.village and row.grid else row.place_label
    return (str(row.seq), short_date(row.screened_on, year), place, row.screener,
            row.dispute_type, parties, str(row.persons_involved), row.summary, row.risk_level,
            join_list(row.may_cause) or _("无"), row.measures, row.responsible_unit,
            row.responsible_person, short_date(row.deadline, year), status,
            short_date(row.resolved_on, year), screening.value_label(row.resolution_way), row.followup,
            row.remarks)


def balanced(title: str, width: float, size: float = SIZE, padding: float = 6) -> str:
    """A column header broken into lines of even length ("可能\n引发", not "可能引\n发")."""
    if re.search(r"[A-Za-z]", title):
        return title  # English: the cell wraps it between words
    per_line = max(1, int((width - padding) // size))
    if len(title) <= per_line:
        return title
    if "/" in title.strip("/"):  # 村（社区）/网格: break before the slash
        head, tail = title.split("/", 1)
        return (balanced(head, width, size, padding) + "\n"
                + balanced("/" + tail, width, size, padding))
    lines = -(-len(title) // per_line)
    step = -(-len(title) // lines)
    return "\n".join(title[i:i + step] for i in range(0, len(title), step))


def columns(titles: Sequence[str], width: float = WIDTH) -> list[Column]:
    total = sum(WEIGHTS)
    return [Column(balanced(t, width * w / total), w, "centre" if i in CENTRED else "left")
            for i, (t, w) in enumerate(zip(titles, WEIGHTS, strict=True))]


def _count_table(label: str, counts: Sequence[tuple[str, int]], *, total: bool = True
                 ) -> Table:
    """Two rows: the labels and the counts, with a 合计 column."""
    s = styles()
    head = scaled(s.cell_header, SIZE + 0.5)
    cell = scaled(s.cell_centre, SIZE + 0.5)
    labels = [c for c, _n in counts] + ([_("合计")] if total else [])
    values = [str(n) for _c, n in counts] + ([str(sum(n for _c, n in counts))] if total else [])
    first = 22 * mm
    rest = (WIDTH - first) / max(1, len(labels))
    data = [[para(label, head)] + [para(balanced(x, rest, SIZE + 0.5, 12), head)
                                          for x in labels],
            [para(_("件数"), head)] + [para(x, cell) for x in values]]
    return Table(data, colWidths=[first] + [rest] * len(labels), hAlign="CENTER",
                 style=TableStyle([
                     ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
                     ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                     ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                     ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                 ]))


def _status_line(sheet: ScreeningSheet) -> str:
    if sheet.locked and sheet.issued_at:
        return _("已出表（{when}），按出表时的情况打印").format(
            when=sheet.issued_at[:16].replace("T", " "))
    return _("未出表，数据截至{when}").format(when=sheet.as_of[:16].replace("T", " "))


def header(sheet: ScreeningSheet) -> list[Flowable]:
    """The counts block under the title."""
    t, r = sheet.totals, sheet.reports
    s = styles()
    summary = _(
        "本月列入排查表的纠纷{total}件（本月新排查{new}件，上期结转{carried}件），涉及{persons}人；"
        "本月化解{resolved}件，已移交{transferred}件，尚在化解{active}件，其中逾期{overdue}件；"
        "可能引发集体访{collective}件、越级访{skip}件、民转刑{criminal}件。"
        "网格报送：应报{expected}期次，有纠纷报告{reported}期次，零报告{zero}期次，"
        "迟报{late}期次，未报{missing}期次。").format(
        total=t.total, new=t.new, carried=t.carried_over, persons=t.persons_involved,
        resolved=t.resolved_in_month, transferred=t.transferred, active=t.active,
        overdue=t.overdue, collective=t.may_collective, skip=t.may_skip_level,
        criminal=t.may_criminal, expected=r.expected, reported=r.reported, zero=r.zero,
        late=r.late, missing=r.missing)
    return [
        _count_table(_("纠纷类型"), sheet.by_type),
        Spacer(0, 3),
        _count_table(_("风险等级"), sheet.by_risk),
        Spacer(0, 3),
        _count_table(_("化解状态"), [(screening.value_label(c), n) for c, n in sheet.by_status]),
        Spacer(0, 4),
        para(summary, scaled(s.small, 9.5, 14)),
        Spacer(0, 5),
    ]


def _grid_rows(grids: Iterable[SheetGrid], *, zero: bool) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for i, g in enumerate(grids, start=1):
        periods = g.zero_periods if zero else g.missing_periods
        note = _("全月零报告") if zero and g.all_zero else ""
        if not zero and g.late_periods:
            note = _("迟报：{periods}").format(periods=join_list(g.late_periods))
        rows.append((str(i), g.village, g.grid, g.liaison or "—", join_list(periods), note))
    return rows


def grid_lists(sheet: ScreeningSheet) -> list[Flowable]:
    """零报告网格 and 未报送网格, each a small table (or "无")."""
    s = styles()
    heading = scaled(s.cell_strong, 11, 16, spaceBefore=8, spaceAfter=3, keepWithNext=1)
    cols = [Column(_("序号"), 0.5, "centre"), Column(_("村（社区）"), 1.5),
            Column(_("网格"), 1.2), Column(_("联络员"), 1.0), Column(_("期次"), 3.5),
            Column(_("备注"), 1.6)]
    out: list[Flowable] = []
    for title, grids, zero in ((_("零报告网格"), sheet.zero_report_grids, True),
                               (_("未报送网格"), sheet.missing_grids, False)):
        rows = _grid_rows(grids, zero=zero)
        out.append(para(_("{title}（{n}个）").format(title=title, n=len(rows)), heading))
        if rows:
            table = data_table(cols, rows, width=WIDTH * 0.75, size=SIZE + 0.5)
            table.hAlign = "LEFT"
            out.append(table)
        else:
            out.append(para(_("无"), scaled(s.small, 10, 14)))
    return out


def signatures(sheet: ScreeningSheet, generated: date) -> list[Flowable]:
    s = styles()
    line = para(_("填表人：＿＿＿＿＿＿　　审核人（站长）：＿＿＿＿＿＿　　填报日期：{date}"
                  ).format(date=chinese_date(generated)), scaled(s.small, 11, 16))
    seal = SealBlock(sheet.station_name, generated, size=11, diameter=32 * mm,
                     right_indent_chars=3, space_before=0)
    table = Table([[line, seal]], colWidths=[WIDTH * 0.7, WIDTH * 0.3],
                  style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("FONTNAME", (0, 0), (-1, -1), fonts.SONG),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(0, 8), table]


def sheet_story(sheet: ScreeningSheet, policy: MaskPolicy, *,
                rows: Iterable[Sequence[str]] | None = None) -> list[Flowable]:
    """The whole sheet. ``rows`` replaces the dispute rows (the benchmark feeds generated
    ones); by default they are ``sheet.rows`` as printed cells."""
    if rows is None:
        rows = [row_cells(r, sheet.year, policy) for r in sheet.rows]
    generated = date.fromisoformat(sheet.generated_at[:10])
    span = (_("{cadence}，{first}至{last}，共{n}期").format(
        cadence=sheet.cadence_label, first=sheet.periods[0].start, last=sheet.periods[-1].end,
        n=len(sheet.periods)) if sheet.periods else _("本月无排查周期"))
    info: list[tuple[str, str]] = [
        (_("填报单位"), sheet.station_name),
        (_("统计月份"), chinese_month(sheet.year, sheet.month)),
        (_("排查周期"), span),
    ]
    status = para(_("状态：{status}").format(status=_status_line(sheet)),
                  scaled(styles().small, 10, 14, spaceAfter=4))
    story = table_sheet(title=sheet.title, columns=columns(sheet.columns), rows=rows,
                        width=WIDTH, info=info, before=[status, *header(sheet)], size=SIZE)
    if not sheet.rows and not story_has_rows(story):
        story.append(para(_("本月各网格未排查到矛盾纠纷。"), scaled(styles().small, 10, 16,
                                                          spaceBefore=4)))
    lists = grid_lists(sheet)
    # The signatures never stand alone on the last page: they keep the last list (caption and
    # table, when the table is short) with them.
    last = lists[-1]
    short = not isinstance(last, Table) or len(getattr(last, "_cellvalues", ())) <= 13
    tail = lists[-2:] if short else []
    story.extend(lists[:len(lists) - len(tail)])
    story.append(KeepTogether([*tail, *signatures(sheet, generated)]))
    return story


def story_has_rows(story: Sequence[Flowable]) -> bool:
    """Whether the sheet's data table holds any row besides its header."""
    return any(isinstance(f, Table) and getattr(f, "repeatRows", 0) == 1 and len(
        getattr(f, "_cellvalues", ())) > 1 for f in story)


def build_sheet(sheet: ScreeningSheet, policy: MaskPolicy, *,
                rows: Iterable[Sequence[str]] | None = None) -> bytes:
    return build_pdf(sheet_story(sheet, policy, rows=rows), spec=A4_LANDSCAPE,
                     title=sheet.title, author=sheet.station_name, subject=sheet.month_key)


__all__ = ["build_sheet", "columns", "row_cells", "sheet_story", "short_date"]
