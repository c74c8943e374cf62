"""Moving sessions between laptops: bundles, checked byte for byte, and merges from audit trails.

Two sessions folders stand for two laptops. A shared clock stamps every edit on either one, so a
test decides which edit is the later one.
"""

from __future__ import annotations

import re

import datetime as dt
import json
import os
import random
import stat
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.analysis import selfcheck
from inspect_tui.core.session import selfcheck_file
from inspect_tui.core.exchange import serialize
from inspect_tui.core.errors import BundleError
from inspect_tui.core.exchange.bundle import ADDED, MERGED, REFUSED, SC_ADDED, SC_KEPT, SC_REPLACED, UNCHANGED, write_bundle
from inspect_tui.core.exchange.importing import import_bundle, read_bundle
from inspect_tui.core.exchange.trail import canon, replay, state
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DurableJSONStorage
from inspect_tui.store.durable import encode
from inspect_tui.store.journal import read_state

from .conftest import run_cli

HAND = ["org.basic.grid_split", "org.basic.grid_branch", "org.groups.principle", "team.grid"]
DAY = dt.date(2026, 6, 15)
CST = dt.timezone(dt.timedelta(hours=8))


class Clock:
    """One clock for both laptops; while `held`, an edit gets the same stamp as the one before."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=CST)
        self.held = 0

    def __call__(self) -> str:
        if self.held:
            self.held -= 1
        else:
            self.now += dt.timedelta(seconds=1)
        return self.now.isoformat()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def laptops(tmp_path: Path, clock: Clock) -> tuple[SessionRepository, SessionRepository]:
    return SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)


@pytest.fixture
def shequ():
    return catalog.find("shequ")


def start(repo: SessionRepository, shequ, branch: str = "幸福社区第一网格党支部") -> str:
    opened = repo.create(shequ, branch, "幸福社区党委", ["张三"], DAY)
    opened.set_fact("full_members", "60", "张三")
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="网格与楼栋不对应")
    opened.close()
    return opened.session.id


def edit(repo: SessionRepository, sid: str, who: str, item: str | None = None, fact: tuple[str, str] | None = None, **answer):
    with repo.open(sid) as opened:
        if item:
            opened.set_answer(item, who, **answer)
        if fact:
            opened.set_fact(fact[0], fact[1], who)


def carry(source: SessionRepository, target: SessionRepository, path: Path, *ids: str):
    write_bundle(source, ids or source.session_ids(), path)
    return import_bundle(target, path)


def exchange(a: SessionRepository, b: SessionRepository, folder: Path):
    """Both laptops write their bundle first, then each imports the other's: a real swap."""
    write_bundle(a, a.session_ids(), folder / "from_a.bundle")
    write_bundle(b, b.session_ids(), folder / "from_b.bundle")
    return import_bundle(b, folder / "from_a.bundle"), import_bundle(a, folder / "from_b.bundle")


def snapshot(repo: SessionRepository) -> dict[str, dict]:
    """Every session as the inspector sees it: scored result, answers, facts, status, audit trail."""
    out = {}
    for sid in repo.session_ids():
        with repo.open(sid, write=False) as opened:
            s = opened.session
            out[sid] = {
                "result": serialize.result(s.checklist, s.score()),
                "answers": s.answers, "facts": s.facts, "status": s.status,
                "audit": [vars(e) for e in opened.audit()],
            }
    return out


def only(report):
    assert len(report.sessions) == 1
    return report.sessions[0]


def file_state(repo: SessionRepository, sid: str) -> tuple[dict, list]:
    data = DurableJSONStorage(repo.path(sid), read_only=True).read()
    trail = [data["audit"][k] for k in sorted(data["audit"], key=int)]
    return state(data), trail


# -- exchanging both ways ------------------------------------------------------------------------


def test_two_laptops_exchange_both_ways_and_end_with_the_same_sessions(laptops, shequ, tmp_path):
    a, b = laptops
    s1, s2 = start(a, shequ, "第一支部"), start(b, shequ, "第二支部")
    exchange(a, b, tmp_path)
    assert a.session_ids() == b.session_ids() == sorted([s1, s2])
    edit(a, s1, "张三", "org.groups.principle", state=State.PASS)
    edit(b, s1, "李四", "team.grid", state=State.FAIL, note="未定期走访")
    edit(b, s2, "李四", fact=("org_type", "党支部"))
    edit(a, s2, "张三", "org.basic.grid_split", state=State.PASS)
    edit(a, s2, "张三", "org.basic.grid_branch", state=State.PASS)
    edit(b, s2, "李四", "org.basic.grid_branch", state=State.FAIL, note="联合组建")  # later: wins
    to_b, to_a = exchange(a, b, tmp_path)
    assert {o.kind for o in to_a.sessions + to_b.sessions} == {MERGED}
    assert snapshot(a) == snapshot(b)
    assert {(o.id, len(o.conflicts)) for o in to_a.sessions} == {(s1, 0), (s2, 1)}
    # and once more: nothing left to exchange
    again_b, again_a = exchange(a, b, tmp_path)
    assert {o.kind for o in again_a.sessions + again_b.sessions} == {UNCHANGED}
    assert a.list() == b.list()  # the index shows the merged sessions, the same on both


def test_import_twice_changes_nothing_the_second_time(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    assert only(carry(a, b, tmp_path / "x.bundle")).kind == ADDED
    path = b.path(sid)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    second = only(import_bundle(b, tmp_path / "x.bundle"))
    assert second.kind == UNCHANGED and second.changes == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # a merge brought back is unchanged too
    edit(b, sid, "李四", "team.grid", state=State.PASS)
    write_bundle(b, [sid], tmp_path / "y.bundle")
    assert only(import_bundle(a, tmp_path / "y.bundle")).kind == MERGED
    assert only(import_bundle(a, tmp_path / "y.bundle")).kind == UNCHANGED


def test_disjoint_edits_are_both_kept(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)
    edit(a, sid, "张三", fact=("org_type", "党支部"))
    edit(b, sid, "李四", "team.grid", state=State.FAIL, note="未定期走访")
    edit(b, sid, "李四", "org.basic.grid_branch", state=State.PASS)
    merged = only(carry(b, a, tmp_path / "y.bundle"))
    assert merged.kind == MERGED and merged.changes == 3 and merged.conflicts == []
    with a.open(sid, write=False) as opened:
        answers = opened.session.answers
        assert answers["org.groups.principle"].state is State.PASS
        assert answers["team.grid"].state is State.FAIL and answers["team.grid"].note == "未定期走访"
        assert answers["org.basic.grid_branch"].state is State.PASS
        assert answers["org.basic.grid_split"].note == "网格与楼栋不对应"
        assert opened.session.facts["org_type"] == "党支部"
    [listed] = a.list()
    with a.open(sid, write=False) as opened:
        assert (listed.scores.answered, listed.updated) == (opened.session.score().answered, opened.session.updated)


def test_conflicting_edits_the_later_wins_the_conflict_is_listed_and_nothing_is_lost(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "张三", "org.basic.grid_split", state=State.PASS)           # earlier
    edit(b, sid, "李四", "org.basic.grid_split", note="楼栋台账未更新")        # later, another field
    edit(b, sid, "李四", "org.groups.principle", state=State.FAIL)          # earlier
    edit(a, sid, "张三", "org.groups.principle", state=State.PASS)           # later
    to_b, to_a = exchange(a, b, tmp_path)
    mine = only(to_a)
    assert mine.kind == MERGED and mine.changes == 2
    [item, conflict] = mine.conflicts  # sorted by field: the item's line, then the field's
    assert (item.kind, item.field, conflict.kind) == ("item", "answer:org.basic.grid_split", "field")
    assert conflict.field == "answer:org.groups.principle.state"
    assert (conflict.winner, conflict.kept.value, conflict.kept.inspector) == ("local", "pass", "张三")
    assert (conflict.lost.value, conflict.lost.inspector) == ("fail", "李四")
    assert conflict.lost.time < conflict.kept.time
    [_, theirs] = only(to_b).conflicts
    assert (theirs.winner, theirs.kept.value) == ("bundle", "pass")
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            answers = opened.session.answers
            assert answers["org.groups.principle"].state is State.PASS
            # different fields of one item: A's state and B's note are both kept (and listed, see below)
            assert answers["org.basic.grid_split"].state is State.PASS
            assert answers["org.basic.grid_split"].note == "楼栋台账未更新"
            trail = [(e.inspector, e.field, e.new) for e in opened.audit()]
        assert ("李四", "answer:org.groups.principle.state", "fail") in trail  # the losing value stays
    assert snapshot(a) == snapshot(b)


def test_same_second_conflict_is_decided_by_inspector_the_same_way_on_both_laptops(laptops, shequ, tmp_path, clock):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "王五", "team.grid", state=State.PASS)
    clock.held = 1
    edit(b, sid, "赵六", "team.grid", state=State.FAIL)
    to_b, to_a = exchange(a, b, tmp_path)
    assert only(to_a).conflicts[0].kept.time == only(to_a).conflicts[0].lost.time
    expected = "fail" if "赵六" > "王五" else "pass"
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            assert opened.session.answers["team.grid"].state.value == expected
    assert snapshot(a) == snapshot(b)


def test_merged_session_is_the_replay_of_its_merged_trail(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "张三", fact=("full_members", "45"))
    edit(b, sid, "李四", fact=("full_members", "70"))
    edit(b, sid, "李四", "org.basic.grid_split", state=None, note=None)
    exchange(a, b, tmp_path)
    values, trail = file_state(a, sid)
    assert canon(replay(trail, {"status": "in_progress"})) == canon(values)
    assert values["fact:full_members"] == 70 and "answer:org.basic.grid_split.state" not in values
    with a.open(sid, write=False) as opened:
        assert "org.basic.grid_split" not in opened.session.answers


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_on_two_laptops_converge_and_lose_nothing(laptops, shequ, tmp_path, clock, seed):
    rng = random.Random(seed)
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    every_entry: set[str] = set()
    for round_ in range(12):
        for repo, who in ((a, "张三"), (b, "李四")):
            for _ in range(rng.randint(0, 3)):
                clock.held = rng.choice([0, 0, 1])
                if rng.random() < 0.3:
                    edit(repo, sid, who, fact=rng.choice([("full_members", str(rng.randint(1, 99))), ("org_type", rng.choice(["党委", "党支部"]))]))
                else:
                    edit(repo, sid, who, rng.choice(HAND), state=rng.choice([State.PASS, State.FAIL, None]),
                         note=rng.choice(["", "甲", "乙"]))
        for repo in (a, b):
            every_entry |= {canon(e) for e in file_state(repo, sid)[1]}
        if rng.random() < 0.5:
            carry(*rng.sample([a, b], 2), tmp_path / f"r{round_}.bundle")
    exchange(a, b, tmp_path)
    assert snapshot(a) == snapshot(b)
    values, trail = file_state(a, sid)
    assert {canon(e) for e in trail} == every_entry  # every edit of either laptop is in the trail
    assert canon(replay(trail, {"status": "in_progress"})) == canon(values)


def test_same_item_different_fields_both_kept_and_the_conflict_is_listed_on_both_sides(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "张三", "team.grid", state=State.FAIL)
    edit(b, sid, "李四", "team.grid", note="走访记录不全")
    edit(b, sid, "李四", "org.groups.principle", state=State.PASS)  # only B: no conflict
    to_b, to_a = exchange(a, b, tmp_path)
    for outcome, here, there in ((only(to_a), ("张三", {"state": "fail"}), ("李四", {"note": "走访记录不全"})),
                                 (only(to_b), ("李四", {"note": "走访记录不全"}), ("张三", {"state": "fail"}))):
        [conflict] = outcome.conflicts
        assert (conflict.kind, conflict.field, conflict.item) == ("item", "answer:team.grid", "team.grid")
        assert (conflict.local.inspector, conflict.local.value) == here
        assert (conflict.bundle.inspector, conflict.bundle.value) == there
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            answer = opened.session.answers["team.grid"]
            assert (answer.state, answer.note) == (State.FAIL, "走访记录不全")  # both kept
    assert snapshot(a) == snapshot(b)
    # the same edit on both sides, or one side's whole answer winning, is no item conflict
    edit(a, sid, "张三", "org.basic.grid_branch", state=State.PASS)
    edit(b, sid, "李四", "org.basic.grid_branch", state=State.PASS)
    edit(a, sid, "张三", "team.grid", note="甲")
    edit(b, sid, "李四", "team.grid", state=State.PASS, note="乙")  # later: B's whole answer is kept
    _, to_a = exchange(a, b, tmp_path)
    assert [(c.kind, c.field) for c in only(to_a).conflicts] == [("field", "answer:team.grid.note")]
    assert snapshot(a) == snapshot(b)


# -- self-assessments travel with their sessions ---------------------------------------------------


def attach_selfcheck(repo: SessionRepository, sid: str, tmp_path: Path, text: str, by: str = "张三") -> Path:
    own = tmp_path / f"自查-{repo.folder.name}.yaml"
    own.write_text(text, encoding="utf-8")
    with repo.open(sid, write=False) as opened:
        selfcheck_file.attach(repo, opened.session, own, by)
    return selfcheck_file.path_for(repo, sid)


def files(repo: SessionRepository) -> dict[str, tuple[bytes, int, int]]:
    """Every session and self-assessment file: its bytes, mode and mtime. A session file's bytes are
    its state (with its journal, if any), without the number of the last journal line folded into
    it: that counts this laptop's saves, and is not part of what travels."""
    def content(p: Path) -> bytes:
        if p.name.endswith(selfcheck.SUFFIX):
            return p.read_bytes()
        return encode(read_state(p)).encode("utf-8")

    return {p.name: (content(p), stat.S_IMODE(p.stat().st_mode), p.stat().st_mtime_ns)
            for p in sorted(repo.folder.glob("*.json")) if p.name != "index.json"}


def test_a_self_assessment_travels_both_ways_and_both_laptops_end_with_the_same_files(laptops, shequ, tmp_path):
    a, b = laptops
    s1, s2 = start(a, shequ, "第一支部"), start(b, shequ, "第二支部")
    stored = attach_selfcheck(a, s1, tmp_path, "answers: {org.basic.grid_split: pass, team.grid: fail}\n")
    to_b, to_a = exchange(a, b, tmp_path)
    assert read_bundle(tmp_path / "from_a.bundle").manifest["version"] == 2
    assert read_bundle(tmp_path / "from_b.bundle").manifest["version"] == 1  # none inside: readable by older versions
    [added] = [o for o in to_b.sessions if o.id == s1]
    assert added.kind == ADDED and added.selfcheck.kind == SC_ADDED and added.selfcheck.kept.attached_by == "张三"
    assert all(o.selfcheck is None for o in to_a.sessions)
    there = selfcheck_file.path_for(b, s1)
    assert there.read_bytes() == stored.read_bytes() and stat.S_IMODE(there.stat().st_mode) == 0o600
    with b.open(s1, write=False) as opened:
        assert selfcheck_file.load(b, opened.session).answers["team.grid"].state is State.FAIL
    assert not selfcheck_file.path_for(a, s2).exists() and not selfcheck_file.path_for(b, s2).exists()
    # edits on both sides; the self-assessment comes back unchanged with them
    edit(a, s1, "张三", "team.grid", state=State.PASS)
    edit(b, s1, "李四", "org.groups.principle", state=State.FAIL)
    to_b, to_a = exchange(a, b, tmp_path)
    assert all(o.selfcheck is None for o in to_a.sessions + to_b.sessions)
    assert snapshot(a) == snapshot(b)
    assert {k: v[:2] for k, v in files(a).items()} == {k: v[:2] for k, v in files(b).items()}
    assert f"{s1}.selfcheck.json" in files(a)
    # importing the same bundles again changes nothing, not a byte, not a time stamp
    before = files(a), files(b)
    again_a, again_b = import_bundle(a, tmp_path / "from_b.bundle"), import_bundle(b, tmp_path / "from_a.bundle")
    assert {(o.kind, o.selfcheck) for o in again_a.sessions + again_b.sessions} == {(UNCHANGED, None)}
    assert not again_a.changed and not again_b.changed
    assert (files(a), files(b)) == before


@pytest.mark.parametrize("same_second", [False, True])
def test_two_different_self_assessments_the_later_attached_is_kept_on_both_and_reported(laptops, shequ, tmp_path,
                                                                                        clock, same_second):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    attach_selfcheck(a, sid, tmp_path, "answers: {team.grid: pass}\n", by="张三")
    clock.held = 1 if same_second else 0
    attach_selfcheck(b, sid, tmp_path, "answers: {team.grid: fail}\n", by="李四")
    ours, theirs = selfcheck_file.path_for(a, sid).read_bytes(), selfcheck_file.path_for(b, sid).read_bytes()
    to_b, to_a = exchange(a, b, tmp_path)
    winner = selfcheck_file.path_for(a, sid).read_bytes()
    assert winner == selfcheck_file.path_for(b, sid).read_bytes()  # the same choice on both laptops
    if not same_second:
        assert winner == theirs  # B's was attached later
    a_note, b_note = only(to_a).selfcheck, only(to_b).selfcheck
    assert {a_note.kind, b_note.kind} == {SC_REPLACED, SC_KEPT}
    assert a_note.kept == b_note.kept and a_note.other == b_note.other  # both name the same winner and loser
    assert {a_note.kept.attached_by, a_note.other.attached_by} == {"张三", "李四"}
    loser = ours if winner == theirs else theirs
    assert a_note.kept.attached_by == ("李四" if winner == theirs else "张三") and loser != winner
    for repo in (a, b):
        assert stat.S_IMODE(selfcheck_file.path_for(repo, sid).stat().st_mode) == 0o600
    # idempotent: the next exchange finds nothing to do
    before = files(a), files(b)
    to_b, to_a = exchange(a, b, tmp_path)
    assert {(o.kind, o.selfcheck) for o in to_a.sessions + to_b.sessions} == {(UNCHANGED, None)}
    assert (files(a), files(b)) == before


def test_a_bundle_without_a_self_assessment_leaves_this_laptops_alone(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    stored = attach_selfcheck(b, sid, tmp_path, "answers: {team.grid: pass}\n")
    before = stored.read_bytes()
    edit(a, sid, "张三", "team.grid", state=State.FAIL)
    merged = only(carry(a, b, tmp_path / "y.bundle"))  # an older-style bundle: version 1, no self-assessment
    assert read_bundle(tmp_path / "y.bundle").manifest["version"] == 1
    assert merged.kind == MERGED and merged.selfcheck is None and stored.read_bytes() == before


def test_a_damaged_self_assessment_on_this_laptop_is_not_overwritten(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    attach_selfcheck(a, sid, tmp_path, "answers: {team.grid: pass}\n")
    edit(a, sid, "张三", "team.grid", state=State.FAIL)
    damaged = selfcheck_file.path_for(b, sid)
    damaged.write_text('{"selfcheck": {"1": {"schema": 1, "session": "x"}}}', encoding="utf-8")
    before = files(b)
    refused = only(carry(a, b, tmp_path / "y.bundle"))
    assert refused.kind == REFUSED and "self-assessment is damaged" in refused.reason and "\n" not in refused.reason
    assert files(b) == before  # neither the session nor the damaged file was touched
    # and a damaged one is not bundled either
    from inspect_tui.core.errors import SessionError

    with pytest.raises(SessionError, match="no bundle written"):
        write_bundle(b, [sid], tmp_path / "z.bundle")


def test_one_changed_byte_in_a_self_assessment_refuses_the_bundle_and_imports_nothing(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    start(a, shequ, "第二支部")  # a second session, fine in itself, is not imported either
    attach_selfcheck(a, sid, tmp_path, "answers: {org.basic.grid_split: pass, team.grid: fail}\n")
    good = tmp_path / "good.bundle"
    write_bundle(a, a.session_ids(), good)
    raw = good.read_bytes()
    start_at = raw.index(b'"selfchecks":')
    end_at = raw.index(b'"sessions":', start_at) if b'"sessions":' in raw[start_at:] else len(raw)
    assert raw.index(b'"source_name"', start_at) < end_at  # the region is the self-assessment record
    bad = tmp_path / "bad.bundle"
    for offset in sorted(set(random.Random(3).sample(range(start_at, end_at), 25)) | {start_at, end_at - 1}):
        changed = bytearray(raw)
        changed[offset] ^= 0x01
        bad.write_bytes(bytes(changed))
        one_line_refusal(b, bad)
        assert not b.folder.exists() or not list(b.folder.glob("*.selfcheck.json"))
    assert len(import_bundle(b, good).sessions) == 2 and selfcheck_file.path_for(b, sid).exists()


def _selfcheck_change(change):
    def forge_it(body):
        for record in body["selfchecks"].values():
            change(record)
    return forge_it


def _unknown_item(record):
    record["answers"]["no.such.item"] = {"state": "pass"}


def _other_session(record):
    record["session"] = "0123456789ab"


def _drop_listing(body):
    for entry in body["manifest"]["sessions"]:
        entry.pop("selfcheck_sha256", None)


def _orphan(body):
    body["selfchecks"]["0123456789ab"] = next(iter(body["selfchecks"].values()))


@pytest.mark.parametrize("change, message", [
    (_selfcheck_change(_unknown_item), "does not fit its checklist"),
    (_selfcheck_change(_other_session), "does not fit its checklist"),
    (_selfcheck_change(lambda r: r.update(answers=["x"])), "does not fit its checklist"),
    (_selfcheck_change(lambda r: r.update(schema=9)), "does not fit its checklist"),
    (_drop_listing, "disagree"),
    (_orphan, "without its session"),
])
def test_a_forged_self_assessment_refuses_the_whole_bundle(laptops, shequ, tmp_path, change, message):
    a, b = laptops
    sid = start(a, shequ)
    start(a, shequ, "第二支部")
    attach_selfcheck(a, sid, tmp_path, "answers: {team.grid: fail}\n")
    write_bundle(a, a.session_ids(), tmp_path / "good.bundle")
    forged = forge(tmp_path / "good.bundle", tmp_path / "forged.bundle", change)
    assert message in one_line_refusal(b, forged)
    assert not b.folder.exists() or not list(b.folder.glob("*.json"))


# -- status, locks, refusals ---------------------------------------------------------------------


def test_finished_on_one_side_is_reported_and_not_reopened(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    with a.open(sid) as opened:
        opened.finish("张三", force=True)
    edit(b, sid, "李四", "team.grid", state=State.FAIL)
    to_b, to_a = exchange(a, b, tmp_path)
    for outcome in (only(to_a), only(to_b)):
        assert outcome.kind == MERGED and outcome.status == "finished"
        assert "finished" in (outcome.local_status, outcome.bundle_status)
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            assert opened.session.status == "finished"
            assert opened.session.answers["team.grid"].state is State.FAIL


def test_open_session_is_left_alone_and_reported(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    edit(a, sid, "张三", "team.grid", state=State.PASS)
    write_bundle(a, [sid], tmp_path / "y.bundle")
    before = b.path(sid).read_bytes()
    with b.open(sid):
        refused = only(import_bundle(b, tmp_path / "y.bundle"))
    assert refused.kind == REFUSED and "open on this laptop" in refused.reason and "\n" not in refused.reason
    assert b.path(sid).read_bytes() == before
    assert only(import_bundle(b, tmp_path / "y.bundle")).kind == MERGED


def test_different_frozen_checklists_are_refused(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    storage = DurableJSONStorage(b.path(sid))
    data = storage.read()
    data["meta"]["1"]["checklist_source"] += "\n# 本地修改过的检查表\n"
    storage.write(data)
    edit(a, sid, "张三", "team.grid", state=State.PASS)
    before = b.path(sid).read_bytes()
    refused = only(carry(a, b, tmp_path / "y.bundle"))
    assert refused.kind == REFUSED and "checklists differ" in refused.reason
    assert b.path(sid).read_bytes() == before


def test_a_session_deleted_here_is_not_brought_back_silently(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    b.delete(sid)
    refused = only(import_bundle(b, tmp_path / "x.bundle"))
    assert refused.kind == REFUSED and "deleted on this laptop" in refused.reason and not b.path(sid).exists()


def test_a_copy_that_disagrees_with_its_own_trail_is_refused(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    carry(a, b, tmp_path / "x.bundle")
    storage = DurableJSONStorage(a.path(sid))
    data = storage.read()
    for doc in data["answers"].values():
        doc["state"] = "pass"  # changed behind the audit trail's back
    data["audit"]["99"] = {"time": "2026-11-28T00:00:00+08:00", "inspector": "x", "field": "fact:org_type", "old": None, "new": "党委"}
    data["facts"]["9"] = {"fact": "org_type", "value": "党委"}
    storage.write(data)
    before = snapshot(b)
    with pytest.raises(BundleError) as caught:  # an invalid part refuses the whole bundle (issue 12)
        carry(a, b, tmp_path / "y.bundle")
    assert "audit trail" in str(caught.value) and "nothing imported" in str(caught.value)
    assert snapshot(b) == before


def test_one_invalid_session_refuses_the_whole_bundle_and_writes_nothing(laptops, shequ, tmp_path):
    """Checksums right, one of two sessions invalid: before, the other one was imported (exit 1)."""
    a, b = laptops
    good, bad = start(a, shequ), start(a, shequ)
    write_bundle(a, [good, bad], tmp_path / "two.bundle")

    def damage(body):
        body["sessions"][bad]["meta"]["1"]["status"] = "nonsense"

    message = one_line_refusal(b, forge(tmp_path / "two.bundle", tmp_path / "forged.bundle", damage))
    assert bad in message and "nothing imported" in message


# -- damaged bundles -----------------------------------------------------------------------------


def one_line_refusal(repo: SessionRepository, path: Path) -> str:
    with pytest.raises(BundleError) as caught:
        import_bundle(repo, path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert repo.session_ids() == [] and repo.list() == []
    return message


def test_one_changed_byte_anywhere_is_refused_and_nothing_is_imported(laptops, shequ, tmp_path):
    a, b = laptops
    start(a, shequ)
    good = tmp_path / "good.bundle"
    write_bundle(a, a.session_ids(), good)
    raw = good.read_bytes()
    header = raw.index(b"\n")
    offsets = {0, 3, 18, 19, 20, 30, header - 3, header - 1, header, header + 1, len(raw) // 2, len(raw) - 1}
    offsets |= set(random.Random(7).sample(range(len(raw)), 20))
    bad = tmp_path / "bad.bundle"
    for offset in sorted(offsets):
        for flip in (0x01, 0x20):
            changed = bytearray(raw)
            changed[offset] ^= flip
            bad.write_bytes(bytes(changed))
            one_line_refusal(b, bad)
    assert only(import_bundle(b, good)).kind == ADDED


@pytest.mark.parametrize("damage", ["truncated", "one_more_byte", "empty", "random", "json", "folder", "missing"])
def test_not_a_bundle_is_refused_in_one_line(laptops, shequ, tmp_path, damage):
    a, b = laptops
    start(a, shequ)
    good = tmp_path / "good.bundle"
    write_bundle(a, a.session_ids(), good)
    raw, path = good.read_bytes(), tmp_path / "bad.bundle"
    contents = {
        "truncated": raw[: len(raw) * 2 // 3], "one_more_byte": raw + b" ", "empty": b"",
        "random": random.Random(1).randbytes(5000), "json": json.dumps({"manifest": {}}).encode(),
    }
    if damage == "folder":
        path.mkdir()
    elif damage in contents:
        path.write_bytes(contents[damage])
    one_line_refusal(b, path)


def forge(good: Path, target: Path, change) -> Path:
    """A bundle edited on purpose, its checksums recomputed: only the checks of the data remain."""
    import hashlib

    from inspect_tui.store.durable import encode

    body = json.loads(good.read_bytes().split(b"\n", 1)[1])
    change(body)
    for entry in body["manifest"]["sessions"]:
        if entry["id"] in body["sessions"]:
            entry["sha256"] = hashlib.sha256(encode(body["sessions"][entry["id"]]).encode()).hexdigest()
        if "selfcheck_sha256" in entry and entry["id"] in body.get("selfchecks", {}):
            entry["selfcheck_sha256"] = hashlib.sha256(encode(body["selfchecks"][entry["id"]]).encode()).hexdigest()
    data = encode(body).encode()
    version = body["manifest"]["version"]
    target.write_bytes(f"INSPECT-TUI-BUNDLE {version} sha256={hashlib.sha256(data).hexdigest()} bytes={len(data)}\n".encode() + data)
    return target


def _escape(body):
    [sid] = body["sessions"]
    body["sessions"] = {"../../evil00000": body["sessions"].pop(sid)}
    body["manifest"]["sessions"][0]["id"] = "../../evil00000"


def _meta(key, value):
    def change(body):
        for payload in body["sessions"].values():
            payload["meta"]["1"][key] = value
    return change


def _behind_the_trail(body):
    for payload in body["sessions"].values():
        for doc in payload["answers"].values():
            doc["state"] = "pass"


def _unknown_field(body):
    for payload in body["sessions"].values():
        payload["audit"]["999"] = {"time": "2026-11-28T00:00:00+08:00", "inspector": "x", "field": "self:a", "old": None, "new": 1}


@pytest.mark.parametrize("change, whole, message", [
    (_escape, True, "bad session id"),
    (_meta("id", "0123456789ab"), True, "names another id"),
    (_meta("checklist_source", 123), False, "bad meta fields"),
    (_meta("status", "archived"), False, "bad meta fields"),
    (_behind_the_trail, False, "audit trail"),
    (_unknown_field, False, "unknown audit field"),
])
def test_a_forged_bundle_with_recomputed_checksums_is_still_refused(laptops, shequ, tmp_path, change, whole, message):
    a, b = laptops
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "good.bundle")
    forged = forge(tmp_path / "good.bundle", tmp_path / "forged.bundle", change)
    # `whole`: refused by its shape; else by one session's contents — either way the whole bundle
    # is refused now, before anything is written (issue 12: all or nothing)
    assert message in one_line_refusal(b, forged)
    assert not (tmp_path / "evil00000.json").exists()


def test_an_oversized_file_is_refused_before_it_is_read(laptops, tmp_path, monkeypatch):
    from inspect_tui.core.exchange import importing

    monkeypatch.setattr(importing, "MAX_BYTES", 1000)  # the limit read_bundle checks
    big = tmp_path / "big.bundle"
    big.write_bytes(b"INSPECT-TUI-BUNDLE " + b"x" * 5000)
    assert "too large" in one_line_refusal(laptops[1], big)


def test_the_bundle_is_owner_only_and_leaves_no_temp_files(laptops, shequ, tmp_path):
    a, _ = laptops
    start(a, shequ)
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.bundle").write_text("old", encoding="utf-8")
    os.chmod(out / "x.bundle", 0o644)
    manifest = write_bundle(a, a.session_ids(), out / "x.bundle")
    assert stat.S_IMODE((out / "x.bundle").stat().st_mode) == 0o600
    assert os.listdir(out) == ["x.bundle"]
    read = read_bundle(out / "x.bundle")
    assert read.manifest == manifest and manifest["format"] == "inspect-tui-bundle" and manifest["version"] == 1
    assert set(manifest["sessions"][0]) >= {"id", "sha256", "checklist_sha256", "audit_entries"}


def test_a_damaged_session_is_not_bundled(laptops, shequ, tmp_path):
    from inspect_tui.core.errors import SessionError

    a, _ = laptops
    sid = start(a, shequ)
    a.path(sid).write_bytes(a.path(sid).read_bytes()[:-10])
    with pytest.raises(SessionError, match="no bundle written") as caught:
        write_bundle(a, [sid], tmp_path / "x.bundle")
    assert "\n" not in str(caught.value) and not (tmp_path / "x.bundle").exists()


# -- the CLI -------------------------------------------------------------------------------------


def cli(folder: Path, *args: str):
    done = run_cli("--sessions", str(folder), *args)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done


def test_cli_bundle_and_import_end_to_end(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    sid = cli(a, "new", "--checklist", "shequ", "--branch", "一支部", "--inspector", "张三").stdout.strip()
    assert cli(a, "mark", sid, "org.basic.grid_split", "fail", "--note", "网格").returncode == 0
    done = cli(a, "bundle", sid[:5], "-o", str(tmp_path / "x.bundle"))
    assert done.returncode == 0 and sid in done.stdout
    done = cli(b, "import", str(tmp_path / "x.bundle"))
    assert done.returncode == 0 and "已新增" in done.stdout
    done = cli(b, "import", str(tmp_path / "x.bundle"))
    assert done.returncode == 0 and "无变化" in done.stdout
    assert cli(a, "mark", sid, "org.basic.grid_branch", "pass", "--inspector", "张三").returncode == 0
    # later (or the same second: then the inspector decides, and "李四" sorts after "张三")
    assert cli(b, "mark", sid, "org.basic.grid_branch", "fail", "--note", "联合组建", "--inspector", "李四").returncode == 0
    assert cli(b, "bundle", "--all", "-o", str(tmp_path / "y.bundle")).returncode == 0
    done = cli(a, "--lang", "en", "import", str(tmp_path / "y.bundle"))
    assert done.returncode == 0, done.stderr
    assert "merged (2 changes, 1 conflicts)" in done.stdout
    conflict = [line for line in done.stdout.splitlines() if line.startswith("    conflict")]
    assert len(conflict) == 1 and "answer:org.basic.grid_branch.state" in conflict[0] and "李四" in conflict[0]
    assert "fail" in conflict[0] and "pass" in conflict[0]
    assert sid in cli(a, "list").stdout


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path):
    a = tmp_path / "a"
    sid = cli(a, "new", "--checklist", "shequ", "--branch", "一支部").stdout.strip()
    cli(a, "bundle", sid, "-o", str(tmp_path / "good.bundle"))
    damaged = tmp_path / "damaged.bundle"
    raw = bytearray((tmp_path / "good.bundle").read_bytes())
    raw[len(raw) // 2] ^= 1
    damaged.write_bytes(bytes(raw))
    for args in (["bundle", "-o", str(tmp_path / "n.bundle")], ["bundle", sid, "--all", "-o", str(tmp_path / "n.bundle")],
                 ["bundle", "nosuch", "-o", str(tmp_path / "n.bundle")], ["bundle", sid, "-o", str(tmp_path)]):
        done = cli(a, *args)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
    b = tmp_path / "b"
    done = cli(b, "import", str(tmp_path / "good.bundle"), str(damaged))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "未导入任何内容" in done.stderr and str(damaged) in done.stderr
    assert not b.exists() or not list(b.glob("*.json"))


def test_cli_lists_same_item_conflicts_and_self_assessments_in_chinese_and_english(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    sid = cli(a, "new", "--checklist", "shequ", "--branch", "一支部", "--inspector", "张三").stdout.strip()
    assert cli(a, "mark", sid, "org.basic.grid_split", "fail", "--note", "网格").returncode == 0
    cli(a, "bundle", sid, "-o", str(tmp_path / "x.bundle"))
    assert cli(b, "import", str(tmp_path / "x.bundle")).returncode == 0
    own = tmp_path / "自查.yaml"
    own.write_text("answers: {org.basic.grid_split: pass}\n", encoding="utf-8")
    assert cli(a, "selfcheck", sid, str(own), "--inspector", "王书记").returncode == 0
    assert cli(a, "mark", sid, "org.basic.grid_split", "pass", "--inspector", "张三").returncode == 0
    assert cli(b, "mark", sid, "org.basic.grid_split", "fail", "--note", "楼栋台账", "--inspector", "李四").returncode == 0
    cli(a, "bundle", sid, "-o", str(tmp_path / "from_a.bundle"))
    cli(b, "bundle", sid, "-o", str(tmp_path / "from_b.bundle"))
    done = cli(b, "import", str(tmp_path / "from_a.bundle"))
    assert done.returncode == 0, done.stderr
    assert "1 处冲突" in done.stdout
    [line] = [x for x in done.stdout.splitlines() if x.startswith("    冲突")]
    assert "org.basic.grid_split" in line and "两边改了同一检查项的不同字段,均已保留" in line
    assert "本机的 note=楼栋台账 (李四" in line and "检查记录包的 state=pass (张三" in line
    assert "自查结果: 已加入 自查.yaml (王书记" in done.stdout
    done = cli(a, "--lang", "en", "import", str(tmp_path / "from_b.bundle"))
    assert done.returncode == 0 and "merged (1 changes, 1 conflicts)" in done.stdout
    [line] = [x for x in done.stdout.splitlines() if x.startswith("    conflict")]
    assert "same item, different fields, both kept" in line and "this laptop's state=pass" in line
    assert "the bundle's note=楼栋台账" in line
    assert "self-assessment" not in done.stdout  # b's copy is a's own: nothing to say
    assert (a / f"{sid}.selfcheck.json").read_bytes() == (b / f"{sid}.selfcheck.json").read_bytes()
    assert cli(a, "show", sid).stdout == cli(b, "show", sid).stdout
    # a second, different self-assessment attached on b: one laptop reports it replaced, the other kept
    own.write_text("answers: {org.basic.grid_split: fail}\n", encoding="utf-8")
    assert cli(b, "selfcheck", sid, str(own), "--inspector", "赵委员").returncode == 0
    cli(a, "bundle", sid, "-o", str(tmp_path / "from_a.bundle"), "--force")  # the same files again
    cli(b, "bundle", sid, "-o", str(tmp_path / "from_b.bundle"), "--force")
    on_b = cli(b, "import", str(tmp_path / "from_a.bundle")).stdout
    on_a = cli(a, "--lang", "en", "import", str(tmp_path / "from_b.bundle")).stdout
    assert ("已被检查记录包中较晚附加的" in on_b and "kept this laptop's" in on_a) or \
        ("保留本机较晚附加的" in on_b and "replaced by the bundle's" in on_a), (on_a, on_b)
    assert "赵委员" in on_a and "王书记" in on_a and "赵委员" in on_b and "王书记" in on_b
    assert (a / f"{sid}.selfcheck.json").read_bytes() == (b / f"{sid}.selfcheck.json").read_bytes()


def test_a_session_key_twice_in_a_bundle_is_refused(laptops, shequ, tmp_path):
    """JSON keeps the last of two equal keys silently; a bundle with a session twice is refused."""
    import hashlib

    a, b = laptops
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "one.bundle")
    body = json.loads((tmp_path / "one.bundle").read_bytes().split(b"\n", 1)[1])
    entry = json.dumps(body["sessions"][sid], ensure_ascii=False, sort_keys=True)
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    text = text.replace(f'"sessions": {{"{sid}": ', f'"sessions": {{"{sid}": {entry}, "{sid}": ', 1)
    assert text.count(f'"{sid}": {{') >= 2
    data = text.encode()
    version = body["manifest"]["version"]
    twice = tmp_path / "twice.bundle"
    twice.write_bytes(f"INSPECT-TUI-BUNDLE {version} sha256={hashlib.sha256(data).hexdigest()} bytes={len(data)}\n".encode() + data)
    assert "twice" in one_line_refusal(b, twice)
