"""Pilot: the sign-off as an inspector does it — the summary's f opens the sign-off dialog, Enter
walks its fields and signs on the last one; a signed inspection refuses an edit until r reopens it
with a reason (issue 14, part 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.finish_dialog import FinishDialog, ReopenDialog
from inspect_tui.app.screens.summary import SummaryScreen
from inspect_tui.core import settings
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository

from .pilot import notified, saved, until

ITEM = "org.basic.grid_split"


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def new_session(repo: SessionRepository) -> str:
    with repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], dt.date(2026, 6, 15)) as opened:
        return opened.session.id


async def to_finish_dialog(pilot, screen) -> FinishDialog:
    await pilot.press("n", "s")  # 不符合 on the first item, then the summary
    await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
    await pilot.press("f", "y")  # items unanswered: confirmed, then the sign-off dialog
    await until(pilot, lambda: isinstance(pilot.app.screen, FinishDialog))
    return pilot.app.screen


async def until_dialog(pilot) -> FinishDialog:
    await until(pilot, lambda: isinstance(pilot.app.screen, FinishDialog))
    return pilot.app.screen


async def test_finishing_through_the_dialog_stores_the_names(repo):
    settings.remember_inspectors(["张三"])
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        dialog = await to_finish_dialog(pilot, screen)
        assert dialog.value("inspectors") == "张三" and dialog.value("days") == "30"  # the names used last
        await pilot.press("end", "comma", *"李四", "enter")
        await pilot.press(*"王书记", "enter")
        await pilot.press("backspace", "backspace", *"15", "enter")
        assert isinstance(app.screen, FinishDialog)  # not yet: Enter on the last field signs
        await pilot.press(*"中共XX县委组织部", "enter")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert screen.opened.session.finished
        await notified(pilot, "检查已完成")
        await saved(pilot, screen)
    with repo.open(sid, write=False) as opened:
        s = opened.session
        assert (s.signers, s.received_by, s.notice_days, s.issuer) == (["张三", "李四"], "王书记", 15, "中共XX县委组织部")
        assert s.finished and s.signed_at
    assert settings.recent_inspectors() == ["张三", "李四"]  # offered next time


async def test_the_dialog_refuses_a_sign_off_without_names_and_esc_cancels(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        dialog = await to_finish_dialog(pilot, screen)
        await pilot.press("enter", "enter", "enter", "enter")  # nothing typed: no inspector
        assert app.screen is dialog and not screen.opened.session.finished
        assert "至少一名检查人" in str(dialog.query_one("#finish-inspectors-error").render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not screen.opened.session.finished


async def test_an_edit_after_sign_off_is_refused_until_reopened_with_a_reason(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        await to_finish_dialog(pilot, screen)
        await pilot.press(*"张三", "enter", *"王书记", "enter", "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("y")  # 符合: refused, the record is signed
        await notified(pilot, "检查已完成")
        assert screen.opened.session.answers[ITEM].state is State.FAIL
        await pilot.press("s", "r")
        await until(pilot, lambda: isinstance(app.screen, ReopenDialog))
        await pilot.press("enter")  # no reason: stays, says why
        assert isinstance(app.screen, ReopenDialog) and screen.opened.session.finished
        await pilot.press(*"网格划分判断有误", "enter")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not screen.opened.session.finished
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("y")
        assert screen.opened.session.answers[ITEM].state is State.PASS
        assert screen.opened.session.amended_at  # changed after the sign-off: 已修改
        await pilot.press("s", "f", "y")  # signed again (items unanswered: confirmed): the receiver of the first sign-off is offered again
        dialog = await until_dialog(pilot)
        assert dialog.value("received") == "王书记"
        await pilot.press("enter", "enter", "enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert screen.opened.session.finished and screen.opened.session.received_by == "王书记"
        await saved(pilot, screen)
    with repo.open(sid, write=False) as opened:
        [entry] = [e for e in opened.audit() if e.field == "reopened"]
        assert (entry.inspector, entry.new) == ("张三", "网格划分判断有误")
        assert opened.session.answers[ITEM].state is State.PASS
