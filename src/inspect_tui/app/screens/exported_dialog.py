"""After an export: where the file went, and a key to open its folder.

The inspector on site hands the file on (a USB stick, a chat message); a path in a notification
that fades in a few seconds is easy to miss, so it stays on screen until dismissed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from ...i18n import t
from .base import AppModal


def open_folder(folder: Path) -> None:
    """Ask the desktop to show `folder` (OSError, or CalledProcessError, when it cannot)."""
    if sys.platform == "win32":
        os.startfile(folder)  # type: ignore[attr-defined]  # Windows only
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    # no shell, the folder one argument: a path with spaces or quotes is just a path
    subprocess.run([opener, str(folder)], check=True, timeout=15,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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


def _why(exc: BaseException) -> str:
    """What went wrong, short: `xdg-open: exit 3`, `xdg-open: No such file or directory`."""
    if isinstance(exc, subprocess.CalledProcessError):
        return f"{exc.cmd[0]}: exit {exc.returncode}"
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{exc.cmd[0]}: timeout"
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else (exc.strerror or type(exc).__name__)
    return type(exc).__name__
