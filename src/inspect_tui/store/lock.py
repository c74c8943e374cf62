"""One writer per session: an advisory lock file next to the session.

Two inspectors (or two windows of the same inspector) saving the same
session would silently overwrite each other's answers, because every save
replaces the whole file.  :class:`SessionLock` makes the second opener find
out who holds the session, so the UI can offer a read-only view instead.

The lock is a small JSON file created atomically with ``O_CREAT|O_EXCL``;
it records pid, host, start time, owner and (on Linux) the kernel boot id,
so a holder can be named in the UI and an abandoned lock recognised:

* same host and the pid no longer exists, or the machine has rebooted since
  (boot id differs) - the holder is gone;
* the file is unreadable (empty/garbage) and older than ``stale_after``;
* a lock from *another* host is never judged stale automatically: we
  cannot see its processes, and guessing wrong would lose data.

Taking over a stale lock is serialised by a short-lived ``NAME.takeover``
file (also ``O_EXCL``), and staleness is re-checked while holding it.  That
makes "check stale, then delete" safe: without it, a slow process could
delete the *new* lock another process just created after removing the
stale one, and both would believe they won.  The only residual risk is a
process dying inside that microsecond-long critical section *and* two
others then racing to clean up after it.
"""

from __future__ import annotations

import errno
import os
import random
import time
from pathlib import Path

from .durable import StorageError, os_reason, temp_token
from .lock_info import LockedError, LockInfo, held_for, inspect_lock, stale

__all__ = ["SessionLock"]

LOCK_MODE = 0o600
TAKEOVER_STALE_AFTER = 10.0  # the takeover critical section lasts microseconds
_SETTLE = 0.2                # how long a just-created, still-empty lock may stay empty


def _create(path: Path, info: LockInfo) -> bool:
    """Atomically create ``path`` holding ``info``; False if it exists.

    The content is written to a temporary file first and hard-linked into place, so the lock
    appears whole or not at all: a process killed half-way can never leave an empty lock that
    keeps the session read-only. Where the file system has no hard links, fall back to an
    exclusive create followed by the write.
    """
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{temp_token()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), LOCK_MODE)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, LOCK_MODE)
            os.write(fd, info.to_json())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise StorageError(path, f"cannot create lock ({os_reason(exc)})", errno=exc.errno) from exc
    except OSError as exc:
        raise StorageError(path, f"cannot create lock ({os_reason(exc)})", errno=exc.errno) from exc
    finally:
        _unlink(tmp)
    return _create_in_place(path, info)


_NO_HARD_LINKS = {getattr(errno, n) for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK", "ENOSYS") if hasattr(errno, n)}


def _create_in_place(path: Path, info: LockInfo) -> bool:
    """Exclusive create, then write: for file systems without hard links (FAT, some shares)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_CLOEXEC", 0), LOCK_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StorageError(path, f"cannot create lock ({os_reason(exc)})", errno=exc.errno) from exc
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, LOCK_MODE)
        os.write(fd, info.to_json())
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        _unlink(path)
        raise StorageError(path, f"cannot write lock ({os_reason(exc)})", errno=exc.errno) from exc
    os.close(fd)
    return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _take_over(path: Path, me: LockInfo, stale_after: float) -> None:
    """Remove ``path`` if it is *still* stale, holding the takeover guard."""
    guard = path.with_name(path.name + ".takeover")
    if not _create(guard, me):
        ginfo, gst = inspect_lock(guard)
        if gst is not None and stale(ginfo, gst, TAKEOVER_STALE_AFTER):
            _unlink(guard)  # its holder died mid-takeover
        time.sleep(random.uniform(0.001, 0.005))
        return
    try:
        info, st = inspect_lock(path)
        if st is not None and stale(info, st, stale_after):
            _unlink(path)
    finally:
        _unlink(guard)


class SessionLock:
    """A held lock; obtain one with :meth:`acquire`, give it back with
    :meth:`release` or by using it as a context manager."""

    def __init__(self, path: Path, info: LockInfo):
        self.path = path
        self.info = info
        self._held = True

    @classmethod
    def acquire(cls, path: os.PathLike | str, owner: str | None = None, *,
                stale_after: float = 60.0, timeout: float = 2.0, wait: float = 0.0) -> "SessionLock":
        """Take the lock at ``path`` or raise :class:`LockedError`.

        ``owner`` is the name shown to others (default: the login name).
        ``stale_after`` is how old an *unreadable* lock file must be before
        it is taken over; ``timeout`` bounds retries under contention.
        ``wait``: how long to wait for a live holder to let go. A CLI writer holds a lock only
        while it saves, so a second writer waiting a moment gets it; the wait starts again
        whenever the lock changes hands (20 writers queue up), and a lock already held longer
        than ``wait`` when first seen is an open window, not a save: given up at once.
        Other failures (read-only folder…) raise :class:`StorageError`.
        """
        path = Path(path)
        me = LockInfo.mine(owner)
        start = time.monotonic()
        deadline = start + timeout + 15 * wait  # never forever, however busy the lock is
        settle_until = start + _SETTLE
        info = None
        holder: LockInfo | None = None
        holder_seen = start
        while time.monotonic() < deadline:
            if _create(path, me):
                return cls(path, me)
            info, st = inspect_lock(path)
            if st is None:
                continue  # released in the meantime: try again
            if stale(info, st, stale_after):
                _take_over(path, me, stale_after)
            elif info is None:
                if time.monotonic() >= settle_until:
                    raise LockedError(path, None, "garbage")
                time.sleep(0.005)  # probably created this instant, being written
            elif wait <= 0:
                raise LockedError(path, info)
            else:
                now = time.monotonic()
                if info != holder:
                    if holder is None and held_for(info) > wait:
                        raise LockedError(path, info)
                    holder, holder_seen = info, now
                elif now - holder_seen >= wait:
                    raise LockedError(path, info)
                time.sleep(random.uniform(0.003, 0.015))
        if (holder or info) is None:
            raise LockedError(path, None, "garbage")
        raise LockedError(path, holder or info)

    def is_held(self) -> bool:
        """True while the lock file on disk is still this lock."""
        if not self._held:
            return False
        try:
            info, _ = inspect_lock(self.path)
        except StorageError:
            return False
        return info == self.info

    def release(self) -> bool:
        """Remove the lock file if it is still ours; True if removed.

        Never removes someone else's lock (e.g. after a manual takeover).
        Raises :class:`StorageError` if the file cannot be read or removed.
        """
        if not self._held:
            return False
        self._held = False
        info, _ = inspect_lock(self.path)
        if info != self.info:
            return False
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorageError(self.path, f"cannot remove lock ({os_reason(exc)})",
                               errno=exc.errno) from exc
        return True

    def __enter__(self) -> "SessionLock":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"SessionLock({str(self.path)!r}, {self.info}, held={self._held})"
