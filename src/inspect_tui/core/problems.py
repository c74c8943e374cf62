"""Problems with a file, reported as `FILE:LINE:COL: message` (kept apart from YAML so that
catching them does not load a parser)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, printed as `FILE:LINE:COL: message`."""

    path: str
    line: int  # 1-based; 0 when there is no position
    col: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}: {self.message}"
        return f"{self.path}: {self.message}"


def halves(message: object) -> tuple[str, str]:
    """A core message written '中文 (English)' as its two halves; one without them is both.
    (The core says its one-line messages in both languages; the app and the CLI pick one with
    i18n.localize, the core's own English-only problems take the English half here.)"""
    text = str(message)
    if text.endswith(")") and " (" in text:
        at = text.rindex(" (")
        return text[:at], text[at + 2:-1]
    return text, text


class FileProblems(Exception):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
