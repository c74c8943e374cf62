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
from contextlib import contextmanager
from dataclasses import asdict
from ...quick_dataclass import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from tinydb import TinyDB

from ...store import DamagedFileError, DurableJSONStorage
from ...store.batch import JournalMiddleware
from ...store.journal import read_state
from .answers import answer_from_data, fact_to_json, parse_fact_value
from .attachments import Attachment, from_data as attachment_from_data
from .rectification import NOTICE_DAYS, entry_from_data
from .carried import confirmation_to_data, confirmations_from_data, from_data as carried_from_data, to_data as carried_to_data
from .model import SCHEMA_VERSION, AuditEntry, Branch, Position, Session, frozen_checklist
from .checks import META_ID, check_fields, check_meta, check_summary, check_tables, file_id

if TYPE_CHECKING:
    from ..analysis.item_results import Result
    from .rect_digest import Row



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
            check_fields(self.path, meta, file_id=file_id(self.path))
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
        return SessionFile.read_listed(path)[0]

    @staticmethod
    def read_listed(path: Path) -> "tuple[dict[str, Any], list[Row] | None]":
        """The list entry and the rectifications' digest (None: absent or not matching the file, so
        the caller scores the session), without parsing its checklist."""
        from .rect_digest import stored_rows

        data = read_state(path)  # the file and its journal: the latest summary may be in either
        tables = data.get("meta", {}) if isinstance(data, dict) else None
        meta = tables.get(str(META_ID)) if isinstance(tables, dict) else None
        check_meta(path, meta)
        check_fields(path, meta, file_id=file_id(path))
        summary = meta.get("summary")  # type: ignore[union-attr]
        if not isinstance(summary, dict) or "id" not in summary:
            raise DamagedFileError(path, "session file has no summary")
        check_summary(path, summary, meta["id"])  # type: ignore[index]
        return summary, stored_rows(data)  # type: ignore[arg-type]

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
        session's current score, when the caller has one; else it is scored here), and the digest
        of its rectifications the listing reads without scoring it (rect_digest.py)."""
        from .rect_digest import meta_fields

        result = result or session.score()
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
            "signers": list(session.signers),
            "received_by": session.received_by,
            "signed_at": session.signed_at,
            "reviewed_by": session.reviewed_by,
            "reviewed_at": session.reviewed_at,
            "review_comment": session.review_comment,
            "amended_at": session.amended_at,
            "position": asdict(session.position),
            "summary": session.summary(result).to_json(),
            **meta_fields(session, result),
            # a re-inspection's (carried.py); absent from every other session, as from older files
            **({"carried": carried_to_data(session.carried)} if session.carried else {}),
            **({"confirmed": {k: confirmation_to_data(c) for k, c in sorted(session.confirmed.items())}}
               if session.confirmed else {}),
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
            signers=list(meta.get("signers", [])),
            received_by=meta.get("received_by", ""),
            signed_at=meta.get("signed_at", ""),
            reviewed_by=meta.get("reviewed_by", ""),
            reviewed_at=meta.get("reviewed_at", ""),
            review_comment=meta.get("review_comment", ""),
            amended_at=meta.get("amended_at", ""),
        )
        known = {f.id: f for f in checklist.facts}
        for fact_id, raw in facts.items():
            session.facts[fact_id] = parse_fact_value(known[fact_id], raw)
        for item_id, raw in answers.items():
            session.answers[item_id] = answer_from_data(checklist, item_id, raw)
        session.attachments = attachments_from_data(checklist, attachments or [])
        for item_id, raw in (rectifications or {}).items():
            session.rectifications[item_id] = entry_from_data(checklist, item_id, raw)
        session.carried = carried_from_data(meta.get("carried"))
        session.confirmed = confirmations_from_data(meta.get("confirmed"), session.carried)
    except (KeyError, TypeError, ValueError) as exc:
        raise DamagedFileError(path, f"session data does not fit its checklist ({type(exc).__name__}: {exc})") from None
    return session


def attachments_from_data(checklist: Any, docs: list[dict[str, Any]]) -> dict[str, list[Attachment]]:
    """Each item's attachments in the order attached, checked (ValueError: the file is damaged)."""
    found: dict[str, list[Attachment]] = {}
    seen: set[str] = set()
    for doc in docs:
        attachment = attachment_from_data(doc)
        if not checklist.has_item(attachment.item) or not (checklist.item(attachment.item).is_leaf or attachment.purpose):
            raise ValueError(f"an attachment of {attachment.item!r}, not a leaf item of the checklist")  # a fix's: any
        if attachment.key in seen:
            raise ValueError(f"attachment {attachment.key} recorded twice")
        seen.add(attachment.key)
        found.setdefault(attachment.item, []).append(attachment)
    for items in found.values():
        items.sort(key=lambda a: (a.added, a.sha256))
    return found
