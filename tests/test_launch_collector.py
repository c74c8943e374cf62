"""The launchers pause the cyclic garbage collector for the app's start-up (cli/launch.py), and
the app turns it back on once its first screen is drawn (InspectApp.started)."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import pytest

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.cli import launch
from inspect_tui.core.checklist import catalog
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository


@pytest.fixture(autouse=True)
def _collector_on_afterwards():
    yield
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_on_again_when_a_launcher_fails(tmp_path: Path) -> None:
    args = argparse.Namespace(sessions=str(tmp_path), session="nosuchid", checklists=[], exports=None)
    seen: list[bool] = []
    real = SessionRepository.resolve

    def resolve(self, name):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())  # the launcher paused it for the start-up
        return real(self, name)

    SessionRepository.resolve = resolve  # type: ignore[method-assign]
    try:
        with pytest.raises(SessionError):
            launch.open_session(args)
    finally:
        SessionRepository.resolve = real  # type: ignore[method-assign]
    assert seen == [False]
    assert gc.isenabled()


def test_started_freezes_start_up_and_turns_the_collector_on() -> None:
    app = InspectApp(repo=SessionRepository(Path("/nonexistent-never-created")))
    gc.disable()
    before = gc.get_freeze_count()
    app.started()
    assert gc.isenabled() and gc.get_freeze_count() > before
    frozen = gc.get_freeze_count()
    app.started()  # once: with the collector on it changes nothing
    assert gc.isenabled() and gc.get_freeze_count() == frozen


async def test_the_inspection_screen_says_when_it_is_drawn(tmp_path: Path) -> None:
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("wuge"), "某支部", inspectors=["张三"])
    opened.close()
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    calls: list[str] = []
    app.started = lambda: calls.append(type(app.screen).__name__)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
        assert calls == ["InspectionScreen"]
