"""The workbook machinery every Excel document shares: a sheet written row by row with its columns
sized from what they hold (never narrower than a header's longest word, wrapping past MAX_WIDTH),
named styles, A4 page setup (landscape when the columns need it, a caption and page numbers),
and saving. openpyxl is imported only when a workbook is made. The session documents are
xlsx.py, the reports report_xlsx.py.
"""

from __future__ import annotations

import io
from typing import Any, Iterable, Sequence

from ...texts import Words
from .common import ZH, Cell, clean, width

MAX_CELL = 32_767  # Excel's limit on the characters of one cell
MAX_WIDTH = 48  # a column wider than this wraps its text instead
NUMBER_WIDTH = 4
# The most a column takes, for print: together they fit an A4 page across at a readable size
# (a 明细 sheet at MAX_WIDTH each would be shrunk to half size or split over five pages).
PRINT_WIDTH = {  # by the column's key, the same in every language
    "doc.col.id": 12, "doc.xlsx.col.session": 12, "doc.col.kind": 6, "doc.col.section": 10, "doc.col.within": 10,
    "doc.col.item": 20, "doc.col.guidance": 18, "doc.col.reasons": 16, "doc.col.findings": 16, "doc.col.override": 4,
    "doc.col.override_reason": 8, "doc.col.note": 12, "doc.col.evidence": 6, "doc.col.pending": 10,
    "doc.col.warnings": 10, "doc.col.found": 30, "doc.col.requirement": 30, "doc.col.deadline": 10,
    "doc.xlsx.col.branch": 16, "doc.xlsx.col.unit": 12, "doc.meta.checklist": 16, "doc.meta.inspectors": 10,
    "doc.meta.place": 10,
}
PORTRAIT_WIDTH = 100  # column units across an A4 page upright (more: the sheet prints landscape)
SAMPLE = 20  # sessions whose rows size the columns of a many-session workbook
SESSION_COLUMNS = ("doc.xlsx.col.session", "doc.xlsx.col.branch", "doc.meta.date")
SUMMARY_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("doc.xlsx.col.session", False), ("doc.xlsx.col.branch", False), ("doc.xlsx.col.unit", False),
    ("doc.meta.checklist", False), ("doc.xlsx.col.version", False), ("doc.meta.date", False),
    ("doc.meta.place", False), ("doc.meta.inspectors", False), ("doc.meta.status", False),
    ("doc.self.max", True), ("doc.col.deducted", True), ("doc.xlsx.col.bonus", True), ("doc.col.score", True),
    ("doc.xlsx.col.rate", True), ("doc.grade", False), ("doc.state.pass", True), ("doc.state.fail", True),
    ("doc.state.na", True), ("doc.state.none", True),
)


class Sheet:
    """One streamed worksheet: `start` with some rows to size the columns by (openpyxl writes the
    column widths and the frozen pane before the first row), then `put` rows one at a time. The
    header is given as catalogue keys ("" for a blank one), shown in `w`'s language."""

    def __init__(self, book: Any, styles: "Styles", title: str, header: Sequence[str], numeric: Sequence[bool],
                 align_top: bool = True, w: Words = ZH) -> None:
        self.ws = book.create_sheet(title)  # sheets appear in the order they are created
        self.w, self.keys = w, list(header)
        self.styles, self.header, self.numeric = styles, [w(key) if key else "" for key in header], list(numeric)
        self.align_top = align_top  # a workbook of many sessions keeps plain cells plain: see `put`
        self.sizes: list[float] = []
        self.count = 0
        self._widths: dict[str, int] = {}  # item texts repeat in every session: measure each once
        self._texts: dict[tuple[int, str], tuple[str, int]] = {}  # (column, text) → (clean text, lines)
        self._styled: dict[tuple[Cell, str | None], Any] = {}  # (value, style) → its cell, reused

    def _width(self, text: str) -> int:
        known = self._widths.get(text)
        if known is None:
            known = self._widths[text] = width(text)
        return known

    def _natural(self, value: Cell) -> int:
        """The width a cell asks for: its first line, no more than MAX_WIDTH + 1."""
        if not isinstance(value, str):
            return 0 if value is None else len(str(value))
        return self._width(value.split("\n", 1)[0][: MAX_WIDTH + 1])

    def natural(self, name: str, numeric: bool, values: Iterable[Cell]) -> int:
        """The width a column asks for: its header's, or its widest text's (first lines, uncapped)."""
        if numeric:  # a longer header wraps, but never inside an English word ("unanswered")
            return max(NUMBER_WIDTH, min(width(name), 2 * NUMBER_WIDTH), longest_word(name))
        return max([width(name)] + [self._natural(v) for v in set(values)])  # texts repeat: measure each once

    def _lines(self, value: str, columns: float) -> int:
        """How many lines a wrapped cell takes in a column `columns` wide."""
        if 2 * len(value) < columns and "\n" not in value:
            return 1  # the common case, decided without measuring
        return sum(max(1, -(-self._width(line) // max(1, int(columns) - 1))) for line in value.split("\n"))

    def start(self, sample: Sequence[Sequence[Cell]], landscape: bool | None = None, caption: str = "",
              widths: dict[int, int] | None = None) -> None:
        """Size the columns by the header and `sample` (a text wider than its PRINT_WIDTH or
        MAX_WIDTH wraps), set the page up (`landscape`: None decides by the width; `caption`: the
        printed page header; `widths`: fixed widths by column index) and write the header row."""
        from openpyxl.utils import get_column_letter

        ws = self.ws
        for index, name in enumerate(self.header):
            natural = self.natural(name, self.numeric[index], (row[index] for row in sample))
            cap = max(PRINT_WIDTH.get(self.keys[index], MAX_WIDTH), longest_word(name))  # "Evidence" whole
            self.sizes.append((widths or {}).get(index) or min(natural, cap) + 2)
            ws.column_dimensions[get_column_letter(index + 1)].width = self.sizes[-1]
        ws.freeze_panes = "A2"
        page_setup(ws, sum(self.sizes) > PORTRAIT_WIDTH if landscape is None else landscape, caption, self.w)
        tall = max((self._lines(h, size) for h, size in zip(self.header, self.sizes)), default=1)
        if tall > 1:  # a header that wraps gets its lines: no reader grows the row on opening
            ws.row_dimensions[1].height = 15 * tall + 2
        ws.append([self._cell(h, self.styles.header) for h in self.header])

    def _cell(self, value: Cell, style: str | None) -> Any:
        """A cell of its own, for a style or for text that openpyxl would take for a formula
        ("=…") or an error code ("#N/A"): such text is typed as a string explicitly."""
        from openpyxl.cell import WriteOnlyCell

        c = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"
        if style is not None:
            c.style = style
        return c

    def _styled_cell(self, value: Cell, style: str | None) -> Any:
        """The one cell for `value` in `style`: openpyxl writes an appended row at once and only
        reads a cell's value, style and place, so the same cell object can stand in every row
        (building and styling a fresh one is most of the cost of a styled cell)."""
        key = (value, style)
        cell = self._styled.get(key)
        if cell is None:
            cell = self._styled[key] = self._cell(value, style)
        return cell

    def put(self, row: Sequence[Cell], bold: bool = False) -> None:
        """Write one row. Excel and LibreOffice do not grow a row for wrapped text when they open
        a file, so a row of several lines gets its height here (15 points a line, as Excel's own),
        and (`align_top`) its cells are aligned to the top, so a row reads across from its first
        line. Only such rows' cells carry a style, and in a workbook of many sessions only the
        wrapped ones, because a styled cell costs openpyxl twice what a plain one does and such
        a workbook may hold a million cells."""
        styles = self.styles
        prepared: list[tuple[Cell, int]] = []
        for col, value in enumerate(row):
            if value is None or value == "" or self.numeric[col] or not isinstance(value, str):
                prepared.append((value, 1))  # a number (also one in a text column: a fact's value)
                continue
            known = self._texts.get((col, value))
            if known is None:  # item texts repeat in every session: prepare each once
                text = clean(value)
                if len(text) > MAX_CELL:
                    text = text[: MAX_CELL - 8] + self.w("doc.xlsx.truncated")
                known = self._texts[(col, value)] = (text, self._lines(text, self.sizes[col]))
            prepared.append(known)
        most = max((lines for _, lines in prepared), default=1)
        top = most > 1 and self.align_top
        out: list[Any] = []
        for col, (value, lines) in enumerate(prepared):
            if value is None or value == "":
                out.append(None)  # no cell at all: most of a 明细 sheet is empty notes
            elif self.numeric[col] or not isinstance(value, str):
                style = styles.bold_number if bold else styles.top if top else None
                out.append(value if style is None else self._styled_cell(value, style))
            elif bold:
                out.append(self._styled_cell(value, styles.bold))
            elif lines > 1:
                out.append(self._styled_cell(value, styles.wrap))
            elif top:
                out.append(self._styled_cell(value, styles.top))
            elif value[0] in "=#":
                out.append(self._cell(value, None))
            else:
                out.append(value)  # openpyxl's own fast path: one cell object reused
        self.count += 1
        if most > 1:
            self.ws.row_dimensions[self.count + 1].height = min(409, 15 * most + 2)
        self.ws.append(out)

    def heading(self, header: Sequence[str], numeric: Sequence[bool]) -> None:
        """After an empty row, the header (as shown, not keys) of a second table below the first;
        the rows `put` after it are that table's (`numeric` its columns)."""
        self.ws.append([])
        self.ws.append([self._cell(h, self.styles.header) if h else None for h in header])
        self.count += 2
        self.numeric = list(numeric)

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        if self.count:
            self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.header))}{self.count + 1}"


def longest_word(header: str) -> int:
    """The longest English word of a header (0 for Chinese, which wraps between any characters)."""
    return max((len(part) for part in header.split() if part.isascii()), default=0)


def page_setup(ws: Any, landscape: bool, caption: str, w: Words = ZH) -> None:
    """A4, one page wide and as long as it takes, the header row on every page, margins for a
    binder, whose it is at the top and the page number at the foot."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.8, bottom=0.7, header=0.3, footer=0.3)  # inches
    ws.print_options.horizontalCentered = True
    if caption:
        ws.oddHeader.center.text = clean(caption).replace("&", "&&")  # "&" starts a header code
        ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = w("doc.xlsx.footer")
    ws.oddFooter.center.size = 9


def add_table(book: Any, styles: "Styles", title: str, header: Sequence[str], numeric: Sequence[bool],
           rows: list[list[Cell]], w: Words, bold_last: bool = False, **layout: Any) -> None:
    """A whole small sheet at once (`header` as catalogue keys)."""
    sheet = Sheet(book, styles, title, header, numeric, w=w)
    sheet.start(rows, **layout)
    for index, row in enumerate(rows):
        sheet.put(row, bold=bold_last and index == len(rows) - 1)
    sheet.finish()


class Styles:
    """Named styles, registered once per workbook: a cell then carries a name, not its own copy."""

    def __init__(self, book: Any) -> None:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        thin = Side(style="thin", color="999999")
        header = NamedStyle("表头", font=Font(bold=True), fill=PatternFill("solid", fgColor="DDE4EE"),
                            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                            border=Border(bottom=thin))
        wrap = NamedStyle("换行", alignment=Alignment(wrap_text=True, vertical="top"))
        top = NamedStyle("顶端", alignment=Alignment(vertical="top"))
        bold = NamedStyle("合计", font=Font(bold=True), alignment=Alignment(wrap_text=True))
        bold_number = NamedStyle("合计数字", font=Font(bold=True))
        for style in (header, wrap, top, bold, bold_number):
            book.add_named_style(style)
        self.header, self.wrap, self.top, self.bold, self.bold_number = "表头", "换行", "顶端", "合计", "合计数字"


def new_book() -> tuple[Any, Styles]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    return book, Styles(book)


def save_book(book: Any) -> bytes:
    """The workbook's bytes. What `book.save` does, with a faster deflate: the sheets of a large
    workbook are tens of megabytes of XML, and level 1 packs them in a third of the time of the
    default level for a file a few percent larger."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(book, archive).save()
    return out.getvalue()
