"""The session repository: durable saves, resume, locking, quarantine, disk full, pinned versions."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.answers import Override
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import StorageError
from inspect_tui.store.journal import read_state

from .conftest import CHECKLISTS

DAY = dt.date(2024, 6, 1)


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


@pytest.fixture
def shequ():
    return catalog.find("shequ")


def new(repo, checklist, branch="幸福社区第一网格党支部"):
    return repo.create(checklist, branch, "幸福社区", ["张三", "李四"], DAY, "党员活动室")


def test_create_save_reopen_round_trip(repo, shequ):
    opened = new(repo, shequ)
    sid = opened.session.id
    opened.set_fact("full_members", "60", "张三")
    opened.set_fact("org_type", "党支部", "张三")
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="网格与楼栋不对应\n第二行", evidence=["照片/1.jpg"])
    opened.set_answer("team.grid", "李四", state=State.FAIL, override=Override(Decimal("1.5"), "未定期走访"))
    opened.set_position("team.grid", "failed")
    opened.close()

    again = repo.open(sid)
    session = again.session
    assert session.branch.name == "幸福社区第一网格党支部" and session.branch.unit == "幸福社区"
    assert session.inspectors == ["张三", "李四"] and session.date == DAY and session.place == "党员活动室"
    assert session.facts == {"full_members": Decimal(60), "org_type": "党支部"}
    answer = session.answers["org.basic.grid_split"]
    assert answer.state is State.FAIL and answer.note == "网格与楼栋不对应\n第二行" and answer.evidence == ("照片/1.jpg",)
    assert answer.changed_at
    assert session.answers["team.grid"].override == Override(Decimal("1.5"), "未定期走访")
    assert (session.position.item, session.position.filter) == ("team.grid", "failed")
    result = session.score()
    assert result.items["org.basic"].deducted == 6
    assert result.items["team.grid"].deducted == Decimal("1.5")
    again.close()


def test_file_is_owner_only_and_chinese_is_readable(repo, shequ):
    opened = new(repo, shequ)
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="中文备注")
    path = repo.path(opened.session.id)
    opened.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "中文备注" in path.read_text(encoding="utf-8")


def test_every_save_is_on_disk_when_it_returns(repo, shequ):
    opened = new(repo, shequ)
    opened.set_answer("org.basic.grid_split", "张三", state=State.PASS)
    # Another reader (a different process would do the same) sees it without any close or flush:
    # the session file with its journal replayed.
    data = read_state(repo.path(opened.session.id))
    assert [d["state"] for d in data["answers"].values()] == ["pass"]
    opened.close()


def test_audit_trail_records_every_change_append_only(repo, shequ, session_storage):  # on disk and in memory alike
    opened = new(repo, shequ)
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL)
    opened.set_answer("org.basic.grid_split", "李四", state=State.PASS, note="已整改")
    opened.set_fact("full_members", "60", "张三")
    opened.set_fact("full_members", "45", "李四")
    entries = opened.audit()
    fields = [(e.inspector, e.field, e.old, e.new) for e in entries]
    assert fields[0][1] == "created"
    assert ("张三", "answer:org.basic.grid_split.state", None, "fail") in fields
    assert ("李四", "answer:org.basic.grid_split.state", "fail", "pass") in fields
    assert ("李四", "answer:org.basic.grid_split.note", None, "已整改") in fields
    assert ("李四", "fact:full_members", 60, 45) in fields
    before = len(entries)
    opened.set_answer("org.basic.grid_split", "李四", note="已整改")  # no change: nothing to record
    assert len(opened.audit()) == before
    opened.close()


def test_bad_input_is_refused_and_nothing_changes(repo, shequ, session_storage):  # on disk and in memory alike
    opened = new(repo, shequ)
    for call, message in [
        (lambda: opened.set_answer("no.such", "张三", state=State.FAIL), "no item"),
        (lambda: opened.set_answer("org.basic", "张三", state=State.FAIL), "only leaf"),
        (lambda: opened.set_answer("org.basic.community", "张三", state=State.PASS), "computed"),
        (lambda: opened.set_answer("org.basic.grid_split", "张三", state=State.NA), "不适用"),
        (lambda: opened.set_answer("org.basic.grid_split", "张三", count=-1), "count"),
        (lambda: opened.set_fact("nobody", "1", "张三"), "no such fact"),
        (lambda: opened.set_fact("full_members", "六十", "张三"), "需要数字"),
        (lambda: opened.set_fact("term_end", "2024-02-30", "张三"), "YYYY-MM-DD"),
        (lambda: opened.set_fact("org_type", "党小组", "张三"), "党委"),
    ]:
        with pytest.raises(SessionError, match=message):
            call()
    assert opened.session.answers == {} and opened.session.facts == {}
    assert len(opened.audit()) == 1
    opened.close()


def test_finish_blocks_edits_and_reopen_allows_them(repo, shequ, session_storage):  # on disk and in memory alike
    opened = new(repo, shequ)
    with pytest.raises(SessionError, match="未检查"):
        opened.finish("张三")
    opened.finish("张三", force=True)
    with pytest.raises(SessionError, match="finished"):
        opened.set_answer("org.basic.grid_split", "张三", state=State.PASS)
    opened.set_position("org.basic.grid_split")  # moving around a finished session is fine
    opened.reopen("张三", "补录")
    opened.set_answer("org.basic.grid_split", "张三", state=State.PASS)
    statuses = [(e.old, e.new) for e in opened.audit() if e.field == "status"]
    assert statuses == [("in_progress", "finished"), ("finished", "in_progress")]
    opened.close()


def test_list_is_sorted_by_last_change_with_progress_and_score(repo, shequ):
    ticks = iter(f"2026-11-27T10:{m:02d}:00+08:00" for m in range(60))
    repo.clock = lambda: next(ticks)
    first = new(repo, shequ, "第一支部")
    second = new(repo, shequ, "第二支部")
    first.set_answer("org.basic.grid_split", "张三", state=State.FAIL)
    first.close(), second.close()
    listed = repo.list()
    assert [s.header.branch for s in listed] == ["第一支部", "第二支部"]
    assert listed[0].scores.answered == 1 and listed[0].scores.leaves == 12
    assert listed[0].scores.total == 26 and listed[0].scores.max == 28


def test_index_is_only_a_cache(repo, shequ):
    opened = new(repo, shequ)
    opened.close()
    assert [s.id for s in repo.list()] == [opened.session.id]
    index = repo.folder / "index.json"
    index.write_text("{ damaged")
    assert [s.id for s in repo.list()] == [opened.session.id]
    index.unlink()
    assert [s.id for s in repo.list()] == [opened.session.id]
    # a stale index (the session changed since) is refreshed from the file
    again = repo.open(opened.session.id)
    again.set_answer("org.basic.grid_split", "张三", state=State.FAIL)
    again.close()
    assert repo.list()[0].scores.answered == 1


def test_saves_never_write_the_index(repo, shequ):
    opened = new(repo, shequ)
    repo.list()
    index = repo.folder / "index.json"
    before = index.stat().st_mtime_ns, index.read_bytes()
    for n in range(5):
        opened.set_answer("org.basic.grid_split", "张三", note=f"n{n}")
    assert (index.stat().st_mtime_ns, index.read_bytes()) == before
    opened.close()


def test_prefix_resolution(repo, shequ):
    a = new(repo, shequ)
    a.close()
    sid = a.session.id
    assert repo.resolve(sid[:5]) == sid
    assert repo.resolve(sid.upper()) == sid
    with pytest.raises(SessionError, match="no such session"):
        repo.resolve("zzzz")
    (repo.folder / f"{sid[:4]}00000000.json").write_text("{}")  # a second id with the same prefix
    with pytest.raises(SessionError, match="ambiguous"):
        repo.resolve(sid[:4])


def test_second_writer_gets_it_read_only_naming_the_holder(repo, shequ):
    first = new(repo, shequ)
    second = repo.open(first.session.id)
    assert second.read_only
    assert second.holder is not None and "张三" in second.holder.describe()
    with pytest.raises(SessionError, match="read-only"):
        second.set_answer("org.basic.grid_split", "李四", state=State.PASS)
    second.close()
    first.close()
    third = repo.open(first.session.id)
    assert not third.read_only
    third.close()


def test_a_stale_lock_is_taken_over(repo, shequ):
    import subprocess
    import sys

    opened = new(repo, shequ)
    sid = opened.session.id
    opened.close()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = repo.lock_path(sid)
    import socket

    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "time": "2026-11-27T10:00:00", "owner": "王五"}))
    again = repo.open(sid)
    assert not again.read_only
    again.close()


@pytest.mark.parametrize(
    "damage,reason",
    [
        (lambda b: b[: len(b) // 2], "damaged session file"),
        (lambda b: b"\x00\xff garbage \x13", "damaged session file"),
        (lambda b: b.replace(b'"schema":1', b'"schema":99'), "schema version 99"),
        (lambda b: b"[]", "damaged"),
        (lambda b: b.replace(b'"checklist_source":"', b'"checklist_source":"sections: [\\n'), ""),
    ],
)
def test_damaged_session_is_quarantined_and_the_rest_still_works(repo, shequ, damage, reason, capsys):
    good = new(repo, shequ, "好支部")
    good.close()
    bad = new(repo, shequ, "坏支部")
    bad.close()
    path = repo.path(bad.session.id)
    original = path.read_bytes()
    path.write_bytes(damage(original))
    if path.read_bytes() == original:
        pytest.skip("this damage did not apply to the file's layout")
    listed = repo.list() if reason else []
    if reason:
        assert [s.header.branch for s in listed] == ["好支部"]
        assert len(repo.problems) == 1
        line = repo.problems[0]
        assert "\n" not in line and str(path) in line and reason in line and "quarantine" in line
        assert not path.exists()
        moved = list(repo.quarantine_dir.iterdir())
        assert len(moved) == 1 and moved[0].read_bytes() == damage(original)
    else:  # damage only found when the frozen checklist is parsed, on open
        with pytest.raises(SessionError, match="quarantine"):
            repo.open(bad.session.id)
        assert not path.exists()
    again = repo.open(good.session.id)
    assert again.session.branch.name == "好支部"
    again.close()


def test_leftover_temp_files_are_cleaned(repo, shequ):
    opened = new(repo, shequ)
    opened.close()
    leftover = repo.folder / f".{opened.session.id}.json.tmp-999999999-deadbeef"
    leftover.write_text("half a save")
    os.utime(leftover, (0, 0))
    repo.list()
    assert not leftover.exists()


def test_disk_full_keeps_the_last_durable_state_and_the_change_in_memory(repo, shequ, monkeypatch):
    opened = new(repo, shequ)
    opened.set_answer("org.basic.grid_split", "张三", state=State.PASS)
    path = repo.path(opened.session.id)
    durable = path.read_bytes()
    state = read_state(path)
    real_write, real_pwrite = os.write, os.pwrite

    def full(fd, data, *offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    monkeypatch.setattr(os, "pwrite", full)  # the journal writes in place (store/journal.py)
    with pytest.raises(StorageError, match="disk full"):
        opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="满了")
    assert path.read_bytes() == durable and read_state(path) == state  # the last durable state is intact
    assert opened.session.answers["org.basic.grid_split"].note == "满了"  # the change is kept
    assert opened.dirty
    assert not [p for p in repo.folder.iterdir() if ".tmp-" in p.name]
    monkeypatch.setattr(os, "write", real_write)
    monkeypatch.setattr(os, "pwrite", real_pwrite)
    opened.retry()
    assert not opened.dirty
    opened.close()
    again = repo.open(opened.session.id)
    assert again.session.answers["org.basic.grid_split"].note == "满了"
    again.close()


def test_file_size_limit_is_a_storage_error(repo, shequ):
    """RLIMIT_FSIZE in a child process: the kernel refuses the write (EFBIG) mid-save."""
    import subprocess
    import sys

    opened = new(repo, shequ)
    opened.close()
    code = f"""
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import StorageError
from inspect_tui.store.journal import read_state
repo = SessionRepository({str(repo.folder)!r})
s = repo.open({opened.session.id!r})
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
try:
    s.set_answer("org.basic.grid_split", "张三", note="x" * 5000)
except StorageError as exc:
    print("refused:", exc)
"""
    import inspect_tui

    env = {**os.environ, "PYTHONPATH": str(Path(inspect_tui.__file__).parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert "refused:" in done.stdout and "file too large" in done.stdout, done.stdout + done.stderr
    again = repo.open(opened.session.id)  # the stale lock of the finished child is taken over
    assert "org.basic.grid_split" not in again.session.answers
    again.close()


def test_frozen_checklist_is_pinned_when_the_file_changes(repo, tmp_path):
    source = (CHECKLISTS / "wuge.yaml").read_text(encoding="utf-8")
    mine = tmp_path / "mine.yaml"
    mine.write_text(source, encoding="utf-8")
    checklist = load_checklist(mine)
    leaf = next(checklist.leaves()).id
    opened = repo.create(checklist, "某支部", inspectors=["张三"], date=DAY)
    opened.set_answer(leaf, "张三", state=State.FAIL, note="原版本")
    sid = opened.session.id
    opened.close()
    # the standard is edited: the item renamed away, the version bumped
    mine.write_text(source.replace(f"id: {leaf}", "id: renamed").replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")
    again = repo.open(sid)
    assert again.session.checklist_version == "1.0"
    assert again.checklist.has_item(leaf) and not again.checklist.has_item("renamed")
    assert again.session.answers[leaf].note == "原版本"
    again.close()


def test_a_reinspection_starts_with_no_facts_and_last_time_beside_them(repo, shequ):
    first = new(repo, shequ)
    first.set_fact("full_members", "60", "张三")
    first.set_fact("multi_grid", "否", "张三")
    first.set_answer("org.basic.grid_split", "张三", state=State.FAIL)
    first.close()
    second = repo.reinspect(first.session.id, shequ, ["王五"], dt.date(2025, 6, 1))
    assert second.session.previous == first.session.id
    assert second.session.branch.name == first.session.branch.name
    assert second.session.facts == {} and second.session.answers == {}
    assert second.session.inspectors == ["王五"]
    # nothing scored from last time's facts: org.basic.multi_grid waits for today's answer
    assert second.result.items["org.basic.multi_grid"].state is None
    assert second.result.answered == 0
    assert second.previous_facts() == {"full_members": Decimal(60), "multi_grid": False}
    second.close()


def test_confirming_last_time_facts_enters_them_audited(repo, shequ):
    first = new(repo, shequ)
    for fact_id, value in (("full_members", "60"), ("multi_grid", "否"), ("households", "900")):
        first.set_fact(fact_id, value, "张三")
    first.close()
    second = repo.reinspect(first.session.id, shequ, ["王五"], dt.date(2025, 6, 1))
    assert second.confirm_previous("王五", ["multi_grid"]) == ["multi_grid"]
    assert second.session.facts == {"multi_grid": False}
    assert second.result.items["org.basic.multi_grid"].state is State.FAIL
    second.set_fact("full_members", "75", "王五")  # typed anew: confirming all leaves it alone
    assert sorted(second.confirm_previous("王五")) == ["households"]
    assert second.session.facts == {"multi_grid": False, "full_members": Decimal(75), "households": Decimal(900)}
    assert second.confirm_previous("王五") == []  # nothing left to confirm
    with pytest.raises(SessionError):
        second.confirm_previous("王五", ["grids"])  # no value last time
    sid = second.session.id
    second.close()
    again = repo.open(sid, write=False)
    assert again.session.facts["households"] == Decimal(900)  # on disk
    fields = [(e.field, e.inspector) for e in again.audit()]
    assert ("fact:multi_grid", "王五") in fields and ("fact:households", "王五") in fields
    again.close()


def test_delete_to_trash_and_restore(repo, shequ):
    opened = new(repo, shequ)
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL)
    sid = opened.session.id
    with pytest.raises(StorageError):
        repo.delete(sid)  # open elsewhere: refused
    opened.close()
    target = repo.delete(sid)
    assert target.exists() and repo.list() == []
    assert repo.trashed() == [sid]
    repo.restore(sid)
    again = repo.open(sid)
    assert again.session.answers["org.basic.grid_split"].state is State.FAIL
    again.close()


def test_a_self_assessment_goes_to_the_trash_and_back_with_its_session(repo, shequ):
    opened = new(repo, shequ)
    sid = opened.session.id
    opened.close()
    companion = repo.folder / f"{sid}.selfcheck.json"
    companion.write_text("{}", encoding="utf-8")
    repo.delete(sid)
    assert not companion.exists() and (repo.trash_dir / companion.name).exists()
    assert repo.trashed() == [sid]
    repo.restore(sid)
    assert companion.exists()
