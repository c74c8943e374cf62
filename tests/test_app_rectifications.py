"""Pilot: the rectification screen (z) and attaching evidence (p, P) on the inspection screen.

A 城市社区 inspection with two failed items; `today` of the screen is fixed so 逾期 does not age.
What the screen says is checked against what a second reader finds in the session file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from inspect_tui.app import opener
from inspect_tui.app.app import InspectApp
from inspect_tui.app.screens import rectifications
from inspect_tui.app.screens.inspection import InspectionScreen
from inspect_tui.app.screens.rect_dialogs import FormDialog, PickDialog
from inspect_tui.app.screens.rectifications import RectificationScreen, deadline_request
from inspect_tui.app.widgets.answer_panel import AnswerPanel
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session import rectification as rect
from inspect_tui.core.session.attaching import store_of
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import lang, set_lang

from .pilot import notified, saved, settled, until

DAY = dt.date(2026, 6, 15)
TODAY = dt.date(2026, 7, 20)  # five days past the default deadline (the notice + 30 days)
HAND = "org.basic.grid_split"
OTHER = "org.basic.grid_branch"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SessionRepository:
    monkeypatch.setattr(rectifications, "today", lambda: TODAY)
    return SessionRepository(tmp_path / "sessions")


@pytest.fixture
def english():
    before = lang()
    set_lang("en")
    yield
    set_lang(before)


def failed_session(repo: SessionRepository, finished: bool = False) -> str:
    with repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区党委", ["张三", "李四"], DAY) as opened:
        opened.set_answer(HAND, "张三", state=State.FAIL, note="网格与楼栋不对应")
        opened.set_answer(OTHER, "张三", state=State.FAIL, note="两网格联合组建")
        opened.set_position(HAND)
        if finished:
            opened.finish("张三", force=True)
        return opened.session.id


def stored(repo: SessionRepository, sid: str, item: str = HAND) -> rect.Entry:
    """The entry as a second reader finds it on disk."""
    opened = repo.open(sid, write=False)
    try:
        return opened.session.rectifications.get(item, rect.Entry())
    finally:
        opened.close()


async def on_rectifications(pilot) -> RectificationScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, InspectionScreen))
    await settled(pilot)
    await pilot.press("z")
    await until(pilot, lambda: isinstance(pilot.app.screen, RectificationScreen))
    await settled(pilot)
    return pilot.app.screen


async def fill(pilot, *values: str) -> FormDialog:
    """Type each value into the dialog's inputs in turn (replacing what is there), Enter after each."""
    await until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
    dialog = pilot.app.screen
    dialog.query(Input).first().focus()  # after a refusal the focus is on the last field
    await pilot.pause()
    for value in values:
        field = dialog.focused
        assert isinstance(field, Input)
        field.value = ""
        await pilot.press(*value) if value else None
        await pilot.press("enter")
    await settled(pilot)
    return dialog


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def row_of(screen: RectificationScreen, item: str) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(cell) for cell in table.get_row(item)]


@pytest.mark.slow
async def test_person_deadline_report_close_reopen_back(repo):
    sid = failed_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        inspection = app.screen
        screen = await on_rectifications(pilot)
        assert [r.item for r in screen.rows] == [HAND, OTHER]
        assert row_of(screen, HAND)[3:] == ["2026-07-15", "待整改·逾期 5 天"]
        assert "共 2 项 · 已销号 0 · 逾期 2" in text_of(screen, "#rect-head")
        assert "网格与楼栋不对应" in text_of(screen, "#rect-detail")

        await pilot.press("p")
        dialog = await fill(pilot, "")  # an empty name: one line, the dialog stays
        assert isinstance(app.screen, FormDialog) and dialog.error == "请填写责任人姓名"
        await fill(pilot, "王书记")
        assert isinstance(app.screen, RectificationScreen)
        await saved(pilot, inspection)
        assert "责任人已登记" in text_of(screen, "#rect-status") and "已保存" in text_of(screen, "#rect-status")
        assert stored(repo, sid).person == "王书记"

        await pilot.press("d")
        dialog = await fill(pilot, "2026-13-01")  # not a real day
        assert dialog.error == "日期应为 20250630 或 2025-06-30 这样的实际日期: 2026-13-01"
        dialog = await fill(pilot, "2026-06-01")  # before the inspection: the core's one line
        assert dialog.error == f"{HAND}: 整改期限 2026-06-01 早于检查日期 2026-06-15"
        await fill(pilot, "20260731")
        assert row_of(screen, HAND)[3:] == ["2026-07-31", "待整改"]  # no longer late
        await pilot.press("d")
        await fill(pilot, "45")  # days from the notice (the inspection date)
        assert row_of(screen, HAND)[3] == "2026-07-30"
        assert "期限已改为 2026-07-30" in text_of(screen, "#rect-status")

        await pilot.press("r")
        dialog = await fill(pilot, "已按楼栋重新划分网格", "2026-07-32")
        assert dialog.error == "日期应为 20250630 或 2025-06-30 这样的实际日期: 2026-07-32"
        await fill(pilot, "已按楼栋重新划分网格", "20260718")
        assert row_of(screen, HAND)[4] == "已报整改"
        assert "已按楼栋重新划分网格" in text_of(screen, "#rect-detail")

        await pilot.press("o")  # not closed: nothing to reopen, said at once
        await notified(pilot, "尚未销号")
        assert isinstance(app.screen, RectificationScreen)

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, FormDialog))
        assert app.screen.values()["by"] == "张三"  # the session's inspector, by default
        await fill(pilot, "李四", "材料齐全")
        assert row_of(screen, HAND)[4] == "已销号"
        assert "李四 于" in text_of(screen, "#rect-detail") and "材料齐全" in text_of(screen, "#rect-detail")

        await pilot.press("o")
        dialog = await fill(pilot, "")
        assert dialog.error == "请写明重新打开的原因"
        await fill(pilot, "复查发现仍有两栋未对应")
        assert row_of(screen, HAND)[4] == "待整改"  # back to open; the branch's old report stays on record
        await saved(pilot, inspection)
        assert "已保存" in text_of(screen, "#rect-status")

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is inspection)

    entry = stored(repo, sid)
    assert (entry.person, entry.days, entry.deadline, entry.report, entry.report_date) == (
        "王书记", 45, "", "已按楼栋重新划分网格", "2026-07-18")
    assert (entry.status, entry.closed_by, entry.reopen_reason) == (rect.OPEN, "", "复查发现仍有两栋未对应")
    trail = [a.field for a in repo.open(sid, write=False).audit()]
    for field in ("person", "days", "report", "status", "closed_by", "reopen_reason"):
        assert f"rectification.{HAND}.{field}" in trail


async def test_a_read_only_copy_says_why_instead_of_editing(repo):
    sid = failed_session(repo)
    holder = repo.open(sid, owner="李四")
    try:
        app = InspectApp(repo=repo, session_id=sid, inspector="张三")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await on_rectifications(pilot)
            await pilot.press("p")
            await notified(pilot, "李四")
            assert isinstance(app.screen, RectificationScreen)  # no dialog: nothing can be saved here
            assert "只读" in text_of(screen, "#rect-status")
    finally:
        holder.close()


async def test_a_finished_session_still_takes_its_rectifications(repo):
    """The notice is issued on finishing: following it up is what comes after (the core's rule)."""
    sid = failed_session(repo, finished=True)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_rectifications(pilot)
        await pilot.press("p")
        await fill(pilot, "王书记")
        await saved(pilot, app.screen_stack[-2])
        assert row_of(screen, HAND)[2] == "王书记"
    assert stored(repo, sid).person == "王书记"


async def test_english(repo, english):
    sid = failed_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await on_rectifications(pilot)
        assert row_of(screen, HAND)[4] == "open, 5 d overdue"
        await pilot.press("x")
        dialog = await fill(pilot, "", "")
        assert dialog.error == "enter who verified it"


def test_deadline_words():
    assert [deadline_request(x) for x in ("30", "+30", " 20250630 ", "2025-06-30", "6月")] == [
        "+30", "+30", "2025-06-30", "2025-06-30", "6月"]


def png(path: Path, size=(64, 48)) -> Path:
    from PIL import Image

    Image.new("RGB", size, (200, 30, 30)).save(path, format="PNG")
    return path


@pytest.mark.slow
async def test_attach_a_photo_list_it_and_open_it(repo, tmp_path, monkeypatch):
    sid = failed_session(repo)
    photo = png(tmp_path / "现场照片.png")
    opened_paths: list[Path] = []
    monkeypatch.setattr(opener, "open_path", opened_paths.append)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        screen = app.screen
        await settled(pilot)
        await pilot.press("V")
        await notified(pilot, "本项没有附件")

        await pilot.press("v")
        dialog = await fill(pilot, str(tmp_path / "nowhere.png"))
        assert dialog.error == f"{tmp_path / 'nowhere.png'}: 文件不存在"
        (tmp_path / "notes.txt").write_text("plain text")
        dialog = await fill(pilot, str(tmp_path / "notes.txt"))
        assert "不支持的文件类型" in dialog.error
        await fill(pilot, f"'{photo}'")  # dropped on the terminal: quoted
        assert isinstance(app.screen, InspectionScreen)
        await saved(pilot, screen)
        detail = str(screen.query_one(AnswerPanel).query_one("#detail", Static).render())
        assert "附件 (1):" in detail and "现场照片.png  PNG" in detail and "64×48" in detail
        [attachment] = screen.opened.session.attachments[HAND]

        await pilot.press("V")
        await app.workers.wait_for_complete()
        assert opened_paths == [store_of(screen.opened).path(attachment.sha256)]
        assert opened_paths[0].read_bytes() == photo.read_bytes()

        # a second file: P asks which
        await pilot.press("v")
        await fill(pilot, str(png(tmp_path / "second.png", (10, 10))))
        await pilot.press("V")
        await until(pilot, lambda: isinstance(app.screen, PickDialog))
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert len(opened_paths) == 2 and opened_paths[1].name != opened_paths[0].name

        await pilot.press("z")  # the rectification's detail lists the item's files too
        await until(pilot, lambda: isinstance(app.screen, RectificationScreen))
        await settled(pilot)
        assert "现场照片.png" in text_of(app.screen, "#rect-detail")

    reader = repo.open(sid, write=False)
    try:
        assert [a.name for a in reader.session.attachments[HAND]] == ["现场照片.png", "second.png"]
    finally:
        reader.close()


async def test_no_viewer_is_one_line(repo, tmp_path, monkeypatch):
    sid = failed_session(repo)
    with repo.open(sid) as opened:
        opened.attach(HAND, [png(tmp_path / "a.png")], "张三")

    def none(path):
        raise opener.NoViewer("xdg-open")

    monkeypatch.setattr(opener, "open_path", none)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await settled(pilot)
        await pilot.press("V")
        await app.workers.wait_for_complete()
        line = await notified(pilot, "没有可用的系统查看程序")
        assert "xdg-open" in line and ".files" in line


async def test_attaching_to_a_finished_session_says_why(repo, tmp_path):
    sid = failed_session(repo, finished=True)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await settled(pilot)
        await pilot.press("v")
        dialog = await fill(pilot, str(png(tmp_path / "a.png")))
        assert "已完成" in dialog.error


async def test_saved_is_said_only_once_the_saver_has_written(repo, monkeypatch):
    """The commit held at a gate: 保存中 while it waits, ✓ 已保存 once it went through."""
    from .test_app_saving import Gate

    sid = failed_session(repo)
    gate = Gate(monkeypatch)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_rectifications(pilot)
        inspection = app.screen_stack[-2]
        await pilot.press("p")
        await fill(pilot, "王书记")
        await asyncio.to_thread(gate.wait_entered)
        assert "保存中" in text_of(screen, "#rect-status") and "已保存" not in text_of(screen, "#rect-status")
        gate.permits.release(10)
        await saved(pilot, inspection)
        await until(pilot, lambda: "已保存" in text_of(screen, "#rect-status"), "the save line saying 已保存")
        assert "责任人已登记" in text_of(screen, "#rect-status")


async def test_the_palette_and_help_list_the_rectifications(repo):
    from textual.command import CommandInput

    from inspect_tui.app.screens.help import HelpScreen

    sid = failed_session(repo)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await settled(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: bool(app.screen.query(CommandInput)))
        await pilot.press(*"整改")
        await settled(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RectificationScreen), "the palette opening 整改事项")
        await settled(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        from .test_app_inspection import rendered

        shown = rendered(app.screen.query_one(Static).content)
        for words in ("责任人", "期限", "报整改", "销号", "重开"):
            assert words in shown


async def test_xdg_open_without_a_desktop_says_no_viewer(repo, tmp_path, monkeypatch):
    import subprocess

    sid = failed_session(repo)
    with repo.open(sid) as opened:
        opened.attach(HAND, [png(tmp_path / "a.png")], "张三")

    def no_desktop(path):
        raise subprocess.CalledProcessError(3, ["xdg-open", str(path)])

    monkeypatch.setattr(opener, "open_path", no_desktop)
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        await settled(pilot)
        await pilot.press("V")
        await app.workers.wait_for_complete()
        await notified(pilot, "没有可用的系统查看程序(xdg-open)")


async def test_nothing_to_put_right(repo):
    with repo.create(catalog.find("shequ"), "幸福社区第三网格党支部", "幸福社区党委", ["张三"], DAY) as opened:
        opened.set_answer(HAND, "张三", state=State.PASS)
        sid = opened.session.id
    app = InspectApp(repo=repo, session_id=sid, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_rectifications(pilot)
        assert text_of(screen, "#rect-head") == "本次检查没有需要整改的事项。"
        await pilot.press("p")
        await notified(pilot, "没有整改事项")
        assert isinstance(app.screen, RectificationScreen)
