"""`?` or F1: every key of the screen underneath, with what it does, in the current language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import label, t
from .base import AppModal


_KEY_NAMES = {
    "space": "Space", "backspace": "⌫", "delete": "Del", "escape": "Esc", "enter": "Enter",
    "period": ".", "full_stop": ".", "comma": ",", "slash": "/", "question_mark": "?", "right_square_bracket": "]",
    "left_square_bracket": "[", "ctrl+q": "Ctrl+Q", "ctrl+z": "Ctrl+Z", "ctrl+s": "Ctrl+S", "f1": "F1",
    "ctrl+y": "Ctrl+Y", "ctrl+t": "Ctrl+T",
}


def key_display(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(AppModal[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 96%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", t("help.close"), id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(title=t("help.title"), expand=True, show_edge=False)
        table.add_column(t("help.key"), no_wrap=True, style="bold cyan")
        table.add_column(t("help.action"))
        seen: set[str] = set()
        # the screen's keys, then the focused widget's own (the facts form's Ctrl+Y / Ctrl+T)
        focused = [node for node in (self.under.focused.ancestors_with_self if self.under.focused else [])
                   if node is not self.under and node is not self.app]
        for source in (self.under, *focused, self.app):
            for binding in getattr(source, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.description and binding.key not in seen:
                    seen.add(binding.key)
                    table.add_row(key_display(binding.key), Text(label(binding.description)))
        with VerticalScroll():
            yield Static(table)
            yield Static(Text(t("help.footer"), style="dim"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
