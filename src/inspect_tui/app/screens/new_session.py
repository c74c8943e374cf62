"""The new-inspection dialog (新建检查): which standard, which branch, who, when, where.

It creates the session itself, through the repository, and dismisses with the open session (or
None when cancelled); the home screen then pushes the inspection. Every mistake is shown on the
line under its field and the cursor goes to the first one; nothing is created until all are right.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import get_current_worker

from ...core.checklist import catalog
from ...core import settings
from ...core.checklist.model import Checklist
from ...core.errors import SessionError
from ...i18n import say, t
from ...store import StorageError
from ..widgets.field_select import FieldSelect
from ..widgets.clean_input import CleanInput
from .base import AppModal

if TYPE_CHECKING:
    from ...core.session.editing import OpenSession

FIELDS = ("checklist", "branch", "unit", "inspectors", "date", "place")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME_SEPARATORS = re.compile(r"[、,，]")


def split_names(text: str) -> list[str]:
    """'张三、李四, 王五' → ['张三', '李四', '王五'] (each once, in the order given)."""
    names: list[str] = []
    for name in NAME_SEPARATORS.split(text):
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names


def parse_date(text: str, today: dt.date) -> dt.date:
    """A real calendar date written YYYY-MM-DD; ValueError with the message to show."""
    text = text.strip()
    if not DATE_RE.match(text):
        raise ValueError(t("new.err.date_format", today=today.isoformat()))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(t("new.err.date_invalid", value=text)) from None


def option_label(entry: catalog.Entry) -> Text:
    checklist = cast(Checklist, entry.checklist)
    label = Text(t("new.option", title=checklist.title, version=checklist.version, items=checklist.leaf_count))
    if entry.origin != "bundled":
        label.append(f" · {t('new.user')}", style="italic")
    return label


class NewSessionDialog(AppModal["OpenSession | None"]):
    """Ask for the particulars of an inspection and create it; None when cancelled."""

    DEFAULT_CSS = """
    NewSessionDialog { align: center middle; }
    NewSessionDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    NewSessionDialog #new-title { text-style: bold; width: 1fr; margin-bottom: 1; }
    NewSessionDialog .field { height: 1; }
    NewSessionDialog .field Label { width: 11; color: $text-muted; }
    NewSessionDialog .field Input, NewSessionDialog .field Select { width: 1fr; }
    NewSessionDialog .field Input, NewSessionDialog .field SelectCurrent { background: $panel; }
    NewSessionDialog .field Input:focus, NewSessionDialog .field Select:focus SelectCurrent {
        background: $panel; background-tint: $primary 30%;
    }
    NewSessionDialog .field-error { height: 1; margin-left: 11; color: $error; }
    NewSessionDialog #new-note { color: $warning; height: auto; }
    NewSessionDialog #new-error { color: $error; height: auto; }
    NewSessionDialog #new-buttons { height: 1; margin-top: 1; }
    NewSessionDialog #new-keys { width: 1fr; color: $text-muted; }
    NewSessionDialog Button { margin-left: 2; width: auto; min-width: 0; padding: 0 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "create", t("new.start"), id="new.create"),
        Binding("escape", "cancel", t("dialog.cancel"), id="new.cancel"),
    ]

    class Loaded(Message):
        def __init__(self, entries: list[catalog.Entry]) -> None:
            super().__init__()
            self.entries = entries

    def __init__(self, default_checklist: str | None = None) -> None:
        super().__init__()
        self.default_checklist = default_checklist
        self.entries: list[catalog.Entry] = []
        self.today = dt.date.today()

    def compose(self) -> ComposeResult:
        app = self.inspect_app
        with Vertical():
            yield Static(t("new.title"), id="new-title")
            yield from self._field("checklist", FieldSelect[int]([], prompt=t("new.loading"), id="new-checklist", compact=True))
            yield from self._field("branch", CleanInput(placeholder=t("new.branch_hint"), id="new-branch", compact=True))
            yield from self._field("unit", CleanInput(placeholder=t("new.unit_hint"), id="new-unit", compact=True))
            yield from self._field("inspectors", CleanInput(
                self.default_inspectors(), placeholder=t("new.inspectors_hint"), id="new-inspectors", compact=True,
            ))
            yield from self._field("date", CleanInput(
                self.today.isoformat(), placeholder=t("new.date_hint"), id="new-date", compact=True,
            ))
            yield from self._field("place", CleanInput(placeholder=t("new.place_hint"), id="new-place", compact=True))
            yield Static(id="new-note")
            yield Static(id="new-error")
            with Horizontal(id="new-buttons"):
                yield Static(t("new.keys"), id="new-keys")
                yield Button(t("dialog.cancel"), id="new-cancel", compact=True)
                yield Button(t("new.start"), id="new-create", variant="primary", compact=True)

    def default_inspectors(self) -> str:
        """A name given on the command line or in $INSPECT_TUI_INSPECTOR; else the names used last
        time (user config); else nothing — never the login name, which is rarely a person's name."""
        app = self.inspect_app
        if app.inspector_given:
            return app.inspector
        return "、".join(settings.recent_inspectors())

    def _field(self, name: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(t(f"new.{name}"))
            yield widget
        yield Static(id=f"new-{name}-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#new-note").display = False
        self.query_one("#new-error").display = False
        # With a standard to offer (the one of the latest inspection), the cursor waits on the branch
        # from the start, not only once the list has been read: what is typed at once lands there.
        first = "#new-branch" if self.default_checklist else "#new-checklist"
        self.query_one(first).focus()
        self.load_checklists()

    # -- checklists -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True)
    def load_checklists(self) -> None:
        """Every checklist is read and checked: disk and parsing work, off the UI thread."""
        try:
            entries = catalog.scan(self.inspect_app.extra_checklists)
        except OSError:
            entries = []
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(entries))  # never blocks, unlike call_from_thread

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.show_checklists(message.entries)

    def show_checklists(self, entries: list[catalog.Entry]) -> None:
        # Real standards first, the format demonstration last: nobody inspects against it.
        usable = [e for e in entries if e.checklist is not None]
        self.entries = sorted(usable, key=lambda e: catalog.is_demo(cast(Checklist, e.checklist)))
        broken = len(entries) - len(self.entries)
        select = self.query_one("#new-checklist", Select)
        select.prompt = t("new.choose") if self.entries else t("new.none")
        select.set_options((option_label(e), i) for i, e in enumerate(self.entries))
        ids = [cast(Checklist, e.checklist).id for e in self.entries]
        if self.default_checklist in ids:
            # the user's own version wins over a bundled one of the same id, as in catalog.find
            select.value = len(ids) - 1 - ids[::-1].index(self.default_checklist)
        elif len(ids) == 1:
            select.value = 0
        if broken:
            note = self.query_one("#new-note", Static)
            note.update(Text(t("new.broken", count=broken)))
            note.display = True
        if not select.is_blank() and self.focused is select:
            self.query_one("#new-branch", Input).focus()

    def selected(self) -> Checklist | None:
        value = self.query_one("#new-checklist", Select).selection
        return None if value is None else self.entries[value].checklist

    @on(Select.Changed, "#new-checklist")
    def _chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.set_error("checklist", "")
            if self.focused is event.select:
                self.query_one("#new-branch", Input).focus()

    # -- moving and submitting ------------------------------------------------------------------

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("new-")
        if name == FIELDS[-1]:
            self.action_create()
        elif name in FIELDS:
            self.query_one(f"#new-{FIELDS[FIELDS.index(name) + 1]}").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new-create":
            self.action_create()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def set_error(self, name: str, message: str) -> None:
        self.query_one(f"#new-{name}-error", Static).update(Text(message))

    def value(self, name: str) -> str:
        return self.query_one(f"#new-{name}", Input).value

    def action_create(self) -> None:
        errors: dict[str, str] = {}
        checklist = self.selected()
        if checklist is None:
            errors["checklist"] = t("new.err.checklist")
        branch = self.value("branch").strip()
        if not branch:
            errors["branch"] = t("new.err.branch")
        date: dt.date | None = None
        try:
            date = parse_date(self.value("date"), self.today)
        except ValueError as exc:
            errors["date"] = str(exc)
        for name in FIELDS:
            self.set_error(name, errors.get(name, ""))
        general = self.query_one("#new-error", Static)
        general.display = False
        if errors:
            first = next(name for name in FIELDS if name in errors)
            self.query_one(f"#new-{first}").focus()
            return
        assert checklist is not None and date is not None
        inspectors = split_names(self.value("inspectors"))
        try:
            opened = self.inspect_app.repo.create(
                checklist, branch, unit=self.value("unit"), inspectors=inspectors,
                date=date, place=self.value("place"),
            )
        except (SessionError, StorageError, OSError) as exc:
            general.update(Text((say(exc).strip().splitlines() or [type(exc).__name__])[0]))  # keyed: said in the current language
            general.display = True
            return
        settings.remember_inspectors(inspectors)
        self.dismiss(opened)
