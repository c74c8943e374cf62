"""One session as one TinyDB file: the tables, and how a `Session` maps onto them.

    meta     one document: who, what, where, the frozen checklist, status, position, summary
    facts    one document per fact entered
    answers  one document per item answered
    audit    one document per change, appended only — except a note being typed (below)

A note is saved at every keystroke, but the audit trail records one change per typing burst: the
first save of a burst appends an entry, and each later save of the same burst (an audit entry
carrying the same `AMENDS` key, see `OpenSession.set_answer(typing=True)`) rewrites that entry in
place, old text kept, new text updated, in the same durable write as the note itself. So the
file never holds a note that its trail does not account for, and a crash at any moment leaves a
trail that ends with the text on disk.

Every save is a single durable write (`BatchMiddleware`): the answer, its audit entries and the
refreshed summary reach the disk together or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from tinydb import TinyDB

from ..store import DamagedFileError, DurableJSONStorage
from ..store.batch import BatchMiddleware
from .answers import answer_from_data, fact_to_json, parse_fact_value
from .session import SCHEMA_VERSION, AuditEntry, Branch, Position, Session, Summary, frozen_checklist
from .text import TextError, check as check_text

if TYPE_CHECKING:
    from .scoring import Result

META_ID = 1
ANSWER_FIELDS = ("state", "count", "note", "evidence", "override")


class SessionFile:
    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.middleware = BatchMiddleware(DurableJSONStorage)
        self.db = TinyDB(path, storage=self.middleware, read_only=read_only)
        self._answer_docs: dict[str, int] = {}
        self._fact_docs: dict[str, int] = {}
        self._burst: tuple[str, int] | None = None  # (AMENDS key, audit doc id) of the open burst

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self.middleware.batch():
            yield

    @property
    def dirty(self) -> bool:
        return self.middleware.dirty

    def flush(self) -> None:
        self.middleware.flush()

    def close(self) -> None:
        self.db.close()

    # -- create and load -----------------------------------------------------------------------

    def create(self, session: Session, inspector: str) -> None:
        with self.batch():
            self.db.table("meta").insert(self.meta(session))
            for fact_id, value in session.facts.items():
                self._fact_docs[fact_id] = self.db.table("facts").insert({"fact": fact_id, "value": fact_to_json(value)})
            self.db.table("audit").insert(
                audit_entry(inspector, session.created, "created", None, f"{session.checklist_id} {session.checklist_version}")
            )

    def load(self) -> Session:
        data = self.middleware.read()
        if not data:
            raise DamagedFileError(self.path, "empty session file")
        from .bundle import check_meta_types, check_tables  # (bundle imports this module)

        # the shapes TinyDB relies on (a document id that is not a number: ValueError deep inside
        # it), checked as a bundle's are, so a file edited by hand is damage, not an internal error
        if (problem := check_tables(data)) is not None:
            raise DamagedFileError(self.path, problem)
        meta = self.db.table("meta").get(doc_id=META_ID)
        check_meta(self.path, meta)
        assert meta is not None
        check_meta_types(self.path, dict(meta))  # as a bundle's: wrong types are damage, not TypeError
        facts = {doc["fact"]: doc["value"] for doc in self.db.table("facts").all()}
        self._fact_docs = {doc["fact"]: doc.doc_id for doc in self.db.table("facts").all()}
        answers = {doc["item"]: {k: v for k, v in doc.items() if k != "item"} for doc in self.db.table("answers").all()}
        self._answer_docs = {doc["item"]: doc.doc_id for doc in self.db.table("answers").all()}
        return session_from_data(self.path, dict(meta), facts, answers)

    @staticmethod
    def read_summary(path: Path) -> dict[str, Any]:
        """Just the list entry of a session file, without parsing its checklist."""
        data = DurableJSONStorage(path, read_only=True).read()
        meta = (data or {}).get("meta", {}).get(str(META_ID))
        check_meta(path, meta)
        summary = meta.get("summary")  # type: ignore[union-attr]
        if not isinstance(summary, dict) or "id" not in summary:
            raise DamagedFileError(path, "session file has no summary")
        if (problem := summary_problem(summary)) is not None:
            raise DamagedFileError(path, f"bad summary: {problem}")
        return summary

    # -- saves ---------------------------------------------------------------------------------

    def commit(self, change: "Change") -> None:
        """Write one change (answers, facts, audit entries, meta) as a single durable save.

        The change is plain data prepared by the caller, so this may run on a background thread
        while the interface goes on with the in-memory session.
        """
        with self.batch():
            answers = self.db.table("answers")
            for item_id, doc in change.answers.items():
                if doc is None:
                    if item_id in self._answer_docs:
                        answers.remove(doc_ids=[self._answer_docs.pop(item_id)])
                elif item_id in self._answer_docs:
                    answers.update(_replace_with({"item": item_id, **doc}), doc_ids=[self._answer_docs[item_id]])
                else:
                    self._answer_docs[item_id] = answers.insert({"item": item_id, **doc})
            facts = self.db.table("facts")
            for fact_id, value in change.facts.items():
                if value is None:
                    if fact_id in self._fact_docs:
                        facts.remove(doc_ids=[self._fact_docs.pop(fact_id)])
                elif fact_id in self._fact_docs:
                    facts.update({"value": value}, doc_ids=[self._fact_docs[fact_id]])
                else:
                    self._fact_docs[fact_id] = facts.insert({"fact": fact_id, "value": value})
            self._append_audit(change.audit)
            if change.meta is not None:
                self.db.table("meta").update(_replace_with(change.meta), doc_ids=[META_ID])

    def _append_audit(self, entries: list[dict[str, Any]]) -> None:
        audit = self.db.table("audit")
        plain: list[dict[str, Any]] = []
        for entry in entries:
            key = entry.get(AMENDS)
            if key is None:
                plain.append(entry)
                continue
            if plain:  # keep the order the changes were made in
                audit.insert_multiple(plain)
                plain = []
            doc = {k: v for k, v in entry.items() if k != AMENDS}
            if self._burst is not None and self._burst[0] == key:
                audit.update(_replace_with(doc), doc_ids=[self._burst[1]])
            else:
                self._burst = (key, audit.insert(doc))
        if plain:
            audit.insert_multiple(plain)

    @staticmethod
    def meta(session: Session, result: "Result | None" = None) -> dict[str, Any]:
        """The meta record of a session as it is now, its summary included (from `result`, the
        session's current score, when the caller has one; else it is scored here)."""
        return {
            "schema": SCHEMA_VERSION,
            "id": session.id,
            "branch": session.branch.name,
            "unit": session.branch.unit,
            "inspectors": session.inspectors,
            "date": session.date.isoformat(),
            "place": session.place,
            "checklist_id": session.checklist_id,
            "checklist_version": session.checklist_version,
            "checklist_source": session.checklist_source,
            "status": session.status,
            "created": session.created,
            "updated": session.updated,
            "previous": session.previous,
            "position": asdict(session.position),
            "summary": asdict(session.summary(result)),
        }

    def audit(self) -> list[AuditEntry]:
        # In the order appended: doc ids count up, but the file stores them as JSON keys sorted
        # as text ("1", "10", "11", "2", ...), which is the order TinyDB returns after a reload.
        docs = sorted(self.db.table("audit").all(), key=lambda doc: doc.doc_id)
        return [AuditEntry(**dict(doc)) for doc in docs]


@dataclass
class Change:
    """One save's worth of writes, as plain JSON data."""

    answers: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | None = None

    def merge(self, other: "Change") -> None:
        """Fold a later change into this one: its answers, facts and meta replace this one's, its
        audit entries follow (an entry amending a burst replaces that burst's earlier entry)."""
        self.answers.update(other.answers)
        self.facts.update(other.facts)
        for entry in other.audit:
            key = entry.get(AMENDS)
            at = next((i for i, e in enumerate(self.audit) if key is not None and e.get(AMENDS) == key), None)
            if at is None:
                self.audit.append(entry)
            else:
                self.audit[at] = entry
        self.meta = other.meta if other.meta is not None else self.meta


AMENDS = "_amends"  # in a Change's audit entry (never stored): the typing burst it belongs to


def audit_entry(inspector: str, stamp: str, field: str, old: Any, new: Any) -> dict[str, Any]:
    return {"time": stamp, "inspector": inspector, "field": field, "old": old, "new": new}


def _replace_with(new: dict[str, Any]) -> Any:
    """A TinyDB update that replaces the document's fields (a plain update would keep old keys)."""

    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    return transform


def summary_problem(summary: dict[str, Any]) -> str | None:
    """Why a stored summary cannot be a `Summary` (the list builds one from it), or None."""
    fields = {f.name: f for f in dataclasses.fields(Summary)}
    unknown = set(summary) - set(fields)
    if unknown:
        return f"unknown field {sorted(map(str, unknown))[0][:40]!r}"
    missing = [name for name, f in fields.items() if f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING and name not in summary]
    if missing:
        return f"missing {missing[0]}"
    for name, value in summary.items():
        kind = str(fields[name].type)
        if kind == "str":
            ok = isinstance(value, str)
        elif kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "float | None":  # math.isfinite(10**400) raises: the magnitude bounds both
            ok = value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e12)
        elif kind == "list[str]":  # inspectors
            ok = isinstance(value, list) and all(isinstance(n, str) for n in value)
        else:  # a field added later with another type: its own code checks it
            ok = True
        if not ok:
            return f"{name} has the wrong type"
    if summary["status"] not in ("in_progress", "finished"):
        return f"unknown status {summary['status'][:20]!r}"
    return None


def check_meta(path: Path, meta: Any) -> None:
    if not isinstance(meta, dict):
        raise DamagedFileError(path, "not a session file (no meta record)")
    schema = meta.get("schema")
    if schema != SCHEMA_VERSION:
        raise DamagedFileError(path, f"unsupported session schema version {schema!r} (this version reads {SCHEMA_VERSION})")
    check_texts(path, meta)
    if isinstance(meta.get("summary"), dict):
        check_texts(path, meta["summary"], "summary.")


# The text fields of a session's meta record (and of its summary) and the gate's kind for each
# (core/text.py): a file or a bundle whose text would not pass the gate when typed is damage,
# quarantined or refused like any other — an old file, or one edited by hand, cannot smuggle an
# escape sequence into a list or an export. (The frozen checklist is gated by the loader.)
TEXT_FIELDS = {
    "id": "line", "branch": "name", "unit": "name", "place": "name", "date": "line", "status": "line",
    "checklist_id": "line", "checklist_version": "line", "checklist_title": "standard", "created": "line",
    "updated": "line", "previous": "line", "grade": "line",
}


def check_texts(path: Path, record: dict[str, Any], prefix: str = "") -> None:
    """DamagedFileError naming the first text field of `record` that fails the gate (a field of
    the wrong type is left to the type checks, which name it)."""
    fields = [(key, record.get(key), kind) for key, kind in TEXT_FIELDS.items()]
    names = record.get("inspectors")
    if isinstance(names, list):
        fields += [(f"inspectors[{n}]", name, "name") for n, name in enumerate(names)]
    for key, value, kind in fields:
        if not isinstance(value, str):
            continue
        try:
            check_text(value, kind)
        except TextError as exc:
            raise DamagedFileError(path, f"bad text in {prefix}{key}: {exc}") from None


def session_from_data(path: Path, meta: dict[str, Any], facts: dict[str, Any], answers: dict[str, Any]) -> Session:
    """Rebuild a Session from stored data, checking it against its own frozen checklist."""
    try:
        checklist = frozen_checklist(meta["checklist_source"], meta["checklist_id"])
        session = Session(
            id=meta["id"],
            branch=Branch(meta["branch"], meta.get("unit", "")),
            inspectors=list(meta.get("inspectors", [])),
            date=dt.date.fromisoformat(meta["date"]),
            place=meta.get("place", ""),
            checklist_source=meta["checklist_source"],
            checklist_id=meta["checklist_id"],
            checklist_version=meta["checklist_version"],
            position=Position(**meta.get("position", {})),
            status=meta.get("status", "in_progress"),
            created=meta.get("created", ""),
            updated=meta.get("updated", ""),
            previous=meta.get("previous", ""),
        )
        known = {f.id: f for f in checklist.facts}
        for fact_id, raw in facts.items():
            session.facts[fact_id] = parse_fact_value(known[fact_id], raw)
        for item_id, raw in answers.items():
            session.answers[item_id] = answer_from_data(checklist, item_id, raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedFileError(path, f"session data does not fit its checklist ({type(exc).__name__}: {exc})") from None
    return session
