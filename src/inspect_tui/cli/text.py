"""Plain-text tables that line up with Chinese text (a CJK character takes two terminal cells), and
the escape every line the CLI prints goes through (`ShownStream`)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from ..core.text import needs_shown, shown


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    if text.isascii():  # no ASCII character is wide or combining: one cell each
        return len(text)
    return sum(map(_char_cells, text))


@lru_cache(maxsize=8192)
def _char_cells(char: str) -> int:
    """One character's cells, memoised: a long table (the folder's rectifications) measures the
    same few thousand characters again and again."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def pad(text: str, width: int, measured: int | None = None) -> str:
    return text + " " * max(0, width - (cells(text) if measured is None else measured))


def table(header: list[str], rows: list[list[str]]) -> str:
    # a cell is one line, escaped before it is measured: a newline or an escape in a branch name
    # that slipped past the gate would otherwise break the columns
    rows = [[shown(value, multiline=False) for value in row] for row in rows]
    sizes = [[cells(value) for value in row] for row in rows]  # each cell measured once
    widths = [cells(h) for h in header]
    for measured in sizes:
        for index, size in enumerate(measured):
            widths[index] = max(widths[index], size)
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row, measured in zip(rows, sizes):
        lines.append("  ".join(pad(v, w, n) for v, w, n in zip(row, widths, measured)).rstrip())
    return "\n".join(lines)




class ShownStream:
    """sys.stdout / sys.stderr for the headless commands: every write goes through `text.shown`,
    the one escape (core/text.py), so no line the CLI prints — a table, an import report, an
    error naming a file — can carry ESC, a C1 control, a bidi control or a lone surrogate to the
    terminal, whichever code path built it. Text that is already clean passes unchanged. (The
    binary `.buffer` is not wrapped: nothing is printed through it — a workbook needs -o FILE.)"""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: str) -> int:
        self._stream.write(shown(data) if needs_shown(data) or "\r" in data else data)
        return len(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def bad_argument(argv: list[str]) -> str | None:
    """The first argument holding a lone surrogate (bytes that are not UTF-8, as Python decodes an
    undecodable argv), shown escaped; None when every argument is valid text. Refused before
    dispatch: such text could never be saved, printed or exported faithfully."""
    for arg in argv:
        if any("\ud800" <= ch <= "\udfff" for ch in arg):
            return shown(arg, multiline=False)
    return None
