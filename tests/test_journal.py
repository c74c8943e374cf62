"""The session journal: saves append one line beside the TinyDB file; readers replay it.

Crash states are made two ways: by SIGKILLing a forked writer (at a random moment, and exactly
inside a checkpoint), and by copying a session's files at an instant of a checkpoint (before the
file is replaced; after it is replaced and before the journal is emptied) and opening the copy,
which is what the disk holds if the process dies at that instant.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import stat
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.exchange.bundle import write_bundle
from inspect_tui.core.exchange.importing import read_bundle
from inspect_tui.core.checklist.model import State
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DamagedFileError, StorageError
from inspect_tui.store import durable, journal as journal_mod
from inspect_tui.store.journal import BOOKKEEPING, journal_path, read_journal, read_state

from .test_crash import ForkedChild

DAY = dt.date(2024, 6, 1)


@pytest.fixture
def shequ():
    return catalog.find("shequ")


@pytest.fixture
def items(shequ):
    return [item.id for item in shequ.leaves() if not item.computed][:12]


def new(repo, checklist):
    return repo.create(checklist, "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY, "党员活动室")


def note(n: int) -> str:
    return f"第{n}次保存:消防通道畅通"


def save_notes(opened, items, count, start=0):
    for n in range(start, start + count):
        opened.set_answer(items[n % len(items)], "张三", state=State.FAIL, note=note(n))


def notes_of(repo, session_id):
    with repo.open(session_id, write=False) as opened:
        return {item: a.note for item, a in opened.session.answers.items()}


def crash_copy(repo: SessionRepository, session_id: str, into: Path) -> SessionRepository:
    """The session's files as they are this instant, in a new folder (what a kill would leave)."""
    into.mkdir(mode=0o700)
    for path in (repo.path(session_id), journal_path(repo.path(session_id))):
        if path.exists():
            shutil.copy2(path, into / path.name)
    return SessionRepository(into)


def written(raw: bytes) -> bytes:
    """A journal's lines: the file is zero-filled ahead of them."""
    return raw.split(b"\0", 1)[0]


def tear_last_line(journal: Path) -> None:
    """A crash mid-append: the journal's last written line cut in half, zeros after it as the
    preallocated tail was (what a kill during a save leaves)."""
    raw = journal.read_bytes()
    lines = written(raw)
    last_start = lines.rstrip(b"\n").rfind(b"\n") + 1
    cut = last_start + (len(lines) - last_start) // 2
    journal.write_bytes(raw[:cut] + bytes(len(raw) - cut))


def expected(items, count):
    """Each item's note after saves 0..count-1 (later saves of an item replace its note)."""
    return {items[n % len(items)]: note(n) for n in range(count)}


# -- the file on disk ---------------------------------------------------------------------------

def test_a_save_appends_to_the_journal_not_the_file_and_the_journal_is_owner_only(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    path = repo.path(opened.session.id)
    before = path.read_bytes()
    save_notes(opened, items, 3)
    assert path.read_bytes() == before  # the whole file is not rewritten per save
    records, _ = read_journal(journal_path(path))
    assert [r["seq"] for r in records] == [1, 2, 3]
    assert stat.S_IMODE(journal_path(path).stat().st_mode) == 0o600
    assert opened.file.middleware.appends == 3
    opened.close()
    # closing folds the journal into the file and removes it
    assert not journal_path(path).exists()
    assert note(2) in path.read_text(encoding="utf-8")
    assert notes_of(repo, opened.session.id) == expected(items, 3)


def test_every_n_saves_a_checkpoint_folds_the_journal(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    middleware = opened.file.middleware
    middleware.every = 5
    save_notes(opened, items, 12)
    records, _ = read_journal(journal_path(repo.path(opened.session.id)))
    assert middleware.checkpoints >= 3  # the create, then after lines 5 and 10
    assert [r["seq"] for r in records] == [11, 12]
    copy = crash_copy(repo, opened.session.id, tmp_path / "crash")
    assert notes_of(copy, opened.session.id) == expected(items, 12)
    opened.close()


# -- torn and corrupt lines -----------------------------------------------------------------------

def test_a_torn_last_line_is_dropped_and_the_next_save_follows_the_earlier_ones(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    save_notes(opened, items, 4)
    sid = opened.session.id
    copy = crash_copy(repo, sid, tmp_path / "crash")
    opened.close()
    journal = journal_path(copy.path(sid))
    tear_last_line(journal)
    assert notes_of(copy, sid) == expected(items, 3)  # the torn save gone, no error
    assert not copy.problems
    with copy.open(sid) as again:  # a writer cuts the torn tail off before appending
        save_notes(again, items, 1, start=10)
        records, _ = read_journal(journal)
        assert [r["seq"] for r in records] == [1, 2, 3, 4]
    assert notes_of(copy, sid) == {**expected(items, 3), items[10 % len(items)]: note(10)}


def test_a_corrupt_line_in_the_middle_is_damage_quarantined_with_nothing_lost(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    save_notes(opened, items, 4)
    sid = opened.session.id
    copy = crash_copy(repo, sid, tmp_path / "crash")
    opened.close()
    journal = journal_path(copy.path(sid))
    lines = written(journal.read_bytes()).splitlines(keepends=True)
    lines[1] = lines[1].replace("消防".encode(), "消访".encode())  # a flipped character: checksum fails
    damaged = b"".join(lines)
    journal.write_bytes(damaged)
    with pytest.raises(SessionError) as caught:
        copy.open(sid)
    message = str(caught.value)
    assert "\n" not in message and "journal line 2 is corrupt" in message
    quarantined = sorted(p.name for p in copy.quarantine_dir.iterdir())
    assert [n.split(".")[1] for n in quarantined] == ["journal", "json"]
    kept = next(p for p in copy.quarantine_dir.iterdir() if ".journal." in p.name)
    assert kept.read_bytes() == damaged  # moved aside as it was, not repaired or dropped
    assert copy.list() == []


# -- crashes during a checkpoint ------------------------------------------------------------------

@pytest.mark.parametrize("instant", ["before the replace", "after the replace"])
def test_a_crash_at_any_instant_of_a_checkpoint_replays_exactly(tmp_path, shequ, items, monkeypatch, instant):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    sid = opened.session.id
    opened.file.middleware.every = 6
    copies: list[SessionRepository] = []

    if instant == "before the replace":
        real = durable.DurableJSONStorage._write_disk

        def spy(self, payload):
            if self.path == repo.path(sid):
                copies.append(crash_copy(repo, sid, tmp_path / f"crash{len(copies)}"))
            real(self, payload)

        monkeypatch.setattr(durable.DurableJSONStorage, "_write_disk", spy)
    else:
        real = journal_mod.Journal.empty

        def spy(self):
            copies.append(crash_copy(repo, sid, tmp_path / f"crash{len(copies)}"))
            real(self)

        monkeypatch.setattr(journal_mod.Journal, "empty", spy)
    save_notes(opened, items, 14)
    monkeypatch.undo()  # the close below is not a crash point
    opened.close()
    assert len(copies) == 2  # the checkpoints after lines 6 and 12
    for copy, count in zip(copies, (6, 12)):
        # every save up to the one whose append triggered the checkpoint was acknowledged
        assert notes_of(copy, sid) == expected(items, count)
        if instant == "after the replace":
            records, _ = read_journal(journal_path(copy.path(sid)))
            assert len(records) == 6  # lines the file already holds: skipped by their numbers
        with copy.open(sid) as again:  # and writing on from there keeps numbering straight
            save_notes(again, items, 2, start=count)
        assert notes_of(copy, sid) == expected(items, count + 2)


def _checkpoint_killer(out, folder, checklist_id, items):
    """Save notes with checkpoints every 3 lines; SIGKILL this process inside the second
    checkpoint, after the file has been replaced and before the journal is emptied."""
    repo = SessionRepository(folder)
    opened = repo.create(catalog.find(checklist_id), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    opened.file.middleware.every = 3
    empties = [0]
    real = journal_mod.Journal.empty

    def empty(self):
        empties[0] += 1
        if empties[0] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        real(self)

    journal_mod.Journal.empty = empty
    out.write(f"id {opened.session.id}\n")
    out.flush()
    for n in range(100):
        save_notes(opened, items, 1, start=n)
        out.write(f"ack {n}\n")
        out.flush()


def test_a_writer_killed_inside_a_checkpoint_loses_no_acknowledged_save(tmp_path, items):
    folder = tmp_path / "s"
    child = ForkedChild(_checkpoint_killer, folder, "shequ", items)
    lines = [raw.decode().strip() for raw in child.stdout.read().splitlines()]
    child.stdout.close()
    assert child.wait() == -signal.SIGKILL, lines
    sid = lines[0].split()[1]
    acks = [int(line.split()[1]) for line in lines if line.startswith("ack ")]
    assert acks == list(range(5))  # saves 0-4 acknowledged; save 5's append was, its checkpoint killed
    repo = SessionRepository(folder)
    got = notes_of(repo, sid)
    # save 5 was appended (its append returned) before its checkpoint began: it is there too
    assert got == expected(items, 6)
    assert not repo.problems


# -- every reader sees the journal ------------------------------------------------------------------

def test_listing_bundles_and_exports_see_saves_still_in_the_journal(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    sid = opened.session.id
    assert repo.list()[0].scores.answered == 0  # cached in index.json
    save_notes(opened, items, 3)
    assert journal_path(repo.path(sid)).exists()
    other = SessionRepository(tmp_path / "s")  # a second process would list the same
    assert other.list()[0].scores.answered == 3  # the cache key includes the journal
    bundle = tmp_path / "out.itb"
    write_bundle(other, [sid], bundle)
    payload = read_bundle(bundle).sessions[sid]
    assert BOOKKEEPING not in payload
    assert sorted(d["note"] for d in payload["answers"].values()) == sorted(expected(items, 3).values())
    assert read_state(repo.path(sid))["meta"]["1"]["summary"]["answered"] == 3
    with other.open(sid, write=False) as reader:  # what exports, report and diff start from
        assert reader.read_only and len(reader.session.answers) == 3
    opened.close()


def test_delete_folds_the_journal_of_a_killed_writer_and_restore_brings_every_save_back(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    sid = opened.session.id
    save_notes(opened, items, 3)
    crashed = crash_copy(repo, sid, tmp_path / "crash")  # as a kill -9 leaves it: journal, no lock
    opened.close()
    crashed.delete(sid)
    assert not journal_path(crashed.path(sid)).exists()
    assert not any(p.suffix == ".journal" for p in crashed.trash_dir.iterdir())
    crashed.restore(sid)
    assert notes_of(crashed, sid) == expected(items, 3)


# -- a disk that refuses ------------------------------------------------------------------------

def test_a_refused_append_leaves_no_torn_line_and_the_retry_saves_everything(tmp_path, shequ, items, monkeypatch):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    sid = opened.session.id
    save_notes(opened, items, 2)
    real_write = os.pwrite

    def half_then_full(fd, data, offset):
        if not any(data):  # zeros: the cut-back of the half line below
            return real_write(fd, data, offset)
        real_write(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_mod.os, "pwrite", half_then_full)
    with pytest.raises(StorageError, match="disk full"):
        save_notes(opened, items, 1, start=2)
    assert opened.dirty
    monkeypatch.setattr(journal_mod.os, "pwrite", real_write)
    records, size = read_journal(journal_path(repo.path(sid)))
    assert [r["seq"] for r in records] == [1, 2]
    assert size == len(written(journal_path(repo.path(sid)).read_bytes()))  # the half line was zeroed again
    opened.retry()
    save_notes(opened, items, 1, start=3)
    assert notes_of(crash_copy(repo, sid, tmp_path / "crash"), sid) == expected(items, 4)
    opened.close()


def test_the_journal_is_zero_filled_ahead_so_a_save_does_not_change_its_size(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    save_notes(opened, items, 1)
    path = journal_path(repo.path(opened.session.id))
    size = path.stat().st_size
    assert size == journal_mod.PREALLOCATE
    save_notes(opened, items, 5, start=1)
    assert path.stat().st_size == size  # written in place: fdatasync has no size to commit
    assert [r["seq"] for r in read_journal(path)[0]] == [1, 2, 3, 4, 5, 6]
    opened.close()


def test_an_intact_line_beyond_a_hole_is_damage_not_a_torn_end(tmp_path, shequ, items):
    repo = SessionRepository(tmp_path / "s")
    opened = new(repo, shequ)
    save_notes(opened, items, 3)
    copy = crash_copy(repo, opened.session.id, tmp_path / "crash")
    opened.close()
    path = journal_path(copy.path(opened.session.id))
    raw = bytearray(path.read_bytes())
    lines = written(bytes(raw)).splitlines(keepends=True)
    raw[len(lines[0]): len(lines[0]) + len(lines[1])] = bytes(len(lines[1]))  # line 2 lost, line 3 kept
    path.write_bytes(bytes(raw))
    with pytest.raises(DamagedFileError, match="hole"):
        read_journal(path)


def _save_then_die(out, folder, checklist_id, items, count):
    repo = SessionRepository(folder)
    opened = repo.create(catalog.find(checklist_id), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    out.write(f"id {opened.session.id}\n")
    out.flush()
    for n in range(count):
        save_notes(opened, items, 1, start=n)
        out.write(f"ack {n}\n")
        out.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # no close: no checkpoint, the saves are in the journal only


def test_after_kill_9_the_journal_is_replayed_on_open(tmp_path, items):
    folder = tmp_path / "s"
    child = ForkedChild(_save_then_die, folder, "shequ", items, 9)
    lines = [raw.decode().strip() for raw in child.stdout.read().splitlines()]
    child.stdout.close()
    assert child.wait() == -signal.SIGKILL, lines
    sid = lines[0].split()[1]
    assert [line for line in lines if line.startswith("ack ")] == [f"ack {n}" for n in range(9)]
    repo = SessionRepository(folder)
    assert len(read_journal(journal_path(repo.path(sid)))[0]) == 9  # nothing of it in the file yet
    assert notes_of(repo, sid) == expected(items, 9)
    with repo.open(sid) as opened:  # the next writer takes the dead one's lock and goes on
        assert not opened.read_only
        save_notes(opened, items, 1, start=9)
    assert not journal_path(repo.path(sid)).exists()  # folded at close
    assert notes_of(repo, sid) == expected(items, 10)
