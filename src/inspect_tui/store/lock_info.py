"""What a session's lock file says: who holds it, since when, and whether the holder is gone.

`LockInfo` (pid, host, start time, owner, boot id) as written into the lock file, `read_lock` and
`inspect_lock` to read one without trusting it (bounded, a damaged file is "unreadable", not an
error), `stale` (same host and the pid is gone, or the machine rebooted; an unreadable file only
after a while; another host's lock never), and `LockedError`, the refusal naming the holder.
Taking and releasing the lock is lock.py.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import socket
import stat
import time
from dataclasses import asdict
from ..quick_dataclass import dataclass
from datetime import datetime
from pathlib import Path

from .durable import DamagedFileError, StorageError, os_reason, pid_dead

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


def inspect_lock(path: Path) -> tuple[LockInfo | None, os.stat_result | None]:
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


def stale(info: LockInfo | None, st: os.stat_result, stale_after: float) -> bool:
    if info is None:
        return time.time() - st.st_mtime > stale_after
    return info.is_stale()


def held_for(info: LockInfo) -> float:
    """Seconds since ``info`` took its lock (0 if its time cannot be read)."""
    try:
        when = datetime.fromisoformat(info.time)
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        return 0.0
    return (datetime.now().astimezone() - when).total_seconds()


def read_lock(path: os.PathLike | str) -> LockInfo | None:
    """Who holds ``path``: ``None`` if nobody; :class:`DamagedFileError`
    if the file exists but is not a readable lock."""
    path = Path(path)
    info, st = inspect_lock(path)
    if st is None:
        return None
    if info is None:
        raise DamagedFileError(path, "not a valid lock file", what="lock file")
    return info
