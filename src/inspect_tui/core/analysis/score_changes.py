"""Where a score change comes from: one line per item, and the lines add up to the change.

A comparison that says 得分变化 +6 must list +6 worth of items, including the ones nobody thinks
of as "fixed": an item that went from 不符合 to 不适用 (its points leave the maximum and its
deduction with them), or to 未检查/待定 (an undecided item costs nothing yet).

The accounting, for a scored standard. Each node x of a side's checklist has a *share*
s(x) = (its maximum, or 0) − its deduction + its bonus, read from that side's `Result`:
- a **leaf** line carries Δs(leaf);
- a **parent** whose points cap its children (单项分值扣完为止) keeps less than they add up to; the
  difference a(p) = s(p) − Σ s(children) is the parent's own line, "上级分值封顶调整", listed only
  when it changes. Without it a capped item put right would seem to earn points the cap absorbs;
- the **whole checklist** has the same kind of line for the bonus cap: total − Σ s(sections).
For every side the total is then exactly Σ leaves + Σ parent lines + the checklist line (the
terms telescope), so the listed changes add up to new.total − old.total whatever the answers, even
between two versions of a checklist (an item only one version has counts 0 on the other side).

An unscored standard is counted in items passed (符合 n/m 项): a leaf line is +1 when the item now
passes and did not before, −1 the other way, and nothing else moves that count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..checklist.model import Checklist, Item
from .item_results import ItemResult, Result

ZERO = Decimal(0)
ITEM = "item"
CAP = "cap"  # a parent's points absorbed (or released) part of its children's changes
BONUS_CAP = "bonus_cap"  # the checklist's bonus cap did
WHOLE = ""  # the id of the checklist-level line


@dataclass(frozen=True)
class ScoreChange:
    """One line of a score change. `old_state`/`new_state`: pass | fail | na | None (undecided),
    `present` says which sides have the item at all."""

    id: str
    text: str
    kind: str  # ITEM, CAP or BONUS_CAP
    points: Decimal  # its part of the change: points, or items passed when unscored
    old_state: str | None = None
    new_state: str | None = None
    old_deducted: Decimal | None = None
    new_deducted: Decimal | None = None
    in_old: bool = True
    in_new: bool = True


def score_changes(old_list: Checklist, old: Result, new_list: Checklist, new: Result) -> tuple[ScoreChange, ...]:
    """Every item whose state, deduction or share changed, and every cap line that moved."""
    scored = old.scored and new.scored
    old_terms = _terms(old_list, old, scored)
    new_terms = _terms(new_list, new, scored)
    order = _order(new_list) + [i for i in _order(old_list) if not new_list.has_item(i)]
    lines: list[ScoreChange] = []
    for item_id in order:
        before, after = old_terms.get(item_id), new_terms.get(item_id)
        if before is None and after is None:
            continue  # a parent of an unscored standard: counting items has no caps
        points = (after[0] if after else ZERO) - (before[0] if before else ZERO)
        kind = (after or before)[1]  # type: ignore[index]  # one of them is set
        if kind == ITEM:
            o, n = old.items.get(item_id), new.items.get(item_id)
            o_state, n_state = _state(o), _state(n)
            o_lost, n_lost = (o.deducted if o else None), (n.deducted if n else None)
            if points == 0 and (o_state, o_lost) == (n_state, n_lost) and (o is None) == (n is None):
                continue
            item = (new_list if n is not None else old_list).item(item_id)
            lines.append(ScoreChange(item_id, item.text, ITEM, points, o_state, n_state,
                                     o_lost if scored else None, n_lost if scored else None, o is not None, n is not None))
        elif points:
            item = (new_list if new_list.has_item(item_id) else old_list).item(item_id)
            lines.append(ScoreChange(item_id, item.text, CAP, points, in_old=before is not None, in_new=after is not None))
    whole = _whole(new) - _whole(old) if scored else ZERO
    if whole:
        lines.append(ScoreChange(WHOLE, "", BONUS_CAP, whole))
    return tuple(lines)


def total_change(old: Result, new: Result) -> Decimal | None:
    """What the lines add up to: points when both are scored, items passed when neither is."""
    if old.scored != new.scored:
        return None
    if old.scored:
        return new.total - old.total
    return Decimal(new.counts["pass"] - old.counts["pass"])


def _state(r: ItemResult | None) -> str | None:
    return r.state.value if r is not None and r.state is not None else None


def _share(r: ItemResult) -> Decimal:
    return (r.max if r.max is not None else ZERO) - r.deducted + r.bonus


def _terms(checklist: Checklist, result: Result, scored: bool) -> dict[str, tuple[Decimal, str]]:
    """item id → (its term in the total, ITEM or CAP) for one side."""
    terms: dict[str, tuple[Decimal, str]] = {}
    for item in checklist.walk():
        r = result.items[item.id]
        if item.is_leaf:
            value = _share(r) if scored else Decimal(1 if _state(r) == "pass" else 0)
            terms[item.id] = (value, ITEM)
        elif scored:
            below = sum((_share(result.items[c.id]) for c in item.items), ZERO)
            terms[item.id] = (_share(r) - below, CAP)
    return terms


def _whole(result: Result) -> Decimal:
    """The checklist-level term: what the total keeps beyond its sections (the bonus cap)."""
    sections = sum((_share(s) for s in result.sections), ZERO)
    return result.total - sections


def _order(checklist: Checklist) -> list[str]:
    """Items in document order, each parent after its children (its cap line follows them)."""
    out: list[str] = []

    def visit(item: Item) -> None:
        for child in item.items:
            visit(child)
        out.append(item.id)

    for section in checklist.sections:
        visit(section)
    return out


__all__ = ["ScoreChange", "score_changes", "total_change", "ITEM", "CAP", "BONUS_CAP"]
