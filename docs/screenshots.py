"""Regenerate the user guide's screenshots (docs/images/*.svg) from the sample sessions.

    python docs/screenshots.py            # from a checkout (or with inspect-tui installed)

Each picture is taken with Textual's own `App.export_screenshot()` at 100×32, in Chinese, as 张三,
over a temporary copy of `sessions/` — the repository's samples are never touched, and nothing
is left behind. The steps follow the guide's story: the home screen, a new inspection being
filled in (then cancelled), an item of the half-done 机关 inspection failed with a note, a fact
entered that decides a computed item, the finished 城市社区 inspection's summary, the keys, the
report over all the samples and the re-inspection's comparison with June.

Rich writes each run of text with `textLength` = characters × cell width, so a browser squeezes
Chinese (two cells a character) into half its width (Textualize/rich#2742); `fix_text_length`
sets it from the cells the text really covers, which is what the terminal showed.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Awaitable, Callable

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
IMAGES = DOCS / "images"
SIZE = (100, 32)
INSPECTOR = "张三"
DATE = "2026-12-01"  # the new-inspection dialog offers today's date; the picture should not change daily

HALF_DONE = "5c8e8150773a"  # 县财政局机关第二党支部, jiguan, 13 of 81, left on mech.org.staff
FINISHED = "c567b521c9b4"  # 幸福社区第一网格党支部, shequ, finished, 20 / 28
REINSPECTION = "e2e78c3278d4"  # its re-inspection in November, 26 / 28

try:
    import inspect_tui  # noqa: F401
except ImportError:  # a checkout that was not installed
    sys.path.insert(0, str(REPO / "src"))

from rich.cells import cell_len  # noqa: E402

_TEXT = re.compile(r'(<text\b[^>]*?textLength=")([\d.]+)("[^>]*>)([^<]*)(</text>)')


def fix_text_length(svg: str) -> str:
    """Give every run of text the width of the cells it covers (see the module docstring)."""

    def widen(match: re.Match[str]) -> str:
        text = html.unescape(match.group(4))
        if not text:
            return match.group(0)
        cell_width = float(match.group(2)) / len(text)
        width = round(cell_width * cell_len(text), 1)
        return f"{match.group(1)}{width:g}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _TEXT.sub(widen, svg)


async def settle(pilot: Any, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (lists and checklists load in workers)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            break
        await pilot.pause(0.02)
    else:
        raise RuntimeError("the app did not reach the state to photograph")
    await pilot.pause()


async def type_text(pilot: Any, text: str) -> None:
    """Type `text` key by key. Textual's Pilot cannot synthesise full-width punctuation (，。：),
    which a terminal sends as any other character: those go in as the widget would insert them."""
    for char in text:
        if char.isalnum() or char == " ":
            await pilot.press(char)
        else:
            widget = pilot.app.focused
            if hasattr(widget, "insert_text_at_cursor"):  # Input
                widget.insert_text_at_cursor(char)
            else:  # TextArea
                widget.insert(char)
            await pilot.pause()


async def shoot(app: Any, name: str, steps: Callable[[Any], Awaitable[None]]) -> Path:
    """Run `app`, play `steps`, and save what the screen shows as docs/images/NAME.svg."""
    from textual.widgets import Input, TextArea

    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot)
        for screen in app.screen_stack:
            for widget in screen.query("Input, TextArea"):
                assert isinstance(widget, (Input, TextArea))
                widget.cursor_blink = False  # the cursor is drawn, steadily
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = app.export_screenshot(title="inspect-tui", simplify=True)
    path = IMAGES / f"{name}.svg"
    path.write_text(fix_text_length(svg), encoding="utf-8")
    return path


async def main() -> None:
    from inspect_tui.i18n import set_lang

    set_lang("zh")  # before the screens are imported: their key labels are read at import
    from textual.widgets import Input, Select

    from inspect_tui.app.app import InspectApp
    from inspect_tui.app.screens.help import HelpScreen
    from inspect_tui.app.screens.home import HomeScreen
    from inspect_tui.app.screens.inspection import InspectionScreen
    from inspect_tui.app.screens.new_session import NewSessionDialog
    from inspect_tui.app.screens.summary import SummaryScreen
    from inspect_tui.app.widgets.item_tree import ItemTree
    from inspect_tui.core.session.repository import SessionRepository

    IMAGES.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="inspect-tui-shots-"))
    here = Path.cwd()
    os.environ["INSPECT_TUI_CHECKLISTS"] = str(work / "no-user-checklists")  # the bundled ones only
    try:
        # The home screen names the sessions folder. Run from inside the temporary folder and call
        # it by the name it has on a Linux machine, so the picture shows what the guide describes.
        folder = Path("~/.local/share/inspect-tui/sessions")
        os.chdir(work)
        shutil.copytree(REPO / "sessions", folder, ignore=shutil.ignore_patterns("README.md"))
        repo = SessionRepository(folder)

        def app(session: str | None = None) -> Any:
            return InspectApp(repo=repo, session_id=session, inspector=INSPECTOR)

        def home_loaded(pilot: Any) -> bool:
            return isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once

        async def on_item(pilot: Any, item: str | None = None) -> Any:
            await settle(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
            tree = pilot.app.screen.query_one(ItemTree)
            await settle(pilot, lambda: tree.current_id is not None and item in (None, tree.current_id))
            return pilot.app.screen

        async def home(pilot: Any) -> None:
            await settle(pilot, lambda: home_loaded(pilot))

        async def new_inspection(pilot: Any) -> None:
            await settle(pilot, lambda: home_loaded(pilot))
            await pilot.press("n")
            await settle(pilot, lambda: isinstance(pilot.app.screen, NewSessionDialog))
            dialog = pilot.app.screen
            await settle(pilot, lambda: not dialog.query_one("#new-checklist", Select).is_blank())
            await settle(pilot, lambda: dialog.focused is dialog.query_one("#new-branch", Input))
            await type_text(pilot, "城关镇第三社区党支部")
            await pilot.press("enter")
            await type_text(pilot, "城关镇党委")
            dialog.query_one("#new-date", Input).value = DATE

        async def inspection(pilot: Any) -> None:
            await on_item(pilot, "mech.org.staff")
            await pilot.press("n", "e")  # 不符合 stays on the item; e opens its note
            await type_text(pilot, "由办公室主任兼任，无任命文件。")
            await pilot.press("escape")
            await pilot.pause(0.8)  # the note is saved after a short pause in typing

        async def facts(pilot: Any) -> None:
            screen = await on_item(pilot)
            await pilot.press("f")
            await settle(pilot, lambda: screen.pane == "facts")
            field = screen.query_one("#fact-written_reports", Input)
            field.focus()
            await pilot.press("1", "enter")  # one written report in 12 months: the half-yearly item fails
            await settle(pilot, lambda: screen.result.items["mech.plan.report"].state is not None)

        async def summary(pilot: Any) -> None:
            await on_item(pilot)
            await pilot.press("s")
            await settle(pilot, lambda: isinstance(pilot.app.screen, SummaryScreen))

        async def report(pilot: Any) -> None:
            from inspect_tui.app.screens.report import ReportScreen

            await settle(pilot, lambda: home_loaded(pilot))
            await pilot.press("g")
            await settle(pilot, lambda: isinstance(pilot.app.screen, ReportScreen) and pilot.app.screen.rollup is not None)

        async def comparison(pilot: Any) -> None:
            from textual.widgets import DataTable

            from inspect_tui.app.screens.compare import CompareScreen

            await settle(pilot, lambda: home_loaded(pilot))
            home_screen = pilot.app.screen
            row = [s.id for s in home_screen.shown].index(REINSPECTION)
            home_screen.query_one("#sessions", DataTable).move_cursor(row=row, animate=False)
            await pilot.press("c")
            await settle(pilot, lambda: isinstance(pilot.app.screen, CompareScreen))

        async def keys(pilot: Any) -> None:
            await on_item(pilot)
            await pilot.press("question_mark")
            await settle(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

        shots = [
            ("home", None, home),
            ("new-inspection", None, new_inspection),
            ("inspection", HALF_DONE, inspection),
            ("facts", HALF_DONE, facts),
            ("summary", FINISHED, summary),
            ("help", HALF_DONE, keys),
            ("report", None, report),
            ("comparison", None, comparison),
        ]
        for name, session, steps in shots:
            path = await shoot(app(session), name, steps)
            print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
