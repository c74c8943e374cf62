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
