"""The home screen's filter actions: `/` a text filter, `o` the sessions with overdue
rectifications (the filter word 逾期, shown in the filter box), Esc clears it. A mixin of
HomeScreen (home.py), which owns the filter box, the query and the table."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from ...i18n import t


class HomeFilters:
    """Actions over HomeScreen's `#home-filter`, `query_text`, `refresh_table` and `table`."""

    query_text: str
    query_one: Any
    refresh_table: Any
    table: Any

    def action_filter(self) -> None:
        box = self.query_one("#home-filter", Input)
        box.display = True
        box.focus()

    def action_overdue(self) -> None:
        """Only the sessions with a rectification past its deadline: the filter word 逾期."""
        box = self.query_one("#home-filter", Input)
        box.display = True
        box.value = t("home.rect.filter_word")  # its Input.Changed filters the list too
        self.query_text = box.value
        self.refresh_table()
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#home-filter", Input)
        box.value = ""
        box.display = False
        self.query_text = ""
        self.refresh_table()
        self.table.focus()
