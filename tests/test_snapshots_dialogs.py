"""Snapshots of the dialogs, at 80×24 (where they must fit without loss) and 120×36: the new
inspection, the manual deduction and the export format picker (issue 11, part 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.dialogs import OverrideDialog
from inspect_tui.app.screens.export_dialog import ExportDialog
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.new_session import NewSessionDialog
from inspect_tui.app.screens.summary import SummaryScreen
from inspect_tui.core.checklist import catalog

from .test_snapshots import FINISHED_ID, SIZES, on_inspection, repo, still  # noqa: F401  (fixtures)
from .pilot import until


@pytest.fixture(params=SIZES)
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param


def test_new_inspection_dialog(snap_compare, repo, size):
    """n: which standard (real standards first), the branch, who, when, where."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(pilot.app.screen, NewSessionDialog) and pilot.app.screen.entries)
        dialog = pilot.app.screen
        dialog.query_one("#new-date", Input).value = "2026-06-20"  # not today: the picture must not age
        await pilot.press(*"幸福社区第三网格党支部")
        await still(pilot)

    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=size, run_before=run_before)


def test_override_dialog(snap_compare, repo, size):
    """o on a failed 城市社区 item: the points (at most the item's) and the reason, both required."""
    opened = repo.create(catalog.find("shequ"), "幸福社区第三网格党支部", "幸福社区党委", ["张三"], dt.date(2026, 6, 20))
    opened.close()

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot, "org.basic.grid_split")
        await pilot.press("n", "o")
        await until(pilot, lambda: isinstance(pilot.app.screen, OverrideDialog))
        await pilot.press("1")
        await still(pilot)

    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_export_dialog(snap_compare, repo, size):
    """x on the summary: the format and whether the 检查汇总 or the 整改通知书."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        await still(pilot)

    app = InspectApp(repo=repo, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_inspection_in_english_at_80x24(snap_compare, repo):
    """--lang en: the half-done 机关 inspection — the interface English (footer and status bar too),
    the standard's own text Chinese, as the checklist is."""
    from inspect_tui.i18n import set_lang

    from .test_snapshots import HALF_DONE_AT, HALF_DONE_ID

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot, HALF_DONE_AT)
        await pilot.app.workers.wait_for_complete()  # the newer-version notice is said, or not, first
        await pilot.pause()
        await still(pilot)

    set_lang("en")  # the repo fixture sets Chinese back afterwards
    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
