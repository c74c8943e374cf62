"""An append-only journal beside a TinyDB file, so that a save costs one small append and one fsync.

Rewriting a whole session file (frozen checklist, audit trail) on every change costs several
times an fsync and grows with the history. Instead each save appends one line to `<id>.journal`:

    <crc32 of the JSON, 8 hex digits> {"seq": 41, "ops": [["s", "answers", "7", {...}], ...]}

and fdatasyncs it. The ops are physical, on TinyDB's `{table: {doc_id: doc}}` data: `s` sets a
document, `p` updates some of its fields (a session's meta: its frozen checklist is not copied
into every line), `d` deletes it. Replaying them needs no knowledge of what a session is.

The TinyDB file stays the store of the state. It records, in its table `_journal`, the sequence
number of the last line folded into it. At a checkpoint the whole state is written with the
existing atomic write (temp file, fsync, rename, folder fsync), then the journal is emptied. A
crash between the two leaves lines the file already holds: replay skips every line whose sequence
number is not above the one recorded, so the state is the same either way.

Reading a session = the TinyDB file + the journal lines above its number, in order:
- a torn or corrupt LAST line is dropped: its append never returned, so it was never acknowledged;
- a corrupt line before the last, or a gap in the numbers, is damage (`DamagedFileError`).
The journal is read *before* the file: a writer checkpointing meanwhile makes the file newer,
never older, than the journal read, so a reader sees a prefix of the acknowledged edits.
"""

from __future__ import annotations

import errno
import json
import os
import zlib
from pathlib import Path
from typing import Any, Iterable

from .durable import DamagedFileError, DurableJSONStorage, StorageError, _fsync_dir, os_reason

__all__ = [
    "BOOKKEEPING", "JOURNAL_SUFFIX", "Journal", "apply_ops", "fold", "journal_path", "read_journal",
    "read_state", "replace_state",
]

JOURNAL_SUFFIX = ".journal"
BOOKKEEPING = "_journal"  # the table in the TinyDB file recording the last folded sequence number
FILE_MODE = 0o600
_sync = getattr(os, "fdatasync", os.fsync)  # the data, not the mtime: one device flush


def journal_path(path: os.PathLike | str) -> Path:
    """`3f9a….json` → `3f9a….journal`, in the same folder."""
    path = Path(path)
    return path.with_name(path.stem + JOURNAL_SUFFIX)


def folded_seq(data: dict | None) -> int:
    """The sequence number of the last journal line the TinyDB data holds (0: none)."""
    doc = ((data or {}).get(BOOKKEEPING) or {}).get("1")
    seq = doc.get("seq") if isinstance(doc, dict) else 0
    return seq if type(seq) is int and seq >= 0 else 0


def encode_line(seq: int, ops: list[list[Any]]) -> bytes:
    body = json.dumps({"seq": seq, "ops": ops}, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode_line(raw: bytes) -> dict[str, Any] | None:
    """A journal record, or None when the line is not whole and intact."""
    if len(raw) < 10 or raw[8:9] != b" " or not raw.endswith(b"\n"):
        return None
    body = raw[9:-1]
    try:
        if int(raw[:8], 16) != zlib.crc32(body):
            return None
        record = json.loads(body.decode("utf-8"))
    except ValueError:  # bad hex, UTF-8 or JSON
        return None
    if not (isinstance(record, dict) and type(record.get("seq")) is int and isinstance(record.get("ops"), list)):
        return None
    return record


def read_journal(path: os.PathLike | str) -> tuple[list[dict[str, Any]], int]:
    """(the intact records, the byte length they take); a torn or corrupt last line is left out,
    and so is the zero-filled space after the lines (see `Journal`).

    Raises `DamagedFileError` for a corrupt line followed by others: that line was acknowledged
    once (a later append returned after it), so dropping it would lose an edit silently.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return [], 0
    except OSError as exc:
        raise StorageError(path, f"cannot read ({os_reason(exc)})", errno=exc.errno) from exc
    end = raw.find(b"\0")  # a line never holds a NUL byte (JSON escapes it)
    body, rest = (raw, b"") if end < 0 else (raw[:end], raw[end:])
    records: list[dict[str, Any]] = []
    lines = body.splitlines(keepends=True)
    good = 0
    for number, line in enumerate(lines, 1):
        record = _decode_line(line)
        if record is None:
            if number == len(lines):
                break  # torn by a crash mid-append: never acknowledged
            raise DamagedFileError(path, f"journal line {number} is corrupt", what="session journal")
        if records and record["seq"] != records[-1]["seq"] + 1:
            raise DamagedFileError(path, f"journal line {number} is out of sequence", what="session journal")
        records.append(record)
        good += len(line)
    if rest.strip(b"\0") and any(_decode_line(piece.lstrip(b"\0")) for piece in rest.splitlines(keepends=True)):
        # an intact line beyond a hole: a save after it was acknowledged, the hole is damage
        raise DamagedFileError(path, f"journal has a hole at byte {end}", what="session journal")
    return records, good


def apply_ops(data: dict[str, Any], ops: Iterable[list[Any]], path: Path) -> None:
    """Apply one line's ops to TinyDB data in place."""
    for op in ops:
        try:
            kind, table, doc_id = op[0], op[1], op[2]
            docs = data.setdefault(table, {})
            if kind == "s":
                docs[doc_id] = op[3]
            elif kind == "p":
                docs.setdefault(doc_id, {}).update(op[3])
            elif kind == "d":
                docs.pop(doc_id, None)
            else:
                raise ValueError(kind)
        except (IndexError, TypeError, ValueError, AttributeError):
            raise DamagedFileError(path, f"journal op {str(op)[:40]!r} is not understood", what="session journal") from None


def replay(path: Path, data: dict | None, records: list[dict[str, Any]]) -> tuple[dict | None, int]:
    """The TinyDB data with the journal lines it does not hold yet applied; (data, last seq)."""
    seq = folded_seq(data)
    fresh = [r for r in records if r["seq"] > seq]
    if fresh and fresh[0]["seq"] != seq + 1:
        raise DamagedFileError(journal_path(path), f"journal starts at {fresh[0]['seq']}, the file holds up to {seq}",
                               what="session journal")
    if fresh:
        if data is None:
            data = {}
        for record in fresh:
            apply_ops(data, record["ops"], journal_path(path))
        seq = fresh[-1]["seq"]
    return data, seq


def read_state(path: os.PathLike | str) -> dict | None:
    """What a session holds: its TinyDB file with its journal replayed, the bookkeeping table left
    out (None: no such file). `DamagedFileError` / `StorageError` as for the file itself."""
    path = Path(path)
    records, _ = read_journal(journal_path(path))  # first: see the module's docstring
    data, _ = replay(path, DurableJSONStorage(path, read_only=True).load(), records)
    if data is not None:
        data.pop(BOOKKEEPING, None)
    return data


def replace_state(path: os.PathLike | str, data: dict[str, Any]) -> None:
    """Write a whole new state for a session (an import, a fold) and retire its journal: the new
    file records the journal's last number, so a crash before the journal is removed replays
    nothing onto it. The caller holds the session's lock."""
    path = Path(path)
    records, _ = read_journal(journal_path(path))
    on_disk = DurableJSONStorage(path, read_only=True).read() if path.exists() else None
    seq = max([folded_seq(on_disk)] + [r["seq"] for r in records])
    DurableJSONStorage(path).write({**data, BOOKKEEPING: {"1": {"seq": seq}}})
    remove_journal(path)


def fold(path: os.PathLike | str) -> bool:
    """Fold a session's journal into its file (before it is moved or copied whole); True if there
    was one. The caller holds the session's lock."""
    if not journal_path(path).exists():
        return False
    data = read_state(path)
    if data is None:
        remove_journal(path)
    else:
        replace_state(path, data)
    return True


def remove_journal(path: os.PathLike | str) -> None:
    try:
        os.unlink(journal_path(path))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(journal_path(path), f"cannot remove ({os_reason(exc)})", errno=exc.errno) from exc


PREALLOCATE = 256 * 1024  # bytes of zeros written ahead of the lines (see `Journal`)


class Journal:
    """The appending end of one session's journal (one writer: the holder of the session lock).

    The file is zero-filled ahead of the lines, `PREALLOCATE` bytes at a time (written and fsynced
    once), and each line is written in place over the zeros: the file's size does not change on
    a save, so the fdatasync that makes the line durable flushes the data block alone, with no
    metadata (size, extents) to commit, about half the cost of an fsync after a plain append on
    ext4. Readers stop at the first NUL byte; a line never holds one.
    """

    def __init__(self, path: Path, seq: int, good_size: int) -> None:
        self.path = path
        self.seq = seq              # the last sequence number on disk
        self.size = good_size       # bytes of intact lines: the next line goes there
        self.allocated = 0          # bytes of file, zeros after `size`
        self.lines = 0              # lines since the last checkpoint
        self.last = b""             # the last line appended (the benchmark appends the same bytes)
        self._fd = -1

    def _open(self) -> None:
        created = False
        try:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
                created = True
            except FileExistsError:
                fd = os.open(self.path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
            self._fd = fd
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            self.allocated = os.fstat(fd).st_size
            if created:
                self.size = 0
            elif self.allocated < self.size:
                raise OSError(errno.EIO, "the journal shrank while open")
            else:
                self._zero_torn_tail()
        except OSError as exc:
            self.close(remove=False)
            raise StorageError(self.path, f"could not save ({os_reason(exc)})", errno=exc.errno) from exc
        if created:
            _fsync_dir(self.path.parent)  # once: the journal's name must survive a power cut

    def _zero_torn_tail(self) -> None:
        """A torn last line (never acknowledged) must not end up before a new one: zero it."""
        tail = os.pread(self._fd, self.allocated - self.size, self.size)
        dirty = len(tail.rstrip(b"\0"))  # up to the last byte that is not zero
        if dirty:
            os.pwrite(self._fd, bytes(dirty), self.size)
            _sync(self._fd)

    def _preallocate(self, need: int) -> None:
        grow = max(PREALLOCATE, need)
        os.pwrite(self._fd, bytes(grow), self.allocated)
        os.fsync(self._fd)  # the new size, once per `PREALLOCATE` bytes
        self.allocated += grow

    def append(self, ops: list[list[Any]]) -> int:
        """Write one line and make it durable; returns its byte length. On failure nothing
        counts: the line's bytes are zeroed again, and `StorageError` says why."""
        line = encode_line(self.seq + 1, ops)
        if self._fd < 0:
            self._open()
        try:
            if self.size + len(line) > self.allocated:
                self._preallocate(self.size + len(line) - self.allocated)
            written = 0
            while written < len(line):
                written += os.pwrite(self._fd, line[written:], self.size + written)
            _sync(self._fd)
        except OSError as exc:
            self._cut_back(len(line))
            raise StorageError(self.path, f"could not save ({os_reason(exc)})", errno=exc.errno) from exc
        self.seq += 1
        self.size += len(line)
        self.lines += 1
        self.last = line
        return len(line)

    def _cut_back(self, length: int) -> None:
        """Zero a partial line; if even that fails, the next save must be a checkpoint."""
        try:
            if self.size + length <= self.allocated:
                os.pwrite(self._fd, bytes(length), self.size)
            else:
                os.ftruncate(self._fd, self.size)
                self.allocated = self.size
        except OSError:
            self.size = -1  # unknown tail: `clean` is False until a checkpoint empties it

    @property
    def clean(self) -> bool:
        return self.size >= 0

    def empty(self) -> None:
        """After a checkpoint: the lines are in the TinyDB file now."""
        if self._fd < 0:
            if not self.path.exists():
                self.size, self.lines = 0, 0
                return
            try:
                self._fd = os.open(self.path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
            except OSError as exc:
                raise StorageError(self.path, f"could not empty ({os_reason(exc)})", errno=exc.errno) from exc
        try:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
        except OSError as exc:
            self.size = -1
            raise StorageError(self.path, f"could not empty ({os_reason(exc)})", errno=exc.errno) from exc
        self.size, self.allocated, self.lines = 0, 0, 0

    def close(self, remove: bool) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if remove and self.size == 0:
            try:
                os.unlink(self.path)
            except OSError:
                pass  # an empty journal left behind replays nothing
