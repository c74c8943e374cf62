"""SIGKILL a saving process 100 times: every acknowledged save must survive.

The main test saves through the real path: a child process opens (the first time: creates) a
session of the bundled `shequ` checklist with `SessionRepository`, then loops
`OpenSession.set_answer` on the checklist's hand-marked items and prints ``ack N`` after each call
returns. The parent kills it at a random moment (during start-up, after a random delay, or after
a random number of acks) and checks, after every kill, that the session still loads and holds
every acknowledged answer, and that the dead child's lock was left behind for the next child to
take over. The folder is reused across runs, so damage would accumulate; each child continues
numbering from what it reads back. At the end the session opens for writing, lists without
problems, and its audit trail holds every save, in order.

A kill that lands while a lock (or takeover guard) is being created must not leave an unreadable
lock behind: locks are written to a temporary file and hard-linked into place, and the two
`test_a_writer_killed_*` tests kill a writer at exactly that moment.

The children are forked from the test process, which has the package imported already: a fresh
interpreter spends ~100 ms importing it and parsing the checklist before it touches the disk, and
a few hundred of those do not fit the time budget. A child shares nothing on disk with the
parent: it opens the session from the folder and takes its lock like any other process.

A second, faster test does the same against the raw storage (TinyDB + DurableJSONStorage, no
batching, TinyDB's own `upsert`), the layer the repository is built on.

SIGKILL does not lose the page cache, so this tests atomicity (no torn or half-replaced file, no
save acknowledged before it is in place), not power-loss durability, which needs real hardware.
Rerun a failure with the seed the test prints: CRASH_SEED=<seed> pytest tests/test_crash.py
"""

import multiprocessing
import os
import random
import re
import signal
import time

import pytest
from tinydb import Query, TinyDB

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DamagedFileError, DurableJSONStorage, clean_temp_files, read_lock

RUNS = 100
ITEMS = 50
NOTE = "中文备注：消防通道畅通，灭火器在有效期内。" * 3
STATES = ("pass", "fail")
NOTE_RE = re.compile(r"第(\d+)次保存")


def seeded_rng():
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash test seed: {seed} (rerun with CRASH_SEED={seed})")
    return seed, random.Random(seed)


def kill_at_random(child, rng, startup):
    """SIGKILL a started child at a random moment (during start-up, after a random delay, or after
    a random number of acks); return the lines it printed."""
    lines = []
    try:
        mode = rng.random()
        if mode < 0.1:  # during start-up / the first read
            time.sleep(rng.uniform(*startup))
        else:
            lines.append(child.stdout.readline())
            if mode < 0.55:
                time.sleep(rng.uniform(0.0, 0.03))
            else:
                for _ in range(rng.randint(0, 40)):
                    lines.append(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        lines.extend(child.stdout.read().splitlines())
        child.stdout.close()
        child.wait()
    assert child.returncode == -signal.SIGKILL, b"".join(lines).decode(errors="replace")
    return [raw.decode().strip() for raw in lines]


class ForkedChild:
    """``target(out, *args)`` in a child forked from this process; looks like a ``Popen``."""

    def __init__(self, target, *args):
        read_end, write_end = os.pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_child_main, args=(target, write_end, *args), daemon=True)
        self.process.start()
        os.close(write_end)
        self.stdout = os.fdopen(read_end, "rb")
        self.pid = self.process.pid
        self.returncode = None

    def send_signal(self, sig):
        os.kill(self.pid, sig)

    def wait(self):
        self.process.join()
        self.returncode = self.process.exitcode
        return self.returncode


def _child_main(target, write_end, *args):
    out = os.fdopen(write_end, "w", encoding="utf-8")
    try:
        target(out, *args)
    except BaseException as exc:  # tell the parent, which fails the test with it
        out.write(f"error: {type(exc).__name__}: {exc}\n")
        out.flush()
        os._exit(3)


# -- through the repository ---------------------------------------------------------------------

def repository_child(out, folder, checklist, items):
    """Open (or create) the one session in `folder` and save answers until killed."""
    repo = SessionRepository(folder)
    ids = repo.session_ids()
    if len(ids) > 1:
        raise AssertionError(f"more than one session {ids}")
    if ids:
        session = repo.open(ids[0], owner="crash-test")
    else:
        session = repo.create(checklist, "幸福社区第一网格党支部", "幸福社区党委", ["张三"],
                              place="社区党群服务中心")
    if session.read_only:
        raise AssertionError(f"opened read-only, the lock was not taken over: {session.holder}")
    numbers = [int(m.group(1)) for a in session.session.answers.values() if (m := NOTE_RE.fullmatch(a.note))]
    n = max(numbers, default=-1) + 1
    out.write(f"ready {n} {session.session.id}\n")
    out.flush()
    while True:
        item, state, note = expected_answer(items, n)
        session.set_answer(item, "张三", state=state, note=note)
        out.write(f"ack {n}\n")
        out.flush()
        n += 1


def shequ_manual_items():
    """The bundled shequ checklist and its hand-marked leaves (the others follow the facts)."""
    checklist = catalog.find("shequ")
    items = [item.id for item in checklist.leaves() if not item.computed]
    assert {"org.basic.grid_split", "org.basic.grid_branch", "org.groups.principle", "team.grid"} <= set(items)
    return checklist, items


def unreadable_locks(repo, session_id):
    """The session's lock or takeover guard, where it exists but holds no readable lock."""
    lock = repo.lock_path(session_id)
    found = []
    for path in (lock, lock.with_name(lock.name + ".takeover")):
        try:
            read_lock(path)
        except DamagedFileError:
            found.append(path.name)
    return found




def expected_answer(items, n):
    """Save n writes this item, state and note; a stored answer must be exactly one save's."""
    return items[n % len(items)], STATES[(n // len(items)) % 2], f"第{n}次保存"


def test_kill_during_repository_saves_loses_nothing_acknowledged(tmp_path):
    seed, rng = seeded_rng()
    checklist, items = shequ_manual_items()
    folder = tmp_path / "sessions"
    expected = {}  # item -> n of its last acknowledged save
    next_n = 0
    session_id = None
    dead_holder = None  # pid of the killed child whose lock is left on the session
    total_acks = leftovers = takeovers = 0
    began = time.monotonic()
    for run in range(RUNS):
        child = ForkedChild(repository_child, folder, checklist, items)
        lines = kill_at_random(child, rng, startup=(0.0, 0.02))  # it is up within milliseconds
        pid = child.pid
        where = f"run {run}, seed {seed}"
        start, acks = None, []
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "ready":
                num, _, sid = rest.partition(" ")
                start = int(num)
                assert session_id in (None, sid), (where, "a second session was created", sid)
                session_id = sid
            elif word == "ack":
                acks.append(int(rest))
            elif line:
                pytest.fail(f"{where}: child said: {line!r}")
        if start is not None:
            assert start == next_n, where
            # The child held the session's lock and died with it: the lock stays, naming it.
            lock = read_lock(SessionRepository(folder).lock_path(session_id))
            assert lock is not None and lock.pid == pid, (where, lock)
            takeovers += dead_holder is not None
            dead_holder = pid
        assert acks == list(range(next_n, next_n + len(acks))), where  # contiguous
        assert not acks or start is not None, where
        for n in acks:
            expected[items[n % len(items)]] = n
        in_flight = next_n + len(acks)  # the save that may or may not have landed

        ids = SessionRepository(folder).session_ids()
        assert len(ids) <= 1 and session_id in (None, *ids), (where, ids)
        if not ids:
            assert not expected, where
            continue
        session_id = ids[0]  # may have been created by a child killed before it said ready
        opened = SessionRepository(folder).open(session_id, write=False)  # raises if damaged
        stored = {}
        for item, answer in opened.session.answers.items():
            match = NOTE_RE.fullmatch(answer.note)
            assert match, (where, item, answer)
            n = int(match.group(1))
            assert (item, answer.state.value, answer.note) == expected_answer(items, n), (where, item, answer)
            if n == in_flight:
                assert item == items[in_flight % len(items)], where
            else:
                assert expected.get(item) == n, (where, item, n, expected.get(item))
            stored[item] = n
        landed = any(n == in_flight for n in stored.values())
        assert set(stored) == set(expected) | ({items[in_flight % len(items)]} if landed else set()), where
        opened.close()
        expected = stored
        next_n = max(expected.values(), default=-1) + 1
        total_acks += len(acks)
        leftovers += len(clean_temp_files(folder))
        stuck = unreadable_locks(SessionRepository(folder), session_id)
        assert not stuck, f"run {run} (seed {seed}) left an unreadable lock: {', '.join(stuck)}"

    assert session_id is not None
    repo = SessionRepository(folder)
    session = repo.open(session_id)  # for writing: takes over the last dead child's lock
    try:
        assert not session.read_only, session.holder
        assert read_lock(repo.lock_path(session_id)).pid == os.getpid()
        notes = {item: answer.note for item, answer in session.session.answers.items()}
        assert notes == {item: f"第{n}次保存" for item, n in expected.items()}
        audit = session.audit()
        assert len(audit) >= total_acks  # every save appends at least one entry
        # Stronger: the note changes in the trail are exactly saves 0, 1, 2, ... in order.
        note_changes = [entry.new for entry in audit if entry.field.endswith(".note")]
        assert note_changes == [f"第{n}次保存" for n in range(next_n)]
    finally:
        session.close()
    assert not repo.lock_path(session_id).exists()
    summaries = repo.list()
    assert [s.id for s in summaries] == [session_id]
    assert repo.problems == []
    assert summaries[0].scores.answered >= len(expected)
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name]
    assert os.stat(repo.path(session_id)).st_mode & 0o777 == 0o600
    print(f"{RUNS} kills, {total_acks} acknowledged saves through the repository, {takeovers} stale "
          f"locks taken over, {leftovers} interrupted temp files cleaned, "
          f"audit trail {len(audit)} entries, {time.monotonic() - began:.1f}s")
    assert total_acks > RUNS  # the kills really landed among saves
    assert takeovers > RUNS // 2  # and most children had to take a dead child's lock over


# -- killed while creating its lock -------------------------------------------------------------

def open_and_die_writing_the_lock(out, folder, session_id):
    """Open the session for writing, SIGKILLed the moment a lock's content is written."""
    real_write = os.write

    def write(fd, data):
        if b'"pid"' in bytes(data) and b'"host"' in bytes(data):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_write(fd, data)

    os.write = write  # in this forked child only
    SessionRepository(folder).open(session_id, owner="crash-test")


def stale_lock_left_by_a_killed_writer(out, folder, session_id):
    SessionRepository(folder).open(session_id, owner="crash-test")
    os.kill(os.getpid(), signal.SIGKILL)


def run_to_death(target, *args):
    child = ForkedChild(target, *args)
    output = child.stdout.read()
    child.stdout.close()
    if child.wait() != -signal.SIGKILL:
        pytest.fail(f"the child was meant to die by SIGKILL, it ended with {child.returncode}: {output!r}")


def closed_session(folder):
    checklist, _ = shequ_manual_items()
    repo = SessionRepository(folder)
    with repo.create(checklist, "幸福社区第一网格党支部", inspectors=["张三"]) as session:
        return repo, session.session.id


def test_a_writer_killed_creating_its_lock_does_not_block_the_session(tmp_path):
    repo, session_id = closed_session(tmp_path)
    run_to_death(open_and_die_writing_the_lock, tmp_path, session_id)
    session = repo.open(session_id)
    try:
        assert not session.read_only, "the session is held by a writer that no longer exists"
    finally:
        session.close()


def test_a_writer_killed_taking_over_a_stale_lock_does_not_block_the_session(tmp_path):
    repo, session_id = closed_session(tmp_path)
    run_to_death(stale_lock_left_by_a_killed_writer, tmp_path, session_id)
    dead = read_lock(repo.lock_path(session_id))
    run_to_death(open_and_die_writing_the_lock, tmp_path, session_id)
    if read_lock(repo.lock_path(session_id)) != dead:
        pytest.fail("the second child was meant to die taking over, before it removed the stale lock")
    session = repo.open(session_id)
    try:
        assert not session.read_only, f"the session is held by a writer that no longer exists: {session.holder}"
    finally:
        session.close()


# -- the raw storage underneath -----------------------------------------------------------------

def raw_storage_child(out, path):
    """Upsert answers through TinyDB + DurableJSONStorage until killed."""
    answers = TinyDB(path, storage=DurableJSONStorage).table("answers")
    n = max((d["n"] for d in answers.all()), default=-1) + 1
    out.write(f"ready {n}\n")
    out.flush()
    item = Query().item
    while True:
        key = f"i{n % ITEMS}"
        answers.upsert({"item": key, "n": n, "note": NOTE + str(n)}, item == key)
        out.write(f"ack {n}\n")
        out.flush()
        n += 1


def test_kill_during_raw_storage_saves_loses_nothing_acknowledged(tmp_path):
    seed, rng = seeded_rng()
    path = tmp_path / "session.json"
    expected = {}  # item -> n of its last acknowledged save
    next_n = 0
    total_acks = leftovers = 0
    began = time.monotonic()
    for run in range(RUNS):
        lines = kill_at_random(ForkedChild(raw_storage_child, path), rng, startup=(0.0, 0.01))
        start, acks = None, []
        for line in lines:
            word, _, num = line.partition(" ")
            if word == "ready":
                start = int(num)
            elif word == "ack":
                acks.append(int(num))
            elif word:
                pytest.fail(f"child said: {line!r}")
        where = f"run {run}, seed {seed}"
        if start is not None:
            assert start == next_n, where
        assert acks == list(range(next_n, next_n + len(acks))), where  # contiguous
        for n in acks:
            expected[f"i{n % ITEMS}"] = n
        in_flight = next_n + len(acks)  # the save that may or may not have landed

        data = DurableJSONStorage(path).read() or {}  # raises if damaged
        stored = {d["item"]: d for d in data.get("answers", {}).values()}
        for item, doc in stored.items():
            assert doc["note"] == NOTE + str(doc["n"]), where
            if doc["n"] == in_flight:
                assert item == f"i{in_flight % ITEMS}", where
            else:
                assert expected.get(item) == doc["n"], (where, item, doc["n"])
        assert set(stored) == set(expected) | (
            {f"i{in_flight % ITEMS}"} if any(d["n"] == in_flight for d in stored.values()) else set()
        ), where
        expected = {item: doc["n"] for item, doc in stored.items()}
        next_n = max(expected.values(), default=-1) + 1
        total_acks += len(acks)
        leftovers += len(clean_temp_files(tmp_path))
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert os.stat(path).st_mode & 0o777 == 0o600
    print(f"{RUNS} kills, {total_acks} acknowledged saves, {leftovers} interrupted temp files "
          f"cleaned, {time.monotonic() - began:.1f}s")
    assert total_acks > RUNS  # the kills really landed among saves
