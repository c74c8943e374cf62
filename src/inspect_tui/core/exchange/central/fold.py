"""The server's materialised rows of one session (0003_rollup.sql), written by the push.

With each session's event, in the same savepoint, the client writes what the session now is —
its row in `sessions` (with the whole `Scores` record), one row per answered or failed item in
`answers` (the scored state and deduction beside the inspector's record), its facts, its
rectifications (the derived ones, with what was entered; 逾期 stays derived from the deadline),
its self-assessment, one row per section in `session_sections`, and its frozen standard, once, in
`checklists`. The client folds rather than the server because scoring is Python (the standard's
rules), and the client has just scored the session anyway; the rows are written under the pusher's
own role, so the same RLS that decides on the event decides on them (a refused unit refuses both).

A session's child rows are replaced whole (DELETE, then one multi-row INSERT per table through
executemany, which psycopg 3 sends in a pipeline): a session is small and this keeps "the rows are
the session" true without diffing. `scores_json` / `scores_from_json` are the one JSON shape of
`Scores` here, read back by the server report (report.py) into the same record.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from . import SCHEMA
from ...analysis.results import Scores
from ...analysis.score_line import ScoreLine
from ...session.model import source_hash

_SESSION = f"""INSERT INTO {SCHEMA}.sessions (id, unit, branch, checklist_id, checklist_version, date, place,
        inspectors, status, previous, total, max_points, percent, grade, checklist_title, checklist_sha256, scores,
        updated_at, updated_by)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, now(), '')
    ON CONFLICT (id) DO UPDATE SET unit = excluded.unit, branch = excluded.branch, date = excluded.date,
        checklist_id = excluded.checklist_id, checklist_version = excluded.checklist_version,
        place = excluded.place, inspectors = excluded.inspectors, status = excluded.status,
        previous = excluded.previous, total = excluded.total, max_points = excluded.max_points,
        percent = excluded.percent, grade = excluded.grade, checklist_title = excluded.checklist_title,
        checklist_sha256 = excluded.checklist_sha256, scores = excluded.scores"""
_CHILDREN = ("answers", "facts", "rectifications", "session_sections", "selfchecks")
_INSERTS = {
    "answers": f"""INSERT INTO {SCHEMA}.answers (session_id, item, state, count, note, override_points,
                   override_reason, deducted, leaf, updated_at, updated_by)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now(), '')""",
    "facts": f"INSERT INTO {SCHEMA}.facts (session_id, fact, value, updated_at, updated_by) VALUES (%s, %s, %s::jsonb, now(), '')",
    "rectifications": f"""INSERT INTO {SCHEMA}.rectifications (session_id, item, status, finding, person, deadline,
                          report, reported_on, closed_by, closed_on, note, updated_at, updated_by)
                          VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), '')""",
    "session_sections": f"""INSERT INTO {SCHEMA}.session_sections (session_id, section, position, max_points, deducted, failed)
                            VALUES (%s, %s, %s, %s, %s, %s)""",
    "selfchecks": f"""INSERT INTO {SCHEMA}.selfchecks (session_id, name, payload, attached_by, attached_at, updated_at, updated_by)
                      VALUES (%s, %s, %s::jsonb, %s, %s, now(), '')""",
}
_CHECKLIST = f"INSERT INTO {SCHEMA}.checklists (sha256, source) VALUES (%s, %s) ON CONFLICT DO NOTHING"


def write(conn: Any, session: Any, selfcheck: Any, known_checklists: set[str]) -> None:
    """Replace the server's rows of `session` by what it is now. `known_checklists`: hashes the
    server already holds (filled as this sync adds them), so a standard is sent once."""
    rows = session_rows(session, selfcheck)
    digest = rows["checklist"][0]
    if digest not in known_checklists:
        conn.execute(_CHECKLIST, rows["checklist"])
        known_checklists.add(digest)
    conn.execute(_SESSION, rows["session"])
    for table in _CHILDREN:
        conn.execute(f"DELETE FROM {SCHEMA}.{table} WHERE session_id = %s", (session.id,))
    with conn.cursor() as cur:
        for table in _CHILDREN:
            if rows[table]:
                cur.executemany(_INSERTS[table], rows[table])


def known(conn: Any) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT sha256 FROM {SCHEMA}.checklists")}


def session_rows(session: Any, selfcheck: Any = None) -> dict[str, Any]:
    """Every row the server keeps of `session`, as parameter tuples (pure: no connection)."""
    from ...analysis.results import scores_of
    from ...session import rectification
    from ...session.answers import fact_to_json

    result = session.score()
    checklist = session.checklist
    scores = scores_of(checklist, result)
    sid = session.id
    session_row = (sid, session.branch.unit, session.branch.name, session.checklist_id, session.checklist_version,
                   session.date, session.place, list(session.inspectors), session.status, session.previous or "",
                   scores.total, scores.max, scores.percent, str(scores.grade or ""), checklist.title,
                   source_hash(session.checklist_source), json.dumps(scores_json(scores), ensure_ascii=False))
    answers = []
    for item in checklist.walk():
        answer = session.answers.get(item.id)
        r = result.items.get(item.id)
        state = r.state.value if r is not None and r.state is not None else None
        if answer is None and state != "fail":
            continue
        override = answer.override if answer is not None else None
        answers.append((sid, item.id, state, answer.count if answer else None, answer.note if answer else "",
                        override.points if override else None, override.reason if override else "",
                        r.deducted if r is not None else None, item.is_leaf))
    facts = [(sid, name, json.dumps(fact_to_json(value), ensure_ascii=False)) for name, value in sorted(session.facts.items())
             if value is not None]
    rects = []
    for rect in rectification.derive(session, result):
        e = rect.entry
        rects.append((sid, rect.item, rectification.STATUS_WORDS.get(e.status, e.status), rect.finding, e.person,
                      rect.deadline, e.report, e.report_date or None, e.closed_by, e.closed_at or None, e.close_note))
    sections = [(sid, s.id, n, s.max, s.deducted, s.failed) for n, s in enumerate(result.sections)]
    selfchecks = []
    if isinstance(selfcheck, dict):
        selfchecks.append((sid, str(selfcheck.get("source_name") or selfcheck.get("name") or ""),
                           json.dumps(selfcheck, ensure_ascii=False, default=str),
                           str(selfcheck.get("attached_by", "")), str(selfcheck.get("attached_at", ""))))
    return {"checklist": (source_hash(session.checklist_source), session.checklist_source), "session": session_row,
            "answers": answers, "facts": facts, "rectifications": rects, "session_sections": sections,
            "selfchecks": selfchecks}


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def scores_json(s: Scores) -> dict[str, Any]:
    line = s.line
    return {"scored": s.scored, "total": _num(s.total), "max": _num(s.max), "percent": _num(s.percent),
            "grade": s.grade, "answered": s.answered, "leaves": s.leaves, "counts": s.counts,
            "vetoed": list(s.vetoed), "deducted": _num(s.deducted), "bonus": _num(s.bonus),
            "line": {"scored": line.scored, "final": line.final, "total": _num(line.total), "max": _num(line.max),
                     "open": _num(line.open), "grade": line.grade}}


def scores_from_json(d: dict[str, Any]) -> Scores:
    ln = d["line"]
    line = ScoreLine(ln["scored"], ln["final"], _dec(ln["total"]), _dec(ln["max"]), _dec(ln["open"]), ln["grade"])
    return Scores(d["scored"], _dec(d["total"]), _dec(d["max"]), _dec(d["percent"]), d["grade"], int(d["answered"]),
                  int(d["leaves"]), line, dict(d["counts"]), tuple(d["vetoed"]), _dec(d["deducted"]), _dec(d["bonus"]))


__all__ = ["write", "known", "session_rows", "scores_json", "scores_from_json"]
