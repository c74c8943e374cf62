"""The report screen (统计): every stored inspection rolled up, one standard at a time.

What an organisation department asks of a year's inspections: which branches are below standard
(the ranking), where the points go (a bar chart of the average points lost per section, or of
failed items for an unscored standard), and which items fail everywhere. The figures are the
core's roll-up (`core.rollup`), the same that `inspect-tui report` writes; they are read in a
thread worker, since a report reads every session file.

Sessions of different standards are never mixed: `t` moves to the next standard. Enter on a
ranking row opens that inspection.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from ...core.export.report_common import named
from ...core.numbers import percent_text, points_text as num, signed_text
from ...core.analysis.score_line import grade_words, words
from ...i18n import lang, say, t
from ..render import change_style
from ..widgets.bar_chart import Bar, BarChart
from ..widgets.key_footer import KeyFooter
from ..widgets.clean_input import CleanInput
from ..widgets.title_bar import TitleBar
from .base import AppScreen

if TYPE_CHECKING:
    from ...core.analysis.rollup import ChecklistRollup, Rollup

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MOST_FAILED = 10  # items listed under the chart
BRANCHES_LISTED = 3  # names beside a failed item, then "等 N 个"


def section_bars(group: "ChecklistRollup") -> list[Bar]:
    """One bar per section: average points lost (scored) or average failed items (unscored)."""
    bars = []
    for s in group.sections:
        value = s.avg_lost if group.scored else s.avg_failed
        value = value if value is not None else Decimal(0)
        text = num(value) if group.scored else t("report.items_n", n=num(value))
        bars.append(Bar(s.title, float(value), text))
    return bars


def basis(group: "ChecklistRollup") -> str:
    if group.rank_by == "total":
        return t("report.by_total")
    return t("report.by_percent") if group.scored else t("report.by_rate")


class ReportScreen(AppScreen[None]):
    BINDINGS = [
        Binding("t", "next_group", t("report.key.next"), id="report.next"),
        Binding("enter", "open", t("report.key.open"), id="report.open", priority=True),
        Binding("slash", "filter", t("report.key.filter"), id="report.filter"),
        Binding("escape,g", "back", t("key.back"), id="report.back"),
    ]

    class Ready(Message):
        def __init__(self, rollup: "Rollup | None", error: str) -> None:
            super().__init__()
            self.rollup = rollup
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.rollup: Rollup | None = None
        self.group_index = 0
        self.unit: str | None = None  # the filters, as `inspect-tui report --unit/--since`
        self.since: dt.date | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Text(t("report.reading")), id="report-head")
        yield CleanInput(placeholder=t("report.filter_placeholder"), id="report-filter", compact=True)
        with VerticalScroll(id="report-body"):
            yield BarChart(id="report-chart")
            yield Static(id="report-ranking-title")
            yield DataTable(id="report-ranking", cursor_type="row", zebra_stripes=True)
            yield Static(id="report-failed")
            yield Static(id="report-trends")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "inspect-tui"
        self.sub_title = t("report.title")
        self.query_one("#report-filter").display = False
        self.query_one("#report-ranking", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="report")
    def load(self) -> None:
        from ...core.errors import SessionError
        from ...core.session.reader import from_repository
        from ...store import StorageError

        try:
            self.post_message(self.Ready(from_repository(self.inspect_app.repo, unit=self.unit, since=self.since), ""))
        except (OSError, StorageError, SessionError) as exc:
            self.post_message(self.Ready(None, (say(exc).strip().splitlines() or [type(exc).__name__])[0]))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        if message.error:
            self.query_one("#report-head", Static).update(Text(t("report.failed", error=message.error), style="red"))
            return
        self.rollup = message.rollup
        if self.rollup is not None and self.rollup.problems:  # damaged files: left out, and said
            lines = list(self.rollup.problems[:3]) + (["…"] if len(self.rollup.problems) > 3 else [])
            self.notify("\n".join(lines), title=t("report.unreadable", n=len(self.rollup.problems)),
                        severity="warning", timeout=15, markup=False)
        if self.rollup is not None and self.rollup.groups:
            # the standard with the most branches first: it is the one the report is usually for
            self.group_index = max(range(len(self.rollup.groups)), key=lambda i: self.rollup.groups[i].branches)
        self.draw()
        self.refresh_bindings()

    # -- drawing ------------------------------------------------------------------------------

    @property
    def group(self) -> "ChecklistRollup | None":
        if self.rollup is None or not self.rollup.groups:
            return None
        return self.rollup.groups[self.group_index % len(self.rollup.groups)]

    def draw(self) -> None:
        group = self.group
        head = self.query_one("#report-head", Static)
        chart = self.query_one(BarChart)
        table = self.query_one("#report-ranking", DataTable)
        if group is None:
            empty = t("report.nothing_matches") if (self.unit or self.since) else t("report.empty")
            head.update(Text(empty + self.filter_words(), style="yellow" if (self.unit or self.since) else ""))
            chart.bars = []
            table.clear(columns=True)
            return
        assert self.rollup is not None
        line = Text(t("report.head", title=group.title, versions="、".join(group.versions),
                      branches=group.branches, inspections=group.inspections), style="bold")
        line.append("\n" + basis(group), style="dim")
        if len(self.rollup.groups) > 1:
            line.append(" " + t("report.group", n=self.group_index + 1, of=len(self.rollup.groups)), style="dim")
        if group.provisional:
            line.append(" · " + t("report.provisional", n=group.provisional), style="yellow")
        if self.unit or self.since:
            line.append(self.filter_words(), style="bold yellow")
        head.update(line)
        chart.title = t("report.chart.lost") if group.scored else t("report.chart.failed")
        chart.bars = section_bars(group)
        self.query_one("#report-ranking-title", Static).update(Text(t("report.ranking"), style="bold"))
        self.fill_ranking(table, group)
        self.query_one("#report-failed", Static).update(self.failed_table(group))
        self.query_one("#report-trends", Static).update(self.trends_table(group))

    def fill_ranking(self, table: DataTable, group: "ChecklistRollup") -> None:
        """The ranking, its branch column cut to what the other columns leave of the width."""
        table.clear(columns=True)
        trends = {(trend.branch, trend.unit): trend for trend in group.trends}
        rows = []
        # the unfinished after the ranked, unranked: their scores are 暂定 (core/analysis/score_line.py)
        for r in (*group.ranking, *group.unfinished):
            trend = trends.get((r.header.branch, r.header.unit))
            change = trend.change if trend is not None and len(trend.points) > 1 else None
            shown = r.scores.line
            style = "" if shown.final else "yellow"
            rank = Text(str(r.rank), justify="right") if r.rank else Text(t("report.unfinished"), style=style)
            row: list[Text] = [rank, Text(named(r.header.branch, r.header.unit)),
                               Text(words(shown, lang(), grade=False, open_part=False), justify="right", style=style),
                               Text(percent_text(r.scores.percent), justify="right")]
            row += [Text(grade_words(shown, lang()) or "—", style=style)] if group.graded else []
            row += [Text(r.header.date), Text(f"{r.scores.answered}/{r.scores.leaves}", justify="right"),
                    Text(signed_text(change), justify="right", style=change_style(change))]
            rows.append((r.header.id, row))
        labels = [t("report.col.rank"), t("col.branch"),
                  t("col.score") if group.scored else t("report.col.passed"),
                  t("report.col.rate") if group.scored else t("report.col.pass_rate")]
        labels += [t("col.grade")] if group.graded else []
        labels += [t("col.date"), t("col.progress"), t("report.col.trend")]
        widths = [max([cell_len(label)] + [row[i].cell_len for _, row in rows]) for i, label in enumerate(labels)]
        room = (self.size.width or 80) - 2 - 2 - 2 * len(labels)  # margins, scrollbar, cell padding
        widths[1] = max(cell_len(labels[1]), min(widths[1], room - (sum(widths) - widths[1])))
        for label, width in zip(labels, widths):
            table.add_column(Text(label, style="bold"), width=width)
        for session_id, row in rows:
            if row[1].cell_len > widths[1]:
                row[1].truncate(widths[1], overflow="ellipsis")
            table.add_row(*row, key=session_id)

    def on_resize(self) -> None:
        if self.rollup is not None:
            self.draw()

    def failed_table(self, group: "ChecklistRollup") -> Table | Text:
        title = Text("\n" + t("report.most_failed"), style="bold")
        if not group.failed_items:
            return Text.assemble(title, "\n", (t("report.none"), "dim"))
        table = Table(title=title, title_justify="left", expand=True, box=None, padding=(0, 1))
        table.add_column(t("diff.col.item"), ratio=3, overflow="fold")
        table.add_column(t("report.col.count"), justify="right", no_wrap=True)
        if group.scored:
            table.add_column(t("col.lost"), justify="right", no_wrap=True)
        table.add_column(t("col.branch"), ratio=2, overflow="fold")
        for f in group.failed_items[:MOST_FAILED]:
            names = "、".join(f.branches[:BRANCHES_LISTED])
            if len(f.branches) > BRANCHES_LISTED:
                names += " " + t("report.more_branches", n=len(f.branches))
            row = [Text(f.text), f"{f.count}/{group.branches}"]
            row += [num(f.avg_lost)] if group.scored else []
            table.add_row(*row, Text(names, style="dim"))
        return table

    def trends_table(self, group: "ChecklistRollup") -> Table | Text:
        """Each branch inspected more than once: its scores in date order and the change."""
        title = Text("\n" + t("report.trends"), style="bold")
        repeated = [trend for trend in group.trends if len(trend.points) > 1]
        if not repeated:
            return Text.assemble(title, "\n", (t("report.trends_none"), "dim"))
        by_total = group.rank_by == "total"
        table = Table(title=title, title_justify="left", expand=True, box=None, padding=(0, 1))
        table.add_column(t("col.branch"), ratio=2, overflow="fold")
        table.add_column(t("report.col.history"), ratio=3, overflow="fold")
        table.add_column(t("report.col.change"), justify="right", no_wrap=True)
        for trend in repeated:
            history = " → ".join(f"{p.header.date} {num(p.scores.total) if by_total else percent_text(p.scores.percent)}"
                                 + ("" if p.scores.final else t("report.provisional_mark")) for p in trend.points)
            change = trend.change
            unit = "" if by_total else t("diff.pp")
            table.add_row(Text(named(trend.branch, trend.unit)), history,
                          Text(signed_text(change) + (unit if change is not None else ""), style=change_style(change)))
        return table

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.focused, Input) and action in ("next_group", "open", "filter"):
            return False  # typing the filter: t, Enter and / are characters
        if action == "next_group":
            return self.rollup is not None and len(self.rollup.groups) > 1
        if action == "open":
            return self.group is not None and bool(self.group.ranking or self.group.unfinished)
        return True

    def filter_words(self) -> str:
        parts = ([t("report.filter.unit", unit=self.unit)] if self.unit else []) + \
                ([t("report.filter.since", date=self.since.isoformat())] if self.since else [])
        return ("\n" + " · ".join(parts) + " " + t("report.filter.clear")) if parts else ""

    def action_filter(self) -> None:
        box = self.query_one("#report-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#report-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """"幸福社区党委 2026-01-01": a date is "since", the rest the unit; empty clears both."""
        words = event.value.split()
        dates = [w for w in words if DATE.fullmatch(w)]
        try:
            since = dt.date.fromisoformat(dates[-1]) if dates else None
        except ValueError:
            self.warn(t("report.bad_date", date=dates[-1]))
            return
        self.unit = " ".join(w for w in words if not DATE.fullmatch(w)) or None
        self.since = since
        event.input.display = bool(words)
        self.query_one("#report-ranking", DataTable).focus()
        self.reload()

    def reload(self) -> None:
        self.rollup = None
        self.query_one("#report-head", Static).update(Text(t("report.reading")))
        self.load()

    def action_back(self) -> None:
        box = self.query_one("#report-filter", Input)
        if self.unit or self.since or box.has_focus:  # Esc clears the filter first
            box.value = ""
            box.display = False
            self.query_one("#report-ranking", DataTable).focus()
            if self.unit or self.since:
                self.unit = self.since = None
                self.reload()
            return
        self.app.pop_screen()

    def action_next_group(self) -> None:
        if self.rollup is not None and self.rollup.groups:
            self.group_index = (self.group_index + 1) % len(self.rollup.groups)
            self.draw()

    def action_open(self) -> None:
        table = self.query_one("#report-ranking", DataTable)
        if self.group is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if key.value is not None:
            self.inspect_app.open_session(key.value)

