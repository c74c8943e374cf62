"""The department-wide roll-up computed on the central store: `inspect-tui report --server`.

The same `Rollup` the local report builds (core/analysis/rollup.py), so every renderer draws it
unchanged, but nothing is downloaded that the roll-up does not show:
  * one row per session of the selection (header columns and the `Scores` record the push stored,
    fold.py), filtered by the server — and only the rows row-level security lets this role read, so
    a reader of unit A gets A's roll-up because PostgreSQL returns nothing else;
  * the branches are matched as locally (name + unit, joined through `previous` links: rollup.branches)
    and the ranking and trends follow from those rows;
  * the points lost per section and the items failed most often are summed in SQL over the
    branches' latest inspections (GROUP BY on session_sections and answers), never per session here;
  * each distinct standard's text once (table checklists), for the section and item wording.
Sessions pushed by a client older than migration 0003 have no stored scores: they are left out and
named in the report's problems (their next push fills them).

`rectification_rates` is the 整改率 and overdue count per unit, counted in SQL per session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import SCHEMA
from .fold import scores_from_json
from ...analysis.results import SessionHeader
from ...analysis.rect_rollup import UnitRectification, rate
from ...analysis.rollup import FailedSums, Inspection, Rollup, SectionSums, group
from ...session.model import frozen_checklist

_SESSIONS = f"""SELECT id, branch, unit, date, status, checklist_id, checklist_title, checklist_version, inspectors,
        place, previous, scores, checklist_sha256
    FROM {SCHEMA}.sessions
    WHERE (%(checklist)s::text IS NULL OR checklist_id = %(checklist)s)
      AND (%(since)s::date IS NULL OR date >= %(since)s)
      AND (%(unit)s::text IS NULL OR btrim(unit) = btrim(%(unit)s))
      AND (%(ids)s::text[] IS NULL OR id = ANY(%(ids)s))"""
_SECTIONS = f"""SELECT section, count(*), sum(deducted), sum(failed), max(max_points)
    FROM {SCHEMA}.session_sections WHERE session_id = ANY(%s) GROUP BY section"""
# a branch named as the local report names it; "C" collation: the same order as Python's sort
_FAILED = f"""SELECT a.item,
        array_agg(CASE WHEN btrim(s.unit) <> '' THEN btrim(s.branch) || '(' || btrim(s.unit) || ')' ELSE btrim(s.branch) END
                  ORDER BY btrim(s.branch) COLLATE "C", btrim(s.unit) COLLATE "C", s.id COLLATE "C"),
        sum(a.deducted)
    FROM {SCHEMA}.answers a JOIN {SCHEMA}.sessions s ON s.id = a.session_id
    WHERE a.session_id = ANY(%s) AND a.state = 'fail' AND a.leaf GROUP BY a.item"""
# per session: its rectifications, those closed, and those 逾期 on `today` by the core's rule
# (core/session/rectification.overdue_days: open past the deadline, unless reported by then)
_RECTIFICATIONS = f"""SELECT r.session_id, count(*), count(*) FILTER (WHERE r.status = '已销号'),
        count(*) FILTER (WHERE r.status <> '已销号' AND r.deadline < %(today)s
                         AND NOT (r.status = '已报整改' AND r.reported_on IS NOT NULL AND r.reported_on <= r.deadline))
    FROM {SCHEMA}.rectifications r WHERE r.session_id = ANY(%(ids)s) GROUP BY r.session_id"""


def server_rollup(conn: Any, checklist: str | None = None, since: dt.date | None = None, unit: str | None = None,
                  ids: list[str] | None = None, today: dt.date | None = None) -> Rollup:
    """The roll-up of the sessions this role may read on the server, after the filters."""
    unit = unit if unit is not None and unit.strip() else None
    rows = conn.execute(_SESSIONS, {"checklist": checklist, "since": since, "unit": unit, "ids": ids}).fetchall()
    inspections: list[Inspection] = []
    problems: list[str] = []
    for (sid, branch, unit_, date, status, checklist_id, title, version, inspectors, place, previous, scores,
         digest) in rows:
        if scores is None or not digest:
            problems.append(f"{sid}: 服务器上尚无其评分,下次同步后计入 (no score on the server yet: counted after its next sync)")
            continue
        header = SessionHeader(sid, branch.strip(), unit_.strip(), date.isoformat(), status, checklist_id, title, version,
                               tuple(inspectors), place, previous)
        inspections.append(Inspection(header, scores_from_json(scores), (), (), digest))
    newest: dict[str, str] = {}  # checklist hash → the newest inspection date using it
    for i in inspections:
        newest[i.checklist_hash] = max(newest.get(i.checklist_hash, ""), i.header.date)
    texts = dict(conn.execute(f"SELECT sha256, source FROM {SCHEMA}.checklists WHERE sha256 = ANY(%s)",
                              (sorted(newest),)).fetchall()) if newest else {}
    by_checklist: dict[str, list[Inspection]] = {}
    for i in inspections:
        if i.checklist_hash in texts:
            by_checklist.setdefault(i.header.checklist_id, []).append(i)
        else:
            problems.append(f"{i.header.id}: 服务器上没有其检查表 (its checklist is not on the server)")
    groups = []
    for checklist_id, members in sorted(by_checklist.items()):
        parsed = [(newest[h], frozen_checklist(texts[h], checklist_id)) for h in sorted({i.checklist_hash for i in members})]
        parsed.sort(key=lambda pair: (pair[0], pair[1].version))
        groups.append(group(members, [c for _, c in parsed], aggregate=lambda latest: _aggregate(conn, latest)))
    filters = {k: v for k, v in (("checklist", checklist or ""), ("since", since.isoformat() if since else ""),
                                 ("unit", unit or "")) if v}
    members = [i for m in by_checklist.values() for i in m]
    today = today or dt.date.today()
    return Rollup(filters, len(members), tuple(groups), tuple(problems), rectification_rates(conn, members, today),
                  today.isoformat())


def _aggregate(conn: Any, latest: list[Inspection]) -> tuple[SectionSums, FailedSums]:
    ids = [i.header.id for i in latest]
    sections: SectionSums = {section: (int(n), Decimal(lost), int(failed), top)
                             for section, n, lost, failed, top in conn.execute(_SECTIONS, (ids,))}
    failed: FailedSums = {item: (tuple(names), Decimal(lost if lost is not None else 0))
                          for item, names, lost in conn.execute(_FAILED, (ids,))}
    return sections, failed


def rectification_rates(conn: Any, inspections: list[Inspection], today: dt.date) -> tuple[UnitRectification, ...]:
    """整改率 and 逾期 per unit, then the total row, as the local roll-up has them
    (core/analysis/rect_rollup.by_unit): counted by the server per session, over the rows this role
    may read, and summed here per unit."""
    counts = {sid: (int(total), int(closed), int(overdue)) for sid, total, closed, overdue in
              conn.execute(_RECTIFICATIONS, {"ids": [i.header.id for i in inspections], "today": today})}
    units: dict[str, list[Inspection]] = {}
    for i in inspections:
        units.setdefault(i.header.unit, []).append(i)

    def row(unit: str, members: list[Inspection], total_row: bool = False) -> UnitRectification:
        total, closed, overdue = (sum(counts.get(i.header.id, (0, 0, 0))[k] for i in members) for k in range(3))
        return UnitRectification(unit, len(members), total, closed, total - closed, overdue, rate(closed, total), total_row)

    rows = [row(unit, members) for unit, members in sorted(units.items())]
    if not any(r.total for r in rows):
        return ()
    return (*rows, row("", inspections, total_row=True))


__all__ = ["server_rollup", "rectification_rates"]
