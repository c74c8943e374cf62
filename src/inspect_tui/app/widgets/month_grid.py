"""The month grid of the meeting-records editor: twelve months a row, one row per year of the period.

Arrows move, Space ticks a month (a record with its month only); months outside the inspected
period are shown but cannot be ticked.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ...core.checklist.records import Held
from ...i18n import t
from .dates_field import RECORD_STYLE, in_period


class MonthGrid(Widget, can_focus=True):
    """Twelve months a row, one row per year; arrows move, Space ticks a month."""

    DEFAULT_CSS = """
    MonthGrid { height: auto; width: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("home", "move(0, -12)", show=False),
        Binding("end", "move(0, 12)", show=False),
        Binding("space", "tick", t("key.dates_tick"), id="dates.tick"),
    ]

    class Moved(Message):
        """The cursor or the ticks changed: the dialog redraws its line about the month."""

    def __init__(self, years: list[int], period: tuple[object, object], held: tuple[Held, ...], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.years = years
        self.period = period
        self.held = list(held)
        self.row, self.month = 0, 1
        first = next(((r, m) for r, y in enumerate(years) for m in range(1, 13) if in_period(period, y, m)), (0, 1))
        self.row, self.month = first

    @property
    def cursor(self) -> tuple[int, int]:
        return self.years[self.row], self.month

    def records_in(self, year: int, month: int) -> list[Held]:
        return [h for h in self.held if (h.year, h.month) == (year, month)]

    def render(self) -> Text:
        ticked = {(h.year, h.month) for h in self.held}
        text = Text()
        for row, year in enumerate(self.years):
            if row:
                text.append("\n")
            text.append(f"{t('dates.year', year=year)} ", style="bold")
            for month in range(1, 13):
                mark = "✓" if (year, month) in ticked else "·"
                style = RECORD_STYLE if (year, month) in ticked else ("" if in_period(self.period, year, month) else "dim")
                if (row, month) == (self.row, self.month) and self.has_focus:
                    style = "reverse bold"
                text.append(f"{month:>2}{mark}", style=style)
                text.append(" ")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, rows: int, months: int) -> None:
        month = self.month + months
        row = self.row + rows
        if months and not rows:  # left/right run on into the next or the previous year
            while month > 12 and row + 1 < len(self.years):
                month, row = month - 12, row + 1
            while month < 1 and row > 0:
                month, row = month + 12, row - 1
        self.row = max(0, min(len(self.years) - 1, row))
        self.month = max(1, min(12, month))
        self.refresh()
        self.post_message(self.Moved())

    def action_tick(self) -> None:
        year, month = self.cursor
        if self.records_in(year, month):
            self.held = [h for h in self.held if (h.year, h.month) != (year, month)]
        else:
            self.held = sorted([*self.held, Held(year, month)])
        self.refresh()
        self.post_message(self.Moved())
