"""Saving in the background, in order, so that a keystroke never waits for the disk.

The interface applies each edit to the in-memory session at once (and rescores it), then hands
the resulting `Change` to an `Autosaver`. One thread writes the changes one after another through
the session file's `commit`; the interface hears back through `on_saved` / `on_error` (called on
the saver's thread: a Textual app forwards them with `call_from_thread`).

If the disk refuses a write, the session file keeps the change in memory (it stays dirty) and the
next change, or `retry()`, writes everything that is pending. Nothing typed is dropped.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable

from ..store import StorageError
from .session_file import Change

_STOP = object()


class Autosaver:
    def __init__(
        self,
        commit: Callable[[Change], None],
        on_saved: Callable[[], None] = lambda: None,
        on_error: Callable[[StorageError], None] = lambda exc: None,
    ) -> None:
        self._commit = commit
        self.on_saved = on_saved
        self.on_error = on_error
        self._queue: "queue.Queue[object]" = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()
        self.error: StorageError | None = None
        self._thread = threading.Thread(target=self._run, name="inspect-tui-autosave", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Changes handed over and not yet written (0 means everything is on disk)."""
        return self._pending

    def submit(self, change: Change) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
        self._queue.put(change)

    def retry(self) -> None:
        """Write whatever the disk refused before (an empty change flushes the pending data)."""
        self.submit(Change())

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every submitted change has been attempted; True when none is left."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            change = self._queue.get()
            if change is _STOP:
                return
            try:
                self._commit(change)  # type: ignore[arg-type]
            except StorageError as exc:
                self.error = exc
                self._done()
                self.on_error(exc)
            except Exception as exc:  # never let the saver thread die silently
                self.error = StorageError("session", f"could not save ({type(exc).__name__}: {exc})")
                self._done()
                self.on_error(self.error)
            else:
                self.error = None
                self._done()
                self.on_saved()

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending == 0:
                self._idle.set()
