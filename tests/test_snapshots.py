"""Snapshots: what the inspector sees, pinned at 120×36 and 80×24.

Each test builds the app over a copy of the sample sessions in `sessions/` (never the repository's
own files), as 张三, and waits until the screen has settled before the picture is taken. Nothing
on these screens comes from the clock: the dates and "最后修改" times are those in the session
files. The home screen names the sessions folder, so the tests run from inside the temporary
folder and give the repository the relative path `sessions`: the line reads the same on every
machine. Input and TextArea cursors are told not to blink. The home screen's 逾期 counts are
counted on a fixed day (home_texts.today), so the list reads the same whatever the date.

    pytest tests/test_snapshots.py --snapshot-update   # after a deliberate change to a screen

then look at the changed SVGs (tests/__snapshots__/test_snapshots/) before committing them. In a
browser their Chinese looks squeezed: Rich sizes each run of text by characters, not cells
(Textualize/rich#2742). The comparison is of the SVG text, so the tests are not affected;
docs/screenshots.py corrects the widths for the guide's images.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens import home_texts
from inspect_tui.app.screens.help import HelpScreen
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.summary import SummaryScreen
from inspect_tui.app.widgets.answer_panel import AnswerPanel
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import lang, set_lang

from .conftest import REPO, owner_only
from .pilot import until

FINISHED_ID = "c567b521c9b4"  # 幸福社区第一网格党支部, shequ 城市社区, finished, 20/28
HALF_DONE_ID = "5c8e8150773a"  # 县财政局机关第二党支部, jiguan 机关, 13 of 81
HALF_DONE_AT = "mech.org.staff"  # where its inspector left off (meta.position in the file)

SIZES = [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SessionRepository]:
    """A repository over a copy of the samples, named by a path that renders the same everywhere."""
    before = lang()
    set_lang("zh")
    shutil.copytree(REPO / "sessions", tmp_path / "sessions")
    owner_only(tmp_path / "sessions")
    monkeypatch.chdir(tmp_path)  # "检查记录文件夹: sessions", whatever the temporary folder is
    monkeypatch.setattr(home_texts, "today", lambda: dt.date(2026, 12, 1))
    yield SessionRepository(Path("sessions"))
    set_lang(before)


@pytest.fixture(params=SIZES)
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    """Each screen at the two terminal sizes an inspector is likely to have."""
    return request.param




async def still(pilot: Pilot[Any]) -> None:
    """No blinking cursor anywhere, then let the last redraw happen. An inspection screen's item
    editors are built just after its first frame (answer_panel.py): waited for, so that theirs stop too."""
    for screen in pilot.app.screen_stack:
        if isinstance(screen, InspectionScreen):
            panel = screen.query_one(AnswerPanel)
            await until(pilot, lambda: panel.editors_built, "the item's editors built")
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            assert isinstance(widget, (Input, TextArea))
            widget.cursor_blink = False
    await pilot.pause()


async def on_inspection(pilot: Pilot[Any], item: str | None = None) -> InspectionScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
    screen = pilot.app.screen
    assert isinstance(screen, InspectionScreen)
    tree = screen.query_one(ItemTree)
    await until(pilot, lambda: tree.current_id is not None and (item is None or tree.current_id == item))
    panel = screen.query_one(AnswerPanel)
    await until(pilot, lambda: panel.editors_built, "the item's editors built")
    await pilot.pause()
    return screen


def test_home(snap_compare, repo, size):
    """The list of inspections, the most recently changed highlighted, its details below."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
        await still(pilot)

    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=size, run_before=run_before)


def test_inspection_resumed(snap_compare, repo, size):
    """The half-done 机关 inspection reopened on the item where it was left."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot, HALF_DONE_AT)
        await still(pilot)

    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_facts(snap_compare, repo, size):
    """f: the finished 城市社区 inspection's facts (基本情况), shown read-only."""

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await on_inspection(pilot)
        await pilot.press("f")
        await until(pilot, lambda: screen.pane == "facts" and screen.query_one("#facts").built  # every chunk mounted
                       and screen.focused is screen.query_one("#facts"))  # built, read-only: the panel focused
        await still(pilot)

    app = InspectApp(repo=repo, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_summary(snap_compare, repo, size):
    """s: the finished 城市社区 inspection's summary, 20 / 28 with its four deductions."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))
        await still(pilot)

    app = InspectApp(repo=repo, session_id=FINISHED_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_help(snap_compare, repo, size):
    """?: every key of the inspection screen with what it does."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await on_inspection(pilot, HALF_DONE_AT)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await still(pilot)

    app = InspectApp(repo=repo, session_id=HALF_DONE_ID, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


REINSPECTION_ID = "e2e78c3278d4"  # the re-inspection of FINISHED_ID: 26 / 28


def test_report(snap_compare, repo, size):
    """g on the home screen: the 城市社区 branches ranked, the points lost per section as bars, and
    the items failed most often."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from inspect_tui.app.screens.report import ReportScreen

        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen) and pilot.app.screen.rollup is not None)
        await still(pilot)

    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=size, run_before=run_before)


def test_comparison(snap_compare, repo, size):
    """c on the re-inspection: what was put right since June, what still fails, per section."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from textual.widgets import DataTable

        from inspect_tui.app.screens.compare import CompareScreen

        home = pilot.app.screen
        await until(pilot, lambda: isinstance(home, HomeScreen) and home.loaded_once)
        assert isinstance(home, HomeScreen)
        row = [s.id for s in home.shown].index(REINSPECTION_ID)
        home.query_one("#sessions", DataTable).move_cursor(row=row, animate=False)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen))
        await still(pilot)

    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=size, run_before=run_before)
