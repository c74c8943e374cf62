"""The app's sync (issue 15): `y` on the home screen, with a throwaway PostgreSQL (tests/pg_fixtures.py)
as the central server, a port nobody listens on as an unreachable one, and no server at all.

Laptop A syncs through the core (as `inspect-tui sync` does); laptop B is the app, its server in
$INSPECT_TUI_SERVER and its device id in its user config, so its pulls are A's events alone.
"""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.new_session import NewSessionDialog
from inspect_tui.core import paths, settings
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.exchange.central import local, sync
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO
from .pg_fixtures import pg_database, pg_server  # noqa: F401  (fixtures)
from .pilot import notified, until
from .test_bundle import Clock
from .test_central_sync import DEVICES, edit, folder_files, run, start, store  # noqa: F401  (store: the fixture)

pytestmark = pytest.mark.slow  # whole app flows

FINISHED_ID = "c567b521c9b4"  # a sample: B's folder is not empty


@pytest.fixture
def laptop_b(tmp_path: Path) -> SessionRepository:
    folder = tmp_path / "b"
    folder.mkdir(mode=0o700)
    shutil.copy2(REPO / "sessions" / f"{FINISHED_ID}.json", folder)
    (folder / f"{FINISHED_ID}.json").chmod(0o600)
    return SessionRepository(folder, Clock())


async def home(pilot: Pilot[Any]) -> HomeScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    return screen


def sync_line(screen: HomeScreen) -> str:
    widget = screen.query_one("#home-sync", Static)
    return str(widget.render()) if widget.display else ""


async def test_y_syncs_shows_the_result_and_lists_the_pulled_session(store, tmp_path, laptop_b, monkeypatch):
    shequ = catalog.find("shequ")
    a = SessionRepository(tmp_path / "a", laptop_b.clock)
    shared = start(a, shequ)
    run(store, a, "a")
    run(store, laptop_b, "b")  # B has the shared session; both edit one item, A later: a conflict
    edit(laptop_b, shared, "李四", "org.groups.principle", state=State.FAIL)
    edit(a, shared, "张三", "org.groups.principle", state=State.PASS)
    new = start(a, shequ)
    run(store, a, "a")
    settings.save({local.DEVICE_KEY: DEVICES["b"]})
    monkeypatch.setenv("INSPECT_TUI_SERVER", store.dsn("b"))
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await home(pilot)
        assert sync_line(screen) == "" and new not in [s.id for s in screen.summaries]  # never synced here
        await pilot.press("y")
        await until(pilot, lambda: "上次同步" in sync_line(screen), "the last sync's line")
        line = sync_line(screen)
        # B pushes its own edit; pulls A's two sessions: the new one added, the shared one merged
        assert "上传 1 · 下载 2 · 冲突 1" in line and f"查看: inspect-tui log {shared}" in line, line
        assert any(n.severity == "warning" and "冲突 1" in n.message for n in app._notifications)
        await until(pilot, lambda: new in [s.id for s in screen.summaries], "the pulled session in the list")
        assert new in [s.id for s in screen.shown] and screen.query_one("#sessions").row_count == 3
    config = paths.config_file().read_text(encoding="utf-8")
    assert store.password not in config  # the DSN's password is never written
    # after a restart the line reads the same, from the user config
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await home(pilot)
        assert sync_line(screen) == line


async def test_an_unreachable_server_says_one_line_and_changes_nothing(laptop_b, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("INSPECT_TUI_SERVER", f"host=127.0.0.1 port={port} dbname=x connect_timeout=3")
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await home(pilot)
        before = folder_files(laptop_b)  # with the list's own index, written when it was read
        await pilot.press("y")
        await until(pilot, lambda: "失败" in sync_line(screen), "the failed sync's line")
        line = sync_line(screen)
        assert line.startswith("上次同步 ") and f"无法连接中心服务器 127.0.0.1:{port}" in line and "\n" not in line
        await notified(pilot, f"127.0.0.1:{port}")
        assert [s.id for s in screen.summaries] == [FINISHED_ID]
        assert folder_files(laptop_b) == before and not list(laptop_b.folder.glob(".sync-*"))
    assert settings.load()[local.LAST_SYNC_KEY]["result"] == "failed"


async def test_no_server_configured_says_how_to_configure_one(laptop_b, monkeypatch):
    monkeypatch.delenv("INSPECT_TUI_SERVER", raising=False)
    called: list[Any] = []
    monkeypatch.setattr(sync, "sync", lambda *a, **k: called.append(a))
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await home(pilot)
        await pilot.press("y")
        hint = await notified(pilot, "未配置中心服务器")
        assert "inspect-tui server use DSN" in hint and "INSPECT_TUI_SERVER" in hint
        await pilot.pause()
        assert sync_line(screen) == "" and not screen.syncing
    assert called == [] and local.LAST_SYNC_KEY not in settings.load()


async def test_while_syncing_the_line_says_so_keys_work_and_a_second_press_starts_nothing(laptop_b, monkeypatch):
    monkeypatch.setenv("INSPECT_TUI_SERVER", "host=central.example dbname=inspect")
    gate, calls = threading.Event(), []

    def held(repo: Any, dsn: str, **_: Any) -> local.SyncReport:
        calls.append(dsn)
        gate.wait(60)
        return local.SyncReport("central.example:5432/inspect", "dev-x")

    monkeypatch.setattr(sync, "sync", held)
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await home(pilot)
        await pilot.press("y")
        await until(pilot, lambda: sync_line(screen).startswith("同步中…"), "同步中…")
        assert "central.example:5432/inspect" in sync_line(screen)
        await pilot.press("y")
        await notified(pilot, "正在同步")
        await pilot.press("n")  # the keys keep working meanwhile
        await until(pilot, lambda: isinstance(app.screen, NewSessionDialog), "the new-inspection dialog")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        gate.set()
        await until(pilot, lambda: "上次同步" in sync_line(screen), "the finished sync's line")
        assert "上传 0 · 下载 0 · 冲突 0" in sync_line(screen)
    assert len(calls) == 1


async def test_the_palette_command_sync_runs_it(laptop_b, monkeypatch):
    from .test_app_palette import search

    monkeypatch.delenv("INSPECT_TUI_SERVER", raising=False)
    app = InspectApp(repo=SessionRepository(laptop_b.folder), inspector="李四")
    async with app.run_test(size=(120, 36)) as pilot:
        await home(pilot)
        found = await search(pilot, "同步")
        assert any("同步" in p for p in found), found
        await pilot.press("enter")
        await notified(pilot, "未配置中心服务器")
