"""The summary as CSV: one row per item, for an office that rolls the figures into Excel.

- UTF-8 with a byte-order mark: Excel on Chinese Windows reads a CSV without one as GBK and shows
  mojibake; with it, Excel, WPS and LibreOffice all read UTF-8.
- Cells that Excel would take for a formula (starting with = + - @, or a tab or carriage return
  that some importers strip before looking) get a leading apostrophe. A note such as
  `=HYPERLINK("http://…")` then shows as text instead of a live link or a command (CSV injection).
  Numbers are ours, never user text, and are written as plain numbers.
- The header row is in Chinese, the columns those of the xlsx 明细 sheet (`common.ITEM_COLUMNS`).
- The summary's item table is followed by an empty row and the score line (得分, then the same
  sentence as every other format: `common.score_line`, 暂定 with what is still open).
- With a self-assessment attached, that is followed by an empty row and the block
  自查与检查对照: a title row, the two scores (a header row, then 自查, 检查, 差值) and, after
  another empty row, the items where they differ (a header row, then one row each). No item row
  is ever empty, so a program that wants the items only stops at the first empty row.
- Last (after the items, the things to put right, or the 自查 block), an empty row and the block
  基本情况: a title row, a header row (项目, 填报情况, 单位) and one row per fact, 未填 where it
  was left blank.
"""

from __future__ import annotations

import csv
import io
from typing import Iterable

from ...texts import Words, words
from .common import (
    ITEM_COLUMNS, RECT_COLUMNS, Cell, cell_value, fact_header, fact_rows, headers, item_cells, rect_cells, score_line,
    self_diff_block, self_lines, self_scores_block,
)
from .model import Summary

BOM = "\ufeff"
# The ASCII triggers and their full-width forms, which some spreadsheet locales accept as well.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula, made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cells(row: Iterable[Cell]) -> list[Cell]:
    return ["" if value is None else neutralise(cell_value(value)) for value in row]


def _table(header: list[str], rows: Iterable[list[Cell]], summary: Summary, w: Words, selfcheck: bool = True) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, what Excel writes itself
    writer.writerow(header)
    writer.writerows(_cells(row) for row in rows)
    if selfcheck:  # the summary table: the score in the words of every other format, 暂定 while items are open
        writer.writerow([])
        writer.writerow(_cells([w("doc.col.score"), score_line(summary, w)]))
    sc = summary.selfcheck if selfcheck else None
    if sc is not None:  # 自查与检查对照, below the items: see the module's notes
        writer.writerow([])
        writer.writerow(_cells([w("doc.self.title"), *self_lines(sc, w)]))
        for index, block in enumerate((self_scores_block(sc, summary.scores.scored, w), self_diff_block(sc, summary.scores.scored, w))):
            header_, _, block_rows = block
            if index:
                writer.writerow([])
            writer.writerow(header_)
            writer.writerows(_cells(row) for row in block_rows)
    if summary.facts:  # 基本情况, last: see the module's notes
        writer.writerow([])
        writer.writerow([w("doc.facts.title")])
        writer.writerow(fact_header(w))
        writer.writerows(_cells(row) for row in fact_rows(summary, w))
    return out.getvalue().encode("utf-8")


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    w = words(lang)
    if what == "rectification":
        return _table(
            headers(RECT_COLUMNS, w),
            (rect_cells(n, row, summary.scores.scored, w) for n, row in enumerate(summary.rectification, 1)),
            summary, w, selfcheck=False,
        )
    return _table(
        headers(ITEM_COLUMNS, w),
        (item_cells(row, summary.scores.scored, w) for row in summary.items),
        summary, w,
    )
