"""The inspection screen: the tree, the current item, the facts, and the score as it moves.

Every edit goes to the core at once (`OpenSession.set_answer` / `set_fact`), which updates the
in-memory session; the screen rescores and redraws, and the `Autosaver` writes the change on its
own thread, so no keystroke waits for the disk. A note is handed over at every keystroke (the
saver coalesces what piles up while it writes; the core makes one audit entry per typing burst).

The status bar says 保存中 from the moment a change is handed over and ✓ 已保存 only once the saver
has acknowledged the sequence number of the last change handed over (its fsync returned).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.containers import Vertical as _Pane
from textual.widgets import ContentSwitcher, Header, Input

from ...core.session.answers import Answer, Override
from ...core.session.autosave import Autosaver
from ...core.checklist.model import Item, State
from ...core.analysis.progress import first_to_mark, next_to_mark
from ...core.session.repository import OpenSession, SessionError
from ...core.analysis.item_results import Result
from ...core.session.model import FILTERS
from ...i18n import register, state_label, t, localize
from ..widgets.answer_panel import AnswerPanel
from ..widgets.facts_panel import FactsPanel
from ..widgets.item_tree import ItemTree, matches_filter
from ..widgets.pane_tabs import PaneTabs
from ..widgets.status_bar import StatusBar
from ..widgets.key_footer import KeyFooter
from ..widgets.clean_input import CleanInput

register({
    "insp.passed_computed": (
        "已跳过 {n} 项由基本情况自动判定(f 录入基本情况)",
        "passed over {n} item(s) decided by the facts (f: facts)",
    ),
    "insp.computed_pending": (
        "本项由基本情况自动判定,不能手动标记;待定:等待 {facts}(f 录入)",
        "decided by the facts, not by a mark; pending: waiting for {facts} (f to enter them)",
    ),
    "insp.marked_pending": (
        "已记下,但本项待定:是否适用要看 {facts}(f 录入)",
        "kept, but pending: whether it applies depends on {facts} (f to enter)",
    ),
    "insp.computed_state": (
        "本项由基本情况自动判定({state}),不能手动标记;需扣分时按 o 手动扣分",
        "decided by the facts ({state}), not by a mark; o enters a manual deduction",
    ),
    "insp.tab_item": ("检查项", "Item"),
    "insp.tab_facts": ("基本情况", "Facts"),
    "insp.tab_hint": ("f 切换", "f switches"),
    "insp.search": ("搜索检查项(Enter 确定,Esc 取消)", "search items (Enter to keep, Esc to clear)"),
    "insp.filter.all": ("全部", "all"),
    "insp.filter.unanswered": ("未检查", "unanswered"),
    "insp.filter.failed": ("不符合", "failed"),
    "insp.filter.notes": ("有备注", "with notes"),
    "insp.filter_now": ("筛选: {name}", "filter: {name}"),
    "insp.none_left": ("没有未检查的项目了", "no unanswered items left"),
    "insp.nothing_to_undo": ("没有可撤销的修改", "nothing to undo"),
    "insp.undone": ("已撤销: {what}", "undone: {what}"),
    "insp.group": ("请在末级检查项上标记", "mark the sub-items, not the group"),
    "insp.save_failed": ("保存失败,修改保留在内存中,将自动重试: {error}", "saving failed; the change is kept in memory and will be retried: {error}"),
    "insp.no_match": ("没有匹配的检查项", "no matching items"),
    "insp.no_count": ("本项没有按个数扣分的条款,无需计数", "this item has no per-instance rule: no count needed"),
    "insp.no_points": ("本项及其上级均无分值,不能手动扣分", "no points here or above to deduct from"),
    "key.mark_pass": ("符合", "pass"),
    "key.mark_fail": ("不符合", "fail"),
    "key.mark_na": ("不适用", "N/A"),
    "key.next_open": ("下一未检", "next open"),
    "key.prev_open": ("上一未检", "prev open"),
    "key.note": ("备注", "note"),
    "key.count": ("计数", "count"),
    "key.evidence": ("证据", "evidence"),
    "key.override": ("手动扣分", "override"),
    "key.facts": ("基本情况", "facts"),
    "key.search": ("搜索", "search"),
    "key.filter": ("筛选", "filter"),
    "key.jump": ("跳转大项", "jump"),
    "key.undo": ("撤销", "undo"),
    "key.summary": ("汇总", "summary"),
})

POSITION_DELAY = 0.3  # seconds at rest before the cursor's item is saved (arrows held down do not save each line)


class InspectionScreen(Screen[None]):
    # The tree has the focus from the start: Textual's default ("*") focused the search field
    # first, then on_mount moved it to the tree — two restyles of both before the first key.
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
        Binding("v", "evidence", t("key.evidence"), id="item.evidence", show=False),
        Binding("o", "override", t("key.override"), id="item.override", show=False),
        Binding("f", "facts", t("key.facts"), id="view.facts"),
        Binding("slash", "search", t("key.search"), id="view.search", show=False),
        Binding("F", "next_filter", t("key.filter"), id="view.filter", show=False),
        Binding("g", "jump", t("key.jump"), id="nav.jump", show=False),
        Binding("u,ctrl+z", "undo", t("key.undo"), id="item.undo", show=False),
        Binding("s", "summary", t("key.summary"), id="view.summary"),
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
        self.undo_stack: list[tuple[str, str, Any]] = []
        self.saver: Autosaver | None = None
        self._position_timer: Timer | None = None
        self.last_item: str | None = None
        self.previous_session: Any = None  # a re-inspection's last time, once read

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                search = CleanInput(placeholder=t("insp.search"), id="search")
                search.display = False  # shown by `/`; hidden before it is mounted, not after
                yield search
                yield ItemTree(self.checklist, id="tree")
            with _Pane(id="right"):
                yield PaneTabs([("answer", t("insp.tab_item")), ("facts", t("insp.tab_facts"))], t("insp.tab_hint"), id="panes")
                with ContentSwitcher(initial="answer"):
                    yield AnswerPanel(self.checklist, id="answer")
                    yield FactsPanel(self.checklist, self.opened.session.facts, id="facts")
        yield StatusBar(self.opened.session.branch.name, self.opened.checklist, id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        session = self.opened.session
        self.title = session.branch.name
        self.sub_title = f"{self.checklist.title} {self.checklist.version}"
        if not self.opened.read_only:
            # post_message is thread-safe and does not wait: the saver never blocks on the UI
            # (call_from_thread would, and deadlock with close_session waiting for the saver).
            self.saver = Autosaver(
                self.opened.file.commit,
                on_saved=lambda seq: self.post_message(self.Saved(seq)),
                on_error=lambda exc: self.post_message(self.SaveFailed(exc)),
            )
            self.opened.writer = self.saver.submit
        self.query_one(AnswerPanel).note_typed = self._note_typed
        self.rebuild_tree()
        self.show_filter()
        tree = self.query_one(ItemTree)
        tree.focus()
        # the facts form is built once the first frame is on the screen, off its path (facts_panel.py)
        self.call_after_refresh(self.set_timer, 0.05, self.query_one(FactsPanel).build)
        target = session.position.item if self.checklist.has_item(session.position.item) else self._first_open()
        self.call_after_refresh(self._land_on, target)
        self.refresh_all()
        # A notice, not part of the first frame: the catalog is read once that frame is drawn, so
        # its reading (a thread, but holding the GIL) does not share the CPU with it.
        self.call_after_refresh(self.check_newer_version)
        self.call_after_refresh(self.app.started)  # type: ignore[attr-defined]
        if self.opened.session.previous:
            self.load_previous()
        status = self.query_one(StatusBar)
        if self.app.trial:  # type: ignore[attr-defined]
            status.saved("trial")
        else:
            status.saved("read_only" if self.opened.read_only else "saved")

    @work(thread=True, exclusive=True, group="newer-version")
    def check_newer_version(self) -> None:
        """Say when the standard has a newer version than the one this session froze (reading the
        checklist files is disk work: off the UI thread)."""
        from ...core.checklist import catalog

        try:
            current = catalog.current_version(self.checklist.id, self.app.extra_checklists)  # type: ignore[attr-defined]
        except Exception:  # removed or broken: the frozen copy still works, nothing to say
            return
        if current is not None and current != self.opened.session.checklist_version:
            self.post_message(self.NewerVersion(current))

    @work(thread=True, exclusive=True, group="previous")
    def load_previous(self) -> None:
        """Last time's findings for a re-inspection, shown beside each item (read-only, off the UI thread)."""
        try:
            previous = self.opened.repo.open(self.opened.session.previous, write=False)
        except Exception:  # deleted or damaged: the re-inspection goes on without it
            return
        try:
            result = previous.session.score()
            findings = {
                item_id: (r.state.value if r.state else None, previous.session.answers.get(item_id))
                for item_id, r in result.items.items()
            }
        finally:
            previous.close()
        facts = self.opened.previous_facts()  # typed by this checklist; reads the file once more
        self.post_message(self.PreviousLoaded(previous.session.date.isoformat(), findings, previous.session, facts))

    @dataclass
    class PreviousLoaded(Message):
        date: str
        findings: dict
        session: Any  # the inspection this one follows, as read
        facts: dict  # its facts, shown as 上次 beside each field until confirmed

    def on_inspection_screen_previous_loaded(self, message: "InspectionScreen.PreviousLoaded") -> None:
        self.previous_session = message.session
        self.query_one(FactsPanel).set_previous(message.date, message.facts)
        self.query_one(AnswerPanel).previous = (message.date, message.findings)
        self.query_one(AnswerPanel).reload()
        self.show_current()

    @dataclass
    class NewerVersion(Message):
        version: str

    def action_compare(self) -> None:
        """A re-inspection against last time, as far as it has got (the palette's 对比上次检查)."""
        if self.previous_session is None:
            return
        from ...core.analysis.compare import compare
        from .compare import CompareScreen

        self.app.push_screen(CompareScreen(compare(self.previous_session, self.opened.session)))

    def on_inspection_screen_newer_version(self, message: "InspectionScreen.NewerVersion") -> None:
        self.notify(t("session.newer", version=message.version), timeout=10, markup=False)

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
            self.query_one(AnswerPanel).show(item, self.result, session.answers.get(item.id), self.editable, session.facts)

    @on(ItemTree.NodeHighlighted)
    def _moved(self) -> None:
        self.last_item = self.query_one(ItemTree).current_id
        self.show_current()
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_DELAY, self.save_position)

    def save_position(self) -> None:
        """Remember the item under the cursor (kept in `last_item`: this also runs on unmount)."""
        if self.last_item is None or self.opened.read_only:
            return
        try:
            self.opened.set_position(self.last_item, self.filter)
        except SessionError:
            pass

    # -- saving -----------------------------------------------------------------------------------

    def _saving(self) -> None:
        """Show the save state as the saver's counters have it, now (called after every hand-over
        and every acknowledgement, on the interface's thread, which alone hands changes over: a
        change it has handed over is therefore always counted in `submitted`)."""
        saver = self.saver
        if saver is None or self.app.trial:  # type: ignore[attr-defined]
            return
        if saver.error is not None:
            state = "unsaved"  # until a write succeeds: a refused change stays 未保存, not 保存中
        elif saver.saved:
            state = "saved"
        else:
            state = "saving"
        self.query_one(StatusBar).saved(state)

    @dataclass
    class Saved(Message):
        """The autosaver's fsync of every change up to `seq` returned (sent from its thread)."""

        seq: int

    @dataclass
    class SaveFailed(Message):
        """The disk refused a change; it is kept in memory (sent from the saver's thread)."""

        error: Exception

    def on_inspection_screen_saved(self) -> None:
        self._saving()

    def on_inspection_screen_save_failed(self, message: "InspectionScreen.SaveFailed") -> None:
        self._saving()
        self.notify(t("insp.save_failed", error=str(message.error)), severity="error", timeout=15, markup=False)
        self.set_timer(5, self._retry)

    def _retry(self) -> None:
        if self.saver is not None and self.saver.error is not None:
            self.saver.retry()

    def edit_answer(self, item_id: str, undoable: bool = True, redraw: bool = True, show: bool = True, **changes: Any) -> bool:
        old = self.opened.session.answers.get(item_id, Answer())
        try:
            self.opened.set_answer(item_id, self.inspector, **changes)
        except SessionError as exc:
            if redraw:
                self.notify(localize(str(exc)), severity="warning", markup=False)
            return False
        if self.opened.session.answers.get(item_id, Answer()) == old:
            return True  # nothing changed: nothing to save, undo or redraw
        if undoable:
            self.undo_stack.append(("answer", item_id, old))
        if redraw:
            self._saving()
            self.refresh_all(show=show, touched=item_id)
        return True

    # -- marking ----------------------------------------------------------------------------------

    def leaf_or_warn(self) -> Item | None:
        item = self.current()
        if item is None:
            return None
        if not item.is_leaf:
            self.notify(t("insp.group"), severity="warning", markup=False)
            return None
        return item

    def action_mark(self, state: str) -> None:
        """Mark the item under the cursor. 符合 and 不适用 move on to the next item to mark by hand,
        saying which computed items were passed over; 不符合 stays, since a failure usually wants a
        note or a count next. A computed item explains itself instead of taking a mark."""
        item = self.leaf_or_warn()
        if item is None:
            return
        if item.computed and state != "na":
            self.explain_computed(item)
            return
        # Moving on redraws the detail anyway (for the next item): do not draw this one first.
        if not self.edit_answer(item.id, show=False, state=State(state)):
            return
        waiting = self.result.items[item.id]
        if waiting.state is None and waiting.pending:  # kept, but no verdict until the facts say it applies
            facts = "、".join(self.checklist.fact(f).label for f in waiting.pending)
            self.notify(t("insp.marked_pending", facts=facts), markup=False, timeout=4)
        following = next_to_mark(self.checklist, self.result, item.id) if state != "fail" else None
        if following is not None and following.item_id is not None and following.item_id != item.id:
            self._land_on(following.item_id)
            if following.passed_computed:
                self.notify(t("insp.passed_computed", n=len(following.passed_computed)), markup=False, timeout=3)
        else:
            self.show_current()

    def explain_computed(self, item: Item) -> None:
        """“本项由基本情况自动判定”: what it is now and what it waits for, and how to change it."""
        r = self.result.items[item.id]
        if r.state is None and r.pending:
            facts = "、".join(self.checklist.fact(f).label for f in r.pending)
            message = t("insp.computed_pending", facts=facts)
        else:
            message = t("insp.computed_state", state=state_label(r.state.value if r.state else None))
        self.notify(message, markup=False, timeout=4)

    def action_cycle(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        order = [None, State.PASS, State.FAIL] + ([State.NA] if item.na_allowed else [])
        current = self.opened.session.answers.get(item.id, Answer()).state
        following = order[(order.index(current) + 1) % len(order)] if current in order else State.PASS
        self.edit_answer(item.id, state=following)

    def action_clear(self) -> None:
        item = self.leaf_or_warn()
        if item is not None:
            self.edit_answer(item.id, state=None)

    def action_override(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        if not any(i.points is not None for i in self.checklist.path_to(item.id)):
            self.notify(t("insp.no_points"), severity="warning", markup=False)
            return
        from .dialogs import OverrideDialog

        answer = self.opened.session.answers.get(item.id, Answer())
        current = answer.override

        def done(value: Any) -> None:
            if value is None:
                return
            if value is False:
                self.edit_answer(item.id, override=None)
            else:
                points, reason = value
                self.edit_answer(item.id, override=Override(points, reason))

        self.app.push_screen(
            OverrideDialog(item.text, current.points if current else None, current.reason if current else "", item.points),
            done,
        )

    # -- editors ----------------------------------------------------------------------------------

    @on(AnswerPanel.Edited)
    def _edited(self, event: AnswerPanel.Edited) -> None:
        if event.field == "note":
            # Usually saved already by `_note_typed`; this catches the editor's own undo/redo.
            # The message may be older than the last keystroke: save the editor's text as it is
            # now, never the message's, so a late message cannot put an older note back.
            panel = self.query_one(AnswerPanel)
            if panel.item is not None and panel.item.id == event.item_id:
                self._note_typed(event.item_id, panel.note_text)
        else:
            self.edit_answer(event.item_id, **{event.field: event.value})

    def _note_typed(self, item_id: str, text: str) -> None:
        """A keystroke in the note editor: save the note now. One undo step per typing burst.
        Nothing else to redraw (the editor shows the text already) unless the item gains or
        loses its note, which its tree label shows."""
        undoable = not self.opened.typing_continues(item_id)
        had_note = bool(self.opened.session.answers.get(item_id, Answer()).note)
        relabel = had_note != bool(text)
        self.edit_answer(item_id, undoable=undoable, redraw=relabel, show=False, typing=True, note=text)
        if not relabel:
            self._saving()

    def action_note(self) -> None:
        if self.leaf_or_warn() is not None:
            self.show_pane("answer")
            self.query_one(AnswerPanel).focus_note()

    def action_count(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        if not self.query_one(AnswerPanel).uses_count(item):
            self.notify(t("insp.no_count"), severity="warning", markup=False)
            return
        self.show_pane("answer")
        self.query_one(AnswerPanel).focus_count()

    def action_evidence(self) -> None:
        if self.leaf_or_warn() is not None:
            self.show_pane("answer")
            self.query_one(AnswerPanel).focus_evidence()

    # -- facts ------------------------------------------------------------------------------------

    @property
    def pane(self) -> str:
        """The pane beside the tree: "answer" (the item) or "facts"."""
        return self.query_one(ContentSwitcher).current or "answer"

    def show_pane(self, pane: str) -> None:
        if self.pane != pane:
            self.query_one(ContentSwitcher).current = pane
            self.query_one(PaneTabs).active = pane

    def on_key(self, event: events.Key) -> None:
        """`f` here, at once, not as a binding: a binding runs only when the key has bubbled up to the
        app, and the keys typed after it would meanwhile go to the tree (and `y` mark an item). Keys
        that reach the screen from outside the form while the form has the focus were typed before
        the focus moved into it: they go on to the form, in order."""
        panel = self.query_one(FactsPanel)
        if panel.holds_focus():
            if not getattr(event, "via_form", False):
                event.stop()
                event.prevent_default()
                self.focused._forward_event(events.Key(event.key, event.character))  # type: ignore[union-attr]
        elif event.key == "f" and isinstance(self.focused, ItemTree):
            event.stop()
            event.prevent_default()
            self.action_facts()

    def action_facts(self) -> None:
        """`f`: into the form (at the field last used), or, from inside it, back to the tree."""
        panel = self.query_one(FactsPanel)
        if self.pane == "facts" and panel.holds_focus():
            self._leave_facts()
            return
        self.show_pane("facts")
        panel.focus_field()

    def _leave_facts(self) -> None:
        self.show_pane("answer")
        self.set_focus(self.query_one(ItemTree))  # at once: the next key is for the items

    @on(FactsPanel.Leave)
    def _facts_left(self) -> None:
        self.show_pane("answer")

    @on(PaneTabs.Chosen)
    def _pane_chosen(self, event: PaneTabs.Chosen) -> None:
        if event.pane == "facts" and self.pane != "facts":
            self.action_facts()
        elif event.pane == "answer" and self.pane != "answer":
            self._leave_facts()

    @on(FactsPanel.Changed)
    def _fact(self, event: FactsPanel.Changed) -> None:
        old = self.opened.session.facts.get(event.fact_id)
        try:
            self.opened.set_fact(event.fact_id, event.value, self.inspector)
        except SessionError as exc:
            self.notify(localize(str(exc)), severity="warning", markup=False)
            self.query_one(FactsPanel).set_values(self.opened.session.facts)
            return
        self.undo_stack.append(("fact", event.fact_id, old))
        self._saving()
        self.refresh_all()

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
            self.notify(t("insp.none_left"), markup=False)
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
        self.notify(t("insp.filter_now", name=t("insp.filter." + self.filter)), markup=False)

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
            self.notify(t("insp.no_match"), markup=False)
        self.query_one(ItemTree).focus()

    @on(FactsPanel.ConfirmPrevious)
    def _confirm_previous(self, event: FactsPanel.ConfirmPrevious) -> None:
        """Last time's values entered as found today: audited and undone like any fact edit."""
        before = dict(self.opened.session.facts)
        try:
            entered = self.opened.confirm_previous(self.inspector, event.fact_ids)
        except SessionError as exc:
            self.notify(localize(str(exc)), severity="warning", markup=False)
            return
        self.undo_stack += [("fact", fact_id, before.get(fact_id)) for fact_id in entered]
        self.query_one(FactsPanel).set_values(self.opened.session.facts)
        self._saving()
        self.refresh_all()
        self.notify(t("session.confirmed", count=len(entered)), markup=False)

    # -- undo, summary, leaving --------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify(t("insp.nothing_to_undo"), markup=False)
            return
        kind, key, old = self.undo_stack.pop()
        if kind == "answer":
            fields = {"state": old.state, "count": old.count, "note": old.note, "evidence": list(old.evidence), "override": old.override}
            if self.edit_answer(key, undoable=False, **fields):
                self.query_one(AnswerPanel).reload()
                self.go_to(key)
                self.notify(t("insp.undone", what=self.checklist.item(key).text), markup=False)
        else:
            try:
                self.opened.set_fact(key, old, self.inspector)
            except SessionError as exc:
                self.notify(localize(str(exc)), severity="warning", markup=False)
                return
            self.query_one(FactsPanel).set_values(self.opened.session.facts)
            self._saving()
            self.refresh_all()
            self.notify(t("insp.undone", what=self.checklist.fact(key).label), markup=False)

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.opened, self.inspector))

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
        self.app.leave_inspection()  # type: ignore[attr-defined]

    def close_session(self) -> None:
        """Save what is pending, wait for the disk, release the lock. Safe to call twice."""
        if self.opened.lock is None and self.saver is None:
            return
        self.save_position()
        if self.saver is not None:
            self.saver.wait(10)
            self.saver.close()
            self.saver = None
        self.opened.close()

    def on_unmount(self) -> None:
        self.close_session()
