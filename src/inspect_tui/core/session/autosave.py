"""Saving in the background, so that a keystroke never waits for the disk, and saying exactly
what has been saved.

The interface applies each edit to the in-memory session at once (and rescores it), then hands
the resulting `Change` to an `Autosaver`, which numbers it: `submit` returns the change's
sequence number. One thread writes. Whenever it is free it takes *everything* handed over since
its last write, merges it into one `Change` (a later answer of an item replaces an earlier one,
so a note typed while the disk was busy is written once, as its latest text) and commits that
through the session file: one durable write, fsync included. Only when `commit` has returned
does it acknowledge the highest sequence number it took (`acknowledged`, then `on_saved(seq)`).

So the interface can say "saved" exactly: everything it submitted is on disk once
`acknowledged == submitted`, and never before. `on_saved` / `on_error` are called on the
saver's thread (a Textual app forwards them with `post_message`).

If the disk refuses a write, the session file keeps the data in memory (it stays dirty), `error`
is set and not cleared until a later write succeeds; that write, a later change's or `retry()`'s,
writes everything pending. Nothing typed is dropped.
"""

from __future__ import annotations

import threading
from typing import Callable

from ...store import StorageError
from .file import Change


class Autosaver:
    def __init__(
        self,
        commit: Callable[[Change], None],
        on_saved: Callable[[int], None] = lambda seq: None,
        on_error: Callable[[StorageError], None] = lambda exc: None,
    ) -> None:
        self._commit = commit
        self.on_saved = on_saved
        self.on_error = on_error
        self._cond = threading.Condition()
        self._waiting: list[Change] = []  # handed over, not yet taken by the thread
        self._submitted = 0  # sequence number of the last change handed over
        self._attempted = 0  # ... of the last change the thread has tried to write
        self.acknowledged = 0  # ... of the last change known to be on disk
        self.writes = 0  # commits made (fewer than changes when they were coalesced)
        self._closing = False
        self.error: StorageError | None = None
        self._thread = threading.Thread(target=self._run, name="inspect-tui-autosave", daemon=True)
        self._thread.start()

    @property
    def submitted(self) -> int:
        """The sequence number of the last change handed over (0: none yet)."""
        return self._submitted

    @property
    def pending(self) -> int:
        """Changes handed over and not yet on disk (0 means everything is saved)."""
        return self._submitted - self.acknowledged

    @property
    def saved(self) -> bool:
        """Everything handed over is on disk: the one condition for showing "saved"."""
        return self.acknowledged == self._submitted

    def submit(self, change: Change) -> int:
        """Hand a change over; returns its sequence number at once (the disk is not waited for)."""
        with self._cond:
            self._submitted += 1
            self._waiting.append(change)
            self._cond.notify_all()
            return self._submitted

    def retry(self) -> int:
        """Write whatever the disk refused before (an empty change flushes the pending data)."""
        return self.submit(Change())

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every submitted change has been attempted; True when none is left."""
        with self._cond:
            return self._cond.wait_for(lambda: self._attempted == self._submitted, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is still waiting, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._waiting or self._closing)
                if not self._waiting:
                    return  # closing, and nothing left to write
                taken, self._waiting = self._waiting, []
                upto = self._submitted
            merged = Change()
            for change in taken:
                merged.merge(change)
            try:
                self._commit(merged)
            except StorageError as exc:
                self._finish(upto, exc)
            except Exception as exc:  # never let the saver thread die silently
                self._finish(upto, StorageError("session", f"could not save ({type(exc).__name__}: {exc})"))
            else:
                self._finish(upto, None)

    def _finish(self, upto: int, error: StorageError | None) -> None:
        with self._cond:
            self.writes += 1
            self.error = error
            if error is None:
                self.acknowledged = upto
            self._attempted = upto
            self._cond.notify_all()
        try:
            if error is None:
                self.on_saved(upto)
            else:
                self.on_error(error)
        except Exception:  # a listener's failure must not stop the saving of what comes next
            pass
