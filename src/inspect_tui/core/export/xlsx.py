"""The summary as an Excel workbook (openpyxl): 扣分汇总, 明细 and 检查信息, or one of many sessions.

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
    """One streamed worksheet. Rows are collected first, because openpyxl writes the column
    widths and the frozen pane before the first row, and the widths depend on every row."""

    def __init__(self, book: Any, title: str, header: Sequence[str], numeric: Sequence[bool]) -> None:
        self.book, self.title, self.header, self.numeric = book, title, list(header), list(numeric)
        self.rows: list[list[Cell]] = []
        self.bold_rows: set[int] = set()  # indexes into rows (a 合计 line)
        self._widths: dict[str, int] = {}  # item texts repeat in every session: measure each once
        self._firsts: dict[str, int] = {}

    def add(self, row: list[Cell], bold: bool = False) -> None:
        if bold:
            self.bold_rows.add(len(self.rows))
        self.rows.append(row)

    def _width(self, text: str) -> int:
        known = self._widths.get(text)
        if known is None:
            known = self._widths[text] = width(text)
        return known

    def _natural(self, value: Cell) -> int:
        """The width a cell asks for: its first line, no more than MAX_WIDTH + 1."""
        if not isinstance(value, str):
            return 0 if value is None else len(str(value))
        known = self._firsts.get(value)
        if known is None:
            known = self._firsts[value] = self._width(value.split("\n", 1)[0][: MAX_WIDTH + 1])
        return known

    def _lines(self, value: Cell, columns: float) -> int:
        """How many lines a wrapped cell takes in a column `columns` wide."""
        if not isinstance(value, str) or (2 * len(value) < columns and "\n" not in value):
            return 1  # the common case, decided without measuring
        return sum(max(1, -(-self._width(line) // max(1, int(columns) - 1))) for line in value.split("\n"))

    def write(self, styles: "_Styles", landscape: bool = True, fit: bool = False, caption: str = "",
              widths: dict[int, int] | None = None) -> None:
        """Write the sheet; `fit` scales it to one page wide when printed, `caption` is the
        printed page header, `widths` fixes some columns' widths (index → characters)."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        ws = self.book.create_sheet(self.title)
        sizes: list[float] = []
        wrapped: set[int] = set()  # text columns with a line break or capped in width
        for index, name in enumerate(self.header):
            if self.numeric[index]:
                natural = max(NUMBER_WIDTH, width(name))
            else:
                column = [r[index] for r in self.rows]
                natural = max([width(name)] + [self._natural(v) for v in column])
                if natural > MAX_WIDTH or any(isinstance(v, str) and "\n" in v for v in column):
                    wrapped.add(index)
            sizes.append((widths or {}).get(index) or min(natural, MAX_WIDTH) + 2)
            ws.column_dimensions[get_column_letter(index + 1)].width = sizes[-1]
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        if fit:
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        if caption:
            ws.oddHeader.center.text = clean(caption).replace("&", "&&")  # "&" starts a header code

        def cell(value: Cell, style: str | None) -> Any:
            """A cell of its own, for a style or for text that openpyxl would mistake for a
            formula ("=…") or an error code ("#N/A"): typed as a string explicitly."""
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"
            if style is not None:
                c.style = style
            return c

        def text(value: str) -> str:
            value = clean(value)
            return value if len(value) <= MAX_CELL else value[: MAX_CELL - 8] + "…(已截断)"

        ws.append([cell(h, styles.header) for h in self.header])
        for index, row in enumerate(self.rows):
            # Excel and LibreOffice do not grow a row for wrapped text when they open a file, so
            # a row of several lines is given its height here (15 points a line, as Excel's own).
            lines = max((self._lines(row[i], sizes[i]) for i in wrapped), default=1)
            if lines > 1:
                ws.row_dimensions[index + 2].height = min(409, 15 * lines + 2)
            bold = index in self.bold_rows
            # Wrapping and top alignment show only in a row of several lines, so only such a row
            # (or a 合计) is styled: a styled cell costs openpyxl twice a plain one.
            styled = bold or lines > 1
            out: list[Any] = []
            for col, value in enumerate(row):
                if value is None or value == "":
                    out.append(None)  # no cell at all: most of a 明细 sheet is empty notes
                elif self.numeric[col]:
                    out.append(cell(value, styles.bold_number if bold else styles.number) if styled else value)
                else:
                    value = text(value)
                    if styled:
                        out.append(cell(value, styles.bold if bold else styles.wrap))
                    elif value[0] in "=#":
                        out.append(cell(value, None))
                    else:
                        out.append(value)  # openpyxl's own fast path: one cell object reused
            ws.append(out)
        if self.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(self.header))}{len(self.rows) + 1}"


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
        number = NamedStyle("数字", alignment=Alignment(vertical="top"))
        bold_number = NamedStyle("合计数字", font=Font(bold=True), alignment=Alignment(vertical="top"))
        for style in (header, wrap, bold, number, bold_number):
            book.add_named_style(style)
        self.header, self.wrap, self.bold = "表头", "换行", "合计"
        self.number, self.bold_number = "数字", "合计数字"


def _book() -> tuple[Any, _Styles]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    return book, _Styles(book)


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _caption(summary: Summary) -> str:
    """The printed page header: which branch, which standard, which day."""
    h = summary.header
    return f"{branch_line(summary)} · {h.checklist_title} · {h.date}"


def _info_sheet(book: Any, styles: "_Styles", summary: Summary) -> None:
    """检查信息: the header of the inspection, one field a row, on a sheet of its own so that the
    tables stay tables (a filter, a pivot) and a long note wraps in a wide column."""
    sheet = _Sheet(book, "检查信息", ["项目", "内容"], [False, False])
    for line in _info(summary):
        sheet.add(line)
    sheet.write(styles, landscape=False, fit=True, widths={0: 12, 1: 80})


def _info(summary: Summary) -> list[list[Cell]]:
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
    return sheet


def render(summary: Summary, what: str = "summary") -> bytes:
    """One session: 扣分汇总 + 明细, or the 整改清单 for `what="rectification"`."""
    book, styles = _book()
    if what == "rectification":
        sheet = _Sheet(book, "整改清单", [c[0] for c in RECT_COLUMNS], [c[2] for c in RECT_COLUMNS])
        for n, row in enumerate(summary.rectification, 1):
            sheet.add(rect_cells(n, row, summary.scored))
        sheet.write(styles, fit=True, caption=f"整改清单 · {_caption(summary)}")
        _info_sheet(book, styles, summary)
        return _save(book)
    _deductions_sheet(book, summary).write(styles, landscape=False, fit=True, caption=_caption(summary))
    detail = _Sheet(book, "明细", [c[0] for c in ITEM_COLUMNS], [c[2] for c in ITEM_COLUMNS])
    for row in summary.items:
        detail.add(item_cells(row, summary.scored))
    detail.write(styles, caption=_caption(summary))
    _info_sheet(book, styles, summary)
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
