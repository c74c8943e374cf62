"""The summary as CSV: one row per item, for an office that rolls the figures into Excel.

- UTF-8 with a byte-order mark: Excel on Chinese Windows reads a CSV without one as GBK and shows
  mojibake; with it, Excel, WPS and LibreOffice all read UTF-8.
- Cells that Excel would take for a formula (starting with = + - @, or a tab or carriage return
  that some importers strip before looking) get a leading apostrophe. A note such as
  `=HYPERLINK("http://…")` then shows as text instead of a live link or a command (CSV injection).
  Numbers are ours, never user text, and are written as plain numbers.
- The header row is in Chinese, the columns those of the xlsx 明细 sheet (`common.ITEM_COLUMNS`).
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

from .common import ITEM_COLUMNS, RECT_COLUMNS, Cell, item_cells, rect_cells
from .model import Summary

BOM = "\ufeff"
# The ASCII triggers and their full-width forms, which some spreadsheet locales accept as well.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table(header: list[str], rows: Iterable[list[Cell]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, what Excel writes itself
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return out.getvalue().encode("utf-8")


def render(summary: Summary, what: str = "summary") -> bytes:
    if what == "rectification":
        return _table(
            [name for name, _, _ in RECT_COLUMNS],
            (rect_cells(n, row, summary.scored) for n, row in enumerate(summary.rectification, 1)),
        )
    return _table(
        [name for name, _, _ in ITEM_COLUMNS],
        (item_cells(row, summary.scored) for row in summary.items),
    )
