"""An in-memory TinyDB storage for unit tests, the twin of `store.DurableJSONStorage`.

TinyDB's own tests run each table test against `MemoryStorage` and `JSONStorage` alike; these do
the same for ours. `MemoryStorage` is `DurableJSONStorage` with its two disk operations replaced:
the bytes of the file are kept in a dictionary, keyed by the path. Everything above them — the
cache, the copies handed out, the refusals (closed, read-only, not a dict, not JSON, damaged
bytes) — is the durable storage's own code, so a test parametrised over both says the behaviour
does not depend on the disk. The durability itself (fsync, atomic replace, modes, a full disk)
stays tested on the durable storage alone (tests/test_store_durable.py, test_journal.py,
test_crash*.py).

`MemoryMiddleware` is `JournalMiddleware` without the journal file: a save applies the document
ops in memory and writes the whole state (a checkpoint) — there is no crash to replay after.
"""

from __future__ import annotations

from typing import Any

from inspect_tui.store import DurableJSONStorage
from inspect_tui.store.batch import JournalMiddleware

MEMORY: dict[str, bytes] = {}  # path -> the bytes of the file: the "disk" (cleared per test)


class MemoryStorage(DurableJSONStorage):
    """`DurableJSONStorage(path, create_dirs=True, read_only=False)`, its file in `MEMORY`."""

    def _read_disk(self) -> bytes:
        return MEMORY.get(str(self.path), b"")  # b"": no file, a new database (as on disk)

    def _write_disk(self, payload: bytes) -> None:
        MEMORY[str(self.path)] = payload


class MemoryMiddleware(JournalMiddleware):
    """`JournalMiddleware` over a `MemoryStorage`, with no journal: every save is a checkpoint."""

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._data = self.storage.read()
            self.journal = None  # flush() then checkpoints: the whole state, written at once
            self._loaded = True
        return self._data
