"""The command palette speaks one language: every app command is found by its Chinese words,
Textual's own entries and its “No matches found” are in Chinese too (issue 11, part 4)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import set_lang

from .conftest import REPO, owner_only
from .pilot import NotSettled, until

HALF_DONE_ID = "5c8e8150773a"  # a 机关 sample, 13 of 81
ENGLISH_BUILTINS = ("Keys", "Maximize", "Quit", "Screenshot", "Change the current theme")


@pytest.fixture
def samples(tmp_path: Path) -> SessionRepository:
    set_lang("zh")
    shutil.copytree(REPO / "sessions", tmp_path / "sessions")
    owner_only(tmp_path / "sessions")
    return SessionRepository(tmp_path / "sessions")


def prompts(app: InspectApp) -> list[str]:
    listing = app.screen.query_one(CommandList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def settle_list(pilot: Pilot[Any], done) -> list[str]:
    """Wait (a bounded number of turns) until the palette's list satisfies `done`; the list as it
    is then (the caller's assertion says what is missing, with the list)."""
    try:
        await until(pilot, lambda: done(prompts(pilot.app)), "the palette's list")
    except NotSettled:
        pass
    return prompts(pilot.app)


async def search(pilot: Pilot[Any], words: str, expect_none: bool = False) -> list[str]:
    if isinstance(pilot.app.screen, CommandPalette):
        await pilot.press("escape")  # a fresh palette for each search, as a person would open it
    await pilot.press("ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*words)
    if expect_none:
        return await settle_list(pilot, lambda shown: any("没有找到" in p for p in shown))
    return await settle_list(pilot, lambda shown: any(words in p for p in shown))


async def test_inspection_commands_found_by_their_chinese_words(samples):
    app = InspectApp(repo=samples, session_id=HALF_DONE_ID, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InspectionScreen)
        await pilot.press("ctrl+p")
        listed = await settle_list(pilot, lambda shown: len(shown) > 5)
        assert not [p for p in listed if any(word in p for word in ENGLISH_BUILTINS)], listed
        for words in ("导出", "汇总", "筛选", "跳转", "主题", "完成", "统计"):
            found = await search(pilot, words)
            assert any(words in p for p in found), (words, found)
        found = await search(pilot, "zzqx", expect_none=True)
        assert any("没有找到匹配的命令" in p for p in found), found
        assert not any("No matches" in p for p in found)


async def test_home_commands_found_by_their_chinese_words(samples):
    app = InspectApp(repo=samples, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        for words in ("对比", "统计", "主题", "筛选", "新建"):
            found = await search(pilot, words)
            assert any(words in p for p in found), (words, found)


async def test_export_from_the_inspection_opens_the_format_choice(samples):
    app = InspectApp(repo=samples, session_id=HALF_DONE_ID, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await search(pilot, "导出")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ExportDialog", "the export dialog")
        assert type(app.screen).__name__ == "ExportDialog"
