"""Points as people write them and as JSON carries them: the one place that formats a Decimal."""

from __future__ import annotations

from decimal import Decimal


def points_text(value: Decimal | None, blank: str = "—") -> str:
    """4, 0.5, 12 — never 4.00 or 1E+1; `blank` when there is no number."""
    return blank if value is None else format(value.normalize(), "f")


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON or spreadsheet number: an int when whole, so 4 stays 4, not 4.0."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
