"""Many new files, each whole or absent, made durable together: one fsync per file, one per folder.

`DurableJSONStorage` pays two fsyncs per save (the temporary file, then its folder, so the rename
survives a power cut). A pull that adds a thousand sessions needs neither a second fsync per file
nor the session lock of a file that does not exist yet:

* `create_new(path, data, folders)` writes the content to a temporary file in the same folder,
  fsyncs it and hard-links it into place — `link(2)` fails if the name exists, so a file another
  writer created in the meantime is never replaced (the caller then takes the locked path). The
  name appears with the whole content or not at all; a kill leaves at most the temporary file,
  named as `clean_temp_files` recognises, which the next open of the folder removes.
* `FolderSync.sync()` fsyncs each folder written once (`FolderSync.create` is `create_new`,
  on a few threads if asked). Until it returns the new names may not
  survive a power cut, so the caller reports nothing as saved (and records nothing as done)
  before calling it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from .durable import FILE_MODE, StorageError, _fsync_dir, encode, os_reason, temp_token

__all__ = ["FolderSync", "create_new"]

# link(2) refused because the file system has no hard links (FAT, some shares): not an answer
_NO_HARD_LINKS = {getattr(errno, n) for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK", "ENOSYS")
                  if hasattr(errno, n)}


class FolderSync:
    """New files to create (`create`) and the folders that hold them, made durable by `sync()`.

    With `workers`, a file's fsync and link run on a thread while the caller prepares the next one
    (fsync waits on the disk, not the CPU; the file system commits concurrent ones together);
    without, each is done before `create` returns.
    """

    def __init__(self, workers: int = 0) -> None:
        self.pending: set[Path] = set()
        self.made: dict[Path, list[int] | None] = {}  # path -> [inode, size, mtime_ns]; None: not created
        self.syncs = 0  # folder fsyncs done (for tests and benchmarks)
        self._pool: Any = None
        self._started: dict[Path, Any] = {}
        if workers:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="inspect-tui-create")

    def create(self, path: os.PathLike[str] | str, data: Any) -> bool:
        """Create `path` holding `data` (see `create_new`); False if it is known not created. With
        workers True means started: `sync()` says whether it was (`made`)."""
        path = Path(path)
        if path in self._started:  # the same file twice (two devices' events of one session)
            self.made[path] = self._started.pop(path).result()
            return False  # it is there now: the caller merges into it, under its lock
        payload = _payload(path, data)
        if self._pool is None:
            self.made[path] = create_new(path, payload, self)
            return self.made[path] is not None
        self._started[path] = self._pool.submit(create_new, path, payload, self)
        return True

    def sync(self) -> dict[Path, list[int] | None]:
        """Wait for every file started, then fsync every folder holding one; `made` returned.
        StorageError (one line) if a file or a folder could not be made durable."""
        started, self._started = self._started, {}
        try:
            for path, future in started.items():
                self.made[path] = future.result()
        finally:
            if self._pool is not None:  # what is created from now on is created at once
                self._pool.shutdown(wait=True)
                self._pool = None
        for folder in sorted(self.pending):
            try:
                _fsync_dir(folder)
            except OSError as exc:
                raise StorageError(folder, f"saved, but could not confirm it is on disk ({os_reason(exc)})",
                                   errno=exc.errno) from exc
            self.pending.discard(folder)
            self.syncs += 1
        return self.made


def _payload(path: Path, data: Any) -> bytes:
    try:
        return encode(data).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise StorageError(path, f"cannot save: data is not JSON-serialisable ({exc})") from exc


def create_new(path: os.PathLike[str] | str, payload: bytes, folders: FolderSync) -> list[int] | None:
    """Create `path` holding `payload` and return its [inode, size, mtime_ns] (a later save replaces
    the file: a new inode); None, nothing written, if it exists already or the file system cannot
    create it this way (the caller uses the locked path). The folder is added to `folders`: the
    file is durable once `folders.sync()` has returned."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{temp_token()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return None
        except OSError as exc:
            if exc.errno in _NO_HARD_LINKS:
                return None
            raise
    except OSError as exc:
        raise StorageError(path, f"could not save ({os_reason(exc)})", errno=exc.errno) from exc
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass  # a leftover is a temp file by name: the next open of the folder removes it
    folders.pending.add(path.parent)  # set.add: one step, safe from the worker threads
    return [st.st_ino, st.st_size, st.st_mtime_ns]
