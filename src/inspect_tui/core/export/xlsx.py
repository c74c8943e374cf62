"""The summary as an Excel workbook (openpyxl): 扣分汇总, 明细 and 检查信息, or one of many sessions.

What an office needs from the file, and why each is done the way it is:
- numbers are numbers (分值, 扣分, 得分 can be summed and pivoted), never text that looks like one;
- the header row is frozen and repeats on every printed page, and 明细 has a filter;
- columns are as wide as their Chinese text (a CJK character counts as two), capped so that long
  notes wrap instead of running off the page;
- every sheet prints as an office prints it: A4, landscape where the columns are wide, one page
  wide and as many pages long as it takes (type stays readable because the widest text columns
  are capped for print, `PRINT_WIDTH`), the branch and date in the page header, 第 N 页 / 共 M 页 in
  the footer;
- text is written as text: openpyxl would store a note beginning with "=" as a formula, so such
  a cell is typed as a string explicitly (xlsx, unlike CSV, has a cell type, no apostrophe needed).

openpyxl is imported inside the functions, so `inspect-tui` never loads it unless xlsx is asked
for. Worksheets are written in openpyxl's streaming (write-only) mode: a workbook of a thousand
sessions, a hundred thousand rows, stays within seconds and a modest amount of memory.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from ...texts import Words, words
from .common import ITEM_COLUMNS, RECT_COLUMNS, STATE_KEYS, Cell, branch_line, cell_value, counts_line, fact_value, grade_text, item_cells, num, number, rect_cells, score_line, self_diff_block, self_lines, self_scores_block, status_word, FACT_HEADER
from ..text import shown_all
from .signature import amended_line, review_lines
from .model import Summary

from .workbook import MAX_WIDTH, SAMPLE, SESSION_COLUMNS, SUMMARY_COLUMNS, Sheet, Styles, add_table, new_book, save_book


def _caption(summary: Summary, w: Words) -> str:
    """The printed page header: which branch, which standard, which day."""
    h = summary.header
    return f"{branch_line(summary, w)} · {h.checklist_title} · {h.date}"


def _info_sheet(book: Any, styles: Styles, summary: Summary, w: Words) -> None:
    """检查信息: the header of the inspection, one field a row, on a sheet of its own so that the
    tables stay tables (a filter, a pivot) and a long note wraps in a wide column."""
    h = summary.header
    lines: list[list[Cell]] = [
        [w("doc.meta.branch"), branch_line(summary, w)],
        [w("doc.meta.checklist"), w("doc.xlsx.checklist", title=h.checklist_title, id=h.checklist_id,
                                    version=h.checklist_version)],
        [w("doc.meta.date"), h.date],
        [w("doc.meta.place"), h.place],
        [w("doc.meta.inspectors"), w.join(h.inspectors)],
        [w("doc.meta.status"), status_word(h.status, w)],
        [w("doc.col.result"), score_line(summary, w)],
        [w("doc.xlsx.counts"), counts_line(summary, w)],
    ]
    if not summary.checklist_complete:
        lines.append([w("doc.xlsx.remark"), w("doc.xlsx.incomplete", note=summary.checklist_note)])
    if summary.selfcheck is not None:
        lines.append([w("doc.self.title"), "\n".join(self_lines(summary.selfcheck, w))])
    lines += _signoff_rows(summary, w)
    add_table(book, styles, w("doc.xlsx.sheet.info"), ["doc.facts.label", "doc.sheet.content"], [False, False], lines,
           w, landscape=False, caption=_caption(summary, w), widths={0: 12, 1: 80})


def _signoff_rows(summary: Summary, w: Words) -> list[list[Cell]]:
    """The sign-off as rows of 检查信息 (signature.py): who signed and received, when; the review;
    已修改. None for a session not signed off."""
    s = summary.signoff
    if not s.signed:
        return []
    rows: list[list[Cell]] = [
        [w("doc.signoff.col.signers"), w.join(s.signers) if s.names_known else w("doc.signoff.names_unknown")],
        [w("doc.signoff.col.received"), s.received_by or "—"],
        [w("doc.signoff.col.signed"), s.signed_on or "—"],
    ]
    if review := review_lines(summary, w):
        rows.append([w("doc.signoff.col.review"), "\n".join(review)])
    if amended := amended_line(summary, w):
        rows.append([w("doc.signoff.col.amended"), amended])
    return rows


def _facts_sheet(book: Any, styles: Styles, summary: Summary, w: Words) -> None:
    """基本情况: each fact as entered, 未填 where it was left blank, so the figures the findings
    rest on travel with them."""
    if summary.facts:
        rows: list[list[Cell]] = [[f.label, number(f.value) if isinstance(f.value, Decimal) else fact_value(f, w), f.unit]
                                  for f in summary.facts]  # a count stays a number, to sum or compare
        title = w("doc.facts.title")
        add_table(book, styles, title, list(FACT_HEADER), [False, False, False], rows, w,
               caption=f"{title} · {_caption(summary, w)}", widths={0: 58, 1: 32, 2: 6})


def _deductions_sheet(book: Any, styles: Styles, summary: Summary, w: Words) -> None:
    """扣分汇总: one row per section (大项), the total, and which items lost the points."""
    counts = ("pass", "fail", "na", "unanswered")
    count_keys = [STATE_KEYS[k if k != "unanswered" else None] for k in counts]
    by_section: dict[str, list[str]] = {}
    for row in summary.items:
        if row.leaf and row.state == "fail" and row.path:
            lost = w("doc.xlsx.lost", points=num(row.deducted)) if summary.scores.scored and row.deducted else ""
            by_section.setdefault(row.path[0], []).append(f"{row.text}{lost}")
    rows: list[list[Cell]] = []
    if summary.scores.scored:
        header = ["doc.col.section", "doc.self.max", "doc.col.deducted", "doc.col.score", *count_keys,
                  "doc.xlsx.col.lost"]
        numeric = [False, True, True, True, True, True, True, True, False]
        for s in summary.sections:
            rows.append([s.title, number(s.max), number(s.deducted), number(s.score),
                         *(s.counts.get(k, 0) for k in counts), "\n".join(by_section.get(s.title, []))])
        note = w("doc.xlsx.bonus", bonus=num(summary.scores.bonus)) if summary.scores.bonus else ""
        if summary.scores.provisional:
            note = "; ".join(filter(None, [note, score_line(summary, w)]))  # 暂定, and what is open
        elif summary.scores.grade:
            note = "; ".join(filter(None, [note, w("doc.xlsx.grade", grade=summary.scores.grade)]))
        rows.append([w("doc.total"), number(summary.scores.max), number(summary.scores.deducted), number(summary.scores.total),
                     *(summary.scores.counts[k] for k in counts), note])
    else:
        header = ["doc.col.section", *count_keys, "doc.self.pass_rate", "doc.xlsx.col.failed"]
        numeric = [False, True, True, True, True, True, False]
        for s in summary.sections:
            applicable = s.counts.get("pass", 0) + s.counts.get("fail", 0) + s.counts.get("unanswered", 0)
            rate = round(100 * s.counts.get("pass", 0) / applicable, 1) if applicable else None
            rows.append([s.title, *(s.counts.get(k, 0) for k in counts), rate,
                         "\n".join(by_section.get(s.title, []))])
        rate = None if summary.scores.percent is None else round(float(summary.scores.percent), 1)
        rows.append([w("doc.total"), *(summary.scores.counts[k] for k in counts), rate,
                     score_line(summary, w) if summary.scores.provisional else summary.scores.grade])
    add_table(book, styles, w("doc.xlsx.sheet.deductions"), header, numeric, rows, w, bold_last=True,
           caption=_caption(summary, w))


def _selfcheck_sheet(book: Any, styles: Styles, summary: Summary, w: Words) -> None:
    """自查对照: 自查, 检查 and 差值 side by side, then the items on which the two disagree, each
    table under its own header row, the columns as wide as the wider of the two needs."""
    sc = summary.selfcheck
    assert sc is not None
    blocks = [self_scores_block(sc, summary.scores.scored, w), self_diff_block(sc, summary.scores.scored, w)]
    columns = max(len(header) for header, _, _ in blocks)
    padded = []
    for header, numeric, rows in blocks:
        extra = columns - len(header)
        padded.append(([*header, *[""] * extra], [*numeric, *[False] * extra],
                       [[cell_value(v) for v in row] + [None] * extra for row in rows]))
    sheet = Sheet(book, styles, w("doc.xlsx.sheet.selfcheck"), [""] * columns, padded[0][1], w=w)
    sheet.header = list(padded[0][0])  # the blocks' headers are already words, not keys
    widths = {index: min(max(sheet.natural(header[index], numeric[index], (row[index] for row in rows))
                             for header, numeric, rows in padded), MAX_WIDTH) + 2
              for index in range(columns)}
    sheet.start([], caption=f"{w('doc.self.title')} · {_caption(summary, w)}", widths=widths)
    for number_, (header, numeric, rows) in enumerate(padded):
        if number_:
            sheet.heading(header, numeric)
        for row in rows or ([[w("doc.none")]] if number_ else []):
            sheet.put(row)


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    """One session: 扣分汇总, 明细 (自查对照 when a self-assessment is attached) and 检查信息; or
    整改清单 and 检查信息 for "rectification"."""
    w = words(lang)
    book, styles = new_book()
    if what == "rectification":
        rows = [rect_cells(n, row, summary.scores.scored, w) for n, row in enumerate(summary.rectification, 1)]
        title = w("doc.xlsx.sheet.notice")
        add_table(book, styles, title, [c[0] for c in RECT_COLUMNS], [c[2] for c in RECT_COLUMNS], rows, w,
               caption=f"{title} · {_caption(summary, w)}")
    else:
        _deductions_sheet(book, styles, summary, w)
        rows = [item_cells(row, summary.scores.scored, w) for row in summary.items]
        add_table(book, styles, w("doc.xlsx.sheet.items"), [c[0] for c in ITEM_COLUMNS], [c[2] for c in ITEM_COLUMNS],
               rows, w, caption=_caption(summary, w))
        if summary.selfcheck is not None:
            _selfcheck_sheet(book, styles, summary, w)
    _facts_sheet(book, styles, summary, w)
    _info_sheet(book, styles, summary, w)
    return save_book(book)


def _session_row(summary: Summary, w: Words) -> list[Cell]:
    h, s = summary.header, summary.scores
    percent = None if s.percent is None else round(float(s.percent), 2)
    points = [number(s.max), number(s.deducted), number(s.bonus), number(s.total)] if s.scored else [None] * 4
    return [
        h.id, h.branch, h.unit, h.checklist_title, h.checklist_version, h.date, h.place,
        w.join(h.inspectors), status_word(h.status, w), *points, percent, grade_text(summary, w),
        s.counts["pass"], s.counts["fail"], s.counts["na"], s.counts["unanswered"],
    ]


def _lead(summary: Summary) -> list[Cell]:
    return [summary.header.id, summary.header.branch, summary.header.date]


def render_many(summaries: Iterable[Summary], what: str = "summary", lang: str = "zh") -> bytes:
    """Many sessions in one workbook: 汇总 (one row per session) and 明细 (every item of every
    session, each row led by the session's id, branch and date), or one 整改清单 of them all.

    Rows are streamed: the columns are sized by the first SAMPLE sessions (the same checklist's
    texts repeat; a longer note later on wraps), and then each session is written as it comes and
    let go. `summaries` may be a generator, fed by other processes (see `many.py`) while this one
    writes."""
    summaries = (shown_all(summary) for summary in summaries)  # the one escape (core/text.py)
    w = words(lang)
    book, styles = new_book()
    if what == "rectification":
        header = [*SESSION_COLUMNS, *(c[0] for c in RECT_COLUMNS)]
        numeric = [False] * len(SESSION_COLUMNS) + [c[2] for c in RECT_COLUMNS]
        title = w("doc.xlsx.sheet.notice")
        sheet = Sheet(book, styles, title, header, numeric, align_top=False, w=w)
        rows_of = lambda summary: [  # noqa: E731
            _lead(summary) + rect_cells(n, row, summary.scores.scored, w) for n, row in enumerate(summary.rectification, 1)
        ]
        _stream(sheet, summaries, rows_of, None, f"{title} · {w('doc.xlsx.many')}", w)
        sheet.finish()
        return save_book(book)
    overview = Sheet(book, styles, w("doc.xlsx.sheet.overview"), [c[0] for c in SUMMARY_COLUMNS],
                      [c[1] for c in SUMMARY_COLUMNS], align_top=False, w=w)
    detail = Sheet(book, styles, w("doc.xlsx.sheet.items"), [*SESSION_COLUMNS, *(c[0] for c in ITEM_COLUMNS)],
                    [False] * len(SESSION_COLUMNS) + [c[2] for c in ITEM_COLUMNS], align_top=False, w=w)
    sessions: list[list[Cell]] = []
    _stream(detail, summaries, lambda s: [_lead(s) + item_cells(row, s.scores.scored, w) for row in s.items], sessions,
            f"{w('doc.xlsx.sheet.items')} · {w('doc.xlsx.many')}", w)
    detail.finish()
    overview.start(sessions, caption=w("doc.xlsx.overview_caption", title=w("doc.xlsx.sheet.overview"),
                                       count=len(sessions)))
    for row in sessions:
        overview.put(row)
    overview.finish()
    return save_book(book)


def _stream(sheet: Sheet, summaries: Iterable[Summary], rows_of: Any, sessions: list[list[Cell]] | None,
            caption: str, w: Words) -> None:
    """Write each summary's rows to `sheet`, sizing the columns by the first SAMPLE summaries;
    collect each session's 汇总 row into `sessions` on the way."""
    waiting: list[list[Cell]] = []
    seen = 0
    for summary in summaries:
        if sessions is not None:
            sessions.append(_session_row(summary, w))
        rows = rows_of(summary)
        seen += 1
        if seen <= SAMPLE:
            waiting += rows
            if seen < SAMPLE:
                continue
            sheet.start(waiting, caption=caption)
            rows, waiting = waiting, []
        for row in rows:
            sheet.put(row)
    if seen < SAMPLE:  # fewer sessions than the sample: size by all of them
        sheet.start(waiting, caption=caption)
        for row in waiting:
            sheet.put(row)
