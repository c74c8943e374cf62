"""What a score is made of: `Result` (the whole inspection), `ItemResult` (one item at any depth)
and `Reason` (one deduction, 扣分: a rule's clause, or the inspector's override, with its amount).

Frozen records, built by scoring.py (and rescore.py) and read by everything downstream: the app's
tree and detail, the documents, comparisons, roll-ups. A `None` state is 待定 or unanswered —
never a silent pass.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass, field
from decimal import Decimal

from ..checklist.model import State
from ..numbers import points_text

ZERO = Decimal(0)


@dataclass(frozen=True)
class Reason:
    """Why points were (or would be) taken: the clause and the numbers that triggered it."""

    clause: str
    amount: Decimal  # what the rule asks for, before any cap
    count: Decimal | None = None  # per-instance rules: how many instances
    per: Decimal | None = None
    assumed_count: bool = False  # the inspector gave no count; one instance was assumed
    manual: bool = False  # an inspector's override (手动扣分)
    finding: str = ""  # for a rule decided by facts: what was found, in words and numbers

    @property
    def detail(self) -> str:
        if self.per is not None and self.count is not None:
            text = f"{points_text(self.count)} × {points_text(self.per)} = {points_text(self.amount)}"
            return text + (" (计数未填,按1计)" if self.assumed_count else "")
        return points_text(self.amount)


@dataclass
class ItemResult:
    """The score of one item or section."""

    id: str
    state: State | None
    max: Decimal | None  # None: the item has no points of its own (its parent's points cap it)
    deducted: Decimal
    reasons: list[Reason] = field(default_factory=list)
    auto: bool = False  # the state follows the facts, not a mark
    pending: tuple[str, ...] = ()  # facts still needed to decide (待定 while state is None)
    capped: bool = False  # the rules asked for more than the points allow
    overridden: bool = False
    bonus: Decimal = ZERO
    vetoed: bool = False
    warnings: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # what the facts showed, passed or failed
    leaves: int = 0
    answered: int = 0
    failed: int = 0

    @property
    def score(self) -> Decimal | None:
        return None if self.max is None else self.max - self.deducted


@dataclass
class Result:
    """The whole inspection's score."""

    checklist_id: str
    scored: bool
    complete_standard: bool
    max: Decimal
    deducted: Decimal
    bonus: Decimal
    total: Decimal
    percent: Decimal | None
    grade: str
    vetoed: list[str]
    counts: dict[str, int]
    items: dict[str, ItemResult]
    sections: list[ItemResult]
    warnings: list[tuple[str, str]]

    @property
    def leaves(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        return self.leaves - self.counts["unanswered"]

    @property
    def completion(self) -> Decimal:
        return Decimal(self.answered) / Decimal(self.leaves) if self.leaves else Decimal(1)

    @property
    def finished(self) -> bool:
        return self.counts["unanswered"] == 0
