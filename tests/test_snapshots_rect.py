"""Snapshots of the rectification screen (z) at 120×36 and 80×24, in Chinese and once in English,
and of the attach dialog (p). The finished 城市社区 sample has four rectifications; one has a person
and the branch's report (entered with an explicit date, so nothing here comes from the clock), and
the screen's `today` is fixed: 逾期 5 天 does not age.

    pytest tests/test_snapshots_rect.py --snapshot-update   # then look at the SVGs
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens import rectifications
from inspect_tui.app.screens.rect_dialogs import FormDialog
from inspect_tui.app.screens.rectifications import RectificationScreen
from inspect_tui.core.session.rectification import Request
from inspect_tui.i18n import set_lang

from .pilot import settled, until
from .test_snapshots import FINISHED_ID, HALF_DONE_AT, HALF_DONE_ID, SIZES, on_inspection, repo, still  # noqa: F401

TODAY = dt.date(2026, 7, 20)


@pytest.fixture(params=SIZES)
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param


@pytest.fixture
def followed(repo, monkeypatch):
    """The finished sample with one rectification followed up, and the screen's today fixed."""
    monkeypatch.setattr(rectifications, "today", lambda: TODAY)
    with repo.open(FINISHED_ID) as opened:
        opened.set_rectification("org.groups.size", "张三", Request(
            person="王书记", report="已按楼栋重新划分党小组,每组均有正式党员", report_date="2026-07-10"))
    return repo


async def rect_screen(pilot: Pilot[Any]) -> None:
    await on_inspection(pilot)
    await pilot.press("z")
    await until(pilot, lambda: isinstance(pilot.app.screen, RectificationScreen))
    await settled(pilot)
    await pilot.press("down")  # the one followed up, in detail
    await still(pilot)


def test_rectifications(snap_compare, followed, size):
    app = InspectApp(repo=followed, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=rect_screen)


def test_rectifications_english(snap_compare, followed):
    set_lang("en")  # the repo fixture puts the language back
    app = InspectApp(repo=followed, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=(120, 36), run_before=rect_screen)


def test_close_dialog(snap_compare, followed):
    """x: who verified it (the inspector by default) and a note."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await rect_screen(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await still(pilot)

    app = InspectApp(repo=followed, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_attach_dialog(snap_compare, repo, size):
    """v on an item of the half-done 机关 inspection, a missing file refused in one line."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot, HALF_DONE_AT)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press(*"photos/现场.jpg", "enter")
        await settled(pilot)
        await still(pilot)

    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
