"""One session as one TinyDB file: the tables, and how a `Session` maps onto them.

    meta     one document: who, what, where, the frozen checklist, status, position, summary
    facts    one document per fact entered
    answers  one document per item answered
    audit    one document per change, appended only — except a note being typed (below)
    attachments  one document per file attached to an item (attachments.py); absent in older files
    rectifications  one document per item whose rectification was given a person, deadline,
             report or closure (which rectifications exist is derived: session/rectification.py);
             absent from a file written before them, which loads as having none entered

A note is saved at every keystroke, but the audit trail records one change per typing burst: the
first save of a burst appends an entry, and each later save of the same burst (an audit entry
carrying the same `AMENDS` key, see `OpenSession.set_answer(typing=True)`) rewrites that entry in
place, old text kept, new text updated, in the same durable write as the note itself. So the
file never holds a note that its trail does not account for, and a crash at any moment leaves a
trail that ends with the text on disk.

Every save is a single durable write: one line appended to the session's journal
(`JournalMiddleware`, `store.journal`), fdatasynced, holding the answer, its audit entries and the
refreshed summary together, so they reach the disk together or not at all. The journal is folded
into the TinyDB file at checkpoints (close, every 200 saves); readers replay it (`read_state`).
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from tinydb import TinyDB

from ...store import DamagedFileError, DurableJSONStorage
from ...store.batch import JournalMiddleware
from ...store.journal import read_state
from .answers import answer_from_data, fact_to_json, parse_fact_value
from .attachments import Attachment, from_data as attachment_from_data
from .rectification import MAX_DAYS, NOTICE_DAYS, entry_from_data
from .model import (
    FINISHED, IN_PROGRESS, SCHEMA_VERSION, SUMMARY_FIELDS, SUMMARY_REQUIRED, AuditEntry, Branch, Position, Session,
    frozen_checklist,
)
from ..text import TextError, check as check_text

if TYPE_CHECKING:
    from ..analysis.item_results import Result

META_ID = 1
TABLES = ("meta", "facts", "answers", "audit", "rectifications", "attachments")  # a session file's TinyDB tables
MAX_DOCS = 200_000  # per table of one session
ANSWER_FIELDS = ("state", "count", "note", "evidence", "override")


class SessionFile:
    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.middleware = JournalMiddleware(DurableJSONStorage)
        self.db = TinyDB(path, storage=self.middleware, read_only=read_only)
        self._answer_docs: dict[str, int] = {}
        self._fact_docs: dict[str, int] = {}
        self._attachment_docs: dict[str, int] = {}  # "item/sha256" -> document id
        self._rect_docs: dict[str, int] = {}
        self._burst: tuple[str, int] | None = None  # (AMENDS key, audit doc id) of the open burst
        self._next_ids: dict[str, int] = {}

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
        from ...store.journal import BOOKKEEPING

        # the shapes TinyDB relies on (a document id that is not a number: ValueError deep inside
        # it), checked as a bundle's are, so a file edited by hand is damage, not an internal error
        if (problem := check_tables({k: v for k, v in data.items() if k != BOOKKEEPING})) is not None:
            raise DamagedFileError(self.path, problem)
        try:
            meta = self.db.table("meta").get(doc_id=META_ID)
            check_meta(self.path, meta)
            assert meta is not None
            check_fields(self.path, meta, file_id=_file_id(self.path))
            if "summary" in meta:  # the list would quarantine it: opening it must not differ
                check_summary(self.path, meta["summary"] if isinstance(meta["summary"], dict) else {}, meta["id"])
            fact_docs, answer_docs = self.db.table("facts").all(), self.db.table("answers").all()
            rect_docs = self.db.table("rectifications").all()
            if not all(isinstance(d.get("fact"), str) for d in fact_docs) or not all(isinstance(d.get("item"), str) for d in answer_docs + rect_docs):
                raise DamagedFileError(self.path, "a fact, answer or rectification record without its id")
        except (AttributeError, TypeError, ValueError, KeyError) as exc:  # tables of the wrong shape
            raise DamagedFileError(self.path, f"session tables of the wrong shape ({type(exc).__name__})") from None
        facts = {doc["fact"]: doc.get("value") for doc in fact_docs}
        self._fact_docs = {doc["fact"]: doc.doc_id for doc in fact_docs}
        answers = {doc["item"]: {k: v for k, v in doc.items() if k != "item"} for doc in answer_docs}
        self._answer_docs = {doc["item"]: doc.doc_id for doc in answer_docs}
        attachment_docs = self.db.table("attachments").all()
        self._attachment_docs = {f"{doc.get('item')}/{doc.get('sha256')}": doc.doc_id for doc in attachment_docs}
        rectifications = {doc["item"]: {k: v for k, v in doc.items() if k != "item"} for doc in rect_docs}
        self._rect_docs = {doc["item"]: doc.doc_id for doc in rect_docs}
        return session_from_data(self.path, dict(meta), facts, answers, rectifications,
                                 attachments=[dict(d) for d in attachment_docs])

    @staticmethod
    def read_summary(path: Path) -> dict[str, Any]:
        """Just the list entry of a session file, without parsing its checklist."""
        data = read_state(path)  # the file and its journal: the latest summary may be in either
        tables = data.get("meta", {}) if isinstance(data, dict) else None
        meta = tables.get(str(META_ID)) if isinstance(tables, dict) else None
        check_meta(path, meta)
        check_fields(path, meta, file_id=_file_id(path))
        summary = meta.get("summary")  # type: ignore[union-attr]
        if not isinstance(summary, dict) or "id" not in summary:
            raise DamagedFileError(path, "session file has no summary")
        check_summary(path, summary, meta["id"])  # type: ignore[index]
        return summary

    # -- saves ---------------------------------------------------------------------------------

    def commit(self, change: "Change") -> None:
        """Write one change (answers, facts, audit entries, meta) as a single durable save.

        The change is plain data prepared by the caller, so this may run on a background thread
        while the interface goes on with the in-memory session.

        It is turned into ops on the documents it touches (`store.journal`) rather than made
        through TinyDB's table API: each table operation there copies the whole table, and the
        audit trail only grows, so a save would cost more the longer the history. The ops become
        one journal line, so a save costs an append and an fdatasync, whatever the history.
        """
        data = self.middleware.read()
        if data is None:
            raise DamagedFileError(self.path, "empty session file")
        ops = self._item_ops(data, "answers", self._answer_docs, change.answers)
        ops += self._item_ops(data, "rectifications", self._rect_docs, change.rectifications)
        for fact_id, value in change.facts.items():
            if value is None:
                if fact_id in self._fact_docs:
                    ops.append(["d", "facts", str(self._fact_docs.pop(fact_id))])
                continue
            doc_id = self._fact_docs.get(fact_id) or self._new_id(data, "facts")
            self._fact_docs[fact_id] = doc_id
            ops.append(["s", "facts", str(doc_id), {"fact": fact_id, "value": value}])
        ops += self._attachment_ops(data, change.attachments)
        ops += self._audit_ops(data, change.audit)
        if change.meta is not None:
            current = data.get("meta", {}).get(str(META_ID)) or {}
            if set(current) - set(change.meta):
                ops.append(["s", "meta", str(META_ID), dict(change.meta)])
            else:  # only what changed: the frozen checklist is not copied into every line
                changed = {k: v for k, v in change.meta.items() if current.get(k) != v}
                if changed:
                    ops.append(["p", "meta", str(META_ID), changed])
        if ops:
            self.middleware.apply(ops)
        elif self.middleware.dirty:
            self.middleware.flush()  # an empty change is a retry of what the disk refused

    def _item_ops(self, data: dict[str, Any], table: str, doc_ids: dict[str, int],
                  docs: dict[str, dict[str, Any] | None]) -> list[list[Any]]:
        """The ops of a table with one document per item (answers, rectifications): set, or delete
        when the change's document is None; `doc_ids` (item → document id) kept current."""
        ops: list[list[Any]] = []
        for item_id, doc in docs.items():
            if doc is None:
                if item_id in doc_ids:
                    ops.append(["d", table, str(doc_ids.pop(item_id))])
                continue
            doc_id = doc_ids.get(item_id) or self._new_id(data, table)
            doc_ids[item_id] = doc_id
            ops.append(["s", table, str(doc_id), {"item": item_id, **doc}])
        return ops

    def _new_id(self, data: dict[str, Any], table: str) -> int:
        """The next document id of `table`, as TinyDB would give it (the highest so far + 1)."""
        if table not in self._next_ids:
            self._next_ids[table] = max(map(int, data.get(table, {})), default=0) + 1
        doc_id = self._next_ids[table]
        self._next_ids[table] = doc_id + 1
        return doc_id

    def _attachment_ops(self, data: dict[str, Any], changes: dict[str, dict[str, Any] | None]) -> list[list[Any]]:
        """Set or delete one attachment document per "item/sha256" key (None: detached)."""
        ops: list[list[Any]] = []
        for key, doc in changes.items():
            if doc is None:
                if key in self._attachment_docs:
                    ops.append(["d", "attachments", str(self._attachment_docs.pop(key))])
                continue
            doc_id = self._attachment_docs.get(key) or self._new_id(data, "attachments")
            self._attachment_docs[key] = doc_id
            ops.append(["s", "attachments", str(doc_id), doc])
        return ops

    def _audit_ops(self, data: dict[str, Any], entries: list[dict[str, Any]]) -> list[list[Any]]:
        ops: list[list[Any]] = []
        for entry in entries:
            key = entry.get(AMENDS)
            doc = {k: v for k, v in entry.items() if k != AMENDS}
            if key is not None and self._burst is not None and self._burst[0] == key:
                ops.append(["s", "audit", str(self._burst[1]), doc])  # the burst's entry, rewritten
                continue
            doc_id = self._new_id(data, "audit")
            if key is not None:
                self._burst = (key, doc_id)
            ops.append(["s", "audit", str(doc_id), doc])
        return ops

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
            "notice_days": session.notice_days,
            "notice_date": session.notice_date,
            "issuer": session.issuer,
            "position": asdict(session.position),
            "summary": session.summary(result).to_json(),
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
    rectifications: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | None = None
    attachments: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # "item/sha256" -> doc

    def merge(self, other: "Change") -> None:
        """Fold a later change into this one: its answers, facts and meta replace this one's, its
        audit entries follow (an entry amending a burst replaces that burst's earlier entry)."""
        self.answers.update(other.answers)
        self.facts.update(other.facts)
        self.attachments.update(other.attachments)
        self.rectifications.update(other.rectifications)
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
    """Why a stored summary (a list entry in the index) cannot be a `Summary`, or None."""
    try:
        check_summary(Path("index"), summary, summary.get("id", ""))
    except DamagedFileError as exc:
        return exc.reason
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
    "updated": "line", "previous": "line", "grade": "line", "notice_date": "line", "issuer": "name",
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


SESSION_ID = re.compile(r"^[0-9a-f]{12}$")  # as the repository names its files
META_TEXT = ("id", "branch", "date", "checklist_source", "checklist_id", "checklist_version", "created", "updated")


def _file_id(path: Path) -> str | None:
    """The session id a stored file's name promises (`3f9a2c1b7d4e.json`)."""
    return path.name[: -len(".json")] if path.name.endswith(".json") else None


def check_fields(path: Path, meta: dict[str, Any], file_id: str | None = None) -> None:
    """The meta record's fields have the types and values a session has (DamagedFileError
    naming them otherwise), so that a hand-edited or hostile file is quarantined when it is read,
    not half-printed before a KeyError. `file_id`: the id its file name promises (a bundle has
    none); an id with path characters could send a write elsewhere."""
    wrong = [k for k in META_TEXT if not isinstance(meta.get(k), str)]
    wrong += [k for k in ("unit", "place", "previous", "issuer", "notice_date") if not isinstance(meta.get(k, ""), str)]
    days = meta.get("notice_days", NOTICE_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        wrong.append("notice_days")
    if isinstance(meta.get("notice_date"), str) and meta["notice_date"] and not _is_date(meta["notice_date"]):
        wrong.append("notice_date")
    if meta.get("status", IN_PROGRESS) not in (IN_PROGRESS, FINISHED):
        wrong.append("status")
    names = meta.get("inspectors", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        wrong.append("inspectors")
    position = meta.get("position", {})
    if not isinstance(position, dict) or set(position) - {"item", "filter"} or not all(isinstance(v, str) for v in position.values()):
        wrong.append("position")
    if isinstance(meta.get("id"), str) and not SESSION_ID.match(meta["id"]):
        wrong.append("id")
    if wrong:
        raise DamagedFileError(path, f"bad meta fields: {', '.join(wrong)}")
    if file_id is not None and meta["id"] != file_id:
        raise DamagedFileError(path, f"its id {meta['id']} is not the one in its file name")


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_SUMMARY_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "branch": (str,), "unit": (str,), "checklist_id": (str,), "checklist_title": (str,),
    "checklist_version": (str,), "date": (str,), "status": (str,), "updated": (str,), "answered": (int,),
    "leaves": (int,), "total": (int, float, type(None)), "max": (int, float, type(None)),
    "percent": (int, float, type(None)), "grade": (str,), "scored": (bool,), "inspectors": (list,),
    "open_points": (int, float, type(None)),
}


_SUMMARY_FIELDS = frozenset(SUMMARY_FIELDS)
_SUMMARY_REQUIRED = SUMMARY_REQUIRED


def check_summary(path: Path, summary: dict[str, Any], session_id: str) -> None:
    """The list entry stored in the file fits `Summary` (the list builds one from it)."""
    wrong = sorted(set(summary) - _SUMMARY_FIELDS)
    wrong += [k for k, types in _SUMMARY_TYPES.items()
              if k in summary and (not isinstance(summary[k], types) or (isinstance(summary[k], bool) and bool not in types))]
    wrong += [k for k in _SUMMARY_REQUIRED if k not in summary]
    if summary.get("status") not in (IN_PROGRESS, FINISHED):
        wrong.append("status")
    names = summary.get("inspectors", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        wrong.append("inspectors")  # a number there is damage, not an internal error
    if summary.get("id") != session_id:
        wrong.append("id")
    # numbers from a file: bounded like every number from outside (10**400 is an int JSON reads)
    wrong += [k for k in ("total", "max", "percent", "open_points")
              if isinstance(summary.get(k), (int, float)) and not abs(summary[k]) < 1e12]
    if wrong:
        raise DamagedFileError(path, f"bad summary fields: {', '.join(dict.fromkeys(wrong))}")


def session_from_data(path: Path, meta: dict[str, Any], facts: dict[str, Any], answers: dict[str, Any],
                      rectifications: dict[str, Any] | None = None,
                      attachments: list[dict[str, Any]] | None = None) -> Session:
    """Rebuild a Session from stored data, checking it against its own frozen checklist (and the
    rectification entries too: a damaged one makes the file damaged, as a damaged answer does)."""
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
            notice_days=meta.get("notice_days", NOTICE_DAYS),
            notice_date=meta.get("notice_date", ""),
            issuer=meta.get("issuer", ""),
        )
        known = {f.id: f for f in checklist.facts}
        for fact_id, raw in facts.items():
            session.facts[fact_id] = parse_fact_value(known[fact_id], raw)
        for item_id, raw in answers.items():
            session.answers[item_id] = answer_from_data(checklist, item_id, raw)
        session.attachments = attachments_from_data(checklist, attachments or [])
        for item_id, raw in (rectifications or {}).items():
            session.rectifications[item_id] = entry_from_data(checklist, item_id, raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedFileError(path, f"session data does not fit its checklist ({type(exc).__name__}: {exc})") from None
    return session


def check_tables(data: dict[str, Any]) -> str | None:
    """Why session-file tables are malformed, or None: the shapes TinyDB and the merge rely on."""
    if set(data) - set(TABLES) or "meta" not in data:
        return "not session file tables"
    for table in TABLES:
        docs = data.get(table, {})
        if not isinstance(docs, dict) or len(docs) > MAX_DOCS:
            return f"table {table} is not a table of at most {MAX_DOCS} documents"
        for doc_id, doc in docs.items():
            # isascii: "²".isdigit() is true, and int("²") fails
            if not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 9 and isinstance(doc, dict)):
                return f"bad document {table}/{doc_id[:20]}"
    if set(data["meta"]) != {str(META_ID)}:
        return "no single meta record"
    if not all(isinstance(d.get("fact"), str) and "value" in d for d in data.get("facts", {}).values()):
        return "a fact without its id or value"
    if not all(isinstance(d.get("item"), str) for d in data.get("answers", {}).values()):
        return "an answer without its item"
    if not all(isinstance(d.get("item"), str) and isinstance(d.get("sha256"), str)
               for d in data.get("attachments", {}).values()):
        return "an attachment without its item or sha256"
    items = [d.get("item") for d in data.get("rectifications", {}).values()]
    if not all(isinstance(i, str) for i in items) or len(set(items)) != len(items):
        return "a rectification without its item, or two for one item"
    return None


def attachments_from_data(checklist: Any, docs: list[dict[str, Any]]) -> dict[str, list[Attachment]]:
    """Each item's attachments in the order attached, checked (ValueError: the file is damaged)."""
    found: dict[str, list[Attachment]] = {}
    seen: set[str] = set()
    for doc in docs:
        attachment = attachment_from_data(doc)
        if not checklist.has_item(attachment.item) or not checklist.item(attachment.item).is_leaf:
            raise ValueError(f"an attachment of {attachment.item!r}, not a leaf item of the checklist")
        if attachment.key in seen:
            raise ValueError(f"attachment {attachment.key} recorded twice")
        seen.add(attachment.key)
        found.setdefault(attachment.item, []).append(attachment)
    for items in found.values():
        items.sort(key=lambda a: (a.added, a.sha256))
    return found
