"""`inspect-tui sync` against a real PostgreSQL (tests/pg_fixtures.py): two laptops (two sessions
folders, two device ids, two inspector roles) and the server, syncing in turns.

Every sync here runs as an inspector login role, so the server's row-level security decides what
each laptop may push and pull. The kill tests run `inspect-tui sync` in a child process paused by
$INSPECT_TUI_SYNC_PAUSE after the server's commit and before the local record, and kill it -9.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui.cli.main import main
from inspect_tui.core import settings
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.exchange.central import admin, events, local, sync
from inspect_tui.core.exchange.central.connection import CentralError
from inspect_tui.core.session.answers import fact_to_json
from inspect_tui.core.session.attachments import AttachmentStore
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store.journal import read_state

from .pg_fixtures import pg_database, pg_server  # noqa: F401  (fixtures)
from .test_bundle import Clock  # one clock for every laptop of a test

psycopg = pytest.importorskip("psycopg")
from psycopg import sql  # noqa: E402

S = "inspect_tui"
UNIT, OTHER_UNIT = "幸福社区党委", "和平社区党委"
DAY = dt.date(2026, 6, 15)


class Store:
    """A central store with two units; inspectors a and b on UNIT, c on OTHER_UNIT."""

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        tag = secrets.token_hex(3)
        self.roles = {who: f"sync_{who}_{tag}" for who in ("a", "b", "c")}
        self.password = secrets.token_urlsafe(12)
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            admin.init(conn, "db")
            admin.set_unit(conn, "db", UNIT, None)
            admin.set_unit(conn, "db", OTHER_UNIT, None)
            for who, unit in (("a", UNIT), ("b", UNIT), ("c", OTHER_UNIT)):
                admin.grant(conn, "db", self.roles[who], unit, "inspector", "")
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(self.roles[who]),
                                                                        sql.Literal(self.password)))

    def dsn(self, who: str) -> str:
        # the password only in the test's DSN string, never in a file the app writes
        return f"{self.admin_dsn} user={self.roles[who]} password={self.password}"

    def count(self, table: str) -> int:
        with psycopg.connect(self.admin_dsn) as conn:
            return conn.execute(f"SELECT count(*) FROM {S}.{table}").fetchone()[0]

    def drop(self) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {S} CASCADE")
            for role in self.roles.values():
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """`main(["--lang", "en", …])` sets the process's language; the next test must not inherit it."""
    from inspect_tui.i18n import set_lang

    yield
    set_lang(None)


@pytest.fixture
def store(pg_database):
    central = Store(pg_database)
    try:
        yield central
    finally:
        central.drop()


@pytest.fixture
def laptops(tmp_path: Path):
    clock = Clock()
    return SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)


@pytest.fixture
def shequ():
    return catalog.find("shequ")


DEVICES = {"a": "dev-laptop-a-0001", "b": "dev-laptop-b-0001", "c": "dev-laptop-c-0001"}


def run(store: Store, repo: SessionRepository, who: str) -> local.SyncReport:
    return sync.sync(repo, store.dsn(who), device=DEVICES[who])


def start(repo: SessionRepository, shequ, unit: str = UNIT) -> str:
    opened = repo.create(shequ, "幸福社区第一网格党支部", unit, ["张三"], DAY)
    opened.set_fact("full_members", "60", "张三")
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="网格与楼栋不对应")
    opened.close()
    return opened.session.id


def edit(repo: SessionRepository, sid: str, who: str, item: str, **answer) -> None:
    with repo.open(sid) as opened:
        opened.set_answer(item, who, **answer)


def tables(repo: SessionRepository) -> dict[str, dict]:
    """Every session file's content (its journal replayed), as the sync compares them."""
    return {sid: read_state(repo.path(sid)) for sid in repo.session_ids()}


def folder_files(repo: SessionRepository) -> dict[str, bytes]:
    """Every file of the folder but the sync's own record: what 'nothing changed locally' means."""
    return {str(p.relative_to(repo.folder)): p.read_bytes() for p in sorted(repo.folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".sync-")}


def test_disjoint_edits_end_identical_after_a_b_a_with_attachments(store, laptops, shequ, tmp_path, monkeypatch):
    from PIL import Image

    a, b = laptops
    sid = start(a, shequ)
    picture = tmp_path / "p.png"
    Image.new("RGB", (32, 24), "red").save(picture)
    with a.open(sid) as opened:
        opened.attach("org.basic.grid_split", [picture], "张三")
    first = run(store, a, "a")
    assert [(o.id, o.kind) for o in first.pushed] == [(sid, local.PUSHED)] and first.pulled == []
    second = run(store, b, "b")
    assert [(o.id, o.kind) for o in second.pulled] == [(sid, local.ADDED)]
    [sha] = {d["sha256"] for d in tables(b)[sid]["attachments"].values()}
    assert AttachmentStore.beside(b.path(sid)).read(sha) == picture.read_bytes()  # downloaded, verified
    assert run(store, b, "b").pushed == []  # what B received is not echoed back to the server
    # disjoint edits: each laptop one item
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)
    edit(b, sid, "李四", "team.grid", state=State.FAIL, note="网格员未配齐")
    run(store, a, "a")
    merged_b = run(store, b, "b")
    assert [(o.kind, o.conflicts) for o in merged_b.pulled] == [(local.MERGED, [])]
    run(store, a, "a")
    assert tables(a) == tables(b)
    with a.open(sid, write=False) as opened:
        answers = opened.session.answers
    assert answers["org.groups.principle"].state is State.PASS and answers["team.grid"].note == "网格员未配齐"
    assert store.count("attachments") == 1  # uploaded once, however many pushes named it
    # nothing new: a sync pushes and pulls nothing more, and the server gains no event
    for repo, who in ((a, "a"), (b, "b")):
        run(store, repo, who)
    before = store.count("events")
    again = [run(store, repo, who) for repo, who in ((a, "a"), (b, "b"))]
    assert all(r.pushed == [] and all(o.kind == local.UNCHANGED for o in r.pulled) for r in again)
    read = []
    real = sync.snapshot
    monkeypatch.setattr(sync, "snapshot", lambda repo, sid: read.append(sid) or real(repo, sid))
    assert [r.pulled for r in (run(store, a, "a"), run(store, b, "b"))] == [[], []]  # settled
    assert store.count("events") == before and read == []  # unchanged files are not even read
    # the server's session row: the score the session's own summary holds
    summary = tables(a)[sid]["meta"]["1"]["summary"]
    with psycopg.connect(store.admin_dsn) as conn:
        row = conn.execute(f"SELECT unit, status, percent, grade FROM {S}.sessions WHERE id = %s", (sid,)).fetchone()
    assert row[:2] == (UNIT, summary["status"])
    # (the server keeps the rate unrounded, the summary to two places)
    assert (None if row[2] is None else round(float(row[2]), 2)) == summary["percent"] and row[3] == summary["grade"]
    # … and its answers, facts and rectifications: the merged state of both laptops' edits
    with psycopg.connect(store.admin_dsn) as conn:
        answers_rows = dict(conn.execute(f"SELECT item, state FROM {S}.answers WHERE session_id = %s", (sid,)).fetchall())
        facts_rows = dict(conn.execute(f"SELECT fact, value FROM {S}.facts WHERE session_id = %s", (sid,)).fetchall())
        rect_rows = conn.execute(f"SELECT item, status FROM {S}.rectifications WHERE session_id = %s ORDER BY item",
                                 (sid,)).fetchall()
    assert answers_rows["org.groups.principle"] == "pass" and answers_rows["team.grid"] == "fail"
    with a.open(sid, write=False) as opened:
        assert facts_rows == {k: fact_to_json(v) for k, v in opened.session.facts.items()} and facts_rows["full_members"] == 60
    assert answers_rows["org.basic.grid_split"] == "fail"
    assert rect_rows == [("org.basic.grid_split", "待整改"), ("team.grid", "待整改")]


def test_conflicting_edits_end_identical_and_the_conflict_is_listed_on_both(store, laptops, shequ):
    a, b = laptops
    sid = start(a, shequ)
    run(store, a, "a")
    run(store, b, "b")
    edit(b, sid, "李四", "org.groups.principle", state=State.FAIL)   # earlier
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)   # later: wins on both
    run(store, a, "a")
    on_b = run(store, b, "b")
    on_a = run(store, a, "a")
    for report, winner in ((on_b, "bundle"), (on_a, "local")):
        [conflict] = [c for o in report.pulled for c in o.conflicts]
        assert conflict.field == "answer:org.groups.principle.state"
        assert (conflict.winner, conflict.kept.value, conflict.lost.value) == (winner, "pass", "fail")
    assert tables(a) == tables(b)
    trail = [(d["inspector"], d["field"], d["new"]) for d in tables(a)[sid]["audit"].values()]
    assert ("李四", "answer:org.groups.principle.state", "fail") in trail  # the losing value is kept


def test_one_laptop_used_under_two_login_roles_pushes_as_a_device_of_each(store, laptops, shequ):
    a, _ = laptops
    start(a, shequ)
    assert run(store, a, "a").device == DEVICES["a"]
    c = SessionRepository(a.folder.parent / "c", Clock())
    start(c, shequ, unit=OTHER_UNIT)
    other = sync.sync(c, store.dsn("c"), device=DEVICES["a"])  # the same config, another role
    assert other.device.startswith(DEVICES["a"] + "-") and [o.kind for o in other.pushed] == [local.PUSHED]
    assert sync.sync(c, store.dsn("c"), device=DEVICES["a"]).device == other.device  # the same each time


def test_a_self_assessment_travels_with_its_session(store, laptops, shequ, tmp_path):
    from inspect_tui.core.session import selfcheck_file

    a, b = laptops
    sid = start(a, shequ)
    own = tmp_path / "自查.yaml"
    own.write_text("answers: {org.basic.grid_split: pass, team.grid: fail}\n", encoding="utf-8")
    with a.open(sid, write=False) as opened:
        selfcheck_file.attach(a, opened.session, own, "张三")
    run(store, a, "a")
    [added] = run(store, b, "b").pulled
    assert added.kind == local.ADDED
    assert selfcheck_file.path_for(b, sid).read_bytes() == selfcheck_file.path_for(a, sid).read_bytes()
    with b.open(sid, write=False) as opened:
        assert selfcheck_file.load(b, opened.session).answers["team.grid"].state is State.FAIL


def test_a_replayed_push_is_a_no_op_and_an_altered_one_is_refused(store, laptops, shequ):
    a, _ = laptops
    sid = start(a, shequ)
    run(store, a, "a")
    payload, session = sync.snapshot(a, sid)
    with psycopg.connect(store.dsn("a"), autocommit=True) as conn:
        # the same event again (as after a lost acknowledgement): stored once
        assert events.push(conn, DEVICES["a"], 1, sid, UNIT, session.branch.name, local.KIND, payload) is False
        altered = json.loads(json.dumps(payload))
        altered["tables"]["meta"]["1"]["place"] = "改过的地点"
        with pytest.raises(events.AlteredReplay):  # refused by the server's own check (0002)
            events.push(conn, DEVICES["a"], 1, sid, UNIT, session.branch.name, local.KIND, altered)
    assert store.count("events") == 1


def test_a_stopped_server_changes_nothing_locally_and_the_next_sync_completes(store, laptops, shequ, monkeypatch, capsys):
    a, _ = laptops
    sid = start(a, shequ)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = folder_files(a)
    monkeypatch.setenv("INSPECT_TUI_CONFIG", str(a.folder.parent / "config-a.json"))
    code = main(["--sessions", str(a.folder), "sync", "--server", f"host=127.0.0.1 port={port} dbname=x connect_timeout=3"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and f"127.0.0.1:{port}" in err
    assert folder_files(a) == before and not list(a.folder.glob(".sync-*"))
    assert settings.load()[local.LAST_SYNC_KEY]["result"] == "failed"
    assert main(["--sessions", str(a.folder), "sync", "--server", store.dsn("a")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("已上传 " + sid) and "上传 1" in out[-1]
    last = settings.load()[local.LAST_SYNC_KEY]
    assert (last["result"], last["pushed"]) == ("ok", 1)
    assert settings.load()[local.DEVICE_KEY].startswith("dev-")  # made once, kept in the user config
    assert store.count("events") == 1


def test_an_inspector_of_another_unit_gets_nothing_of_it_and_cannot_push_into_it(store, laptops, shequ, tmp_path):
    a, b = laptops
    with psycopg.connect(store.admin_dsn, autocommit=True) as conn:  # a works for both units
        admin.grant(conn, "db", store.roles["a"], OTHER_UNIT, "inspector", "")
    ours = start(a, shequ)
    run(store, a, "a")  # one device, events of both units: ours is event 1, theirs event 2
    theirs = start(a, shequ, unit=OTHER_UNIT)
    run(store, a, "a")
    c = SessionRepository(tmp_path / "c", Clock())
    got = run(store, c, "c")
    assert [(o.id, o.kind) for o in got.pulled] == [(theirs, local.ADDED)] and c.session_ids() == [theirs]
    # c's own session of A's unit: refused by PostgreSQL (RLS), listed, nothing acknowledged
    stray = start(c, shequ, unit=UNIT)
    report = run(store, c, "c")
    [refused] = report.pushed
    assert (refused.id, refused.kind) == (stray, local.REFUSED) and "row-level security" in refused.reason
    assert stray not in {o.id for o in run(store, b, "b").pulled} and stray not in b.session_ids()
    # granted the unit later: its old events come, though c has seen a later event of that device
    with psycopg.connect(store.admin_dsn, autocommit=True) as conn:
        admin.grant(conn, "db", store.roles["c"], UNIT, "inspector", "")
    got = run(store, c, "c")
    assert [(o.id, o.kind) for o in got.pulled] == [(ours, local.ADDED)]
    assert [(o.id, o.kind) for o in got.pushed] == [(stray, local.PUSHED)]  # and its own session goes up


def _child(store: Store, repo: SessionRepository, who: str, pause: str | None, config: Path) -> subprocess.Popen:
    import inspect_tui

    env = {**os.environ, "INSPECT_TUI_CONFIG": str(config),
           "PYTHONPATH": str(Path(inspect_tui.__file__).resolve().parent.parent)}
    if pause:
        env[local.PAUSE_ENV] = pause
    return subprocess.Popen([sys.executable, "-m", "inspect_tui", "--sessions", str(repo.folder), "sync",
                             "--server", store.dsn(who)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def _kill_at_pause(child: subprocess.Popen) -> None:
    line = child.stdout.readline()  # waits for the hook: the server has committed
    assert line.startswith("sync: paused"), (line, child.stderr.read() if child.poll() is not None else "")
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


@pytest.mark.slow  # child processes
def test_kill_9_during_push_and_during_pull_the_next_sync_converges(store, laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    config_a, config_b = tmp_path / "config-a.json", tmp_path / "config-b.json"
    # push: killed after the server's COMMIT, before the local record
    _kill_at_pause(_child(store, a, "a", "push", config_a))
    assert store.count("events") == 1 and not list(a.folder.glob(".sync-*"))
    done = _child(store, a, "a", None, config_a)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert store.count("events") == 1  # the same event pushed again: the server skipped the replay
    assert f"已上传 {sid}" in out
    # pull: killed after the merge was saved, before "last seen" was written
    _kill_at_pause(_child(store, b, "b", "pull", config_b))
    assert b.session_ids() == [sid]
    done = _child(store, b, "b", None, config_b)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)
    for repo, config in ((a, config_a), (b, config_b), (a, config_a)):
        done = _child(store, repo, "a" if repo is a else "b", None, config)
        assert done.wait(timeout=60) == 0, done.stderr.read()
    assert tables(a) == tables(b)


@pytest.mark.slow  # the core tier keeps the convergence, conflict, replay and RLS tests
def test_a_lost_local_record_then_an_edit_moves_past_the_servers_events(store, laptops, shequ):
    """The push committed, its local record was lost (a kill), then the session changed: the server
    refuses the altered replay under the old key, and the sync numbers its events past the server's."""
    a, b = laptops
    sid = start(a, shequ)
    run(store, a, "a")
    [ledger] = a.folder.glob(".sync-*")
    ledger.unlink()
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)
    report = run(store, a, "a")
    assert [(o.id, o.kind) for o in report.pushed] == [(sid, local.PUSHED)]
    with psycopg.connect(store.admin_dsn) as conn:
        assert conn.execute(f"SELECT seq FROM {S}.events ORDER BY seq").fetchall() == [(1,), (2,)]
    run(store, b, "b")
    assert tables(b) == tables(a)


@pytest.mark.slow  # the core tier keeps the convergence, conflict, replay and RLS tests
def test_a_session_open_here_is_left_alone_and_taken_by_the_next_sync(store, laptops, shequ, capsys, monkeypatch):
    a, b = laptops
    sid = start(a, shequ)
    run(store, a, "a")
    run(store, b, "b")
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)
    run(store, a, "a")
    monkeypatch.setenv("INSPECT_TUI_CONFIG", str(b.folder.parent / "config-b.json"))
    with b.open(sid):  # the inspector has it open on laptop B
        assert main(["--lang", "en", "--sessions", str(b.folder), "sync", "--json", "--server", store.dsn("b")]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["refused"] == 1 and [s["kind"] for s in out["sessions"] if s["way"] == "pull"] == ["refused"]
    assert main(["--lang", "en", "--sessions", str(b.folder), "sync", "--server", store.dsn("b")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert f"merged {sid}" in "\n".join(lines) and lines[-1].endswith("0 not synced")
    with b.open(sid, write=False) as opened:
        assert opened.session.answers["org.groups.principle"].state is State.PASS


@pytest.mark.slow  # the core tier keeps the convergence, conflict, replay and RLS tests
def test_the_server_going_away_mid_push_leaves_everything_local_and_the_next_sync_completes(store, laptops, shequ, monkeypatch):
    a, b = laptops
    ids = {start(a, shequ), start(a, shequ)}
    real, calls = sync._attachments, []

    def dying(conn, *args):
        calls.append(1)
        if len(calls) == 2:  # the server goes away between the first session's rows and the second's
            with psycopg.connect(store.admin_dsn, autocommit=True) as su:
                su.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        return real(conn, *args)

    monkeypatch.setattr(sync, "_attachments", dying)
    before = folder_files(a)
    with pytest.raises(CentralError) as lost:
        run(store, a, "a")
    assert lost.value.exit_code == 1 and "下次同步会继续" in str(lost.value)
    assert store.count("events") == 0  # the transaction died with the connection
    assert folder_files(a) == before and not list(a.folder.glob(".sync-*"))
    monkeypatch.setattr(sync, "_attachments", real)
    assert {o.id for o in run(store, a, "a").pushed if o.kind == local.PUSHED} == ids
    assert {o.id for o in run(store, b, "b").pulled if o.kind == local.ADDED} == ids
    assert tables(a) == tables(b)


def test_a_database_without_the_central_store_is_one_line_and_nothing_changes(pg_database, laptops, shequ, capsys, monkeypatch):
    a, _ = laptops
    start(a, shequ)
    before = folder_files(a)
    monkeypatch.setenv("INSPECT_TUI_CONFIG", str(a.folder.parent / "config.json"))
    assert main(["--sessions", str(a.folder), "sync", "--server", pg_database]) == 2
    err = capsys.readouterr().err
    assert "server init" in err and len(err.strip().splitlines()) == 1
    assert folder_files(a) == before and not list(a.folder.glob(".sync-*"))


def test_a_session_of_a_unit_not_ours_is_refused_by_the_server_and_the_rest_of_the_batch_goes_in(store, laptops, shequ):
    a, _ = laptops
    mine = {start(a, shequ), start(a, shequ)}
    theirs = start(a, shequ, unit=OTHER_UNIT)
    report = run(store, a, "a")
    kinds = {o.id: o.kind for o in report.pushed}
    assert kinds == {**dict.fromkeys(mine, local.PUSHED), theirs: local.REFUSED}
    assert "row-level security" in next(o.reason for o in report.pushed if o.id == theirs)  # PostgreSQL's words
    with psycopg.connect(store.admin_dsn) as conn:
        assert {r[0] for r in conn.execute(f"SELECT id FROM {S}.sessions")} == mine
        assert {r[0] for r in conn.execute(f"SELECT DISTINCT session_id FROM {S}.answers")} == mine
        assert conn.execute(f"SELECT count(*) FROM {S}.events").fetchone()[0] == 2
