"""Points as people write them and as JSON carries them: the one place that formats a Decimal.

Every number, percentage and change shown anywhere (the app, the CLI, documents, reports) is
written by one of the three `*_text` functions here, so a figure reads the same everywhere. A
figure shown rounded is rounded half up (71.25 → 71.3), as a person does by hand, in every view.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .errors import NumberError


def rounded(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimals, half up."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def points_text(value: Decimal | None, blank: str = "—", places: int | None = None) -> str:
    """4, 0.5, 12 — never 4.00 or 1E+1; `blank` when there is no number. `places`: rounded to that
    many decimals first (an average, a change), trailing zeros still dropped."""
    if value is None:
        return blank
    return format((value if places is None else rounded(value, places)).normalize(), "f")


def signed_text(value: Decimal | None, blank: str = "—", places: int = 2) -> str:
    """+2, -0.5, 0 — a change, with its sign."""
    if value is None:
        return blank
    text = points_text(value, places=places)
    return "+" + text if value > 0 else text


def percent_text(value: Decimal | None, blank: str = "—", places: int = 1) -> str:
    """71.4%, 100.0% — a rate, always with its one decimal."""
    return blank if value is None else f"{rounded(value, places)}%"


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON or spreadsheet number: an int when whole, so 4 stays 4, not 4.0."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Every number from outside (a fact typed or read from a file, a checklist's points and bounds, a
# constant in an expression) passes `bounded` before anything converts it: `1e99999999` is twelve
# characters, and int(Decimal(...)) of it runs for minutes; 5,000 digits hit Python's own limit;
# NaN and infinities compare and print as nonsense. Nothing in a branch inspection is near these
# bounds (members, points, counts, percentages), so a value past them is a mistake or an attack.
MAX_DIGITS = 15  # significant digits before and after the point together
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_TEXT = 40  # characters of a number as text, before it is parsed at all


def bounded(raw: object) -> Decimal:
    """`raw` (text, int, float or Decimal) as a Decimal within the bounds above, or NumberError."""
    from decimal import InvalidOperation

    if isinstance(raw, bool):
        raise NumberError("err.number.expected")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        if raw.bit_length() > 64:  # checked on bits: str() of a huge int is itself slow
            raise NumberError("err.number.too_large")
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NumberError("err.number.not_finite")
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise NumberError("err.number.too_long")
        if not text.isascii():  # Decimal reads other scripts' digits ('٣' is 3): not in a record
            raise NumberError("err.number.expected")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise NumberError("err.number.expected") from None
    if not value.is_finite():
        raise NumberError("err.number.not_finite")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 12 or exponent < -MAX_DIGITS or len(digits) + min(exponent, 0) > MAX_DIGITS + 12:
        raise NumberError("err.number.out_of_range")
    if abs(value) > MAX_MAGNITUDE:
        raise NumberError("err.number.too_large")
    return value
