"""Browse a checklist and try it out: mark items and watch the deductions (nothing is saved).

This is the inspection screen's first form; sessions (saving, facts, notes) build on it.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from ...core.answers import Answer, check_state
from ...core.model import Checklist, Item, State
from ...core.scoring import Result, score
from ...i18n import STATE_MARKS, t
from ..render import item_detail, num

_CYCLE = {None: State.PASS, State.PASS: State.FAIL, State.FAIL: State.NA, State.NA: None}


class ChecklistScreen(Screen[None]):
    """A tree of sections and items beside the current item's detail, with the score below."""

    BINDINGS = [
        Binding("y", "mark('pass')", t("key.pass"), id="item.pass"),
        Binding("n", "mark('fail')", t("key.fail"), id="item.fail"),
        Binding("a", "mark('na')", t("key.na"), id="item.na"),
        Binding("space", "cycle", t("key.cycle"), id="item.cycle", priority=True),
        Binding("backspace", "clear", t("key.clear"), id="item.clear"),
        Binding("j", "cursor(1)", t("key.down"), id="nav.down", show=False),
        Binding("k", "cursor(-1)", t("key.up"), id="nav.up", show=False),
        Binding("escape", "back", t("key.back"), id="nav.back"),
    ]

    def __init__(self, checklist: Checklist, today: dt.date | None = None) -> None:
        super().__init__()
        self.checklist = checklist
        self.today = today or dt.date.today()
        self.answers: dict[str, Answer] = {}
        self.nodes: dict[str, TreeNode[str]] = {}
        self.result: Result = score(checklist, {}, {}, self.today)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            tree: Tree[str] = Tree(Text(self.checklist.title), id="tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="detail"):
                yield Static(id="detail-text")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.checklist.title
        self.sub_title = f"{self.checklist.id} {self.checklist.version}"
        tree = self.query_one("#tree", Tree)

        def add(parent: TreeNode[str], item: Item) -> None:
            if item.is_leaf:
                self.nodes[item.id] = parent.add_leaf(self.label(item), data=item.id)
            else:
                node = parent.add(self.label(item), data=item.id, expand=True)
                self.nodes[item.id] = node
                for child in item.items:
                    add(node, child)

        for section in self.checklist.sections:
            add(tree.root, section)
        tree.focus()
        first = next(self.checklist.leaves(), None)
        if first is not None:
            self.call_after_refresh(tree.move_cursor, self.nodes[first.id])
        self.refresh_all()

    # -- rendering ------------------------------------------------------------------------------

    def label(self, item: Item) -> Text:
        result = self.result.items.get(item.id)
        state = result.state.value if result and result.state else None
        label = Text(f"{STATE_MARKS[state]} ", style={"pass": "green", "fail": "red bold", "na": "dim"}.get(state or "", "dim"))
        label.append(item.text)
        if result is not None and not item.is_leaf:
            label.append(f"  {result.answered}/{result.leaves}", style="dim")
        if result is not None and result.deducted:
            label.append(f"  -{num(result.deducted)}", style="red")
        return label

    def refresh_all(self) -> None:
        self.result = score(self.checklist, {}, self.answers, self.today)
        for item in self.checklist.walk():
            self.nodes[item.id].set_label(self.label(item))
        self.show_current()
        self.show_status()

    def show_status(self) -> None:
        r = self.result
        text = Text()
        text.append(f"{r.answered}/{r.leaves} ", style="bold")
        if r.scored:
            text.append(t("score.total", total=num(r.total), max=num(r.max)) + "  ")
            text.append(t("score.deducted", deducted=num(r.deducted)), style="red")
        else:
            percent = "—" if r.percent is None else f"{r.percent:.0f}"
            text.append(t("score.passed", passed=num(r.total), applicable=num(r.max), percent=percent))
        if r.grade:
            text.append("  " + t("score.grade", grade=r.grade))
        text.append("  " + t("view.not_saved"), style="dim italic")
        self.query_one("#status", Static).update(text)

    def current(self) -> Item | None:
        node = self.query_one("#tree", Tree).cursor_node
        if node is None or node.data is None:
            return None
        return self.checklist.item(node.data)

    def show_current(self) -> None:
        item = self.current()
        detail = self.query_one("#detail-text", Static)
        if item is None:
            detail.update("")
            return
        detail.update(item_detail(self.checklist, item, self.result))

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self.show_current()

    # -- actions ------------------------------------------------------------------------------

    def set_state(self, state: State | None) -> None:
        item = self.current()
        if item is None:
            return
        if not item.is_leaf:
            self.notify(t("view.not_leaf"), severity="warning")
            return
        try:
            check_state(self.checklist, item.id, state)
        except ValueError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.answers[item.id] = self.answers.get(item.id, Answer()).with_(state=state)
        self.refresh_all()

    def action_mark(self, state: str) -> None:
        self.set_state(State(state))

    def action_cycle(self) -> None:
        item = self.current()
        if item is not None:
            self.set_state(_CYCLE[self.answers.get(item.id, Answer()).state])

    def action_clear(self) -> None:
        self.set_state(None)

    def action_cursor(self, step: int) -> None:
        tree = self.query_one("#tree", Tree)
        tree.action_cursor_down() if step > 0 else tree.action_cursor_up()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()



