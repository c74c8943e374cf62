"""The words of comparisons and self-assessments, shared by the CLI's text and the app's screens.

What `inspect-tui diff` / `selfcheck --show` print and what the app's comparison, report and
summary screens show are the same findings: one set of labels, registered once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .core.numbers import percent_text, points_text as num, signed_text
from .i18n import lang, say, t

if TYPE_CHECKING:
    from .core.analysis.compare import Comparison, ItemChange, SectionChange
    from .core.analysis.results import ScoredSession

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
    """What the reader of a comparison must know (another standard or version, another branch):
    the core's flags (`Comparison.notes`), said in the current language."""
    return [say(note) for note in c.notes]


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



# -- a re-inspection's carried rectifications: the documents' wording (export/report_common.py),
#    in the interface's language, findings cut to fit a terminal's table ----------------------------

CUT = 40  # characters of a finding or a report in a table's cell; the whole of it is in --json


def carried_line(c: "Comparison") -> str:
    from .core.export.report_common import carried_line as line
    from .texts import words

    return line(c, words(lang()))


def carried_header() -> list[str]:
    from .core.export.report_common import CARRIED_COLUMNS

    return [t("col.id"), t("diff.col.item"), *(t(f"reinspect.col.{k}") for k in CARRIED_COLUMNS)]


def carried_cells(c: "Comparison") -> list[list[str]]:
    from .core.export.report_common import carried_rows
    from .texts import words

    return carried_rows(c, words(lang()), CUT)
