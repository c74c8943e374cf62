"""What the renderers share: labels, number and date text, and the columns of the item tables.

The CSV file, the xlsx 明细 sheet and the xlsx workbook of many sessions show the same columns in
the same order, so an office that pastes one into another finds every figure where it expects it.
Everything here reads the `Summary` model only; nothing formats by evaluating user text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, Callable

from ..numbers import number, points_text
from ..analysis.selfcheck import LABELS, Difference
from .model import ItemRow, Rectification, SelfCheckSummary, Summary

STATES = {"pass": "符合", "fail": "不符合", "na": "不适用", None: "未检查"}
STATUS = {"in_progress": "进行中", "finished": "已完成"}
KINDS = {"section": "大项", "group": "分项", "leaf": "检查项"}

# Characters XML 1.0 forbids (the C0 controls other than tab, LF, CR). Word and Excel refuse a file
# that holds one, and python-docx / openpyxl raise; a note pasted from elsewhere can carry them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the control characters an XML file (xlsx, docx, html) cannot hold."""
    return _XML_ILLEGAL.sub("", text)


def num(value: Decimal | None) -> str:
    """4, 0.5, 12 — never 4.00 or 1E+1; empty when there is no number."""
    return points_text(value, blank="")


def percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def cn_date(iso: str) -> str:
    """2026-06-15 → 2026年6月15日, as an official document writes a date."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    return f"{year}年{month}月{day}日"


DATE_BLANK = "　　　　年　　月　　日"  # a date to fill by hand: only where it is truly unknown


def report_back_line(summary: Summary) -> str:
    """The notice's last sentence: by when, and to whom, the branch reports in writing (to the
    issuing organisation when it is named, else the unit the branch belongs to)."""
    n, h = summary.notice, summary.header
    when = cn_date(n.report_by) if n.report_by else DATE_BLANK
    return f"整改完成情况请于{when}前书面报告{n.issuer or h.unit or '上级党组织'}。"


def width(text: str) -> int:
    """Display width: a CJK (wide or full-width) character counts as two, as in a spreadsheet."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def kind(row: ItemRow) -> str:
    return KINDS["section" if row.depth == 0 else "leaf" if row.leaf else "group"]


def section_title(row: ItemRow) -> str:
    return row.path[0] if row.path else row.text


def within(row: ItemRow) -> str:
    """The parents below the section, e.g. 基本设置 › 党小组划分."""
    return " › ".join(row.path[1:])


def reasons_lines(row: ItemRow, scored: bool, findings: bool = True) -> list[str]:
    """Each clause that took points, with its numbers (1 × 2 = 2) when the standard is scored
    and (`findings`) what the facts showed under a clause they decided."""
    lines = []
    for reason in row.reasons:
        label = "手动扣分: " if reason.manual else ""
        amount = f" [{reason.detail}]" if scored else ""
        lines.append(f"{label}{reason.clause}{amount}")
        if findings and row.auto and reason.finding and not reason.manual:
            lines.append(f"{FOUND}{reason.finding}")
    if row.capped and scored:
        lines.append("(扣至本项分值为止)")
    return lines


def remark(row: ItemRow) -> str:
    """The 备注 of a printed score sheet: the result when it is not 符合, the note, the evidence."""
    parts = []
    if row.leaf and row.state != "pass":
        parts.append(STATES[row.state])
    shown = {reason.finding for reason in row.reasons}  # those print under their clause
    parts += [f"{FOUND}{finding}" for finding in row.findings if finding not in shown]
    if row.note:
        parts.append(row.note)
    if row.evidence:
        parts.append("证据: " + "; ".join(row.evidence))
    if row.leaf and row.state is None and row.pending:
        parts.append("待录入: " + "、".join(row.pending))
    return "\n".join(parts)


def score_line(summary: Summary) -> str:
    """The one sentence a reader looks for first, in every format: the total (items passed of
    those applicable when unscored, never a percentage), 暂定 with what is still open until every
    applicable item is decided (core/analysis/score_line.py), and the grade, marked 暂定 with it."""
    prefix = "暂定 " if summary.provisional else ""
    if summary.scored:
        text = f"{prefix}总分 {num(summary.total)} 分(满分 {num(summary.max)} 分,扣 {num(summary.deducted)} 分"
        text += f",加 {num(summary.bonus)} 分)" if summary.bonus else ")"
        unit = "分"
    else:
        text = f"{prefix}符合 {num(summary.total)} 项 / 适用 {num(summary.max)} 项"
        unit = "项"
    if summary.provisional and summary.open_points is not None:
        text += f",另有 {num(summary.open_points)} {unit}未检查"
    grade = grade_text(summary)
    return text + (f" · 等次: {grade}" if grade else "")


def grade_text(summary: Summary) -> str:
    """The grade as a document may print it: only with 暂定 beside it while the score is."""
    if not summary.grade:
        return ""
    return summary.grade + ("(暂定)" if summary.provisional else "")


def counts_line(summary: Summary) -> str:
    c = summary.counts
    return f"符合 {c['pass']} 项 · 不符合 {c['fail']} 项 · 不适用 {c['na']} 项 · 未检查 {c['unanswered']} 项"


def branch_line(summary: Summary) -> str:
    h = summary.header
    return f"{h.branch}({h.unit})" if h.unit else h.branch


# -- 基本情况 (every format, both documents) -----------------------------------------------------------

FACTS_TITLE = "基本情况"
FACT_HEADER = ("项目", "填报情况", "单位")
FOUND = "发现: "  # before a finding, where it is printed under its clause


def fact_rows(summary: Summary) -> list[list[str]]:
    """The 基本情况 as entered: label, value (or 未填), unit; in the checklist's order."""
    return [[f.label, f.text, f.unit] for f in summary.facts]


def facts_block(summary: Summary) -> Block:
    return FACT_HEADER, (False, False, False), [list(r) for r in fact_rows(summary)]


# -- the item table (CSV, xlsx 明细) ----------------------------------------------------------------

Cell = Any  # str, int, float or None
Column = tuple[str, Callable[[ItemRow, bool], Cell], bool]  # header, value(row, scored), numeric


def _scored_number(value: Decimal | None, scored: bool) -> Cell:
    return number(value) if scored else None


ITEM_COLUMNS: tuple[Column, ...] = (
    ("编号", lambda r, s: r.id, False),
    ("层级", lambda r, s: kind(r), False),
    ("大项", lambda r, s: section_title(r), False),
    ("所属", lambda r, s: within(r), False),
    ("检查项", lambda r, s: r.text, False),
    ("评价内容", lambda r, s: r.guidance, False),  # its blanks filled from the facts
    ("结果", lambda r, s: STATES[r.state], False),
    ("分值", lambda r, s: _scored_number(r.max, s), True),
    ("扣分", lambda r, s: _scored_number(r.deducted, s), True),
    ("得分", lambda r, s: _scored_number(r.score, s), True),
    ("扣分原因", lambda r, s: "\n".join(reasons_lines(r, s, findings=False)), False),
    ("发现情况", lambda r, s: "\n".join(r.findings), False),  # what the facts showed
    ("手动扣分", lambda r, s: number(r.override_points), True),
    ("手动扣分理由", lambda r, s: r.override_reason, False),
    ("备注", lambda r, s: r.note, False),
    ("证据", lambda r, s: "\n".join(r.evidence), False),
    ("待录入基本情况", lambda r, s: "、".join(r.pending), False),
    ("提醒", lambda r, s: "\n".join(r.warnings), False),
)

RectColumn = tuple[str, Callable[[int, Rectification, bool], Cell], bool]

RECT_COLUMNS: tuple[RectColumn, ...] = (
    ("序号", lambda n, r, s: n, True),
    ("编号", lambda n, r, s: r.id, False),
    ("大项", lambda n, r, s: r.path[0] if r.path else "", False),
    ("所属", lambda n, r, s: " › ".join(r.path[1:]), False),
    ("检查项", lambda n, r, s: r.text, False),
    ("发现问题", lambda n, r, s: r.found, False),
    ("标准要求", lambda n, r, s: r.requirement, False),
    ("扣分", lambda n, r, s: number(r.deducted) if s else None, True),
    ("整改期限", lambda n, r, s: r.deadline, False),
)


def item_cells(row: ItemRow, scored: bool) -> list[Cell]:
    return [value(row, scored) for _, value, _ in ITEM_COLUMNS]


def rect_cells(number_: int, row: Rectification, scored: bool) -> list[Cell]:
    return [value(number_, row, scored) for _, value, _ in RECT_COLUMNS]


# -- the 考评表 (docx, html) --------------------------------------------------------------------------

SHEET_HEADER = ("项目", "内容", "分值", "扣分", "扣分原因", "备注")


def sheet_groups(summary: Summary) -> list[tuple[str, list[ItemRow]]]:
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
                label = section.text + (f"({num(points)}分)" if summary.scored and points is not None else "")
                groups.append((label, rows or [section]))
            section, rows = row, []
        else:
            rows.append(row)
    return groups


def sheet_cells(row: ItemRow, scored: bool) -> tuple[str, str, str, str, str]:
    """内容, 分值, 扣分, 扣分原因, 备注 of one row; nested items indented by full-width spaces, the
    评价内容 (its blanks filled from the facts) under the item's text."""
    indent = "\u3000" * max(0, row.depth - 1)
    content = indent + row.text + (f"\n{indent}{row.guidance}" if row.guidance else "")
    points = num(row.max) if scored else ""
    lost = num(row.deducted) if scored and (row.deducted or (row.leaf and row.state == "fail")) else ""
    return content, points, lost, "\n".join(reasons_lines(row, scored)), remark(row)


def total_cells(summary: Summary) -> tuple[str, str, str, str, str, str]:
    """The 合计 row of the score sheet."""
    if summary.scored:
        bonus = f"(含加分 {num(summary.bonus)} 分)" if summary.bonus else ""
        provisional = "暂定 " if summary.provisional else ""
        open_ = f",另有 {num(summary.open_points)} 分未检查" if summary.provisional and summary.open_points is not None else ""
        return ("合计", "", num(summary.max), num(summary.deducted), f"{provisional}得分 {num(summary.total)}{bonus}{open_}",
                grade_text(summary))
    return ("合计", score_line(summary), "", "", "", counts_line(summary))


# -- 自查与检查对照 (every format, summary only) ---------------------------------------------------------

SELF_TITLE = "自查与检查对照"
SELF_STATES = {**STATES, None: "未填"}  # the branch's side: an item it left out was not filled in

Block = tuple[tuple[str, ...], tuple[bool, ...], list[list[Cell]]]  # header, numeric, rows (Decimal kept)
DiffColumn = tuple[str, Callable[[Difference], Cell], bool]

DIFF_COLUMNS: tuple[DiffColumn, ...] = (
    ("类别", lambda d: LABELS[d.kind], False),
    ("编号", lambda d: d.id, False),
    ("检查项", lambda d: d.text, False),
    ("自查", lambda d: SELF_STATES[d.self_state], False),
    ("检查", lambda d: STATES[d.inspection_state], False),
    ("自查扣分", lambda d: d.self_deducted, True),  # scored standards only
    ("检查扣分", lambda d: d.inspection_deducted, True),
    ("自查备注", lambda d: d.self_note, False),
    ("检查备注", lambda d: d.inspection_note, False),
)
_TENTH = Decimal("0.1")


def self_lines(sc: SelfCheckSummary) -> list[str]:
    """Where the self-assessment came from, and how much the two agree."""
    return [f"自查结果: {sc.source_name}({sc.attached_at} 附加)",
            f"一致 {sc.agreeing} 项,不一致 {len(sc.differences)} 项"]


def self_scores_block(sc: SelfCheckSummary, scored: bool) -> Block:
    """自查 and 检查 side by side, one row each, then 差值 (自查 − 检查) under the figure it is of:
    the points when scored, the pass rate when not."""
    words = ("得分", "满分", "得分率(%)") if scored else ("符合项", "适用项", "符合率(%)")
    header = ("", *words, "等次", "符合", "不符合", "不适用", "未检查")
    numeric = (False, True, True, True, False, True, True, True, True)
    rows: list[list[Cell]] = []
    for label, s in (("自查", sc.self_scores), ("检查", sc.inspection)):
        rate = None if s.percent is None else s.percent.quantize(_TENTH)
        rows.append([label, s.total, s.max, rate, s.grade,
                     *(s.counts.get(k, 0) for k in ("pass", "fail", "na", "unanswered"))])
    delta = sc.delta
    if delta is not None and not scored:
        delta = delta.quantize(_TENTH)  # percentage points
    rows.append(["差值(自查 − 检查)", delta if scored else None, None, None if scored else delta, *([None] * 5)])
    return header, numeric, rows


def self_diff_block(sc: SelfCheckSummary, scored: bool) -> Block:
    """The items on which the two disagree; the deductions only for a scored standard."""
    columns = [c for c in DIFF_COLUMNS if scored or not c[2]]
    rows = [[value(d) for _, value, _ in columns] for d in sc.differences]
    return tuple(c[0] for c in columns), tuple(c[2] for c in columns), rows


def cell_text(value: Cell) -> str:
    """A block's cell as text (Markdown, Word, HTML)."""
    if isinstance(value, Decimal):
        return num(value)
    return "" if value is None else str(value)


def cell_value(value: Cell) -> Cell:
    """A block's cell for a spreadsheet (CSV, xlsx): numbers as numbers."""
    return number(value) if isinstance(value, Decimal) else value
