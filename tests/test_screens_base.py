"""Thin screens on a typed base (issue 13, point 5): the screens' view of the app, the undo record,
the debounce helper, the earlier-inspection rule in the core, worker results as messages."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen

import inspect_tui.app
from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.base import InspectAppInterface, Notices
from inspect_tui.app.screens.inspecting.undo import AnswerEdit, FactEdit, UndoStack
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.answers import Answer
from inspect_tui.core.session.earlier import compared_with, earlier_inspection
from inspect_tui.core.session.model import Summary
from inspect_tui.core.session.repository import SessionRepository

from .pilot import notified, until

APP_DIR = Path(inspect_tui.app.__file__).parent


def app_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(inspect_tui.app.__path__, prefix="inspect_tui.app.")]


def test_the_app_is_what_screens_take_it_for(tmp_path):
    app = InspectApp(repo=SessionRepository(tmp_path))
    assert isinstance(app, InspectAppInterface)
    # every member the Protocol names exists on the class itself, not by accident of an instance
    members = [n for n in vars(InspectAppInterface) if not n.startswith("_")] + list(InspectAppInterface.__annotations__)
    assert all(hasattr(app, name) for name in members), members


def test_every_screen_stands_on_the_base():
    screens = []
    for name in app_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == name and not name.endswith(".palette"):
                screens.append(cls)
    assert len(screens) >= 12, screens
    assert [c.__name__ for c in screens if not issubclass(c, Notices)] == []


def test_no_back_import_cast_or_ignore_on_the_app():
    """No `cast("InspectApp", self.app)`, no `self.app.x  # type: ignore[attr-defined]`, no import of
    app.py from a screen or widget, no call_from_thread in a screen."""
    found = []
    for path in sorted((APP_DIR / "screens").rglob("*.py")) + sorted((APP_DIR / "widgets").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#")[0]
            if ("self.app." in code or "app." in code) and "type: ignore[attr-defined]" in line:
                found.append(f"{path.name}:{number} {line.strip()}")
            if 'cast("InspectApp"' in code or "call_from_thread(" in code:
                found.append(f"{path.name}:{number} {line.strip()}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module == "app" and node.level >= 2:
                found.append(f"{path.name}: imports app.py")
    assert found == []


def test_no_app_module_over_400_lines():
    sizes = {p.relative_to(APP_DIR).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in APP_DIR.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


# -- the undo record ----------------------------------------------------------------------------


def test_undo_records_come_back_last_first_with_what_was_there():
    stack = UndoStack()
    before = Answer(state=State.FAIL, count=2, note="缺少记录", evidence=["a.jpg"])
    stack.push(AnswerEdit("x", before, Answer(state=State.PASS)))
    stack.push(FactEdit("members", None, 12))
    assert len(stack) == 2
    fact = stack.pop()
    assert isinstance(fact, FactEdit) and (fact.fact_id, fact.before, fact.after) == ("members", None, 12)
    answer = stack.pop()
    assert isinstance(answer, AnswerEdit)
    assert answer.restore() == {"state": State.FAIL, "count": 2, "note": "缺少记录", "evidence": ["a.jpg"],
                                "override": None}
    assert stack.pop() is None and len(stack) == 0


# -- the debounce helper ------------------------------------------------------------------------


async def test_a_debounce_runs_once_after_the_last_poke():
    from inspect_tui.app.debounce import Debounce

    calls: list[int] = []

    class Bare(App[None]):
        pass

    app = Bare()
    async with app.run_test() as pilot:
        later = Debounce(app, 0.01, lambda: calls.append(1))
        for _ in range(5):
            later.poke()
        assert later.waiting
        await until(pilot, lambda: calls, "the debounced call")
        assert not later.waiting
        for _ in range(20):
            await pilot.pause()
        assert calls == [1]
        later.poke()
        later.cancel()
        for _ in range(20):
            await pilot.pause()
        assert calls == [1] and not later.waiting


# -- the earlier inspection, a core rule ---------------------------------------------------------


def _summary(id: str, date: str, updated: str = "2026-01-01T10:00", **changes) -> Summary:
    fields = dict(
        id=id, branch="幸福社区第一网格党支部", unit="幸福社区党委", checklist_id="shequ", checklist_title="城市社区",
        checklist_version="1.0", date=date, status="finished", updated=updated, answered=1, leaves=1,
        total=1.0, max=1.0, percent=100.0, scored=True,
    )
    fields.update(changes)
    return Summary.from_json({**fields, "grade": "", "inspectors": [], "open_points": 0})  # a stored row


def test_the_earlier_inspection_is_the_latest_before_of_the_same_branch_and_standard():
    now = _summary("now", "2026-06-15")
    same_day_earlier = _summary("a", "2026-06-15", updated="2025-12-31T09:00")
    last_year = _summary("b", "2025-06-15")
    later = _summary("c", "2026-07-01")
    other_unit = _summary("d", "2026-06-01", unit="别的党委")
    other_standard = _summary("e", "2026-06-01", checklist_id="jiguan")
    every = [now, same_day_earlier, last_year, later, other_unit, other_standard]
    assert earlier_inspection(now, every) == "a"  # the same date, an earlier last change
    assert earlier_inspection(same_day_earlier, every) == "b"
    assert earlier_inspection(last_year, every) == ""
    assert compared_with("", now, every) == "a"
    assert compared_with("zzz", now, every) == "zzz"  # a re-inspection names the one it follows


# -- worker results come back as messages -------------------------------------------------------


async def test_a_failed_export_is_said_and_the_summary_stays(tmp_path, monkeypatch):
    from inspect_tui.app.screens import summary as summary_screen
    from inspect_tui.core import export

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "export_session", broken)
    (tmp_path / "out").mkdir()
    monkeypatch.setenv("INSPECT_TUI_EXPORTS", str(tmp_path / "out"))
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], dt.date(2024, 6, 1))
    opened.close()
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, summary_screen.SummaryScreen)
        app.screen.export("md", "summary")
        message = await notified(pilot, "导出失败")
        assert "No space left on device" in message
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, summary_screen.SummaryScreen)
