"""The rectification screen's dialogs, and the attach dialog: a few labelled one-line inputs
(`FormDialog`) and a pick from a short list (`PickDialog`).

A form does not judge what was typed itself: Enter hands the values to `attempt`, which makes the
edit through the core and returns None when it was done (the dialog closes) or the one line that
says what was wrong (the dialog stays, the inputs as typed, the line under them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import t
from ..widgets.clean_input import CleanInput
from .base import AppModal


@dataclass(frozen=True)
class Field:
    """One input of a form: its name (the key of the values handed on), label and first value."""

    name: str
    label: str
    value: str = ""


class FormDialog(AppModal[bool]):
    """A title, the fields, a line for what was wrong. Dismisses True once `attempt` succeeded,
    False on Esc."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 76; max-width: 96%; height: auto; max-height: 96%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    FormDialog Label { width: 100%; }
    FormDialog .form-title { text-style: bold; }
    FormDialog Input { margin-bottom: 0; }
    FormDialog #form-error { color: $error; height: auto; }
    FormDialog #form-hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="form.cancel")]

    def __init__(self, title: str, fields: Sequence[Field], attempt: Callable[[dict[str, str]], str | None]) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.form_title), classes="form-title")
            for field in self.fields:
                yield Label(Text(field.label))
                yield CleanInput(value=field.value, id=f"form-{field.name}")
            yield Static("", id="form-error", markup=False)
            yield Static(t("form.hint"), id="form-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(f"#form-{self.fields[0].name}", Input).focus()

    def values(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#form-{f.name}", Input).value for f in self.fields}

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        names = [f"form-{f.name}" for f in self.fields]
        at = names.index(event.input.id or "")
        if at + 1 < len(names):
            self.query_one(f"#{names[at + 1]}", Input).focus()
            return
        self.confirm()

    def confirm(self) -> None:
        problem = self.attempt(self.values())
        if problem is None:
            self.dismiss(True)
        else:
            self.query_one("#form-error", Static).update(problem)

    @property
    def error(self) -> str:
        return str(self.query_one("#form-error", Static).render())

    def action_cancel(self) -> None:
        self.dismiss(False)


class PickDialog(AppModal["int | None"]):
    """One line of a short list: Enter dismisses with its index, Esc with None."""

    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical {
        width: 80; max-width: 96%; height: auto; max-height: 90%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    PickDialog OptionList { height: auto; max-height: 16; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="pick.cancel")]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.pick_title = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.pick_title))
            yield OptionList(*(Option(Text(line)) for line in self.lines), id="pick-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
