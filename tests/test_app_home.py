"""Pilot: the home screen (the list of inspections) and the new-inspection dialog, driven by keys."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens.dialogs import ConfirmDialog
from inspect_tui.app.screens.home import HomeScreen
from inspect_tui.app.widgets.sessions_table import grade_text, plan_columns, progress_text, score_text
from inspect_tui.app.screens.new_session import NewSessionDialog, parse_date, split_names
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.session.model import Summary
from inspect_tui.i18n import set_lang

from .conftest import REPO
from .pilot import notified, until

try:  # the inspection screen is written alongside; until it imports, its pushes are recorded only
    from inspect_tui.app.screens import inspection as _inspection  # noqa: F401

    HAVE_INSPECTION = True
except ImportError:
    HAVE_INSPECTION = False

FINISHED_ID = "c567b521c9b4"  # 幸福社区第一网格党支部, shequ, 20/28, finished
HALF_DONE_ID = "5c8e8150773a"  # 县财政局机关第二党支部, jiguan, 13/81, the most recent change




def home_of(app: InspectApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen), screen
    return screen


async def loaded(pilot: Pilot[Any]) -> HomeScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loaded_once)
    return home_of(pilot.app)  # type: ignore[arg-type]


def text_of(app: InspectApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def row_texts(screen: HomeScreen) -> list[list[str]]:
    table = screen.query_one("#sessions", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def notifications(app: InspectApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


@pytest.fixture
def samples(tmp_path: Path) -> SessionRepository:
    """The two first samples (a finished 城市社区 and a half-done 机关 inspection): the list's tests
    are about two sessions of different standards; the others serve the report and comparison."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    for session_id in (FINISHED_ID, HALF_DONE_ID):
        shutil.copy2(REPO / "sessions" / f"{session_id}.json", folder)
    return SessionRepository(folder)


def watch_pushes(app: InspectApp, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every session the home screen hands to the inspection screen."""
    pushed: list[Any] = []
    real = app.push_inspection

    def push(opened: Any) -> None:
        pushed.append(opened)
        if HAVE_INSPECTION:
            real(opened)
        else:
            opened.close()

    monkeypatch.setattr(app, "push_inspection", push)
    return pushed


# -- the list -----------------------------------------------------------------------------------------


async def test_first_time_shows_how_to_begin_and_the_folder(tmp_path: Path) -> None:
    repo = SessionRepository(tmp_path / "sessions")
    app = InspectApp(repo=repo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.query_one("#home-empty").display
        assert not screen.query_one("#sessions").display
        empty = text_of(app, "#home-empty")
        assert "按 n 新建检查" in empty
        assert "inspect-tui view jiguan" in empty
        assert str(repo.folder) in empty
        assert str(repo.folder) in text_of(app, "#home-folder")


async def test_sessions_most_recent_first_with_progress_and_score(samples: SessionRepository) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert [s.id for s in screen.shown] == [HALF_DONE_ID, FINISHED_ID]
        rows = row_texts(screen)
        half, finished = rows
        # at 80 columns the branch name gives way to "暂定 符合 0/81 项" (the line under the table has it whole)
        assert half[0].startswith("县财政局机关") and finished[0].startswith("幸福社区第一网")
        assert "13/81 16%" in half and "进行中" in half
        assert any(cell.startswith("暂定 符合 ") and cell.endswith("/81 项") for cell in half)
        assert not any("%" in cell for cell in half if "符合" in cell)  # never a pass rate as the score
        assert "12/12 100%" in finished and "20/28" in finished and "已完成" in finished
        assert "2026-06-15" in finished
        assert "共 2 条" in text_of(app, "#home-status")
        assert "县财政局机关党委" in text_of(app, "#home-detail")


async def test_the_list_is_read_in_the_background(samples: SessionRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    real = samples.listed

    def slow_disk() -> list:
        gate.wait(10)
        return real()

    monkeypatch.setattr(samples, "listed", slow_disk)
    app = InspectApp(repo=samples)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            assert "正在读取检查记录" in text_of(app, "#home-status")  # the screen is up, the disk is not
            gate.set()
            screen = await loaded(pilot)
            assert len(screen.shown) == 2 and "共 2 条" in text_of(app, "#home-status")
    finally:
        gate.set()


async def test_filter_narrows_by_chinese_text_and_escape_clears(samples: SessionRepository) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"财政")
        await until(pilot, lambda: len(screen.shown) == 1)
        assert screen.shown[0].id == HALF_DONE_ID
        assert screen.query_one("#sessions", DataTable).row_count == 1
        await pilot.press("enter")  # back to the list, the filter kept
        assert isinstance(app.focused, DataTable) and len(screen.shown) == 1
        await pilot.press("escape")
        assert len(screen.shown) == 2 and not screen.query_one("#home-filter").display
        await pilot.press("slash", *"没有这个支部")
        assert screen.shown == [] and "没有符合" in text_of(app, "#home-status")
        await pilot.press("escape")
        assert len(screen.shown) == 2 and isinstance(app.focused, DataTable)


async def test_enter_opens_the_highlighted_session(samples: SessionRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    app = InspectApp(repo=samples)
    opened: list[str] = []
    real = app.open_session

    def open_session(name: str, replace_home: bool = False) -> bool:
        opened.append(name)
        return real(name, replace_home) if HAVE_INSPECTION else True

    monkeypatch.setattr(app, "open_session", open_session)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "enter")
        assert opened == [FINISHED_ID]
        if HAVE_INSPECTION:
            await until(pilot, lambda: type(app.screen).__name__ == "InspectionScreen")


async def test_returning_to_the_list_reloads_it(samples: SessionRepository, tmp_path: Path) -> None:
    from inspect_tui.core.checklist import catalog

    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await app.push_screen(ConfirmDialog("?"))
        samples.create(catalog.find("wuge"), "新来的党支部").close()
        await pilot.press("escape")
        await until(pilot, lambda: len(screen.shown) == 3)
        assert screen.shown[0].header.branch == "新来的党支部"


async def test_a_damaged_file_is_reported(samples: SessionRepository) -> None:
    (samples.folder / "0123456789ab.json").write_text('{"meta": nonsense', encoding="utf-8")
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert len(screen.shown) == 2
        await notified(pilot, "0123456789ab")
        assert "1 个文件已隔离" in text_of(app, "#home-status")


# -- delete and re-inspect ---------------------------------------------------------------------------


async def test_delete_moves_the_session_to_the_trash(samples: SessionRepository) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")  # declined: nothing happens
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert samples.trashed() == []
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: [s.id for s in screen.shown] == [HALF_DONE_ID])
        assert samples.trashed() == [FINISHED_ID]
        assert [s.id for s in samples.list()] == [HALF_DONE_ID]
        assert any("trash" in n and FINISHED_ID in n for n in notifications(app))


async def test_reinspect_starts_a_new_session_for_the_same_branch(
    samples: SessionRepository, monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = InspectApp(repo=samples, inspector="赵六")
    pushed = watch_pushes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: len(pushed) == 1)
        new = pushed[0].session
        assert new.previous == FINISHED_ID
        assert new.branch.name == "幸福社区第一网格党支部" and new.branch.unit == "幸福社区党委"
        assert new.checklist_id == "shequ" and new.inspectors == ["赵六"]
        assert any("上次 2026-06-15: 20/28" in n for n in notifications(app))
        assert len(samples.list()) == 3


# -- the new-inspection dialog ----------------------------------------------------------------------


async def open_dialog(pilot: Pilot[Any]) -> NewSessionDialog:
    await loaded(pilot)
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, NewSessionDialog) and pilot.app.screen.entries)
    return pilot.app.screen  # type: ignore[return-value]


async def test_new_inspection_typed_in_chinese(samples: SessionRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    app = InspectApp(repo=samples, inspector="王五")
    pushed = watch_pushes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        # the standard of the most recent session is chosen already; the cursor waits on the branch
        select = dialog.query_one("#new-checklist", Select)
        assert dialog.selected() is not None and dialog.selected().id == "jiguan"
        assert app.focused is dialog.query_one("#new-branch")
        assert dialog.query_one("#new-inspectors", Input).value == "王五"
        await pilot.press(*"财政局机关第三党支部", "enter")
        await pilot.press(*"县财政局机关党委", "enter")
        await pilot.press(*"王五")  # the old value is selected on focus: typing replaces it
        # Pilot cannot press "、" (it drops CJK punctuation); a terminal delivers an IME's text as a paste
        app.focused.post_message(events.Paste("、赵六"))
        await until(pilot, lambda: dialog.query_one("#new-inspectors", Input).value == "王五、赵六")
        await pilot.press("enter")
        await pilot.press(*"2026-06-20", "enter")
        await pilot.press(*"三楼会议室", "enter")  # Enter on the last field starts the inspection
        await until(pilot, lambda: len(pushed) == 1)
        assert not isinstance(app.screen, NewSessionDialog)
        assert select.value is not Select.NULL
        created = [s for s in samples.list() if s.header.branch == "财政局机关第三党支部"]
        assert len(created) == 1
        summary = created[0]
        assert summary.header.unit == "县财政局机关党委" and summary.header.checklist_id == "jiguan"
        assert summary.header.inspectors == ("王五", "赵六") and summary.header.date == "2026-06-20"
        assert pushed[0].session.id == summary.id and pushed[0].session.place == "三楼会议室"


async def test_new_inspection_choosing_the_checklist_by_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = SessionRepository(tmp_path / "sessions")
    app = InspectApp(repo=repo)
    pushed = watch_pushes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.selected() is None  # nothing to guess from: the inspector chooses
        await pilot.press("ctrl+s")
        assert "请选择检查表" in text_of(app, "#new-checklist-error")
        assert app.focused is dialog.query_one("#new-checklist")
        ids = [e.checklist.id for e in dialog.entries]
        await pilot.press("enter")  # opens the list; the blank prompt is first
        await pilot.press(*["down"] * (ids.index("shequ") + 1), "enter")
        await until(pilot, lambda: dialog.selected() is not None)
        assert dialog.selected().id == "shequ"
        assert app.focused is dialog.query_one("#new-branch")
        await pilot.press(*"幸福社区第二网格党支部", "ctrl+s")
        await until(pilot, lambda: len(pushed) == 1)
        assert [(s.header.branch, s.header.checklist_id) for s in repo.list()] == [("幸福社区第二网格党支部", "shequ")]


async def test_a_bad_date_is_shown_beside_the_field_and_nothing_is_created(samples: SessionRepository) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"测试党支部", "enter", "enter", "enter")
        assert app.focused is dialog.query_one("#new-date")
        await pilot.press(*"2026-02-30", "ctrl+s")
        assert "没有这一天" in text_of(app, "#new-date-error")
        assert app.focused is dialog.query_one("#new-date")
        await pilot.press("ctrl+u", *"2026/06/20", "ctrl+s")
        assert "YYYY-MM-DD" in text_of(app, "#new-date-error")
        assert isinstance(app.screen, NewSessionDialog)
        assert len(samples.list()) == 2


async def test_an_empty_branch_name_is_refused(samples: SessionRepository) -> None:
    app = InspectApp(repo=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press(*"   ", "ctrl+s")
        assert "请填写支部名称" in text_of(app, "#new-branch-error")
        assert app.focused is dialog.query_one("#new-branch")
        assert text_of(app, "#new-date-error") == ""
        await pilot.press("escape")  # cancel: back home, nothing made
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(samples.list()) == 2


# -- the pieces --------------------------------------------------------------------------------------


def _summary(**changes: Any) -> Summary:
    fields: dict[str, Any] = dict(
        id="0" * 12, branch="幸福社区第一网格党支部", unit="幸福社区党委", checklist_id="shequ",
        checklist_title="城市社区党支部标准化规范化建设达标评价标准", checklist_version="1.0",
        date="2026-06-15", status="finished", updated="2026-06-15T10:00:00+08:00",
        answered=12, leaves=12, total=20.0, max=28.0, percent=71.43, scored=True,
    )
    fields.update(changes)
    return Summary.from_json(fields)


def test_row_texts() -> None:
    assert progress_text(_summary(answered=8, leaves=12)) == "8/12 67%"  # as the inspection screen says
    assert progress_text(_summary(answered=80, leaves=81)) == "80/81 99%"  # 100% only when done
    assert score_text(_summary()) == "20/28"
    assert score_text(_summary(total=19.5)) == "19.5/28"
    # an unscored standard: items passed of applicable (total/max), never a percentage
    assert score_text(_summary(scored=False, total=10.0, max=81.0, percent=12.35)) == "符合 10/81 项"
    # unfinished: 暂定, and in full the points still open (none known in a summary from before)
    half = _summary(answered=8, total=26.0, open_points=12.0, grade="良好")
    assert score_text(half) == "暂定 26/28"
    assert score_text(half, full=True) == "暂定 26/28 良好,另有 12 分未检查"
    assert grade_text(half) == "良好(暂定)" and grade_text(_summary(grade="良好")) == "良好"
    assert score_text(_summary(answered=8)) == "暂定 20/28"


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_columns_fit_and_keep_long_branch_names(width: int) -> None:
    rows = [_summary(branch="某某县某某镇某某村第一党支部", grade="优秀"), _summary()]  # 14 characters
    columns = plan_columns(width, rows)
    keys = [c.key for c in columns]
    assert sum(c.width + 2 for c in columns) <= width - 2
    assert {"branch", "date", "progress", "score", "status"} <= set(keys)
    assert columns[0].key == "branch" and columns[0].width == 28
    if width >= 120:
        assert "unit" in keys and "checklist" in keys and "grade" in keys


def test_english_columns_keep_the_branch_at_80() -> None:
    try:
        set_lang("en")
        columns = plan_columns(80, [_summary(branch="县财政局机关第二党支部", status="in_progress")])
    finally:
        set_lang("zh")
    assert columns[0].width == 22 and sum(c.width + 2 for c in columns) <= 78


def test_dialog_parsing() -> None:
    import datetime as dt

    assert split_names("张三、李四, 王五，赵六,张三") == ["张三", "李四", "王五", "赵六"]
    assert split_names(" ") == []
    assert parse_date(" 2026-06-20 ", dt.date(2026, 1, 1)) == dt.date(2026, 6, 20)
    for bad in ("2026-02-30", "20260620", "2026-6-20", ""):
        with pytest.raises(ValueError):
            parse_date(bad, dt.date(2026, 1, 1))


async def test_a_long_list_comes_in_chunks_and_the_cursor_finds_its_session(tmp_path: Path) -> None:
    """450 sessions: the first rows are shown at once, the rest follow after the first frames,
    and a session far down the list gets the cursor back when the home screen is refreshed."""
    import json
    import os

    from inspect_tui.app.widgets.sessions_table import FIRST_ROWS

    folder = tmp_path / "many"
    folder.mkdir()
    data = json.loads((REPO / "sessions" / f"{FINISHED_ID}.json").read_text(encoding="utf-8"))
    for n in range(450):
        meta = data["meta"]["1"]
        new_id = f"{n:012x}"
        meta["id"] = meta["summary"]["id"] = new_id
        meta["branch"] = meta["summary"]["branch"] = f"第{n}党支部"
        meta["updated"] = meta["summary"]["updated"] = f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00"
        (folder / f"{new_id}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.chmod(folder / f"{new_id}.json", 0o600)
    app = InspectApp(repo=SessionRepository(folder), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert FIRST_ROWS <= table.row_count
        await until(pilot, lambda: table.row_count == 450)
        assert [table.coordinate_to_cell_key((r, 0)).row_key.value for r in (0, 449)] == [f"{449:012x}", f"{0:012x}"]
        deep = f"{10:012x}"  # the 440th row: in the last chunk
        table.move_cursor(row=439, animate=False)
        await pilot.pause()
        assert screen.current().id == deep
        screen.refresh_table()  # as when the list is read again
        await until(pilot, lambda: table.row_count == 450 and table.cursor_row == 439)
        assert screen.current().id == deep


async def test_dialog_enter_follows_the_hint_and_names_are_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter on the chosen checklist moves to the branch (the name typed next lands there, not in
    所属单位); real standards come before the format demonstration; the inspectors' names of the
    last inspection are offered next time (from the user config), never the login name."""
    monkeypatch.delenv("INSPECT_TUI_INSPECTOR", raising=False)
    repo = SessionRepository(tmp_path / "sessions")
    app = InspectApp(repo=repo)
    pushed = watch_pushes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        ids = [e.checklist.id for e in dialog.entries]
        assert ids[-1] == "example" and "example" not in ids[:-1]
        assert dialog.query_one("#new-inspectors", Input).value == ""  # not the login name
        await pilot.press("enter", "down", "enter")  # open the list, take the first standard
        await until(pilot, lambda: dialog.selected() is not None)
        first = dialog.selected().id
        dialog.query_one("#new-checklist").focus()
        await pilot.press("enter", *"幸福社区第三网格党支部")  # Enter on a chosen value: next field
        assert dialog.query_one("#new-branch", Input).value == "幸福社区第三网格党支部"
        assert dialog.query_one("#new-unit", Input).value == ""
        dialog.query_one("#new-inspectors", Input).value = "张三、李四"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(pushed) == 1)
    assert [s.header.checklist_id for s in repo.list()] == [first]
    app = InspectApp(repo=repo)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#new-inspectors", Input).value == "张三、李四"
