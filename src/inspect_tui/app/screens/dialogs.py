"""Small modal dialogs shared by the screens; each returns its answer through `dismiss()`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...i18n import t
from ..widgets.clean_input import CleanInput
from .base import AppModal

class ConfirmDialog(AppModal[bool]):
    """A yes/no question. Enter or y confirms, Escape or n declines."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ConfirmDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", t("dialog.yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", t("dialog.no"), id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes = yes or t("dialog.ok")
        self.no = no or t("dialog.cancel")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class OverrideDialog(AppModal["tuple[Decimal, str] | None | bool"]):
    """Ask for a manual deduction and its mandatory reason.

    Dismisses with (points, reason), False to remove an existing override, or None to cancel.
    """

    DEFAULT_CSS = """
    OverrideDialog { align: center middle; }
    OverrideDialog > Vertical {
        width: 70; max-width: 95%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    OverrideDialog Input { margin-bottom: 1; }
    OverrideDialog .error { color: $error; height: auto; }
    OverrideDialog Horizontal { height: auto; align-horizontal: right; }
    OverrideDialog Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="override.cancel")]

    def __init__(self, item_text: str, points: Decimal | None = None, reason: str = "", maximum: Decimal | None = None) -> None:
        super().__init__()
        self.item_text = item_text
        self.points = points
        self.reason = reason
        self.maximum = maximum

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{t('override.title')}: {self.item_text}", style="bold"))
            yield Label(t("override.points"))
            yield CleanInput(value="" if self.points is None else format(self.points, "f"), id="points")
            yield Label(t("override.reason"))
            yield CleanInput(value=self.reason, id="reason")
            yield Static("", classes="error", id="error")
            with Horizontal():
                if self.points is not None:
                    yield Button(t("override.remove"), id="remove", variant="warning")
                yield Button(t("dialog.cancel"), id="cancel")
                yield Button(t("dialog.ok"), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#points", Input).focus()

    @on(Input.Submitted, "#points")
    def _next(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submitted(self) -> None:
        self.confirm()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.confirm()
        elif event.button.id == "remove":
            self.dismiss(False)
        else:
            self.dismiss(None)

    def confirm(self) -> None:
        error = self.query_one("#error", Static)
        try:
            points = Decimal(self.query_one("#points", Input).value.strip())
            if not points.is_finite() or points < 0:
                raise InvalidOperation
        except InvalidOperation:
            error.update(t("override.bad_points"))
            self.query_one("#points", Input).focus()
            return
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            error.update(t("override.no_reason"))
            self.query_one("#reason", Input).focus()
            return
        self.dismiss((points, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
