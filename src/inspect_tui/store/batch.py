"""One durable write per save, however many TinyDB operations the save takes.

Recording an answer touches three tables (the answer, the audit trail, the session's summary).
With TinyDB alone each operation reads and rewrites the file, so one save would cost three
fsyncs and leave a window where the answer is on disk but its audit entry is not. Inside
`with middleware.batch():` the operations change the in-memory data only, and leaving the block
writes it once, atomically.

If that write fails (disk full, read-only folder), the in-memory data keeps the change and
`dirty` stays true: `flush()` may be called again once the disk has room, and nothing the
inspector typed is lost.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from tinydb.middlewares import Middleware

from .durable import StorageError
from .journal import BOOKKEEPING, Journal, apply_ops, journal_path, read_journal, replay


class BatchMiddleware(Middleware):
    """TinyDB middleware holding the data in memory and writing it at the end of each batch."""

    def __init__(self, storage_cls: Any) -> None:
        super().__init__(storage_cls)
        self._data: dict[str, Any] | None = None
        self._depth = 0
        self.dirty = False

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            self._data = self.storage.read()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.dirty = True
        if self._depth == 0:
            self.flush()

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if self._depth == 0 and self.dirty:
            self.flush()

    def flush(self) -> None:
        """Write what is in memory; raises StorageError and stays dirty when the disk refuses."""
        if self._data is not None and self.dirty:
            self.storage.write(self._data)
            self.dirty = False

    def close(self) -> None:
        self.storage.close()


class JournalMiddleware(BatchMiddleware):
    """A `BatchMiddleware` whose saves append to the file's journal (see `store.journal`).

    A caller that knows what it changed hands the physical ops to `apply()`: they change the
    in-memory data and, at the end of the batch, become one journal line, fdatasynced — the cost
    of the change, not of the whole file. A write through TinyDB's own table API (`write()`,
    whose change is not known) is saved as a checkpoint: the whole state, atomically, as before.
    Every `every` lines or `max_bytes` of journal, and on close, the journal is folded into the
    file, so it stays short and opening replays little.
    """

    def __init__(self, storage_cls: Any, every: int = 200, max_bytes: int = 1 << 20) -> None:
        super().__init__(storage_cls)
        self.every, self.max_bytes = every, max_bytes
        self._ops: list[list[Any]] = []  # applied in memory, not yet in the journal
        self._full = False               # a change of unknown shape: the next save is a checkpoint
        self._loaded = False
        self.journal: Journal | None = None
        self.appends = 0                 # journal lines written (for tests and benchmarks)
        self.checkpoints = 0
        self.last_line = 0               # byte length of the last line appended (the benchmark's floor)

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            path = self.storage.path
            records, good = read_journal(journal_path(path))  # before the file: see store.journal
            data, seq = replay(path, self.storage.read(), records)
            self._data = data
            self.journal = Journal(journal_path(path), seq, good)
            self.journal.lines = len(records)
            if records and records[-1]["seq"] != seq:
                self.journal.size = -1  # older lines than the file holds: empty it at the next save
            self._loaded = True
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._full = True
        super().write(data)

    def apply(self, ops: list[list[Any]]) -> None:
        """Make `ops` (see `store.journal.apply_ops`) part of the data and of the next save."""
        if not ops:
            return
        data = self.read()
        if data is None:
            data = self._data = {}
        apply_ops(data, ops, self.storage.path)
        self._ops.extend(ops)
        self.dirty = True
        if self._depth == 0:
            self.flush()

    def flush(self) -> None:
        if self._data is None or not self.dirty:
            return
        if self.storage.read_only:
            raise StorageError(self.storage.path, "cannot save: opened read-only")
        journal = self.journal
        if self._full or journal is None or not journal.clean:
            self.checkpoint()
            return
        self.last_line = journal.append(self._ops)
        self.appends += 1
        self._ops, self.dirty = [], False
        if journal.lines >= self.every or journal.size >= self.max_bytes:
            try:
                self.checkpoint()
            except StorageError:
                pass  # the journal holds every change: the next save tries again

    def checkpoint(self) -> None:
        """Fold the journal into the file: the whole state atomically, then the journal emptied.
        A crash between the two replays nothing twice (the file records the last line it holds)."""
        if self._data is None:
            return
        journal = self.journal
        seq = journal.seq if journal is not None else 0
        self._data[BOOKKEEPING] = {"1": {"seq": seq}}
        self.storage.write(self._data)  # StorageError: nothing changed on disk, still dirty
        self.checkpoints += 1
        self._ops, self._full, self.dirty = [], False, False
        if journal is not None:
            try:
                journal.empty()
            except StorageError:
                pass  # the state is durable in the file; `clean` is False, so the next save folds again

    def close(self) -> None:
        journal = self.journal
        if journal is not None and not self.storage.read_only:
            try:
                if self.dirty or journal.lines or not journal.clean:
                    self.checkpoint()
            except StorageError:
                pass  # every acknowledged change is in the journal: the next open replays it
            journal.close(remove=True)
        super().close()
