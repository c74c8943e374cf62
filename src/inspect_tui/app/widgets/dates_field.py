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
from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Label, Static, TextArea

from ...core.checklist.model import Fact
from ...core.checklist.records import DateList, Held, parse_dates
from ...i18n import localize, register, t
from .fact_fields import form_of, hand_on
from .clean_input import CleanTextArea

register({
    "dates.unset": ("(未填)", "(not entered)"),
    "dates.count": ("共 {n} 次", "{n} in all"),
    "dates.total_only": ("共 {n} 次(未逐次登记日期,只能比较总数)", "{n} in all (dates not listed: only totals can be compared)"),
    "dates.edit": ("Enter 录入", "Enter: edit"),
    "dates.year": ("{year}年", "{year}"),
    "dates.mode.text": ("逐次输入日期", "Type dates"),
    "dates.mode.grid": ("按月勾选", "Tick months"),
    "dates.hint": ("Ctrl+S 或 F2 保存 · Esc 取消 · Tab 切换输入方式", "Ctrl+S or F2 saves · Esc cancels · Tab switches the mode"),
    "dates.text_help": (
        "一行一个日期,或用逗号、空格隔开:2026-01-05、20260105、2026年1月5日;只有月份写 2026年1月;"
        "只知总数写“共10次”;清空为未填,没开过写 0。",
        "One date a line, or several separated by commas or spaces: 2026-01-05, 20260105, 2026.1.5, 2026年1月5日; "
        "a month only: 2026-01; only the total: 共10次 (or 10); empty = not entered, none held = 0.",
    ),
    "dates.grid_help": ("方向键移动,空格勾选或取消该月。勾选即该月有一次记录(只记月份);取消会删去该月的全部记录。",
                        "Arrows move, Space ticks or unticks the month (ticked = one record that month, month only; "
                        "unticking removes all of that month's records)"),
    "dates.line_error": ("第 {line} 行: {reason}", "line {line}: {reason}"),
    "dates.not_saved": ("(未保存,请改正)", "(not saved: correct it first)"),
    "dates.parsed": ("已识别: {text}", "read as: {text}"),
    "dates.empty": ("空 = 未填", "empty = not entered"),
    "dates.no_grid": ("只填了总次数,不能按月勾选;请改为逐次的日期后再切换", "only a total was entered: type the dates to tick months"),
    "dates.month_none": ("{month}: 无记录", "{month}: no record"),
    "dates.month_has": ("{month}: {records}", "{month}: {records}"),
    "dates.month_name": ("{year}年{month}月", "{year}-{month:02d}"),
    "dates.outside": ("(不在检查期间内)", "(outside the inspected period)"),
    "dates.discard": ("放弃对“{label}”的修改?(y 放弃,n 或 Esc 继续编辑)", "Discard the changes to “{label}”? (y discards, n or Esc keeps editing)"),
    "dates.discard_yes": ("放弃修改", "Discard"),
    "dates.discard_no": ("继续编辑", "Keep editing"),
    "key.dates_edit": ("录入会议记录", "edit the records"),
    "key.dates_save": ("保存", "save"),
    "key.dates_switch": ("切换输入方式", "switch mode"),
    "key.dates_tick": ("勾选该月", "tick the month"),
})

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
        self._editor = DatesEditor(self.fact, self._value, self.period())
        self.app.push_screen(self._editor, self._edited)

    def _edited(self, entered: "Entered | None") -> None:
        self._editor = None
        if entered is None:  # cancelled
            return
        self._value = entered.value
        self.refresh(layout=True)
        self.post_message(self.Changed(self, entered.value))


@dataclass(frozen=True)
class Entered:
    """What the editor accepted; the dialog dismisses with None when cancelled."""

    value: DateList | None


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
                raise ValueError(t("dates.line_error", line=number, reason=localize(str(exc)))) from None
        # every line reads alone, not together: a total (“共10次”) among dates
        raise ValueError(localize(str(whole))) from None


def lines_of(value: DateList | None) -> str:
    if value is None:
        return ""
    if value.total_only is not None:
        return f"共{value.total_only}次"
    return "\n".join(h.iso() for h in value.held)


class DatesEditor(ModalScreen["Entered | None"]):
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
        from ..screens.dialogs import ConfirmDialog

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
