"""Where the inspector goes next: the next item to mark, and what was passed over on the way.

Domain logic, not screen logic: after 符合/不适用 the cursor moves on to the next item the
inspector must mark by hand. Items the facts decide (computed) and items already answered are
passed over — and the screen says which computed ones, so `y y n` never lands one item later than
the inspector expects without a word.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass

from ..checklist.model import Checklist
from .item_results import Result


@dataclass(frozen=True)
class NextItem:
    """The next item to mark (None when every hand-marked item is answered) and what lies between."""

    item_id: str | None
    passed_computed: tuple[str, ...] = ()  # computed items between here and there, in order


def next_to_mark(checklist: Checklist, result: Result, current: str | None, step: int = 1) -> NextItem:
    """From `current` (an item id, or None for the top), the next unanswered hand-marked leaf in
    document order (`step` -1: the previous one), wrapping round; the computed leaves passed on the
    way in the direction of travel (up to the target, or the end when nothing is left)."""
    leaves = [leaf for leaf in checklist.leaves()]
    ids = [leaf.id for leaf in leaves]
    start = ids.index(current) if current in ids else -1
    passed: list[str] = []
    for offset in range(1, len(leaves) + 1):
        index = (start + step * offset) % len(leaves)
        leaf = leaves[index]
        if leaf.id == current:
            break
        if leaf.computed:
            passed.append(leaf.id)
            continue
        if result.items[leaf.id].state is None:
            return NextItem(leaf.id, tuple(passed))
    return NextItem(None, tuple(passed))


def first_to_mark(checklist: Checklist, result: Result) -> str | None:
    """Where a new inspection starts: the first hand-marked item not yet answered (else the first)."""
    for leaf in checklist.leaves():
        if result.items[leaf.id].state is None and not leaf.computed:
            return leaf.id
    first = next(checklist.leaves(), None)
    return first.id if first else None
