"""The server's materialised rows of one session (0003_rollup.sql), written by the push.

With each session's event, in the same savepoint, the client writes what the session now is —
its row in `sessions` (with the whole `Scores` record), one row per answered or failed item in
`answers` (the scored state and deduction beside the inspector's record), its facts, its
rectifications (the derived ones, with what was entered; 逾期 stays derived from the deadline),
its self-assessment, one row per section in `session_sections`, and its frozen standard, once, in
`checklists`. The client folds rather than the server because scoring is Python (the standard's
rules), and the client has just scored the session anyway; the rows are written under the pusher's
own role, so the same RLS that decides on the event decides on them (a refused unit refuses both).

A session's child rows are replaced whole (DELETE, then INSERT): this keeps "the rows are the
session" true without diffing. Every statement takes many sessions at once (one JSON array read by
jsonb_to_recordset): a statement's fixed cost under RLS (the policies' functions, the triggers'
set-up) is milliseconds, so one statement per row — executemany — made a push of 1,000 sessions
take minutes. (COPY would be faster still, but PostgreSQL refuses COPY FROM into a table under
row-level security.) `scores_json` / `scores_from_json` are the one JSON shape of
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

# every table's columns as the client writes them (updated_at/by are the server's stamps), with
# the SQL types jsonb_to_recordset reads them as
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "sessions": (("id", "text"), ("unit", "text"), ("branch", "text"), ("checklist_id", "text"),
                 ("checklist_version", "text"), ("date", "date"), ("place", "text"), ("inspectors", "text[]"),
                 ("status", "text"), ("previous", "text"), ("total", "numeric"), ("max_points", "numeric"),
                 ("percent", "numeric"), ("grade", "text"), ("checklist_title", "text"),
                 ("checklist_sha256", "text"), ("scores", "jsonb")),
    "answers": (("session_id", "text"), ("item", "text"), ("state", "text"), ("count", "integer"), ("note", "text"),
                ("override_points", "numeric"), ("override_reason", "text"), ("deducted", "numeric"),
                ("leaf", "boolean")),
    "facts": (("session_id", "text"), ("fact", "text"), ("value", "jsonb")),
    "rectifications": (("session_id", "text"), ("item", "text"), ("status", "text"), ("finding", "text"),
                       ("person", "text"), ("deadline", "date"), ("report", "text"), ("reported_on", "date"),
                       ("closed_by", "text"), ("closed_on", "date"), ("note", "text")),
    "session_sections": (("session_id", "text"), ("section", "text"), ("position", "integer"),
                         ("max_points", "numeric"), ("deducted", "numeric"), ("failed", "integer")),
    "selfchecks": (("session_id", "text"), ("name", "text"), ("payload", "jsonb"), ("attached_by", "text"),
                   ("attached_at", "text")),
}
_STAMPED = {"sessions", "answers", "facts", "rectifications", "selfchecks"}  # updated_at/by NOT NULL: the trigger fills
_UPSERT = {"sessions": """ ON CONFLICT (id) DO UPDATE SET """ + ", ".join(
    f"{c} = excluded.{c}" for c, _ in COLUMNS["sessions"] if c != "id")}
CHILDREN = ("answers", "facts", "rectifications", "session_sections", "selfchecks")
_CHECKLIST = f"INSERT INTO {SCHEMA}.checklists (sha256, source) VALUES (%s, %s) ON CONFLICT DO NOTHING"


def insert_sql(table: str) -> str:
    """One INSERT of many rows: `jsonb_to_recordset` of one JSON array, so that the policies and the
    statement's set-up run once per table and push, not once per row (see 0003_rollup.sql)."""
    cols = COLUMNS[table]
    names = ", ".join(c for c, _ in cols)
    stamps = (", updated_at, updated_by", ", now(), ''") if table in _STAMPED else ("", "")
    return (f"INSERT INTO {SCHEMA}.{table} ({names}{stamps[0]}) SELECT {names}{stamps[1]}"
            f" FROM jsonb_to_recordset(%s::jsonb) AS r({', '.join(f'{c} {t}' for c, t in cols)})"
            + _UPSERT.get(table, ""))


def as_json(rows: list[tuple[Any, ...]], table: str) -> str:
    names = [c for c, _ in COLUMNS[table]]
    return json.dumps([dict(zip(names, row)) for row in rows], ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write(conn: Any, sessions: list[tuple[Any, Any]], known_checklists: set[str]) -> None:
    """Replace the server's rows of each (session, its self-assessment record or None) by what it
    is now: a handful of statements whatever the number of sessions. `known_checklists`: hashes
    the server already holds (filled as this sync adds them), so a standard is sent once."""
    tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in ("sessions", *CHILDREN)}
    for session, selfcheck in sessions:
        rows = session_rows(session, selfcheck)
        digest = rows["checklist"][0]
        if digest not in known_checklists:
            conn.execute(_CHECKLIST, rows["checklist"])
            known_checklists.add(digest)
        tables["sessions"].append(rows["session"])
        for table in CHILDREN:
            tables[table].extend(rows[table])
    ids = [row[0] for row in tables["sessions"]]
    conn.execute(insert_sql("sessions"), (as_json(tables["sessions"], "sessions"),))
    for table in CHILDREN:
        conn.execute(f"DELETE FROM {SCHEMA}.{table} WHERE session_id = ANY(%s)", (ids,))
        if tables[table]:
            conn.execute(insert_sql(table), (as_json(tables[table], table),))


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
                   source_hash(session.checklist_source), scores_json(scores))
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
    facts = [(sid, name, fact_to_json(value)) for name, value in sorted(session.facts.items())
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
                           json.loads(json.dumps(selfcheck, ensure_ascii=False, default=str)),
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


__all__ = ["write", "known", "session_rows", "scores_json", "scores_from_json", "insert_sql", "as_json", "COLUMNS"]
