"""Pilot: the facts form (基本情况) on the keyboard, keys fed as fast as a hand types them.

"No pauses" means what it says: the keys of a burst are posted to the app in one go, before the app
has handled any of them (`burst`), as a terminal delivers a paste or a fast typist's keys. Each
field must still get its own value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.widgets.fact_fields import BoolField, ChoiceField, FactInput, normalize_date
from inspect_tui.app.widgets.facts_panel import FactsPanel
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository

from .pilot import saved, until

DAY = dt.date(2026, 7, 1)

KEY_NAMES = {"⏎": "enter", " ": "space", "-": "minus", ".": "full_stop"}


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def new_session(repo: SessionRepository, checklist: str) -> str:
    opened = repo.create(catalog.find(checklist), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    opened.close()
    return opened.session.id




def burst(app: InspectApp, text: str) -> None:
    """Post every key of `text` to the app at once: none is handled before the last is queued."""
    for char in text:
        key = KEY_NAMES.get(char, char)
        app.post_message(events.Key(key, None if key == "enter" else char))




async def open_form(pilot, first: str) -> InspectionScreen:
    """`f` into the form, then the focus on the fact `first` (the form is built after the first frame)."""
    screen = pilot.app.screen
    assert isinstance(screen, InspectionScreen)
    await pilot.press("f")
    panel = screen.query_one(FactsPanel)
    await until(pilot, lambda: panel.built and screen.focused is not None and screen.focused.has_class("fact-field"))
    screen.set_focus(screen.query_one(f"#fact-{first}"))
    await pilot.pause()
    return screen


def test_dates_typed_in_every_usual_form():
    assert normalize_date("20250630") == "2025-06-30"
    assert normalize_date("2025-06-30") == "2025-06-30"
    assert normalize_date("2025.6.30") == "2025-06-30"
    assert normalize_date("2025年6月30日") == "2025-06-30"
    assert normalize_date("2025/6/3") == "2025-06-03"
    assert normalize_date("30.6.2025") == "30.6.2025"  # not a form we read: left for the core to refuse


async def test_numbers_typed_in_one_burst_land_in_their_own_fields(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "full_members")
        burst(app, "12⏎9⏎")
        await saved(pilot, screen)
        facts = screen.opened.session.facts
        assert facts["full_members"] == Decimal(12)
        assert facts["households"] == Decimal(9)
        assert screen.focused is screen.query_one("#fact-grids")  # two Enters: two fields on
        assert screen.query_one("#fact-households", FactInput).value == "9"


async def test_dates_typed_in_one_burst_land_in_their_own_fields(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "tunji"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "period_start")
        burst(app, "2026-01-01⏎20260630⏎")
        await saved(pilot, screen)
        facts = screen.opened.session.facts
        assert facts["period_start"] == dt.date(2026, 1, 1)
        assert facts["period_end"] == dt.date(2026, 6, 30)
        assert screen.query_one("#fact-period_end", FactInput).value == "2026-06-30"  # shown as read
        assert screen.focused is screen.query_one("#fact-has_committee")


async def test_booleans_by_y_n_and_space_and_enter_moves_on(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "multi_grid")
        burst(app, "y⏎n⏎")
        await saved(pilot, screen)
        facts = screen.opened.session.facts
        assert facts["multi_grid"] is True and facts["groups_by_building"] is False
        assert screen.opened.session.answers == {}  # y and n marked no item behind the form
        screen.set_focus(screen.query_one("#fact-multi_grid"))
        await pilot.press("space")
        assert screen.opened.session.facts["multi_grid"] is False
        await pilot.press("space")
        assert screen.opened.session.facts["multi_grid"] is True
        field = screen.query_one("#fact-multi_grid", BoolField)
        field.post_message(events.Paste("否"))  # 否 from an input method
        await saved(pilot, screen)
        assert screen.opened.session.facts["multi_grid"] is False


async def test_choices_by_number_letter_and_arrows_without_a_list(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "org_type")
        field = screen.query_one("#fact-org_type", ChoiceField)
        await pilot.press("3")
        assert screen.opened.session.facts["org_type"] == "党支部"
        await pilot.press("left")
        assert screen.opened.session.facts["org_type"] == "党总支"
        await pilot.press("down")
        assert screen.opened.session.facts["org_type"] == "党支部"
        await pilot.press("right")  # round to the first
        assert screen.opened.session.facts["org_type"] == "党委"
        burst(app, "党")  # the first character: 党委, 党总支, 党支部 all start so; again: the next
        await saved(pilot, screen)
        assert screen.opened.session.facts["org_type"] == "党总支"
        assert app.screen is screen and screen.focused is field  # no list opened
        burst(app, "⏎")
        await saved(pilot, screen)
        assert screen.focused is screen.query_one("#fact-full_members")


async def test_clearing_asks_nothing_and_u_brings_it_back(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "multi_grid")
        await pilot.press("y")
        await pilot.press("delete")
        assert "multi_grid" not in screen.opened.session.facts
        assert app.screen is screen  # nothing asked
        await pilot.press("u")
        assert screen.opened.session.facts["multi_grid"] is True
        assert screen.query_one("#fact-multi_grid", BoolField).value is True
        await saved(pilot, screen)
        log = [entry.field for entry in screen.opened.audit()]
        assert log.count("fact:multi_grid") == 3  # entered, cleared, restored: all in the audit trail


async def test_f_leaves_the_form_without_typing(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "full_members")
        burst(app, "60f")
        await saved(pilot, screen)
        assert isinstance(screen.focused, ItemTree) and screen.pane == "answer"
        assert screen.query_one("#fact-full_members", FactInput).value == "60"  # no f typed
        assert screen.opened.session.facts["full_members"] == Decimal(60)  # leaving took the value
        await pilot.press("f")  # back in, where it was left
        await until(pilot, lambda: screen.focused is screen.query_one("#fact-full_members"))
        assert screen.pane == "facts"
        screen.set_focus(screen.query_one("#fact-secretary_name"))
        await pilot.press(*"fang", "escape")  # a text fact: f is a letter, Esc leaves
        await saved(pilot, screen)
        assert screen.opened.session.facts["secretary_name"] == "fang"
        assert isinstance(screen.focused, ItemTree) and screen.pane == "answer"


async def test_keys_typed_while_the_form_is_being_built_are_kept(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "tunji"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        burst(app, "f2026.1.1⏎2026年6月30日⏎y")  # before the first frame: the form is not built yet
        await until(pilot, lambda: screen.query_one(FactsPanel).built)
        await saved(pilot, screen)
        facts = screen.opened.session.facts
        assert facts["period_start"] == dt.date(2026, 1, 1)
        assert facts["period_end"] == dt.date(2026, 6, 30)
        assert facts["has_committee"] is True
        assert screen.opened.session.answers == {}


async def test_enter_after_the_last_field_comes_back_to_the_first(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "regular_visits")  # the last fact, a 是/否
        burst(app, "n⏎")
        await saved(pilot, screen)
        assert screen.opened.session.facts["regular_visits"] is False
        assert screen.focused is screen.query_one("#fact-org_type")


async def test_a_meeting_records_field_takes_no_item_keys_and_f_leaves(repo):
    app = InspectApp(repo=repo, session_id=new_session(repo, "tunji"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "committee_dates")
        tree = screen.query_one(ItemTree)
        before = tree.current_id
        burst(app, "ynaf")  # y n a on the field: nothing marked; f: out, at once
        await saved(pilot, screen)
        assert screen.opened.session.answers == {}
        assert screen.focused is tree and screen.pane == "answer" and tree.current_id == before


async def test_f_from_the_tree_always_goes_into_the_form(repo):
    """Wherever the focus was left, f from the tree puts it in the form, on the field last used."""
    app = InspectApp(repo=repo, session_id=new_session(repo, "shequ"), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot, "households")
        await pilot.press("escape")
        assert isinstance(screen.focused, ItemTree) and screen.pane == "answer"
        burst(app, "f7⏎")  # in, on 社区总户数 again, and typed there without a pause
        await saved(pilot, screen)
        assert screen.opened.session.facts["households"] == Decimal(7)
        assert screen.focused is screen.query_one("#fact-grids")


async def test_control_characters_pasted_into_a_fact_are_removed_as_typed(tmp_path):
    """The text gate in the facts form: ESC and a bidi override pasted into a text fact are taken
    out as they arrive (CleanInput), so what the inspector sees is what is saved."""
    from textual import events as _events

    from inspect_tui.app.app import InspectApp
    from inspect_tui.app.screens.inspection import InspectionScreen
    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session.repository import SessionRepository

    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("shequ"), "甲支部", "", ["张三"], dt.date(2026, 6, 1))
    opened.close()
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.press("f")
        await until(pilot, lambda: screen.query("#fact-secretary_name"), "the facts form built")
        field = screen.query_one("#fact-secretary_name")
        field.focus()
        await pilot.pause()
        field.post_message(_events.Paste("王\x1b]0;x\x07\u202e五"))
        await until(pilot, lambda: field.value, "the pasted text in the field")
        assert field.value == "王]0;x五"
