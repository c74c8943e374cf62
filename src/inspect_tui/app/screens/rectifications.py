"""The rectifications (整改事项) of the open session: the list, the highlighted one in detail, and
the keys that follow one up — its person, deadline, the branch's report, 销号, reopening.

Which rectifications exist and every rule of an edit are the core's (core/session/rectification.py,
the same `set_rectification` the `rectify` command calls): this screen asks, draws and says what
the core refused. 逾期 is derived from today (`today`, replaced by the tests). The edits go through
the inspection screen's saver (screens/inspecting/saving.py): the line at the bottom says 保存中
from the hand-over and ✓ 已保存 only once the saver has acknowledged the write.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...core.errors import SessionError
from ...core.numbers import points_text
from ...core.session import rectification as rect
from ...core.session.editing import OpenSession
from ...i18n import say, t
from ..widgets.fact_fields import normalize_date
from ..widgets.key_footer import KeyFooter
from ..widgets.title_bar import TitleBar
from .base import AppScreen
from .rect_dialogs import Field, FormDialog

FIXED_CELLS = 2 * 5 + 10 + 10  # cell padding of five columns, the deadline, the person


def today() -> dt.date:
    """The day 逾期 is counted to (the tests fix it)."""
    return dt.date.today()


class SaveHost(Protocol):
    """What the screen needs of the inspection screen that opened it: its save state, told."""

    save_watchers: list[Callable[[str], None]]

    def save_state(self) -> str: ...


def status_text(r: rect.Rectification, day: dt.date) -> str:
    """待整改 / 已报整改 / 已销号, with 逾期 N 天 while it is late."""
    words = t(f"rectify.status.{r.status}")
    days = r.overdue_days(day)
    return t("rect.overdue_days", status=words, days=days) if days else words


def deadline_request(text: str) -> str:
    """What the deadline input says, for the core: 30 or +30 → "+30" (days from the notice),
    20250630 or 2025-06-30 → "2025-06-30"; anything else as typed, for the core to refuse."""
    value = text.strip()
    digits = value[1:] if value.startswith("+") else value
    if digits.isascii() and digits.isdigit() and len(digits) <= 4:
        return f"+{int(digits)}"
    return normalize_date(value)


def date_problem(text: str) -> str | None:
    """The one line for what is not a real day (the core says it with its CLI's words)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return t("rect.err.date", value=text[:20])
    return None


class RectificationScreen(AppScreen[None]):
    BINDINGS = [
        Binding("p", "person", t("key.rect_person"), id="rect.person"),
        Binding("d", "deadline", t("key.rect_deadline"), id="rect.deadline"),
        Binding("r", "report", t("key.rect_report"), id="rect.report"),
        Binding("x", "close_it", t("key.rect_close"), id="rect.close"),
        Binding("o", "reopen", t("key.rect_reopen"), id="rect.reopen"),
        Binding("escape,z", "back", t("key.back"), id="rect.back"),
    ]

    def __init__(self, opened: OpenSession, inspector: str, host: SaveHost) -> None:
        super().__init__()
        self.opened = opened
        self.inspector = inspector
        self.host = host
        self.rows: tuple[rect.Rectification, ...] = ()
        self.told = ""  # what the last edit did, shown beside the save state
        self.state = host.save_state()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="rect-head", markup=False)
        yield DataTable(id="rect-list", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="rect-detail-pane"):
            yield Static(id="rect-detail", markup=False)
        yield Static(id="rect-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.opened.session.branch.name
        self.sub_title = t("rect.title")
        self.host.save_watchers.append(self._save_state)
        table = self.query_one(DataTable)
        for key, label in (("item", t("rectify.col.item")), ("finding", t("rectify.col.finding")),
                           ("person", t("rectify.col.person")), ("deadline", t("rectify.col.deadline")),
                           ("status", t("col.status"))):
            table.add_column(label, key=key)
        self.redraw()
        table.focus()

    def on_unmount(self) -> None:
        if self._save_state in self.host.save_watchers:
            self.host.save_watchers.remove(self._save_state)

    # -- drawing --------------------------------------------------------------------------------------

    def redraw(self) -> None:
        """The list from the core's rectifications now, the cursor kept on its item."""
        day = today()
        self.rows = self.opened.rectifications()
        table = self.query_one(DataTable)
        keep = self.current()
        table.clear()
        id_cells = max((len(r.item) for r in self.rows), default=8)
        status_cells = max((Text(status_text(r, day)).cell_len for r in self.rows), default=6)
        width = max(12, (self.app.size.width or 80) - FIXED_CELLS - id_cells - status_cells - 4)
        for r in self.rows:
            finding = Text(" ".join(r.finding.split()) or "—")
            finding.truncate(width, overflow="ellipsis")
            person = Text(r.entry.person or "—", style="" if r.entry.person else "dim")
            person.truncate(10, overflow="ellipsis")
            late = r.overdue_days(day)
            style = "green" if r.closed else "bold red" if late else "yellow" if r.status == rect.REPORTED else ""
            table.add_row(r.item, finding, person, r.deadline.isoformat(), Text(status_text(r, day), style=style),
                          key=r.item)
        if keep is not None and any(r.item == keep.item for r in self.rows):
            table.move_cursor(row=table.get_row_index(keep.item))
        closed = sum(r.closed for r in self.rows)
        overdue = sum(bool(r.overdue_days(day)) for r in self.rows)
        head = t("rect.counts", all=len(self.rows), closed=closed, overdue=overdue) if self.rows else t("rect.none")
        self.query_one("#rect-head", Static).update(head)
        self.show_detail()
        self.show_status()

    def current(self) -> rect.Rectification | None:
        table = self.query_one(DataTable)
        if not self.rows or table.row_count == 0:
            return None
        row = min(max(table.cursor_row, 0), len(self.rows) - 1)
        return self.rows[row]

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        r = self.current()
        self.query_one("#rect-detail", Static).update(self.detail(r) if r else Text(""))

    def detail(self, r: rect.Rectification) -> Text:
        e, day = r.entry, today()
        text = Text(f"{r.item}  ", style="bold")
        text.append(" › ".join((*r.path, r.text)))
        if r.manual:
            text.append(" " + t("rect.manual"), style="dim")

        def line(label: str, value: str, style: str = "") -> None:
            text.append(f"\n{t(label)}: ", style="bold")
            text.append(value or t("rect.d.unset"), style=style if value else "dim")

        line("rect.d.finding", r.finding)
        line("rect.d.requirement", r.requirement)
        if r.deducted:  # a standard without points deducts none: nothing to say
            line("rect.d.deducted", points_text(r.deducted))
        line("rect.d.person", e.person)
        line("rect.d.deadline", r.deadline.isoformat())
        line("rect.d.status", status_text(r, day), "bold red" if r.overdue_days(day) else "")
        if e.report:
            line("rect.d.report", f"{e.report}  ({t('rect.d.report_date', date=e.report_date)})")
        if e.status == rect.CLOSED:
            line("rect.d.closed", t("rect.d.closed_by", by=e.closed_by, at=e.closed_at), "green")
            if e.close_note:
                line("rect.d.note", e.close_note)
        if e.reopen_reason:
            line("rect.d.reopened", e.reopen_reason)
        files = self.opened.session.attachments.get(r.item, [])
        line("rect.d.attachments", "" if files else t("rect.d.none"))
        for a in files:
            text.append(f"\n  {a.describe()}")
        return text

    def _save_state(self, state: str) -> None:
        self.state = state
        self.show_status()

    def show_status(self) -> None:
        from ..widgets.status_bar import SAVED_STYLES

        line = Text(self.told + "  " if self.told else "")
        line.append(t(f"status.{self.state}"), style=SAVED_STYLES.get(self.state, ""))
        self.query_one("#rect-status", Static).update(line)

    # -- the keys ---------------------------------------------------------------------------------------

    def _target(self, closed: bool | None = None) -> rect.Rectification | None:
        """The highlighted rectification, if it may be edited here (and, with `closed`, is closed or
        still open as the key needs); else None, having said why."""
        r = self.current()
        if r is None:
            self.warn(t("rect.nothing"))
            return None
        try:
            self.opened.check_rectifiable()
        except SessionError as exc:
            self.refused(exc)
            return None
        if closed is not None and r.closed != closed:
            self.warn(t("rect.not_closed" if closed else "rect.already_closed", item=r.item))
            return None
        return r

    def _edit(self, r: rect.Rectification, request: rect.Request, did: str) -> str | None:
        """One edit through the core: None when done, else the line saying why not."""
        before = r.entry
        try:
            after = self.opened.set_rectification(r.item, self.inspector, request)
        except SessionError as exc:
            return say(exc)
        if after == before:
            self.told = t("rect.no_change", item=r.item)
        else:
            self.told = t("rect.saved", item=r.item, what=did)
            self.state = self.host.save_state()  # 保存中 until the saver acknowledges it
        self.redraw()
        return None

    def _ask(self, title: str, fields: list[Field], attempt: Callable[[dict[str, str]], str | None]) -> None:
        self.app.push_screen(FormDialog(title, fields, attempt))

    def action_person(self) -> None:
        if (r := self._target()) is None:
            return

        def attempt(values: dict[str, str]) -> str | None:
            name = values["person"].strip()
            if not name:
                return t("rect.err.person")
            return self._edit(r, rect.Request(person=name), t("rect.did.person"))

        self._ask(t("rect.t.person", item=r.item), [Field("person", t("rect.f.person"), r.entry.person)], attempt)

    def action_deadline(self) -> None:
        if (r := self._target()) is None:
            return

        def attempt(values: dict[str, str]) -> str | None:
            if not values["deadline"].strip():
                return t("rect.err.deadline")
            wanted = deadline_request(values["deadline"])
            if not wanted.startswith("+") and (bad := date_problem(wanted)):
                return bad
            problem = self._edit(r, rect.Request(deadline=wanted), "")
            if problem is None:  # said with the deadline the core computed (days count from the notice)
                now = next((x for x in self.rows if x.item == r.item), r)
                self.told = t("rect.saved", item=r.item, what=t("rect.did.deadline", deadline=now.deadline.isoformat()))
                self.show_status()
            return problem

        value = str(r.entry.days) if r.entry.days is not None and not r.entry.deadline else r.deadline.isoformat()
        self._ask(t("rect.t.deadline", item=r.item), [Field("deadline", t("rect.f.deadline"), value)], attempt)

    def action_report(self) -> None:
        if (r := self._target(closed=False)) is None:
            return

        def attempt(values: dict[str, str]) -> str | None:
            report = values["report"].strip()
            if not report:
                return t("rect.err.report")
            when = values["report_date"].strip()
            date = normalize_date(when) if when else None
            if date is not None and (bad := date_problem(date)):
                return bad
            return self._edit(r, rect.Request(report=report, report_date=date), t("rect.did.report"))

        self._ask(t("rect.t.report", item=r.item), [
            Field("report", t("rect.f.report"), r.entry.report),
            Field("report_date", t("rect.f.report_date"), today().isoformat()),
        ], attempt)

    def action_close_it(self) -> None:
        if (r := self._target(closed=False)) is None:
            return

        def attempt(values: dict[str, str]) -> str | None:
            by = values["by"].strip()
            if not by:
                return t("rect.err.by")
            return self._edit(r, rect.Request(close=True, by=by, note=values["note"].strip()), t("rect.did.close"))

        inspectors = self.opened.session.inspectors
        by = self.inspector if self.inspector in inspectors or not inspectors else inspectors[0]
        self._ask(t("rect.t.close", item=r.item), [Field("by", t("rect.f.by"), by), Field("note", t("rect.f.note"))],
                  attempt)

    def action_reopen(self) -> None:
        if (r := self._target(closed=True)) is None:
            return

        def attempt(values: dict[str, str]) -> str | None:
            reason = values["reason"].strip()
            if not reason:
                return t("rect.err.reason")
            return self._edit(r, rect.Request(reopen=True, reason=reason), t("rect.did.reopen"))

        self._ask(t("rect.t.reopen", item=r.item), [Field("reason", t("rect.f.reason"))], attempt)

    def action_back(self) -> None:
        self.dismiss(None)
