"""Snapshots of the sign-off dialogs (issue 14, part 6) at 120×36 and 80×24: finishing asks who
signs (prefilled with the names used last), who received the findings, the notice period and who
issues it; reopening asks why. Chinese, and the finish dialog once in English."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.dialogs import ConfirmDialog
from inspect_tui.app.screens.finish_dialog import FinishDialog, ReopenDialog
from inspect_tui.app.screens.summary import SummaryScreen
from inspect_tui.core import settings
from inspect_tui.i18n import set_lang

from .pilot import until
from .test_snapshots import FINISHED_ID, HALF_DONE_ID, SIZES, on_inspection, repo, still  # noqa: F401  (fixtures)


@pytest.fixture(params=SIZES)
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param


async def finish_dialog(pilot: Pilot[Any]) -> None:
    await on_inspection(pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
    await pilot.press("f")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))  # 68 items unanswered
    await pilot.press("y")
    await until(pilot, lambda: isinstance(pilot.app.screen, FinishDialog))
    await pilot.press("enter", *"王书记")  # the names prefilled: on to the receiver
    pilot.app.clear_notifications()  # the newer-version notice would cover the dialog's keys
    await still(pilot)


def test_finish_dialog(snap_compare, repo, size):
    settings.remember_inspectors(["张三", "李四"])

    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=finish_dialog)


def test_finish_dialog_in_english(snap_compare, repo):
    settings.remember_inspectors(["张三", "李四"])
    set_lang("en")  # the repo fixture sets Chinese back afterwards
    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=(80, 24), run_before=finish_dialog)


def test_reopen_dialog(snap_compare, repo, size):
    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.press("s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReopenDialog))
        await pilot.press(*"补录党员人数")
        pilot.app.clear_notifications()
        await still(pilot)

    app = InspectApp(repo=repo, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
