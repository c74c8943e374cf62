"""Always visible under an inspection: branch, progress, score so far, points lost, saved or not.

One line drawn by one widget: a change of score repaints this line only, with no layout pass
(a row of Statics and a ProgressBar re-laid the whole screen on every key).
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...core.checklist.model import Checklist
from ...core.analysis.score_line import ScoreLine, grade_words, line_from_numbers, score_line, words, words_open
from ...core.analysis.item_results import Result
from ...core.text import shown
from ...i18n import lang, register, t
from ..render import num

register({
    "status.saved": ("✓ 已保存", "✓ saved"),
    "status.saving": ("… 保存中", "… saving"),
    "status.unsaved": ("✗ 未保存!", "✗ NOT SAVED!"),
    "status.read_only": ("只读", "read-only"),
    "status.trial": ("试用,不保存", "trial, not saved"),
    "status.lost": ("扣 {points}", "-{points}"),
})

BAR_WIDTH = 12
SAVED_STYLES = {"saved": "green", "saving": "yellow", "unsaved": "bold white on red", "read_only": "bold yellow", "trial": "dim"}


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, branch: str, checklist: Checklist | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.branch = branch
        self.checklist = checklist  # to tell the points still open (without it: 暂定 alone)
        self.result: Result | None = None
        self.line: ScoreLine | None = None
        self.saved_state = "saved"

    def show(self, result: Result) -> None:
        self.result = result
        self.line = self._line(result)  # once per score, not once per repaint
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
        line = self.line if self.line is not None else self._line(result)
        # "暂定 24/28,另有 12 分未检查": until every applicable item is decided the total flatters
        text.append(words(line, lang(), grade=False, open_part=False), style="dim bold" if line.provisional else "bold")
        if result.scored and result.deducted:
            text.append("  " + t("status.lost", points=num(result.deducted)), style="red")
        if result.grade:
            text.append(f"  {grade_words(line, lang())}", style="dim" if line.provisional else "")
        if line.provisional and line.open:
            text.append("  " + words_open(line, lang()).lstrip(",, "), style="yellow")
        return text

    def _line(self, result: Result) -> ScoreLine:
        if self.checklist is not None:
            return score_line(self.checklist, result)
        total = result.total if result.scored else result.counts["pass"]
        return line_from_numbers(result.scored, result.finished, total, result.max, None, result.grade)

    def render(self) -> Text:
        saved = Text(t(f"status.{self.saved_state}"), style=SAVED_STYLES[self.saved_state])
        left = Text(shown(self.branch, multiline=False), style="bold")
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
