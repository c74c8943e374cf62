"""SessionLock: one writer per session, safe takeover of abandoned locks."""

import json
import multiprocessing
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import inspect_tui

# The package as imported here (installed, or src/ on PYTHONPATH), for child processes.
SRC = Path(inspect_tui.__file__).resolve().parent.parent

from inspect_tui.store import (  # noqa: E402
    DamagedFileError,
    LockedError,
    LockInfo,
    SessionLock,
    StorageError,
    read_lock,
)
from inspect_tui.store import lock_info  # noqa: E402


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_lock(path, **fields):
    data = {"pid": dead_pid(), "host": socket.gethostname(),
            "time": "2026-11-27T14:03:00+08:00", "owner": "李四"}
    data.update(fields)
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def age(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_acquire_writes_owner_only_json_and_release_removes_it(tmp_path):
    path = tmp_path / "s.lock"
    lock = SessionLock.acquire(path, owner="张三")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid()
    assert data["host"] == socket.gethostname()
    assert data["owner"] == "张三"
    assert data["time"][:4].isdigit()
    assert read_lock(path) == lock.info
    assert lock.is_held()
    assert lock.release() is True
    assert not path.exists()
    assert not lock.is_held()
    assert lock.release() is False  # idempotent
    assert read_lock(path) is None


def test_second_acquire_names_the_holder(tmp_path):
    path = tmp_path / "s.lock"
    with SessionLock.acquire(path, owner="张三") as held:
        start = time.monotonic()
        with pytest.raises(LockedError) as info:
            SessionLock.acquire(path, owner="王五")
        assert time.monotonic() - start < 0.5  # a live holder is reported at once
        err = info.value
        assert err.info == held.info
        msg = str(err)
        assert "\n" not in msg
        assert msg.startswith(f"{path}: session is locked, held by 张三 on {socket.gethostname()}")
        assert f"pid {os.getpid()}" in msg
        assert "已由 张三" in err.describe("zh")
        assert isinstance(err, StorageError)
    assert not path.exists()
    SessionLock.acquire(path).release()  # free again after the with-block


def test_describe_formats():
    info = LockInfo(pid=1234, host="host", time="2026-11-27T14:03:59", owner="张三")
    assert info.describe("en") == "held by 张三 on host (pid 1234, since 2026-11-27 14:03)"
    assert info.describe("zh") == "已由 张三 在 host 上打开（进程 1234，2026-11-27 14:03 起）"
    assert str(info) == info.describe("en")
    odd = LockInfo(pid=1, host="h\nx", time="yesterday", owner="")
    assert odd.describe("en") == "held by ? on h x (pid 1, since yesterday)"


def test_dead_pid_lock_is_taken_over(tmp_path):
    path = tmp_path / "s.lock"
    write_lock(path)
    with SessionLock.acquire(path, owner="me") as lock:
        assert read_lock(path).pid == os.getpid()
        assert lock.info.owner == "me"
    assert list(tmp_path.iterdir()) == []  # no guard file left behind


def test_foreign_host_lock_is_never_stale(tmp_path):
    path = tmp_path / "s.lock"
    data = write_lock(path, host="another-laptop")
    age(path, 3600)
    with pytest.raises(LockedError, match="held by 李四 on another-laptop"):
        SessionLock.acquire(path)
    assert json.loads(path.read_text(encoding="utf-8")) == data


@pytest.mark.skipif(lock_info._boot_id() is None, reason="no kernel boot id on this platform")
def test_lock_from_before_a_reboot_is_stale_even_if_pid_is_alive(tmp_path):
    path = tmp_path / "s.lock"
    write_lock(path, pid=os.getppid(), boot="00000000-0000-0000-0000-000000000000")
    SessionLock.acquire(path).release()


def test_live_pid_same_host_is_not_stale(tmp_path):
    path = tmp_path / "s.lock"
    write_lock(path, pid=os.getppid())
    age(path, 3600)
    with pytest.raises(LockedError):
        SessionLock.acquire(path)


@pytest.mark.parametrize("content", [b"", b"\x00\xffgarbage", b"[1]", b'{"pid": 0, "host": "h", "time": "t"}',
                                     b'{"pid": -1, "host": "h", "time": "t"}', b'{"pid": true, "host": "h", "time": "t"}'])
def test_garbage_lock_locks_for_a_minute_then_is_taken_over(tmp_path, content):
    path = tmp_path / "s.lock"
    path.write_bytes(content)
    start = time.monotonic()
    with pytest.raises(LockedError) as info:
        SessionLock.acquire(path)
    assert time.monotonic() - start < 1.0
    assert info.value.info is None
    assert "unreadable" in str(info.value)
    assert path.read_bytes() == content
    with pytest.raises(DamagedFileError, match="damaged lock file"):
        read_lock(path)
    age(path, 61)
    SessionLock.acquire(path).release()


def test_release_never_removes_someone_elses_lock(tmp_path):
    path = tmp_path / "s.lock"
    lock = SessionLock.acquire(path)
    data = write_lock(path, pid=os.getppid(), owner="接管者")  # e.g. a manual takeover
    assert not lock.is_held()
    assert lock.release() is False
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_abandoned_takeover_guard_is_cleaned_up(tmp_path):
    path = tmp_path / "s.lock"
    write_lock(path)
    guard = tmp_path / "s.lock.takeover"
    write_lock(guard)  # a process died mid-takeover
    SessionLock.acquire(path).release()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_a_storage_error(tmp_path):
    with pytest.raises(StorageError, match="folder does not exist"):
        SessionLock.acquire(tmp_path / "missing" / "s.lock")


# -- the takeover race -------------------------------------------------------

ROUNDS = 20
WORKERS = 8


def _racer(path, start, done, results):
    for r in range(ROUNDS):
        start.wait()
        try:
            SessionLock.acquire(path, owner=f"w{os.getpid()}")
            outcome = "won"
        except LockedError:
            outcome = "lost"
        except Exception as exc:  # reported, so the parent fails loudly
            outcome = f"error {exc!r}"
        results.put((r, outcome))
        done.wait()  # hold the lock (never release) until everyone tried


def test_racing_takeovers_have_exactly_one_winner(tmp_path):
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    path = tmp_path / "s.lock"
    stale = dead_pid()
    start, done = ctx.Barrier(WORKERS + 1, timeout=20), ctx.Barrier(WORKERS + 1, timeout=20)
    results = ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(path, start, done, results)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    try:
        for r in range(ROUNDS):
            for leftover in tmp_path.iterdir():
                leftover.unlink()
            write_lock(path, pid=stale, time=f"2026-11-27T14:03:{r:02d}+08:00")
            start.wait()
            outcomes = [results.get(timeout=20) for _ in range(WORKERS)]
            done.wait()
            assert {o[0] for o in outcomes} == {r}
            wins = [o[1] for o in outcomes if o[1] == "won"]
            assert len(wins) == 1, f"round {r}: {outcomes}"
            assert all(o[1] in ("won", "lost") for o in outcomes), outcomes
            assert read_lock(path).pid in {p.pid for p in procs}
    finally:
        start.abort()  # on failure, wake the workers instead of hanging
        done.abort()
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()


def test_lock_path_that_is_a_folder_is_a_storage_error(tmp_path):
    (tmp_path / "s.lock").mkdir()
    with pytest.raises(StorageError, match="not a regular file"):  # a LockedError that says what to do
        SessionLock.acquire(tmp_path / "s.lock")


def test_a_symlinked_lock_is_never_followed_and_says_what_to_do(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(LockInfo.mine("someone").to_json().decode(), encoding="utf-8")
    for link_to in (target, tmp_path / "missing"):
        link = tmp_path / "s.lock"
        link.symlink_to(link_to)
        with pytest.raises(LockedError) as info:
            SessionLock.acquire(link, wait=2.0)
        assert info.value.problem == "symlink" and info.value.info is None
        assert "符号链接" in info.value.describe("zh") and "delete the link" in info.value.describe("en")
        assert str(link) in info.value.describe("zh")
        link.unlink()
    assert target.exists()  # never touched through the link


def test_a_writer_waits_for_a_lock_held_during_a_save(tmp_path):
    import threading

    path = tmp_path / "s.lock"
    held = SessionLock.acquire(path, owner="first")
    threading.Timer(0.3, held.release).start()
    start = time.monotonic()
    second = SessionLock.acquire(path, owner="second", wait=2.0)
    assert 0.2 < time.monotonic() - start < 2.0 and second.info.owner == "second"
    second.release()


def test_a_lock_held_longer_than_a_save_is_not_waited_for(tmp_path):
    path = tmp_path / "s.lock"
    old = LockInfo(pid=os.getpid(), host=socket.gethostname(), time="2020-01-01T00:00:00+00:00", owner="窗口")
    path.write_bytes(old.to_json())
    start = time.monotonic()
    with pytest.raises(LockedError) as info:
        SessionLock.acquire(path, wait=2.0)
    assert time.monotonic() - start < 1.0 and info.value.info == old  # an open window: read-only at once
