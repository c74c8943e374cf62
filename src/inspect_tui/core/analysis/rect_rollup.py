"""整改率 and 逾期 per unit in a roll-up (core/analysis/rollup.py): every rectification of every
inspection of the selection counts where its branch belongs; 逾期 is decided on the roll-up's `today`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rollup import Inspection


@dataclass(frozen=True)
class UnitRectification:
    """整改率 of one unit: every rectification of every inspection of the selection whose branch
    belongs to it (a notice's items count where they were issued, re-inspected or not)."""

    unit: str  # "" for branches without a unit; the total row has `total_row` set
    inspections: int
    total: int
    closed: int  # 已销号
    open: int  # not closed yet (待整改, 已报整改)
    overdue: int  # open past the deadline on the roll-up's `today`
    rate: Decimal | None  # closed / total as a percentage; None with nothing to put right
    total_row: bool = False



def rate(closed: int, total: int) -> Decimal | None:
    """closed / total as a percentage to one place; None with nothing to put right."""
    return (Decimal(closed * 100) / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None


def by_unit(inspections: list[Inspection], today: dt.date) -> tuple[UnitRectification, ...]:
    """整改率 and 逾期 per unit (by name), then the total row; nothing when nothing was found."""
    from ..session.rectification import CLOSED, overdue_days

    units: dict[str, list[Inspection]] = {}
    for i in inspections:
        units.setdefault(i.header.unit, []).append(i)

    def row(unit: str, members: list[Inspection], total_row: bool = False) -> UnitRectification:
        rects = [r for i in members for r in i.rectifications]
        closed = sum(1 for status, _, _ in rects if status == CLOSED)
        overdue = sum(1 for status, deadline, reported in rects if overdue_days(status, deadline, reported, today))
        return UnitRectification(unit, len(members), len(rects), closed, len(rects) - closed, overdue,
                                 rate(closed, len(rects)), total_row)

    rows = [row(unit, members) for unit, members in sorted(units.items())]
    if not any(r.total for r in rows):
        return ()
    return (*rows, row("", inspections, total_row=True))


__all__ = ["UnitRectification", "by_unit", "rate"]
