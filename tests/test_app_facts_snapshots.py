"""Snapshots of the facts form (基本情况) with a field being filled: 120×36 and 80×24, dark and light
themes, and once in English. The focused field must stand out in both themes.

A 城市社区 inspection built in a temporary folder with a fixed date and a few facts entered, so
nothing on screen comes from the clock. `pytest tests/test_app_facts_snapshots.py --snapshot-update`
after a deliberate change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.widgets.facts_panel import FactsPanel
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository

from .test_app_dates_snapshots import english  # noqa: F401  (a fixture: --lang en for one test)
from .test_snapshots import SIZES, still
from .pilot import until

THEMES = [pytest.param("textual-dark", id="dark"), pytest.param("textual-light", id="light")]


@pytest.fixture
def session(tmp_path: Path) -> tuple[SessionRepository, str]:
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], dt.date(2026, 7, 1))
    for fact_id, value in (("org_type", "党支部"), ("full_members", "60"), ("multi_grid", "是")):
        opened.set_fact(fact_id, value, "张三")
    opened.close()
    return repo, opened.session.id


def on_field(theme: str, fact_id: str):
    """`f`, then the focus on `fact_id`, in `theme`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        pilot.app.theme = theme
        await until(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
        screen = pilot.app.screen
        await pilot.press("f")
        await until(pilot, lambda: screen.query_one(FactsPanel).built and screen.focused is not None)
        screen.set_focus(screen.query_one(f"#fact-{fact_id}"))
        await pilot.pause()
        await still(pilot)

    return run_before


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
def test_facts_form_choice_focused(snap_compare, session, size, theme):
    """社区党组织类型 focused: 1党委 2党总支 3党支部 on one line, 党支部 chosen, the keys beside it."""
    repo, sid = session
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    assert snap_compare(app, terminal_size=size, run_before=on_field(theme, "org_type"))


@pytest.mark.parametrize("theme", THEMES)
def test_facts_form_boolean_focused(snap_compare, session, theme):
    """是否跨网格 focused further down: 是 chosen, 是 / 否 / 未填 and the y/n keys shown."""
    repo, sid = session
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    assert snap_compare(app, terminal_size=(120, 36), run_before=on_field(theme, "multi_grid"))


def test_facts_form_english(snap_compare, session, english):
    """--lang en at 80×24: the member count being edited."""
    repo, sid = session
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_field("textual-dark", "full_members"))
