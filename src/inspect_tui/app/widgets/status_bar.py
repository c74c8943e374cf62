"""Always visible under an inspection: branch, progress, score so far, points lost, saved or not.

One line drawn by one widget: a change of score repaints this line only, with no layout pass
(a row of Statics and a ProgressBar re-laid the whole screen on every key).
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...core.scoring import Result
from ...i18n import register, t
from ..render import num

register({
    "status.saved": ("✓ 已保存", "✓ saved"),
    "status.saving": ("… 保存中", "… saving"),
    "status.unsaved": ("✗ 未保存!", "✗ NOT SAVED!"),
    "status.read_only": ("只读", "read-only"),
    "status.trial": ("试用,不保存", "trial, not saved"),
    "status.lost": ("扣 {points}", "-{points}"),
    "status.provisional": ("(暂定)", "(provisional)"),
})

BAR_WIDTH = 12
SAVED_STYLES = {"saved": "green", "saving": "yellow", "unsaved": "bold white on red", "read_only": "bold yellow", "trial": "dim"}


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, branch: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.branch = branch
        self.result: Result | None = None
        self.saved_state = "saved"

    def show(self, result: Result) -> None:
        self.result = result
        self.refresh()

    def saved(self, state: str) -> None:
        """`state`: saved | saving | unsaved | read_only | trial."""
        if state != self.saved_state:
            self.saved_state = state
            self.refresh()

    @property
    def score_text(self) -> str:
        return self._score().plain

    def _score(self) -> Text:
        result = self.result
        text = Text()
        if result is None:
            return text
        done = round(BAR_WIDTH * result.answered / result.leaves) if result.leaves else BAR_WIDTH
        text.append("━" * done, style="green")
        text.append("━" * (BAR_WIDTH - done), style="dim")
        text.append(f" {result.answered}/{result.leaves}  ")
        if result.scored:
            text.append(f"{num(result.total)}/{num(result.max)}", style="bold")
            if result.deducted:
                text.append("  " + t("status.lost", points=num(result.deducted)), style="red")
        else:
            text.append("—" if result.percent is None else f"{result.percent:.0f}%", style="bold")
        if result.grade:
            text.append(f"  {result.grade}")
            if not result.finished:
                text.append(t("status.provisional"), style="dim")
        return text

    def render(self) -> Text:
        saved = Text(t(f"status.{self.saved_state}"), style=SAVED_STYLES[self.saved_state])
        left = Text(self.branch, style="bold")
        left.truncate(30, overflow="ellipsis")
        left.append("  ")
        left.append_text(self._score())
        width = self.size.width
        gap = width - left.cell_len - saved.cell_len
        if gap < 1:  # a narrow terminal: the saved state matters more than the branch name
            left.truncate(max(0, width - saved.cell_len - 1), overflow="ellipsis")
            gap = 1
        left.append(" " * gap)
        left.append_text(saved)
        return left
