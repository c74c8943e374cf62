"""The 整改台账 as an Excel workbook: the counts first (统计), then the ledger, one row per
rectification, every column a filter can work on (workbook.py's sheets: sized, A4, landscape)."""

from __future__ import annotations

from typing import Any

from ...texts import Words, words
from .common import Cell
from .ledger import Ledger, LedgerRow
from .workbook import add_table, new_book, save_book, Sheet

COLUMNS: tuple[tuple[str, bool], ...] = (  # (catalogue key, numeric)
    ("doc.col.number", True), ("doc.xlsx.col.unit", False), ("doc.xlsx.col.branch", False), ("doc.meta.date", False),
    ("doc.col.id", False), ("doc.col.item", False), ("doc.col.found", False), ("doc.col.requirement", False),
    ("ledger.col.person", False), ("doc.col.deadline", False), ("ledger.col.status", False),
    ("ledger.col.overdue_days", True), ("ledger.col.report", False), ("ledger.col.report_date", False),
    ("ledger.col.closed_by", False), ("ledger.col.closed_at", False), ("ledger.col.note", False),
    ("ledger.col.evidence", False), ("doc.xlsx.col.session", False),
)
WIDE = {6: 30, 7: 30, 12: 24, 16: 16, 17: 24}  # by column index: the long texts wrap at these widths


def scope_text(ledger: Ledger, w: Words) -> str:
    """Which rows the ledger holds, in words: the branch, or all, and each filter given."""
    f = ledger.filters
    parts = [ledger.branch or (w("ledger.scope.some", count=ledger.sessions) if ledger.sessions else w("ledger.scope.all"))]
    if f.unit is not None:
        parts.append(w("ledger.scope.unit", unit=f.unit))
    if f.statuses:
        parts.append(w("ledger.scope.statuses", statuses=w.join(w(f"ledger.status.{s}") for s in f.statuses)))
    if f.since is not None:
        parts.append(w("ledger.scope.from", date=w.date(f.since.isoformat())))
    if f.until is not None:
        parts.append(w("ledger.scope.to", date=w.date(f.until.isoformat())))
    return w("doc.list_sep").join(parts)


def status_text(row: LedgerRow, w: Words) -> str:
    return w(f"ledger.status.{row.shown_status}")


def note_text(row: LedgerRow, w: Words) -> str:
    """销号说明, and why it was reopened if it was."""
    reopened = w("ledger.reopened", reason=row.reopen_reason) if row.reopen_reason and row.status != "closed" else ""
    return "\n".join(part for part in (row.close_note, reopened) if part)


def evidence_text(row: LedgerRow, w: Words) -> str:
    return "\n".join(w("doc.attachment", name=a.name, kind=a.type_name, size=a.size_text) for a in row.evidence)


def cells(number: int, row: LedgerRow, w: Words) -> list[Cell]:
    return [number, row.unit, row.branch, row.date, row.item, row.text, row.finding, row.requirement, row.person,
            row.deadline, status_text(row, w), row.overdue_days or None, row.report, row.report_date, row.closed_by,
            row.closed_at, note_text(row, w), evidence_text(row, w), row.session]


def render(ledger: Ledger, lang: str = "zh") -> bytes:
    w = words(lang)
    book, styles = new_book()
    c = ledger.counts
    rate = None if c.rate is None else float(round(c.rate, 1))
    counts: list[list[Any]] = [
        [w("ledger.scope"), scope_text(ledger, w)], [w("ledger.today"), ledger.today],
        [w("ledger.count.total"), c.total], [w("ledger.count.closed"), c.closed],
        [w("ledger.count.reported"), c.reported], [w("ledger.count.open"), c.open],
        [w("ledger.count.overdue"), c.overdue], [w("ledger.count.rate"), rate],
    ]
    caption = w("ledger.title_of", branch=ledger.branch) if ledger.branch else w("ledger.title")
    add_table(book, styles, w("ledger.sheet.counts"), ("ledger.title", ""), (False, False), counts, w, caption=caption)
    sheet = Sheet(book, styles, w("ledger.sheet.rows"), [key for key, _ in COLUMNS], [n for _, n in COLUMNS], w=w)
    rows = [cells(n, row, w) for n, row in enumerate(ledger.rows, 1)]
    sheet.start(rows[:200], landscape=True, caption=f"{caption}　{w('ledger.today')} {ledger.today}", widths=WIDE)
    for row in rows:
        sheet.put(row)
    sheet.finish()
    return save_book(book)
