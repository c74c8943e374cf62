"""The Textual application: parse nothing, hold nothing, push the first screen."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App
from textual.binding import Binding

from ..core.model import Checklist
from ..i18n import t


class InspectApp(App[None]):
    """inspect-tui. With a checklist it opens straight on it; otherwise on the home screen."""

    CSS_PATH = "app.tcss"
    TITLE = "inspect-tui"
    BINDINGS = [Binding("ctrl+q", "quit", t("key.quit"), id="app.quit", priority=True)]

    def __init__(self, checklist: Checklist | None = None, extra_checklists: Iterable[str | Path] = ()) -> None:
        super().__init__()
        self.checklist = checklist
        self.extra_checklists = list(extra_checklists)

    def on_mount(self) -> None:
        if self.checklist is not None:
            from .screens.checklist_view import ChecklistScreen

            self.push_screen(ChecklistScreen(self.checklist))
        else:
            from .screens.home import HomeScreen

            self.push_screen(HomeScreen(self.extra_checklists))
