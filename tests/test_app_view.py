"""Pilot: browse a bundled checklist, mark items with single keys, watch the score move."""

from __future__ import annotations

import datetime as dt

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.checklist_view import ChecklistScreen
from inspect_tui.core.loader import load_checklist
from inspect_tui.core.model import State

from .conftest import CHECKLISTS


async def test_mark_items_and_see_the_deduction():
    shequ = load_checklist(CHECKLISTS / "shequ.yaml")
    app = InspectApp(checklist=shequ)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        screen.today = dt.date(2024, 6, 1)
        # the cursor starts on the first item, 社区层面 (computed: refuses a hand mark); then 网格划分
        await pilot.press("n")
        assert screen.answers == {}
        await pilot.press("j", "n")
        assert screen.answers["org.basic.grid_split"].state is State.FAIL
        assert screen.result.items["org.basic"].deducted == 2
        status = str(screen.query_one("#status").render())
        assert "扣分 2" in status
        await pilot.press("space")  # fail → N/A, which this sheet forbids: the state stays
        assert screen.answers["org.basic.grid_split"].state is State.FAIL
        await pilot.press("backspace")
        assert screen.answers["org.basic.grid_split"].state is None
        assert screen.result.deducted == 0


async def test_home_lists_checklists_and_opens_one():
    app = InspectApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.screen.checklists:
                break
        ids = [c.id for c in app.screen.checklists]
        assert "jiguan" in ids
        await pilot.press("enter")
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, ChecklistScreen)
