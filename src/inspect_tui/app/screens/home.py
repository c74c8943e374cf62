"""The home screen: every stored inspection (检查记录), to open, start, re-inspect or delete.

The list is read in a thread worker (a few thousand session files must never hold up start-up)
and again whenever the screen comes back, so returning from an inspection shows fresh progress.
Columns are fitted to the terminal: at 80 columns the branch name keeps its full width and the
less urgent details (unit, title, inspectors) move to the line under the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from ...core.errors import SessionError
from ...core.session.earlier import compared_with
from ...core.session.model import Summary
from ...core.errors import FileProblems
from ...i18n import say, t
from ...store import StorageError
from ..widgets.key_footer import KeyFooter
from ..widgets.sessions_table import RectCounts, SessionsTable, detail_text, matches, previous_text, status_label
from . import home_texts
from .home_texts import empty_text
from .home_filters import HomeFilters
from .home_sync import HomeSync
from .base import AppScreen
from .dialogs import ConfirmDialog
from ..widgets.clean_input import CleanInput
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from ...core.analysis.compare import Comparison
    from ...core.checklist.model import Checklist
    from ...core.session.editing import OpenSession


# -- the screen ---------------------------------------------------------------------------------------


class HomeScreen(HomeFilters, HomeSync, AppScreen[None]):
    """The sessions, most recent change first."""

    # Workers report with messages: post_message never blocks, where call_from_thread would wait
    # on an event loop that may be shutting down.
    @dataclass
    class Loaded(Message):
        summaries: list[Summary]
        error: str
        rects: RectCounts = field(default_factory=dict)

    @dataclass
    class CompareReady(Message):
        comparison: "Comparison | None"
        problem: str = ""

    @dataclass
    class ReinspectReady(Message):
        summary: Summary
        checklist: "Checklist | None"
        problem: str = ""

    BINDINGS = [
        # priority: the table would otherwise take Enter for itself and hide it from the footer
        Binding("enter", "open", t("key.open"), id="home.open", priority=True),
        Binding("n", "new", t("home.key.new"), id="home.new"),
        Binding("r", "reinspect", t("home.key.reinspect"), id="home.reinspect"),
        Binding("d", "delete", t("home.key.delete"), id="home.delete"),
        Binding("c", "compare", t("home.key.compare"), id="home.compare"),
        Binding("g", "report", t("home.key.report"), id="home.report"),
        Binding("slash", "filter", t("home.key.filter"), id="home.filter"),
        Binding("o", "overdue", t("home.key.overdue"), id="home.overdue"),
        Binding("y", "sync", t("home.key.sync"), id="home.sync"),  # home_sync.py
        Binding("escape", "clear_filter", t("home.key.clear_filter"), id="home.clear_filter", show=False),
    ]

    AUTO_FOCUS = "#sessions"

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Summary] = []
        self.rects: RectCounts = {}  # session id → (rectifications still open, overdue today)
        self.shown: list[Summary] = []
        self.reading = True
        self.loaded_once = False
        self.query_text = ""
        self._painted = False  # has the screen been drawn once?
        self._problems_seen = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Text(t("session.folder", folder=str(self.inspect_app.repo.folder))), id="home-folder")
        yield Static(Text(t("home.loading")), id="home-status")
        yield Static(id="home-sync")
        yield CleanInput(placeholder=t("home.filter_placeholder"), id="home-filter", compact=True)
        yield SessionsTable(id="sessions")
        yield Static(id="home-detail")
        yield Static(id="home-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "inspect-tui"
        self.sub_title = t("home.title")
        self.query_one("#home-filter").display = False
        self.query_one("#home-empty").display = False
        self.show_sync()
        self.table.focus()
        self.call_after_refresh(setattr, self, "_painted", True)
        self.call_after_refresh(self.inspect_app.started)  # the collector on again

    def on_screen_resume(self) -> None:
        # The first showing too (a resume follows every push). After a refresh, so that the
        # screen is drawn before the listing competes with it for the interpreter.
        self.call_after_refresh(self.load)

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home-load")
    def load(self) -> None:
        """repo.listed() stats every session file and re-reads the changed ones: disk work (with
        each session's rectifications, the index's digest; 逾期 counted here, today)."""
        from ...core.session.rect_digest import counts

        repo = self.inspect_app.repo
        error = ""
        summaries: list[Summary] = []
        rects: RectCounts = {}
        try:
            listed = repo.listed()
            summaries = [x.summary for x in listed]
            day = home_texts.today()
            rects = {x.summary.id: counts(x.rectifications, day)[1:] for x in listed if x.rectifications}
        except (OSError, StorageError, SessionError) as exc:
            error = (say(exc).strip().splitlines() or [type(exc).__name__])[0]
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(summaries, error, rects))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if not self._painted:  # the screen's first frame comes first; the rows follow it
            self.call_after_refresh(self.show, message.summaries, message.error, message.rects)
            return
        self.show(message.summaries, message.error, message.rects)

    def show(self, summaries: list[Summary], error: str = "", rects: RectCounts | None = None) -> None:
        self.summaries = summaries
        self.rects = rects or {}
        self.reading = False
        self.loaded_once = True
        if error:
            self.fail(t("home.list_failed", error=error), timeout=10)
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
        """Fill the table with the rows the filter lets through, keeping the cursor on its session
        (unless not `force`d and the width still fits the same columns)."""
        self.shown = [s for s in self.summaries if matches(s, self.query_text, self.rects)]
        if not self.table.fill(self.shown, self.summaries, self.size.width or 80, force, self.rects):
            return
        self.update_status()
        self.update_detail()
        self.refresh_bindings()

    def update_status(self) -> None:
        status = self.query_one("#home-status", Static)
        empty = self.query_one("#home-empty", Static)
        table = self.table
        first_time = self.loaded_once and not self.summaries
        empty.display = first_time
        table.display = not first_time
        self.query_one("#home-detail").display = not first_time
        if first_time:
            empty.update(empty_text(str(self.inspect_app.repo.folder)))
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

    def update_detail(self) -> None:
        """The highlighted session in full: what the narrow columns leave out."""
        detail = self.query_one("#home-detail", Static)
        summary = self.current()
        detail.update("" if summary is None else
                      detail_text(summary, max(detail.size.width - 2, 20), self.rects.get(summary.id)))  # less the padding

    def on_resize(self, event: events.Resize) -> None:
        if self.loaded_once:
            self.refresh_table(force=False)
            self.update_detail()  # its lines are cut to the width

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.table.cursor_id = event.row_key.value
        self.update_detail()

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self) -> None:
        self.action_open()  # a mouse click on a row; Enter comes through the binding

    @property
    def table(self) -> SessionsTable:
        return self.query_one(SessionsTable)

    def current(self) -> Summary | None:
        return self.table.current()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action in ("new", "sync"):
            return not typing
        if action in ("open", "reinspect", "delete", "filter", "compare", "report", "overdue") and (typing or not self.summaries):
            return False  # while typing, Enter leaves the filter and "/" is a character
        if action in ("open", "reinspect", "delete", "compare"):
            return True if self.current() is not None else None  # dimmed: the filter left no row
        if action == "clear_filter":
            return bool(self.query_text) or typing
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # -- filter (the actions: home_filters.py) ------------------------------------------------

    @on(Input.Changed, "#home-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.refresh_table()

    # -- open, new, re-inspect, delete ---------------------------------------------------------

    @on(Input.Submitted, "#home-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter keeps it and goes back to the list."""
        if not self.query_text:
            event.input.display = False
        self.table.focus()

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
            self.table.cursor_id = opened.session.id  # the list comes back with the cursor on it
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
            self.fail(text, timeout=10)
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
            self.refused(exc, "error", timeout=10)
            self.load()
            return
        self.say(t("home.reinspect.started", previous=previous_text(summary)), timeout=10)
        self.table.cursor_id = opened.session.id
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
                old_id = compared_with(new.session.previous, summary, summaries)
                if not old_id:
                    self.post_message(self.CompareReady(None, t("home.compare.none", branch=summary.header.branch)))
                    return
                with repo.open(old_id, write=False) as old:
                    comparison = compare(old.session, new.session)
        except (SessionError, StorageError, OSError) as exc:
            self.post_message(self.CompareReady(None, t("home.compare.failed", error=say(exc))))
            return
        self.post_message(self.CompareReady(comparison))

    @on(CompareReady)
    def _compare_ready(self, message: CompareReady) -> None:
        if message.comparison is None:
            self.warn(message.problem, timeout=8)
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
            self.refused(exc, "error", timeout=10)
        else:
            self.say(t("home.deleted", path=target, id=summary.id), timeout=10)
        self.load()
