"""A pull adding many sessions at once (store/create.py): each new session file whole or absent,
the folder made durable once, and a pull killed -9 half-way leaves nothing half-written and no
litter once the folder is opened, and the next sync finishes the job.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui.core.exchange import bundle as bundles, importing
from inspect_tui.core.exchange.central import local
from inspect_tui.core.session.checks import check_tables
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DamagedFileError
from inspect_tui.store.create import FolderSync, create_new
from inspect_tui.store.durable import encode
from inspect_tui.store.journal import read_state

from .pg_fixtures import pg_database, pg_server  # noqa: F401  (fixtures)
from .test_central_sync import Store, run, start, tables

psycopg = pytest.importorskip("psycopg")


def test_create_new_never_replaces_a_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "s.json"
    folders = FolderSync()
    made = create_new(target, b'{"a":1}', folders)
    assert target.read_bytes() == b'{"a":1}' and made == [target.stat().st_ino, 7, target.stat().st_mtime_ns]
    assert create_new(target, b'{"a":2}', folders) is None  # there already: untouched, nothing left beside it
    assert target.read_bytes() == b'{"a":1}' and sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    folders.sync()
    assert folders.syncs == 1 and not folders.pending


def test_folder_sync_on_threads_creates_every_file_once_and_the_same_one_twice_is_refused(tmp_path):
    folders = FolderSync(workers=4)
    paths = [tmp_path / f"{n}.json" for n in range(40)]
    assert all(folders.create(p, {"t": {"1": {"n": n}}}) for n, p in enumerate(paths))
    assert folders.create(paths[0], {"t": {"1": {"n": "again"}}}) is False  # it is there now: the caller merges into it
    made = folders.sync()
    assert [read_state(p) for p in paths] == [{"t": {"1": {"n": n}}} for n in range(40)]
    assert all(made[p] == [p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns] for p in paths)
    assert folders.syncs == 1 and sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)


def test_an_import_of_new_sessions_writes_each_whole_and_syncs_the_folder_once(tmp_path, monkeypatch):
    from inspect_tui.core.checklist import catalog

    a = SessionRepository(tmp_path / "a")
    ids = [start(a, catalog.find("shequ")) for _ in range(3)]
    path = tmp_path / "out.itb"
    bundles.write_bundle(a, ids, path)
    synced = []
    monkeypatch.setattr(FolderSync, "sync", lambda self, real=FolderSync.sync: synced.append(sorted(self.pending)) or real(self))
    b = SessionRepository(tmp_path / "b")
    got = importing.import_bundle(b, path)
    assert [s.kind for s in got.sessions] == [bundles.ADDED] * 3
    assert synced == [[b.folder]]
    assert sorted(b.session_ids()) == sorted(ids) and sorted(os.listdir(b.folder)) == sorted(f"{s}.json" for s in ids)
    assert importing.import_bundle(b, path).count(bundles.UNCHANGED) == 3  # what was written is what it holds


def _copies(repo: SessionRepository, source: str, n: int) -> list[str]:
    """`n` copies of a session under fresh ids (the bytes a session file has, as bench/sync.py makes)."""
    data = read_state(repo.path(source))
    ids = []
    for k in range(n):
        sid = secrets.token_hex(6)
        data["meta"]["1"]["id"], data["meta"]["1"]["branch"] = sid, f"第{k + 1}网格党支部"
        if isinstance(data["meta"]["1"].get("summary"), dict):
            data["meta"]["1"]["summary"]["id"] = sid
            data["meta"]["1"]["summary"]["branch"] = data["meta"]["1"]["branch"]
        repo.path(sid).write_text(encode(data), encoding="utf-8")
        ids.append(sid)
    return ids


@pytest.mark.slow  # a child process
def test_a_pull_killed_mid_batch_leaves_each_session_absent_or_whole_and_the_next_sync_finishes(
        pg_database, tmp_path):
    import inspect_tui
    from inspect_tui.core.checklist import catalog

    store = Store(pg_database)
    try:
        a, b = SessionRepository(tmp_path / "a"), SessionRepository(tmp_path / "b")
        _copies(a, start(a, catalog.find("shequ")), 300)
        ids = sorted(a.session_ids())
        assert len(run(store, a, "a").pushed) == len(ids) == 301
        env = {**os.environ, "INSPECT_TUI_CONFIG": str(tmp_path / "config-b.json"),
               "PYTHONPATH": str(Path(inspect_tui.__file__).resolve().parent.parent)}
        env.pop(local.PAUSE_ENV, None)
        b.folder.mkdir(mode=0o700)
        child = subprocess.Popen([sys.executable, "-m", "inspect_tui", "--sessions", str(b.folder), "sync",
                                  "--server", store.dsn("b")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        while child.poll() is None and not any(n.endswith(".json") and not n.startswith(".")
                                               for n in os.listdir(b.folder)):
            pass  # waits on the folder's state: the first session written
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL  # killed, not finished: the batch was under way
        present = sorted(p.stem for p in b.folder.glob("*.json"))
        assert present and set(present) <= set(ids)
        half = {}
        for sid in present:  # whole: a session file that reads and checks, or none at all
            try:
                data = read_state(b.path(sid))
            except DamagedFileError as exc:  # pragma: no cover - the failure this test is for
                pytest.fail(f"half-written {sid}: {exc}")
            assert data and check_tables(data) is None
            half[sid] = data
        assert sorted(s.id for s in b.list()) == present  # the listing opens the folder ...
        assert [n for n in os.listdir(b.folder) if ".tmp-" in n] == []  # ... and no temp file is left
        got = run(store, b, "b")
        assert not any(o.kind == local.REFUSED for o in got.pulled), [o.reason for o in got.pulled][:3]
        assert sorted(b.session_ids()) == ids  # the next sync finished the job
        assert {sid: read_state(b.path(sid)) for sid in present} == half  # what was there was already whole
        run(store, a, "a")
        assert tables(a) == tables(b)
    finally:
        store.drop()


def test_copied_says_the_same_only_for_the_same_documents_and_the_same_meta():
    from inspect_tui.core.exchange.central.local import copied

    doc = {"item": "a.b", "state": "pass"}
    payload = {"tables": {"meta": {"1": {"id": "x", "n": 1}}, "answers": {"1": doc}}}
    mine = {"tables": {"meta": {"1": {"id": "x", "n": 1}}, "answers": {"1": doc}}}
    assert copied(mine, payload)
    assert not copied({"tables": {**mine["tables"], "meta": {"1": {"id": "x", "n": True}}}}, payload)  # 1 is not true
    assert not copied({"tables": {**mine["tables"], "answers": {"1": dict(doc)}}}, payload)  # not the pulled document
    assert not copied({"tables": {"meta": mine["tables"]["meta"]}}, payload)  # a table fewer
    assert not copied(mine, {**payload, "selfcheck": {}})  # the self-assessment is not compared here
