"""Snapshots of the home screen with its last-sync line (issue 15): at 120×36 and 80×24 in Chinese,
once in English. The line is the user config's `last_sync` as a sync wrote it, with a fixed time,
so the picture does not age; the list is the samples' (tests/test_snapshots.py's fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.core import settings
from inspect_tui.core.exchange.central import local

from .pilot import until
from .test_snapshots import FINISHED_ID, repo, size, still  # noqa: F401  (fixtures)


def remembered(**result: Any) -> None:
    settings.save({local.LAST_SYNC_KEY: {"time": "2026-12-02T10:31:07+08:00", "folder": str(Path("sessions").resolve()),
                                         **result}})


async def on_home(pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
    await still(pilot)


def test_home_with_the_last_sync(snap_compare, repo, size):
    """上次同步 2026-12-02 10:31 · 上传 3 · 下载 2 · 冲突 1 · 查看: inspect-tui log …, above the list."""
    remembered(result="ok", server="10.0.0.5:5432/inspect", pushed=3, pulled=2, merged=1, conflicts=1, refused=0,
               conflict_sessions=[FINISHED_ID])
    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=size, run_before=on_home)


def test_home_with_a_failed_sync_in_english(snap_compare, repo):
    """--lang en, 80×24: the last sync failed, its one line (the server as host:port/dbname)."""
    from inspect_tui.i18n import set_lang

    remembered(result="failed", error="cannot reach the central server 10.0.0.5:5432/inspect: Connection refused")
    set_lang("en")  # the repo fixture sets Chinese back afterwards
    assert snap_compare(InspectApp(repo=repo, inspector="张三"), terminal_size=(80, 24), run_before=on_home)
