"""A score as it may be shown: final only when every applicable item is decided.

An unanswered item costs nothing, so a half-done inspection's total looks better than it is.
Every place that shows a score (status bar, home list, summary, report, exports) words it here,
so none of them can show "28/28" for an inspection nobody has checked:

- final, every applicable item decided:      "24/28 良好"             · "符合 20/25 项"
- still open (unanswered or 待定 items):     "暂定 24/28,另有 12 分未检查" · "暂定 符合 20/25 项,另有 3 项未检查"

**Open points** (另有 N 分未检查) are the most the total can still fall by once the undecided
items are decided, as the engine caps deductions:
- an undecided leaf (state None: unanswered or 待定) puts its own points at risk;
- a parent with points puts at most its remaining points (its maximum − what it already lost) at
  risk, however much its undecided children carry (单项分值扣完为止);
- a leaf without points of its own can lose what its clauses name (their fixed amounts added up;
  a per-instance clause has no bound, so then only the parent's remaining points bound it); a
  manual override beyond the clauses is not foreseen; a section with no points at all can lose
  nothing (scoring.score).
Bonus points are not counted: they can only raise the total. An unscored standard counts items:
m = applicable items (符合 + 不符合 + undecided), the open figure the undecided ones.

Pure and free of Textual; `words(line, lang)` is the only place the wording lives.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..numbers import points_text

if TYPE_CHECKING:
    from ..checklist.model import Checklist, Item
    from .item_results import Result

ZERO = Decimal(0)


@dataclass(frozen=True)
class ScoreLine:
    """What a score line says. Scored: points; unscored: items (total = passed, max = applicable)."""

    scored: bool
    final: bool
    total: Decimal
    max: Decimal
    open: Decimal | None  # points (scored) or items (unscored) still undecided; None: not known
    grade: str = ""

    @property
    def provisional(self) -> bool:
        return not self.final


def score_line(checklist: "Checklist", result: "Result") -> ScoreLine:
    """The line for `result`, the score of an inspection against `checklist`."""
    if not result.scored:
        undecided = result.counts["unanswered"]
        return ScoreLine(False, undecided == 0, Decimal(result.counts["pass"]), result.max, Decimal(undecided),
                         result.grade)
    at_risk = ZERO
    for section in checklist.sections:
        risk = _at_risk(section, result)
        at_risk += risk if risk is not None else ZERO  # a section with no points can lose none
    final = result.finished
    return ScoreLine(True, final, result.total, result.max, ZERO if final else at_risk, result.grade)


def _at_risk(item: "Item", result: "Result") -> Decimal | None:
    """Points `item` may still lose through its undecided leaves; None: unbounded here, only a
    parent's points cap it (a leaf or subtree with no points of its own)."""
    r = result.items[item.id]
    if item.is_leaf and r.state is not None or r.state is not None and r.state.value == "na":
        return ZERO  # decided, or out of scope as a whole
    if item.is_leaf:
        return _clause_points(item) if r.max is None else r.max - r.deducted
    below: Decimal | None = ZERO
    for child in item.items:
        if child.bonus is not None:
            continue  # a bonus item adds, it never takes away
        risk = _at_risk(child, result)
        below = None if risk is None or below is None else below + risk
    if below == ZERO:
        return ZERO
    if r.max is None:
        return below
    headroom = max(r.max - r.deducted, ZERO)
    return headroom if below is None else min(below, headroom)


def _clause_points(item: "Item") -> Decimal | None:
    """The most a leaf without points of its own can lose: the sum of its clauses' fixed amounts
    (alternatives summed too — an upper bound, never less than the truth). None when a clause is
    per instance or of a kind not known here: then only the parent's points bound it."""
    from ..checklist.model import OneOf, Rule

    total = ZERO
    for rule in item.rules:
        cases = rule.cases if isinstance(rule, OneOf) else (rule,)
        for case in cases:
            if not isinstance(case, Rule) or case.per is not None:
                return None
            total += case.points or ZERO
    return total


WORDS = {
    "final": ("{total}/{max}", "{total}/{max}"),
    "provisional": ("暂定 {total}/{max}", "provisional {total}/{max}"),
    "open": (",另有 {open} 分未检查", ", {open} more points unchecked"),
    "items_final": ("符合 {total}/{max} 项", "{total}/{max} items pass"),
    "items_provisional": ("暂定 符合 {total}/{max} 项", "provisional {total}/{max} items pass"),
    "items_open": (",另有 {open} 项未检查", ", {open} more items unchecked"),
}


def _word(key: str, lang: str, **values: Any) -> str:
    zh, en = WORDS[key]
    return (en if lang == "en" else zh).format(**values)


def words(line: ScoreLine, lang: str = "zh", grade: bool = True, open_part: bool = True) -> str:
    """"24/28 良好", "暂定 24/28 良好,另有 12 分未检查", "符合 20/25 项". `grade=False` leaves the
    grade out (a table with a grade column of its own); `open_part=False` the open points."""
    values = {"total": points_text(line.total), "max": points_text(line.max), "open": points_text(line.open, "")}
    prefix = "" if line.scored else "items_"
    text = _word(prefix + ("final" if line.final else "provisional"), lang, **values)
    if grade and line.grade:
        text += " " + line.grade
    return text + (words_open(line, lang) if open_part else "")


def words_open(line: ScoreLine, lang: str = "zh") -> str:
    """",另有 12 分未检查" alone, for a line that shows the score and the grade apart."""
    if line.final or line.open is None:
        return ""
    values = {"open": points_text(line.open)}
    return _word(("" if line.scored else "items_") + "open", lang, **values)


def grade_words(line: ScoreLine, lang: str = "zh") -> str:
    """The grade for a grade column: marked 暂定 while the score is."""
    if not line.grade:
        return ""
    if line.final:
        return line.grade
    return f"{line.grade}(暂定)" if lang != "en" else f"{line.grade} (provisional)"


def line_from_numbers(scored: bool, final: bool, total: Any, maximum: Any, open_: Any, grade: str = "") -> ScoreLine:
    """A line rebuilt from stored numbers (a session list entry, a JSON file); `open_` None when
    the entry predates it (the line then says 暂定 without a figure)."""
    def dec(value: Any) -> Decimal:
        return ZERO if value is None else Decimal(str(value))

    return ScoreLine(scored, final, dec(total), dec(maximum), None if open_ is None else dec(open_), grade)


__all__ = ["ScoreLine", "score_line", "words", "words_open", "grade_words", "line_from_numbers"]
