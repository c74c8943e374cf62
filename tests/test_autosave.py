"""Background saving: in order, reported back, and nothing dropped when the disk refuses."""

from __future__ import annotations

import datetime as dt
import errno
import os
import threading

from inspect_tui.core import catalog
from inspect_tui.core.autosave import Autosaver
from inspect_tui.core.model import State
from inspect_tui.core.repository import SessionRepository


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
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    opened.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="磁盘满时写的")
    saver.wait(10)
    assert errors and "disk full" in str(errors[0])
    assert saver.error is not None
    monkeypatch.setattr(os, "write", real_write)
    saver.retry()
    saver.wait(10)
    assert saver.error is None
    saver.close()
    opened.close()
    again = repo.open(opened.session.id)
    assert again.session.answers["org.basic.grid_split"].note == "磁盘满时写的"
    again.close()
