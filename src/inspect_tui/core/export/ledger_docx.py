"""The 整改台账 as a Word document: A4 landscape (a ledger has many columns), the title and scope,
the counts in one line, then one table row per rectification, the branch's evidence of the fix in
its last column (photos as captioned thumbnails, other files by name and size). The page, fonts and table helpers are the notice's (docx.py)."""

from __future__ import annotations

from ...texts import Words, words
from ..numbers import percent_text
from .docx import TITLE_FONT, _Doc, attachments
from .ledger import Ledger, LedgerRow
from .ledger_xlsx import note_text, scope_text, status_text

HEADER = ("doc.col.number", "ledger.col.branch_unit", "doc.col.item", "doc.col.found", "doc.col.requirement",
          "ledger.col.person", "doc.col.deadline", "ledger.col.status", "ledger.col.overdue_days",
          "ledger.col.report", "ledger.col.closing", "ledger.col.evidence")
WIDTHS_CM = (0.9, 2.4, 2.8, 3.4, 3.4, 1.5, 1.9, 1.4, 1.2, 2.8, 2.4, 2.7)  # 26.8 cm: A4 across, less 1.45 cm margins
THUMB_CM = WIDTHS_CM[-1] - 0.6  # the cell's margins: LibreOffice lets a wider picture overflow


def _landscape(doc: _Doc) -> None:
    from docx.enum.section import WD_ORIENT

    section = doc.doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = doc.Cm(29.7), doc.Cm(21)
    section.left_margin = section.right_margin = doc.Cm(1.45)
    section.top_margin = section.bottom_margin = doc.Cm(1.6)


def _cells(number: int, row: LedgerRow, w: Words) -> tuple[str, ...]:
    where = w("doc.branch_unit", branch=row.branch, unit=row.unit) if row.unit else row.branch
    item = w("doc.notice.item_within", item=row.text, where=" › ".join(row.path)) if row.path else row.text
    report = w("ledger.report_on", report=row.report, date=w.date(row.report_date)) if row.report else ""
    closing = w("ledger.closed_line", by=row.closed_by, date=w.date(row.closed_at)) if row.status == "closed" else ""
    closing = "\n".join(part for part in (closing, note_text(row, w)) if part)
    days = w("ledger.days", days=row.overdue_days) if row.overdue_days else ""
    return (str(number), where, item, row.finding or "—", row.requirement, row.person, w.date(row.deadline),
            status_text(row, w), days, report, closing, "")


def render(ledger: Ledger, lang: str = "zh") -> bytes:
    w = words(lang)
    title = w("ledger.title_of", branch=ledger.branch) if ledger.branch else w("ledger.title")
    doc = _Doc(title, "", f"{title}　{w('ledger.today')} {w.date(ledger.today)}", w)
    _landscape(doc)
    doc.para(title, size=18, bold=True, align="center", font=TITLE_FONT, space_after=8)
    doc.para(w("ledger.scope_line", scope=scope_text(ledger, w), today=w.date(ledger.today)), size=11, space_after=2)
    c = ledger.counts
    doc.para(w("ledger.counts_line", total=c.total, closed=c.closed, reported=c.reported, open=c.open,
               overdue=c.overdue, rate=percent_text(c.rate)), size=11, bold=True, space_after=8)
    if not ledger.rows:
        doc.para(w("ledger.nothing"), size=11)
        return doc.save()
    table = doc.table(tuple(w(key) for key in HEADER), WIDTHS_CM)
    for number, row in enumerate(ledger.rows, 1):
        added = doc.add_row(table, _cells(number, row, w), numeric=(0, 8))
        if row.evidence:
            attachments(doc, added.cells[-1], row.evidence, w, width_cm=THUMB_CM)
    return doc.save()
