"""Pilot: meeting records (a `dates` fact) entered on the keyboard, as an inspector does on site.

The 屯级 standard says “每月至少召开一次支委会”. The tests type the committee's dates into the facts
form (ISO, 20260305, 2026.4.8, 2026年2月3日, several on a line), tick months on the grid, enter only a
total (“共10次”), and check what the session holds, what the audit trail says, that `u` undoes it, and
that the score names the months with no record. A line that does not read is named with its reason
and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.dialogs import ConfirmDialog
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.dates_editor import DatesEditor
from inspect_tui.app.widgets.dates_field import DatesField
from inspect_tui.app.widgets.month_grid import MonthGrid
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.checklist.records import DateList, Held
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO
from .pilot import saved, until

DAY = dt.date(2026, 7, 1)
COMMITTEE = "sys.meetings.committee"


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def tunji_session(repo: SessionRepository, **facts: object) -> str:
    """A 屯级 inspection on 2026-07-01; the facts given are entered beforehand, as the CLI would."""
    opened = repo.create(catalog.find("tunji"), "那坡屯党支部", "那坡村", ["张三"], DAY)
    for fact_id, value in facts.items():
        opened.set_fact(fact_id, value, "张三")
    opened.close()
    return opened.session.id


def first_half_year(repo: SessionRepository) -> str:
    """Inspected over January–June 2026, with a committee: 支委会 is checked month by month."""
    return tunji_session(repo, period_start="2026-01-01", period_end="2026-06-30", has_committee="是")




async def open_editor(pilot, fact_id: str = "committee_dates") -> DatesEditor:
    screen = pilot.app.screen
    assert isinstance(screen, InspectionScreen)
    if screen.pane != "facts":
        await pilot.press("f")
    await until(pilot, lambda: screen.query(f"#fact-{fact_id}"))  # the form is built after the first frame
    screen.query_one(f"#fact-{fact_id}", DatesField).focus()
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DatesEditor) and pilot.app.focused is not None)
    return pilot.app.screen  # type: ignore[return-value]


def finding(screen: InspectionScreen, item_id: str) -> str:
    result = screen.result.items[item_id]
    return " ".join([*result.findings, *(reason.finding for reason in result.reasons)])


async def test_typed_dates_are_saved_audited_scored_and_undone(repo):
    sid = tunji_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.pause()
        await pilot.press("f")
        await until(pilot, lambda: screen.query("#fact-period_start"))  # built after the first frame
        # the period and 是否设立支委会 through the form, as for any other fact
        screen.query_one("#fact-period_start", Input).focus()
        await pilot.press(*"2026-01-01", "enter")
        screen.query_one("#fact-period_end", Input).focus()
        await pilot.press(*"2026-06-30", "enter")
        screen.query_one("#fact-has_committee").value = True  # BoolField: sent as y would
        await pilot.pause()
        assert screen.result.items[COMMITTEE].state is None  # no records yet: 待定, not a verdict
        assert "committee_dates" in screen.result.items[COMMITTEE].pending

        editor = await open_editor(pilot)
        await pilot.press(*"2026-01-05", "enter", *"2026年2月3日, 20260305", "enter", *"2026.4.8")
        assert "共 4 次" in str(editor.query_one("#dates-status").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))

        held = (Held(2026, 1, 5), Held(2026, 2, 3), Held(2026, 3, 5), Held(2026, 4, 8))
        assert screen.opened.session.facts["committee_dates"] == DateList(held)
        item = screen.result.items[COMMITTEE]
        assert item.state is State.FAIL
        assert "2026年5月、6月无支委会记录" in finding(screen, COMMITTEE)
        field = screen.query_one("#fact-committee_dates", DatesField)
        assert "共 4 次" in str(field.render()) and "2026-04-08" in str(field.render())
        entry = screen.opened.audit()[-1]
        assert entry.field == "fact:committee_dates" and entry.old is None and entry.inspector == "张三"
        assert entry.new == ["2026-01-05", "2026-02-03", "2026-03-05", "2026-04-08"]

        screen.query_one("#tree").focus()
        await pilot.press("u")  # undone like any other fact
        await pilot.pause()
        assert "committee_dates" not in screen.opened.session.facts
        assert screen.query_one("#fact-committee_dates", DatesField).value is None
        assert screen.result.items[COMMITTEE].state is None
        await saved(pilot, screen)
    reopened = repo.open(sid)
    assert "committee_dates" not in reopened.session.facts and reopened.session.facts["has_committee"] is True
    reopened.close()


async def test_ticking_months_on_the_grid(repo):
    app = InspectApp(repo=repo, session_id=first_half_year(repo), inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        editor = await open_editor(pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, MonthGrid) and editor.mode == "grid"
        await pilot.press("space", "right", "space", "right", "right", "space", "right", "space", "right", "space")
        assert "2026年6月: 2026-06" in str(editor.query_one("#dates-month").render())
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        months = DateList((Held(2026, 1), Held(2026, 2), Held(2026, 4), Held(2026, 5), Held(2026, 6)))
        assert screen.opened.session.facts["committee_dates"] == months
        assert screen.result.items[COMMITTEE].state is State.FAIL
        assert "2026年3月无支委会记录" in finding(screen, COMMITTEE)

        answers_before = dict(screen.opened.session.answers)
        screen.query_one("#fact-committee_dates", DatesField).focus()
        await pilot.press("space")  # opens the editor as Enter does; it marks nothing behind it
        await until(pilot, lambda: isinstance(app.screen, DatesEditor))
        assert screen.opened.session.answers == answers_before
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        editor = await open_editor(pilot)  # the text shows what was ticked; tick March and it passes
        assert editor.query_one("#dates-text", TextArea).text.splitlines() == ["2026-01", "2026-02", "2026-04", "2026-05", "2026-06"]
        await pilot.press("tab", "right", "right", "space", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert len(screen.opened.session.facts["committee_dates"].held) == 6
        assert screen.result.items[COMMITTEE].state is State.PASS
        await saved(pilot, screen)


async def test_a_total_only_is_compared_as_a_total(repo):
    app = InspectApp(repo=repo, session_id=first_half_year(repo), inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        await open_editor(pilot)
        await pilot.press(*"共10次", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert screen.opened.session.facts["committee_dates"] == DateList(total_only=10)
        assert screen.result.items[COMMITTEE].state is State.PASS
        assert "只能比较总数" in finding(screen, COMMITTEE)
        field = screen.query_one("#fact-committee_dates", DatesField)
        assert "共 10 次" in str(field.render())

        editor = await open_editor(pilot)
        await pilot.press("tab")  # a total cannot be ticked month by month: the grid refuses, says why
        assert editor.mode == "text" and "只填了总次数" in str(editor.query_one("#dates-status").render())
        await pilot.press("f7", "backspace", "3", "f2")  # F7: select all in a TextArea  # 3 in six months: too few
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert screen.result.items[COMMITTEE].state is State.FAIL
        assert "应至少 6 次" in finding(screen, COMMITTEE)
        await saved(pilot, screen)


async def test_an_invalid_line_shows_its_reason_and_saves_nothing(repo):
    app = InspectApp(repo=repo, session_id=first_half_year(repo), inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        audit_before = len(screen.opened.audit())
        editor = await open_editor(pilot)
        await pilot.press(*"2026-01-05", "enter", *"2026-02-30", "enter", *"2026年3月", "ctrl+s")
        assert app.screen is editor  # not accepted
        status = str(editor.query_one("#dates-status").render())
        assert "第 2 行" in status and "没有这一天: 2026-02-30" in status and "未保存" in status
        await pilot.press("tab")  # nor can it go to the grid while a line does not read
        assert editor.mode == "text"
        await pilot.press("escape")  # something was typed: asked before it is thrown away
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is editor)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert "committee_dates" not in screen.opened.session.facts
        assert len(screen.opened.audit()) == audit_before
        assert screen.result.items[COMMITTEE].state is None
        await saved(pilot, screen)


async def test_keys_typed_the_instant_the_editor_opens_are_kept(repo):
    """A burst, as a fast typist or a paste gives it: Enter and the dates in one go, no waiting."""
    app = InspectApp(repo=repo, session_id=first_half_year(repo), inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("f")
        screen.query_one("#fact-committee_dates", DatesField).focus()
        await pilot.pause()
        keys = ["enter", *"2026-01-05", "enter", *"20260203", "tab", "right", "right", "space", "ctrl+s"]
        for key in keys:  # posted without waiting between them
            character = key if len(key) == 1 else None
            app.post_message(events.Key(key, character))
        await until(pilot, lambda: "committee_dates" in screen.opened.session.facts)
        assert screen.opened.session.facts["committee_dates"] == DateList((Held(2026, 1, 5), Held(2026, 2, 3), Held(2026, 3)))
        assert isinstance(app.screen, InspectionScreen)
        await saved(pilot, screen)


async def test_the_strip_follows_the_period_and_a_finished_session_is_read_only(repo):
    sid = tunji_session(repo, period_start="2025-07-01", period_end="2026-06-30",
                        committee_dates="2025-07-03, 2026-01-05")
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("f")
        field = screen.query_one("#fact-committee_dates", DatesField)
        lines = str(field.render()).splitlines()
        assert lines[0] == "共 2 次: 2025-07-03 2026-01-05"
        assert lines[1].startswith("2025年 1 2 3") and lines[2].startswith("2026年 1 2 3")  # both years of the period
        start = screen.query_one("#fact-period_start", Input)
        start.focus()
        start.value = ""
        await pilot.press(*"2026-01-01", "enter")
        await pilot.pause()
        assert str(field.render()).splitlines()[1].startswith("2026年") and len(str(field.render()).splitlines()) == 2
        screen.opened.finish("张三", force=True)
        screen.refresh_all()
        await pilot.pause()
        assert field.disabled
        field.action_edit()
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)  # no editor on a finished inspection
        await saved(pilot, screen)


def test_the_guide_lists_the_editor_keys():
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    section = re.split(r"\n#{1,4} ", guide.split("#### 录入会议记录", 1)[1], maxsplit=1)[0]
    for key in ("Enter", "Tab", "Ctrl+S", "F2", "Esc", "空格", "方向键"):
        assert re.search(rf"`{re.escape(key)}`", section), key
    for text in ("共10次", "2026年3月5日", "只能比较总数"):
        assert text in section, text


def test_the_editor_names_the_line_that_does_not_read():
    from inspect_tui.app.screens.dates_editor import parse_lines
    from inspect_tui.app.widgets.dates_field import years_of

    assert parse_lines("  \n ") is None  # empty: not entered, never “none held”
    assert parse_lines("0") == DateList(total_only=0)
    assert parse_lines("2026-01-05\n\n2026年3月") == DateList((Held(2026, 1, 5), Held(2026, 3)))
    with pytest.raises(ValueError, match="第 3 行: 没有这一天: 2026/13"):
        parse_lines("2026-01-05\n\n2026-02-03 2026/13")
    with pytest.raises(ValueError, match="日期格式不对: 共10次"):  # a total among dates reads alone, not together
        parse_lines("2026-01-05\n共10次")
    period = (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert years_of(period, None) == [2025, 2026]
    assert years_of((None, None), DateList((Held(2024, 5), Held(2025, 1)))) == [2024, 2025]
    assert years_of((None, None), None, today=dt.date(2027, 3, 1)) == [2027]
    assert years_of((dt.date(2010, 1, 1), dt.date(2026, 6, 30)), None) == list(range(2021, 2027))
