"""Many new files, each whole or absent, made durable together: one fsync per file, one per folder.

`DurableJSONStorage` pays two fsyncs per save (the temporary file, then its folder, so the rename
survives a power cut). A pull that adds a thousand sessions needs neither a second fsync per file
nor the session lock of a file that does not exist yet:

* `create_new(path, data, folders)` writes the content to a temporary file in the same folder,
  fsyncs it and hard-links it into place — `link(2)` fails if the name exists, so a file another
  writer created in the meantime is never replaced (the caller then takes the locked path). The
  name appears with the whole content or not at all; a kill leaves at most the temporary file,
  named as `clean_temp_files` recognises, which the next open of the folder removes.
* `FolderSync.sync()` fsyncs each folder written once. Until it returns the new names may not
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
    """The folders that hold files created by `create_new` and not yet made durable."""

    def __init__(self) -> None:
        self.pending: set[Path] = set()
        self.syncs = 0  # folder fsyncs done (for tests and benchmarks)

    def add(self, folder: Path) -> None:
        self.pending.add(Path(folder))

    def sync(self) -> None:
        """fsync every pending folder; StorageError (one line) if one cannot be confirmed."""
        for folder in sorted(self.pending):
            try:
                _fsync_dir(folder)
            except OSError as exc:
                raise StorageError(folder, f"saved, but could not confirm it is on disk ({os_reason(exc)})",
                                   errno=exc.errno) from exc
            self.pending.discard(folder)
            self.syncs += 1


def create_new(path: os.PathLike[str] | str, data: Any, folders: FolderSync) -> list[int] | None:
    """Create `path` holding `data` (encoded as every store file is) and return its [inode, size,
    mtime_ns] (a later save replaces the file: a new inode); None, nothing written, if it exists
    already or the file system cannot create it this way (the caller uses the locked path).
    The folder is added to `folders`: the file is durable once `folders.sync()` has returned."""
    path = Path(path)
    try:
        payload = encode(data).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise StorageError(path, f"cannot save: data is not JSON-serialisable ({exc})") from exc
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
    folders.add(path.parent)
    return [st.st_ino, st.st_size, st.st_mtime_ns]
