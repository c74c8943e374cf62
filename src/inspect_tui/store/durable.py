"""Crash-safe JSON file storage for TinyDB.

The app promises that *every save is durable when it returns, nothing is
lost and nothing crashes*.  TinyDB's stock ``JSONStorage`` cannot keep that
promise: it truncates the file and rewrites it in place, so a crash, a kill
or a full disk halfway through leaves a half-written (unreadable) session.

:class:`DurableJSONStorage` therefore never modifies the live file.  Each
save goes through the classic atomic-replace protocol:

1. serialise to a string first, so an unencodable value fails before the
   file system is touched;
2. write a temporary file *in the same folder* (``os.replace`` is only
   atomic within one file system), ``fsync`` it;
3. ``os.replace`` it onto the target, so readers see either the old or the
   new file, never a mix;
4. ``fsync`` the folder, so the rename itself survives a power cut.

Failures are reported as :class:`StorageError` (one line naming the file and
the reason) and leave the previous file untouched, so the caller can keep its
in-memory data and retry.  Unreadable files raise :class:`DamagedFileError`
instead of crashing TinyDB deep inside a query.

The storage assumes a single writer per file (see
:class:`inspect_tui.store.lock.SessionLock`); that is what makes caching the
file content in memory correct.  Like TinyDB itself it is not thread-safe.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import time
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

__all__ = [
    "DamagedFileError",
    "DurableJSONStorage",
    "StorageError",
    "clean_temp_files",
]

FILE_MODE = 0o600  # session data is personal: owner only
DIR_MODE = 0o700

# Short, human wording for the errors a field laptop actually meets; the
# rest fall back to the C library's text.
_OS_REASONS = {
    getattr(errno, name): text
    for name, text in [
        ("ENOSPC", "disk full"),
        ("EDQUOT", "disk quota exceeded"),
        ("EROFS", "read-only file system"),
        ("EACCES", "permission denied"),
        ("EPERM", "operation not permitted"),
        ("EFBIG", "file too large"),
        ("EIO", "input/output error"),
        ("ENOENT", "folder does not exist"),
        ("ENOTDIR", "a path component is not a folder"),
        ("EISDIR", "is a folder"),
    ]
    if hasattr(errno, name)  # not every platform defines every errno
}
# fsync(2) on a folder fails with these where it is merely unsupported.
_FSYNC_UNSUPPORTED = {getattr(errno, n) for n in
                      ("EINVAL", "ENOTSUP", "EOPNOTSUPP", "EBADF", "ENOSYS", "EISDIR")
                      if hasattr(errno, n)}

# ``.NAME.tmp-<pid>-<hex>``; strict so that a user's own dot-files are never
# mistaken for our leftovers.
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.tmp-(?P<pid>\d+)-(?P<rand>[0-9a-f]{8,})$")


def _one_line(text: str) -> str:
    """Error messages must fit one status-bar line, whatever a path contains."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def os_reason(exc: BaseException) -> str:
    """Turn an exception into a short reason such as ``"disk full"``."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return _OS_REASONS.get(exc.errno) or (exc.strerror or os.strerror(exc.errno)).lower()
    return str(exc) or type(exc).__name__


class StorageError(Exception):
    """A save or load failed; ``str()`` is one line naming the file and why.

    ``path`` and ``reason`` are kept separately so a UI can translate or
    shorten the message; ``errno`` is set when the cause was an ``OSError``.
    """

    def __init__(self, path: os.PathLike | str, reason: str, *, errno: int | None = None):
        self.path = Path(path)
        self.reason = reason
        self.errno = errno
        super().__init__(_one_line(f"{self.path}: {reason}"))


class DamagedFileError(StorageError):
    """The file exists but is not a valid session (bad UTF-8/JSON/shape).

    Raised instead of returning ``None`` so that a damaged file is never
    mistaken for a new, empty session and then overwritten.
    """

    def __init__(self, path: os.PathLike | str, reason: str, *, what: str = "session file"):
        self.detail = reason
        super().__init__(path, f"damaged {what} ({reason})")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    # 1e99999999 reads as inf, which no save could write back (allow_nan=False): damage now
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is out of range")
    return value


def _decode(path: Path, raw: bytes) -> dict:
    """Strictly decode file bytes into TinyDB's ``{table: {id: doc}}`` shape."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DamagedFileError(path, f"not valid UTF-8 at byte {exc.start}") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise DamagedFileError(
            path, f"not valid JSON at line {exc.lineno} column {exc.colno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise DamagedFileError(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DamagedFileError(path, f"top level is a JSON {_json_type(data)}, not an object")
    # TinyDB would otherwise fail later with an AttributeError deep in a query.
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise DamagedFileError(path, f"table {table!r} is a JSON {_json_type(docs)}, not an object")
        for doc_id, doc in docs.items():
            if not isinstance(doc, dict):
                raise DamagedFileError(path, f"document {table}/{doc_id} is not an object")
    return data


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number",
            bool: "boolean", type(None): "null"}.get(type(value), type(value).__name__)


def encode(data: Any) -> str:
    """Serialise compactly but deterministically (stable diffs, easy skip of no-op saves)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), allow_nan=False)


def _make_dirs(folder: Path) -> None:
    """Create missing folders owner-only; existing folders are left alone."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)  # umask may have narrowed it; never widen others'


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable.  Some platforms cannot open/fsync a folder
    (Windows, some network file systems); there the rename is as durable
    as the platform allows and we carry on."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


class DurableJSONStorage(Storage):
    """Drop-in TinyDB storage: ``TinyDB(path, storage=DurableJSONStorage)``.

    :param path: the JSON file.
    :param create_dirs: create missing folders (mode 0o700) on the first save.
    :param read_only: refuse every save (e.g. the session is locked by
        someone else and was opened for viewing only).

    TinyDB reads the whole database before every write; the last content
    read or written is cached, so a one-document update costs one file
    write and no read.  A save whose content equals what this storage last
    wrote durably is skipped (TinyDB's ``upsert`` otherwise writes twice).
    """

    def __init__(self, path: os.PathLike | str, create_dirs: bool = True, *,
                 read_only: bool = False, **_ignored: Any):
        # ``**_ignored`` swallows JSONStorage options (encoding, access_mode)
        # so the class really is a drop-in replacement.
        self.path = Path(path)
        self.create_dirs = create_dirs
        self.read_only = read_only or _ignored.get("access_mode") == "r"
        self._cached = False           # is ``_text`` the file content?
        self._text: str | None = None  # None: no file / empty file
        self._durable = False          # did we write ``_text`` ourselves?
        self._closed = False
        self.writes = 0                # successful file writes (for tests/benchmarks)

    # -- Storage API -------------------------------------------------------
    def read(self) -> dict | None:
        """Return the data, ``None`` for a new database; raise
        :class:`DamagedFileError` / :class:`StorageError` otherwise."""
        self._check_open()
        if self._cached:
            # Hand out a fresh copy: TinyDB mutates what it gets, and a failed
            # save must not leave unsaved changes behind in the cache.
            return None if self._text is None else json.loads(self._text)
        raw = self._read_disk()
        data = _decode(self.path, raw) if raw else None
        self._text = None if data is None else encode(data)
        self._cached, self._durable = True, False
        return data

    def load(self) -> dict | None:
        """``read()`` once, for a caller that will not write through this storage: the same data
        and errors, without encoding it again to cache (a sync reads a thousand files so)."""
        self._check_open()
        raw = self._read_disk()
        return _decode(self.path, raw) if raw else None

    def write(self, data: dict) -> None:
        """Atomically and durably replace the file with ``data``."""
        self._check_open()
        if self.read_only:
            raise StorageError(self.path, "cannot save: opened read-only")
        if not isinstance(data, dict):
            raise StorageError(self.path, f"cannot save: data is a {type(data).__name__}, not a dict")
        try:
            text = encode(data)
            payload = text.encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:
            raise StorageError(self.path, f"cannot save: data is not JSON-serialisable ({exc})") from exc
        if self._cached and self._durable and text == self._text:
            return
        self._write_disk(payload)
        self._text, self._cached, self._durable = text, True, True
        self.writes += 1

    def close(self) -> None:
        """Forget the cache; further use raises :class:`StorageError`."""
        self._closed = True
        self._cached, self._text = False, None

    # -- internals ---------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(self.path, "storage is closed")

    def _read_disk(self) -> bytes:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return b""
        except OSError as exc:
            raise StorageError(self.path, f"cannot open ({os_reason(exc)})", errno=exc.errno) from exc
        try:
            with os.fdopen(fd, "rb") as fh:
                return fh.read()
        except OSError as exc:
            raise StorageError(self.path, f"cannot read ({os_reason(exc)})", errno=exc.errno) from exc

    def _write_disk(self, payload: bytes) -> None:
        folder = self.path.parent
        tmp = folder / f".{self.path.name}.tmp-{os.getpid()}-{temp_token()}"
        fd = -1
        try:
            if self.create_dirs:
                _make_dirs(folder)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                if written <= 0:  # pragma: no cover - defensive
                    raise OSError(errno.EIO, "short write")
                view = view[written:]
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, self.path)
        except BaseException as exc:
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise StorageError(self.path, f"could not save ({os_reason(exc)})",
                                   errno=exc.errno) from exc
            raise
        # The new content is in place.  Should the folder fsync fail, the
        # cache must not claim a durable state: drop it, re-read next time.
        self._text, self._cached, self._durable = None, False, False
        try:
            _fsync_dir(folder)
        except OSError as exc:
            raise StorageError(self.path, f"saved, but could not confirm it is on disk "
                               f"({os_reason(exc)})", errno=exc.errno) from exc


def pid_dead(pid: int) -> bool:
    """True only when ``pid`` certainly no longer exists on this machine."""
    if pid <= 0 or pid == os.getpid() or os.name == "nt":
        return False  # os.kill on Windows would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def clean_temp_files(folder: os.PathLike | str, *, older_than: float = 5.0) -> list[Path]:
    """Remove temp files left by interrupted saves and return their paths.

    A leftover is removed when it is older than ``older_than`` seconds or
    when the process named in it no longer exists on this machine.  Call it
    when opening a session folder; a save in progress is never older than a
    few seconds and its process is alive.
    """
    root = Path(folder)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if not m:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if now - st.st_mtime < older_than and not pid_dead(int(m["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(root / entry.name)
    return removed


def temp_token() -> str:
    """A few random hex digits for a temporary file's name (secrets is imported on the first
    write, not when the app starts)."""
    import secrets

    return secrets.token_hex(4)
