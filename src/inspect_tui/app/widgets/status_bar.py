"""Always visible under an inspection: branch, progress, score so far, points lost, saved or not."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

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


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; padding: 0 1; }
    StatusBar Static { width: auto; height: 1; margin-right: 2; }
    StatusBar #branch { text-style: bold; max-width: 30; }
    StatusBar ProgressBar { width: 24; height: 1; margin-right: 2; }
    StatusBar ProgressBar Bar { width: 12; }
    StatusBar #saved { dock: right; margin-right: 0; }
    StatusBar #saved.-unsaved { background: $error; color: $text; text-style: bold; }
    """

    def __init__(self, branch: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.branch = branch

    def compose(self) -> ComposeResult:
        yield Static(Text(self.branch), id="branch")
        yield ProgressBar(show_eta=False, id="progress")
        yield Static(id="score")
        yield Static(id="saved")

    def show(self, result: Result) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(result.leaves, 1), progress=result.answered)
        text = Text(f"{result.answered}/{result.leaves}  ")
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
        self.query_one("#score", Static).update(text)

    def saved(self, state: str) -> None:
        """`state`: saved | saving | unsaved | read_only | trial."""
        widget = self.query_one("#saved", Static)
        widget.update(t(f"status.{state}"))
        widget.set_class(state == "unsaved", "-unsaved")
