"""The inspection screen: the tree, the current item, the facts, and the score as it moves.

The screen lays the parts out, draws the current item and moves the cursor (navigation, filter,
search). What the inspector does is in its parts (screens/inspecting/): marking and the editors
with undo, the facts pane, saving, and last time's inspection for a re-inspection. Every edit
goes to the core at once (`OpenSession`); the `Autosaver` writes it on its own thread, so no
keystroke waits for the disk.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.containers import Vertical as _Pane
from textual.widgets import Input

from ...core.analysis.progress import first_to_mark, next_to_mark
from ...core.analysis.scoring import Result
from ...core.checklist.model import Item
from ...core.session.model import FILTERS
from ...core.session.editing import OpenSession
from ...i18n import t
from ..widgets.answer_panel import AnswerPanel
from ..widgets.clean_input import CleanInput
from ..widgets.facts_panel import FactsPanel
from ..widgets.item_tree import ItemTree, matches_filter
from ..widgets.key_footer import KeyFooter
from ..widgets.pane_tabs import PaneTabs
from ..widgets.status_bar import StatusBar
from ..widgets.title_bar import TitleBar
from .base import AppScreen
from .inspecting.carried import CarriedRectifications
from .inspecting.attaching import Attaching
from .inspecting.facts_pane import FactsPane
from .inspecting.marking import Marking
from .inspecting.previous import PreviousInspection
from .inspecting.saving import Saving
from .inspecting.undo import UndoStack


class InspectionScreen(Marking, FactsPane, Saving, PreviousInspection, CarriedRectifications, Attaching, AppScreen[None]):
    AUTO_FOCUS = "ItemTree"

    BINDINGS = [
        Binding("y", "mark('pass')", t("key.mark_pass"), id="item.pass"),
        Binding("n", "mark('fail')", t("key.mark_fail"), id="item.fail"),
        Binding("a", "mark('na')", t("key.mark_na"), id="item.na"),
        Binding("space", "cycle", t("key.cycle"), id="item.cycle", show=False),
        Binding("backspace,delete", "clear", t("key.clear"), id="item.clear", show=False),
        Binding("full_stop,right_square_bracket", "next_open", t("key.next_open"), id="nav.next_open", key_display="."),
        Binding("comma,left_square_bracket", "prev_open", t("key.prev_open"), id="nav.prev_open", show=False),
        Binding("j", "cursor(1)", t("key.down"), id="nav.down", show=False),
        Binding("k", "cursor(-1)", t("key.up"), id="nav.up", show=False),
        Binding("e", "note", t("key.note"), id="item.note"),
        Binding("c", "count", t("key.count"), id="item.count", show=False),
        Binding("p", "evidence", t("key.evidence"), id="item.evidence", show=False),
        Binding("o", "override", t("key.override"), id="item.override", show=False),
        Binding("v", "attach", t("key.attach"), id="item.attach", show=False),
        Binding("V", "open_attachment", t("key.open_attachment"), id="item.open_attachment", show=False),
        Binding("f", "facts", t("key.facts"), id="view.facts"),
        Binding("slash", "search", t("key.search"), id="view.search", show=False),
        Binding("F", "next_filter", t("key.filter"), id="view.filter", show=False),
        Binding("g", "jump", t("key.jump"), id="nav.jump", show=False),
        Binding("u,ctrl+z", "undo", t("key.undo"), id="item.undo", show=False),
        Binding("s", "summary", t("key.summary"), id="view.summary"),
        Binding("X", "confirm_carried", t("reinspect.key.confirm"), id="item.confirm_carried", show=False),
        Binding("z", "rectifications", t("key.rectifications"), id="view.rectifications"),
        Binding("escape", "back", t("key.back"), id="nav.back", show=False),
    ]

    def __init__(self, opened: OpenSession, inspector: str) -> None:
        super().__init__()
        self.opened = opened
        self.inspector = inspector
        self.checklist = opened.checklist
        self.result: Result = opened.result
        self.filter = opened.session.position.filter if opened.session.position.filter in FILTERS else "all"
        self.query_text = ""
        self.undo = UndoStack()
        self.init_saving()
        self.last_item: str | None = None
        self.previous_session: Any = None  # a re-inspection's last time, once read

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                search = CleanInput(placeholder=t("insp.search"), id="search")
                search.display = False  # shown by `/`; hidden before it is mounted, not after
                yield search
                yield ItemTree(self.checklist, id="tree")
            with _Pane(id="right"):
                yield PaneTabs([("answer", t("insp.tab_item")), ("facts", t("insp.tab_facts"))], t("insp.tab_hint"), id="panes")
                # the two panes, one shown at a time (facts_pane.py): no ContentSwitcher, a widget less
                yield AnswerPanel(self.checklist, id="answer", classes="pane")
                facts = FactsPanel(self.checklist, self.opened.session.facts, id="facts", classes="pane")
                facts.display = False
                yield facts
        yield StatusBar(self.opened.session.branch.name, self.opened.checklist, id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        session = self.opened.session
        self.title = session.branch.name
        self.sub_title = f"{self.checklist.title} {self.checklist.version}"
        self.start_saving()
        self.query_one(AnswerPanel).note_typed = self._note_typed
        self.init_carried()
        self.rebuild_tree()
        self.show_filter()
        tree = self.query_one(ItemTree)
        tree.focus()
        # the facts form is built once the first frame is on the screen, off its path (facts_panel.py)
        self.call_after_refresh(self.set_timer, 0.05, self.query_one(FactsPanel).build)
        target = session.position.item if self.checklist.has_item(session.position.item) else self._first_open()
        self.call_after_refresh(self._land_on, target)
        # the item's editors once the frame showing the landed item is drawn (answer_panel.py)
        self.call_after_refresh(self.call_after_refresh, self.query_one(AnswerPanel).build_editors)
        self.refresh_all()
        # A notice, not part of the first frame: the catalog is read once that frame is drawn, so
        # its reading (a thread, but holding the GIL) does not share the CPU with it.
        self.call_after_refresh(self.check_newer_version)
        self.call_after_refresh(self.inspect_app.started)
        if self.opened.session.previous:
            self.load_previous()
        status = self.query_one(StatusBar)
        if self.inspect_app.trial:
            status.saved("trial")
        else:
            status.saved("read_only" if self.opened.read_only else "saved")

    def _land_on(self, item_id: str | None) -> None:
        if item_id and not self.query_one(ItemTree).select_item(item_id):
            self.set_filter("all")
            self.query_one(ItemTree).select_item(item_id)
        self.show_current()

    # -- drawing ----------------------------------------------------------------------------------

    def keep(self, item: Item) -> bool:
        if not matches_filter(self.filter, item, self.result, self.opened.session.answers):
            return False
        if self.query_text:
            needle = self.query_text.lower()
            return any(needle in text.lower() for text in (item.text, item.guidance, item.id))
        return True

    def rebuild_tree(self) -> None:
        self.query_one(ItemTree).rebuild(self.keep, self.result, self.opened.session.answers)

    def refresh_all(self, show: bool = True, touched: str | None = None) -> None:
        """Redraw from the session's current score; `touched`: only that item's answer changed."""
        self.result = self.opened.result
        self.query_one(ItemTree).relabel(self.result, self.opened.session.answers, touched)
        self.query_one(StatusBar).show(self.result)
        if show:
            self.show_current()

    def current(self) -> Item | None:
        item_id = self.query_one(ItemTree).current_id
        return self.checklist.item(item_id) if item_id else None

    @property
    def editable(self) -> bool:
        return not self.opened.read_only and not self.opened.session.finished

    def show_current(self) -> None:
        item = self.current()
        self.query_one(FactsPanel).set_editable(self.editable)
        if item is not None:
            session = self.opened.session
            self.query_one(AnswerPanel).show(item, self.result, session.answers.get(item.id), self.editable, session.facts,
                                             tuple(session.attachments.get(item.id, ())))

    @on(ItemTree.NodeHighlighted)
    def _moved(self, event: ItemTree.NodeHighlighted) -> None:
        event.stop()  # handled: nothing above the screen listens (a dispatch less per cursor move)
        self.last_item = self.query_one(ItemTree).current_id
        self.show_current()
        self.position_rest.poke()

    # -- navigation -------------------------------------------------------------------------------

    def _first_open(self) -> str | None:
        return first_to_mark(self.checklist, self.result)

    def _open_from(self, step: int) -> str | None:
        """The next unanswered item the inspector can mark (computed items wait for facts)."""
        current = self.current()
        return next_to_mark(self.checklist, self.result, current.id if current else None, step).item_id

    def action_next_open(self) -> None:
        self._go_open(1)

    def action_prev_open(self) -> None:
        self._go_open(-1)

    def _go_open(self, step: int) -> None:
        target = self._open_from(step)
        if target is None:
            self.say(t("insp.none_left"))
            return
        self.query_one(ItemTree).focus()
        self._land_on(target)

    def action_cursor(self, step: int) -> None:
        tree = self.query_one(ItemTree)
        tree.action_cursor_down() if step > 0 else tree.action_cursor_up()

    def go_to(self, item_id: str) -> None:
        self.query_one(ItemTree).focus()
        self._land_on(item_id)

    def action_jump(self) -> None:
        from .jump import JumpDialog

        def done(item_id: str | None) -> None:
            if item_id:
                self.go_to(item_id)

        self.app.push_screen(JumpDialog(self.checklist, self.result), done)

    def set_filter(self, kind: str) -> None:
        current = self.current()
        self.filter = kind
        self.rebuild_tree()
        tree = self.query_one(ItemTree)
        if current is None or not tree.select_item(current.id):
            first = next((i for i in tree.nodes if self.checklist.item(i).is_leaf), None)
            if first:
                tree.select_item(first)
        self.show_filter()
        self.show_current()

    def show_filter(self) -> None:
        base = f"{self.checklist.title} {self.checklist.version}"
        self.sub_title = f"{base} · {t('insp.filter_now', name=t('insp.filter.' + self.filter))}" if self.filter != "all" else base

    def action_next_filter(self) -> None:
        self.set_filter(FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)])
        self.say(t("insp.filter_now", name=t("insp.filter." + self.filter)))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_typing(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.rebuild_tree()
        tree = self.query_one(ItemTree)
        leaves = [i for i in tree.nodes if self.checklist.item(i).is_leaf]
        if leaves:
            tree.select_item(leaves[0])

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        if not self.query_one(ItemTree).nodes:
            self.say(t("insp.no_match"))
        self.query_one(ItemTree).focus()

    # -- summary, leaving ---------------------------------------------------------------------------

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.opened, self.inspector))

    def action_rectifications(self) -> None:
        from .rectifications import RectificationScreen

        self.app.push_screen(RectificationScreen(self.opened, self.inspector, self))

    def on_screen_resume(self) -> None:
        """Back from the summary (which may have finished or reopened the session)."""
        self.refresh_all()

    def action_back(self) -> None:
        focused = self.focused
        search = self.query_one("#search", Input)
        if focused is search:
            search.value = ""
            search.display = False
            self.query_one(ItemTree).focus()
            return
        if focused is not None and not isinstance(focused, ItemTree):
            self.query_one(ItemTree).focus()
            return
        if self.query_text:  # a search is narrowing the tree: Esc brings the whole tree back first
            current = self.current()
            search.value = ""
            search.display = False
            self.query_text = ""
            self.rebuild_tree()
            if current is not None:
                self.query_one(ItemTree).select_item(current.id)
            return
        self.leave()

    def leave(self) -> None:
        self.close_session()
        self.inspect_app.leave_inspection()

    def on_unmount(self) -> None:
        self.close_session()
