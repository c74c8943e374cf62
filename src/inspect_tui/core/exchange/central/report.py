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

`rectification_rates` is the 整改率 and overdue count per unit, also in SQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import SCHEMA
from .fold import scores_from_json
from ...analysis.results import SessionHeader
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
_RECTIFICATIONS = f"""SELECT s.unit, count(*), count(*) FILTER (WHERE r.status = '已销号'),
        count(*) FILTER (WHERE r.status <> '已销号' AND r.deadline < %(today)s)
    FROM {SCHEMA}.rectifications r JOIN {SCHEMA}.sessions s ON s.id = r.session_id
    WHERE (%(unit)s::text IS NULL OR btrim(s.unit) = btrim(%(unit)s))
    GROUP BY s.unit ORDER BY s.unit COLLATE "C" """


def server_rollup(conn: Any, checklist: str | None = None, since: dt.date | None = None, unit: str | None = None,
                  ids: list[str] | None = None) -> Rollup:
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
    return Rollup(filters, sum(len(m) for m in by_checklist.values()), tuple(groups), tuple(problems))


def _aggregate(conn: Any, latest: list[Inspection]) -> tuple[SectionSums, FailedSums]:
    ids = [i.header.id for i in latest]
    sections: SectionSums = {section: (int(n), Decimal(lost), int(failed), top)
                             for section, n, lost, failed, top in conn.execute(_SECTIONS, (ids,))}
    failed: FailedSums = {item: (tuple(names), Decimal(lost if lost is not None else 0))
                          for item, names, lost in conn.execute(_FAILED, (ids,))}
    return sections, failed


def rectification_rates(conn: Any, unit: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per unit: rectifications, closed (已销号), the 整改率 (closed / all, in %), and overdue (逾期:
    not closed, the deadline passed) — counted by the server over the rows this role may read."""
    unit = unit if unit is not None and unit.strip() else None
    out = []
    for name, total, closed, overdue in conn.execute(_RECTIFICATIONS, {"unit": unit, "today": today or dt.date.today()}):
        rate = (Decimal(closed) * 100 / Decimal(total)) if total else None
        out.append({"unit": name, "rectifications": int(total), "closed": int(closed), "overdue": int(overdue),
                    "rate": rate})
    return out


__all__ = ["server_rollup", "rectification_rates"]
