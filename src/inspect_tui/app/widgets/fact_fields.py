"""The fields of the facts form (基本情况), built for a hand that types faster than the screen draws.

Textual runs a key binding only once the key has bubbled up to the app, through one message queue
per widget. In a form that made Enter (a binding of Input) take effect after the keys typed next had
already landed in the same field: "2026-01-01⏎2026-06-30⏎" became one value. Every field here
therefore handles its keys itself, in its own key handler, in order:

- Enter takes the value and moves the focus on at once (`FactForm.advance`), before the next key is
  read; a key that still arrives at a field after the focus has left it is handed on, in order, to
  whichever widget has the focus now (`hand_on`).
- Input's editing keys (Backspace, arrows, Home…) run at once too, for the same reason.
- `f` and Esc leave the form for the item tree. In a text fact `f` is a letter: there Esc leaves.
  `u` undoes the last change, as on the tree (in a text fact it is a letter too).
- Keys that mean something on an item (y n a space …) never reach the item behind the form.

`BoolField` shows 是 / 否 / 未填 and takes y, n, 是, 否 (typed or pasted), Space toggles, Delete or
Backspace clears. `ChoiceField` is one line: the first character of a choice (again: the next one
starting so), 1…9 for the n-th, ←/→ or ↑/↓; no list opens. Every change is sent at once and, like any
fact edit, saved, audited and undone with `u`.
"""

from __future__ import annotations

import re
from ...quick_dataclass import dataclass
from typing import Any, Protocol

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from .clean_input import CleanInput

from ...core.checklist.model import Fact
from ...i18n import t

LEAVE_KEYS = ("escape",)
YES_WORDS = ("y", "是", "yes", "true", "1")
NO_WORDS = ("n", "否", "no", "false", "0")

_DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")
_F_KEY = re.compile(r"f\d+")
_DATE_DIGITS = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def normalize_date(text: str) -> str:
    """20250630, 2025-6-30, 2025.6.30, 2025/6/30, 2025年6月30日 → 2025-06-30 (else as typed, for the
    core to refuse with its reason)."""
    match = _DATE_PARTS.match(text) or _DATE_DIGITS.match(text)
    if not match:
        return text
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


class FactForm(Protocol):
    """What a field asks of the form it sits in (FactsPanel)."""

    def take(self, fact: Fact, raw: Any) -> bool: ...

    def advance(self, field: Widget) -> None: ...

    def leave(self) -> None: ...


def hand_on(widget: Widget, event: events.Key) -> bool:
    """A key that arrives after the focus has moved on goes where the focus is now, in order; True
    when handed on. (A message is dispatched once: the widget there gets a copy.)"""
    focused = widget.screen.focused if widget.is_attached else None
    if focused is widget:
        return False
    event.stop()
    event.prevent_default()
    target = focused if focused is not None else widget.screen
    target._forward_event(events.Key(event.key, event.character))
    return True


def form_of(widget: Widget) -> FactForm:
    for node in widget.ancestors:
        if hasattr(node, "advance") and hasattr(node, "take"):
            return node  # type: ignore[return-value]
    raise LookupError("a fact field outside the facts form")


class FactInput(CleanInput):
    """A typed fact (number, date, text) in an Input whose keys take effect in the order typed;
    what the text gate refuses is removed as it is typed (CleanInput)."""

    def __init__(self, fact: Fact, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fact = fact

    async def _on_key(self, event: events.Key) -> None:
        if hand_on(self, event):
            return
        key = event.key
        leaves = key in LEAVE_KEYS or (key == "f" and self.fact.type != "text")
        if key == "enter" or leaves:
            event.stop()
            event.prevent_default()
            form = form_of(self)
            if key == "enter":
                if form.take(self.fact, self.value):
                    form.advance(self)
            else:
                form.take(self.fact, self.value)  # a bad value stays shown, with its reason
                form.leave()
            return
        if key == "u" and self.fact.type != "text":
            event.prevent_default()  # not typed (no number or date has a u): the screen's undo
            return
        if event.is_printable:
            return  # Input types it, in this same handler
        bindings = self._bindings.key_to_bindings.get(key, [])
        if bindings:  # Input's editing keys, now rather than once bubbled up to the app
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)


class ChoiceLike(Widget, can_focus=True):
    """A fact field drawn as one line of options; the subclasses say what the options are."""

    DEFAULT_CSS = """
    ChoiceLike { height: auto; width: auto; max-width: 100%; padding: 0 1; background: $panel; }
    ChoiceLike:disabled { opacity: 0.7; }
    """

    @dataclass
    class Changed(Message):
        field: "ChoiceLike"
        value: Any  # typed already (bool or the choice's text); None clears

        @property
        def control(self) -> "ChoiceLike":
            return self.field

    def __init__(self, fact: Fact, value: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fact = fact
        self._value = value

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        """Set by hand (a test, a Select-like caller): sent like a key would."""
        self._choose(value)

    def show(self, value: Any) -> None:
        """Shown as given (after an undo or a confirm); nothing is sent."""
        self._value = value
        self.refresh(layout=True)

    def _choose(self, value: Any) -> None:
        if self.disabled:
            return
        changed = value != self._value
        self._value = value
        self.refresh(layout=True)
        if changed:
            self.post_message(self.Changed(self, value))

    def options(self) -> list[tuple[Any, str]]:
        raise NotImplementedError

    def hint(self) -> str:
        return ""

    def render(self) -> Text:
        text = Text()
        for n, (value, label) in enumerate(self.options()):
            if n:
                text.append(" ")
            chosen = value == self._value
            text.append(f" {label} ", style="bold reverse" if chosen else ("dim" if value is None else ""))
        if self.has_focus:
            text.append(f"  {self.hint()}", style="italic")
        return text

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)

    def on_click(self) -> None:
        self.focus()

    async def _on_key(self, event: events.Key) -> None:
        if hand_on(self, event):
            return
        key, char = event.key, event.character
        if key in ("enter", "tab", "shift+tab") or key.startswith("ctrl+") or _F_KEY.fullmatch(key):
            if key == "enter":
                event.stop()
                event.prevent_default()
                form_of(self).advance(self)
            return  # Tab, Ctrl+Y, F1… as everywhere
        if char in ("u", "?"):
            return  # undo and help, as everywhere in the inspection
        # every other key is this field's: none of them may reach the item behind the form
        event.stop()
        event.prevent_default()
        if key == "f" or key in LEAVE_KEYS:
            form_of(self).leave()
        elif key in ("delete", "backspace"):
            self._choose(None)
        elif not self.disabled:
            self.key_typed(key, char)

    def _on_paste(self, event: events.Paste) -> None:
        """是/否 or a choice's text from an input method arrives as a paste."""
        event.stop()
        self.key_typed("", event.text.strip())

    def key_typed(self, key: str, char: str | None) -> None:
        raise NotImplementedError


class BoolField(ChoiceLike):
    """是 / 否 / 未填."""

    def options(self) -> list[tuple[Any, str]]:
        return [(True, t("field.yes")), (False, t("field.no")), (None, t("field.unset"))]

    def hint(self) -> str:
        return t("field.bool_hint")

    def key_typed(self, key: str, char: str | None) -> None:
        word = (char or "").strip().lower()
        if key == "space":
            self._choose(False if self._value is True else True)
        elif word in YES_WORDS:
            self._choose(True)
        elif word in NO_WORDS:
            self._choose(False)


class ChoiceField(ChoiceLike):
    """One of the fact's choices, picked by its first character, its number or the arrows."""

    def options(self) -> list[tuple[Any, str]]:
        choices = [(c, f"{n}{c}" if len(self.fact.choices) <= 9 else c) for n, c in enumerate(self.fact.choices, 1)]
        return choices + ([(None, t("field.unset"))] if self._value is None else [])

    def hint(self) -> str:
        return t("field.choice_hint", n=min(9, len(self.fact.choices)))

    def key_typed(self, key: str, char: str | None) -> None:
        choices = list(self.fact.choices)
        at = choices.index(self._value) if self._value in choices else -1
        if key in ("right", "down", "space"):
            self._choose(choices[(at + 1) % len(choices)])
        elif key in ("left", "up"):
            self._choose(choices[(at - 1) % len(choices)])
        elif char and char in choices:  # pasted whole
            self._choose(char)
        elif char and char.isdigit() and 1 <= int(char) <= min(9, len(choices)):
            self._choose(choices[int(char) - 1])
        elif char:
            first = char.lower()
            starting = [n for n, c in enumerate(choices) if c.lower().startswith(first)]
            if starting:  # pressed again: the next one starting so
                following = [n for n in starting if n > at]
                self._choose(choices[(following or starting)[0]])
