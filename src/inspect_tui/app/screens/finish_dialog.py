"""The sign-off dialog (签字完成): who signs, who received the findings for the branch, the notice
period and who issues it. Enter moves to the next field, on the last one it signs off; Escape
cancels. It only asks: the summary screen signs the session off with the answer (core/session/signoff.py).

The inspectors are prefilled with the names used last (the user config, core/settings.py, as the
new-inspection dialog does), never from the session: signing is a statement of who is there now.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ...core import settings
from ...core.session.rectification import MAX_DAYS
from ...i18n import t
from ..widgets.clean_input import CleanInput
from .base import AppModal
from .new_session import split_names

FIELDS = ("inspectors", "received", "days", "issuer")


@dataclass(frozen=True)
class SignOffAnswer:
    inspectors: list[str]
    received_by: str
    notice_days: int
    issuer: str


class FinishDialog(AppModal["SignOffAnswer | None"]):
    """Ask for the sign-off's names and the notice; None when cancelled."""

    DEFAULT_CSS = """
    FinishDialog { align: center middle; }
    FinishDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    FinishDialog #finish-title { text-style: bold; width: 1fr; }
    FinishDialog #finish-intro { color: $text-muted; height: auto; margin-bottom: 1; }
    FinishDialog .field { height: 1; }
    FinishDialog .field Label { width: 16; color: $text-muted; }
    FinishDialog .field Input { width: 1fr; background: $panel; }
    FinishDialog .field Input:focus { background: $panel; background-tint: $primary 30%; }
    FinishDialog .field-error { height: 1; margin-left: 16; color: $error; }
    FinishDialog #finish-buttons { height: 1; margin-top: 1; }
    FinishDialog #finish-keys { width: 1fr; color: $text-muted; }
    FinishDialog Button { margin-left: 2; width: auto; min-width: 0; padding: 0 2; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="finish.cancel")]

    def __init__(self, branch: str, notice_days: int, issuer: str, received_by: str = "") -> None:
        super().__init__()
        self.branch = branch
        self.notice_days = notice_days
        self.issuer = issuer
        self.received_by = received_by  # a session signed before and reopened: its receiver offered again

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("signoff.dialog.title"), id="finish-title")
            yield Static(Text(t("signoff.dialog.intro", branch=self.branch)), id="finish-intro")
            yield from self._field("inspectors", "、".join(settings.recent_inspectors()), t("signoff.dialog.inspectors_hint"))
            yield from self._field("received", self.received_by, t("signoff.dialog.received_hint"))
            yield from self._field("days", str(self.notice_days), t("signoff.dialog.days_hint"))
            yield from self._field("issuer", self.issuer, t("signoff.dialog.issuer_hint"))
            with Horizontal(id="finish-buttons"):
                yield Static(t("signoff.dialog.keys"), id="finish-keys")
                yield Button(t("dialog.cancel"), id="finish-cancel", compact=True)
                yield Button(t("signoff.dialog.sign"), id="finish-sign", variant="primary", compact=True)

    def _field(self, name: str, value: str, hint: str) -> ComposeResult:
        row: Widget = Horizontal(classes="field")
        with row:
            yield Label(t(f"signoff.field.{name}"))
            yield CleanInput(value, placeholder=hint, id=f"finish-{name}", compact=True)
        yield Static("", classes="field-error", id=f"finish-{name}-error")

    def on_mount(self) -> None:
        self.query_one("#finish-inspectors", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#finish-{name}", Input).value.strip()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        """Enter: on to the next field; on the last one, sign off."""
        name = (event.input.id or "").removeprefix("finish-")
        if name == FIELDS[-1]:
            self.confirm()
        else:
            self.query_one(f"#finish-{FIELDS[FIELDS.index(name) + 1]}", Input).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "finish-sign":
            self.confirm()
        else:
            self.dismiss(None)

    def confirm(self) -> None:
        errors: dict[str, str] = {}
        names = split_names(self.value("inspectors"))
        if not names:
            errors["inspectors"] = t("signoff.dialog.need_inspectors")
        days = self.value("days")
        if not (days.isascii() and days.isdigit() and int(days) <= MAX_DAYS):
            errors["days"] = t("signoff.dialog.bad_days", most=MAX_DAYS)
        for name in FIELDS:
            self.query_one(f"#finish-{name}-error", Static).update(errors.get(name, ""))
        if errors:
            self.query_one(f"#finish-{next(n for n in FIELDS if n in errors)}", Input).focus()
            return
        self.dismiss(SignOffAnswer(names, self.value("received"), int(days), self.value("issuer")))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReopenDialog(AppModal["str | None"]):
    """Ask why a signed-off inspection is reopened (kept in its audit trail); None when cancelled."""

    DEFAULT_CSS = """
    ReopenDialog { align: center middle; }
    ReopenDialog > Vertical {
        width: 72; max-width: 100%; height: auto; padding: 0 1;
        border: thick $warning; background: $surface;
    }
    ReopenDialog #reopen-title { text-style: bold; }
    ReopenDialog #reopen-intro { color: $text-muted; height: auto; margin-bottom: 1; }
    ReopenDialog Input { background: $panel; }
    ReopenDialog #reopen-error { height: 1; color: $error; }
    ReopenDialog Horizontal { height: 1; margin-top: 1; }
    ReopenDialog #reopen-keys { width: 1fr; color: $text-muted; }
    ReopenDialog Button { margin-left: 2; width: auto; min-width: 0; padding: 0 2; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="reopen.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("signoff.reopen.title"), id="reopen-title")
            yield Static(t("signoff.reopen.intro"), id="reopen-intro")
            yield CleanInput(placeholder=t("signoff.reopen.hint"), id="reopen-reason", compact=True)
            yield Static("", id="reopen-error")
            with Horizontal():
                yield Static(t("signoff.reopen.keys"), id="reopen-keys")
                yield Button(t("dialog.cancel"), id="reopen-cancel", compact=True)
                yield Button(t("signoff.reopen.ok"), id="reopen-ok", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reopen-reason", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.confirm()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reopen-ok":
            self.confirm()
        else:
            self.dismiss(None)

    def confirm(self) -> None:
        reason = self.query_one("#reopen-reason", Input).value.strip()
        if not reason:
            self.query_one("#reopen-error", Static).update(t("signoff.reopen.need_reason"))
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
