"""What a re-inspection found of the promises it carried (复查): one outcome per carried record.

Derived from the new answers, never stored (the confirmation is: Session.confirmed):

- the item is found 符合 now → `TO_CONFIRM` (整改到位, 待确认销号): the inspector is asked to confirm,
  which closes the earlier session's rectification (session/reinspect_edits.py);
- confirmed, and still 符合 → `CONFIRMED` (整改到位, 已销号);
- still 不符合 → `STILL_OPEN` (仍未整改), counted apart;
- not answered yet, 待定, 不适用, or no longer in this version of the standard → `PENDING` (待复查):
  unknown stays unknown, nothing is presumed put right.

Pure: no I/O, no clock.
"""

from __future__ import annotations


from ...quick_dataclass import dataclass
from ..session.carried import Carried, Confirmation
from ..session.model import Session
from .item_results import Result

CONFIRMED, TO_CONFIRM, STILL_OPEN, PENDING = "confirmed", "to_confirm", "still_open", "pending"
OUTCOMES = (CONFIRMED, TO_CONFIRM, STILL_OPEN, PENDING)
LABELS = {CONFIRMED: "整改到位(已销号)", TO_CONFIRM: "整改到位(待确认销号)", STILL_OPEN: "仍未整改", PENDING: "待复查"}


@dataclass(frozen=True)
class Outcome:
    """One carried rectification and what the re-inspection found of it."""

    carried: Carried
    outcome: str
    state: str | None  # the item's state now ("pass", "fail", "na"), None unanswered or 待定
    confirmation: Confirmation | None = None

    @property
    def item(self) -> str:
        return self.carried.item

    @property
    def fixed(self) -> bool:
        """整改到位: confirmed, or found 符合 and awaiting the confirmation."""
        return self.outcome in (CONFIRMED, TO_CONFIRM)


def outcome_of(session: Session, result: Result, carried: Carried) -> Outcome:
    r = result.items.get(carried.item)
    state = r.state.value if r is not None and r.state is not None else None
    confirmation = session.confirmed.get(carried.item)
    if state == "pass":
        kind = CONFIRMED if confirmation is not None else TO_CONFIRM
    elif state == "fail":
        kind = STILL_OPEN
    else:
        kind = PENDING
    return Outcome(carried, kind, state, confirmation)


def outcomes(session: Session, result: Result | None = None) -> tuple[Outcome, ...]:
    """Every carried record's outcome, in the order carried (the earlier checklist's)."""
    if not session.carried:
        return ()
    result = result or session.score()
    return tuple(outcome_of(session, result, c) for c in session.carried)


def carried_item(session: Session, item_id: str) -> Carried | None:
    return next((c for c in session.carried if c.item == item_id), None)


def counts(found: tuple[Outcome, ...]) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for o in found:
        out[o.outcome] += 1
    return out


__all__ = ["CONFIRMED", "LABELS", "OUTCOMES", "Outcome", "PENDING", "STILL_OPEN", "TO_CONFIRM", "carried_item",
           "counts", "outcome_of", "outcomes"]
