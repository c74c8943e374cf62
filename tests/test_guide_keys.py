"""The guide's key tables (docs/guide.md, 按键一览) name every key of every screen, with its label."""

from __future__ import annotations

import re

import pytest

from inspect_tui.i18n import lang, set_lang

from .conftest import REPO

SCREENS = {  # the guide's table heading → the screen's module and class
    "首页": ("home", "HomeScreen"),
    "统计": ("report", "ReportScreen"),
    "复查对比": ("compare", "CompareScreen"),
    "检查界面": ("inspection", "InspectionScreen"),
    "检查汇总": ("summary", "SummaryScreen"),
    "整改事项": ("rectifications", "RectificationScreen"),
}


def table_under(guide: str, heading: str) -> str:
    section = guide.split("## 按键一览", 1)[1]
    match = re.search(rf"\*\*{heading}\*\*\n\n((?:\|.*\n)+)", section)
    assert match, f"no key table under **{heading}**"
    return match.group(1)


@pytest.mark.parametrize("heading", list(SCREENS))
def test_every_binding_is_in_the_guide(heading):
    from importlib import import_module

    from inspect_tui.app.screens.help import key_display

    before = lang()
    set_lang("zh")
    try:
        module, name = SCREENS[heading]
        screen = getattr(import_module(f"inspect_tui.app.screens.{module}"), name)
        rows = table_under((REPO / "docs" / "guide.md").read_text(encoding="utf-8"), heading)
        for binding in screen.BINDINGS:
            first = key_display(binding.key.split(",")[0]).replace("Space", "空格")  # as the help screen shows it
            row = next((r for r in rows.splitlines() if f"`{first}`" in r or f"| {first} " in r), None)
            assert row is not None, f"{heading}: key {first} ({binding.description}) is not in the guide"
            assert binding.description.split("(")[0] in row or binding.description in rows, (heading, first, row)
    finally:
        set_lang(before)
