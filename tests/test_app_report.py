"""The report (统计) and comparison (复查对比) screens, driven from the home screen over the samples."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import DataTable

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.compare import CompareScreen
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.core.session.earlier import earlier_inspection
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.report import ReportScreen
from inspect_tui.app.widgets.bar_chart import Bar, BarChart, bar_cells, chart_lines
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO, owner_only
from .pilot import notified, until

FIRST, REINSPECTION, SECOND_GRID, HEPING, JIGUAN = "c567b521c9b4", "e2e78c3278d4", "284c1ec1d56e", "2ce852b4d1df", "5c8e8150773a"


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    shutil.copytree(REPO / "sessions", tmp_path / "sessions")
    owner_only(tmp_path / "sessions")
    return SessionRepository(tmp_path / "sessions")




async def home_ready(pilot) -> HomeScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
    return pilot.app.screen


async def open_report(pilot) -> ReportScreen:
    """g on the home screen, once the list is read; the report once it is rolled up."""
    await home_ready(pilot)
    await pilot.press("g")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen) and pilot.app.screen.rollup is not None)
    return pilot.app.screen


async def select(pilot, home: HomeScreen, session_id: str) -> None:
    home.query_one("#sessions", DataTable).move_cursor(row=[s.id for s in home.shown].index(session_id), animate=False)
    await pilot.pause()


def printed(renderable) -> str:
    console = Console(width=120, file=StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


# -- the chart ----------------------------------------------------------------------------------


def test_bars_are_proportional_and_never_invisible():
    assert bar_cells(4, 4, 10) == "█" * 10
    assert bar_cells(2, 4, 10) == "█" * 5
    assert bar_cells(1, 4, 10) == "██▌"  # 2.5 cells: two full and a half
    assert bar_cells(0.01, 4, 10) == "▏"  # a small loss still shows
    assert bar_cells(0, 4, 10) == "" and bar_cells(3, 0, 10) == ""


def test_chinese_labels_line_up_and_are_cut_to_fit():
    bars = [Bar("组织设置规范", 2, "2"), Bar("队伍建设规范与网格队伍建设", 4, "4"), Bar("Team", 1, "1")]
    for width in (80, 40):
        lines = chart_lines(bars, width).plain.splitlines()
        columns = {cell_len(line[:line.index("│")]) for line in lines}
        assert len(columns) == 1  # every bar starts in the same cell, whatever the script of its label
        assert all(cell_len(line) <= width for line in lines)
    narrow = chart_lines(bars, 40).plain.splitlines()
    assert "…" in narrow[1] and narrow[0].startswith("组织设置规范")
    assert narrow[1].rstrip().endswith("█ 4") and narrow[0].count("█") * 2 == narrow[1].count("█")


# -- the report screen ----------------------------------------------------------------------------


async def test_report_ranks_the_branches_and_charts_the_points_lost(repo):
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot)
        assert screen.group.checklist_id == "shequ"  # the standard with the most branches first
        chart = screen.query_one(BarChart)
        assert [(b.label, b.value) for b in chart.bars] == [("组织设置规范", 2.0), ("队伍建设规范", 4.0)]
        assert chart.title == "各大项平均扣分"
        table = screen.query_one("#report-ranking", DataTable)
        order = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
        assert order == [REINSPECTION, HEPING, SECOND_GRID]
        assert [str(table.get_cell_at((row, 2))) for row in range(3)] == ["26/28", "24/28", "16/28"]
        assert str(table.get_cell_at((0, len(table.columns) - 1))) == "+6"  # 20 → 26 since June
        failed = printed(screen.query_one("#report-failed").content)
        assert "①党组织类型·网格层面:网格党支部设置" in failed and "2/3" in failed
        trends = printed(screen.query_one("#report-trends").content)
        assert "幸福社区第一网格党支部(幸福社区党委)" in trends and "2026-06-15 20 → 2026-11-20 26" in trends and "+6" in trends

        await pilot.press("t")  # the other standard: 机关, unscored
        assert screen.group.checklist_id == "jiguan"
        assert chart.title == "各大项平均不符合项数"
        assert table.row_count == 1  # half done: listed unranked, its score 暂定 and never a percentage
        assert [str(table.get_cell_at((0, col))) for col in (0, 2)] == ["未完成", "暂定 符合 10/81 项"]
        await pilot.press("t")
        assert screen.group.checklist_id == "shequ"

        table.move_cursor(row=2)
        await pilot.press("enter")  # the third branch's inspection opens
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert app.screen.opened.session.id == SECOND_GRID


async def test_report_with_nothing_stored_says_so(tmp_path):
    app = InspectApp(repo=SessionRepository(tmp_path / "empty"), inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("g")  # nothing to report on: the key does nothing on an empty list
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(ReportScreen())
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.rollup is not None)
        assert "还没有检查记录可以统计" in str(app.screen.query_one("#report-head").render())
        await pilot.press("enter", "t")  # nothing to open, no other standard: no error
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


# -- the comparison screen ------------------------------------------------------------------------


async def test_comparison_of_a_reinspection_with_the_one_it_follows(repo):
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        home = await home_ready(pilot)
        await select(pilot, home, REINSPECTION)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        c = app.screen.comparison
        assert (c.old.header.id, c.new.header.id, c.delta) == (FIRST, REINSPECTION, 6)
        assert c.linked
        head = str(app.screen.query_one("#compare-head").render())
        assert "得分变化: +6 分" in head and "已整改 2" in head and "仍不符合 1" in head
        text = printed(app.screen.query_one("#compare-items").content)
        assert "已整改 (2)" in text and "仍不符合 (1)" in text
        assert "仍为联合组建" in text  # this time's note beside last time's
        await pilot.press("escape")
        assert app.screen is home


async def test_comparison_needs_an_earlier_inspection(repo):
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        home = await home_ready(pilot)
        await select(pilot, home, SECOND_GRID)
        await pilot.press("c")
        await notified(pilot, "没有更早的检查")
        assert app.screen is home


async def test_comparison_finds_the_branchs_last_inspection_without_a_link(repo):
    """A second inspection started with n (not r): it is still compared with the branch's last one."""
    opened = repo.create(catalog.find("shequ"), "和平社区第一网格党支部", "和平社区党委", ["张三"], dt.date(2026, 12, 20))
    opened.set_answer("org.basic.grid_branch", "张三", state=State.PASS)
    opened.close()
    summaries = repo.list()
    new = next(s for s in summaries if s.id == opened.session.id)
    assert earlier_inspection(new, summaries) == HEPING
    assert earlier_inspection(next(s for s in summaries if s.id == HEPING), summaries) == ""
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        home = await home_ready(pilot)
        await select(pilot, home, opened.session.id)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        c = app.screen.comparison
        assert (c.old.header.id, c.new.header.id, c.linked) == (HEPING, opened.session.id, False)
        assert [i.id for i in c.of("fixed")] == ["org.basic.grid_branch"]


# -- the summary's self-assessment ------------------------------------------------------------------


async def test_summary_shows_the_self_assessment_beside_the_inspection(repo, tmp_path, monkeypatch):
    from inspect_tui.app.screens.summary import SummaryScreen
    from inspect_tui.core.session import selfcheck_file

    own = tmp_path / "自查.yaml"
    own.write_text(
        "answers:\n"
        "  org.basic.grid_branch: {state: pass, note: 我们认为联合组建符合要求}\n"
        "  team.grid: pass\n", encoding="utf-8")
    with repo.open(FIRST, write=False) as opened:
        selfcheck_file.attach(repo, opened.session, own, "张三")
    app = InspectApp(repo=repo, session_id=FIRST, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen) and app.screen.selfcheck is not None)
        await pilot.pause()
        block = app.screen.query_one("#summary-selfcheck")
        assert block.display
        text = printed(block.content)
        assert "自查与检查对照" in text and "自查.yaml" in text
        assert "20 / 28" in text  # the inspection's score beside the branch's own
        assert "自查符合,检查不符合" in text and "①党组织类型·网格层面:网格党支部设置" in text
        # and the summary it exports carries it too
        out = tmp_path / "out"
        out.mkdir()
        monkeypatch.setenv("INSPECT_TUI_EXPORTS", str(out))
        app.screen.export("md", "summary")
        await until(pilot, lambda: any(p.suffix == ".md" and not p.name.startswith(".") for p in out.iterdir()))
        (written,) = [p for p in out.iterdir() if p.suffix == ".md" and not p.name.startswith(".")]
        assert "自查与检查对照" in written.read_text(encoding="utf-8")

    # without one, the block is not shown; a damaged one is said in one line, not a crash
    (repo.folder / f"{FIRST}.selfcheck.json").write_text("{garbage", encoding="utf-8")
    app = InspectApp(repo=repo, session_id=FIRST, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await pilot.press("s")
        await until(pilot, lambda: any("自查结果无法读取" in n.message for n in app._notifications))
        assert not app.screen.query_one("#summary-selfcheck").display


async def test_report_filters_by_unit_and_date_as_the_command_does(repo):
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot)
        table = screen.query_one("#report-ranking", DataTable)

        async def apply(text: str) -> None:
            await pilot.press("slash")
            box = screen.query_one("#report-filter")
            box.value = text
            await pilot.press("enter")
            await until(pilot, lambda: screen.rollup is not None)

        await apply("和平社区党委")
        assert (screen.unit, screen.since) == ("和平社区党委", None)
        assert [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)] == [HEPING]
        assert "所属单位 和平社区党委" in str(screen.query_one("#report-head").render())
        await pilot.press("escape")  # clears the filter, stays on the report
        await until(pilot, lambda: screen.rollup is not None and table.row_count == 3)
        assert isinstance(app.screen, ReportScreen) and screen.unit is None

        await apply("2026-11-21")
        assert screen.since == dt.date(2026, 11, 21)
        assert {table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)} == {HEPING, SECOND_GRID}
        await apply("2026-13-40")  # not a date: said, the filter kept
        assert any("日期无效" in n.message for n in app._notifications) and screen.since == dt.date(2026, 11, 21)
        await pilot.press("escape")  # out of the box and the filter cleared at once
        await until(pilot, lambda: screen.rollup is not None and table.row_count == 3)

        await apply("没有这个单位")
        assert "没有符合筛选条件的检查记录" in str(screen.query_one("#report-head").render())
        await pilot.press("escape")
        await until(pilot, lambda: screen.rollup is not None and table.row_count == 3)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_reinspection_in_progress_compares_with_last_time_from_the_palette(repo):
    """Half-way through a re-inspection: the palette's 对比上次检查 shows what is fixed so far."""
    from inspect_tui.app.commands import InspectCommands

    second = repo.reinspect(HEPING, catalog.find("shequ"), ["张三"], dt.date(2026, 12, 20))
    second.set_answer("org.basic.grid_branch", "张三", state=State.PASS, note="已单独组建")
    second.close()
    app = InspectApp(repo=repo, session_id=second.session.id, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen) and app.screen.previous_session is not None)
        screen = app.screen
        commands = dict(InspectCommands.commands(type("P", (), {"app": app, "screen": screen})()))
        commands["对比上次检查(复查对比)"]()
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        c = app.screen.comparison
        assert (c.old.header.id, c.new.header.id) == (HEPING, second.session.id)
        assert [i.id for i in c.of("fixed")] == ["org.basic.grid_branch"]
        assert c.counts["not_checked"] > 0  # the rest is still to do
        await pilot.press("escape")
        assert app.screen is screen


async def test_a_damaged_session_file_is_left_out_of_the_report_and_said(repo):
    (repo.folder / "0123456789ab.json").write_text('{"meta": {"1": {"id": "0123456789ab"', encoding="utf-8")
    app = InspectApp(repo=repo, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_report(pilot)
        assert any("未计入统计" in (n.title or "") for n in app._notifications)
        assert screen.group.branches == 3  # the readable ones are all there
