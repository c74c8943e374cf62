"""The app's half of the re-inspection loop: a carried item's detail shows what was promised and
what this visit finds; X confirms one found 符合, closing it in the earlier session; the
comparison screen lists the outcomes (snapshots at 120x36 and 80x24, Chinese and English)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.analysis.reinspection import TO_CONFIRM, outcomes
from inspect_tui.core.session.carried import snapshot, to_data
from inspect_tui.core.session.rectification import CLOSED
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import lang, set_lang

from .conftest import REPO, owner_only
from .pilot import notified, settled, until
from .test_bundle import Clock
from .test_reinspect import FIXED, STILL, first_inspection, reinspection

OLD, NEW = "c567b521c9b4", "e2e78c3278d4"  # the samples: an inspection and its re-inspection


def detail(screen: InspectionScreen) -> str:
    return str(screen.query_one("#detail", Static).render())


@pytest.mark.slow
async def test_confirming_a_carried_item_in_the_app(tmp_path):
    repo = SessionRepository(tmp_path / "sessions", Clock())
    old = first_inspection(repo)
    new = reinspection(repo, old)
    app = InspectApp(repo=repo, session_id=new, inspector="王五")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        tree = screen.query_one(ItemTree)
        await settled(pilot)  # landed where it resumes, last time read: then move
        tree.select_item(FIXED)
        await until(pilot, lambda: tree.current_id == FIXED and "复查结果" in detail(screen), "the promise in the detail")
        assert "上次检查 (2026-06-15): 不符合 · 网格与楼栋不对应" in detail(screen)
        shown = detail(screen)
        assert "网格与楼栋不对应" in shown and "整改期限 2026-07-15 · 责任人 李书记" in shown
        assert "已报整改: 2026-07-01 已重新划分网格" in shown and "整改到位(待确认销号)" in shown
        await pilot.press("X")
        await notified(pilot, "已在上次检查中销号")
        await until(pilot, lambda: "整改到位(已销号)" in detail(screen), "the detail says it is closed")
        tree.select_item(STILL)
        await until(pilot, lambda: tree.current_id == STILL and "仍未整改" in detail(screen))
        await pilot.press("X")
        await notified(pilot, "只有复查符合才能确认销号")
        await pilot.press("ctrl+q")
    with repo.open(old, write=False) as earlier:
        assert earlier.session.rectifications[FIXED].status == CLOSED
        assert STILL not in earlier.session.rectifications  # nothing entered for it, let alone a 销号
    with repo.open(new, write=False) as opened:
        assert list(opened.session.confirmed) == [FIXED]


# -- the comparison screen with outcomes ------------------------------------------------------------

@pytest.fixture
def carrying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The samples, the re-inspection given what it would carry had it been made by this build (its
    file edited, so ids and dates stay those of the samples), one of them confirmed."""
    before = lang()
    folder = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", folder)
    owner_only(folder)
    samples = SessionRepository(folder)
    with samples.open(OLD, write=False) as earlier:
        carried = snapshot(earlier.session)
    path = samples.path(NEW)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["carried"] = to_data(carried)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with samples.open(NEW, write=False) as opened:
        first = next(o.item for o in outcomes(opened.session) if o.outcome == TO_CONFIRM)
    data["meta"]["1"]["confirmed"] = {first: {"by": "王五", "at": "2026-11-20"}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield SessionRepository(Path("sessions"))
    set_lang(before)


def on_comparison(language: str):
    async def run_before(pilot: Pilot[Any]) -> None:
        from inspect_tui.app.screens.compare import CompareScreen

        home = pilot.app.screen
        await until(pilot, lambda: isinstance(home, HomeScreen) and home.loaded_once)
        assert isinstance(home, HomeScreen)
        home.query_one("#sessions", DataTable).move_cursor(row=[s.id for s in home.shown].index(NEW), animate=False)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen))
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", [pytest.param((120, 36), id="120x36"), pytest.param((80, 24), id="80x24")])
def test_comparison_with_outcomes(snap_compare, carrying, size):
    set_lang("zh")
    assert snap_compare(InspectApp(repo=carrying, inspector="张三"), terminal_size=size, run_before=on_comparison("zh"))


def test_comparison_with_outcomes_english(snap_compare, carrying):
    set_lang("en")
    assert snap_compare(InspectApp(repo=carrying, inspector="张三"), terminal_size=(120, 36), run_before=on_comparison("en"))
