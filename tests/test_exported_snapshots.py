"""Snapshot of the dialog shown after an export (issue 11 part 7): the path, o 打开文件夹, Enter/Esc."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.exported_dialog import ExportedDialog
from inspect_tui.app.screens.summary import SummaryScreen

from .test_snapshots import FINISHED_ID, SIZES, on_inspection, repo, still  # noqa: F401  (fixtures)
from .pilot import until

import pytest


@pytest.fixture(params=SIZES)
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param


def test_exported_dialog(snap_compare, repo, size, monkeypatch, tmp_path):  # noqa: F811
    """x, Markdown, Enter: where the file went, in a path that renders the same everywhere."""
    (tmp_path / "导出").mkdir()
    monkeypatch.setenv("INSPECT_TUI_EXPORTS", "导出")  # relative to the test's folder (the repo fixture's chdir)

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
        pilot.app.screen.export("md", "summary")
        await until(pilot, lambda: isinstance(pilot.app.screen, ExportedDialog))
        await still(pilot)

    app = InspectApp(repo=repo, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
