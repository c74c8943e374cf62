"""What the roll-up and comparison renderers share: labels, number text and the sentences that say
how a figure was counted. Markdown, HTML and Excel then read alike, and a number in one is the
same number, formatted the same way, in the others."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from ..analysis.compare import ADDED, FIXED, NEWLY_FAILING, NOT_CHECKED, REMOVED, STILL_FAILING, Comparison, ItemChange
from ..analysis.results import ScoredSession
from ..numbers import percent_text, points_text, signed_text
from ..analysis.rect_rollup import UnitRectification
from ..analysis.rollup import ChecklistRollup, RankRow, Rollup
from ..analysis.score_changes import BONUS_CAP, CAP, ITEM, ScoreChange
from ...texts import Words, words as words_of
from ..analysis.score_line import grade_words, words
from .common import STATES, state_word, status_word

ZH = words_of("zh")
CATEGORY_KEYS = {
    "fixed": "doc.cmp.fixed", "still_failing": "doc.cmp.still_failing", "newly_failing": "doc.cmp.newly_failing",
    "not_checked": "doc.cmp.not_checked", "unchanged_pass": "doc.cmp.unchanged_pass", "na": "doc.cmp.na",
    "removed": "doc.cmp.removed", "added": "doc.cmp.added",
}
ABSENT = "—"  # a side that does not have the item (another version of the checklist)
BRANCH_LIST = 10  # names listed beside a failed item before "等 N 个支部"
CHANGE_KEYS = {"text": "doc.rep.changed_text", "points": "doc.col.points", "clauses": "doc.rep.changed_clauses"}


def category(kind: str, w: Words = ZH) -> str:
    """已整改, 仍不符合 … (core/compare.py's categories) in `w`'s language."""
    return w(CATEGORY_KEYS[kind])


CATEGORY_LABELS = {kind: ZH(key) for kind, key in CATEGORY_KEYS.items()}  # the Chinese words
SHOWN = (FIXED, STILL_FAILING, NEWLY_FAILING, NOT_CHECKED, REMOVED, ADDED)  # listed item by item


def state(value: str | None, present: bool = True, w: Words = ZH) -> str:
    return state_word(value, w) if present else ABSENT


def named(branch: str, unit: str, w: Words = ZH) -> str:
    return w("doc.branch_unit", branch=branch, unit=unit) if unit else branch


def scope(rollup: Rollup, w: Words = ZH) -> str:
    """The selection in words: 检查表 shequ · 2026-01-01 起 · 所属单位 幸福社区党委."""
    parts = []
    if "checklist" in rollup.filters:
        parts.append(w("doc.rep.scope_checklist", id=rollup.filters["checklist"]))
    if "since" in rollup.filters:
        parts.append(w("doc.rep.scope_since", date=rollup.filters["since"]))
    if "unit" in rollup.filters:
        parts.append(w("doc.rep.scope_unit", unit=rollup.filters["unit"]))
    return " · ".join(parts) or w("doc.rep.scope_all")


def rank_basis(group: ChecklistRollup, w: Words = ZH) -> str:
    if group.rank_by == "total":
        return w("doc.rep.rank_total")
    if group.scored:
        return w("doc.rep.rank_rate")
    return w("doc.rep.rank_pass_rate")


def provisional_note(group: ChecklistRollup, w: Words = ZH) -> str:
    if not group.provisional:
        return ""
    return w("doc.rep.provisional_note", count=group.provisional)


def score_text(row: RankRow | ScoredSession, open_part: bool = True, w: Words = ZH) -> str:
    """"20/28", "暂定 24/28,另有 4 分未检查", "符合 10/81 项" — core/analysis/score_line.py's wording."""
    return words(row.scores.line, w.lang, grade=False, open_part=open_part)


def score_label(scored: bool, w: Words = ZH) -> str:
    return w("doc.col.score") if scored else w("doc.self.passed")


def grade_text(row: RankRow, w: Words = ZH) -> str:
    return grade_words(row.scores.line, w.lang) or ABSENT


def ranking_header(group: ChecklistRollup, w: Words = ZH) -> list[str]:
    header = [w("doc.rep.rank"), w("doc.xlsx.col.branch"), w("doc.xlsx.col.unit"), score_label(group.scored, w),
              rate_label(group.scored, w)]
    header += [w("doc.grade")] if group.graded else []
    return header + [w("doc.meta.date"), w("doc.meta.status"), w("doc.rep.progress")]


def ranking_rows(group: ChecklistRollup, w: Words = ZH) -> list[list[str]]:
    rows = []
    for r in group.ranking:
        row = [str(r.rank), r.header.branch, r.header.unit, score_text(r, w=w), percent_text(r.scores.percent)]
        row += [grade_text(r, w)] if group.graded else []
        rows.append(row + [r.header.date, status_word(r.header.status, w), f"{r.scores.answered}/{r.scores.leaves}"])
    return rows


UNFINISHED_TITLE = ZH("doc.rep.unfinished")


def unfinished_header(group: ChecklistRollup, w: Words = ZH) -> list[str]:
    header = [w("doc.xlsx.col.branch"), w("doc.xlsx.col.unit"), score_label(group.scored, w)]
    header += [w("doc.grade")] if group.graded else []
    return header + [w("doc.meta.date"), w("doc.meta.status"), w("doc.rep.progress")]


def unfinished_rows(group: ChecklistRollup, w: Words = ZH) -> list[list[str]]:
    """Branches whose latest inspection is not finished: unranked, their score marked 暂定."""
    rows = []
    for r in group.unfinished:
        row = [r.header.branch, r.header.unit, score_text(r, w=w)] + ([grade_text(r, w)] if group.graded else [])
        rows.append(row + [r.header.date, status_word(r.header.status, w), f"{r.scores.answered}/{r.scores.leaves}"])
    return rows


def failed_header(group: ChecklistRollup, w: Words = ZH) -> list[str]:
    """The items failed most often: the table the Markdown and HTML reports draw alike."""
    return ([w("doc.col.item"), w("doc.col.id"), w("doc.col.section"), w("doc.rep.col.failed_branches"),
             w("doc.rep.col.share")] + ([w("doc.rep.col.avg_lost")] if group.scored else []) + [w("doc.xlsx.col.branch")])


def failed_rows(group: ChecklistRollup, w: Words = ZH, code: Callable[[str], Any] = str) -> list[list[Any]]:
    """`code`: how the format marks an item id (Markdown sets it as code)."""
    rows = []
    for f in group.failed_items:
        share = percent_text(Decimal(f.count * 100) / group.branches, places=0) if group.branches else ABSENT
        rows.append([f.text, code(f.id), f.section, str(f.count), share] + ([points_text(f.avg_lost)] if group.scored else [])
                    + [listed(f.branches, w)])
    return rows


def rect_header(w: Words = ZH) -> list[str]:
    """整改率 per unit (core/analysis/rect_rollup.by_unit): the table every format draws alike."""
    return [w("doc.xlsx.col.unit"), w("doc.rep.col.rect_inspections"), w("doc.rep.col.rect_total"),
            w("doc.rep.col.rect_closed"), w("doc.rep.col.rect_rate"), w("doc.rep.col.rect_open"),
            w("doc.rep.col.rect_overdue")]


def rect_unit(row: UnitRectification, w: Words = ZH) -> str:
    return w("doc.total") if row.total_row else (row.unit or w("doc.rep.rect_no_unit"))


def rect_rows(rollup: Rollup, w: Words = ZH) -> list[list[str]]:
    """One row per unit, then the total: the rate with its counts beside it, "60.0%(6/10)"."""
    return [[rect_unit(r, w), str(r.inspections), str(r.total), str(r.closed),
             w("doc.rep.rect_rate", percent=percent_text(r.rate), closed=r.closed, total=r.total) if r.total else ABSENT,
             str(r.open), str(r.overdue)] for r in rollup.rectifications]


def rect_note(rollup: Rollup, w: Words = ZH) -> str:
    return w("doc.rep.rect_note", today=rollup.today)


def rate_label(scored: bool, w: Words = ZH) -> str:
    return w("doc.rep.score_rate") if scored else w("doc.rep.pass_rate")


def listed(names: tuple[str, ...], w: Words = ZH) -> str:
    shown = w.join(names[:BRANCH_LIST])
    return shown + (w("doc.rep.and_more", count=len(names)) if len(names) > BRANCH_LIST else "")


def side_line(side: ScoredSession, w: Words = ZH) -> str:
    grade = grade_words(side.scores.line, w.lang)
    grade = w("doc.rep.side_grade", grade=grade) if grade else ""
    score = w("doc.rep.side_score", score=score_text(side, w=w))
    score += w("doc.rep.side_percent", percent=percent_text(side.scores.percent)) if side.scores.scored else ""
    return (f"{side.header.date} · {side.header.id} · {side.header.checklist_id} {side.header.checklist_version} · "
            f"{score}{grade} · {status_word(side.header.status, w)}")


def delta_line(comparison: Comparison, w: Words = ZH) -> str:
    delta = comparison.delta
    if delta is None:
        return w("doc.rep.delta_none")
    if not comparison.old.scores.scored:
        return w("doc.rep.delta_items", delta=signed_text(delta))
    return w("doc.rep.delta_points", delta=signed_text(delta))


def change_header(scored: bool, w: Words = ZH) -> list[str]:
    return ([w("doc.col.id"), w("doc.col.item"), w("doc.rep.states")]
            + ([w("doc.rep.old_deducted"), w("doc.rep.new_deducted"), w("doc.rep.score_change")] if scored
               else [w("doc.rep.passed_change")]))


def change_label(line: ScoreChange, w: Words = ZH) -> str:
    if line.kind == CAP:
        return w("doc.rep.cap", item=line.text)
    return w("doc.rep.bonus_cap") if line.kind == BONUS_CAP else line.text


def change_rows(c: Comparison, w: Words = ZH) -> list[list[str]]:
    """Where the score change comes from (core/analysis/score_changes.py), with the total that they make."""
    scored = c.old.scores.scored and c.new.scores.scored
    rows = []
    for line in c.changes:
        if line.kind == ITEM:
            states = f"{state(line.old_state, line.in_old, w)} → {state(line.new_state, line.in_new, w)}"
            lost = [points_text(line.old_deducted), points_text(line.new_deducted)]
        else:
            states, lost = ABSENT, [ABSENT, ABSENT]
        rows.append([line.id, change_label(line, w), states] + (lost if scored else []) + [signed_text(line.points)])
    total = sum((line.points for line in c.changes), Decimal(0))
    rows.append(["", w("doc.total"), ""] + (["", ""] if scored else []) + [signed_text(total)])
    return rows


def changed_text(changes: tuple[str, ...], w: Words = ZH) -> str:
    return w.join(w(CHANGE_KEYS[c]) if c in CHANGE_KEYS else c for c in changes)



# -- comparison tables (Markdown, HTML) -------------------------------------------------------------

def item_header(scored: bool, w: Words = ZH) -> list[str]:
    return ([w("doc.col.id"), w("doc.col.item"), w("doc.col.section"), w("doc.rep.states")]
            + ([w("doc.rep.old_deducted"), w("doc.rep.new_deducted")] if scored else []) + [w("doc.col.note")])


def item_row(r: ItemChange, scored: bool, w: Words = ZH) -> list[str]:
    states = f"{state(r.old_state, r.category != ADDED, w)} → {state(r.new_state, r.category != REMOVED, w)}"
    remarks = []
    if r.changed:
        remarks.append(w("doc.rep.changed_in_new", what=changed_text(r.changed, w)))
    if r.same_text_as:
        remarks.append(w("doc.rep.same_text_as", id=r.same_text_as))
    if r.old_note:
        remarks.append(w("doc.rep.old_note", note=r.old_note))
    if r.new_note:
        remarks.append(w("doc.rep.new_note", note=r.new_note))
    return [r.id, r.text, r.section, states] + ([points_text(r.old_deducted), points_text(r.new_deducted)] if scored else []) + ["; ".join(remarks)]


def section_header(scored: bool, w: Words = ZH) -> list[str]:
    return [w("doc.col.section"), w("doc.rep.old_score") if scored else w("doc.rep.old_result"),
            w("doc.rep.new_score") if scored else w("doc.rep.new_result"), w("doc.rep.change")]


def section_rows(c: Comparison, scored: bool, w: Words = ZH) -> list[list[str]]:
    rows = []
    for s in c.sections:
        old = ABSENT if s.old is None else (f"{points_text(s.old.score)} / {points_text(s.old.max)}" if scored
                                            else w("doc.rep.failed_count", count=s.old.counts["fail"]))
        new = ABSENT if s.new is None else (f"{points_text(s.new.score)} / {points_text(s.new.max)}" if scored
                                            else w("doc.rep.failed_count", count=s.new.counts["fail"]))
        rows.append([s.title, old, new, signed_text(s.delta) if scored else ABSENT])
    return rows


__all__ = ["CATEGORY_LABELS", "STATES", "category", "state", "named", "scope",
           "rank_basis", "provisional_note", "score_text", "score_label", "rate_label",
           "SHOWN", "item_header", "item_row", "section_header", "section_rows", "listed", "side_line", "delta_line", "changed_text",
           "change_header", "change_rows", "change_label", "grade_text", "ranking_header", "ranking_rows",
           "UNFINISHED_TITLE", "unfinished_header", "unfinished_rows", "rect_header", "rect_note", "rect_rows",
           "rect_unit"]


# -- a re-inspection's carried rectifications (core/analysis/reinspection.py) ----------------------

def carried_line(c: Comparison, w: Words = ZH) -> str:
    """上次整改事项 3 项: 整改到位 1(已销号 1,待确认销号 0) · 仍未整改 1 · 待复查 1"""
    n = c.carried_counts
    return w("reinspect.counts", total=len(c.carried), fixed=n["confirmed"] + n["to_confirm"],
             confirmed=n["confirmed"], to_confirm=n["to_confirm"], still=n["still_open"], pending=n["pending"])


def carried_header(w: Words = ZH) -> list[str]:
    return [w("doc.col.id"), w("doc.col.item"), *(w(f"reinspect.doc.col.{k}") for k in CARRIED_COLUMNS)]


CARRIED_COLUMNS = ("finding", "deadline", "report", "outcome")  # after the item's id and text


def carried_rows(c: Comparison, w: Words = ZH, cut: int | None = None) -> list[list[str]]:
    """One row per carried rectification: what was promised, and what the re-inspection found;
    `cut`: the characters a finding or report keeps in a narrow table (whole in documents)."""
    def shorten(text: str) -> str:
        text = " ".join(text.split()) or "—"
        return text if cut is None or len(text) <= cut else text[: cut - 1] + "…"

    rows = []
    for o in c.carried:
        k = o.carried
        report = f"{k.report_date} {k.report}" if k.report else w("reinspect.no_report")
        outcome = w("reinspect.outcome." + o.outcome)
        if o.confirmation is not None:
            outcome += w("reinspect.confirmed_by", by=o.confirmation.by, at=o.confirmation.at)
        rows.append([k.item, k.text, shorten(k.finding), k.deadline + (f" · {k.person}" if k.person else ""),
                     shorten(report), outcome])
    return rows

