"""The footer: the keys of the screen with their Chinese labels, drawn as one line.

Textual's Footer is a row of FooterKey widgets, one per key, rebuilt (unmounted, mounted, laid
out, styled) whenever the active bindings are recomputed — twice per focus change, so twice for
every note typed — and each of its keys is a widget the compositor draws on every frame. Measured
with bench/keys.py, that cost the inspection screen ~8 ms per item. This footer is one widget: it
renders the same keys, in the same theme colours ($footer-key-foreground, …), from
`screen.active_bindings`, and repaints its line only when what it shows changes. A click on a
key presses it, as on Textual's footer; a disabled key is dimmed and rings the bell.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from ...i18n import label, t

# Textual's own widgets bring English descriptions; the footer says them in the interface's language.
TEXTUAL_WORDS = {"Dismiss menu": "key.dismiss_menu"}


def _said(description: str) -> str:
    key = TEXTUAL_WORDS.get(description)
    return t(key) if key else label(description)


@dataclass(frozen=True)
class Shown:
    key: str  # the binding's key, pressed on a click
    display: str  # how the key is written ("y", "⏎", "^q")
    description: str
    enabled: bool


class KeyFooter(Widget):
    """One line of keys, like Textual's Footer, redrawn only when the keys change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        .key-footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .key-footer--description { color: $footer-description-foreground; background: $footer-description-background; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[Shown, ...] = ()
        self.tail: tuple[Shown, ...] = ()  # help and the palette, always shown at the right
        self._spans: list[tuple[int, int, Shown]] = []  # cells each key covers, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        app = self.app
        active = screen.active_bindings
        keys, seen, tail = [], set(), []
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in seen:  # one entry per action, as Footer does
                seen.add(binding.action)
                shown = Shown(binding.key, app.get_key_display(binding), _said(binding.description), enabled)
                # Help stays at the right whatever the width: it lists every key that did not fit.
                (tail if binding.action in ("help", "app.help") else keys).append(shown)
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            tail.append(Shown(binding.key, app.get_key_display(binding), _said(binding.description), enabled))
        if (tuple(keys), tuple(tail)) != (self.keys, self.tail):
            self.keys, self.tail = tuple(keys), tuple(tail)
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        tail_parts = [self._part(shown, key_style, description_style) for shown in self.tail]
        room = width - sum(part.cell_len for part in tail_parts) - (1 if tail_parts else 0)
        for shown in self.keys:
            part = self._part(shown, key_style, description_style)
            if line.cell_len + part.cell_len > room:
                break  # a key is shown with its label or not at all; ?/F1 lists the rest
            start = line.cell_len
            line.append_text(part)
            self._spans.append((start, line.cell_len, shown))
        if tail_parts:
            line.pad_right(max(0, room - line.cell_len))
            line.append("▏")
            for shown, part in zip(self.tail, tail_parts):
                start = line.cell_len
                line.append_text(part)
                self._spans.append((start, line.cell_len, shown))
        line.truncate(width, overflow="crop")
        return line

    @staticmethod
    def _part(shown: Shown, key_style: object, description_style: object) -> Text:
        part = Text.assemble((f" {shown.display} ", key_style), (f"{shown.description} ", description_style))
        if not shown.enabled:
            part.stylize("dim")
        return part

    def on_click(self, event: events.Click) -> None:
        for start, end, shown in self._spans:
            if start <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key.split(",")[0])
                else:
                    self.app.bell()
                return

