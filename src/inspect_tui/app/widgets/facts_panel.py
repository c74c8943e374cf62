"""The branch's facts (基本情况) as a form: one row per fact, typed, checked as you go.

A value is sent to the screen when the field is submitted or left; an invalid value shows its
error beside the field and is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from ...core.answers import fact_to_json, parse_fact_value
from ...core.model import Checklist, Fact
from ...i18n import register, t, localize
from .dates_field import DatesField

register({
    "facts.previous": ("上次({date}): {value}", "last time ({date}): {value}"),
    "facts.previous.same": (" · 与上次相同", " · as last time"),
    "facts.previous.open": (" · Ctrl+Y 按上次录入", " · Ctrl+Y: enter as last time"),
    "facts.previous.none": ("上次未填", "not entered last time"),
    "facts.key.confirm": ("按上次录入本项", "this fact as last time"),
    "facts.key.confirm_all": ("未填的全部按上次录入", "every blank fact as last time"),
    "facts.title": ("基本情况(录入后自动计算相关扣分;Enter 下一项)", "Facts (the computed rules update as you enter them; Enter: next)"),
    "facts.none": ("本检查表没有需要录入的基本情况。", "This checklist has no facts to enter."),
    "facts.yes": ("是", "yes"),
    "facts.no": ("否", "no"),
    "facts.unset": ("(未填)", "(not entered)"),
    "facts.date_hint": ("YYYY-MM-DD", "YYYY-MM-DD"),
})


class FactsPanel(VerticalScroll):
    DEFAULT_CSS = """
    FactsPanel { padding: 0 1; }
    FactsPanel .fact { height: auto; margin-bottom: 1; }
    FactsPanel .fact-label { color: $text; }
    FactsPanel .fact-row { height: auto; }
    FactsPanel .fact-help { color: $text-muted; }
    FactsPanel .fact-error { color: $error; height: auto; width: 1fr; padding-left: 1; }
    FactsPanel .fact-previous { color: $text-muted; height: auto; }
    FactsPanel .fact-previous.-empty { display: none; }
    FactsPanel Input, FactsPanel Select { width: 26; }
    """

    # a re-inspection: a fact counts as entered only once confirmed or typed anew (core: confirm_previous)
    BINDINGS = [
        Binding("ctrl+y", "confirm_one", t("facts.key.confirm"), id="facts.confirm"),
        Binding("ctrl+t", "confirm_all", t("facts.key.confirm_all"), id="facts.confirm_all"),
    ]

    @dataclass
    class Changed(Message):
        fact_id: str
        value: Any  # already typed by the fact's type; None clears

    @dataclass
    class ConfirmPrevious(Message):
        """Enter last time's value of these facts (none named: every one not entered yet)."""

        fact_ids: tuple[str, ...]

    def __init__(self, checklist: Checklist, values: Mapping[str, Any], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.checklist = checklist
        self.values = dict(values)
        self._loading = False
        self.previous: dict[str, Any] = {}  # last time's facts, once read (re-inspections only)
        self.previous_date = ""

    def compose(self) -> ComposeResult:
        yield Static(t("facts.title"), classes="fact-help")
        if not self.checklist.facts:
            yield Static(t("facts.none"))
        for fact in self.checklist.facts:
            with Vertical(classes="fact"):
                unit = f"({fact.unit})" if fact.unit else ""
                yield Label(Text(f"{fact.label}{unit}"), classes="fact-label")
                with Horizontal(classes="fact-row"):
                    yield self._field(fact)
                    yield Static("", classes="fact-error", id=f"error-{fact.id}")
                yield Static("", classes="fact-previous -empty", id=f"previous-{fact.id}")
                if fact.help:
                    yield Static(Text(fact.help), classes="fact-help")

    def _field(self, fact: Fact) -> Input | Select[str] | DatesField:
        value = self.values.get(fact.id)
        if fact.type == "dates":
            return DatesField(fact, value, self._period, id=f"fact-{fact.id}")
        if fact.type in ("boolean", "choice"):
            if fact.type == "boolean":
                options = [(t("facts.yes"), "true"), (t("facts.no"), "false")]
                current = None if value is None else ("true" if value else "false")
            else:
                options = [(choice, choice) for choice in fact.choices]
                current = value
            return Select(options, prompt=t("facts.unset"), value=current if current is not None else Select.NULL,
                          id=f"fact-{fact.id}", allow_blank=True, compact=True)
        text = "" if value is None else str(fact_to_json(value))
        placeholder = t("facts.date_hint") if fact.type == "date" else ""
        return Input(value=text, placeholder=placeholder, id=f"fact-{fact.id}", compact=True)

    def _fact_of(self, widget_id: str | None) -> Fact | None:
        if not widget_id or not widget_id.startswith("fact-"):
            return None
        try:
            return self.checklist.fact(widget_id[len("fact-"):])
        except KeyError:
            return None

    def _send(self, fact: Fact, raw: Any) -> bool:
        """Check and send a fact's value; False (and the reason beside the field) when it is bad."""
        error = self.query_one(f"#error-{fact.id}", Static)
        try:
            value = parse_fact_value(fact, raw)
        except ValueError as exc:
            error.update(Text(localize(str(exc))))
            return False
        error.update("")
        if fact_to_json(value) != fact_to_json(self.values.get(fact.id)):
            self.values[fact.id] = value
            self.post_message(self.Changed(fact.id, value))
            self.query(DatesField).refresh(layout=True)  # their month strips follow the period
            if self.previous_date:
                self._show_previous()
        return True

    def _period(self) -> tuple[Any, Any]:
        return self.values.get("period_start"), self.values.get("period_end")

    @on(DatesField.Changed)
    def _dates_entered(self, event: DatesField.Changed) -> None:
        fact = self._fact_of(event.field.id)
        if fact is not None:
            self._send(fact, event.value)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _input_done(self, event: Input.Submitted | Input.Blurred) -> None:
        fact = self._fact_of(event.input.id)
        if fact is not None and self._send(fact, event.value) and isinstance(event, Input.Submitted):
            self.screen.focus_next()  # Enter: on to the next fact, as in the new-inspection form

    @on(Input.Changed)
    def _input_typing(self, event: Input.Changed) -> None:
        """Check as the inspector types, but send only on Enter or leaving the field."""
        fact = self._fact_of(event.input.id)
        if fact is None:
            return
        error = self.query_one(f"#error-{fact.id}", Static)
        try:
            parse_fact_value(fact, event.value)
            error.update("")
        except ValueError as exc:
            error.update(Text(localize(str(exc))))

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        fact = self._fact_of(event.select.id)
        if fact is not None:
            value = None if event.value is Select.NULL else event.value
            self._send(fact, value)

    def set_editable(self, editable: bool) -> None:
        """Read-only or finished sessions show the facts but do not take edits."""
        if editable != getattr(self, "_editable", True):
            self._editable = editable
            for field in self.query("Input, Select, DatesField"):
                field.disabled = not editable

    def focus_first(self) -> None:
        fields = self.query("Input, Select, DatesField")
        if fields:
            fields.first().focus()

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show `values` (after an undo or a confirm) without sending them back."""
        self.values = dict(values)
        if self.previous_date:
            self._show_previous()
        for fact in self.checklist.facts:
            widget = self.query_one(f"#fact-{fact.id}")
            value = self.values.get(fact.id)
            if isinstance(widget, Select):
                if fact.type == "boolean":
                    selected = Select.NULL if value is None else ("true" if value else "false")
                else:
                    selected = Select.NULL if value is None else value
                with widget.prevent(Select.Changed):
                    widget.value = selected
            elif isinstance(widget, DatesField):
                widget.value = value
            elif isinstance(widget, Input):
                with widget.prevent(Input.Changed):
                    widget.value = "" if value is None else str(fact_to_json(value))

    # -- last time (上次) -----------------------------------------------------------------------

    def set_previous(self, date: str, values: Mapping[str, Any]) -> None:
        """Show last time's facts beside the fields; from now on the confirm keys work."""
        self.previous_date, self.previous = date, dict(values)
        self._show_previous()
        self.refresh_bindings()

    def _show_previous(self) -> None:
        for fact in self.checklist.facts:
            line = self.query_one(f"#previous-{fact.id}", Static)
            line.set_class(not self.previous_date, "-empty")
            if not self.previous_date:
                continue
            if fact.id not in self.previous:
                line.update(Text(t("facts.previous", date=self.previous_date, value=t("facts.previous.none"))))
                continue
            before = self.previous[fact.id]
            text = t("facts.previous", date=self.previous_date, value=self._shown(fact, before))
            current = self.values.get(fact.id)
            if current is None:
                text += t("facts.previous.open")
            elif fact_to_json(current) == fact_to_json(before):
                text += t("facts.previous.same")
            line.update(Text(text))

    def _shown(self, fact: Fact, value: Any) -> str:
        if fact.type == "boolean":
            return t("facts.yes") if value else t("facts.no")
        return f"{fact_to_json(value)}{fact.unit}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm_one", "confirm_all"):
            return bool(self.previous) and getattr(self, "_editable", True)
        return True

    def action_confirm_one(self) -> None:
        fact = self._fact_of(self.screen.focused.id if self.screen.focused else None)
        if fact is not None and fact.id in self.previous:
            self.post_message(self.ConfirmPrevious((fact.id,)))

    def action_confirm_all(self) -> None:
        self.post_message(self.ConfirmPrevious(()))
