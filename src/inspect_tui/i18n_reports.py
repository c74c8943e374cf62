"""The words of comparisons and self-assessments, shared by the CLI's text and the app's screens.

What `inspect-tui diff` / `selfcheck --show` print and what the app's comparison, report and
summary screens show are the same findings: one set of labels, registered once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .core.numbers import percent_text, points_text as num, signed_text
from .i18n import lang, register, t

if TYPE_CHECKING:
    from .core.analysis.compare import Comparison, ItemChange, SectionChange
    from .core.analysis.results import ScoredSession

register({
    "diff.old": ("原检查", "before"),
    "diff.new": ("本次检查", "after"),
    "diff.delta": ("得分变化", "score change"),
    "diff.points": (" 分", " points"),
    "diff.pp": (" 个百分点", " percentage points"),
    "diff.not_comparable": ("无法比较(计分方式不同)", "not comparable (scored differently)"),
    "diff.note": ("注意", "note"),
    "diff.other_checklist": ("两次检查使用不同的检查表 ({old} 与 {new}),只按相同编号的检查项对比",
                             "the two sessions use different checklists ({old} and {new}); only items with the same id are compared"),
    "diff.other_version": ("检查表版本不同 ({old} → {new}):检查项按编号对应,内容有变化的已标出;改了编号的检查项列为删除与新增",
                           "checklist versions differ ({old} → {new}): items are matched by id, changed ones flagged; an item whose id changed shows as removed and added"),
    "diff.other_branch": ("两次检查的支部名称或所属单位不同", "the branch name or unit differs between the two sessions"),
    "diff.earlier": ("“本次检查”的日期早于“原检查”", "the later session is dated before the earlier one"),
    "diff.cat.fixed": ("已整改", "fixed"),
    "diff.cat.still_failing": ("仍不符合", "still failing"),
    "diff.cat.newly_failing": ("新发现不符合", "newly failing"),
    "diff.cat.not_checked": ("未检查", "not checked"),
    "diff.cat.unchanged_pass": ("两次均符合", "passed both times"),
    "diff.cat.na": ("不适用", "not applicable"),
    "diff.cat.removed": ("新版已删除", "removed in the new version"),
    "diff.cat.added": ("新版新增", "added in the new version"),
    "diff.changed": ("新版内容有变化", "changed in the new version"),
    "diff.change.text": ("内容", "text"),
    "diff.change.points": ("分值", "points"),
    "diff.change.clauses": ("扣分条款", "clauses"),
    "diff.same_text": ("与 {id} 内容相同", "same text as {id}"),
    "diff.sections": ("各大项得分变化", "score per section"),
    "diff.col.item": ("检查项", "item"),
    "diff.col.states": ("原 → 现", "before → after"),
    "diff.col.lost_old": ("原扣分", "lost before"),
    "diff.col.lost_new": ("现扣分", "lost after"),
    "diff.col.remark": ("说明", "remark"),
    "diff.col.section": ("大项", "section"),
    "diff.col.old": ("原", "before"),
    "diff.col.new": ("现", "after"),
    "diff.col.change": ("变化", "change"),
    "diff.changes": ("得分变化明细(各行之和即得分变化)", "where the change comes from (the lines add up to it)"),
    "diff.cap": ("{text}:上级分值封顶调整", "{text}: absorbed by its points cap"),
    "diff.bonus_cap": ("加分上限调整", "the bonus cap"),
    "diff.total": ("合计", "total"),
    "diff.col.points": ("变化", "change"),
    "diff.items": (" 项", " items"),
    "diff.delta_items": ("符合项变化", "change in items passed"),
    "diff.failed_n": ("不符合 {n} 项", "{n} failed"),
    "selfcheck.self": ("自查", "self-assessment"),
    "selfcheck.inspection": ("检查", "inspection"),
    "selfcheck.source": ("{name},{when} 附加", "{name}, attached {when}"),
    "selfcheck.delta": ("差值(自查 − 检查)", "difference (self − inspection)"),
    "selfcheck.agree": ("一致 {agree} 项,不一致 {differ} 项", "{agree} items agree, {differ} differ"),
    "selfcheck.col.kind": ("不一致情况", "difference"),
    "selfcheck.col.self_lost": ("自查扣分", "self lost"),
    "selfcheck.col.lost": ("检查扣分", "inspection lost"),
    "selfcheck.kind.claimed_pass": ("自查符合,检查不符合", "self: pass, inspection: fail"),
    "selfcheck.kind.claimed_fail": ("自查不符合,检查符合", "self: fail, inspection: pass"),
    "selfcheck.kind.na_differs": ("不适用判断不一致", "N/A on one side only"),
    "selfcheck.kind.self_blank": ("自查未填", "not in the self-assessment"),
    "selfcheck.kind.not_inspected": ("检查未查", "not yet inspected"),
    "selfcheck.kind.points_differ": ("扣分不同", "different deduction"),
})


def state_word(value: str | None, present: bool = True) -> str:
    """符合 / 不符合 / 不适用 / 未检查; "—" for an item the side does not have."""
    if not present:
        return "—"
    return t("state." + (value or "none"))


def score_words(total: Decimal, maximum: Decimal, percent: Decimal | None, grade: str) -> str:
    """20 / 28 (71.4%) · 等次 良好"""
    text = f"{num(total)} / {num(maximum)} ({percent_text(percent)})"
    return text + (f" · {t('col.grade')} {grade}" if grade else "")


def change_unit(scored: bool) -> str:
    return t("diff.points") if scored else t("diff.pp")


def delta_words(c: "Comparison") -> tuple[str, str]:
    """The label and the figure of a comparison's change: "得分变化", "+6 分"; unscored standards
    count items passed ("符合项变化", "+2 项"), which is what the listed lines add up to."""
    label = t("diff.delta") if c.old.scores.scored else t("diff.delta_items")
    if c.delta is None:
        return label, t("diff.not_comparable")
    return label, signed_text(c.delta) + (t("diff.points") if c.old.scores.scored else t("diff.items"))


def side_words(side: "ScoredSession") -> str:
    """A side's score as every score is shown (core/analysis/score_line.py): 暂定 while items are open."""
    from .core.analysis.score_line import words

    return words(side.scores.line, lang())


def change_cells(c: "Comparison") -> tuple[list[str], list[list[str]]]:
    """The score-change lines (core/analysis/score_changes.py) as a table, ending with their total."""
    from .core.analysis.score_changes import BONUS_CAP, CAP

    scored = c.old.scores.scored and c.new.scores.scored
    header = [t("col.id"), t("diff.col.item"), t("diff.col.states")]
    header += [t("diff.col.lost_old"), t("diff.col.lost_new")] if scored else []
    rows = []
    for line in c.changes:
        if line.kind == CAP:
            cells = [line.id, t("diff.cap", text=line.text), "—"] + (["—", "—"] if scored else [])
        elif line.kind == BONUS_CAP:
            cells = ["", t("diff.bonus_cap"), "—"] + (["—", "—"] if scored else [])
        else:
            states = f"{state_word(line.old_state, line.in_old)} → {state_word(line.new_state, line.in_new)}"
            cells = [line.id, line.text, states] + ([num(line.old_deducted), num(line.new_deducted)] if scored else [])
        rows.append(cells + [signed_text(line.points)])
    total = sum((line.points for line in c.changes), Decimal(0))
    rows.append(["", t("diff.total"), ""] + (["", ""] if scored else []) + [signed_text(total)])
    return header + [t("diff.col.points")], rows


def comparison_notes(c: "Comparison") -> list[str]:
    """What the reader of a comparison must know: another standard or version, another branch."""
    notes = []
    if not c.same_checklist:
        notes.append(t("diff.other_checklist", old=c.old.header.checklist_id, new=c.new.header.checklist_id))
    elif not c.same_version:
        notes.append(t("diff.other_version", old=c.old.header.checklist_version, new=c.new.header.checklist_version))
    if (c.old.header.branch, c.old.header.unit) != (c.new.header.branch, c.new.header.unit) and not c.linked:
        notes.append(t("diff.other_branch"))
    if c.new.header.date < c.old.header.date:
        notes.append(t("diff.earlier"))
    return notes


def change_states(r: "ItemChange") -> str:
    """不符合 → 符合 ("—" on the side whose checklist version does not have the item)."""
    return f"{state_word(r.old_state, r.category != 'added')} → {state_word(r.new_state, r.category != 'removed')}"


def change_remark(r: "ItemChange") -> str:
    """What else to know of an item across two inspections: a reworded clause, the notes."""
    remarks = []
    if r.changed:
        remarks.append(t("diff.changed") + ": " + "、".join(t("diff.change." + c) for c in r.changed))
    if r.same_text_as:
        remarks.append(t("diff.same_text", id=r.same_text_as))
    for label, note in ((t("diff.col.old"), r.old_note), (t("diff.col.new"), r.new_note)):
        if note:
            remarks.append(f"{label}: " + note.replace("\n", " "))
    return "; ".join(remarks)


def shown_categories(c: "Comparison") -> list[str]:
    """The categories a comparison's count line names: removed and added only when there are
    some (they exist between two versions of a checklist only)."""
    from .core.analysis.compare import ADDED, CATEGORIES, REMOVED

    counts = c.counts
    return [k for k in CATEGORIES if counts[k] or k not in (REMOVED, ADDED)]


def section_cells(s: "SectionChange", scored: bool) -> tuple[str, str, str]:
    """A section across two inspections: before, after, change ("8 / 12", "10 / 12", "+2"; the
    failed items when unscored; "—" for a side whose version lacks the section)."""
    if scored:
        old = "—" if s.old is None else f"{num(s.old.score)} / {num(s.old.max)}"
        new = "—" if s.new is None else f"{num(s.new.score)} / {num(s.new.max)}"
        return old, new, signed_text(s.delta)
    old = "—" if s.old is None else t("diff.failed_n", n=s.old.counts["fail"])
    new = "—" if s.new is None else t("diff.failed_n", n=s.new.counts["fail"])
    return old, new, "—"
