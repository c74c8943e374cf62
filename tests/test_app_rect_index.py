"""The home screen's rectification counts (整改 open·overdue) and its overdue filter (`o`, the
filter word 逾期, the palette), over the two first sample sessions with 逾期 counted on a fixed day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from inspect_tui.app.app import InspectApp
from inspect_tui.app.commands import InspectCommands
from inspect_tui.app.screens import home_texts
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO
from .test_app_home import FINISHED_ID, HALF_DONE_ID, loaded, text_of

pytestmark = pytest.mark.slow
DAY = dt.date(2026, 12, 1)  # c567's four rectifications are past 2026-07-15; 5c8e's three are due 2026-12-20


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SessionRepository:
    monkeypatch.setattr(home_texts, "today", lambda: DAY)
    folder = tmp_path / "sessions"
    folder.mkdir()
    for session_id in (FINISHED_ID, HALF_DONE_ID):
        shutil.copy2(REPO / "sessions" / f"{session_id}.json", folder)
    return SessionRepository(folder)


def rows(screen) -> dict[str, list[str]]:
    table = screen.query_one("#sessions", DataTable)
    return {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}


async def test_the_list_counts_open_and_overdue_rectifications_and_o_keeps_the_overdue(samples) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert "整改" in [str(c.label) for c in table.columns.values()]
        shown = rows(screen)
        assert "4·4逾期" in shown[FINISHED_ID] and "3" in shown[HALF_DONE_ID]
        assert not any("逾期" in cell for cell in shown[HALF_DONE_ID])
        await pilot.press("o")
        await pilot.pause()
        assert [s.id for s in screen.shown] == [FINISHED_ID] and list(rows(screen)) == [FINISHED_ID]
        assert screen.query_one("#home-filter", Input).value == "逾期"
        assert "逾期" in text_of(app, "#home-status")  # the filter named in the status line
        await pilot.press("escape")
        await pilot.pause()
        assert {s.id for s in screen.shown} == {FINISHED_ID, HALF_DONE_ID}
        # typed with another word: both must hold
        await pilot.press("slash", *"逾期 机关")
        await pilot.pause()
        assert screen.shown == []
        await pilot.press("escape")


async def test_the_palette_offers_the_overdue_filter(samples) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        provider = InspectCommands(screen, None)
        [action] = [action for name, action in provider.commands() if name == "只看有逾期整改的检查记录"]
        action()
        await pilot.pause()
        assert [s.id for s in screen.shown] == [FINISHED_ID]


async def test_english_cells_and_filter_word(samples) -> None:
    from inspect_tui.i18n import set_lang

    set_lang("en")
    try:
        app = InspectApp(repo=samples)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await loaded(pilot)
            assert "4·4 late" in rows(screen)[FINISHED_ID]
            await pilot.press("o")
            await pilot.pause()
            assert screen.query_one("#home-filter", Input).value == "overdue"
            assert [s.id for s in screen.shown] == [FINISHED_ID]
    finally:
        set_lang("zh")
