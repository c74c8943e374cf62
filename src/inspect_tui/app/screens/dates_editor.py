"""The meeting-records editor (DatesEditor): a `dates` fact typed as dates, or ticked month by month.

Two ways in: typing dates (one per line or several per line, every form `records.parse_dates`
reads, “共10次” for a total) or ticking months on a grid. Ctrl+S or F2 accepts, Esc cancels;
nothing is sent until the whole text parses, and a bad line is named with its reason.
The field that opens it is widgets/dates_field.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Label, Static, TextArea

from ...core.checklist.model import Fact
from ...core.checklist.records import DateList, parse_dates
from ...i18n import say, t
from ..widgets.clean_text_area import CleanTextArea
from ..widgets.dates_field import PREVIEW, in_period, records_text, years_of
from ..widgets.month_grid import MonthGrid
from .base import AppModal


@dataclass(frozen=True)
class Entered:
    """What the editor accepted; the dialog dismisses with None when cancelled."""

    value: DateList | None


def parse_lines(text: str) -> DateList | None:
    """The editor's text as a value; ValueError naming the first bad line and its reason."""
    if not text.strip():
        return None
    try:
        return parse_dates(text)
    except ValueError as whole:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parse_dates(line)
            except ValueError as exc:
                raise ValueError(t("dates.line_error", line=number, reason=say(exc))) from None
        # every line reads alone, not together: a total (“共10次”) among dates
        raise ValueError(say(whole)) from None


def lines_of(value: DateList | None) -> str:
    if value is None:
        return ""
    if value.total_only is not None:
        return f"共{value.total_only}次"
    return "\n".join(h.iso() for h in value.held)


class DatesEditor(AppModal["Entered | None"]):
    """Enter a `dates` fact: type the dates, or tick months; dismisses with `Entered` or None."""

    DEFAULT_CSS = """
    DatesEditor { align: center middle; }
    DatesEditor > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    DatesEditor #dates-modes { height: 1; margin-bottom: 1; }
    DatesEditor .dates-help { color: $text-muted; height: auto; }
    DatesEditor ContentSwitcher { height: auto; }
    DatesEditor #dates-text-pane, DatesEditor #dates-grid-pane { height: auto; }
    DatesEditor TextArea { height: 8; }
    DatesEditor #dates-month { height: auto; margin-top: 1; }
    DatesEditor #dates-status { height: auto; }
    DatesEditor #dates-status.error { color: $error; }
    DatesEditor #dates-hint { height: 1; color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s,f2", "save", t("key.dates_save"), id="dates.save", priority=True),
        Binding("tab", "switch", t("key.dates_switch"), id="dates.switch", priority=True),
        Binding("escape", "cancel", t("dialog.cancel"), id="dates.cancel", priority=True),
    ]
    AUTO_FOCUS = None  # the text box takes focus once the keys typed ahead are in (see on_mount)

    def __init__(self, fact: Fact, value: DateList | None, period: tuple[object, object]) -> None:
        super().__init__()
        self.fact = fact
        self.original = value
        self.period = period
        self.years = years_of(period, value)
        self.mode = "text"
        self._early: list[tuple[str, str | None]] = []  # keys typed before the dialog was built
        self._ready = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.fact.label, style="bold"), id="dates-title")
            yield Static(self._modes(), id="dates-modes")
            with ContentSwitcher(initial="dates-text-pane"):
                with Vertical(id="dates-text-pane"):
                    yield Static(t("dates.text_help"), classes="dates-help")
                    yield CleanTextArea(lines_of(self.original), id="dates-text", soft_wrap=True, show_line_numbers=True)
                with Vertical(id="dates-grid-pane"):
                    yield Static(t("dates.grid_help"), classes="dates-help")
                    held = self.original.held if self.original is not None else ()
                    yield MonthGrid(self.years, self.period, held, id="dates-grid")
                    yield Static("", id="dates-month")
            yield Static("", id="dates-status")
            yield Static(t("dates.hint"), id="dates-hint")

    def on_mount(self) -> None:
        area = self.query_one("#dates-text", TextArea)
        area.move_cursor(area.document.end)
        self._ready = True
        for key, character in self._early:
            self._feed_now(key, character)
        self._early.clear()
        self._check()
        # Focus only after the keys already queued here have been fed in: they come first.
        self.call_later(self._focus_input)

    def _focus_input(self) -> None:
        if self.focused is None:
            self.set_focus(self.query_one("#dates-text", TextArea) if self.mode == "text" else self.query_one(MonthGrid))

    def _modes(self) -> Text:
        text = Text()
        for mode in ("text", "grid"):
            label = f" {t('dates.mode.' + mode)} "
            text.append(label, style="reverse bold" if mode == self.mode else "dim")
            text.append("  ")
        return text

    # -- reading what was entered ------------------------------------------------------------

    def current(self) -> DateList | None:
        """The value as entered so far; ValueError with the reason when the text does not read."""
        if self.mode == "grid":
            held = self.query_one(MonthGrid).held
            return DateList(tuple(held)) if held else None
        return parse_lines(self.query_one("#dates-text", TextArea).text)

    def _check(self) -> bool:
        status = self.query_one("#dates-status", Static)
        try:
            value = self.current()
        except ValueError as exc:
            status.set_class(True, "error")
            status.update(Text(f"{exc} {t('dates.not_saved')}"))
            return False
        status.set_class(False, "error")
        shown = t("dates.empty") if value is None else t("dates.parsed", text=records_text(value, at_most=PREVIEW))
        status.update(Text(shown))
        return True

    @on(TextArea.Changed, "#dates-text")
    def _typed(self) -> None:
        self._check()

    @on(MonthGrid.Moved)
    def _moved(self) -> None:
        grid = self.query_one(MonthGrid)
        year, month = grid.cursor
        name = t("dates.month_name", year=year, month=month)
        records = grid.records_in(year, month)
        line = (t("dates.month_has", month=name, records="、".join(h.iso() for h in records)) if records
                else t("dates.month_none", month=name))
        if not in_period(self.period, year, month):
            line += t("dates.outside")
        self.query_one("#dates-month", Static).update(Text(line))
        self._check()

    # -- keys ---------------------------------------------------------------------------------

    def action_switch(self) -> None:
        if self.mode == "text":
            try:
                value = self.current()
            except ValueError:
                self._check()
                return
            if value is not None and value.total_only is not None:
                self.query_one("#dates-status", Static).update(Text(t("dates.no_grid")))
                return
            grid = self.query_one(MonthGrid)
            grid.held = list(value.held) if value is not None else []
            self.mode = "grid"
            self.query_one(ContentSwitcher).current = "dates-grid-pane"
            self.set_focus(grid)  # at once, not after a refresh: the next key typed is for the grid
            self._moved()
        else:
            area = self.query_one("#dates-text", TextArea)
            area.text = lines_of(self.current())
            self.mode = "text"
            self.query_one(ContentSwitcher).current = "dates-text-pane"
            self.set_focus(area)
            area.move_cursor(area.document.end)
        self.query_one("#dates-modes", Static).update(self._modes())
        self._check()

    def action_save(self) -> None:
        if not self._check():
            if self.mode == "text":
                self.set_focus(self.query_one("#dates-text", TextArea))
            return
        self.dismiss(Entered(self.current()))

    def action_cancel(self) -> None:
        try:
            unchanged = _same(self.current(), self.original)
        except ValueError:
            unchanged = False
        if unchanged:
            self.dismiss(None)
            return
        from .dialogs import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        question = ConfirmDialog(t("dates.discard", label=self.fact.label), yes=t("dates.discard_yes"), no=t("dates.discard_no"))
        self.app.push_screen(question, answered)

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the dialog while nothing in it has focus yet were typed ahead: feed them."""
        if self.focused is None:
            event.stop()
            self.feed(event.key, event.character)

    def feed(self, key: str, character: str | None) -> None:
        """A key typed before the dialog could take it (the instant after Enter opened it)."""
        if not self._ready:
            self._early.append((key, character))
        else:
            self._feed_now(key, character)

    def _feed_now(self, key: str, character: str | None) -> None:
        actions = {"ctrl+s": self.action_save, "f2": self.action_save, "escape": self.action_cancel, "tab": self.action_switch}
        if key in actions:
            actions[key]()
        elif self.mode == "grid":
            grid = self.query_one(MonthGrid)
            moves = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
            if key in moves:
                grid.action_move(*moves[key])
            elif key == "space":
                grid.action_tick()
        else:
            area = self.query_one("#dates-text", TextArea)
            if key == "enter":
                area.insert("\n")
            elif key == "backspace":
                area.action_delete_left()
            elif character and character.isprintable():
                area.insert(character)


def _same(a: DateList | None, b: DateList | None) -> bool:
    return (a.to_json() if a is not None else None) == (b.to_json() if b is not None else None)
