"""The first screen: the available checklists, to open one (sessions join this list later)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...core import catalog
from ...core.model import Checklist
from ...i18n import t


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", t("key.open"), id="home.open"),
        Binding("q", "app.quit", t("key.quit"), id="home.quit"),
    ]

    def __init__(self, extra: list[str | Path]) -> None:
        super().__init__()
        self.extra = extra
        self.checklists: list[Checklist] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("home.hint"), id="home-hint")
        table: DataTable[str | Text] = DataTable(id="checklists", cursor_type="row")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = "inspect-tui"
        self.sub_title = t("home.subtitle")
        table = self.query_one(DataTable)
        table.add_columns(t("col.id"), t("col.title"), t("col.items"), t("col.complete"))
        table.focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Reading and validating every checklist file is disk work: keep it off the UI thread."""
        entries = catalog.scan(self.extra)
        self.app.call_from_thread(self.show, entries)

    def show(self, entries: list[catalog.Entry]) -> None:
        table = self.query_one(DataTable)
        for entry in entries:
            if entry.checklist is None:
                continue
            checklist = entry.checklist
            self.checklists.append(checklist)
            table.add_row(
                checklist.id, Text(checklist.title), str(checklist.leaf_count),
                t("yes") if checklist.complete else t("no"), key=str(len(self.checklists) - 1),
            )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.open_row(event.cursor_row)

    def action_open(self) -> None:
        self.open_row(self.query_one(DataTable).cursor_row)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.checklists):
            from .checklist_view import ChecklistScreen

            self.app.push_screen(ChecklistScreen(self.checklists[row]))
