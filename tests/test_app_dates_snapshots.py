"""Snapshots of the meeting-records editor (会议记录录入框) at 120×36 and 80×24, and once in English.

The inspection is a 屯级 one built in a temporary folder with fixed dates (inspected over
2026-01-01 … 2026-06-30, four committee meetings entered), so nothing on screen comes from the
clock. `pytest tests/test_app_dates_snapshots.py --snapshot-update` after a deliberate change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.dates_editor import DatesEditor
from inspect_tui.app.widgets.dates_field import DatesField
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import lang, set_lang

from .test_snapshots import SIZES, still
from .pilot import until


@pytest.fixture
def session(tmp_path: Path) -> tuple[SessionRepository, str]:
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("tunji"), "那坡屯党支部", "那坡村", ["张三"], dt.date(2026, 7, 1))
    for fact_id, value in (("period_start", "2026-01-01"), ("period_end", "2026-06-30"), ("has_committee", "是"),
                           ("committee_dates", "2026-01-05, 2026-02-03, 2026-03, 2026-04-08")):
        opened.set_fact(fact_id, value, "张三")
    opened.close()
    return repo, opened.session.id


@pytest.fixture
def english():
    before = lang()
    set_lang("en")
    yield
    set_lang(before)


async def open_editor(pilot: Pilot[Any], *keys: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
    screen = pilot.app.screen
    await pilot.press("f")
    await until(pilot, lambda: screen.query("#fact-committee_dates"))  # built after the first frame
    screen.query_one("#fact-committee_dates", DatesField).focus()
    await pilot.pause()
    await pilot.press("enter", *keys)
    await until(pilot, lambda: isinstance(pilot.app.screen, DatesEditor) and pilot.app.focused is not None)
    await still(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_dates_editor_typing(snap_compare, session, size):
    """Enter on 支委会召开日期: the dates as lines, a Chinese date being typed, what was read below."""
    repo, sid = session

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_editor(pilot, "enter", *"2026年5月6日")

    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_dates_editor_grid_english(snap_compare, session, english):
    """--lang en, Tab: the month grid with the four months ticked, the cursor on June (no record)."""
    repo, sid = session

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_editor(pilot)
        await pilot.press("tab", *["right"] * 5)
        await still(pilot)

    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
