"""The one vocabulary of results: what every view of "a scored session" is made of.

An inspection is described by two records, built here and nowhere else:

- `SessionHeader`: which session, which branch, which standard, when, by whom, its status;
- `Scores`: what it scored — the total, the maximum, the rate, the grade, the counts of states,
  how much is answered and still open — all `Decimal` (or int), with the `ScoreLine` that words it;

and, per top-level part of the standard, a `SectionScore`. The session list's row
(session/model.Summary), the export model (export/model.py), a comparison (compare.py), a
self-assessment (selfcheck.py) and a roll-up (rollup.py) hold these records instead of copying
their fields, so a figure means the same thing, typed the same way, wherever it is shown.

Pure: reads no files; `header_of` takes the session, `scores_of` and `section_scores` the
checklist and its `scoring.Result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .score_line import ScoreLine, line_from_numbers, score_line

if TYPE_CHECKING:
    from ..checklist.model import Checklist, Item
    from ..session.model import Session
    from .item_results import Result

STATES = ("pass", "fail", "na", "unanswered")


@dataclass(frozen=True)
class SessionHeader:
    """Who, what and when of one inspection: no figures."""

    id: str
    branch: str
    unit: str
    date: str  # ISO
    status: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    inspectors: tuple[str, ...] = ()
    place: str = ""
    previous: str = ""  # the session this one re-inspects


@dataclass(frozen=True)
class Scores:
    """What an inspection scored. Scored standard: points; unscored: `total` is the items passed
    and `max` the applicable ones (scoring.py). Read back from a list entry (which keeps only what
    the list shows), `counts` is empty and `deducted`/`bonus` are None: not known there."""

    scored: bool
    total: Decimal | None  # None only in a list entry that never had one
    max: Decimal | None
    percent: Decimal | None
    grade: str
    answered: int
    leaves: int
    line: ScoreLine  # the score as it may be shown (暂定 while items are open; score_line.py)
    counts: dict[str, int] = field(default_factory=dict)  # leaves: pass, fail, na, unanswered
    vetoed: tuple[str, ...] = ()  # the veto items that failed (一票否决)
    deducted: Decimal | None = None
    bonus: Decimal | None = None

    @property
    def final(self) -> bool:
        """Every applicable item decided: the score is no longer 暂定."""
        return self.line.final

    @property
    def provisional(self) -> bool:
        return not self.line.final

    @property
    def open_points(self) -> Decimal | None:
        """Points (items when unscored) still undecided; None when not known."""
        return self.line.open


@dataclass(frozen=True)
class ScoredSession:
    """One inspection and its score: a side of a comparison, a point of a branch's trend."""

    header: SessionHeader
    scores: Scores


@dataclass(frozen=True)
class SectionScore:
    """One top-level part of the standard in one inspection."""

    id: str
    title: str
    max: Decimal | None
    deducted: Decimal
    score: Decimal | None
    declared_points: Decimal | None  # the standard's own figure, where it differs (truncated)
    counts: dict[str, int]  # its leaves: pass, fail, na, unanswered


def field_of(record: Any, name: str) -> Any:
    """A field by name of a record holding a `header` and `scores` (a ranking row, a side of a
    comparison …): its own, else the header's (`session_id` is the header's `id`), else the scores'.
    The JSON outputs keep their flat shapes through it (export/json_.py, export/report_json.py)."""
    for source in (record, getattr(record, "header", None), getattr(record, "scores", None)):
        if source is not None and hasattr(source, name):
            return getattr(source, name)
    if name == "session_id":
        return record.header.id
    raise AttributeError(name)


def header_of(session: "Session") -> SessionHeader:
    checklist = session.checklist
    return SessionHeader(
        id=session.id, branch=session.branch.name, unit=session.branch.unit, date=session.date.isoformat(),
        status=session.status, checklist_id=checklist.id, checklist_title=checklist.title,
        checklist_version=checklist.version, inspectors=tuple(session.inspectors), place=session.place,
        previous=session.previous,
    )


def scores_of(checklist: "Checklist", result: "Result") -> Scores:
    return Scores(
        scored=result.scored, total=result.total, max=result.max, percent=result.percent, grade=result.grade,
        answered=result.answered, leaves=result.leaves, line=score_line(checklist, result),
        counts=dict(result.counts), vetoed=tuple(result.vetoed), deducted=result.deducted, bonus=result.bonus,
    )


def stored_scores(scored: bool, total: Any, maximum: Any, percent: Any, grade: str, answered: int, leaves: int,
                  open_points: Any) -> Scores:
    """Scores read back from stored numbers (a list entry: floats in older files), as Decimal."""
    line = line_from_numbers(scored, answered >= leaves, total, maximum, open_points, grade)
    return Scores(scored, _decimal(total), _decimal(maximum), _decimal(percent), grade, answered, leaves, line)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def leaf_counts(item: "Item", result: "Result") -> dict[str, int]:
    """The states of the leaves under `item` (itself when it is one)."""
    counts = dict.fromkeys(STATES, 0)
    for node in item.walk():
        if node.is_leaf:
            state = result.items[node.id].state
            counts[state.value if state else "unanswered"] += 1
    return counts


def section_score(checklist: "Checklist", result: "Result", section_id: str, title: str | None = None) -> SectionScore:
    """`title`: the section's text as shown (an export fills its blanks from the facts)."""
    r = result.items[section_id]
    item = checklist.item(section_id)
    return SectionScore(
        id=section_id, title=item.text if title is None else title, max=r.max, deducted=r.deducted, score=r.score,
        declared_points=item.points if item.points != r.max else None, counts=leaf_counts(item, result),
    )


def scored_session(session: "Session", result: "Result | None" = None) -> ScoredSession:
    result = result or session.score()
    return ScoredSession(header_of(session), scores_of(session.checklist, result))


def section_scores(checklist: "Checklist", result: "Result") -> tuple[SectionScore, ...]:
    return tuple(section_score(checklist, result, s.id) for s in result.sections)


__all__ = ["SessionHeader", "Scores", "ScoredSession", "SectionScore", "scored_session", "field_of", "header_of", "scores_of", "stored_scores", "leaf_counts",
           "section_score", "section_scores"]
