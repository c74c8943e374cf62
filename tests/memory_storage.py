"""An in-memory TinyDB storage for unit tests, the twin of `store.DurableJSONStorage`.

TinyDB's own tests run each table test against `MemoryStorage` and `JSONStorage` alike; these do
the same for ours. `MemoryStorage` keeps what the durable storage keeps — the JSON text of the
whole database, keyed by its path — in a dictionary instead of a file, and refuses what it refuses
(a closed or read-only storage, data that is not a dict or not JSON) with the same `StorageError`,
because it encodes with the same `store.durable.encode`. So a test parametrised over both says the
behaviour does not depend on the disk; the durability itself (fsync, atomic replace, damage, modes)
stays tested on the durable storage alone (tests/test_store_durable.py, test_journal.py, test_crash*).

`MemoryMiddleware` stands where `JournalMiddleware` stands above the durable storage: it batches
and applies the journal's document ops (`store.journal.apply_ops`) to the data in memory, then
writes the whole state — there is no journal, since there is no crash to replay after.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from inspect_tui.store import StorageError
from inspect_tui.store.batch import BatchMiddleware
from inspect_tui.store.durable import encode
from inspect_tui.store.journal import apply_ops

MEMORY: dict[str, str] = {}  # path -> JSON text of the database: the "disk" (cleared per test)


class MemoryStorage(Storage):
    """Drop-in for `DurableJSONStorage(path, create_dirs=True, read_only=False)`, in memory."""

    def __init__(self, path: os.PathLike | str, create_dirs: bool = True, *, read_only: bool = False, **_ignored: Any):
        self.path = Path(path)
        self.read_only = read_only or _ignored.get("access_mode") == "r"
        self._closed = False
        self.writes = 0

    def read(self) -> dict | None:
        self._check_open()
        text = MEMORY.get(str(self.path))
        return None if text is None else json.loads(text)  # a fresh copy, as the durable one hands out

    def write(self, data: dict) -> None:
        self._check_open()
        if self.read_only:
            raise StorageError(self.path, "cannot save: opened read-only")
        if not isinstance(data, dict):
            raise StorageError(self.path, f"cannot save: data is a {type(data).__name__}, not a dict")
        try:
            text = encode(data)
            text.encode("utf-8")  # a lone surrogate cannot be saved: refused here as on disk
        except (TypeError, ValueError, RecursionError) as exc:
            raise StorageError(self.path, f"cannot save: data is not JSON-serialisable ({exc})") from exc
        MEMORY[str(self.path)] = text
        self.writes += 1

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(self.path, "storage is closed")


class MemoryMiddleware(BatchMiddleware):
    """`JournalMiddleware`'s interface over a `MemoryStorage`: ops applied, the state written."""

    def __init__(self, storage_cls: Any) -> None:
        super().__init__(storage_cls)
        self.appends = 0
        self.checkpoints = 0

    def apply(self, ops: list[list[Any]]) -> None:
        if not ops:
            return
        data = self.read()
        if data is None:
            data = self._data = {}
        apply_ops(data, ops, self.storage.path)
        self.dirty = True
        self.appends += 1
        if self._depth == 0:
            self.flush()
