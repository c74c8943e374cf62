"""Moving sessions between laptops: one bundle file per batch, checked before anything is used.

Inspectors work offline, each on their own laptop; a bundle is how their sessions meet. The file is

    INSPECT-TUI-BUNDLE 1 sha256=<hex of the body> bytes=<length of the body>\\n
    <body: one JSON document>

and the body is `{"manifest": {...}, "sessions": {ID: <the session file's tables>}}`, plus
`"selfchecks": {ID: <the self-assessment record>}` for the sessions that have a self-assessment
attached (`core.selfcheck`). The manifest names the format and version, when and by what it was
made, and for each session its id and the sha256 of its payload (its tables as canonical JSON),
and of its self-assessment record if one travels. The header's checksum covers every byte after
it, and the header is matched exactly, so a changed, missing or added byte anywhere is caught
before the JSON is even parsed. A session's payload is exactly its session file's content, so the
frozen checklist and the full audit trail travel with it; its self-assessment record is exactly
the one stored beside it.

Version 1 is a bundle without self-assessments, version 2 one with: a bundle that carries none is
still written as version 1, so an older inspect-tui reads it, and refuses (by its version, in one
line) one that does rather than drop the self-assessment. Version 3 carries attachments as well:
`"attachments": {SHA256: <the file's bytes in base64>}`, every file any session of the bundle names
in its `attachments` table, each checked against its sha256 on reading (a file missing, extra or
altered refuses the whole bundle), and `"selfchecks"` always present (maybe empty). A bundle with
no attachments is written as version 1 or 2 as before. All three versions are read.

The checksum catches damage (a bad USB stick, a truncated copy, a hand edit); it is not a
signature: someone who edits a bundle on purpose can recompute it. Import therefore trusts
nothing: ids, shapes, sizes and every session's data are checked against its own checklist, as a
session file from disk would be, and nothing in a bundle is ever evaluated.

Import is idempotent and never overwrites: a new session is added, a known one is merged from the
two audit trails (see `bundle_merge`), an open one is left alone and reported. A self-assessment
is checked against its session's frozen checklist before anything is imported (one that does not
fit refuses the whole bundle); it is added where this laptop has none, and where both laptops have
a different one the one attached later is kept on both (then the higher sha256 of its record, so
both laptops choose the same), and the one set aside is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ...store import DamagedFileError, DurableJSONStorage, StorageError
from ...store.journal import read_state
from ...store.durable import encode, os_reason
from ..analysis import selfcheck
from ..session import selfcheck_file
from .merge import Conflict, ItemConflict
from ..errors import BundleError, CoreError, SessionError
from ..session.attachments import AttachmentError, AttachmentStore
from ..session.repository import SessionRepository
from ...texts import Line
from ..session.model import Session, source_hash
from ..session.file import session_from_data
from ..session.checks import META_ID, check_fields, check_meta, check_tables
from ..errors import FileProblems

FORMAT = "inspect-tui-bundle"
SELFCHECK_VERSION = 2  # self-assessments inside
FORMAT_VERSION = 3  # the newest this version writes and reads: attachments inside
PLAIN_VERSION = 1  # no self-assessments inside: written so, older versions read it
VERSIONS = (PLAIN_VERSION, SELFCHECK_VERSION, FORMAT_VERSION)
MAGIC = b"INSPECT-TUI-BUNDLE "
HEADER_RE = re.compile(rb"INSPECT-TUI-BUNDLE (0|[1-9][0-9]{0,3}) sha256=([0-9a-f]{64}) bytes=(0|[1-9][0-9]{0,11})\n")
MAX_HEADER = 128
MAX_BYTES = 200 * 1024 * 1024  # far above any real batch; refuses a wrong file before reading it
MAX_SESSIONS = 10_000

ADDED, MERGED, UNCHANGED, REFUSED = "added", "merged", "unchanged", "refused"
# what importing a session's self-assessment did: added (this laptop had none), replaced (the
# bundle's was attached later), kept (this laptop's was attached later; the bundle's not taken)
SC_ADDED, SC_REPLACED, SC_KEPT = "added", "replaced", "kept"


@dataclass
class Bundle:
    """A bundle read and verified: its manifest and each session's tables, by id."""

    path: Path
    manifest: dict[str, Any]
    sessions: dict[str, dict[str, Any]]
    selfchecks: dict[str, dict[str, Any]] = field(default_factory=dict)  # session id -> record
    files: dict[str, bytes] = field(default_factory=dict)  # sha256 -> an attachment's content, verified


@dataclass(frozen=True)
class SelfCheckCopy:
    """One laptop's self-assessment of a session, as a report names it."""

    attached_at: str
    attached_by: str
    source_name: str

    @classmethod
    def of(cls, record: dict[str, Any]) -> "SelfCheckCopy":
        return cls(*(str(record.get(k, "")) for k in ("attached_at", "attached_by", "source_name")))


@dataclass(frozen=True)
class SelfCheckOutcome:
    """What importing a session's self-assessment did; `kept` is the one this laptop now has."""

    kind: str  # SC_ADDED, SC_REPLACED or SC_KEPT
    kept: SelfCheckCopy
    other: SelfCheckCopy | None = None  # the one set aside (replaced here, or not taken)


@dataclass
class SessionOutcome:
    """What importing one session did: added, merged, unchanged or refused (with the reason)."""

    id: str
    branch: str
    kind: str
    changes: int = 0  # audit entries taken from the bundle
    conflicts: list[Conflict | ItemConflict] = field(default_factory=list)
    reason: str = ""  # why it was refused, one line in both languages (for logs)
    why: CoreError | Line | None = None  # the same, to be said in the reader's language
    local_status: str = ""
    bundle_status: str = ""
    status: str = ""
    selfcheck: SelfCheckOutcome | None = None
    # a session created by this import (store/create.py): its tables as written, and its file
    written: tuple[dict[str, Any], Path] | None = None


@dataclass
class ImportReport:
    path: Path
    sessions: list[SessionOutcome] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for s in self.sessions if s.kind == kind)

    @property
    def changed(self) -> bool:
        return any(s.kind in (ADDED, MERGED) or (s.selfcheck and s.selfcheck.kind != SC_KEPT) for s in self.sessions)


# -- writing -------------------------------------------------------------------------------------


def write_bundle(repo: SessionRepository, session_ids: Iterable[str], path: os.PathLike[str] | str) -> dict[str, Any]:
    """Write the sessions (ids or unambiguous prefixes) to one bundle file; returns its manifest.

    Each session file is read as it is on disk (saves are atomic, so an open session is bundled as
    of its last save) and checked to load, so a damaged session never travels; so is the
    self-assessment attached to it, if any (checked against the session's frozen checklist).
    """
    target = Path(path)
    if target.is_dir():
        raise BundleError(target, "err.bundle.target_is_folder")
    if not target.parent.is_dir():
        raise BundleError(target, "err.bundle.no_folder")
    ids = list(dict.fromkeys(repo.resolve(name) for name in session_ids))
    if not ids:
        raise BundleError(target, "err.bundle.nothing")
    if len(ids) > MAX_SESSIONS:
        raise BundleError(target, "err.bundle.too_many", limit=MAX_SESSIONS)
    sessions: dict[str, dict[str, Any]] = {}
    selfchecks: dict[str, dict[str, Any]] = {}
    entries = []
    for session_id in ids:
        source = repo.path(session_id)
        try:
            data = read_state(source)  # the folded state: the file with its journal replayed
            problem = "检查记录文件为空或已不存在 (empty or gone)" if not data else check_tables(data)
            if problem:
                raise DamagedFileError(source, problem)
            session = load_tables(source, data)
            record = stored_selfcheck(repo, session)
        except (DamagedFileError, selfcheck.SelfCheckError) as exc:
            raise SessionError("err.bundle.not_written", reason=why(exc)) from None
        if not data.get("attachments", True):
            del data["attachments"]  # an empty table: the bundle stays readable by older versions
        sessions[session_id] = data
        entry: dict[str, Any] = {
            "id": session_id,
            "sha256": digest(data),
            "branch": session.branch.name,
            "checklist_id": session.checklist_id,
            "checklist_sha256": source_hash(session.checklist_source),
            "status": session.status,
            "updated": session.updated,
            "audit_entries": len(data.get("audit", {})),
        }
        if record is not None:
            selfchecks[session_id] = record
            entry["selfcheck_sha256"] = digest(record)
        entries.append(entry)
    files = _stored_files(repo, sessions)
    version = FORMAT_VERSION if files else SELFCHECK_VERSION if selfchecks else PLAIN_VERSION
    manifest = {
        "format": FORMAT,
        "version": version,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "producer": f"inspect-tui {_version()} on {socket.gethostname()}",
        "sessions": entries,
    }
    content: dict[str, Any] = {"manifest": manifest, "sessions": sessions}
    if selfchecks or files:
        content["selfchecks"] = selfchecks
    if files:
        content["attachments"] = files
    body = encode(content).encode("utf-8")
    if len(body) > MAX_BYTES:
        raise BundleError(target, "err.bundle.too_large_to_write")
    header = f"INSPECT-TUI-BUNDLE {version} sha256={hashlib.sha256(body).hexdigest()} bytes={len(body)}\n"
    _write_atomic(target, header.encode("ascii") + body)
    return manifest


def named_files(tables: dict[str, Any]) -> set[str]:
    """The sha256 of every file a session's tables name in their attachments table."""
    return {str(doc.get("sha256")) for doc in tables.get("attachments", {}).values() if isinstance(doc, dict)}


def _stored_files(repo: SessionRepository, sessions: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every attached file of the sessions, read from their stores and verified, as base64."""
    import base64

    files: dict[str, str] = {}
    for session_id, data in sessions.items():
        store = AttachmentStore.beside(repo.path(session_id))
        for sha in sorted(named_files(data) - set(files)):
            try:
                files[sha] = base64.b64encode(store.read(sha)).decode("ascii")
            except AttachmentError as exc:
                raise SessionError("err.bundle.not_written", reason=Line(str(exc))) from None
    return files


def digest(data: Any) -> str:
    """The sha256 of data as canonical JSON: what the manifest records and import compares."""
    return hashlib.sha256(encode(data).encode("utf-8")).hexdigest()


def stored_selfcheck(repo: SessionRepository, session: Session) -> dict[str, Any] | None:
    """The self-assessment record stored beside `session` as it is on disk, None if there is none;
    SelfCheckError (one line) if it is damaged or does not fit the session's frozen checklist."""
    path = selfcheck_file.path_for(repo, session.id)
    if not path.exists():
        return None
    try:
        data = DurableJSONStorage(path, read_only=True).read()
    except StorageError as exc:
        raise selfcheck.SelfCheckError("err.line", line=Line(str(exc))) from None
    record = ((data if isinstance(data, dict) else {}).get(selfcheck.TABLE) or {}).get("1")
    problem = selfcheck_problem(session, record)
    if problem:
        raise selfcheck.SelfCheckError("err.selfcheck.damaged", path=str(path), problem=problem)
    return record


def selfcheck_problem(session: Session, record: Any) -> str | None:
    """Why a self-assessment record does not fit `session` (its id, its frozen checklist), or None."""
    try:
        selfcheck_file.from_data(session, record)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _version() -> str:
    from ... import __version__

    return __version__


def _write_atomic(path: Path, payload: bytes) -> None:
    """Owner-only (0600), temp file + fsync + replace + fsync of the folder: whole or not at all."""
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), 0o600)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StorageError(path, f"could not write the bundle ({os_reason(exc)})", errno=exc.errno) from None
    try:
        folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # platforms that cannot open a folder: the rename is as durable as they allow
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def load_tables(path: Path, data: dict[str, Any]) -> Session:
    """The Session in checked tables, validated against its own frozen checklist (DamagedFileError).

    The meta fields' types are checked first: the data may come from a bundle, and a number
    where text belongs must be a clear refusal, not an AttributeError deep in the loader.
    """
    meta = data["meta"][str(META_ID)]
    check_meta(path, meta)
    check_fields(path, meta)  # the same checks as a session file on disk (core/session/file.py)
    facts = {doc["fact"]: doc.get("value") for doc in data.get("facts", {}).values()}
    answers = {doc["item"]: {k: v for k, v in doc.items() if k != "item"} for doc in data.get("answers", {}).values()}
    attachments = [dict(doc) for doc in data.get("attachments", {}).values()]
    rects = {doc["item"]: {k: v for k, v in doc.items() if k != "item"} for doc in data.get("rectifications", {}).values()}
    try:
        return session_from_data(path, dict(meta), facts, answers, rects, attachments=attachments)
    except FileProblems as exc:
        raise DamagedFileError(path, f"its frozen checklist does not load ({exc.problems[0] if exc.problems else exc})") from None


def why(exc: BaseException) -> CoreError | Line:
    """An error as a parameter of another: a keyed one as it is, said in the reader's language;
    another (the store's "中文 (English)") as its first line."""
    return exc if isinstance(exc, CoreError) else Line(one_line(exc))


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
