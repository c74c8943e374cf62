"""The two panes beside the tree — 检查项 (the item) and 基本情况 (the facts) — as one line of tabs.

Textual's TabbedContent would do, but it is eight widgets (tabs, their rows, an animated
underline) that restyle on every focus change and are composited on every frame; with a
keystroke's budget of a few milliseconds, one widget drawing one line is enough: the active
pane highlighted, `f` to switch, a click on a label to choose it.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class PaneTabs(Widget):
    """`panes` is [(id, label)]; `active` the id shown. Clicking a label posts `Chosen`."""

    COMPONENT_CLASSES = {"pane-tabs--active", "pane-tabs--inactive"}
    DEFAULT_CSS = """
    PaneTabs { height: 1; padding: 0 1; background: $panel; }
    PaneTabs > .pane-tabs--active { text-style: bold; color: $text; background: $accent 30%; }
    PaneTabs > .pane-tabs--inactive { color: $text-muted; }
    """

    active: reactive[str] = reactive("")

    @dataclass
    class Chosen(Message):
        pane: str

    def __init__(self, panes: list[tuple[str, str]], hint: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.panes = panes
        self.hint = hint
        self._spans: list[tuple[int, int, str]] = []
        self.set_reactive(PaneTabs.active, panes[0][0])

    def render(self) -> Text:
        active = self.get_component_rich_style("pane-tabs--active")
        inactive = self.get_component_rich_style("pane-tabs--inactive")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for pane, label in self.panes:
            start = line.cell_len
            line.append(f" {label} ", active if pane == self.active else inactive)
            self._spans.append((start, line.cell_len, pane))
            line.append(" ")
        if self.hint:
            line.append(self.hint, inactive)
        return line

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for start, end, pane in self._spans:
            if start <= x < end:
                self.post_message(self.Chosen(pane))
                return
