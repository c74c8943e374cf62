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

import functools
import getpass
import errno
import json
import os
import random
import socket
import stat
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .durable import DamagedFileError, StorageError, os_reason, pid_dead, temp_token

__all__ = ["LockInfo", "LockedError", "SessionLock", "read_lock"]

LOCK_MODE = 0o600
TAKEOVER_STALE_AFTER = 10.0  # the takeover critical section lasts microseconds
_SETTLE = 0.2                # how long a just-created, still-empty lock may stay empty
_MAX_READ = 64 * 1024


@functools.lru_cache(maxsize=1)
def _boot_id() -> str | None:
    """Kernel boot id (Linux); lets a lock from before a reboot count as stale
    at once, even though its pid may since have been reused."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


def _default_owner() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no USER env and no passwd entry (containers)
        return "unknown"


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock.  ``time`` is an ISO-8601 timestamp with offset."""

    pid: int
    host: str
    time: str
    owner: str = ""
    boot: str | None = None

    @classmethod
    def mine(cls, owner: str | None = None) -> "LockInfo":
        return cls(pid=os.getpid(), host=socket.gethostname(),
                   time=datetime.now().astimezone().isoformat(timespec="microseconds"),
                   owner=_default_owner() if owner is None else owner,
                   boot=_boot_id())

    @classmethod
    def from_json(cls, raw: bytes) -> "LockInfo":
        """Parse lock file bytes; ``ValueError`` if they are not a lock."""
        data = json.loads(raw.decode("utf-8"))  # JSONDecodeError is a ValueError
        if not isinstance(data, dict):
            raise ValueError("not an object")
        pid, host, when = data.get("pid"), data.get("host"), data.get("time")
        owner, boot = data.get("owner", ""), data.get("boot")
        # pid <= 0 must never reach os.kill (0/-1 address process groups).
        if type(pid) is not int or pid <= 0:
            raise ValueError("bad pid")
        if not (isinstance(host, str) and isinstance(when, str) and isinstance(owner, str)
                and (boot is None or isinstance(boot, str))):
            raise ValueError("bad fields")
        return cls(pid=pid, host=host, time=when, owner=owner, boot=boot)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True).encode("utf-8")

    def since(self) -> str:
        """Start time as local ``YYYY-MM-DD HH:MM`` (raw text if unparsable)."""
        try:
            when = datetime.fromisoformat(self.time)
        except ValueError:
            return self.time
        if when.tzinfo is not None:
            when = when.astimezone()
        return when.strftime("%Y-%m-%d %H:%M")

    def describe(self, lang: str = "zh") -> str:
        """One line for the UI, e.g. ``held by 张三 on host (pid 1234, since …)``."""
        owner = " ".join(self.owner.split()) or "?"
        host = " ".join(self.host.split()) or "?"
        if lang == "zh":
            return f"已由 {owner} 在 {host} 上打开（进程 {self.pid}，{self.since()} 起）"
        return f"held by {owner} on {host} (pid {self.pid}, since {self.since()})"

    def __str__(self) -> str:
        return self.describe("en")

    def is_stale(self) -> bool:
        """The holder is certainly gone (only decidable on this host)."""
        if self.host != socket.gethostname():
            return False
        mine = _boot_id()
        if self.boot and mine and self.boot != mine:
            return True
        return pid_dead(self.pid)


# Why a lock could not be used although nobody may hold it: (Chinese, English) — each says what
# to do, since the inspector cannot fix what the message does not name.
_PROBLEMS = {
    "garbage": ("锁文件内容无法识别（已损坏,或不是 inspect-tui 写的）;"
                "确认没有其他窗口在用此检查记录后,删除该文件再试",
                "the lock file is unreadable: damaged, or not written by inspect-tui; "
                "if no other window has this session open, delete that file and try again"),
    "symlink": ("锁文件是符号链接,inspect-tui 从不建这种锁;查看它指向哪里,删除该链接再试",
                "the lock file is a symbolic link, which inspect-tui never makes; "
                "check where it points, delete the link and try again"),
    "not_file": ("锁文件不是普通文件;移走它再试", "the lock file is not a regular file; move it away and try again"),
    "unreadable": ("锁文件无法读取:{reason};检查它的权限,或删除它再试",
                   "the lock file cannot be read: {reason}; check its permissions, or delete it and try again"),
}


class LockedError(StorageError):
    """The session cannot be locked: held by someone else (``info`` names them), or the lock
    file is one we cannot use (``problem``: garbage, symlink, not_file, unreadable — the
    message then says what to do)."""

    def __init__(self, path: os.PathLike | str, info: LockInfo | None, problem: str | None = None,
                 detail: str = ""):
        self.info = info
        self.problem = problem if info is None else None
        self.detail = detail
        self._path = Path(path)
        super().__init__(path, self._reason("en"))

    def _reason(self, lang: str) -> str:
        if self.info is not None:
            return ("会话" if lang == "zh" else "session is locked, ") + self.info.describe(lang)
        zh, en = _PROBLEMS[self.problem or "garbage"]
        return (zh if lang == "zh" else en).format(reason=self.detail)

    def describe(self, lang: str = "zh") -> str:
        """The reason in ``lang`` ("zh" or "en"); a lock we cannot use is named by its path."""
        if self.info is None:
            return f"{self._path}: {self._reason(lang)}"
        return self._reason(lang)

    def bilingual(self) -> str:
        """"中文 (English)", the core's one-line shape (i18n.localize keeps one half)."""
        return f"{self.describe('zh')} ({self.describe('en')})"


def _inspect(path: Path) -> tuple[LockInfo | None, os.stat_result | None]:
    """Read a lock file: ``(None, None)`` if absent, ``(None, st)`` if garbage; a lock that is a
    link or not a file, or cannot be read, is LockedError with its problem (never followed: a
    link could point anywhere)."""
    try:
        first = os.lstat(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise LockedError(path, None, "unreadable", os_reason(exc)) from exc
    if stat.S_ISLNK(first.st_mode):
        raise LockedError(path, None, "symlink")
    if not stat.S_ISREG(first.st_mode):
        raise LockedError(path, None, "not_file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise LockedError(path, None, "unreadable", os_reason(exc)) from exc
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            raw = fh.read(_MAX_READ)
    except OSError as exc:
        raise LockedError(path, None, "unreadable", os_reason(exc)) from exc
    try:
        return LockInfo.from_json(raw), st
    except ValueError:
        return None, st


def _stale(info: LockInfo | None, st: os.stat_result, stale_after: float) -> bool:
    if info is None:
        return time.time() - st.st_mtime > stale_after
    return info.is_stale()


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
        ginfo, gst = _inspect(guard)
        if gst is not None and _stale(ginfo, gst, TAKEOVER_STALE_AFTER):
            _unlink(guard)  # its holder died mid-takeover
        time.sleep(random.uniform(0.001, 0.005))
        return
    try:
        info, st = _inspect(path)
        if st is not None and _stale(info, st, stale_after):
            _unlink(path)
    finally:
        _unlink(guard)


def _held_for(info: LockInfo) -> float:
    """Seconds since ``info`` took its lock (0 if its time cannot be read)."""
    try:
        when = datetime.fromisoformat(info.time)
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        return 0.0
    return (datetime.now().astimezone() - when).total_seconds()


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
            info, st = _inspect(path)
            if st is None:
                continue  # released in the meantime: try again
            if _stale(info, st, stale_after):
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
                    if holder is None and _held_for(info) > wait:
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
            info, _ = _inspect(self.path)
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
        info, _ = _inspect(self.path)
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


def read_lock(path: os.PathLike | str) -> LockInfo | None:
    """Who holds ``path``: ``None`` if nobody; :class:`DamagedFileError`
    if the file exists but is not a readable lock."""
    path = Path(path)
    info, st = _inspect(path)
    if st is None:
        return None
    if info is None:
        raise DamagedFileError(path, "not a valid lock file", what="lock file")
    return info

