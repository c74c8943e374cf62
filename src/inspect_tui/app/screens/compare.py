"""The comparison screen (复查对比): a re-inspection beside the inspection it follows.

Did the branch put right what was found last time? Per item: 已整改 (fixed), 仍不符合 (still
failing), 新发现不符合 (newly failing), 未检查 (not checked), and across checklist versions the
items removed, added or reworded; per section the change in score. The figures are the core's
`compare()`, the same as `inspect-tui diff`. Both sessions are read without taking their locks.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...core.analysis.compare import Comparison
from ...core.analysis.results import ScoredSession
from ...core.export.report_common import SHOWN as LISTED, named  # the categories listed item by item
from ...core.numbers import points_text as num
from ...i18n import t
from ...i18n_reports import (
    carried_cells, carried_header, carried_line, change_cells, change_remark, change_states, comparison_notes, delta_words,
    section_cells, shown_categories, side_words,
)
from ..render import change_style
from ..widgets.key_footer import KeyFooter
from ..widgets.title_bar import TitleBar
from .base import AppScreen

CATEGORY_STYLES = {"fixed": "green", "still_failing": "bold red", "newly_failing": "red", "not_checked": "yellow"}


def side_line(label: str, side: ScoredSession) -> Text:
    line = Text(f"{label}: ", style="bold")
    line.append(f"{side.header.date} · {side_words(side)}")
    line.append(f" · {t('status.' + side.header.status)} · {side.header.checklist_id} {side.header.checklist_version} · {side.header.id}", style="dim")
    return line


def headline(c: Comparison) -> Text:
    text = Text(named(c.new.header.branch, c.new.header.unit) + "\n", style="bold")
    text.append_text(side_line(t("diff.old"), c.old))
    text.append("\n")
    text.append_text(side_line(t("diff.new"), c.new))
    label, figure = delta_words(c)
    text.append(f"\n{label}: ", style="bold")
    text.append(figure, style=change_style(c.delta) if c.delta is not None else "")
    for note in comparison_notes(c):
        text.append(f"\n{t('diff.note')}: {note}", style="yellow")
    counts = c.counts
    text.append("\n")
    for index, key in enumerate(shown_categories(c)):
        if index:
            text.append(" · ", style="dim")
        text.append(f"{t('diff.cat.' + key)} {counts[key]}", style=CATEGORY_STYLES.get(key, ""))
    if c.carried:
        text.append("\n" + carried_line(c), style="bold red" if c.carried_counts["still_open"] else "bold")
    return text


OUTCOME_STYLES = {"confirmed": "green", "to_confirm": "green", "still_open": "bold red", "pending": "yellow"}


def carried_table(c: Comparison) -> Table | None:
    """Last time's rectifications: the promise, and what this re-inspection found of each."""
    if not c.carried:
        return None
    table = Table(title=Text(t("reinspect.title"), style="bold"), title_justify="left", expand=True, box=None,
                  padding=(0, 1))
    header = carried_header()[1:]  # the item's id is in the finding's row already said by its text
    for label, ratio in zip(header, (3, 3, None, 2, 2)):  # the deadline (and person) kept on one line
        table.add_column(label, ratio=ratio, overflow="fold", no_wrap=ratio is None)
    for o, cells in zip(c.carried, carried_cells(c)):
        table.add_row(Text(cells[1]), Text(cells[2], style="dim"), cells[3], Text(cells[4]),
                      Text(cells[5], style=OUTCOME_STYLES[o.outcome]))
    return table


def sections_table(c: Comparison) -> Table:
    scored = c.old.scores.scored or c.new.scores.scored
    table = Table(title=Text(t("diff.sections"), style="bold"), title_justify="left", expand=True, box=None, padding=(0, 1))
    table.add_column(t("diff.col.section"), ratio=3, overflow="fold")
    for label in (t("diff.col.old"), t("diff.col.new"), t("diff.col.change")):
        table.add_column(label, justify="right", no_wrap=True)
    for s in c.sections:
        old, new, change = section_cells(s, scored)
        table.add_row(Text(s.title), old, new, Text(change, style=change_style(s.delta)))
    return table


def changes_table(c: Comparison) -> Table | None:
    """Where the score change comes from, line by line, with the total the lines make."""
    if not c.changes:
        return None
    header, rows = change_cells(c)
    table = Table(title=Text(t("diff.changes"), style="bold"), title_justify="left", expand=True, box=None, padding=(0, 1))
    for index, label in enumerate(header):
        if index == 1:
            table.add_column(label, ratio=3, overflow="fold")
        elif index == 0:
            table.add_column(label, overflow="fold", style="dim")
        else:
            table.add_column(label, justify="right" if index > 2 else "left", no_wrap=True)
    for cells in rows:
        table.add_row(*cells[:-1], Text(cells[-1], style="bold" if cells is rows[-1] else ""))
    return table


def items_table(c: Comparison, category: str) -> Table | None:
    rows = c.of(category)
    if not rows:
        return None
    scored = c.old.scores.scored or c.new.scores.scored
    title = Text(f"{t('diff.cat.' + category)} ({len(rows)})", style="bold " + CATEGORY_STYLES.get(category, ""))
    table = Table(title=title, title_justify="left", expand=True, box=None, padding=(0, 1))
    table.add_column(t("diff.col.item"), ratio=3, overflow="fold")
    table.add_column(t("diff.col.states"), no_wrap=True)
    if scored:
        table.add_column(t("diff.col.lost_old"), justify="right", no_wrap=True)
        table.add_column(t("diff.col.lost_new"), justify="right", no_wrap=True)
    table.add_column(t("diff.col.remark"), ratio=2, overflow="fold")
    for r in rows:
        row = [Text(r.text), change_states(r)] + ([num(r.old_deducted), num(r.new_deducted)] if scored else [])
        table.add_row(*row, Text(change_remark(r), style="dim"))
    return table


class CompareScreen(AppScreen[None]):
    BINDINGS = [Binding("escape,c", "back", t("key.back"), id="compare.back")]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare-head")
            yield Static(id="compare-sections")
            yield Static(id="compare-items")
        yield KeyFooter()

    def on_mount(self) -> None:
        c = self.comparison
        self.title = c.new.header.branch
        self.sub_title = t("compare.title")
        self.query_one("#compare-head", Static).update(headline(c))
        self.query_one("#compare-sections", Static).update(sections_table(c))
        carried = carried_table(c)
        tables = [carried] if carried is not None else []
        tables += [table for category in LISTED if (table := items_table(c, category)) is not None]
        changes = changes_table(c)
        tables += [changes] if changes is not None else []
        body = Table.grid(expand=True)
        body.add_column()
        for table in tables:
            body.add_row(Text(""))
            body.add_row(table)
        if not tables:
            body.add_row(Text("\n" + t("compare.none_listed"), style="dim"))
        self.query_one("#compare-items", Static).update(body)
        self.query_one("#compare-body").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
