"""Where a self-assessment is kept: beside its session, owner-only, written durably.

`path_for`, `attach` (read an answers file against the session's checklist and store it), `load`
(checked again on every read: it is a file like any other), and the stored shape (`to_data`,
`from_data`). The record and its comparison with the inspection are analysis/selfcheck.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.selfcheck import SCHEMA, SUFFIX, TABLE, SelfCheck, SelfCheckError
from .answers import answer_from_data, answer_to_data, fact_to_json, parse_fact_value
from .model import Session
from ...texts import Line

if TYPE_CHECKING:
    from .repository import SessionRepository


def path_for(repo: "SessionRepository", session_id: str) -> Path:
    return repo.folder / f"{session_id}{SUFFIX}"


def attach(repo: "SessionRepository", session: Session, file: str | Path, by: str) -> tuple[SelfCheck, SelfCheck | None]:
    """Read the answers file `file` against the session's checklist and store it beside the session.
    Returns (the new self-assessment, the one it replaced or None). FileProblems on a bad file."""
    from ...store import DurableJSONStorage
    from .answers import load_answers_file

    source = Path(file)
    answers = load_answers_file(source, session.checklist)  # one line per problem, nothing stored
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    previous = None
    try:
        previous = load(repo, session)
    except SelfCheckError:
        pass  # a damaged earlier attachment is what this one replaces
    selfcheck = SelfCheck(session.id, repo.clock(), by, source.name, digest, answers.inspection_date,
                          dict(answers.facts), dict(answers.answers))
    DurableJSONStorage(path_for(repo, session.id)).write({TABLE: {"1": to_data(selfcheck)}})
    return selfcheck, previous


def to_data(selfcheck: SelfCheck) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "session": selfcheck.session_id,
        "attached_at": selfcheck.attached_at,
        "attached_by": selfcheck.attached_by,
        "source_name": selfcheck.source_name,
        "source_sha256": selfcheck.source_sha256,
        "inspection_date": selfcheck.inspection_date.isoformat() if selfcheck.inspection_date else None,
        "facts": {k: fact_to_json(v) for k, v in selfcheck.facts.items()},
        "answers": {k: answer_to_data(v) for k, v in selfcheck.answers.items()},
    }


def load(repo: "SessionRepository", session: Session) -> SelfCheck | None:
    """The self-assessment attached to `session`, None if there is none; SelfCheckError if the
    stored file is damaged or no longer fits the session's checklist."""
    from ...store import DurableJSONStorage, StorageError
    from ...store.durable import DamagedFileError

    path = path_for(repo, session.id)
    if not path.exists():
        return None
    try:
        data = DurableJSONStorage(path, read_only=True).read()
    except DamagedFileError as exc:  # the store's words are about session files
        raise SelfCheckError("err.selfcheck.damaged", path=str(path), problem=exc.detail) from None
    except StorageError as exc:
        raise SelfCheckError("err.line", line=Line(str(exc))) from None
    doc = ((data or {}).get(TABLE) or {}).get("1")
    try:
        return from_data(session, doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SelfCheckError("err.selfcheck.damaged", path=str(path), problem=f"{type(exc).__name__}: {exc}") from None


def from_data(session: Session, doc: Any) -> SelfCheck:
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ValueError("not a self-assessment record of this version")
    if doc["session"] != session.id:
        raise ValueError(f"it belongs to session {doc['session']!r}")
    checklist = session.checklist
    facts = {fact_id: parse_fact_value(checklist.fact(fact_id), raw) for fact_id, raw in doc["facts"].items()}
    answers = {str(k): answer_from_data(checklist, str(k), raw) for k, raw in doc["answers"].items()}
    when = doc.get("inspection_date")
    return SelfCheck(
        session.id, str(doc.get("attached_at", "")), str(doc.get("attached_by", "")),
        str(doc.get("source_name", "")), str(doc.get("source_sha256", "")),
        dt.date.fromisoformat(when) if when else None, facts, answers,
    )
