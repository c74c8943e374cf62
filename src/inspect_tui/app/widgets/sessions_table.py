"""The home screen's list of sessions: one row per stored inspection, its columns fitted to the width.

What a row says (status, progress, score, grade) and which columns fit: at 80 columns the branch
name keeps its full width and the less urgent details (unit, title, inspectors) are left to the
line under the table (the home screen's detail). Rows are added in chunks after each frame, so a
thousand sessions do not hold up the first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from ...core.analysis.score_line import grade_words, words
from ...core.session.model import FINISHED, Summary
from ...core.text import shown
from ...i18n import lang, t

PAD = 2  # DataTable's cell_padding=1, on each side of every column
SCROLLBAR = 2  # kept free so the widths do not change when the list grows a scrollbar
BRANCH_MIN = 16  # below this the branch name is no longer recognisable; the cell truncates instead
BRANCH_MAX = 32
UNIT_MIN, UNIT_MAX = 10, 24
FIRST_ROWS = 100  # rows put in the table at once; the rest follow after each frame,
MORE_ROWS = 300  # this many at a time


# -- what a row says -------------------------------------------------------------------------------


def status_label(summary: Summary) -> str:
    # own keys: the column is narrow, and English "in progress" would cost the branch 3 cells
    return t(f"home.status.{summary.header.status}") if summary.header.status in ("in_progress", FINISHED) else summary.header.status


def progress_text(summary: Summary) -> str:
    """Answered of all leaf items and a percentage (rounded, as on the inspection screen, but
    never 100 while an item is still open)."""
    if not summary.scores.leaves:
        percent = 100
    else:
        percent = round(summary.scores.answered * 100 / summary.scores.leaves)
        percent = min(percent, 99) if summary.scores.answered < summary.scores.leaves else percent
    return f"{summary.scores.answered}/{summary.scores.leaves} {percent}%"


def score_text(summary: Summary, full: bool = False) -> str:
    """"20/28", "暂定 24/28" (with `full`: ",另有 4 分未检查" and the grade), "符合 20/25 项" — never
    a percentage: core/analysis/score_line.py words it as every other place does."""
    if summary.scores.total is None or summary.scores.max is None:
        return "—"
    return words(summary.scores.line, lang(), grade=full, open_part=full)


def grade_text(summary: Summary) -> str:
    return grade_words(summary.scores.line, lang())


def previous_text(summary: Summary) -> str:
    """"上次 2026-06-15: 20/28 良好" — what a re-inspection is compared with."""
    score = score_text(summary, full=True)
    text = t("home.previous", date=summary.header.date, score=score)
    if summary.header.status != FINISHED:
        text += t("home.previous.unfinished", progress=progress_text(summary))
    return text


def detail_text(summary: Summary, width: int, rect: tuple[int, int] | None = None) -> Text:
    """The line under the table: the highlighted session in full, in two lines cut to `width`
    (its rectifications first on the second: the narrow list may have no room for them)."""
    first = Text(summary.header.branch, style="bold")
    if summary.header.unit:
        first.append(f" · {summary.header.unit}")
    if summary.header.inspectors:
        first.append(" · " + t("home.detail.inspectors", names="、".join(summary.header.inspectors)))
    first.append(" · " + score_text(summary, full=True))
    updated = summary.updated.replace("T", " ")[:16]
    second = Text()
    if rect and rect[0]:
        key = "home.detail.rect_overdue" if rect[1] else "home.detail.rect"
        second.append(t(key, open=rect[0], overdue=rect[1]), style="bold red" if rect[1] else "")
        second.append(" · ", style="dim")
    second.append(t("home.detail.id", id=summary.id), style="dim")
    second.append(" · " + t("home.detail.updated", time=updated), style="dim")
    second.append(f" · {summary.header.checklist_title} {summary.header.checklist_version}", style="dim")
    for line in (first, second):
        line.truncate(width, overflow="ellipsis")
    return Text("\n").join([first, second])


# A session's rectifications on the list: (still open, of which overdue today), from the index's
# digest (core/session/rect_digest.py) — 逾期 counted when the list is read, never stored.
RectCounts = dict[str, tuple[int, int]]


def rect_text(counts: tuple[int, int] | None) -> Text:
    """"3" open, "3·1逾期" with one overdue (red), "" with none open."""
    open_, overdue = counts or (0, 0)
    if not open_:
        return Text("", justify="right")
    if not overdue:
        return Text(str(open_), justify="right")
    return Text(t("home.rect.cell", open=open_, overdue=overdue), style="bold red", justify="right")


def overdue_words() -> set[str]:
    """The filter words that keep only sessions with overdue rectifications (逾期, overdue)."""
    return {t("home.rect.filter_word").casefold(), "逾期", "overdue"}


def matches(summary: Summary, query: str, rects: RectCounts | None = None) -> bool:
    """Every word of the filter appears somewhere in what the row is about; the word 逾期 (overdue)
    keeps the sessions with a rectification past its deadline."""
    words_ = query.casefold().split()
    if any(word in overdue_words() for word in words_):
        if not (rects or {}).get(summary.id, (0, 0))[1]:
            return False
        words_ = [word for word in words_ if word not in overdue_words()]
    haystack = " ".join([
        summary.header.branch, summary.header.unit, summary.header.checklist_id, summary.header.checklist_title,
        summary.header.checklist_version, summary.header.date, status_label(summary), summary.scores.grade,
        " ".join(summary.header.inspectors), summary.id,
    ]).casefold()
    return all(word in haystack for word in words_)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[Summary], Text]
    width: int = 0


def _status_cell(summary: Summary) -> Text:
    return Text(status_label(summary), style="green" if summary.header.status == FINISHED else "yellow")


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        Column("branch", "col.branch", lambda s: Text(shown(s.header.branch, multiline=False))),
        Column("unit", "home.col.unit", lambda s: Text(shown(s.header.unit, multiline=False))),
        Column("checklist_id", "col.checklist", lambda s: Text(shown(s.header.checklist_id, multiline=False))),
        Column("checklist", "col.checklist", lambda s: Text(shown(f"{s.header.checklist_id} {s.header.checklist_version}", multiline=False))),
        Column("date", "col.date", lambda s: Text(shown(s.header.date, multiline=False))),
        Column("progress", "col.progress", lambda s: Text(progress_text(s), justify="right")),
        Column("score", "col.score", lambda s: Text(score_text(s), justify="right")),
        Column("grade", "col.grade", lambda s: Text(grade_text(s))),
        Column("status", "col.status", _status_cell),
    )
}


def plan_columns(width: int, rows: list[Summary], rects: RectCounts | None = None) -> list[Column]:
    """The columns that fit `width` cells, each as wide as its longest cell.

    The branch, date, progress, score and status always show; the rectifications still open (and
    overdue) when any session has some; the grade when any row has one and there is room (the
    line under the table has it too). With room to spare the checklist gains its version, then the
    unit gets a column. Only below ~75 columns does the branch shrink.
    """
    rects = rects or {}
    columns = dict(COLUMNS)
    columns["rect"] = Column("rect", "home.col.rect", lambda s: rect_text(rects.get(s.id)))

    def need(key: str) -> int:
        column = columns[key]
        return max([cell_len(t(column.label))] + [column.cell(s).cell_len for s in rows])

    available = width - SCROLLBAR
    keys = ["branch", "checklist_id", "date", "progress", "score", "status"]
    if any(s.scores.grade for s in rows):
        keys.insert(5, "grade")
    if any(rects.get(s.id, (0, 0))[0] for s in rows):
        keys.insert(keys.index("status"), "rect")
    widths = {key: need(key) for key in keys}
    widths["branch"] = max(BRANCH_MIN, min(widths["branch"], BRANCH_MAX))

    def used() -> int:
        return sum(w + PAD for w in widths.values())

    if used() > available and "grade" in widths:
        del widths["grade"]  # the line under the table still shows it
    if used() > available:
        widths["branch"] = max(BRANCH_MIN, widths["branch"] - (used() - available))
    if used() > available and "rect" in widths:
        # overdue at a glance before the standard's id (the line under the table names it); then
        # the branch takes back what it gave, and only if even that does not fit the counts go
        del widths["checklist_id"]
        widths["branch"] = min(max(BRANCH_MIN, min(need("branch"), BRANCH_MAX)), widths["branch"] + available - used())
        if used() > available:
            del widths["rect"]
    if "checklist_id" in widths and used() - widths["checklist_id"] + need("checklist") <= available:
        widths = {("checklist" if k == "checklist_id" else k): (need("checklist") if k == "checklist_id" else w)
                  for k, w in widths.items()}
    unit = max(UNIT_MIN, min(need("unit"), UNIT_MAX))
    if any(s.header.unit for s in rows) and used() + unit + PAD <= available:
        widths = dict(list(widths.items())[:1] + [("unit", unit)] + list(widths.items())[1:])
    return [Column(k, columns[k].label, columns[k].cell, w) for k, w in widths.items()]


class SessionsTable(DataTable[Text]):
    """The sessions a filter lets through, in `Column`s planned for the width; the cursor stays on
    its session (`cursor_id`) across refills."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[Summary] = []
        self.rects: RectCounts = {}
        self.cursor_id: str | None = None
        self._shape: list[tuple[str, int]] = []
        self._fill = 0  # which fill the rows being added belong to

    def fill(self, rows: list[Summary], every: list[Summary], width: int, force: bool = True,
             rects: RectCounts | None = None) -> bool:
        """Show `rows` in the columns that fit `width` for `every` session (the widths do not jump
        as a filter narrows the list); False when not `force`d and the columns are as they were.

        The first `FIRST_ROWS` rows go in at once and the rest in chunks after each frame: with a
        thousand sessions, adding every row before the first frame made the home screen wait
        ~100 ms (the rows, then the table's first layout of all of them) for rows nobody sees yet.
        """
        self.rows_shown = rows
        self.rects = rects if rects is not None else self.rects
        columns = plan_columns(width, every, self.rects)
        shape = [(c.key, c.width) for c in columns]
        if not force and shape == self._shape:
            return False
        self._shape = shape
        self._fill += 1
        self.clear(columns=True)
        for column in columns:
            self.add_column(Text(t(column.label), style="bold"), width=column.width, key=column.key)
        self._add_rows(columns, 0, self._fill, self.cursor_id)
        return True

    def _add_rows(self, columns: list[Column], start: int, fill: int, target: str | None) -> None:
        if fill != self._fill:
            return  # a newer fill (a filter typed, the list read again) took over
        end = start + (FIRST_ROWS if start == 0 else MORE_ROWS)
        for summary in self.rows_shown[start:end]:
            cells = []
            for column in columns:
                cell = column.cell(summary)
                if cell.cell_len > column.width:
                    cell.truncate(column.width, overflow="ellipsis")
                cells.append(cell)
            self.add_row(*cells, key=summary.id)
        ids = [s.id for s in self.rows_shown[start:end]]
        if target in ids:
            self.move_cursor(row=start + ids.index(target), animate=False)
            self.cursor_id = target
        if end < len(self.rows_shown):
            self.call_after_refresh(self._add_rows, columns, end, fill, target)

    def current(self) -> Summary | None:
        """The session under the cursor (None when the filter left no row or the table is hidden)."""
        if not self.rows_shown or not self.display:
            return None
        row = self.cursor_row
        return self.rows_shown[row] if 0 <= row < len(self.rows_shown) else None
