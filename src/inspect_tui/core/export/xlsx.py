"""The summary as an Excel workbook (openpyxl): 扣分汇总 and 明细, or one workbook of many sessions.

What an office needs from the file, and why each is done the way it is:
- numbers are numbers (分值, 扣分, 得分 can be summed and pivoted), never text that looks like one;
- the header row is frozen and repeats on every printed page, and 明细 has a filter;
- columns are as wide as their Chinese text (a CJK character counts as two), capped so that long
  notes wrap instead of running off the page;
- text is written as text: openpyxl would store a note beginning with "=" as a formula, so such
  a cell is typed as a string explicitly (xlsx, unlike CSV, has a cell type, no apostrophe needed).

openpyxl is imported inside the functions, so `inspect-tui` never loads it unless xlsx is asked
for. Worksheets are written in openpyxl's streaming (write-only) mode: a workbook of a thousand
sessions, a hundred thousand rows, stays within seconds and a modest amount of memory.
"""

from __future__ import annotations

import io
from typing import Any, Iterable, Sequence

from .common import (
    ITEM_COLUMNS, RECT_COLUMNS, STATES, STATUS, Cell, branch_line, clean, counts_line, item_cells, num,
    number, rect_cells, score_line, width,
)
from .model import Summary

MAX_CELL = 32_767  # Excel's limit on the characters of one cell
MAX_WIDTH = 48  # a column wider than this wraps its text instead
NUMBER_WIDTH = 8
SESSION_COLUMNS = ("检查记录编号", "支部", "检查日期")
SUMMARY_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("检查记录编号", False), ("支部", False), ("所属单位", False), ("检查表", False), ("版本", False),
    ("检查日期", False), ("检查地点", False), ("检查人员", False), ("状态", False),
    ("满分", True), ("扣分", True), ("加分", True), ("得分", True), ("得分率/符合率(%)", True),
    ("等次", False), ("符合", True), ("不符合", True), ("不适用", True), ("未检查", True),
)


class _Sheet:
    """One streamed worksheet: rows are collected first, because openpyxl writes the column
    widths and the frozen pane before the first row, and the widths depend on every row."""

    def __init__(self, book: Any, title: str, header: Sequence[str], numeric: Sequence[bool]) -> None:
        self.book, self.title, self.header, self.numeric = book, title, list(header), list(numeric)
        self.rows: list[list[Cell]] = []
        self.bold_rows: set[int] = set()  # indexes into rows (a 合计 line)
        self.tail: list[list[Cell]] = []  # label / value lines below the table, not wrapped
        self._widths: dict[str, int] = {}

    def add(self, row: list[Cell], bold: bool = False) -> None:
        if bold:
            self.bold_rows.add(len(self.rows))
        self.rows.append(row)

    def _width(self, value: Cell) -> int:
        if value is None:
            return 0
        if not isinstance(value, str):
            return len(str(value))
        known = self._widths.get(value)
        if known is None:  # item texts repeat in every session: measure each text once
            first = value.split("\n", 1)[0][: MAX_WIDTH + 1]
            known = self._widths[value] = width(first)
        return known

    def write(self, styles: "_Styles", landscape: bool = True) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        ws = self.book.create_sheet(self.title)
        columns = len(self.header)
        for index in range(columns):
            if self.numeric[index]:
                fit = max(NUMBER_WIDTH, width(self.header[index]))
            else:
                fit = max([width(self.header[index])] + [self._width(r[index]) for r in self.rows if index < len(r)])
            ws.column_dimensions[get_column_letter(index + 1)].width = min(fit, MAX_WIDTH) + 2
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

        def cell(value: Cell, style: Any) -> Any:
            if isinstance(value, str):
                value = clean(value)
                if len(value) > MAX_CELL:
                    value = value[: MAX_CELL - 8] + "…(已截断)"
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"  # "=…" typed by an inspector is text, not a formula
            if style is not None:
                c.style = style
            return c

        ws.append([cell(h, styles.header) for h in self.header])
        for index, row in enumerate(self.rows):
            bold = index in self.bold_rows
            ws.append([
                None if value is None else cell(
                    value,
                    (styles.bold_number if bold else None) if self.numeric[col] else (styles.bold if bold else styles.wrap),
                )
                for col, value in enumerate(row)
            ])
        if self.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{len(self.rows) + 1}"
        if self.tail:
            ws.append([])
            for line in self.tail:
                ws.append([cell(line[0], styles.bold), *(cell(v, None) for v in line[1:])])


class _Styles:
    """Named styles, registered once per workbook: a cell then carries a name, not its own copy."""

    def __init__(self, book: Any) -> None:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        thin = Side(style="thin", color="999999")
        header = NamedStyle("表头", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDE4EE"),
                            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                            border=Border(bottom=thin))
        wrap = NamedStyle("换行", alignment=Alignment(vertical="top", wrap_text=True))
        bold = NamedStyle("合计", font=Font(bold=True), alignment=Alignment(vertical="top", wrap_text=True))
        bold_number = NamedStyle("合计数字", font=Font(bold=True))
        for style in (header, wrap, bold, bold_number):
            book.add_named_style(style)
        self.header, self.wrap, self.bold, self.bold_number = "表头", "换行", "合计", "合计数字"


def _book() -> tuple[Any, _Styles]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    return book, _Styles(book)


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _info(summary: Summary) -> list[list[Cell]]:
    """The header of the inspection as label / value lines, below the table."""
    h = summary.header
    lines: list[list[Cell]] = [
        ["单位/支部", branch_line(summary)],
        ["检查表", f"{h.checklist_title}({h.checklist_id} {h.checklist_version})"],
        ["检查日期", h.date],
        ["检查地点", h.place],
        ["检查人员", "、".join(h.inspectors)],
        ["状态", STATUS.get(h.status, h.status)],
        ["结果", score_line(summary)],
        ["统计", counts_line(summary)],
    ]
    if not h.checklist_complete:
        lines.append(["说明", f"检查表原文不完整: {h.checklist_note}"])
    return lines


def _deductions_sheet(book: Any, summary: Summary) -> _Sheet:
    """扣分汇总: one row per section (大项), the total, and which items lost the points."""
    counts = ("pass", "fail", "na", "unanswered")
    count_names = [STATES[k if k != "unanswered" else None] for k in counts]
    by_section: dict[str, list[str]] = {}
    for row in summary.items:
        if row.leaf and row.state == "fail" and row.path:
            lost = f": 扣 {num(row.deducted)} 分" if summary.scored and row.deducted else ""
            by_section.setdefault(row.path[0], []).append(f"{row.text}{lost}")
    if summary.scored:
        header = ["大项", "满分", "扣分", "得分", *count_names, "扣分说明"]
        sheet = _Sheet(book, "扣分汇总", header, [False, True, True, True, True, True, True, True, False])
        for s in summary.sections:
            sheet.add([s.title, number(s.max), number(s.deducted), number(s.score),
                       *(s.counts.get(k, 0) for k in counts), "\n".join(by_section.get(s.title, []))])
        note = f"含加分 {num(summary.bonus)} 分" if summary.bonus else ""
        if summary.grade:
            note = "; ".join(filter(None, [note, f"等次: {summary.grade}"]))
        sheet.add(["合计", number(summary.max), number(summary.deducted), number(summary.total),
                   *(summary.counts[k] for k in counts), note], bold=True)
    else:
        header = ["大项", *count_names, "符合率(%)", "不符合项"]
        sheet = _Sheet(book, "扣分汇总", header, [False, True, True, True, True, True, False])
        for s in summary.sections:
            applicable = s.counts.get("pass", 0) + s.counts.get("fail", 0) + s.counts.get("unanswered", 0)
            rate = round(100 * s.counts.get("pass", 0) / applicable, 1) if applicable else None
            sheet.add([s.title, *(s.counts.get(k, 0) for k in counts), rate, "\n".join(by_section.get(s.title, []))])
        rate = None if summary.percent is None else round(float(summary.percent), 1)
        sheet.add(["合计", *(summary.counts[k] for k in counts), rate, summary.grade], bold=True)
    sheet.tail = _info(summary)
    return sheet


def render(summary: Summary, what: str = "summary") -> bytes:
    """One session: 扣分汇总 + 明细, or the 整改清单 for `what="rectification"`."""
    book, styles = _book()
    if what == "rectification":
        sheet = _Sheet(book, "整改清单", [c[0] for c in RECT_COLUMNS], [c[2] for c in RECT_COLUMNS])
        for n, row in enumerate(summary.rectification, 1):
            sheet.add(rect_cells(n, row, summary.scored))
        sheet.tail = _info(summary)
        sheet.write(styles)
        return _save(book)
    _deductions_sheet(book, summary).write(styles, landscape=False)
    detail = _Sheet(book, "明细", [c[0] for c in ITEM_COLUMNS], [c[2] for c in ITEM_COLUMNS])
    for row in summary.items:
        detail.add(item_cells(row, summary.scored))
    detail.write(styles)
    return _save(book)


def _session_row(summary: Summary) -> list[Cell]:
    h, s = summary.header, summary
    percent = None if s.percent is None else round(float(s.percent), 2)
    points = [number(s.max), number(s.deducted), number(s.bonus), number(s.total)] if s.scored else [None] * 4
    return [
        h.session_id, h.branch, h.unit, h.checklist_title, h.checklist_version, h.date, h.place,
        "、".join(h.inspectors), STATUS.get(h.status, h.status), *points, percent, s.grade,
        s.counts["pass"], s.counts["fail"], s.counts["na"], s.counts["unanswered"],
    ]


def render_many(summaries: Iterable[Summary], what: str = "summary") -> bytes:
    """Many sessions in one workbook: 汇总 (one row per session) and 明细 (every item of every
    session, each row led by the session's id, branch and date), or one 整改清单 of them all.

    `summaries` may be a generator: each summary is turned into rows and then let go, so memory
    holds rows, not a thousand models."""
    book, styles = _book()
    if what == "rectification":
        sheet = _Sheet(book, "整改清单", [*SESSION_COLUMNS, *(c[0] for c in RECT_COLUMNS)],
                       [False] * len(SESSION_COLUMNS) + [c[2] for c in RECT_COLUMNS])
        for summary in summaries:
            lead = [summary.header.session_id, summary.header.branch, summary.header.date]
            for n, row in enumerate(summary.rectification, 1):
                sheet.add(lead + rect_cells(n, row, summary.scored))
        sheet.write(styles)
        return _save(book)
    overview = _Sheet(book, "汇总", [c[0] for c in SUMMARY_COLUMNS], [c[1] for c in SUMMARY_COLUMNS])
    detail = _Sheet(book, "明细", [*SESSION_COLUMNS, *(c[0] for c in ITEM_COLUMNS)],
                    [False] * len(SESSION_COLUMNS) + [c[2] for c in ITEM_COLUMNS])
    for summary in summaries:
        overview.add(_session_row(summary))
        lead = [summary.header.session_id, summary.header.branch, summary.header.date]
        for row in summary.items:
            detail.add(lead + item_cells(row, summary.scored))
    overview.write(styles)
    detail.write(styles)
    return _save(book)
