"""DurableJSONStorage: atomic, durable, private, and loud about damage."""

import errno
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

import inspect_tui

# The package as imported here (installed, or src/ on PYTHONPATH), for child processes.
SRC = Path(inspect_tui.__file__).resolve().parent.parent

from inspect_tui.store import (  # noqa: E402
    DamagedFileError,
    DurableJSONStorage,
    StorageError,
    clean_temp_files,
)

DATA = {"answers": {"1": {"item": "i1", "note": "中文备注：地面湿滑", "ok": True}}}


def temp_files(folder):
    return sorted(p.name for p in Path(folder).iterdir() if ".tmp-" in p.name)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def strict_umask():
    """A umask that would narrow modes: the storage must still get exactly 0o600/0o700."""
    old = os.umask(0o277)
    yield
    os.umask(old)


def test_round_trip_keeps_chinese_readable(tmp_path):
    path = tmp_path / "s.json"
    DurableJSONStorage(path).write(DATA)
    raw = path.read_bytes()
    assert "中文备注：地面湿滑".encode("utf-8") in raw
    assert b"\\u" not in raw
    assert raw == json.dumps(DATA, ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")).encode("utf-8")
    assert DurableJSONStorage(path).read() == DATA


def test_modes_are_owner_only_even_with_odd_umask(tmp_path, strict_umask):
    path = tmp_path / "new" / "deeper" / "s.json"
    DurableJSONStorage(path).write(DATA)
    assert mode(path) == 0o600
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "deeper") == 0o700


def test_existing_folder_and_file_mode_not_widened(tmp_path):
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "s.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    DurableJSONStorage(path).write(DATA)
    assert mode(path) == 0o600
    assert mode(tmp_path) == 0o755  # not ours to change


def test_missing_and_empty_file_mean_new_database(tmp_path):
    path = tmp_path / "s.json"
    assert DurableJSONStorage(path).read() is None
    assert not path.exists()  # reading never creates files
    path.write_bytes(b"")
    assert DurableJSONStorage(path).read() is None


def test_tinydb_insert_update_search_upsert_remove(tmp_path, storage):
    path = tmp_path / "s.json"
    with TinyDB(path, storage=storage) as db:
        t = db.table("answers")
        t.insert({"item": "a", "note": "初始"})
        t.insert({"item": "b", "note": "x"})
        t.update({"note": "已修改"}, Query().item == "a")
        t.upsert({"item": "c", "note": "新"}, Query().item == "c")
        t.remove(Query().item == "b")
        assert [d["note"] for d in t.search(Query().item == "a")] == ["已修改"]
    with TinyDB(path, storage=storage) as db:
        t = db.table("answers")
        assert sorted((d["item"], d["note"]) for d in t.all()) == [("a", "已修改"), ("c", "新")]


def test_one_update_costs_one_write_and_no_read(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    db = TinyDB(path, storage=DurableJSONStorage)
    t = db.table("answers")
    t.insert_multiple({"item": f"i{n}", "n": n} for n in range(20))
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(Path(p).name) or real_open(p, *a, **k))
    storage = db.storage
    before = storage.writes
    t.update({"n": 99}, Query().item == "i3")
    assert storage.writes - before == 1
    assert path.name not in opened  # the read before the write came from cache
    assert sum(".tmp-" in name for name in opened) == 1
    # upsert of a new item: TinyDB's no-op update is skipped, so still one write
    t.upsert({"item": "new", "n": 1}, Query().item == "new")
    assert storage.writes - before == 2
    db.close()


def test_read_hands_out_copies(tmp_path, storage):
    s = storage(tmp_path / "s.json")
    s.write(DATA)
    s.read()["answers"]["1"]["note"] = "changed in memory"
    assert s.read() == DATA


@pytest.mark.parametrize("content, detail", [
    (b'{"answers":{"1":{"item":"i1","note":"\xe4\xb8', "not valid UTF-8"),  # cut mid-character
    (b'{"answers":{"1":{"item":"i1"', "not valid JSON at line 1"),      # truncated
    (bytes(range(7, 40)) + b"\x00garbage", None),
    (b'\xff\xfe{"a": {}}', "not valid UTF-8 at byte 0"),
    (b'[{"item": "i1"}]', "top level is a JSON array"),
    (b'{"answers": [1, 2]}', "table 'answers'"),
    (b'{"answers": {"1": "x"}}', "document answers/1"),
    (b'{"n": NaN}', "not valid JSON"),
])
def test_damaged_files_raise_one_clear_line(tmp_path, content, detail):
    path = tmp_path / "abc.json"
    path.write_bytes(content)
    with pytest.raises(DamagedFileError) as info:
        DurableJSONStorage(path).read()
    msg = str(info.value)
    assert msg.startswith(f"{path}: damaged session file (")
    assert "\n" not in msg
    if detail:
        assert detail in msg
    assert isinstance(info.value, StorageError)
    assert path.read_bytes() == content  # never "repaired" by overwriting


def test_damaged_file_stops_tinydb_before_any_write(tmp_path):
    path = tmp_path / "abc.json"
    path.write_bytes(b'{"_default": {"1": {"a": 1}')
    db = TinyDB(path, storage=DurableJSONStorage)
    with pytest.raises(DamagedFileError):
        db.insert({"a": 2})
    assert path.read_bytes() == b'{"_default": {"1": {"a": 1}'


def fail_writes(monkeypatch, err):
    def boom(fd, data):
        raise OSError(err, os.strerror(err))
    monkeypatch.setattr(os, "write", boom)


def test_disk_full_keeps_old_file_and_retry_succeeds(tmp_path, monkeypatch):
    path = tmp_path / "abc.json"
    db = TinyDB(path, storage=DurableJSONStorage)
    db.insert({"note": "已保存"})
    before = path.read_bytes()
    with monkeypatch.context() as m:
        fail_writes(m, errno.ENOSPC)
        with pytest.raises(StorageError) as info:
            db.insert({"note": "未保存"})
    assert str(info.value) == f"{path}: could not save (disk full)"
    assert info.value.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []
    # the failed change did not linger in the cache
    assert [d["note"] for d in db.all()] == ["已保存"]
    db.insert({"note": "重试"})
    assert sorted(d["note"] for d in TinyDB(path, storage=DurableJSONStorage).all()) == ["已保存", "重试"]


@pytest.mark.parametrize("where, err, reason", [
    ("open", errno.EROFS, "read-only file system"),
    ("open", errno.EACCES, "permission denied"),
    ("write", errno.EFBIG, "file too large"),
    ("fsync", errno.EIO, "input/output error"),
    ("replace", errno.EACCES, "permission denied"),
])
def test_os_errors_leave_target_untouched(tmp_path, monkeypatch, where, err, reason):
    path = tmp_path / "abc.json"
    s = DurableJSONStorage(path)
    s.write(DATA)
    before = path.read_bytes()
    real = getattr(os, where)

    def failing(*args, **kwargs):
        if where != "open" or ".tmp-" in str(args[0]):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(os, where, failing)
        with pytest.raises(StorageError) as info:
            s.write({"answers": {}})
    assert str(info.value) == f"{path}: could not save ({reason})"
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []
    assert s.read() == DATA
    s.write({"answers": {}})
    assert DurableJSONStorage(path).read() == {"answers": {}}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions; covered by the patched-EACCES test")
def test_real_read_only_folder(tmp_path):
    path = tmp_path / "abc.json"
    DurableJSONStorage(path).write(DATA)
    os.chmod(tmp_path, 0o500)
    try:
        with pytest.raises(StorageError, match="permission denied"):
            DurableJSONStorage(path).write({})
    finally:
        os.chmod(tmp_path, 0o700)
    assert DurableJSONStorage(path).read() == DATA


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": float("nan")}, {"x": "\ud800"}, []])
def test_what_json_cannot_hold_is_refused_and_the_last_save_kept(tmp_path, storage, bad):
    s = storage(tmp_path / "abc.json")
    s.write(DATA)
    with pytest.raises(StorageError, match="not JSON-serialisable|not a dict"):
        s.write({"answers": {"1": bad}} if bad != [] else bad)
    assert s.read() == DATA and storage(tmp_path / "abc.json").read() == DATA


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": float("nan")}, {"x": "\ud800"}])
def test_serialisation_failure_never_touches_the_file(tmp_path, monkeypatch, bad):
    path = tmp_path / "abc.json"
    s = DurableJSONStorage(path)
    s.write(DATA)
    before = path.read_bytes()
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    with pytest.raises(StorageError, match="not JSON-serialisable"):
        s.write({"answers": {"1": bad}})
    assert opened == []
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_folder_fsync_unsupported_is_tolerated(tmp_path, monkeypatch):
    path = tmp_path / "abc.json"
    real_open = os.open

    def no_dir_open(p, flags, *a, **k):
        if Path(p) == tmp_path:
            raise PermissionError(errno.EACCES, "cannot open folders here")
        return real_open(p, flags, *a, **k)

    monkeypatch.setattr(os, "open", no_dir_open)
    DurableJSONStorage(path).write(DATA)
    assert DurableJSONStorage(path).read() == DATA


def test_read_only_and_closed_storage_refuse_to_write(tmp_path, storage):
    path = tmp_path / "abc.json"
    storage(path).write(DATA)
    ro = storage(path, read_only=True)
    assert ro.read() == DATA
    with pytest.raises(StorageError, match="read-only"):
        ro.write({})
    s = storage(path)
    s.close()
    with pytest.raises(StorageError, match="closed"):
        s.read()
    assert storage(path).read() == DATA


def test_unreadable_file_is_a_storage_error_not_a_crash(tmp_path):
    (tmp_path / "abc.json").mkdir()
    with pytest.raises(StorageError) as info:
        DurableJSONStorage(tmp_path / "abc.json").read()
    assert "is a folder" in str(info.value)


def test_error_messages_stay_on_one_line(tmp_path):
    path = tmp_path / "evil\nname.json"
    path.write_bytes(b"[]")
    with pytest.raises(DamagedFileError) as info:
        DurableJSONStorage(path).read()
    assert "\n" not in str(info.value)


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_temp_files(tmp_path):
    live = os.getpid()
    old = tmp_path / f".a.json.tmp-{live}-0badc0de"
    fresh_live = tmp_path / f".a.json.tmp-{live}-deadbeef"
    fresh_dead = tmp_path / f".b.json.tmp-{dead_pid()}-12345678"
    keep = [tmp_path / ".notes.tmp", tmp_path / ".a.json.tmp-x-1", tmp_path / "a.json"]
    for p in [old, fresh_live, fresh_dead, *keep]:
        p.write_text("x")
    past = time.time() - 60
    os.utime(old, (past, past))
    os.utime(keep[0], (past, past))
    removed = clean_temp_files(tmp_path)
    assert sorted(removed) == sorted([old, fresh_dead])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in [fresh_live, *keep])
    assert clean_temp_files(tmp_path / "missing") == []


def test_store_imports_no_ui_libraries():
    code = ("import sys; import inspect_tui.store; "
            "bad = [m for m in ('textual', 'rich') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={**os.environ, "PYTHONPATH": str(SRC)})
