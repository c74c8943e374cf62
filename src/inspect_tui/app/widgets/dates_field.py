"""Meeting records (会议记录) in the facts form: a `dates` fact as a compact field and its editor.

The field shows how many records there are, the dates, and a 12-month strip per year of the
inspected period (period_start … period_end) with the months that have a record marked, so an
inspector sees a gap before the score names it. Enter opens `DatesEditor`, a dialog with two ways
in: typing dates (one per line or several per line, every form `records.parse_dates` reads,
“共10次” for a total) or ticking months on a grid (a ticked month is a record with its month
only). Ctrl+S or F2 accepts, Esc cancels; nothing is sent until the whole text parses.
"""

from __future__ import annotations

import datetime as dt
from ...quick_dataclass import dataclass
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ...core.checklist.model import Fact
from ...core.checklist.records import DateList
from ...i18n import t
from .fact_fields import form_of, hand_on

if TYPE_CHECKING:
    from ..screens.dates_editor import DatesEditor, Entered


MAX_YEARS = 6  # a five-year term and the year it began; a longer span shows its last years
RECORD_STYLE = "bold black on green"
PREVIEW = 4  # dates repeated under the text box: one line at 80 columns (all of them are in the box)


def years_of(period: tuple[object, object], value: DateList | None, today: dt.date | None = None) -> list[int]:
    """The years the strip and the grid show: the inspected period's, else the records', else this year."""
    start, end = period
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end:
        first, last = start.year, end.year
    elif value is not None and value.held:
        first, last = value.held[0].year, value.held[-1].year
    else:
        first = last = (today or dt.date.today()).year
    return list(range(max(first, last - MAX_YEARS + 1), last + 1))


def in_period(period: tuple[object, object], year: int, month: int) -> bool:
    """True when the month overlaps the inspected period (or no period was entered)."""
    start, end = period
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
        return True
    return (start.year, start.month) <= (year, month) <= (end.year, end.month)


def months_held(value: DateList | None) -> set[tuple[int, int]]:
    return {(h.year, h.month) for h in value.held} if value is not None else set()


def records_text(value: DateList | None, at_most: int | None = None) -> str:
    """The field's first line: 共 3 次: 2026-01-05 2026-02-03 2026-03 (the first `at_most` dates)."""
    if value is None:
        return t("dates.unset")
    if value.total_only is not None:
        return t("dates.total_only", n=value.total_only)
    shown = value.held if at_most is None else value.held[:at_most]
    dates = " ".join(h.iso() for h in shown)  # spaces: a narrow field wraps between dates, not inside one
    more = "…" if len(shown) < len(value.held) else ""
    return t("dates.count", n=len(value.held)) + (f": {dates}{more}" if dates else "")


def month_strip(years: list[int], period: tuple[object, object], held: set[tuple[int, int]]) -> Text:
    """One line per year: `2026年 1 2 3 … 12`, months with a record marked, months outside dimmed."""
    text = Text()
    for row, year in enumerate(years):
        if row:
            text.append("\n")
        text.append(f"{t('dates.year', year=year)} ", style="bold")
        for month in range(1, 13):
            if month > 1:
                text.append(" ")
            style = RECORD_STYLE if (year, month) in held else ("" if in_period(period, year, month) else "dim")
            text.append(str(month), style=style)
    return text


class DatesField(Widget, can_focus=True):
    """A `dates` fact in the facts form: the records at a glance; Enter opens the editor."""

    DEFAULT_CSS = """
    DatesField { height: auto; width: 44; padding: 0 1; background: $boost; }
    DatesField:focus { background: $accent 30%; }
    DatesField:disabled { opacity: 0.7; }
    """
    BINDINGS = [Binding("enter,space", "edit", t("key.dates_edit"), id="dates.edit")]

    @dataclass
    class Changed(Message):
        field: "DatesField"
        value: DateList | None  # None: cleared (not entered)

        @property
        def control(self) -> "DatesField":
            return self.field

    def __init__(self, fact: Fact, value: DateList | None, period: Callable[[], tuple[object, object]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.fact = fact
        self._value = value
        self.period = period
        self._editor: DatesEditor | None = None

    @property
    def value(self) -> DateList | None:
        return self._value

    @value.setter
    def value(self, value: DateList | None) -> None:
        """Shown as given (after an undo); nothing is sent."""
        self._value = value
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text(records_text(self._value), style="" if self._value is not None else "dim")
        if self._value is None or self._value.total_only is None:
            period = self.period()
            text.append("\n")
            text.append_text(month_strip(years_of(period, self._value), period, months_held(self._value)))
        if self.has_focus:
            text.append(f"\n{t('dates.edit')}", style="italic")
        return text

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)

    def on_click(self) -> None:
        self.action_edit()

    def on_key(self, event: events.Key) -> None:
        """Enter opens the editor here, not through the binding: a binding runs only once the key
        has bubbled up to the app, and the keys typed meanwhile would land on this field and be
        lost. Those that still arrive here once the editor is open are handed to it, in order."""
        if self._editor is not None:
            event.stop()
            event.prevent_default()
            self._editor.feed(event.key, event.character)
        elif hand_on(self, event):  # typed after Enter, f or Tab moved the focus on: it goes there
            return
        elif event.key in ("f", "escape"):  # out of the form now, not once the key has bubbled up
            event.stop()
            event.prevent_default()
            form_of(self).leave()
        elif event.key in ("enter", "space"):  # space too: on this field it must not mark the item behind
            event.stop()
            event.prevent_default()
            self.action_edit()
        elif event.is_printable and event.character not in ("u", "?"):
            event.stop()  # y, n, a … here are not for the item behind the form (u undoes)
            event.prevent_default()

    def action_edit(self) -> None:
        if self.disabled or self._editor is not None:
            return
        from ..screens.dates_editor import DatesEditor  # the dialog: built when asked for

        self._editor = DatesEditor(self.fact, self._value, self.period())
        self.app.push_screen(self._editor, self._edited)

    def _edited(self, entered: "Entered | None") -> None:
        self._editor = None
        if entered is None:  # cancelled
            return
        self._value = entered.value
        self.refresh(layout=True)
        self.post_message(self.Changed(self, entered.value))
