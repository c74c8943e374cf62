"""The command palette in the interface's language.

Textual's CommandPalette writes “Search for commands…” and “No matches found” itself, and the
app's system commands (Keys, Maximize, Quit, Screenshot, Theme) are English. The prompt is a
parameter; the “no matches” line is drawn by a private method, copied here with our words (Textual
is pinned below 9; tests/test_app_palette.py fails if the palette stops saying it in Chinese).
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from ..i18n import t

class Palette(CommandPalette):
    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                command_list = self.query_one(CommandList)
                command_list.add_option(
                    Option(Align.center(Text(t("palette.no_matches"), style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
