"""The checklist as a tree: a state mark on every item, progress and points lost on groups.

The tree can be filtered (all / unanswered / failed / with notes) and searched by text; a
filtered tree keeps the ancestors of every matching item so the inspector still sees where it
belongs.
"""

from __future__ import annotations

from typing import Callable, Mapping

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...core.session.answers import Answer
from ...core.checklist.model import Checklist, Item, State
from ...core.analysis.item_results import Result
from ...core.text import shown
from ...i18n import STATE_MARKS, t
from ..render import num

STATE_STYLES = {"pass": "green", "fail": "bold red", "na": "dim", "": "dim", "pending": "yellow"}


def matches_filter(kind: str, item: Item, result: Result, answers: Mapping[str, Answer]) -> bool:
    """Does a leaf belong in the tree under filter `kind`?"""
    state = result.items[item.id].state
    if kind == "unanswered":
        return state is None
    if kind == "failed":
        return state is State.FAIL
    if kind == "notes":
        answer = answers.get(item.id)
        return bool(answer and (answer.note or answer.evidence))
    return True


class ItemTree(Tree[str]):
    """A Tree whose node data is the item id.

    Space marks the item (the screen's cycle) instead of folding the node as in a plain Tree:
    on site, marking is what the thumb is for; Enter still folds a group.
    """

    BINDINGS = [Binding("space", "screen.cycle", t("key.cycle"), id="item.cycle_tree", show=False)]

    DEFAULT_CSS = """
    ItemTree { padding: 0; }
    """

    def __init__(self, checklist: Checklist, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.checklist = checklist
        self.show_root = False
        self.guide_depth = 2
        self.nodes: dict[str, TreeNode[str]] = {}
        self._drawn: dict[str, tuple] = {}  # item id → what its label was drawn from

    def rebuild(self, keep: Callable[[Item], bool], result: Result, answers: Mapping[str, Answer]) -> None:
        """Show the items `keep` accepts (with their ancestors); leaves the cursor to the caller."""
        self.clear()
        self.nodes = {}
        self._drawn = {}

        def wanted(item: Item) -> bool:
            return keep(item) if item.is_leaf else any(wanted(child) for child in item.items)

        def add(parent: TreeNode[str], item: Item) -> None:
            label = self.label_for(item, result, answers)
            self._drawn[item.id] = self._label_key(item.id, result, answers)  # relabel: nothing new yet
            if item.is_leaf:
                self.nodes[item.id] = parent.add_leaf(label, data=item.id)
                return
            node = parent.add(label, data=item.id, expand=True)
            self.nodes[item.id] = node
            for child in item.items:
                if wanted(child):
                    add(node, child)

        for section in self.checklist.sections:
            if wanted(section):
                add(self.root, section)

    def relabel(self, result: Result, answers: Mapping[str, Answer], touched: str | None = None) -> None:
        """Update the labels that changed (each set_label makes the tree redraw). A label is a
        function of a few fields of the item's result and answer: compare those, and build the
        label text only for the few items an edit touched. With `touched` (an answer's item),
        only that item and its ancestors are looked at: an answer changes no other label
        (tests/test_relabel_scope.py checks it on every bundled checklist)."""
        ids = [item.id for item in self.checklist.path_to(touched)] if touched else list(self.nodes)
        for item_id in ids:
            node = self.nodes.get(item_id)
            if node is None:
                continue  # filtered out of the tree
            drawn = self._drawn.get(item_id)
            now = self._label_key(item_id, result, answers)
            if drawn is None or now != drawn:
                self._drawn[item_id] = now
                label = self.label_for(self.checklist.item(item_id), result, answers)
                if label != node.label:
                    self._set_label(node, label)

    def _set_label(self, node: TreeNode[str], label: Text) -> None:
        """Give `node` a new label, redrawing its own line only.

        `TreeNode.set_label` counts an update of the node, and every line below it keys its cached
        drawing on that count (a group's guides show where the cursor is), so a group's new
        "answered/total" redrew all 20 lines of its section on every mark, and the tree drew most
        of the frame. A label is only ever drawn on its own line: drop that line's cached
        drawings and repaint that line."""
        if not node.children or node._line < 0:
            node.set_label(label)
            return
        node._label = self.process_label(label)
        line = node._line
        for key in [key for key in self._line_cache.keys() if key[0] == line]:
            self._line_cache.discard(key)
        self._refresh_line(line)

    @staticmethod
    def _label_key(item_id: str, result: Result, answers: Mapping[str, Answer]) -> tuple:
        r = result.items[item_id]
        answer = answers.get(item_id)
        return (r.state, bool(r.pending), r.answered, r.leaves, r.deducted, bool(r.warnings),
                bool(answer and (answer.note or answer.evidence)))

    def label_for(self, item: Item, result: Result, answers: Mapping[str, Answer]) -> Text:
        r = result.items[item.id]
        state = r.state.value if r.state else ("pending" if item.is_leaf and r.pending else "")
        label = Text(f"{STATE_MARKS[state or None]} ", style=STATE_STYLES[state])
        label.append(shown(item.text, multiline=False), style="bold" if not item.is_leaf else "")
        if not item.is_leaf:
            label.append(f"  {r.answered}/{r.leaves}", style="dim")
        else:
            answer = answers.get(item.id)
            if answer and (answer.note or answer.evidence):
                label.append(" ✎", style="cyan")
        if r.deducted:
            label.append(f"  -{num(r.deducted)}", style="red")
        elif r.warnings:
            label.append("  !", style="yellow bold")
        return label

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Bring `line` into view now, in the frame that moves the cursor. Textual's Tree defers
        the scroll until after the next frame: that frame drew the moved cursor, the next one the
        whole tree again, scrolled, with the scroll bar (and, landing with the save's ✓ at the
        bottom, a repaint of the entire screen). Before the tree has a size, as Textual does."""
        region = self._get_label_region(line)
        if region is None:
            return
        self.scroll_to_region(region, animate=animate, force=True, center=self.center_scroll,
                              origin_visible=False, x_axis=False, immediate=self.size.height > 0)

    @property
    def current_id(self) -> str | None:
        node = self.cursor_node
        return None if node is None else node.data

    def select_item(self, item_id: str) -> bool:
        node = self.nodes.get(item_id)
        if node is None:
            return False
        if node.line < 0:  # a freshly rebuilt tree has no lines until it is laid out
            self.call_after_refresh(self.move_cursor, node)
        else:
            self.move_cursor(node)
        return True
