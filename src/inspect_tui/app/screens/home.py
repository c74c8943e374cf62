"""The home screen: every stored inspection (检查记录), to open, start, re-inspect or delete.

The list is read in a thread worker (a few thousand session files must never hold up start-up)
and again whenever the screen comes back, so returning from an inspection shows fresh progress.
Columns are fitted to the terminal: at 80 columns the branch name keeps its full width and the
less urgent details (unit, title, inspectors) move to the line under the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from ...core.session.repository import SessionError
from ...core.analysis.score_line import grade_words, words
from ...core.session.model import FINISHED, Summary
from ...core.text import shown
from ...core.problems import FileProblems
from ...i18n import lang, localize, register, t
from ...store import StorageError
from ..widgets.key_footer import KeyFooter
from .dialogs import ConfirmDialog
from ..widgets.clean_input import CleanInput

if TYPE_CHECKING:
    from ...core.analysis.compare import Comparison
    from ...core.checklist.model import Checklist
    from ...core.session.repository import OpenSession
    from ..app import InspectApp

register({
    "home.title": ("检查记录", "Inspections"),
    "home.col.unit": ("所属单位", "unit"),
    "home.status.in_progress": ("进行中", "ongoing"),
    "home.status.finished": ("已完成", "finished"),
    "home.key.new": ("新建", "new"),
    "home.key.reinspect": ("复查", "re-inspect"),
    "home.key.delete": ("删除", "delete"),
    "home.key.compare": ("对比", "compare"),
    "home.key.report": ("统计", "report"),
    "home.compare.none": ("“{branch}”没有更早的检查可以对比", "\"{branch}\" has no earlier inspection to compare with"),
    "home.compare.failed": ("无法对比: {error}", "cannot compare: {error}"),
    "home.key.filter": ("筛选", "filter"),
    "home.key.clear_filter": ("清除筛选", "clear filter"),
    "home.loading": ("正在读取检查记录…", "Reading the sessions…"),
    "home.count": ("共 {count} 条检查记录", "{count} session(s)"),
    "home.filtered": ("筛选“{text}”: {shown} / {count} 条(Esc 清除)", "filter \"{text}\": {shown} of {count} (Esc clears)"),
    "home.no_match": ("没有符合“{text}”的检查记录(Esc 清除筛选)", "nothing matches \"{text}\" (Esc clears the filter)"),
    "home.filter_placeholder": ("筛选: 支部、单位、检查表、日期…(Enter 回到列表,Esc 清除)", "filter: branch, unit, checklist, date… (Enter: back to the list, Esc: clear)"),
    "home.quarantined": (
        "{count} 个检查记录文件无法读取,已移至 {folder}",
        "{count} session file(s) could not be read and were moved to {folder}",
    ),
    "home.quarantined_short": ("⚠ {count} 个文件已隔离", "⚠ {count} file(s) quarantined"),
    "home.list_failed": ("无法读取检查记录: {error}", "could not read the sessions: {error}"),
    "home.empty.title": ("还没有检查记录", "No inspections yet"),
    "home.empty.new": (
        "按 n 新建检查: 选择检查表,填写支部名称、检查人员和日期,然后逐项检查。",
        "Press n to start an inspection: choose the checklist, enter the branch, the inspectors and the date, then check item by item.",
    ),
    "home.empty.try": (
        "想先熟悉一份检查表? 在终端运行 inspect-tui view jiguan (试用,不保存)。",
        "To try a checklist first, run inspect-tui view jiguan in a terminal (a trial, nothing is saved).",
    ),
    "home.empty.list": (
        "可用的检查表: inspect-tui checklists",
        "The available checklists: inspect-tui checklists",
    ),
    "home.empty.where": ("检查记录保存在: {folder}", "Sessions are kept in: {folder}"),
    "home.empty.keys": ("F1 查看按键说明,Ctrl+Q 退出。", "F1 lists the keys, Ctrl+Q quits."),
    "home.detail.inspectors": ("检查人员 {names}", "inspectors {names}"),
    "home.detail.updated": ("最后修改 {time}", "last change {time}"),
    "home.detail.id": ("编号 {id}", "id {id}"),
    "home.previous": ("上次 {date}: {score}", "last time {date}: {score}"),
    "home.previous.unfinished": ("(未完成,{progress})", "(not finished, {progress})"),
    "home.reinspect.ask": (
        "复查“{branch}”?将新建一次检查。\n检查表: {checklist} {version}\n{previous}",
        "Re-inspect \"{branch}\"? A new inspection is started.\nchecklist: {checklist} {version}\n{previous}",
    ),
    "home.reinspect.version": ("检查表已更新: {old} → {new}", "the checklist changed: {old} → {new}"),
    "home.reinspect.yes": ("开始复查", "Re-inspect"),
    "home.reinspect.started": ("已开始复查。{previous}", "Re-inspection started. {previous}"),
    "home.reinspect.no_checklist": (
        "找不到检查表 {id},无法复查: {problem}",
        "cannot re-inspect: no checklist {id} ({problem})",
    ),
    "home.delete.ask": (
        "删除这条检查记录?\n{branch} · {date} · {checklist} · {status}\n将移入回收站,可用 inspect-tui restore {id} 恢复。",
        "Delete this inspection?\n{branch} · {date} · {checklist} · {status}\nIt goes to the trash; inspect-tui restore {id} brings it back.",
    ),
    "home.delete.yes": ("删除", "Delete"),
    "home.deleted": (
        "已移入回收站: {path}(可用 inspect-tui restore {id} 恢复)",
        "moved to the trash: {path} (inspect-tui restore {id} brings it back)",
    ),
})

PAD = 2  # DataTable's cell_padding=1, on each side of every column
SCROLLBAR = 2  # kept free so the widths do not change when the list grows a scrollbar
BRANCH_MIN = 16  # below this the branch name is no longer recognisable; the cell truncates instead
BRANCH_MAX = 32
UNIT_MIN, UNIT_MAX = 10, 24
FIRST_ROWS = 100  # rows put in the table at once; the rest follow after each frame,
MORE_ROWS = 300  # this many at a time


# -- what a row says -------------------------------------------------------------------------------


def status_label(summary: Summary) -> str:
    # own keys: the column is narrow, and English "in progress" would cost the branch 3 cells
    return t(f"home.status.{summary.header.status}") if summary.header.status in ("in_progress", FINISHED) else summary.header.status


def progress_text(summary: Summary) -> str:
    """Answered of all leaf items and a percentage (rounded, as on the inspection screen, but
    never 100 while an item is still open)."""
    if not summary.scores.leaves:
        percent = 100
    else:
        percent = round(summary.scores.answered * 100 / summary.scores.leaves)
        percent = min(percent, 99) if summary.scores.answered < summary.scores.leaves else percent
    return f"{summary.scores.answered}/{summary.scores.leaves} {percent}%"


def score_text(summary: Summary, full: bool = False) -> str:
    """"20/28", "暂定 24/28" (with `full`: ",另有 4 分未检查" and the grade), "符合 20/25 项" — never
    a percentage: core/analysis/score_line.py words it as every other place does."""
    if summary.scores.total is None or summary.scores.max is None:
        return "—"
    return words(summary.scores.line, lang(), grade=full, open_part=full)


def grade_text(summary: Summary) -> str:
    return grade_words(summary.scores.line, lang())


def previous_text(summary: Summary) -> str:
    """"上次 2026-06-15: 20/28 良好" — what a re-inspection is compared with."""
    score = score_text(summary, full=True)
    text = t("home.previous", date=summary.header.date, score=score)
    if summary.header.status != FINISHED:
        text += t("home.previous.unfinished", progress=progress_text(summary))
    return text


def matches(summary: Summary, query: str) -> bool:
    """Every word of the filter appears somewhere in what the row is about."""
    haystack = " ".join([
        summary.header.branch, summary.header.unit, summary.header.checklist_id, summary.header.checklist_title,
        summary.header.checklist_version, summary.header.date, status_label(summary), summary.scores.grade,
        " ".join(summary.header.inspectors), summary.id,
    ]).casefold()
    return all(word in haystack for word in query.casefold().split())


def earlier_inspection(summary: Summary, summaries: list[Summary]) -> str:
    """This branch's latest inspection of the same standard before `summary` (by date, then by
    last change), or ""."""
    earlier = [
        s for s in summaries
        if s.id != summary.id and (s.header.branch, s.header.unit, s.header.checklist_id) == (summary.header.branch, summary.header.unit, summary.header.checklist_id)
        and (s.header.date, s.updated) < (summary.header.date, summary.updated)
    ]
    return max(earlier, key=lambda s: (s.header.date, s.updated)).id if earlier else ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[Summary], Text]
    width: int = 0


def _status_cell(summary: Summary) -> Text:
    return Text(status_label(summary), style="green" if summary.header.status == FINISHED else "yellow")


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("branch", "col.branch", lambda s: Text(shown(s.header.branch, multiline=False))),
        Column("unit", "home.col.unit", lambda s: Text(shown(s.header.unit, multiline=False))),
        Column("checklist_id", "col.checklist", lambda s: Text(shown(s.header.checklist_id, multiline=False))),
        Column("checklist", "col.checklist", lambda s: Text(shown(f"{s.header.checklist_id} {s.header.checklist_version}", multiline=False))),
        Column("date", "col.date", lambda s: Text(shown(s.header.date, multiline=False))),
        Column("progress", "col.progress", lambda s: Text(progress_text(s), justify="right")),
        Column("score", "col.score", lambda s: Text(score_text(s), justify="right")),
        Column("grade", "col.grade", lambda s: Text(grade_text(s))),
        Column("status", "col.status", _status_cell),
    )
}


def plan_columns(width: int, rows: list[Summary]) -> list[Column]:
    """The columns that fit `width` cells, each as wide as its longest cell.

    The branch, date, progress, score and status always show; the grade when any row has one and
    there is room (the line under the table has it too). With room to spare the checklist gains
    its version, then the unit gets a column. Only below ~75 columns does the branch shrink.
    """

    def need(key: str) -> int:
        column = COLUMNS[key]
        return max([cell_len(t(column.label))] + [column.cell(s).cell_len for s in rows])

    available = width - SCROLLBAR
    keys = ["branch", "checklist_id", "date", "progress", "score", "status"]
    if any(s.scores.grade for s in rows):
        keys.insert(5, "grade")
    widths = {key: need(key) for key in keys}
    widths["branch"] = max(BRANCH_MIN, min(widths["branch"], BRANCH_MAX))

    def used() -> int:
        return sum(w + PAD for w in widths.values())

    if used() > available and "grade" in widths:
        del widths["grade"]  # the line under the table still shows it
    if used() > available:
        widths["branch"] = max(BRANCH_MIN, widths["branch"] - (used() - available))
    if used() - widths["checklist_id"] + need("checklist") <= available:
        widths = {("checklist" if k == "checklist_id" else k): (need("checklist") if k == "checklist_id" else w)
                  for k, w in widths.items()}
    unit = max(UNIT_MIN, min(need("unit"), UNIT_MAX))
    if any(s.header.unit for s in rows) and used() + unit + PAD <= available:
        widths = dict(list(widths.items())[:1] + [("unit", unit)] + list(widths.items())[1:])
    return [Column(k, COLUMNS[k].label, COLUMNS[k].cell, w) for k, w in widths.items()]


# -- the screen ---------------------------------------------------------------------------------------


class HomeScreen(Screen[None]):
    """The sessions, most recent change first."""

    # Workers report with messages: post_message never blocks, where call_from_thread would wait
    # on an event loop that may be shutting down.
    class Loaded(Message):
        def __init__(self, summaries: list[Summary], error: str) -> None:
            super().__init__()
            self.summaries = summaries
            self.error = error

    class CompareReady(Message):
        def __init__(self, comparison: "Comparison | None", problem: str = "") -> None:
            super().__init__()
            self.comparison = comparison
            self.problem = problem

    class ReinspectReady(Message):
        def __init__(self, summary: Summary, checklist: Checklist | None, problem: str = "") -> None:
            super().__init__()
            self.summary = summary
            self.checklist = checklist
            self.problem = problem

    BINDINGS = [
        # priority: the table would otherwise take Enter for itself and hide it from the footer
        Binding("enter", "open", t("key.open"), id="home.open", priority=True),
        Binding("n", "new", t("home.key.new"), id="home.new"),
        Binding("r", "reinspect", t("home.key.reinspect"), id="home.reinspect"),
        Binding("d", "delete", t("home.key.delete"), id="home.delete"),
        Binding("c", "compare", t("home.key.compare"), id="home.compare"),
        Binding("g", "report", t("home.key.report"), id="home.report"),
        Binding("slash", "filter", t("home.key.filter"), id="home.filter"),
        Binding("escape", "clear_filter", t("home.key.clear_filter"), id="home.clear_filter", show=False),
    ]

    AUTO_FOCUS = "#sessions"

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Summary] = []
        self.shown: list[Summary] = []
        self.reading = True
        self.loaded_once = False
        self.query_text = ""
        self._columns: list[tuple[str, int]] = []
        self._cursor_id: str | None = None
        self._fill = 0  # which refresh_table the rows being added belong to
        self._painted = False  # has the screen been drawn once?
        self._problems_seen = 0

    @property
    def inspect_app(self) -> "InspectApp":
        return cast("InspectApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(t("session.folder", folder=str(self.inspect_app.repo.folder))), id="home-folder")
        yield Static(Text(t("home.loading")), id="home-status")
        yield CleanInput(placeholder=t("home.filter_placeholder"), id="home-filter", compact=True)
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="home-detail")
        yield Static(id="home-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "inspect-tui"
        self.sub_title = t("home.title")
        self.query_one("#home-filter").display = False
        self.query_one("#home-empty").display = False
        self.query_one("#sessions", DataTable).focus()
        self.call_after_refresh(setattr, self, "_painted", True)
        self.call_after_refresh(self.app.started)  # type: ignore[attr-defined]  # the collector on again

    def on_screen_resume(self) -> None:
        # The first showing too (a resume follows every push). After a refresh, so that the
        # screen is drawn before the listing competes with it for the interpreter.
        self.call_after_refresh(self.load)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home-load")
    def load(self) -> None:
        """repo.list() stats every session file and re-reads the changed ones: disk work."""
        repo = self.inspect_app.repo
        error = ""
        summaries: list[Summary] = []
        try:
            summaries = repo.list()
        except (OSError, StorageError, SessionError) as exc:
            error = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(summaries, error))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if not self._painted:  # the screen's first frame comes first; the rows follow it
            self.call_after_refresh(self.show, message.summaries, message.error)
            return
        self.show(message.summaries, message.error)

    def show(self, summaries: list[Summary], error: str = "") -> None:
        self.summaries = summaries
        self.reading = False
        self.loaded_once = True
        if error:
            self.notify(t("home.list_failed", error=error), severity="error", timeout=10, markup=False)
        problems = self.inspect_app.repo.problems
        if len(problems) > self._problems_seen:
            fresh = problems[self._problems_seen:]
            self._problems_seen = len(problems)
            lines = fresh[:3] + (["…"] if len(fresh) > 3 else [])
            title = t("home.quarantined", count=len(fresh), folder=self.inspect_app.repo.quarantine_dir)
            self.notify("\n".join(lines), title=title, severity="warning", timeout=15, markup=False)
        self.refresh_table()

    # -- drawing -------------------------------------------------------------------------------

    def refresh_table(self, force: bool = True) -> None:
        """Fill the table with the rows the filter lets through, keeping the cursor on its session.

        The first `FIRST_ROWS` rows go in at once and the rest in chunks after each frame: with a
        thousand sessions, adding every row before the first frame made the home screen wait
        ~100 ms (the rows, then the table's first layout of all of them) for rows nobody sees yet.
        """
        table = self.query_one("#sessions", DataTable)
        self.shown = [s for s in self.summaries if matches(s, self.query_text)]
        columns = plan_columns(self.size.width or 80, self.summaries)
        shape = [(c.key, c.width) for c in columns]
        if not force and shape == self._columns:
            return
        self._columns = shape
        self._fill += 1
        table.clear(columns=True)
        for column in columns:
            table.add_column(Text(t(column.label), style="bold"), width=column.width, key=column.key)
        self._add_rows(columns, 0, self._fill, self._cursor_id)
        self.update_status()
        self.update_detail()
        self.refresh_bindings()

    def _add_rows(self, columns: list[Column], start: int, fill: int, target: str | None) -> None:
        if fill != self._fill:
            return  # a newer refresh (a filter typed, the list read again) took over
        table = self.query_one("#sessions", DataTable)
        end = start + (FIRST_ROWS if start == 0 else MORE_ROWS)
        for summary in self.shown[start:end]:
            cells = []
            for column in columns:
                cell = column.cell(summary)
                if cell.cell_len > column.width:
                    cell.truncate(column.width, overflow="ellipsis")
                cells.append(cell)
            table.add_row(*cells, key=summary.id)
        ids = [s.id for s in self.shown[start:end]]
        if target in ids:
            table.move_cursor(row=start + ids.index(target), animate=False)
            self._cursor_id = target
        if end < len(self.shown):
            self.call_after_refresh(self._add_rows, columns, end, fill, target)

    def update_status(self) -> None:
        status = self.query_one("#home-status", Static)
        empty = self.query_one("#home-empty", Static)
        table = self.query_one("#sessions", DataTable)
        first_time = self.loaded_once and not self.summaries
        empty.display = first_time
        table.display = not first_time
        self.query_one("#home-detail").display = not first_time
        if first_time:
            empty.update(self.empty_text())
        if self.reading and not self.loaded_once:
            text = Text(t("home.loading"))
        elif first_time:
            text = Text()
        elif self.query_text and not self.shown and self.summaries:
            text = Text(t("home.no_match", text=self.query_text), style="yellow")
        elif self.query_text:
            text = Text(t("home.filtered", text=self.query_text, shown=len(self.shown), count=len(self.summaries)))
        else:
            text = Text(t("home.count", count=len(self.summaries)))
        quarantined = self._problems_seen
        if quarantined:
            text.append("  ")
            text.append(t("home.quarantined_short", count=quarantined), style="bold yellow")
        status.update(text)

    def empty_text(self) -> Text:
        folder = str(self.inspect_app.repo.folder)
        return Text.assemble(
            (t("home.empty.title"), "bold"), "\n\n",
            "• ", t("home.empty.new"), "\n",
            "• ", t("home.empty.try"), "\n",
            "• ", t("home.empty.list"), "\n\n",
            t("home.empty.where", folder=folder), "\n",
            (t("home.empty.keys"), "dim"),
        )

    def update_detail(self) -> None:
        """The highlighted session in full: what the narrow columns leave out."""
        detail = self.query_one("#home-detail", Static)
        summary = self.current()
        if summary is None:
            detail.update("")
            return
        first = Text(summary.header.branch, style="bold")
        if summary.header.unit:
            first.append(f" · {summary.header.unit}")
        if summary.header.inspectors:
            first.append(" · " + t("home.detail.inspectors", names="、".join(summary.header.inspectors)))
        first.append(" · " + score_text(summary, full=True))
        updated = summary.updated.replace("T", " ")[:16]
        second = Text(t("home.detail.id", id=summary.id), style="dim")
        second.append(" · " + t("home.detail.updated", time=updated), style="dim")
        second.append(f" · {summary.header.checklist_title} {summary.header.checklist_version}", style="dim")
        width = max(detail.size.width - 2, 20)  # less the padding
        for line in (first, second):
            line.truncate(width, overflow="ellipsis")
        detail.update(Text("\n").join([first, second]))

    def on_resize(self, event: events.Resize) -> None:
        if self.loaded_once:
            self.refresh_table(force=False)
            self.update_detail()  # its lines are cut to the width

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self._cursor_id = event.row_key.value
        self.update_detail()

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self) -> None:
        self.action_open()  # a mouse click on a row; Enter comes through the binding

    def current(self) -> Summary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.shown or not table.display:
            return None
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "new":
            return not typing
        if action in ("open", "reinspect", "delete", "filter", "compare", "report") and (typing or not self.summaries):
            return False  # while typing, Enter leaves the filter and "/" is a character
        if action in ("open", "reinspect", "delete", "compare"):
            return True if self.current() is not None else None  # dimmed: the filter left no row
        if action == "clear_filter":
            return bool(self.query_text) or typing
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # -- filter -------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#home-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#home-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.refresh_table()

    def action_clear_filter(self) -> None:
        box = self.query_one("#home-filter", Input)
        box.value = ""
        box.display = False
        self.query_text = ""
        self.refresh_table()
        self.query_one("#sessions", DataTable).focus()

    # -- open, new, re-inspect, delete ---------------------------------------------------------

    @on(Input.Submitted, "#home-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter keeps it and goes back to the list."""
        if not self.query_text:
            event.input.display = False
        self.query_one("#sessions", DataTable).focus()

    def action_open(self) -> None:
        summary = self.current()
        if summary is not None:
            self.inspect_app.open_session(summary.id)

    def action_new(self) -> None:
        from .new_session import NewSessionDialog

        recent = self.summaries[0].header.checklist_id if self.summaries else None
        self.app.push_screen(NewSessionDialog(default_checklist=recent), self._created)

    def _created(self, opened: "OpenSession | None") -> None:
        if opened is not None:
            self._cursor_id = opened.session.id  # the list comes back with the cursor on it
            self.inspect_app.push_inspection(opened)

    def action_reinspect(self) -> None:
        summary = self.current()
        if summary is not None:
            self.find_checklist(summary)

    @work(thread=True, exclusive=True, group="home-reinspect")
    def find_checklist(self, summary: Summary) -> None:
        """The current version of the session's standard; scanning the checklists is disk work."""
        try:
            from ...core.checklist import catalog  # loads YAML: only when a re-inspection is asked for

            checklist = catalog.find(summary.header.checklist_id, self.inspect_app.extra_checklists)
        except (FileProblems, OSError) as exc:
            problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if not get_current_worker().is_cancelled:
                self.post_message(self.ReinspectReady(summary, None, problem))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.ReinspectReady(summary, checklist))

    @on(ReinspectReady)
    def _reinspect_ready(self, message: ReinspectReady) -> None:
        if message.checklist is None:
            text = t("home.reinspect.no_checklist", id=message.summary.header.checklist_id, problem=message.problem)
            self.notify(text, severity="error", timeout=10, markup=False)
        else:
            self.confirm_reinspect(message.summary, message.checklist)

    def confirm_reinspect(self, summary: Summary, checklist: Checklist) -> None:
        previous = previous_text(summary)
        if checklist.version != summary.header.checklist_version:
            previous += "\n" + t("home.reinspect.version", old=summary.header.checklist_version, new=checklist.version)
        question = t(
            "home.reinspect.ask", branch=summary.header.branch, checklist=checklist.title,
            version=checklist.version, previous=previous,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.reinspect(summary, checklist)

        self.app.push_screen(ConfirmDialog(question, yes=t("home.reinspect.yes")), answered)

    def reinspect(self, summary: Summary, checklist: Checklist) -> None:
        app = self.inspect_app
        try:
            opened = app.repo.reinspect(summary.id, checklist, [app.inspector], dt.date.today())
        except (SessionError, StorageError, OSError) as exc:
            self.notify(localize(str(exc)), severity="error", timeout=10, markup=False)
            self.load()
            return
        self.notify(t("home.reinspect.started", previous=previous_text(summary)), timeout=10, markup=False)
        self._cursor_id = opened.session.id
        app.push_inspection(opened)

    def action_report(self) -> None:
        from .report import ReportScreen

        self.app.push_screen(ReportScreen())

    def action_compare(self) -> None:
        summary = self.current()
        if summary is not None:
            self.load_comparison(summary, list(self.summaries))

    @work(thread=True, exclusive=True, group="home-compare")
    def load_comparison(self, summary: Summary, summaries: list[Summary]) -> None:
        """The session against the one it re-inspects (else this branch's latest earlier inspection
        of the same standard); both read without their locks. Disk work: a thread."""
        from ...core.analysis.compare import compare

        repo = self.inspect_app.repo
        try:
            with repo.open(summary.id, write=False) as new:
                old_id = new.session.previous or earlier_inspection(summary, summaries)
                if not old_id:
                    self.post_message(self.CompareReady(None, t("home.compare.none", branch=summary.header.branch)))
                    return
                with repo.open(old_id, write=False) as old:
                    comparison = compare(old.session, new.session)
        except (SessionError, StorageError, OSError) as exc:
            self.post_message(self.CompareReady(None, t("home.compare.failed", error=localize(str(exc)))))
            return
        self.post_message(self.CompareReady(comparison))

    @on(CompareReady)
    def _compare_ready(self, message: CompareReady) -> None:
        if message.comparison is None:
            self.notify(message.problem, severity="warning", timeout=8, markup=False)
            return
        from .compare import CompareScreen

        self.app.push_screen(CompareScreen(message.comparison))

    def action_delete(self) -> None:
        summary = self.current()
        if summary is None:
            return
        question = t(
            "home.delete.ask", branch=summary.header.branch, date=summary.header.date,
            checklist=summary.header.checklist_id, status=status_label(summary), id=summary.id,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(summary)

        self.app.push_screen(ConfirmDialog(question, yes=t("home.delete.yes")), answered)

    def delete(self, summary: Summary) -> None:
        try:
            target = self.inspect_app.repo.delete(summary.id)
        except (SessionError, StorageError, OSError) as exc:
            self.notify(localize(str(exc)), severity="error", timeout=10, markup=False)
        else:
            self.notify(t("home.deleted", path=target, id=summary.id), timeout=10, markup=False)
        self.load()
