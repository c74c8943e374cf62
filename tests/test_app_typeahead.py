"""Keys typed with no pause between them land where the inspector meant (issue 11: "keys typed
while a field is being validated or a screen is opening go to where the inspector will see them").

Every test posts all its keys to the app at once, before the first is handled — as a fast typist
or a pasted burst does — then waits for the app to settle (state, not time) and checks where each
key went.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.new_session import NewSessionDialog
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository

from .pilot import until


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def burst(app: InspectApp, *keys: str) -> None:
    """Every key posted before any is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def open_shequ(repo: SessionRepository, pilot_app: InspectApp | None = None) -> str:
    opened = repo.create(catalog.find("shequ"), "幸福社区第三网格党支部", "幸福社区党委", ["张三"], dt.date(2026, 6, 20))
    opened.close()
    return opened.session.id


async def test_a_manual_deduction_typed_blind_after_o(repo):
    sid = await open_shequ(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        screen = app.screen
        burst(app, "n", "o", "1", "enter", "a", "b", "c", "enter")
        answers = screen.opened.session.answers
        await until(pilot, lambda: "org.basic.grid_split" in answers and answers["org.basic.grid_split"].override is not None)
        answer = answers["org.basic.grid_split"]
        assert answer.override.points == Decimal(1) and answer.override.reason == "abc"
        assert set(answers) == {"org.basic.grid_split"}  # 'a' was not taken as 不适用 underneath
        assert isinstance(app.screen, InspectionScreen)


async def test_two_facts_typed_in_one_burst_stay_apart(repo):
    sid = await open_shequ(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        screen = app.screen
        await pilot.press("f")
        await until(pilot, lambda: screen.pane == "facts")
        screen.query_one("#fact-full_members").focus()
        await pilot.pause()
        burst(app, "1", "2", "enter", "9", "enter")
        facts = screen.opened.session.facts
        await until(pilot, lambda: "households" in facts)
        assert facts["full_members"] == Decimal(12) and facts["households"] == Decimal(9)


async def test_the_branch_typed_straight_after_n_lands_in_the_branch(repo):
    await open_shequ(repo)  # an earlier inspection: the dialog chooses its standard, the cursor waits on the branch
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded_once)
        burst(app, "n", *"abc")
        await until(pilot, lambda: isinstance(app.screen, NewSessionDialog) and app.screen.entries
                     and app.screen.query_one("#new-branch", Input).value == "abc")
        dialog = app.screen
        assert dialog.query_one("#new-unit", Input).value == ""


async def test_a_jump_typed_blind(repo):
    sid = await open_shequ(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        tree = app.screen.query_one(ItemTree)
        burst(app, "g", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen) and tree.current_id != "org.basic.grid_split")
        assert tree.current_id == "org.basic"  # the second entry of the jump list: the keys went to the dialog


async def test_a_note_typed_blind_the_instant_the_screen_opens(repo):
    """`e` and a note typed before the item's editors exist (they are mounted just after the first
    frame, answer_panel.py): the note editor is built at once and every character lands in it —
    none taken by the tree underneath (`a` would mark 不适用, `y` 符合)."""
    sid = await open_shequ(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen) and app.screen.query_one(ItemTree).current_id)
        screen = app.screen
        item = screen.query_one(ItemTree).current_id
        burst(app, "n", "e", *"ay台账", "escape", "y")
        answers = screen.opened.session.answers
        await until(pilot, lambda: item in answers and answers[item].note == "ay台账" and len(answers) == 1
                    and screen.query_one(ItemTree).current_id != item)
        # n kept the cursor on the item (a failure wants a note), so the y after Esc marked the same
        # item 符合 and moved on: one item answered, its note whole
        assert answers[item].state.value == "pass"
        assert set(answers) == {item}
