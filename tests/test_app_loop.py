"""Issue 14's whole loop in the app, as an inspector goes through it, keys only: an item found
不符合, the inspection signed (names, the notice's period), the branch's report entered on the
rectification screen; a re-inspection begun from the home screen carries the promise, the item
found 符合 now, its 销号 confirmed with X — and the first inspection's file says 已销号."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.finish_dialog import FinishDialog
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.rectifications import RectificationScreen
from inspect_tui.app.screens.summary import SummaryScreen
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.rectification import CLOSED, REPORTED
from inspect_tui.core.session.repository import SessionRepository

from .pilot import notified, saved, settled, until
from .test_app_rectifications import fill, row_of
from .test_app_reinspect import detail

pytestmark = pytest.mark.slow

ITEM = "org.basic.grid_split"  # the first item of the 城市社区 standard, where a new inspection lands


async def test_inspect_sign_report_reinspect_and_close_in_the_app(tmp_path: Path):
    repo = SessionRepository(tmp_path / "sessions")
    with repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区党委", ["张三"], dt.date(2026, 6, 15)) as opened:
        first = opened.session.id

    # 1. the inspection: 不符合, a note, then the summary and the sign-off
    app = InspectApp(repo=repo, session_id=first, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        inspection = app.screen
        assert isinstance(inspection, InspectionScreen)
        await settled(pilot)
        assert inspection.query_one(ItemTree).current_id == ITEM
        await pilot.press("n")
        await saved(pilot, inspection)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("f", "y")  # other items unanswered: confirmed, then the sign-off dialog
        await until(pilot, lambda: isinstance(app.screen, FinishDialog))
        dialog = app.screen
        assert dialog.value("inspectors") == ""  # nobody signed on this machine yet: nothing offered
        await pilot.press(*"张三,李四", "enter")  # who signs, as they are there now
        await pilot.press(*"王书记", "enter")  # who received the findings
        await pilot.press("backspace", "backspace", *"20", "enter")  # the notice: 20 days
        await pilot.press(*"中共XX县委组织部", "enter")  # who issues it: Enter on the last field signs
        await notified(pilot, "检查已完成")
        await saved(pilot, inspection)
        # 2. the branch reports back: the rectification screen, from the inspection screen
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is inspection)
        await pilot.press("z")
        await until(pilot, lambda: isinstance(app.screen, RectificationScreen))
        rectifications = app.screen
        await settled(pilot)
        assert row_of(rectifications, ITEM)[3] == "2026-07-05"  # 6-15 + the 20 days set on signing
        await pilot.press("r")
        await fill(pilot, "已按楼栋重新划分网格", "20260701")
        await saved(pilot, inspection)
        assert row_of(rectifications, ITEM)[4].startswith("已报整改")
        await pilot.press("ctrl+q")
    with repo.open(first, write=False) as opened:
        s = opened.session
        assert s.finished and s.signers == ["张三", "李四"] and s.received_by == "王书记" and s.notice_days == 20
        entry = s.rectifications[ITEM]
        assert (entry.status, entry.report, entry.report_date) == (REPORTED, "已按楼栋重新划分网格", "2026-07-01")

    # 3. the re-inspection, begun from the home screen: the promise carried, found 符合, 销号 confirmed
    app = InspectApp(repo=repo, inspector="王五")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.current() is not None)
        await pilot.press("r")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmDialog", "the re-inspection asked")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        again = app.screen
        await settled(pilot)
        again.query_one(ItemTree).select_item(ITEM)
        await until(pilot, lambda: again.query_one(ItemTree).current_id == ITEM and "复查结果" in detail(again))
        assert "已报整改: 2026-07-01 已按楼栋重新划分网格" in detail(again)
        await pilot.press("y")
        await saved(pilot, again)
        again.query_one(ItemTree).select_item(ITEM)  # a mark moves on to the next item to mark: back to it
        await until(pilot, lambda: again.query_one(ItemTree).current_id == ITEM and "整改到位(待确认销号)" in detail(again),
                    "符合 proposes the 销号")
        await pilot.press("X")
        await notified(pilot, "已在上次检查中销号")
        await until(pilot, lambda: "整改到位(已销号)" in detail(again))
        second = again.opened.session.id
        await pilot.press("ctrl+q")
    with repo.open(first, write=False) as opened:
        entry = opened.session.rectifications[ITEM]
        assert entry.status == CLOSED and entry.closed_by == "王五" and entry.close_note.startswith("复查确认")
    with repo.open(second, write=False) as opened:
        assert opened.session.previous == first and list(opened.session.confirmed) == [ITEM]
