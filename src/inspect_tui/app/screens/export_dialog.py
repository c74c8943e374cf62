"""Pick what to export and in which format (Word, Excel, Markdown, CSV, JSON, HTML)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...i18n import t
from .base import AppModal


ORDER = ("docx", "xlsx", "md", "csv", "json", "html")


class ExportDialog(AppModal["tuple[str, str] | None"]):
    """Dismisses with (format, what) — what is "summary" or "rectification" — or None."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 60; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    ExportDialog OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", t("export.cancel"), id="export.cancel")]

    def __init__(self, formats: tuple[str, ...]) -> None:
        super().__init__()
        self.formats = [f for f in ORDER if f in formats] + [f for f in formats if f not in ORDER]

    def compose(self) -> ComposeResult:
        options = []
        for what in ("summary", "rectification"):
            for fmt in self.formats:
                label = Text(f"{t('export.' + what)} · ")
                label.append(t("export.fmt." + fmt) if f"export.fmt.{fmt}" in _known() else fmt)
                options.append(Option(label, id=f"{fmt}:{what}"))
        with Vertical():
            yield Label(t("export.title"))
            yield OptionList(*options)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        fmt, what = str(event.option.id).split(":")
        self.dismiss((fmt, what))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _known() -> set[str]:
    from ...i18n import MESSAGES

    return set(MESSAGES)
