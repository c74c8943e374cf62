"""Saving on the inspection screen: the `Autosaver` started, its acknowledgements shown, a failed
write retried, the cursor's item remembered once it rests, and everything written on leaving.

The status bar says 保存中 from the moment a change is handed over and ✓ 已保存 only once the saver
has acknowledged the sequence number of the last change handed over (its fsync returned).
"""

from __future__ import annotations

from typing import Callable

from ....quick_dataclass import dataclass

from textual.message import Message

from ....core.session.autosave import Autosaver
from ....core.session.editing import OpenSession
from ....core.errors import SessionError
from ....i18n import t
from ...debounce import Debounce
from ...widgets.status_bar import StatusBar

POSITION_DELAY = 0.3  # seconds at rest before the cursor's item is saved (arrows held down do not save each line)
RETRY_DELAY = 5.0  # seconds before a refused write is tried again (once, however many failures came)


class Saving:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    filter: str
    last_item: str | None
    saver: Autosaver | None
    position_rest: Debounce
    retrying: Debounce

    def init_saving(self) -> None:
        """From the screen's __init__: nothing saved yet, the two debounced calls ready (a cursor
        move may come before on_mount has run)."""
        self.saver = None
        # screens pushed over this one that show the save state too (the rectifications)
        self.save_watchers: list[Callable[[str], None]] = []
        self.position_rest = Debounce(self, POSITION_DELAY, self.save_position)
        self.retrying = Debounce(self, RETRY_DELAY, self._retry)

    def start_saving(self) -> None:
        """The saver, unless the session is read-only (on mount)."""
        if not self.opened.read_only:
            # post_message is thread-safe and does not wait: the saver never blocks on the UI
            # (call_from_thread would, and deadlock with close_session waiting for the saver).
            self.saver = Autosaver(
                self.opened.file.commit,
                on_saved=lambda seq: self.post_message(self.Saved(seq)),
                on_error=lambda exc: self.post_message(self.SaveFailed(exc)),
            )
            self.opened.writer = self.saver.submit

    @dataclass
    class Saved(Message, bubble=False):
        """The autosaver's fsync of every change up to `seq` returned (sent from its thread).
        For this screen alone: it does not go on up to the app (a dispatch less per save)."""

        seq: int

    @dataclass
    class SaveFailed(Message, bubble=False):
        """The disk refused a change; it is kept in memory (sent from the saver's thread)."""

        error: Exception

    def save_state(self) -> str:
        """saved | saving | unsaved as the saver's counters have it now; read_only | trial."""
        saver = self.saver
        if self.inspect_app.trial:
            return "trial"
        if saver is None:
            return "read_only"
        if saver.error is not None:
            return "unsaved"  # until a write succeeds: a refused change stays 未保存, not 保存中
        return "saved" if saver.saved else "saving"

    def _saving(self) -> None:
        """Show the save state as the saver's counters have it, now (called after every hand-over
        and every acknowledgement, on the interface's thread, which alone hands changes over: a
        change it has handed over is therefore always counted in `submitted`)."""
        if self.saver is None or self.inspect_app.trial:
            return
        state = self.save_state()
        self.query_one(StatusBar).saved(state)
        for watcher in tuple(self.save_watchers):
            watcher(state)

    def on_saving_saved(self) -> None:
        self._saving()

    def on_saving_save_failed(self, message: "Saving.SaveFailed") -> None:
        self._saving()
        self.fail(t("insp.save_failed", error=str(message.error)), timeout=15)
        self.retrying.poke()

    def _retry(self) -> None:
        if self.saver is not None and self.saver.error is not None:
            self.saver.retry()

    def save_position(self) -> None:
        """Remember the item under the cursor (kept in `last_item`: this also runs on unmount)."""
        if self.last_item is None or self.opened.read_only:
            return
        try:
            self.opened.set_position(self.last_item, self.filter)
        except SessionError:
            pass

    def close_session(self) -> None:
        """Save what is pending, wait for the disk, release the lock. Safe to call twice."""
        if self.opened.lock is None and self.saver is None:
            return
        self.save_position()
        if self.saver is not None:
            self.saver.wait(10)
            self.saver.close()
            self.saver = None
        self.opened.close()
