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
