"""After an export: where the file went, and a key to open its folder.

The inspector on site hands the file on (a USB stick, a chat message); a path in a notification
that fades in a few seconds is easy to miss, so it stays on screen until dismissed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ...i18n import t
from ..opener import open_path, why as _why
from .base import AppModal


open_folder = open_path  # a name of its own: tests replace it here


class ExportedDialog(AppModal[None]):
    """Shows the exported file's path; `o` opens its folder, Enter or Esc closes."""

    DEFAULT_CSS = """
    ExportedDialog { align: center middle; }
    ExportedDialog > Vertical { width: 76; max-width: 95%; height: auto;
        border: thick $success; background: $surface; padding: 0 1; }
    ExportedDialog #exported-path { text-style: bold; }
    ExportedDialog #exported-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("o", "open_folder", t("exported.open"), id="exported.open"),
        Binding("enter,escape", "close", t("exported.close"), id="exported.close"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("exported.title"))
            yield Static(str(self.path), id="exported-path", markup=False)
            yield Static(t("exported.folder", folder=self.path.parent), markup=False)
            yield Static(t("exported.hint"), id="exported-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open_folder(self) -> None:
        self._open(self.path.parent)

    @work(thread=True, exclusive=True, group="open-folder")
    def _open(self, folder: Path) -> None:
        """In a worker: xdg-open may take a moment, or hang without a desktop (timeout)."""
        try:
            open_folder(folder)
        except (OSError, subprocess.SubprocessError) as exc:
            reason = _why(exc)
            # App.notify posts a message (thread-safe, never waits): the notice outlives the dialog
            self.app.notify(t("exported.open_failed", folder=folder, reason=reason), severity="warning", markup=False)
