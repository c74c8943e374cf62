"""Pilot: the status bar says ✓ 已保存 only for what the saver has acknowledged.

The session file's `commit` is held at a gate the test opens, so each assertion waits on the
saver's state (a commit entered, a sequence number acknowledged), never on the clock.
"""

from __future__ import annotations

import datetime as dt
import errno
import queue
import threading

import pytest

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.widgets.status_bar import StatusBar
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.session.file import SessionFile
from inspect_tui.store import DurableJSONStorage, StorageError
from inspect_tui.store.journal import Journal

from .pilot import answered, saved

ITEM = "org.basic.grid_split"  # where a new shequ inspection lands


@pytest.fixture
def repo(tmp_path):
    return SessionRepository(tmp_path / "sessions")


def new_session(repo):
    opened = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], dt.date(2024, 6, 1))
    opened.set_position(ITEM)  # where the app lands: no position save races the gated ones
    opened.close()
    return opened.session.id


def stored_note(repo, sid):
    """The note as a second reader finds it on disk."""
    opened = repo.open(sid, write=False)
    try:
        answer = opened.session.answers.get(ITEM)
        return answer.note if answer else ""
    finally:
        opened.close()


class Gate:
    """Every commit waits for a permit; `entered` hears each commit arrive."""

    def __init__(self, monkeypatch):
        self.permits = threading.Semaphore(0)
        self.entered: "queue.Queue[None]" = queue.Queue()
        original = SessionFile.commit

        def commit(file, change):
            self.entered.put(None)
            if not self.permits.acquire(timeout=20):
                raise AssertionError("the test never let this commit through")
            original(file, change)

        monkeypatch.setattr(SessionFile, "commit", commit)

    def wait_entered(self):
        self.entered.get(timeout=10)


def indicator(screen):
    status = screen.query_one(StatusBar)
    return status.saved_state, str(status.render())


async def test_saving_until_the_latest_change_is_acknowledged(repo, monkeypatch):
    sid = new_session(repo)
    gate = Gate(monkeypatch)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.pause()
        await pilot.press("e", "火")
        await pilot.pause()
        state, text = indicator(screen)
        assert state == "saving" and "保存中" in text and "已保存" not in text
        gate.wait_entered()  # the saver holds "火" at the disk
        await pilot.press("灾")
        await pilot.pause()
        assert indicator(screen)[0] == "saving"
        gate.permits.release()  # "火" reaches the disk ...
        gate.wait_entered()  # ... and the saver, free again, takes "火灾" to the disk
        await pilot.pause()
        await pilot.pause()
        saver = screen.saver
        assert 1 <= saver.acknowledged < saver.submitted
        assert stored_note(repo, sid) == "火"
        # an acknowledgement of an older change is not "saved": 火灾 is not on disk yet
        state, text = indicator(screen)
        assert state == "saving" and "已保存" not in text
        gate.permits.release(100)
        await saved(pilot, screen)
        state, text = indicator(screen)
        assert state == "saved" and "✓ 已保存" in text
        assert saver.acknowledged == saver.submitted
        assert stored_note(repo, sid) == "火灾"
        await pilot.press("escape", "ctrl+q")
    assert not repo.lock_path(sid).exists()


async def test_a_refused_save_shows_not_saved_until_a_save_succeeds(repo, monkeypatch):
    sid = new_session(repo)
    real, real_append = DurableJSONStorage._write_disk, Journal.append

    def full(storage, payload):
        raise StorageError(storage.path, "could not save (disk full)", errno=errno.ENOSPC)

    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        monkeypatch.setattr(DurableJSONStorage, "_write_disk", full)
        monkeypatch.setattr(Journal, "append", full)  # a save appends to the session's journal
        await pilot.press("e", "满")
        await answered(pilot, screen)
        state, text = indicator(screen)
        assert state == "unsaved" and "未保存" in text
        await pilot.press("了")  # typing on while the disk refuses: still 未保存, never 保存中 or ✓
        await answered(pilot, screen)
        assert indicator(screen)[0] == "unsaved"
        monkeypatch.setattr(DurableJSONStorage, "_write_disk", real)
        monkeypatch.setattr(Journal, "append", real_append)
        screen._retry()  # what the retry timer does
        await answered(pilot, screen)
        assert indicator(screen)[0] == "saved"
        assert stored_note(repo, sid) == "满了"
        await pilot.press("escape", "ctrl+q")
