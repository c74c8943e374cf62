"""Roll-ups and comparisons as Excel workbooks, for an office that sorts, filters and pastes on.

- One table per sheet, its header in row 1 and frozen, an auto-filter over it; every sheet of a
  roll-up carries the checklist id, so several standards in one workbook stay apart when filtered.
- Numbers are numbers (4 stays an int, 71.43 a float with a number format), never text.
- Text is text: openpyxl would store "=…" as a formula, so such a cell is forced to a string — a
  branch name typed as "=HYPERLINK(…)" is shown, never evaluated. Characters XML cannot hold are
  dropped (`common.clean`).
- openpyxl is imported inside the functions, so nobody who does not export a workbook pays for it.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any, Sequence

from ...texts import Words, words
from ..analysis.compare import Comparison
from ..analysis.rollup import Rollup
from ..text import shown_all
from .common import clean, number, status_word, width
from .workbook import PORTRAIT_WIDTH, page_setup
from .report_common import (ZH, category, change_label, changed_text, grade_text, named, provisional_note, rect_note,
                            rect_unit, scope, score_text, state)

Cell = Any


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


class _Book:
    def __init__(self, w: Words) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.w = w
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor="E8ECF2")
        self.wrap = Alignment(vertical="top", wrap_text=True)

    def sheet(self, title: str, keys: Sequence[str], rows: list[list[Cell]], formats: dict[int, str] | None = None) -> Any:
        """A sheet `title` whose header row is `keys` in the book's language."""
        from openpyxl.utils import get_column_letter

        header = [self.w(key) for key in keys]
        ws = self.book.create_sheet(title)
        widths = [width(h) + 2 for h in header]
        for col, text in enumerate(header, 1):
            cell = ws.cell(row=1, column=col, value=text)
            cell.font, cell.fill = self.bold, self.fill
        for r, row in enumerate(rows, 2):
            for col, value in enumerate(row, 1):
                if isinstance(value, str):
                    value = clean(value)
                cell = ws.cell(row=r, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=…" from a session is text, not a formula
                    cell.alignment = self.wrap
                    widths[col - 1] = max(widths[col - 1], min(60, max(width(line) for line in value.split("\n")) + 2))
                elif formats and col - 1 in formats and value is not None:
                    cell.number_format = formats[col - 1]
        for col, size in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = size
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        page_setup(ws, sum(widths) > PORTRAIT_WIDTH, title, self.w)  # A4, one page wide, as the exports
        return ws

    def info(self, title: str, lines: list[tuple[str, str]]) -> None:
        ws = self.book.create_sheet(title)
        for r, (key, value) in enumerate(lines, 1):
            ws.cell(row=r, column=1, value=key).font = self.bold
            cell = ws.cell(row=r, column=2, value=clean(value))
            cell.data_type = "s"
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 100
        page_setup(ws, False, title, self.w)
        ws.print_title_rows = None  # no header row to repeat: key, value lines

    def save(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


# -- roll-up ----------------------------------------------------------------------------------------

RANKING = ("doc.meta.checklist", "doc.rep.rank", "doc.xlsx.col.branch", "doc.xlsx.col.unit", "doc.col.score",
           "doc.self.max", "doc.self.rate", "doc.grade", "doc.meta.date", "doc.meta.status", "doc.rep.col.answered",
           "doc.rep.col.leaves", "doc.rep.col.inspections", "doc.xlsx.col.session", "doc.rep.col.score_note")
FAILED = ("doc.meta.checklist", "doc.col.id", "doc.col.item", "doc.col.section", "doc.rep.col.failed_branches",
          "doc.rep.col.share_pct", "doc.rep.col.avg_lost", "doc.xlsx.col.branch")
SECTIONS = ("doc.meta.checklist", "doc.col.id", "doc.col.section", "doc.self.max", "doc.rep.col.avg_lost",
            "doc.rep.col.avg_failed", "doc.rep.col.branches")
RECT = ("doc.xlsx.col.unit", "doc.rep.col.rect_inspections", "doc.rep.col.rect_total", "doc.rep.col.rect_closed",
        "doc.rep.col.rect_rate", "doc.rep.col.rect_open", "doc.rep.col.rect_overdue")
TRENDS = ("doc.meta.checklist", "doc.xlsx.col.branch", "doc.xlsx.col.unit", "doc.meta.date", "doc.col.score",
          "doc.self.max", "doc.self.rate", "doc.grade", "doc.meta.status", "doc.xlsx.col.session")


def rollup_xlsx(rollup: Rollup, w: Words = ZH) -> bytes:
    """排名 (ranking), 不符合项 (items failed most often), 各大项 (per section), 历次检查 (every
    inspection of every branch, by date), and 说明 (what was selected and how it was counted)."""
    book = _Book(w)
    ranking, failed, sections, trends = [], [], [], []
    for g in rollup.groups:
        # the unfinished after the ranked, 名次 "未完成": their scores are 暂定 (得分说明 says how much is open)
        for r in (*g.ranking, *g.unfinished):
            ranking.append([g.checklist_id, r.rank or w("doc.rep.unranked"), r.header.branch, r.header.unit, number(r.scores.total),
                            number(r.scores.max), _percent(r.scores.percent), grade_text(r, w) if r.scores.grade else "", r.header.date,
                            status_word(r.header.status, w), r.scores.answered, r.scores.leaves, r.inspections, r.header.id,
                            score_text(r, w=w)])
        for f in g.failed_items:
            share = round(f.count * 100 / g.branches, 2) if g.branches else None
            failed.append([g.checklist_id, f.id, f.text, f.section, f.count, share, number(f.avg_lost), w.join(f.branches)])
        for s in g.sections:
            sections.append([g.checklist_id, s.id, s.title, number(s.max), number(s.avg_lost), number(s.avg_failed), s.branches])
        for t in g.trends:
            for p in t.points:
                trends.append([g.checklist_id, t.branch, t.unit, p.header.date, number(p.scores.total), number(p.scores.max), _percent(p.scores.percent),
                               p.scores.grade, status_word(p.header.status, w), p.header.id])
    book.sheet(w("doc.rep.sheet.ranking"), RANKING, ranking, {6: "0.00"})
    book.sheet(w("doc.xlsx.col.failed"), FAILED, failed, {5: "0.00", 6: "0.##"})
    book.sheet(w("doc.rep.sheet.sections"), SECTIONS, sections, {4: "0.##", 5: "0.##"})
    book.sheet(w("doc.rep.sheet.trends"), TRENDS, trends, {6: "0.00"})
    rects = [[rect_unit(r, w), r.inspections, r.total, r.closed, number(r.rate), r.open, r.overdue]
             for r in rollup.rectifications]  # 整改率 a number (a percentage), its counts beside it
    book.sheet(w("doc.rep.sheet.rect"), RECT, rects, {4: "0.0"})
    info = [(w("doc.rep.info.report"), w("doc.rep.title")), (w("doc.rep.info.scope"), scope(rollup, w)),
            (w("doc.rep.info.sessions"), w("doc.rep.info.count", count=rollup.sessions)),
            (w("doc.rep.info.method"), w("doc.rep.method")), (w("doc.rep.info.rect_today"), rollup.today),
            (w("doc.rep.rect_title"), rect_note(rollup, w))]
    info += [(f"{g.checklist_id}", w("doc.rep.info.group", title=g.title, versions=w.join(g.versions),
                                     scoring=w("doc.rep.info.scored") if g.scored else w("doc.rep.info.unscored"),
                                     basis=w("doc.col.score") if g.rank_by == "total" else w("doc.rep.score_rate")))
             for g in rollup.groups]
    info += [(g.checklist_id, provisional_note(g, w)) for g in rollup.groups if g.provisional]
    info += [(g.checklist_id, w("reinspect.rollup", carried=g.carried, still=g.still_open)) for g in rollup.groups
             if g.carried]
    info += [(w("doc.rep.info.unreadable"), p) for p in rollup.problems]
    book.info(w("doc.xlsx.remark"), info)
    return book.save()


# -- comparison -------------------------------------------------------------------------------------

ITEMS = ("doc.col.id", "doc.col.item", "doc.col.section", "doc.rep.col.category", "doc.rep.old_result",
         "doc.rep.new_result", "doc.rep.old_deducted", "doc.rep.new_deducted", "doc.rep.col.changed",
         "doc.rep.col.old_text", "doc.rep.col.same_text", "doc.rep.col.old_note", "doc.rep.col.new_note")
SCORE_CHANGES = ("doc.col.id", "doc.col.item", "doc.rep.old_result", "doc.rep.new_result", "doc.rep.old_deducted",
                 "doc.rep.new_deducted", "doc.rep.score_change")
SECTION_CHANGES = ("doc.col.id", "doc.col.section", "doc.rep.col.old_max", "doc.rep.old_deducted", "doc.rep.old_score",
                   "doc.rep.col.new_max", "doc.rep.new_deducted", "doc.rep.new_score", "doc.rep.score_change")


def comparison_xlsx(c: Comparison, w: Words = ZH) -> bytes:
    """对比 (every leaf item with its category), 各大项 (section scores, old and new), 说明."""
    book = _Book(w)
    rows = [[r.id, r.text, r.section, category(r.category, w),
             state(r.old_state, w=w) if r.category != "added" else "",
             state(r.new_state, w=w) if r.category != "removed" else "",
             number(r.old_deducted), number(r.new_deducted), changed_text(r.changed, w), r.old_text, r.same_text_as,
             r.old_note, r.new_note] for r in c.items]
    book.sheet(w("doc.rep.sheet.comparison"), ITEMS, rows)
    rows = []
    for s in c.sections:
        old = [number(s.old.max), number(s.old.deducted), number(s.old.score)] if s.old else [None, None, None]
        new = [number(s.new.max), number(s.new.deducted), number(s.new.score)] if s.new else [None, None, None]
        rows.append([s.id, s.title, *old, *new, number(s.delta)])
    book.sheet(w("doc.rep.sheet.sections"), SECTION_CHANGES, rows)
    rows = [[line.id, change_label(line, w), state(line.old_state, w=w) if line.in_old else "",
             state(line.new_state, w=w) if line.in_new else "", number(line.old_deducted), number(line.new_deducted),
             number(line.points)] for line in c.changes]
    book.sheet(w("doc.rep.sheet.changes"), SCORE_CHANGES, rows)
    info = [(w("doc.xlsx.col.branch"), named(c.new.header.branch, c.new.header.unit, w)),
            (w("doc.rep.info.old"), f"{c.old.header.date} {c.old.header.id} {c.old.header.checklist_id} {c.old.header.checklist_version}"),
            (w("doc.rep.info.new"), f"{c.new.header.date} {c.new.header.id} {c.new.header.checklist_id} {c.new.header.checklist_version}")]
    info += [(w("doc.rep.info.note"), w.say(note)) for note in c.notes]
    info.append((w("doc.rep.changes"), w("doc.rep.change_note")))
    book.info(w("doc.xlsx.remark"), info)
    return book.save()


def render_rollup(rollup: Rollup, lang: str = "zh") -> bytes:
    return rollup_xlsx(shown_all(rollup), words(lang))  # the one escape (core/text.py)


def render_comparison(comparison: Comparison, lang: str = "zh") -> bytes:
    return comparison_xlsx(shown_all(comparison), words(lang))
