"""Plain-text tables that line up with Chinese text (a CJK character takes two terminal cells)."""

from __future__ import annotations

import unicodedata

from ..core.numbers import points_text as num  # noqa: F401  (the commands format points with it)


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [cells(h) for h in header]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], cells(value))
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(v, w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


