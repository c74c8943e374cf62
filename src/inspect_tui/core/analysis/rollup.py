"""Roll-ups over many inspections: which branches are below standard, which items fail everywhere,
and how each branch moved between its inspections.

`rollup()` takes sessions, or the repository's list entries (`Summary`) together with a `load`
function. Summaries are filtered *before* anything is loaded, so a report on one unit or one year
reads only those session files. Each session is scored once and reduced at once to a small
`Inspection` record; the session (and its answers) can then be dropped.

What is counted (the report says so too):
- the ranking has one row per branch: its latest inspection in the selection, if finished — every
  applicable item decided (core/analysis/score_line.py). A branch whose latest inspection is not is listed
  apart in `unfinished`, with its provisional score and unranked;
- the averages per section and the items failed most often count each branch once, at that same
  latest inspection — "fails everywhere" means across branches, and a branch inspected five times
  must not weigh five times;
- the trend lists every inspection of the branch in the selection, by date.

A branch is recognised by its name and unit, and through `previous` links (a re-inspection belongs
to the branch of the inspection it follows, even if the name was corrected in between).
Sessions of different standards are never mixed: there is one `ChecklistRollup` per checklist id
(versions of one checklist are matched by section and item id).

Reading from a repository (session/reader.py): `RepositoryReader` loads session files read-only and without locks (a
save replaces a file atomically, so a reader sees a whole file), by exact id — resolving a prefix
lists the folder, which done 1,000 times would cost more than the whole report. Each distinct
frozen checklist text is parsed once (session.frozen_checklist caches by text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable

from ..checklist.model import Checklist
from .results import Scores, ScoredSession, SessionHeader, header_of, scores_of
from ..session.model import Session, Summary, source_hash
from .reinspection import STILL_OPEN, outcomes
from .rect_rollup import UnitRectification, by_unit


ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Inspection:
    """One session reduced to what a roll-up needs: its header (branch and unit trimmed: a branch
    is matched by them) and scores (results.py), and the points lost per section and item."""

    header: SessionHeader
    scores: Scores
    sections: tuple[tuple[str, Decimal | None, Decimal, int], ...]  # id, max, deducted, failed leaves
    failed: tuple[tuple[str, Decimal], ...]  # failed leaf id, points deducted
    checklist_hash: str = ""
    # its rectifications (core/session/rectification.py): status, deadline, report date — 逾期 is
    # decided when the roll-up is made, from the deadline and its `today`
    rectifications: tuple[tuple[str, dt.date, str], ...] = ()
    carried: int = 0  # a re-inspection: last time's rectifications it carried (reinspection.py)
    still_open: int = 0  # of which found 不符合 again (仍未整改)

    @property
    def final(self) -> bool:
        """Every applicable item decided (core/analysis/score_line.py): only then is it ranked."""
        return self.scores.final


@dataclass(frozen=True)
class RankRow:
    rank: int  # 0: listed apart, unranked (items still undecided)
    header: SessionHeader
    scores: Scores
    inspections: int  # how many inspections of this branch are in the selection


@dataclass(frozen=True)
class SectionStat:
    id: str
    title: str
    max: Decimal | None  # the largest maximum scored among the branches (N/A items lower it)
    branches: int  # branches whose latest inspection has this section
    avg_lost: Decimal | None  # None for an unscored standard
    avg_failed: Decimal  # failed leaf items per branch


@dataclass(frozen=True)
class FailedItem:
    id: str
    text: str
    section: str
    count: int  # branches failing it at their latest inspection
    branches: tuple[str, ...]
    avg_lost: Decimal | None  # points lost where it failed; None when unscored


@dataclass(frozen=True)
class BranchTrend:
    branch: str
    unit: str
    points: tuple[ScoredSession, ...]  # by date, oldest first; 暂定 where `scores.final` is False
    change: Decimal | None  # last − first, in the group's ranking measure; None with one point or a 暂定 end


@dataclass(frozen=True)
class ChecklistRollup:
    checklist_id: str
    title: str
    versions: tuple[str, ...]
    scored: bool
    graded: bool  # the standard has grades (or a veto), so the ranking shows them
    rank_by: str  # "total" (all ranked inspections have the same maximum) or "percent"
    inspections: int
    ranking: tuple[RankRow, ...]  # branches whose latest inspection is finished (every item decided)
    sections: tuple[SectionStat, ...]
    failed_items: tuple[FailedItem, ...]
    trends: tuple[BranchTrend, ...]
    # branches whose latest inspection still has undecided items, apart and unranked (rank 0): an
    # undecided item costs nothing yet, so ranking them would put the least checked first
    unfinished: tuple[RankRow, ...] = ()
    # the latest inspections' carried rectifications, and those still not put right (仍未整改),
    # counted apart: a branch that was told and did not act is not one found failing once
    carried: int = 0
    still_open: int = 0

    @property
    def branches(self) -> int:
        return len(self.ranking) + len(self.unfinished)

    @property
    def provisional(self) -> int:
        """Branches listed apart because their latest inspection is not finished."""
        return len(self.unfinished)


@dataclass(frozen=True)
class Rollup:
    filters: dict[str, str]
    sessions: int
    groups: tuple[ChecklistRollup, ...]
    problems: tuple[str, ...] = field(default=())  # session files that could not be read
    rectifications: tuple[UnitRectification, ...] = ()  # by unit, then the total row
    today: str = ""  # the day 逾期 is counted on (ISO)


Entry = Session | Summary


def rollup(
    entries: Iterable[Entry],
    load: Callable[[str], Session | None] | None = None,
    checklist: str | None = None,
    since: dt.date | None = None,
    unit: str | None = None,
    problems: Iterable[str] = (),
    today: dt.date | None = None,
) -> Rollup:
    """Roll up `entries` (sessions, or summaries that `load` turns into sessions; `load` may return
    None for a file that could not be read) after the filters: checklist id, date ≥ `since`, unit.
    `today`: the day rectifications are counted overdue on (default: the clock's)."""
    inspections: list[Inspection] = []
    checklists: dict[str, tuple[str, Checklist]] = {}  # checklist hash → (newest date, checklist)
    for entry in entries:
        if isinstance(entry, Summary):
            if not _selected(entry.header.checklist_id, entry.header.date, entry.header.unit, checklist, since, unit):
                continue  # filtered before the file is read
            if load is None:
                raise TypeError("rollup() needs load= to read sessions from summaries")
            loaded = load(entry.id)
            if loaded is None:
                continue
            session = loaded
        else:
            session = entry
        # a listed file may have changed since it was listed: the filters apply to what was read
        if not _selected(session.checklist_id, session.date.isoformat(), session.branch.unit, checklist, since, unit):
            continue
        record = reduce_session(session)
        inspections.append(record)
        seen = checklists.get(record.checklist_hash)
        if seen is None or seen[0] < record.header.date:
            checklists[record.checklist_hash] = (record.header.date, session.checklist)
    by_checklist: dict[str, list[Inspection]] = {}
    for record in inspections:
        by_checklist.setdefault(record.header.checklist_id, []).append(record)
    groups = []
    for checklist_id, members in sorted(by_checklist.items()):
        hashes = {i.checklist_hash for i in members}
        versions = sorted((checklists[h] for h in sorted(hashes)), key=lambda pair: (pair[0], pair[1].version))
        groups.append(group(members, [c for _, c in versions]))
    filters = {k: v for k, v in (("checklist", checklist or ""), ("since", since.isoformat() if since else ""),
                                 ("unit", unit or "")) if v}
    today = today or dt.date.today()
    return Rollup(filters, len(inspections), tuple(groups), tuple(problems), by_unit(inspections, today),
                  today.isoformat())


def _selected(checklist_id: str, date: str, unit_: str, checklist: str | None, since: dt.date | None, unit: str | None) -> bool:
    if checklist and checklist_id != checklist:
        return False
    if since and date < since.isoformat():  # ISO dates compare as text
        return False
    if unit is not None and unit.strip() and unit_.strip() != unit.strip():
        return False
    return True


def reduce_session(session: Session) -> Inspection:
    """Score `session` once and keep only what a roll-up uses."""
    result = session.score()
    checklist = session.checklist
    sections = tuple((s.id, s.max, s.deducted, s.failed) for s in result.sections)
    failed = tuple(
        (leaf.id, result.items[leaf.id].deducted) for leaf in checklist.leaves()
        if result.items[leaf.id].state is not None and result.items[leaf.id].state.value == "fail"
    )
    header = header_of(session)
    header = replace(header, branch=header.branch.strip(), unit=header.unit.strip())
    from ..session.rectification import derive

    rects = tuple((r.status, r.deadline, r.entry.report_date) for r in derive(session, result))
    found = outcomes(session, result)
    return Inspection(header, scores_of(checklist, result), sections, failed, source_hash(session.checklist_source),
                      rects, len(found), sum(o.outcome == STILL_OPEN for o in found))


def _order(i: Inspection) -> tuple[str, str]:
    return (i.header.date, i.header.id)


def branches(inspections: list[Inspection]) -> list[list[Inspection]]:
    """Inspections grouped by branch (name + unit, joined through `previous` links), each by date."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    ids = {i.header.id for i in inspections}
    for i in inspections:
        union("s:" + i.header.id, "b:" + i.header.branch + "\x00" + i.header.unit)
        if i.header.previous in ids:
            union("s:" + i.header.id, "s:" + i.header.previous)
    grouped: dict[str, list[Inspection]] = {}
    for i in inspections:
        grouped.setdefault(find("s:" + i.header.id), []).append(i)
    return [sorted(members, key=_order) for members in grouped.values()]


def _measure(i: Inspection, rank_by: str) -> Decimal:
    value = i.scores.total if rank_by == "total" else i.scores.percent
    return value if value is not None else Decimal(-1)


# What the branches' latest inspections add up to: per section (branches, points lost, failed leaves,
# the largest maximum), and per failed leaf item (the branches failing it, sorted, and points lost).
# Summed here from the Inspection records, or in SQL by the server report (exchange/central/report.py).
SectionSums = dict[str, tuple[int, Decimal, int, Decimal | None]]
FailedSums = dict[str, tuple[tuple[str, ...], Decimal]]
Aggregate = Callable[[list[Inspection]], tuple[SectionSums, FailedSums]]


def group(members: list[Inspection], versions: list[Checklist], aggregate: Aggregate | None = None) -> ChecklistRollup:
    """The roll-up of one standard; `versions` are its checklists, oldest inspection date first.
    `aggregate` sums the latest inspections' sections and failed items (default: from `members`,
    which then carry them; the server report sums them in SQL and passes records without)."""
    newest = versions[-1]
    by_branch = branches(members)
    latest = [history[-1] for history in by_branch]
    scored = newest.scored
    finished = [i for i in latest if i.final]
    rank_by = "total" if scored and len({i.scores.max for i in finished or latest}) <= 1 else "percent"
    ordered = sorted(finished, key=lambda i: (-_measure(i, rank_by), i.header.branch, i.header.unit, i.header.id))
    counts = {i.header.id: len(history) for history in by_branch for i in history}
    section_sums, failed_sums = (aggregate or sums)(latest)

    def row(rank: int, i: Inspection) -> RankRow:
        return RankRow(rank, i.header, i.scores, counts[i.header.id])

    ranking: list[RankRow] = []
    for position, i in enumerate(ordered, 1):
        if ranking and _measure(i, rank_by) == _measure(ordered[position - 2], rank_by):
            rank = ranking[-1].rank  # a tie shares the rank (1, 2, 2, 4)
        else:
            rank = position
        ranking.append(row(rank, i))
    # the unfinished by how much is done, then by name: no order by a score that is not one yet
    unfinished = tuple(row(0, i) for i in sorted(
        (i for i in latest if not i.final), key=lambda i: (-i.scores.answered / max(i.scores.leaves, 1), i.header.branch, i.header.unit, i.header.id)))
    trends = []
    for history in sorted(by_branch, key=lambda h: (h[-1].header.branch, h[-1].header.unit)):
        points = tuple(ScoredSession(i.header, i.scores) for i in history)
        change = None
        if len(history) > 1 and history[0].final and history[-1].final:  # no change claimed from a 暂定 score
            first, last = _measure(history[0], rank_by), _measure(history[-1], rank_by)
            change = None if Decimal(-1) in (first, last) else last - first
        trends.append(BranchTrend(history[-1].header.branch, history[-1].header.unit, points, change))
    return ChecklistRollup(
        checklist_id=newest.id, title=newest.title,
        versions=tuple(dict.fromkeys(c.version for c in versions)), scored=scored,
        graded=bool(newest.grades) or any(i.scores.vetoed for i in latest), rank_by=rank_by,
        inspections=len(members), ranking=tuple(ranking), sections=_section_stats(section_sums, versions),
        failed_items=_failed_items(failed_sums, versions), trends=tuple(trends), unfinished=unfinished,
        carried=sum(i.carried for i in latest), still_open=sum(i.still_open for i in latest),
    )


def _texts(versions: list[Checklist]) -> dict[str, tuple[str, str]]:
    """item id → (text, section title) in the newest version's order and wording, then the ids only
    older versions have."""
    texts: dict[str, tuple[str, str]] = {}
    for checklist in reversed(versions):
        for section in checklist.sections:
            for item in section.walk():
                texts.setdefault(item.id, (item.text, section.text))
    return texts


def sums(latest: list[Inspection]) -> tuple[SectionSums, FailedSums]:
    """The `Aggregate` of the Inspection records themselves."""
    sections: dict[str, tuple[int, Decimal, int, Decimal | None]] = {}
    for i in latest:
        for section_id, maximum, deducted, failed in i.sections:
            n, lost, fails, top = sections.get(section_id, (0, ZERO, 0, None))
            if maximum is not None:
                top = maximum if top is None else max(maximum, top)  # the largest maximum scored (N/A items lower it)
            sections[section_id] = (n + 1, lost + deducted, fails + failed, top)
    found: dict[str, tuple[tuple[str, ...], Decimal]] = {}
    for i in sorted(latest, key=lambda i: (i.header.branch, i.header.unit, i.header.id)):
        name = f"{i.header.branch}({i.header.unit})" if i.header.unit else i.header.branch
        for item_id, deducted in i.failed:
            names, lost = found.get(item_id, ((), ZERO))
            found[item_id] = ((*names, name), lost + deducted)
    return sections, found


def _section_stats(sections: SectionSums, versions: list[Checklist]) -> tuple[SectionStat, ...]:
    order: dict[str, None] = {}
    for checklist in reversed(versions):  # the newest version's order, then sections it dropped
        for section in checklist.sections:
            order.setdefault(section.id)
    texts = _texts(versions)
    scored = versions[-1].scored
    stats = []
    for section_id in order:
        n, deducted, failed, top = sections.get(section_id, (0, ZERO, 0, None))
        lost = _avg(deducted, n) if scored and n else None
        stats.append(SectionStat(section_id, texts[section_id][0], top, n, lost,
                                 _avg(Decimal(failed), n) if n else ZERO))
    return tuple(stats)


def _failed_items(found: FailedSums, versions: list[Checklist]) -> tuple[FailedItem, ...]:
    texts = _texts(versions)
    position = {item_id: n for n, item_id in enumerate(texts)}
    scored = versions[-1].scored
    rows = [
        FailedItem(
            item_id, texts.get(item_id, (item_id, ""))[0], texts.get(item_id, ("", ""))[1], len(names),
            tuple(names), _avg(lost, len(names)) if scored else None,
        )
        for item_id, (names, lost) in found.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.count, position.get(r.id, len(position)), r.id)))


def _avg(total: Decimal, n: int) -> Decimal:
    return (total / n).quantize(CENT, rounding=ROUND_HALF_UP).normalize() if n else ZERO


__all__ = [
    "rollup", "reduce_session", "branches", "group", "sums", "Aggregate", "SectionSums", "FailedSums", "Rollup", "ChecklistRollup", "RankRow",
    "SectionStat", "FailedItem", "BranchTrend", "Inspection",
]
