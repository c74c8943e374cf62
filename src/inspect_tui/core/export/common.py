"""What the renderers share: labels, number and date text, and the columns of the item tables.

Every word is looked up in the document catalogue (`inspect_tui.texts`) for the language the
caller asked for: each function takes `w`, the words of that language (Chinese by default).

The CSV file, the xlsx 明细 sheet and the xlsx workbook of many sessions show the same columns in
the same order, so an office that pastes one into another finds every figure where it expects it.
Everything here reads the `Summary` model only; nothing formats by evaluating user text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, Callable

from ...texts import Words, words
from ..numbers import number, points_text
from ..analysis.selfcheck import Difference, SelfComparison
from .model import ItemRow, Rectification, Summary

ZH = words("zh")
STATE_KEYS = {"pass": "doc.state.pass", "fail": "doc.state.fail", "na": "doc.state.na", None: "doc.state.none"}
STATUS_KEYS = {"in_progress": "doc.status.in_progress", "finished": "doc.status.finished"}
KIND_KEYS = {"section": "doc.kind.section", "group": "doc.kind.group", "leaf": "doc.kind.leaf"}
SELF_KIND_KEYS = {
    "claimed_pass": "doc.self.kind.claimed_pass", "claimed_fail": "doc.self.kind.claimed_fail",
    "na_differs": "doc.self.kind.na_differs", "self_blank": "doc.self.kind.self_blank",
    "not_inspected": "doc.self.kind.not_inspected", "points_differ": "doc.self.kind.points_differ",
}
STATES = {k: ZH(v) for k, v in STATE_KEYS.items()}  # the Chinese words, as tests and older callers read them


def state_word(state: str | None, w: Words = ZH) -> str:
    return w(STATE_KEYS[state])


def status_word(status: str, w: Words = ZH) -> str:
    return w(STATUS_KEYS[status]) if status in STATUS_KEYS else status


def headers(columns: tuple, w: Words = ZH) -> list[str]:
    """The header row of a column table, in `w`'s language."""
    return [w(column[0]) for column in columns]

# Characters XML 1.0 forbids (the C0 controls other than tab, LF, CR). Word and Excel refuse a file
# that holds one, and python-docx / openpyxl raise; a note pasted from elsewhere can carry them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the control characters an XML file (xlsx, docx, html) cannot hold."""
    return _XML_ILLEGAL.sub("", text)


def num(value: Decimal | None) -> str:
    """4, 0.5, 12 — never 4.00 or 1E+1; empty when there is no number."""
    return points_text(value, blank="")


def report_back_line(summary: Summary, w: Words = ZH) -> str:
    """The notice's last sentence: by when, and to whom, the branch reports in writing (to the
    issuing organisation when it is named, else the unit the branch belongs to). A blank to fill
    by hand only where the date is truly unknown."""
    n, h = summary.notice, summary.header
    when = w.date(n.report_by) if n.report_by else w("doc.date_blank")
    return w("doc.notice.report_back", when=when, to=n.issuer or h.unit or w("doc.notice.superior"))


def width(text: str) -> int:
    """Display width: a CJK (wide or full-width) character counts as two, as in a spreadsheet."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def kind(row: ItemRow, w: Words = ZH) -> str:
    return w(KIND_KEYS["section" if row.depth == 0 else "leaf" if row.leaf else "group"])


def section_title(row: ItemRow) -> str:
    return row.path[0] if row.path else row.text


def within(row: ItemRow) -> str:
    """The parents below the section, e.g. 基本设置 › 党小组划分."""
    return " › ".join(row.path[1:])


def reasons_lines(row: ItemRow, scored: bool, findings: bool = True, w: Words = ZH) -> list[str]:
    """Each clause that took points, with its numbers (1 × 2 = 2) when the standard is scored
    and (`findings`) what the facts showed under a clause they decided."""
    lines = []
    for reason in row.reasons:
        label = w("doc.manual_prefix") if reason.manual else ""
        amount = f" [{reason.detail}]" if scored else ""
        lines.append(f"{label}{reason.clause}{amount}")
        if findings and row.auto and reason.finding and not reason.manual:
            lines.append(f"{w('doc.found_prefix')}{reason.finding}")
    if row.capped and scored:
        lines.append(w("doc.capped"))
    return lines


def remark(row: ItemRow, w: Words = ZH) -> str:
    """The 备注 of a printed score sheet: the result when it is not 符合, the note, the evidence."""
    parts = []
    if row.leaf and row.state != "pass":
        parts.append(state_word(row.state, w))
    shown = {reason.finding for reason in row.reasons}  # those print under their clause
    parts += [f"{w('doc.found_prefix')}{finding}" for finding in row.findings if finding not in shown]
    if row.note:
        parts.append(row.note)
    if row.evidence:
        parts.append(w("doc.evidence_prefix") + "; ".join(row.evidence))
    if row.leaf and row.state is None and row.pending:
        parts.append(w("doc.pending_prefix") + w.join(row.pending))
    return "\n".join(parts)


def score_line(summary: Summary, w: Words = ZH) -> str:
    """The one sentence a reader looks for first, in every format: the total (items passed of
    those applicable when unscored, never a percentage), 暂定 with what is still open until every
    applicable item is decided (core/analysis/score_line.py), and the grade, marked 暂定 with it."""
    prefix = w("doc.provisional_prefix") if summary.scores.provisional else ""
    if summary.scores.scored:
        text = prefix + w("doc.score.total", total=num(summary.scores.total), max=num(summary.scores.max),
                          deducted=num(summary.scores.deducted))
        text += w("doc.score.bonus", bonus=num(summary.scores.bonus)) if summary.scores.bonus else w("doc.score.close")
        open_key = "doc.score.open_points"
    else:
        text = prefix + w("doc.score.items", total=num(summary.scores.total), max=num(summary.scores.max))
        open_key = "doc.score.open_items"
    if summary.scores.provisional and summary.scores.open_points is not None:
        text += w(open_key, open=num(summary.scores.open_points))
    grade = grade_text(summary, w)
    return text + (w("doc.score.grade", grade=grade) if grade else "")


def grade_text(summary: Summary, w: Words = ZH) -> str:
    """The grade as a document may print it: only with 暂定 beside it while the score is."""
    if not summary.scores.grade:
        return ""
    return summary.scores.grade + (w("doc.grade_provisional") if summary.scores.provisional else "")


def counts_line(summary: Summary, w: Words = ZH) -> str:
    c = summary.scores.counts
    return w("doc.counts", passed=c["pass"], failed=c["fail"], na=c["na"], unanswered=c["unanswered"])


def branch_line(summary: Summary, w: Words = ZH) -> str:
    h = summary.header
    return w("doc.branch_unit", branch=h.branch, unit=h.unit) if h.unit else h.branch


# -- 基本情况 (every format, both documents) -----------------------------------------------------------

FACT_HEADER = ("doc.facts.label", "doc.facts.value", "doc.facts.unit")


def fact_header(w: Words = ZH) -> tuple[str, ...]:
    return tuple(w(key) for key in FACT_HEADER)


def fact_rows(summary: Summary, w: Words = ZH) -> list[list[str]]:
    """The 基本情况 as entered: label, value (or 未填), unit; in the checklist's order. The label
    is the standard's own; the value, when it is a yes/no, and 未填 are ours."""
    return [[f.label, fact_value(f, w), f.unit] for f in summary.facts]


def fact_value(fact: Any, w: Words = ZH) -> str:
    if not fact.entered:
        return w("doc.facts.unentered")
    if fact.type == "boolean" and isinstance(fact.value, bool):
        return w("doc.yes") if fact.value else w("doc.no")
    if fact.type == "date" and w.en and isinstance(fact.value, str):
        return fact.value  # ISO, as every date of an English document
    return fact.text


def facts_block(summary: Summary, w: Words = ZH) -> Block:
    return fact_header(w), (False, False, False), [list(r) for r in fact_rows(summary, w)]


# -- the item table (CSV, xlsx 明细) ----------------------------------------------------------------

Cell = Any  # str, int, float or None
Column = tuple[str, Callable[[ItemRow, bool, Words], Cell], bool]  # header key, value(row, scored, w), numeric


def _scored_number(value: Decimal | None, scored: bool) -> Cell:
    return number(value) if scored else None


ITEM_COLUMNS: tuple[Column, ...] = (
    ("doc.col.id", lambda r, s, w: r.id, False),
    ("doc.col.kind", lambda r, s, w: kind(r, w), False),
    ("doc.col.section", lambda r, s, w: section_title(r), False),
    ("doc.col.within", lambda r, s, w: within(r), False),
    ("doc.col.item", lambda r, s, w: r.text, False),
    ("doc.col.guidance", lambda r, s, w: r.guidance, False),  # its blanks filled from the facts
    ("doc.col.result", lambda r, s, w: state_word(r.state, w), False),
    ("doc.col.points", lambda r, s, w: _scored_number(r.max, s), True),
    ("doc.col.deducted", lambda r, s, w: _scored_number(r.deducted, s), True),
    ("doc.col.score", lambda r, s, w: _scored_number(r.score, s), True),
    ("doc.col.reasons", lambda r, s, w: "\n".join(reasons_lines(r, s, findings=False, w=w)), False),
    ("doc.col.findings", lambda r, s, w: "\n".join(r.findings), False),  # what the facts showed
    ("doc.col.override", lambda r, s, w: number(r.override_points), True),
    ("doc.col.override_reason", lambda r, s, w: r.override_reason, False),
    ("doc.col.note", lambda r, s, w: r.note, False),
    ("doc.col.evidence", lambda r, s, w: "\n".join(r.evidence), False),
    ("doc.col.pending", lambda r, s, w: w.join(r.pending), False),
    ("doc.col.warnings", lambda r, s, w: "\n".join(r.warnings), False),
)

RectColumn = tuple[str, Callable[[int, Rectification, bool, Words], Cell], bool]

RECT_COLUMNS: tuple[RectColumn, ...] = (
    ("doc.col.number", lambda n, r, s, w: n, True),
    ("doc.col.id", lambda n, r, s, w: r.id, False),
    ("doc.col.section", lambda n, r, s, w: r.path[0] if r.path else "", False),
    ("doc.col.within", lambda n, r, s, w: " › ".join(r.path[1:]), False),
    ("doc.col.item", lambda n, r, s, w: r.text, False),
    ("doc.col.found", lambda n, r, s, w: found_words(r.found, w), False),
    ("doc.col.requirement", lambda n, r, s, w: r.requirement, False),
    ("doc.col.deducted", lambda n, r, s, w: number(r.deducted) if s else None, True),
    ("doc.col.deadline", lambda n, r, s, w: r.deadline, False),
)

INSPECTOR_NOTE = "\n检查人员备注:"  # how model.found_text joins the inspector's note to the findings


def found_words(found: str, w: Words = ZH) -> str:
    """发现问题 as model.found_text wrote it, its one word of ours in `w`'s language."""
    return found.replace(INSPECTOR_NOTE, "\n" + w("doc.inspector_note"), 1) if w.en else found


def item_cells(row: ItemRow, scored: bool, w: Words = ZH) -> list[Cell]:
    return [value(row, scored, w) for _, value, _ in ITEM_COLUMNS]


def rect_cells(number_: int, row: Rectification, scored: bool, w: Words = ZH) -> list[Cell]:
    return [value(number_, row, scored, w) for _, value, _ in RECT_COLUMNS]


# -- the 考评表 (docx, html) --------------------------------------------------------------------------

SHEET_HEADER = ("doc.sheet.item", "doc.sheet.content", "doc.sheet.col.points", "doc.sheet.col.deducted",
                "doc.col.reasons", "doc.col.note")  # the two number columns are narrow: short English words


def sheet_groups(summary: Summary, w: Words = ZH) -> list[tuple[str, list[ItemRow]]]:
    """The score sheet's rows, grouped by section: (项目 text, the rows beside it).

    The 项目 cell names the section and its points, e.g. 组织设置规范(12分); the rows are every
    item below it in document order (a section without items stands as its own row)."""
    maxima = {s.id: s.max for s in summary.sections}
    groups: list[tuple[str, list[ItemRow]]] = []
    section: ItemRow | None = None
    rows: list[ItemRow] = []
    for row in (*summary.items, None):
        if row is None or row.depth == 0:
            if section is not None:
                points = maxima.get(section.id)
                label = section.text + (w("doc.sheet.points", points=num(points))
                                        if summary.scores.scored and points is not None else "")
                groups.append((label, rows or [section]))
            section, rows = row, []
        else:
            rows.append(row)
    return groups


def sheet_cells(row: ItemRow, scored: bool, w: Words = ZH) -> tuple[str, str, str, str, str]:
    """内容, 分值, 扣分, 扣分原因, 备注 of one row; nested items indented by full-width spaces, the
    评价内容 (its blanks filled from the facts) under the item's text."""
    indent = "\u3000" * max(0, row.depth - 1)
    content = indent + row.text + (f"\n{indent}{row.guidance}" if row.guidance else "")
    points = num(row.max) if scored else ""
    lost = num(row.deducted) if scored and (row.deducted or (row.leaf and row.state == "fail")) else ""
    return content, points, lost, "\n".join(reasons_lines(row, scored, w=w)), remark(row, w)


def total_cells(summary: Summary, w: Words = ZH) -> tuple[str, str, str, str, str, str]:
    """The 合计 row of the score sheet."""
    if summary.scores.scored:
        bonus = w("doc.sheet.bonus", bonus=num(summary.scores.bonus)) if summary.scores.bonus else ""
        provisional = w("doc.provisional_prefix") if summary.scores.provisional else ""
        open_ = (w("doc.score.open_points", open=num(summary.scores.open_points))
                 if summary.scores.provisional and summary.scores.open_points is not None else "")
        return (w("doc.total"), "", num(summary.scores.max), num(summary.scores.deducted),
                provisional + w("doc.sheet.score", total=num(summary.scores.total)) + bonus + open_, grade_text(summary, w))
    return (w("doc.total"), score_line(summary, w), "", "", "", counts_line(summary, w))


# -- 自查与检查对照 (every format, summary only) ---------------------------------------------------------

SELF_TITLE = ZH("doc.self.title")  # the Chinese title, as tests read it
SELF_STATE_KEYS = {**STATE_KEYS, None: "doc.self.unfilled"}  # the branch's side: an item left out was not filled in
SELF_STATES = {k: ZH(v) for k, v in SELF_STATE_KEYS.items()}

Block = tuple[tuple[str, ...], tuple[bool, ...], list[list[Cell]]]  # header, numeric, rows (Decimal kept)
DiffColumn = tuple[str, Callable[[Difference, Words], Cell], bool]

DIFF_COLUMNS: tuple[DiffColumn, ...] = (
    ("doc.self.col.kind", lambda d, w: w(SELF_KIND_KEYS[d.kind]), False),
    ("doc.col.id", lambda d, w: d.id, False),
    ("doc.col.item", lambda d, w: d.text, False),
    ("doc.self.self", lambda d, w: w(SELF_STATE_KEYS[d.self_state]), False),
    ("doc.self.inspection", lambda d, w: state_word(d.inspection_state, w), False),
    ("doc.self.col.self_deducted", lambda d, w: d.self_deducted, True),  # scored standards only
    ("doc.self.col.inspection_deducted", lambda d, w: d.inspection_deducted, True),
    ("doc.self.col.self_note", lambda d, w: d.self_note, False),
    ("doc.self.col.inspection_note", lambda d, w: d.inspection_note, False),
)
_TENTH = Decimal("0.1")


def self_lines(sc: SelfComparison, w: Words = ZH) -> list[str]:
    """Where the self-assessment came from, and how much the two agree."""
    return [w("doc.self.source", name=sc.source_name, when=sc.attached_at),
            w("doc.self.agreement", agreeing=sc.agreeing, differing=len(sc.differences))]


def self_scores_block(sc: SelfComparison, scored: bool, w: Words = ZH) -> Block:
    """自查 and 检查 side by side, one row each, then 差值 (自查 − 检查) under the figure it is of:
    the points when scored, the pass rate when not."""
    keys = (("doc.self.score", "doc.self.max", "doc.self.rate") if scored
            else ("doc.self.passed", "doc.self.applicable", "doc.self.pass_rate"))
    header = ("", *(w(key) for key in keys), w("doc.grade"), *(w(STATE_KEYS[k]) for k in ("pass", "fail", "na", None)))
    numeric = (False, True, True, True, False, True, True, True, True)
    rows: list[list[Cell]] = []
    for label, s in ((w("doc.self.self"), sc.self_scores), (w("doc.self.inspection"), sc.inspection)):
        rate = None if s.percent is None else s.percent.quantize(_TENTH)
        rows.append([label, s.total, s.max, rate, s.grade,
                     *(s.counts.get(k, 0) for k in ("pass", "fail", "na", "unanswered"))])
    delta = sc.delta
    if delta is not None and not scored:
        delta = delta.quantize(_TENTH)  # percentage points
    rows.append([w("doc.self.delta"), delta if scored else None, None, None if scored else delta, *([None] * 5)])
    return header, numeric, rows


def self_diff_block(sc: SelfComparison, scored: bool, w: Words = ZH) -> Block:
    """The items on which the two disagree; the deductions only for a scored standard."""
    columns = [c for c in DIFF_COLUMNS if scored or not c[2]]
    rows = [[value(d, w) for _, value, _ in columns] for d in sc.differences]
    return tuple(w(c[0]) for c in columns), tuple(c[2] for c in columns), rows


def cell_text(value: Cell) -> str:
    """A block's cell as text (Markdown, Word, HTML)."""
    if isinstance(value, Decimal):
        return num(value)
    return "" if value is None else str(value)


def cell_value(value: Cell) -> Cell:
    """A block's cell for a spreadsheet (CSV, xlsx): numbers as numbers."""
    return number(value) if isinstance(value, Decimal) else value
