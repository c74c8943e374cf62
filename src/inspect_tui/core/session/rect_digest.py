"""The rectifications of a session as the folder's lists need them, without scoring it.

Which rectifications exist is derived from the score (rectification.py), and scoring 1,000 sessions
to list the overdue ones is slow. So every save keeps, in the session file's meta record, the
derived part of its rectifications — item, text, finding, requirement, manual — under two keys
(`rect_items`, and `rect_basis`: a hash of what the score is a function of: answers, facts, the
frozen checklist, the inspection date). The listing caches each session's rows in the index next
to its summary, under the same key (size + mtime + journal).

A stored digest is used only when its basis matches the tables it sits beside, hashed again at read
time: an older build, another tool, a hand edit or anything else that changes the answers without
writing the digest leaves a basis that no longer matches, and the rows are then derived by loading
and scoring the session (`rows_of`). (An older build also drops both keys: its saves write the meta
whole when it holds keys it does not know.) What was entered per item (person, deadline, status,
report, closure) is read from the `rectifications` table every time a row is built, and 逾期 is
computed from the deadline and today by whoever shows it: neither can go stale in the digest.

Why the meta record and not the summary: a build on main today quarantines a file whose summary has
a field it does not know (checks.check_summary), but reads a meta record with unknown keys as it
reads any other (check_meta, check_fields and session_from_data look only at the keys they know).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from ..text import TextError, check as check_text
from .rectification import NOTICE_DAYS, Entry, Rectification, deadline_from, entry_from_data, overdue_days

if TYPE_CHECKING:
    from ..analysis.item_results import Result
    from .model import Session

BASIS, ITEMS = "rect_basis", "rect_items"  # the meta record's keys (unknown to older builds: ignored)
ROW_TEXTS = ("item", "text", "finding", "requirement")
ROW_ENTRY = ("person", "deadline", "status", "report", "report_date", "closed_by", "closed_at", "close_note",
             "reopen_reason")


class Row(NamedTuple):
    """One rectification as the folder's list shows it: derived texts, what was entered, the deadline.
    (A named tuple: the index holds it as a plain list, and a listing reads 10,000 of them.)"""

    item: str
    text: str
    finding: str
    requirement: str
    manual: bool
    person: str
    deadline: str  # ISO date
    status: str
    report: str
    report_date: str
    closed_by: str
    closed_at: str
    close_note: str
    reopen_reason: str

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def overdue_days(self, today: dt.date) -> int:
        """逾期 at read time, never stored: the same rule as Rectification.overdue_days."""
        return overdue_days(self.status, dt.date.fromisoformat(self.deadline), self.report_date, today)

    def to_json(self) -> list[Any]:
        """As the index keeps it: the fields in order."""
        return list(self)

    @classmethod
    def from_json(cls, data: Any) -> "Row | None":
        """A cached row (the index is a cache: anything odd is None, and the session is read again)."""
        if type(data) is not list or list(map(type, data)) != _TYPES:
            return None
        try:
            dt.date.fromisoformat(data[6])
            if data[9]:
                dt.date.fromisoformat(data[9])
        except ValueError:
            return None
        return cls._make(data)


_TYPES = [str, str, str, str, bool, *[str] * 9]  # the fields' types, in order


def basis(answers: dict[str, Any], facts: dict[str, Any], checklist_source: str, date: str) -> str:
    """A hash of what the score (and so which rectifications exist and their words) depends on, over
    the documents as stored: answers and facts by their ids, the frozen checklist, the date."""
    text = json.dumps([answers, facts, _source_hash(checklist_source), date],
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=64)
def _source_hash(checklist_source: str) -> str:
    """The frozen checklist's hash, once per text (a save must not hash 100 KB each time)."""
    return hashlib.sha256(checklist_source.encode("utf-8")).hexdigest()


def session_basis(session: "Session") -> str:
    from .answers import answer_to_data, fact_to_json

    return basis({item: answer_to_data(a) for item, a in session.answers.items()},
                 {fact: fact_to_json(v) for fact, v in session.facts.items()},
                 session.checklist_source, session.date.isoformat())


def meta_fields(session: "Session", result: "Result | None" = None) -> dict[str, Any]:
    """The digest's two keys of the meta record, written with every save."""
    from .rectification import derive

    items = [[r.item, r.text, r.finding, r.requirement, r.manual] for r in derive(session, result)]
    return {BASIS: session_basis(session), ITEMS: items}


def stored_rows(tables: dict[str, Any]) -> "list[Row] | None":
    """The rows from a session file's tables (its journal replayed), or None when the digest is
    absent, does not match the tables (changed behind it) or is not what it should be."""
    try:
        meta = tables["meta"]["1"]
        items = meta.get(ITEMS)
        stored = meta.get(BASIS)
        if not isinstance(items, list) or not isinstance(stored, str):
            return None
        answers = {d["item"]: {k: v for k, v in d.items() if k != "item"} for d in tables.get("answers", {}).values()}
        facts = {d["fact"]: d.get("value") for d in tables.get("facts", {}).values()}
        if basis(answers, facts, meta["checklist_source"], meta["date"]) != stored:
            return None
        rects = {d["item"]: {k: v for k, v in d.items() if k != "item"}
                 for d in tables.get("rectifications", {}).values()}
        return _rows(meta, items, rects)
    except (AttributeError, KeyError, TypeError, ValueError, TextError):
        return None  # the file's own checks (on opening it) say what is wrong with it


class _Items:
    """What entry_from_data asks of a checklist, for the items of a digest."""

    def __init__(self, items: Iterable[str]) -> None:
        self.items = set(items)

    def has_item(self, item_id: str) -> bool:
        return item_id in self.items


def _rows(meta: dict[str, Any], items: list[Any], rects: dict[str, Any]) -> list[Row]:
    notice = dt.date.fromisoformat(meta.get("notice_date") or meta["date"])
    days = meta.get("notice_days", NOTICE_DAYS)
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError("notice_days")
    known = _Items(i[0] for i in items if isinstance(i, list) and i and isinstance(i[0], str))
    rows = []
    for raw in items:
        if not (isinstance(raw, list) and len(raw) == 5 and all(isinstance(x, str) for x in raw[:4])
                and isinstance(raw[4], bool)):
            raise TypeError("a digest row")
        item, text, finding, requirement = (check_text(x, "note", multiline=True) for x in raw[:4])
        entry = entry_from_data(known, item, rects[item]) if item in rects else Entry()  # type: ignore[arg-type]
        rows.append(_row(item, text, finding, requirement, raw[4], entry, deadline_from(notice, days, entry)))
    return rows


def _row(item: str, text: str, finding: str, requirement: str, manual: bool, entry: Entry, deadline: dt.date) -> Row:
    return Row(item, text, finding, requirement, manual, entry.person, deadline.isoformat(), entry.status,
               entry.report, entry.report_date, entry.closed_by, entry.closed_at, entry.close_note,
               entry.reopen_reason)


def rows_of(rectifications: Iterable[Rectification]) -> list[Row]:
    """The rows of a session loaded and scored (the digest's absence or mismatch)."""
    return [_row(r.item, r.text, r.finding, r.requirement, r.manual, r.entry, r.deadline) for r in rectifications]


def counts(rows: Iterable[Row], today: dt.date) -> tuple[int, int, int]:
    """(all, still open — not 销号, overdue today) of a session's rows."""
    rows = list(rows)
    return len(rows), sum(1 for r in rows if not r.closed), sum(1 for r in rows if r.overdue_days(today))


__all__ = ["BASIS", "ITEMS", "Row", "basis", "counts", "meta_fields", "rows_of", "session_basis", "stored_rows"]
