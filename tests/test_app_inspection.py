"""Pilot: whole inspection flows, keyboard only, as an inspector does them on site."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import TextArea

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.app.widgets.status_bar import StatusBar
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository

from .pilot import notified, saved, settled, until

DAY = dt.date(2024, 6, 1)


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def new_session(repo: SessionRepository, checklist: str = "shequ") -> str:
    opened = repo.create(catalog.find(checklist), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    opened.close()
    return opened.session.id


def palette_prompts(app: InspectApp) -> list[str]:
    from textual.command import CommandList

    listing = app.screen.query_one(CommandList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def rendered(renderable) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


async def form_built(pilot, screen: InspectionScreen) -> None:
    """The facts form is built after the first frame: wait for its fields."""
    await until(pilot, lambda: screen.query_one("#facts").built, "the facts form built (every chunk mounted)")


async def test_mark_note_quit_reopen_and_resume(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        await pilot.pause()
        assert screen.last_item == "org.basic.grid_split"  # the first item to mark
        await pilot.press("k", "n")  # 社区层面 is computed from facts: refused, nothing recorded
        assert screen.opened.session.answers == {}
        await pilot.press("j", "n")
        assert screen.result.items["org.basic"].deducted == 2
        await pilot.press("e", *"网格划分与楼栋不对应", "escape")
        assert isinstance(app.focused, ItemTree)
        await pilot.press("j", "y")  # 符合 moves on to the next unanswered item
        assert screen.query_one(ItemTree).current_id == "org.groups.principle"
        await pilot.press("k", "k", "k", "k")
        await saved(pilot, screen)
        status = screen.query_one(StatusBar)
        assert status.saved_state == "saved" and "已保存" in str(status.render())
        await pilot.press("ctrl+q")
    # the app is gone: everything must be on disk, the lock released
    assert not repo.lock_path(sid).exists()
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        answers = screen.opened.session.answers
        assert answers["org.basic.grid_split"].state is State.FAIL
        assert answers["org.basic.grid_split"].note == "网格划分与楼栋不对应"
        assert answers["org.basic.grid_branch"].state is State.PASS
        assert screen.query_one(ItemTree).current_id == "org.basic.grid_split"  # resumed on the same item
        assert screen.result.items["org.basic"].deducted == 2


async def test_facts_drive_the_computed_rules(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("f")
        await form_built(pilot, screen)
        members = screen.query_one("#fact-full_members")
        members.focus()
        await pilot.press(*"60", "enter")
        await pilot.pause()
        assert app.focused is not members and app.focused.id.startswith("fact-")  # Enter: the next fact
        kind = screen.query_one("#fact-org_type")
        kind.value = "党支部"
        await pilot.pause()
        assert screen.opened.session.facts["full_members"] == Decimal(60)
        assert screen.result.items["org.basic.community"].deducted == 4
        members.focus()
        await pilot.press("ctrl+a", "backspace", *"六十", "enter")
        error = str(screen.query_one("#error-full_members").render())
        assert "需要数字" in error
        assert app.focused is members  # a bad value keeps the field, its reason beside it
        assert screen.opened.session.facts["full_members"] == Decimal(60)  # the bad value was not taken
        await pilot.press("escape", "u")  # undo the last fact entered
        assert "org_type" not in screen.opened.session.facts
        await saved(pilot, screen)


async def test_undo_and_cycle(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("space")
        assert screen.opened.session.answers["org.basic.grid_split"].state is State.PASS
        await pilot.press("space")
        assert screen.opened.session.answers["org.basic.grid_split"].state is State.FAIL
        await pilot.press("space")  # N/A is not allowed on this sheet: the cycle skips it
        assert "org.basic.grid_split" not in screen.opened.session.answers
        await pilot.press("n", "u")
        assert "org.basic.grid_split" not in screen.opened.session.answers
        await pilot.press("u")
        assert screen.opened.session.answers["org.basic.grid_split"].state is State.FAIL
        await saved(pilot, screen)


async def test_next_unanswered_filter_and_search(repo):
    sid = new_session(repo, "jiguan")
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        tree = screen.query_one(ItemTree)
        await pilot.pause()
        first = tree.current_id
        await pilot.press("y")
        second = tree.current_id
        assert second not in (first, None)
        await pilot.press("full_stop")
        assert tree.current_id not in (first, second, None)
        await pilot.press("n")
        screen.set_filter("failed")
        await pilot.pause()
        leaves = [i for i in tree.nodes if screen.checklist.item(i).is_leaf]
        assert len(leaves) == 1
        screen.set_filter("all")
        await pilot.press("slash", *"党旗")
        await pilot.pause()
        leaves = [i for i in tree.nodes if screen.checklist.item(i).is_leaf]
        assert leaves and all("党旗" in screen.checklist.item(i).text for i in leaves)
        await pilot.press("enter", "y")
        assert screen.opened.session.answers[leaves[0]].state is State.PASS
        await saved(pilot, screen)


async def test_summary_finish_and_reopen(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("n", "s")
        from inspect_tui.app.screens.summary import SummaryScreen

        assert isinstance(app.screen, SummaryScreen)
        body = rendered(app.screen.render_summary(screen.opened.session.score()))
        assert "社区网格划分不合理的,扣2分" in body
        await pilot.press("f")  # unanswered items: asks first
        await pilot.press("y")
        await pilot.press(*"张三", "enter", "enter", "enter", "enter")  # the sign-off dialog (test_app_signoff.py)
        assert screen.opened.session.finished
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("y")  # a finished inspection refuses edits
        assert screen.opened.session.answers["org.basic.grid_split"].state is State.FAIL
        await pilot.press("s", "r", *"补录", "enter", "escape", "y")
        assert not screen.opened.session.finished
        await saved(pilot, screen)


async def test_second_window_is_read_only(repo):
    sid = new_session(repo)
    holder = repo.open(sid, owner="李四")
    try:
        app = InspectApp(repo=repo, session_id=sid, inspector="张三")
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            await pilot.pause()
            assert screen.opened.read_only
            await pilot.press("n")
            assert screen.opened.session.answers == {}
            assert "只读" in str(screen.query_one(StatusBar).render())
    finally:
        holder.close()


async def test_help_and_command_palette(repo):
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        from inspect_tui.app.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, InspectionScreen)
        await pilot.press("ctrl+p")
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder.startswith("搜索命令")  # not Textual's English
        await pilot.press(*"汇总")
        await until(pilot, lambda: any("汇总" in p for p in palette_prompts(app)), "汇总 listed in the palette")
        await pilot.press("enter")
        await pilot.pause()
        from inspect_tui.app.screens.summary import SummaryScreen

        assert isinstance(app.screen, SummaryScreen)


async def test_trial_view_saves_nothing_lasting(tmp_path):
    app = InspectApp(checklist=catalog.find("wuge"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        folder = app.repo.folder
        assert folder.exists()
        await pilot.press("y")
        assert len(screen.opened.session.answers) == 1
    assert not folder.exists()


async def test_a_newer_checklist_version_is_announced(repo, tmp_path):
    source = (catalog.find("wuge").path).read_text(encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "wuge.yaml").write_text(source, encoding="utf-8")
    from inspect_tui.core.checklist.loader import load_checklist

    opened = repo.create(load_checklist(folder / "wuge.yaml"), "某支部", inspectors=["张三"], date=DAY)
    opened.close()
    (folder / "wuge.yaml").write_text(source.replace('version: "1.0"', 'version: "2.0"'), encoding="utf-8")
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三", extra_checklists=[folder])
    async with app.run_test(size=(120, 36)) as pilot:
        await notified(pilot, "2.0")
        assert any("新版本 2.0" in n.message for n in app._notifications)
        assert app.screen.opened.session.checklist_version == "1.0"  # the session keeps its version


async def test_count_only_where_it_counts_and_esc_clears_a_search(repo):
    sid = new_session(repo, "jiguan")
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        item = screen.last_item
        await pilot.press("c", "5")  # this item has no per-instance rule: c is refused, 5 goes nowhere
        assert isinstance(app.focused, ItemTree)
        assert screen.opened.session.answers.get(item) is None
        await pilot.press("slash", *"党旗", "enter")
        await pilot.pause()
        narrowed = len(screen.query_one(ItemTree).nodes)
        await pilot.press("escape")  # clears the search, stays on the screen
        assert isinstance(app.screen, InspectionScreen)
        assert len(screen.query_one(ItemTree).nodes) > narrowed


async def test_finished_session_shows_facts_read_only(repo):
    sid = new_session(repo)
    with repo.open(sid) as opened:
        opened.finish("张三", force=True)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await form_built(pilot, screen)
        assert screen.query_one("#fact-full_members").disabled


async def test_summary_exports_every_format(repo, tmp_path, monkeypatch):
    from inspect_tui.app.screens import exported_dialog
    from inspect_tui.app.screens.export_dialog import ExportDialog
    from inspect_tui.app.screens.exported_dialog import ExportedDialog
    from inspect_tui.app.screens.summary import SummaryScreen
    from inspect_tui.core.export import FORMATS
    from textual.widgets import OptionList

    out = tmp_path / "out"
    out.mkdir()
    started = tmp_path / "started-here"
    started.mkdir()
    monkeypatch.setenv("INSPECT_TUI_EXPORTS", str(out))
    monkeypatch.chdir(started)  # the folder the app was started from gets nothing
    opened: list = []
    monkeypatch.setattr(exported_dialog, "open_folder", opened.append)
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("n", "s")
        assert isinstance(app.screen, SummaryScreen)
        for fmt in FORMATS:
            for what in ("summary", "rectification"):
                await pilot.press("x")
                assert isinstance(app.screen, ExportDialog)
                options = app.screen.query_one(OptionList)
                index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == f"{fmt}:{what}")
                options.highlighted = index
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, ExportedDialog), "the exported dialog")
                assert isinstance(app.screen, ExportedDialog)
                shown = app.screen.path
                assert shown.parent == out and shown.suffix == f".{fmt}" and shown.is_file()
                assert str(shown) in str(app.screen.query_one("#exported-path").render())
                await pilot.press("escape")
                assert isinstance(app.screen, SummaryScreen)
        written = sorted(p.name for p in out.iterdir())
        assert len(written) == 2 * len(FORMATS), written
        assert all(name.startswith("幸福社区第一网格党支部_2024-06-01_") for name in written)
        assert list(started.iterdir()) == []
        # once more: a new name beside the first (never over it), and o opens the folder
        await pilot.press("x")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ExportedDialog), "the exported dialog")
        assert app.screen.path.stem.endswith("-2")
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == [out]
        await pilot.press("enter")
        assert isinstance(app.screen, SummaryScreen)


async def test_opening_the_exports_folder_that_fails_is_one_notice(repo, tmp_path, monkeypatch):
    from inspect_tui.app.screens import exported_dialog
    from inspect_tui.app.screens.exported_dialog import ExportedDialog

    def no_desktop(folder):
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    monkeypatch.setattr(exported_dialog, "open_folder", no_desktop)
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ExportedDialog(tmp_path / "x.md"))
        await pilot.pause()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert len(notes) == 1 and "无法打开文件夹" in notes[0] and str(tmp_path) in notes[0]
        assert isinstance(app.screen, ExportedDialog)  # still there: the path can still be read


def reinspection_of(repo, first):
    """The app opened on a new re-inspection of `first` (closed here), and that session's id."""
    first.close()
    second = repo.reinspect(first.session.id, catalog.find("shequ"), ["李四"], dt.date(2025, 6, 1))
    second.close()
    return InspectApp(repo=repo, session_id=second.session.id, inspector="李四"), second.session.id


async def last_time_read(pilot):
    """The inspection screen once its worker has read the inspection it follows."""
    await settled(pilot)
    return pilot.app.screen


async def test_reinspection_shows_last_time_beside_each_item(repo):
    first = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    first.set_answer("org.basic.grid_split", "张三", state=State.FAIL, note="网格与楼栋不对应")
    app, second_id = reinspection_of(repo, first)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await last_time_read(pilot)
        assert screen.query_one("AnswerPanel").previous is not None
        detail = str(screen.query_one("#detail").render())
        assert "上次检查 (2024-06-01):" in detail and "不符合" in detail and "网格与楼栋不对应" in detail
        # Last time's note is shown beside the item, never loaded into this inspection's editor
        # (it was: the detail's loop variable shadowed the current answer).
        assert screen.query_one("#note", TextArea).text == ""
        await pilot.press("e", *"已整改", "escape")
        await pilot.pause()
    again = repo.open(second_id, write=False)
    assert again.session.answers["org.basic.grid_split"].note == "已整改"
    again.close()


async def test_a_reinspection_shows_last_time_facts_and_enters_them_only_when_confirmed(repo):
    first = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], DAY)
    first.set_fact("org_type", "党总支", "张三")
    first.set_fact("full_members", "86", "张三")
    first.set_fact("multi_grid", "否", "张三")
    app, second_id = reinspection_of(repo, first)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await last_time_read(pilot)
        assert screen.query_one("FactsPanel").previous
        status = screen.query_one("StatusBar").score_text
        assert "0/12" in status and "暂定" in status  # nothing scored from last time's facts
        await pilot.press("f")  # the facts pane, its first field (org_type) focused
        await form_built(pilot, screen)
        line = str(screen.query_one("#previous-org_type").render())
        assert "上次(2024-06-01): 党总支" in line and "Ctrl+Y" in line
        assert "上次未填" in str(screen.query_one("#previous-households").render())
        await pilot.press("ctrl+y")  # this one as last time
        await pilot.pause()
        assert screen.opened.session.facts == {"org_type": "党总支"}
        assert "与上次相同" in str(screen.query_one("#previous-org_type").render())
        await pilot.press("ctrl+t")  # every blank one as last time
        await pilot.pause()
        assert set(screen.opened.session.facts) == {"org_type", "full_members", "multi_grid"}
        assert screen.result.items["org.basic.multi_grid"].state is State.FAIL
        await pilot.press("escape", "u")  # undone one fact at a time, like any fact edit
        await pilot.pause()
        assert len(screen.opened.session.facts) == 2
    again = repo.open(second_id, write=False)
    assert "fact:org_type" in [e.field for e in again.audit()]
    again.close()


async def test_footer_shows_the_keys_of_the_moment_and_a_click_presses_one(repo):
    """The footer is one line drawn from the active bindings: the note editor's keys while typing,
    the marking keys again after Esc, the palette key on the right; clicking a key presses it."""
    from inspect_tui.app.widgets.key_footer import KeyFooter

    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        before = footer.keys
        line = footer.render().plain
        assert line.startswith(" y 符合  n 不符合  a 不适用") and line.rstrip().endswith("^p 命令")
        assert len(line) <= 80 and rendered(footer.render()).count("\n") == 1  # one line, cut to fit
        await pilot.press("f", "escape")  # the facts tab and back: the same keys
        await pilot.pause()
        assert footer.keys == before
        await pilot.press("e")  # in the note editor letters type: the marking keys are not offered
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        assert "符合" not in [k.description for k in footer.keys] and footer.keys != before
        await pilot.press("escape")
        await pilot.pause()
        assert footer.keys == before
        item = screen.last_item
        x = next(start for start, _end, shown in footer._spans if shown.description == "不符合")
        await pilot.click(KeyFooter, offset=(x + 1, 0))  # n 不符合, by mouse
        await saved(pilot, screen)
        assert screen.opened.session.answers[item].state == State.FAIL


async def test_the_facts_pane_by_key_and_by_click(repo):
    from inspect_tui.app.widgets.pane_tabs import PaneTabs

    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        tabs = screen.query_one(PaneTabs)
        assert screen.pane == "answer" and tabs.active == "answer"
        assert tabs.render().plain.startswith(" 检查项   基本情况 ")
        await pilot.press("f")
        await pilot.pause()
        assert screen.pane == "facts" and tabs.active == "facts"
        assert screen.query_one("#facts").display and not screen.query_one("#answer").display
        await pilot.press("escape")  # out of the form: the tree, and the item beside it again
        await pilot.pause()
        assert screen.pane == "answer" and isinstance(app.focused, ItemTree)
        facts_x = next(start for start, _end, pane in tabs._spans if pane == "facts")
        await pilot.click(PaneTabs, offset=(facts_x + 2, 0))  # + the padding
        await pilot.pause()
        assert screen.pane == "facts"
        answer_x = next(start for start, _end, pane in tabs._spans if pane == "answer")
        await pilot.click(PaneTabs, offset=(answer_x + 2, 0))
        await pilot.pause()
        assert screen.pane == "answer"
        await pilot.press("e")  # a note always shows the item's pane
        assert screen.pane == "answer"


async def test_y_y_n_and_a_note_land_on_the_items_under_the_cursor_past_computed_ones(repo):
    """The rhythm y y n + note over a stretch with computed items: every answer lands on the item that
    was under the cursor when its key was pressed, the move past a computed item is said, and a key
    on a computed item explains it instead of marking anything."""
    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        tree = screen.query_one(ItemTree)
        await pilot.pause()
        under_cursor = []
        for key in ("y", "y", "n"):
            under_cursor.append((tree.current_id, key))
            await pilot.press(key)
        await pilot.press("e", *"党小组未按楼栋划分", "escape")
        answers = screen.opened.session.answers
        assert under_cursor == [("org.basic.grid_split", "y"), ("org.basic.grid_branch", "y"),
                                ("org.groups.principle", "n")]
        assert answers["org.basic.grid_split"].state is State.PASS
        assert answers["org.basic.grid_branch"].state is State.PASS
        assert answers["org.groups.principle"].state is State.FAIL
        assert answers["org.groups.principle"].note == "党小组未按楼栋划分"
        assert set(answers) == {"org.basic.grid_split", "org.basic.grid_branch", "org.groups.principle"}
        said = [n.message for n in app._notifications]
        assert any("已跳过 1 项由基本情况自动判定" in m for m in said)  # 多网融合 was passed over
        await pilot.press("j")  # 党小组 size: computed
        assert tree.current_id == "org.groups.size"
        await pilot.press("y")
        assert "org.groups.size" not in screen.opened.session.answers
        assert tree.current_id == "org.groups.size"  # it did not move either
        assert any("本项由基本情况自动判定" in n.message for n in app._notifications)
        await saved(pilot, screen)


async def test_a_mark_on_an_item_waiting_for_facts_is_kept_and_said_to_wait(repo):
    """屯级: 党员帮教 applies only with weak members; with that blank the mark is kept, the item stays
    待定, and the inspector is told which fact it waits for."""
    sid = new_session(repo, "tunji")
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.go_to("sys.meetings.help")
        await pilot.pause()
        await pilot.press("y")
        assert screen.opened.session.answers["sys.meetings.help"].state is State.PASS
        assert screen.result.items["sys.meetings.help"].state is None
        assert any("待定" in n.message and "基本合格" in n.message for n in app._notifications)
        await saved(pilot, screen)



async def test_opened_straight_on_a_session_esc_leads_home(repo):
    """`inspect-tui open ID` builds no home screen beneath the inspection's first frame; leaving
    the inspection (Esc on the tree) brings it up then, listing the session, the lock released."""
    from inspect_tui.app.screens.home import HomeScreen

    sid = new_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, InspectionScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded_once, "the home screen loaded")
        assert isinstance(app.screen, HomeScreen) and app.screen.loaded_once
        assert not any(isinstance(s, InspectionScreen) for s in app.screen_stack)
        assert not repo.lock_path(sid).exists()  # the inspection was closed on the way out
        assert app.is_running  # Esc left the inspection, not the app
