"""What the roll-up and comparison renderers share: labels, number text and the sentences that say
how a figure was counted. Markdown, HTML and Excel then read alike, and a number in one is the
same number, formatted the same way, in the others."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..analysis.compare import (
    ADDED, FIXED, LABELS as CATEGORY_LABELS, NEWLY_FAILING, NOT_CHECKED, REMOVED, STILL_FAILING, Comparison, ItemChange,
    Side,
)
from ..analysis.rollup import ChecklistRollup, RankRow, Rollup
from ..analysis.score_changes import BONUS_CAP, CAP, ITEM, ScoreChange
from ..analysis.score_line import grade_words, words

STATES = {"pass": "符合", "fail": "不符合", "na": "不适用", None: "未检查"}
STATUS = {"in_progress": "进行中", "finished": "已完成"}
ABSENT = "—"  # a side that does not have the item (another version of the checklist)
BRANCH_LIST = 10  # names listed beside a failed item before "等 N 个支部"
METHOD = ("统计口径: 支部排名取每个支部在所选范围内最近一次检查;各大项平均扣分与不符合次数按支部计,"
          "每个支部计一次;不同检查表分别统计。")
CHANGES = {"text": "内容", "points": "分值", "clauses": "扣分条款"}
SHOWN = (FIXED, STILL_FAILING, NEWLY_FAILING, NOT_CHECKED, REMOVED, ADDED)  # listed item by item


def num(value: Decimal | None) -> str:
    """4, 0.5, 12 — never 4.00 or 1E+1; a dash when there is no number."""
    if value is None:
        return ABSENT
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize(), "f")


def signed(value: Decimal | None) -> str:
    if value is None:
        return ABSENT
    text = num(value)
    return text if value <= 0 else "+" + text


def pct(value: Decimal | None) -> str:
    return ABSENT if value is None else f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def state(value: str | None, present: bool = True) -> str:
    return STATES[value] if present else ABSENT


def named(branch: str, unit: str) -> str:
    return f"{branch}({unit})" if unit else branch


def scope(rollup: Rollup) -> str:
    """The selection in words: 检查表 shequ · 2026-01-01 起 · 所属单位 幸福社区党委."""
    parts = []
    if "checklist" in rollup.filters:
        parts.append(f"检查表 {rollup.filters['checklist']}")
    if "since" in rollup.filters:
        parts.append(f"{rollup.filters['since']} 起")
    if "unit" in rollup.filters:
        parts.append(f"所属单位 {rollup.filters['unit']}")
    return " · ".join(parts) or "全部检查记录"


def rank_basis(group: ChecklistRollup) -> str:
    if group.rank_by == "total":
        return "排名依据: 得分"
    if group.scored:
        return "排名依据: 得分率 — 各支部满分不同(不适用项不计入满分),得分不能直接相比"
    return "排名依据: 符合率 — 本检查表不计分,符合率 = 符合项 ÷ 适用项"


def provisional_note(group: ChecklistRollup) -> str:
    if not group.provisional:
        return ""
    return (f"注意: {group.provisional} 个支部最近一次检查尚有未检查或待定项(这些项还未扣分),得分为暂定,"
            "不参加排名,列在“未完成的检查”中。")


def score_text(row: RankRow | Side, open_part: bool = True) -> str:
    """"20/28", "暂定 24/28,另有 4 分未检查", "符合 10/81 项" — core/analysis/score_line.py's wording."""
    if row.line is None:
        return f"{num(row.total)} / {num(row.max)}"
    return words(row.line, grade=False, open_part=open_part)


def score_label(scored: bool) -> str:
    return "得分" if scored else "符合项"


def grade_text(row: RankRow) -> str:
    return (grade_words(row.line) if row.line is not None else row.grade) or ABSENT


def ranking_header(group: ChecklistRollup) -> list[str]:
    header = ["名次", "支部", "所属单位", score_label(group.scored), rate_label(group.scored)]
    header += ["等次"] if group.graded else []
    return header + ["检查日期", "状态", "检查进度"]


def ranking_rows(group: ChecklistRollup) -> list[list[str]]:
    rows = []
    for r in group.ranking:
        row = [str(r.rank), r.branch, r.unit, score_text(r), pct(r.percent)]
        row += [grade_text(r)] if group.graded else []
        rows.append(row + [r.date, STATUS.get(r.status, r.status), f"{r.answered}/{r.leaves}"])
    return rows


UNFINISHED_TITLE = "未完成的检查"


def unfinished_header(group: ChecklistRollup) -> list[str]:
    header = ["支部", "所属单位", score_label(group.scored)]
    header += ["等次"] if group.graded else []
    return header + ["检查日期", "状态", "检查进度"]


def unfinished_rows(group: ChecklistRollup) -> list[list[str]]:
    """Branches whose latest inspection is not finished: unranked, their score marked 暂定."""
    rows = []
    for r in group.unfinished:
        row = [r.branch, r.unit, score_text(r)] + ([grade_text(r)] if group.graded else [])
        rows.append(row + [r.date, STATUS.get(r.status, r.status), f"{r.answered}/{r.leaves}"])
    return rows


def rate_label(scored: bool) -> str:
    return "得分率" if scored else "符合率"


def listed(names: tuple[str, ...]) -> str:
    shown = "、".join(names[:BRANCH_LIST])
    return shown + (f" 等 {len(names)} 个支部" if len(names) > BRANCH_LIST else "")


def side_line(side: Side) -> str:
    grade = grade_words(side.line) if side.line is not None else side.grade
    grade = f" · 等次 {grade}" if grade else ""
    score = f"得分 {score_text(side)}" + (f"({pct(side.percent)})" if side.scored else "")
    return (f"{side.date} · {side.id} · {side.checklist_id} {side.checklist_version} · "
            f"{score}{grade} · {STATUS.get(side.status, side.status)}")


def delta_line(comparison: Comparison) -> str:
    delta = comparison.delta
    if delta is None:
        return "得分变化: 无法比较(计分方式不同)"
    if not comparison.old.scored:
        return f"符合项变化: {signed(delta)} 项"
    return f"得分变化: {signed(delta)}分"


CHANGE_NOTE = ("下表列出结果或扣分有变化的每一项,各行之和即得分变化;“上级分值封顶调整”是上级检查项的分值"
               "(扣完为止)吸收或释放的部分,“加分上限调整”同理。")


def change_header(scored: bool) -> list[str]:
    return ["编号", "检查项", "原结果 → 现结果"] + (["原扣分", "现扣分", "得分变化"] if scored else ["符合项变化"])


def change_label(line: ScoreChange) -> str:
    if line.kind == CAP:
        return f"{line.text}:上级分值封顶调整"
    return "加分上限调整" if line.kind == BONUS_CAP else line.text


def change_rows(c: Comparison) -> list[list[str]]:
    """Where the score change comes from (core/analysis/score_changes.py), with the total that they make."""
    scored = c.old.scored and c.new.scored
    rows = []
    for line in c.changes:
        if line.kind == ITEM:
            states = f"{state(line.old_state, line.in_old)} → {state(line.new_state, line.in_new)}"
            lost = [num(line.old_deducted), num(line.new_deducted)]
        else:
            states, lost = ABSENT, [ABSENT, ABSENT]
        rows.append([line.id, change_label(line), states] + (lost if scored else []) + [signed(line.points)])
    total = sum((line.points for line in c.changes), Decimal(0))
    rows.append(["", "合计", ""] + (["", ""] if scored else []) + [signed(total)])
    return rows


def changed_text(changes: tuple[str, ...]) -> str:
    return "、".join(CHANGES.get(c, c) for c in changes)



# -- comparison tables (Markdown, HTML) -------------------------------------------------------------

def item_header(scored: bool) -> list[str]:
    return ["编号", "检查项", "大项", "原结果 → 现结果"] + (["原扣分", "现扣分"] if scored else []) + ["备注"]


def item_row(r: ItemChange, scored: bool) -> list[str]:
    states = f"{state(r.old_state, r.category != ADDED)} → {state(r.new_state, r.category != REMOVED)}"
    remarks = []
    if r.changed:
        remarks.append(f"新版{changed_text(r.changed)}有变化")
    if r.same_text_as:
        remarks.append(f"与 {r.same_text_as} 内容相同(可能是改了编号)")
    if r.old_note:
        remarks.append(f"原: {r.old_note}")
    if r.new_note:
        remarks.append(f"现: {r.new_note}")
    return [r.id, r.text, r.section, states] + ([num(r.old_deducted), num(r.new_deducted)] if scored else []) + ["; ".join(remarks)]


def section_header(scored: bool) -> list[str]:
    return ["大项", "原得分" if scored else "原结果", "现得分" if scored else "现结果", "变化"]


def section_rows(c: Comparison, scored: bool) -> list[list[str]]:
    rows = []
    for s in c.sections:
        old = ABSENT if s.old is None else (f"{num(s.old.score)} / {num(s.old.max)}" if scored else f"不符合 {s.old.counts['fail']} 项")
        new = ABSENT if s.new is None else (f"{num(s.new.score)} / {num(s.new.max)}" if scored else f"不符合 {s.new.counts['fail']} 项")
        rows.append([s.title, old, new, signed(s.delta) if scored else ABSENT])
    return rows


__all__ = ["CATEGORY_LABELS", "STATES", "STATUS", "METHOD", "num", "signed", "pct", "state", "named", "scope",
           "rank_basis", "provisional_note", "score_text", "score_label", "rate_label",
           "SHOWN", "item_header", "item_row", "section_header", "section_rows", "listed", "side_line", "delta_line", "changed_text",
           "CHANGE_NOTE", "change_header", "change_rows", "change_label", "grade_text", "ranking_header", "ranking_rows",
           "UNFINISHED_TITLE", "unfinished_header", "unfinished_rows"]
