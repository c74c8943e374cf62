"""The branch's facts (基本情况) as a form: one row per fact, typed, checked as you go.

A value is sent to the screen when the field is submitted (Enter, which also moves on) or left; an
invalid value shows its error beside the field and is not sent. 是/否 and choices are sent as they
change (fact_fields.py says how each field takes its keys).

The form is built after the inspection's first frame, a few facts at a time (`build`): a checklist
has up to ~35 facts, ~7 widgets each, and styling them all delayed the first frame by about a second.
Until it is built the panel itself holds the focus when asked for the form (`f`) and keeps the keys
typed meanwhile; once built they go, in order, to the field that gets the focus.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass
from typing import Any, Mapping

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ...core.session.answers import fact_to_json, parse_fact_value
from ...core.checklist.model import Checklist, Fact
from ...i18n import t, say
from .dates_field import DatesField
from .fact_fields import BoolField, ChoiceField, ChoiceLike, FactInput, normalize_date

BUILD_CHUNK = 4  # facts mounted per step while the form is built: each step a few tens of ms


class FactsPanel(VerticalScroll):
    DEFAULT_CSS = """
    FactsPanel { padding: 0 1; }
    FactsPanel .fact { height: auto; margin-bottom: 1; border-left: blank; padding-left: 1; }
    FactsPanel .fact-label { color: $text; }
    FactsPanel .fact-row { height: auto; }
    FactsPanel .fact-help { color: $text-muted; }
    FactsPanel .fact-error { color: $error; height: auto; width: 1fr; padding-left: 1; }
    FactsPanel .fact-previous { color: $text-muted; height: auto; }
    FactsPanel .fact-previous.-empty { display: none; }
    FactsPanel FactInput { width: 26; background: $panel; }
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

    class Leave(Message):
        """`f` or Esc in the form: back to the item tree (the screen moves the focus)."""

    def __init__(self, checklist: Checklist, values: Mapping[str, Any], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.checklist = checklist
        self.values = dict(values)
        self.previous: dict[str, Any] = {}  # last time's facts, once read (re-inspections only)
        self.previous_date = ""
        self.built = False
        self._building = False
        self._editable = True
        self._waiting: list[events.Key | events.Paste] = []  # typed while the form was being built
        self._last_field: str | None = None  # where `f` comes back to
        # each fact's "上次" line, kept as built: _build fills them right after mounting, when a
        # query may not find a nested child yet on a loaded machine (seen under xdist)
        self._previous_lines: dict[str, Static] = {}

    def compose(self) -> ComposeResult:
        yield Static(t("facts.title"), classes="fact-help")
        yield Static(t("facts.keys"), classes="fact-help")
        if not self.checklist.facts:
            yield Static(t("facts.none"))
        else:
            yield Static(t("facts.building"), classes="fact-help", id="facts-building")

    # -- building, after the first frame ----------------------------------------------------------

    def build(self) -> None:
        """Start building the fields (again: nothing)."""
        if not self._building:
            self._building = True
            self.run_worker(self._build(), group="facts-build", exclusive=True)

    async def _build(self) -> None:
        facts = self.checklist.facts
        for start in range(0, len(facts), BUILD_CHUNK):
            if not self.app.is_running:
                return  # the app is closing, its widgets being removed: no form to finish
            await self.mount_all([self._fact_box(fact) for fact in facts[start:start + BUILD_CHUNK]])
        if not self.app.is_running:
            return
        if facts:
            await self.query_one("#facts-building").remove()
        self.built = True
        if self.previous_date:
            self._show_previous()
        if self.screen.focused is self:  # asked for while it was being built
            self.focus_field()

    def _fact_box(self, fact: Fact) -> Vertical:
        unit = f"({fact.unit})" if fact.unit else ""
        field = self._field(fact)
        field.add_class("fact-field")
        field.disabled = not self._editable
        parts: list[Widget] = [
            Label(Text(f"{fact.label}{unit}"), classes="fact-label"),
            Horizontal(field, Static("", classes="fact-error", id=f"error-{fact.id}"), classes="fact-row"),
            previous := Static("", classes="fact-previous -empty", id=f"previous-{fact.id}"),
        ]
        self._previous_lines[fact.id] = previous
        if fact.help:
            parts.append(Static(Text(fact.help), classes="fact-help"))
        return Vertical(*parts, classes="fact")

    def _field(self, fact: Fact) -> Widget:
        value = self.values.get(fact.id)
        if fact.type == "dates":
            return DatesField(fact, value, self._period, id=f"fact-{fact.id}")
        if fact.type == "boolean":
            return BoolField(fact, value, id=f"fact-{fact.id}")
        if fact.type == "choice":
            return ChoiceField(fact, value, id=f"fact-{fact.id}")
        text = "" if value is None else str(fact_to_json(value))
        placeholder = t("facts.date_hint") if fact.type == "date" else ""
        return FactInput(fact, value=text, placeholder=placeholder, id=f"fact-{fact.id}", compact=True)

    def fields(self) -> list[Widget]:
        return list(self.query(".fact-field")) if self.built else []

    # -- keys while building ----------------------------------------------------------------------

    def _on_key(self, event: events.Key) -> None:
        event.via_form = True  # type: ignore[attr-defined]  # the screen lets it on (InspectionScreen.on_key)
        if self.screen.focused is self and not self.built:
            event.stop()
            event.prevent_default()
            self._waiting.append(events.Key(event.key, event.character))

    def _on_paste(self, event: events.Paste) -> None:
        if self.screen.focused is self and not self.built:
            event.stop()
            self._waiting.append(events.Paste(event.text))

    def focus_field(self) -> None:
        """Focus the field the inspector was last in (else the first), at once, and hand it the keys
        typed while the form was being built. Before that: the panel holds the focus and the keys."""
        if not self.built:
            self.screen.set_focus(self)
            self.build()
            return
        fields = [f for f in self.fields() if f.focusable]
        if not fields:  # read-only: the panel itself, to scroll with the arrows and leave with f
            self.screen.set_focus(self)
            return
        target = next((f for f in fields if f.id == self._last_field), fields[0])
        self.screen.set_focus(target)  # now, not after a refresh: the next key must land there
        waiting, self._waiting = self._waiting, []
        for event in waiting:
            target._forward_event(event)

    def holds_focus(self) -> bool:
        focused = self.screen.focused
        return focused is not None and (focused is self or self in focused.ancestors)

    def focus_first(self) -> None:
        self._last_field = None
        self.focus_field()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.has_class("fact-field"):
            self._last_field = event.widget.id

    # -- what the fields ask of the form (fact_fields.FactForm) -----------------------------------

    def advance(self, field: Widget) -> None:
        """Enter: the next field (after the last, the first), focused at once."""
        fields = [f for f in self.fields() if f.focusable]
        if field in fields:
            following = fields[(fields.index(field) + 1) % len(fields)]
            self.screen.set_focus(following)

    def leave(self) -> None:
        self.post_message(self.Leave())
        from .item_tree import ItemTree  # the form's way out is the tree beside it

        trees = self.screen.query(ItemTree)
        if trees:
            self.screen.set_focus(trees.first())  # at once: the keys typed next are for the items

    def take(self, fact: Fact, raw: Any) -> bool:
        return self._send(fact, raw)

    def _fact_of(self, widget_id: str | None) -> Fact | None:
        if not widget_id or not widget_id.startswith("fact-"):
            return None
        try:
            return self.checklist.fact(widget_id[len("fact-"):])
        except KeyError:
            return None

    def _parse(self, fact: Fact, raw: Any) -> Any:
        if fact.type == "date" and isinstance(raw, str):
            raw = normalize_date(raw)
        return parse_fact_value(fact, raw)

    def _send(self, fact: Fact, raw: Any) -> bool:
        """Check and send a fact's value; False (and the reason beside the field) when it is bad."""
        error = self.query_one(f"#error-{fact.id}", Static)
        try:
            value = self._parse(fact, raw)
        except ValueError as exc:
            error.update(Text(say(exc)))
            return False
        error.update("")
        if fact.type == "date" and value is not None:
            field = self.query_one(f"#fact-{fact.id}", Input)
            if field.value != value.isoformat():  # 20250630 is shown as it was read
                with field.prevent(Input.Changed):
                    field.value = value.isoformat()
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

    @on(ChoiceLike.Changed)
    def _chosen(self, event: ChoiceLike.Changed) -> None:
        fact = self._fact_of(event.field.id)
        if fact is not None:
            self._send(fact, event.value)

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        fact = self._fact_of(event.input.id)
        if fact is not None:
            self._send(fact, event.value)

    @on(Input.Changed)
    def _input_typing(self, event: Input.Changed) -> None:
        """Check as the inspector types, but send only on Enter or leaving the field."""
        fact = self._fact_of(event.input.id)
        if fact is None:
            return
        error = self.query_one(f"#error-{fact.id}", Static)
        try:
            self._parse(fact, event.value)
            error.update("")
        except ValueError as exc:
            error.update(Text(say(exc)))

    def set_editable(self, editable: bool) -> None:
        """Read-only or finished sessions show the facts but do not take edits."""
        if editable != self._editable:
            self._editable = editable
            for field in self.fields():
                field.disabled = not editable

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show `values` (after an undo or a confirm) without sending them back."""
        self.values = dict(values)
        if not self.built:
            return  # the fields are built from `values`
        if self.previous_date:
            self._show_previous()
        for fact in self.checklist.facts:
            widget = self.query_one(f"#fact-{fact.id}")
            value = self.values.get(fact.id)
            if isinstance(widget, ChoiceLike):
                widget.show(value)
            elif isinstance(widget, DatesField):
                widget.value = value
            elif isinstance(widget, Input):
                with widget.prevent(Input.Changed):
                    widget.value = "" if value is None else str(fact_to_json(value))
                self.query_one(f"#error-{fact.id}", Static).update("")

    # -- last time (上次) -----------------------------------------------------------------------

    def set_previous(self, date: str, values: Mapping[str, Any]) -> None:
        """Show last time's facts beside the fields; from now on the confirm keys work."""
        self.previous_date, self.previous = date, dict(values)
        if self.built:
            self._show_previous()
        self.refresh_bindings()

    def _show_previous(self) -> None:
        for fact in self.checklist.facts:
            line = self._previous_lines[fact.id]
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
            return bool(self.previous) and self._editable
        return True

    def action_confirm_one(self) -> None:
        fact = self._fact_of(self.screen.focused.id if self.screen.focused else None)
        if fact is not None and fact.id in self.previous:
            self.post_message(self.ConfirmPrevious((fact.id,)))

    def action_confirm_all(self) -> None:
        self.post_message(self.ConfirmPrevious(()))
