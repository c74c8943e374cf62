"""Background saving: in order, reported back, and nothing dropped when the disk refuses."""

from __future__ import annotations

import datetime as dt
import errno
import os
import threading

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.autosave import Autosaver
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository


def open_session(tmp_path):
    repo = SessionRepository(tmp_path / "sessions")
    return repo, repo.create(catalog.find("shequ"), "某支部", inspectors=["张三"], date=dt.date(2024, 6, 1))


def test_changes_are_written_in_order_off_the_calling_thread(tmp_path):
    repo, opened = open_session(tmp_path)
    threads = []
    original = opened.file.commit

    def commit(change):
        threads.append(threading.current_thread().name)
        original(change)

    saved = threading.Event()
    saver = Autosaver(commit, on_saved=lambda seq: saved.set())
    opened.writer = saver.submit
    for n in range(30):
        opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note=f"第{n}次")
    assert saver.wait(10) and saver.pending == 0
    assert set(threads) == {"inspect-tui-autosave"}
    saver.close()
    opened.close()
    again = repo.open(opened.session.id)
    assert again.session.answers["org.basic.grid_split"].note == "第29次"
    notes = [e.new for e in again.audit() if e.field.endswith(".note")]
    assert notes == [f"第{n}次" for n in range(30)]
    again.close()


def test_a_refused_write_is_reported_and_retried(tmp_path, monkeypatch):
    repo, opened = open_session(tmp_path)
    errors = []
    saver = Autosaver(opened.file.commit, on_error=errors.append)
    opened.writer = saver.submit
    real_write, real_pwrite = os.write, os.pwrite

    def full(fd, data, *offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    monkeypatch.setattr(os, "pwrite", full)  # the journal writes in place
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="磁盘满时写的")
    saver.wait(10)
    assert errors and "disk full" in str(errors[0])
    assert saver.error is not None
    monkeypatch.setattr(os, "write", real_write)
    monkeypatch.setattr(os, "pwrite", real_pwrite)
    saver.retry()
    saver.wait(10)
    assert saver.error is None
    saver.close()
    opened.close()
    again = repo.open(opened.session.id)
    assert again.session.answers["org.basic.grid_split"].note == "磁盘满时写的"
    again.close()


def test_the_saver_coalesces_what_piles_up_and_acknowledges_by_sequence_number(tmp_path):
    """While one write is under way, later changes wait; the next write takes them all, as the
    latest text, and only then is their highest sequence number acknowledged."""
    repo, opened = open_session(tmp_path)
    gate, entered = threading.Event(), threading.Event()
    written = []
    original = opened.file.commit

    def commit(change):
        entered.set()
        gate.wait(10)  # the disk is busy until the test lets it go
        written.append({item: (doc or {}).get("note") for item, doc in change.answers.items()})
        original(change)

    acks = []
    saver = Autosaver(commit, on_saved=acks.append)
    opened.writer = saver.submit
    first = opened.set_answer("org.basic.grid_split", "张三", typing=True, note="网")
    assert saver.submitted == 1
    assert entered.wait(10)  # the first write is stuck in commit
    for text in ("网格", "网格划", "网格划分"):
        opened.set_answer("org.basic.grid_split", "张三", typing=True, note=text)
    assert (saver.submitted, saver.acknowledged, saver.saved) == (4, 0, False)
    gate.set()
    assert saver.wait(10)
    assert (saver.acknowledged, saver.saved, saver.pending) == (4, True, 0)
    assert acks == [1, 4]  # the write of 1, then one write for 2-4: never one ack per change
    assert written == [{"org.basic.grid_split": "网"}, {"org.basic.grid_split": "网格划分"}]
    assert saver.writes == 2 and first.note == "网"
    saver.close()
    opened.close()
    again = repo.open(opened.session.id, write=False)
    assert again.session.answers["org.basic.grid_split"].note == "网格划分"
    # one typing burst, one audit entry: from nothing to the last text
    notes = [(e.old, e.new) for e in again.audit() if e.field.endswith(".note")]
    assert notes == [(None, "网格划分")]
    again.close()


def test_one_audit_entry_per_typing_burst_and_each_save_durable(tmp_path):
    """Each keystroke's save is on disk when it returns (no saver here), and the trail has one
    entry per pause in typing, each from the text before the burst to the text after it."""
    repo, opened = open_session(tmp_path)
    clock = [100.0]
    opened.ticks = lambda: clock[0]
    item = "org.basic.grid_split"

    def type_text(text, start=""):
        for end in range(len(start) + 1, len(text) + 1):
            opened.set_answer(item, "张三", typing=True, note=text[:end])
            clock[0] += 0.2
            on_disk = SessionRepository(opened.repo.folder).open(opened.session.id, write=False)
            assert on_disk.session.answers[item].note == text[:end]
            on_disk.close()

    type_text("消防通道")
    clock[0] += 1.5  # a pause: the next keystroke opens a new burst
    type_text("消防通道畅通", start="消防通道")
    opened.set_answer(item, "张三", state=State.FAIL)  # another edit ends a burst too
    type_text("消防通道畅通。", start="消防通道畅通")
    opened.set_answer("org.basic.grid_branch", "张三", typing=True, note="另一项")  # so does another item
    opened.set_position(item)  # the cursor moving is no edit: it does not
    opened.set_answer("org.basic.grid_branch", "张三", typing=True, note="另一项备注")
    assert opened.typing_continues("org.basic.grid_branch") and not opened.typing_continues(item)
    opened.close()
    again = repo.open(opened.session.id, write=False)
    trail = [(e.field.split(".")[-1], e.old, e.new) for e in again.audit()][1:]
    assert trail == [
        ("note", None, "消防通道"),
        ("note", "消防通道", "消防通道畅通"),
        ("state", None, "fail"),
        ("note", "消防通道畅通", "消防通道畅通。"),
        ("note", None, "另一项备注"),
    ]
    again.close()


def test_a_refused_write_keeps_the_error_until_a_write_succeeds(tmp_path, monkeypatch):
    repo, opened = open_session(tmp_path)
    saver = Autosaver(opened.file.commit)
    opened.writer = saver.submit
    real_write, real_pwrite = os.write, os.pwrite
    monkeypatch.setattr(os, "write", lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    monkeypatch.setattr(os, "pwrite", lambda fd, data, at: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    opened.set_answer("org.basic.grid_split", "张三", typing=True, note="满")
    saver.wait(10)
    opened.set_answer("org.basic.grid_split", "张三", typing=True, note="满了")
    saver.wait(10)
    assert saver.error is not None and saver.acknowledged == 0 and not saver.saved
    monkeypatch.setattr(os, "write", real_write)
    monkeypatch.setattr(os, "pwrite", real_pwrite)
    saver.retry()
    saver.wait(10)
    assert saver.error is None and saver.saved and saver.acknowledged == 3
    saver.close()
    opened.close()
    again = repo.open(opened.session.id, write=False)
    assert again.session.answers["org.basic.grid_split"].note == "满了"
    assert [(e.old, e.new) for e in again.audit() if e.field.endswith(".note")] == [(None, "满了")]
    again.close()
