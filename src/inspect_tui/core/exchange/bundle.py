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
import json
import os
import re
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ...store import DamagedFileError, DurableJSONStorage, LockedError, SessionLock, StorageError
from ...store.journal import read_state, replace_state
from ...store.durable import encode, os_reason
from ..analysis import selfcheck
from ..session import selfcheck_file
from .merge import Conflict, ItemConflict, MergeRefused, audit_trail, check_consistent, instant, merge, state
from ..problems import FileProblems
from ..session.attachments import MAX_FILE_BYTES, SHA_RE, AttachmentError, AttachmentStore
from ..session.repository import SESSION_RE, SessionError, SessionRepository
from ..session.model import Session, source_hash
from ..session.file import META_ID, TABLES, SessionFile, check_fields, check_meta, check_tables, session_from_data

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


class BundleError(SessionError):
    """The bundle as a whole cannot be used; one line naming the file. Nothing was imported."""

    def __init__(self, path: os.PathLike[str] | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}".replace("\n", "\\n"))


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
    reason: str = ""
    local_status: str = ""
    bundle_status: str = ""
    status: str = ""
    selfcheck: SelfCheckOutcome | None = None


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
        raise BundleError(target, "是文件夹,不能写入 (is a folder; give a file name)")
    if not target.parent.is_dir():
        raise BundleError(target, "所在文件夹不存在 (its folder does not exist)")
    ids = list(dict.fromkeys(repo.resolve(name) for name in session_ids))
    if not ids:
        raise BundleError(target, "没有要打包的检查记录 (no sessions to bundle)")
    if len(ids) > MAX_SESSIONS:
        raise BundleError(target, f"一次最多打包 {MAX_SESSIONS} 个检查记录 (at most {MAX_SESSIONS} sessions per bundle)")
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
            record = _stored_selfcheck(repo, session)
        except (DamagedFileError, selfcheck.SelfCheckError) as exc:
            raise SessionError(f"{exc};未写入检查记录包 (no bundle written)") from None
        if not data.get("attachments", True):
            del data["attachments"]  # an empty table: the bundle stays readable by older versions
        sessions[session_id] = data
        entry: dict[str, Any] = {
            "id": session_id,
            "sha256": _digest(data),
            "branch": session.branch.name,
            "checklist_id": session.checklist_id,
            "checklist_sha256": source_hash(session.checklist_source),
            "status": session.status,
            "updated": session.updated,
            "audit_entries": len(data.get("audit", {})),
        }
        if record is not None:
            selfchecks[session_id] = record
            entry["selfcheck_sha256"] = _digest(record)
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
        raise BundleError(target, "检查记录包过大,请分批打包 (too large for one bundle; bundle fewer sessions)")
    header = f"INSPECT-TUI-BUNDLE {version} sha256={hashlib.sha256(body).hexdigest()} bytes={len(body)}\n"
    _write_atomic(target, header.encode("ascii") + body)
    return manifest


def _named_files(tables: dict[str, Any]) -> set[str]:
    """The sha256 of every file a session's tables name in their attachments table."""
    return {str(doc.get("sha256")) for doc in tables.get("attachments", {}).values() if isinstance(doc, dict)}


def _stored_files(repo: SessionRepository, sessions: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every attached file of the sessions, read from their stores and verified, as base64."""
    import base64

    files: dict[str, str] = {}
    for session_id, data in sessions.items():
        store = AttachmentStore.beside(repo.path(session_id))
        for sha in sorted(_named_files(data) - set(files)):
            try:
                files[sha] = base64.b64encode(store.read(sha)).decode("ascii")
            except AttachmentError as exc:
                raise SessionError(f"{exc};未写入检查记录包 (no bundle written)") from None
    return files


def _digest(data: Any) -> str:
    """The sha256 of data as canonical JSON: what the manifest records and import compares."""
    return hashlib.sha256(encode(data).encode("utf-8")).hexdigest()


def _stored_selfcheck(repo: SessionRepository, session: Session) -> dict[str, Any] | None:
    """The self-assessment record stored beside `session` as it is on disk, None if there is none;
    SelfCheckError (one line) if it is damaged or does not fit the session's frozen checklist."""
    path = selfcheck_file.path_for(repo, session.id)
    if not path.exists():
        return None
    try:
        data = DurableJSONStorage(path, read_only=True).read()
    except StorageError as exc:
        raise selfcheck.SelfCheckError(str(exc)) from None
    record = ((data if isinstance(data, dict) else {}).get(selfcheck.TABLE) or {}).get("1")
    problem = _selfcheck_problem(session, record)
    if problem:
        raise selfcheck.SelfCheckError(f"{path}: 自查结果文件已损坏 (damaged self-assessment: {problem})")
    return record


def _selfcheck_problem(session: Session, record: Any) -> str | None:
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


# -- reading -------------------------------------------------------------------------------------


def read_bundle(path: os.PathLike[str] | str) -> Bundle:
    """Read a bundle and verify every byte of it; BundleError (one line) if anything is off."""
    from ..checklist.yamlsafe import read_bounded

    source = Path(path)
    try:
        if source.is_dir():
            raise BundleError(source, "是文件夹,不是检查记录包 (a folder, not a bundle)")
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise BundleError(source, f"文件过大 ({size} bytes),不是检查记录包 (too large for a bundle)")
        raw = read_bounded(source, "bundle", MAX_BYTES + MAX_HEADER)  # regular files only, bounded
    except FileNotFoundError:
        raise BundleError(source, "文件不存在 (no such file)") from None
    except FileProblems as exc:
        reason = exc.problems[0].message
        if "too large" in reason:
            raise BundleError(source, "文件过大,不是检查记录包 (too large for a bundle)") from None
        raise BundleError(source, f"无法读取 ({reason})") from None
    except OSError as exc:
        raise BundleError(source, f"无法读取 (cannot read: {os_reason(exc)})") from None
    if not raw:
        raise BundleError(source, "空文件,不是检查记录包 (an empty file, not a bundle)")
    end = raw.find(b"\n", 0, MAX_HEADER)
    match = HEADER_RE.fullmatch(raw[: end + 1]) if end >= 0 else None
    if match is None:
        if raw.startswith(MAGIC):
            raise BundleError(source, "检查记录包的首行已损坏 (damaged: the header line is not valid)")
        raise BundleError(source, "不是 inspect-tui 检查记录包 (not an inspect-tui bundle)")
    version, digest, length = int(match[1]), match[2].decode("ascii"), int(match[3])
    if version not in VERSIONS:
        raise BundleError(source, f"不支持的检查记录包版本 {version} (bundle format {version}; this version reads up to {FORMAT_VERSION})")
    body = raw[end + 1:]
    if len(body) != length:
        raise BundleError(source, f"检查记录包不完整或已损坏 (damaged or truncated: {len(body)} of {length} bytes)")
    if hashlib.sha256(body).hexdigest() != digest:
        raise BundleError(source, "校验和不符,检查记录包已损坏或被改动 (checksum mismatch: damaged or altered)")
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_no_constant, object_pairs_hook=_no_repeats)
    except _Repeated as exc:
        raise BundleError(source, f"检查记录包内容无效,键重复 (invalid: the key {str(exc)[:40]!r} appears twice)") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(source, f"检查记录包内容无效 (not valid JSON: {type(exc).__name__})") from None
    try:
        problem = _check_body(data, version) or _check_selfchecks(data)
        files, problem = _check_files(data) if problem is None else ({}, problem)
    except UnicodeEncodeError:  # JSON may spell a lone surrogate (\udcff); no checksum can be taken of it
        raise BundleError(source, "检查记录包内容无效,含无效编码的文字 (invalid: text with a lone surrogate)") from None
    if problem:
        raise BundleError(source, f"检查记录包内容无效 (invalid: {problem})")
    return Bundle(source, data["manifest"], data["sessions"], data.get("selfchecks", {}), files)


class _Repeated(ValueError):
    """A JSON object with the same key twice: json.loads would keep the last one silently."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Repeated(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_body(data: Any, version: int) -> str | None:
    """Why a verified body still cannot be used, or None. Shapes and counts only; nothing runs."""
    parts = ({"manifest", "sessions"} | ({"selfchecks"} if version >= SELFCHECK_VERSION else set())
             | ({"attachments"} if version >= FORMAT_VERSION else set()))
    if not isinstance(data, dict) or set(data) != parts:
        return f"expected {', '.join(sorted(parts))}"
    manifest, sessions = data["manifest"], data["sessions"]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != version:
        return "not a bundle manifest of this version"
    selfchecks = data.get("selfchecks", {})
    if not isinstance(selfchecks, dict) or not all(isinstance(r, dict) for r in selfchecks.values()):
        return "bad self-assessment list"
    entries = manifest.get("sessions")
    if not isinstance(entries, list) or not isinstance(sessions, dict) or len(entries) > MAX_SESSIONS:
        return "bad session list"
    listed = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("sha256"), str):
            return "bad manifest entry"
        listed.append(entry["id"])
    if len(set(listed)) != len(listed) or set(listed) != set(sessions):
        return "the manifest does not list exactly the sessions inside"
    for entry in entries:
        session_id, payload = entry["id"], sessions[entry["id"]]
        if not SESSION_RE.match(session_id):
            return f"bad session id {session_id[:40]!r}"
        if not isinstance(payload, dict):
            return f"session {session_id} is not an object"
        if _digest(payload) != entry["sha256"]:
            return f"session {session_id}: checksum mismatch"
        if ("selfcheck_sha256" in entry) != (session_id in selfchecks):
            return f"session {session_id}: the manifest and the self-assessments inside disagree"
        if session_id in selfchecks and _digest(selfchecks[session_id]) != entry["selfcheck_sha256"]:
            return f"session {session_id}: self-assessment checksum mismatch"
        problem = check_tables(payload)
        if problem:
            return f"session {session_id}: {problem}"
        if payload["meta"][str(META_ID)].get("id") != session_id:
            return f"session {session_id}: its data names another id"
    if set(selfchecks) - set(sessions):
        return "a self-assessment without its session"
    return None


def _check_files(data: dict[str, Any]) -> tuple[dict[str, bytes], str | None]:
    """(the attached files decoded, None) or ({}, why not): exactly the files the sessions name,
    each one's content matching its sha256."""
    import base64
    import binascii

    blobs = data.get("attachments", {})
    if not isinstance(blobs, dict):
        return {}, "bad attachment list"
    named = set().union(*(_named_files(t) for t in data["sessions"].values()))
    if named - set(blobs):
        return {}, f"attachment {sorted(named - set(blobs))[0][:12]} is missing: the bundle names it but does not carry it"
    if set(blobs) - named:
        return {}, f"attachment {sorted(set(blobs) - named)[0][:12]} belongs to no session"
    files = {}
    for sha, text in sorted(blobs.items()):
        if not SHA_RE.match(sha) or not isinstance(text, str) or len(text) > (MAX_FILE_BYTES // 3 + 1) * 4:
            return {}, f"bad attachment {sha[:12]}"
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return {}, f"attachment {sha[:12]} is not base64"
        if hashlib.sha256(content).hexdigest() != sha:
            return {}, f"attachment {sha[:12]}: checksum mismatch (damaged or altered)"
        files[sha] = content
    return files, None


def _check_selfchecks(data: dict[str, Any]) -> str | None:
    """Why a self-assessment in the bundle does not fit its session's frozen checklist, or None.

    A session that does not load is left to its own refusal at import, its self-assessment with it.
    """
    for session_id, record in data.get("selfchecks", {}).items():
        try:
            session = load_tables(Path(f"<bundle>/{session_id}"), data["sessions"][session_id])
        except DamagedFileError:
            continue
        problem = _selfcheck_problem(session, record)
        if problem:
            return f"session {session_id}: its self-assessment does not fit its checklist ({problem})"
    return None


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


# -- importing -----------------------------------------------------------------------------------


def import_bundle(repo: SessionRepository, bundle: Bundle | os.PathLike[str] | str) -> ImportReport:
    """Bring a bundle's sessions into `repo`: each added, merged, unchanged or refused.

    The whole bundle is verified first — its checksum, and every session in it loaded and checked
    against its own audit trail — so an invalid part refuses the whole bundle (BundleError) before
    anything is written. Then each session is handled on its own, under its lock, and written in
    one durable save; a session this laptop cannot take (open here, deleted here, another standard)
    is refused with its reason and the others go on.
    """
    if not isinstance(bundle, Bundle):
        bundle = read_bundle(bundle)
    _check_every_session(bundle)
    report = ImportReport(bundle.path)
    for entry in bundle.manifest["sessions"]:
        session_id = entry["id"]
        payload = bundle.sessions[session_id]
        branch = str(payload["meta"][str(META_ID)].get("branch", ""))
        try:
            outcome = _import_one(repo, session_id, payload, bundle.selfchecks.get(session_id), bundle.files)
        except (MergeRefused, SessionError, StorageError) as exc:
            outcome = SessionOutcome(session_id, branch, REFUSED, reason=_one_line(exc))
        outcome.branch = outcome.branch or branch
        report.sessions.append(outcome)
    return report


def _check_every_session(bundle: Bundle) -> None:
    """All or nothing: each session of the bundle must load and agree with its audit trail."""
    ids = [entry["id"] for entry in bundle.manifest["sessions"]]
    if len(set(ids)) != len(ids):
        raise BundleError(bundle.path, "检查记录包内容无效,同一检查记录出现两次 (invalid: a session is listed twice)")
    for session_id in ids:
        payload = bundle.sessions[session_id]
        try:
            load_tables(Path(f"<bundle>/{session_id}"), payload)
            check_consistent(state(payload), audit_trail(payload, "检查记录包 (bundle)"), "检查记录包 (bundle)")
        except (MergeRefused, SessionError, StorageError, ValueError, KeyError, TypeError) as exc:
            raise BundleError(bundle.path, f"检查记录包内容无效,未导入任何记录 (invalid, nothing imported: {session_id}: {_one_line(exc)})") from None


def _import_one(repo: SessionRepository, session_id: str, payload: dict[str, Any],
                incoming: dict[str, Any] | None, files: dict[str, bytes] | None = None) -> SessionOutcome:
    label = Path(f"<bundle>/{session_id}")
    theirs = load_tables(label, payload)
    # even a session added as is must be one whose data is what its own audit trail says
    check_consistent(state(payload), audit_trail(payload, "检查记录包 (bundle)"), "检查记录包 (bundle)")
    if (repo.trash_dir / f"{session_id}.json").exists():
        raise MergeRefused("本机已删除此检查记录,在回收站中;先恢复再导入 (deleted on this laptop: restore it, then import again)")
    repo.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        lock = SessionLock.acquire(repo.lock_path(session_id), owner="inspect-tui import")
    except LockedError as exc:
        who = exc.info.describe() if exc.info else ""
        raise MergeRefused(f"本机正在打开此检查记录,未改动 (open on this laptop, left untouched) {who}".strip()) from None
    try:
        target = repo.path(session_id)
        local = read_state(target)
        if not local:
            record, note = _plan_selfcheck(repo, theirs, incoming)  # decided before anything is written
            _store_files(target, payload, files or {})
            _save(target, payload, theirs)
            outcome = SessionOutcome(session_id, theirs.branch.name, ADDED, status=theirs.status, bundle_status=theirs.status)
            return _with_selfcheck(repo, outcome, record, note)
        problem = check_tables(local)
        if problem:
            raise DamagedFileError(target, problem)
        mine = load_tables(target, local)
        if source_hash(mine.checklist_source) != source_hash(theirs.checklist_source):
            raise MergeRefused("两份记录的检查表不同,不能合并 (the frozen checklists differ; not merged)")
        if mine.created != theirs.created:
            raise MergeRefused("编号相同但不是同一次检查 (another session with the same id; not merged)")
        record, note = _plan_selfcheck(repo, mine, incoming)
        merged = merge(local, payload)
        if merged is None:
            outcome = SessionOutcome(session_id, mine.branch.name, UNCHANGED, local_status=mine.status,
                                     bundle_status=theirs.status, status=mine.status)
            return _with_selfcheck(repo, outcome, record, note)
        tables = {
            "meta": {str(META_ID): merged.meta},
            "facts": _docs([{"fact": k, "value": v} for k, v in merged.facts.items()]),
            "answers": _docs([{"item": k, **doc} for k, doc in merged.answers.items()]),
            "rectifications": _docs([{"item": k, **doc} for k, doc in merged.rectifications.items()]),
            "audit": _docs(merged.trail),
            "attachments": _docs(merged.attachments),
        }
        _store_files(target, tables, files or {})
        result = _save(target, tables, load_tables(target, tables))
        outcome = SessionOutcome(session_id, mine.branch.name, MERGED, merged.taken, merged.conflicts,
                                 local_status=merged.local_status, bundle_status=merged.bundle_status, status=result.status)
        return _with_selfcheck(repo, outcome, record, note)
    finally:
        lock.release()


def _plan_selfcheck(repo: SessionRepository, session: Session, incoming: dict[str, Any] | None,
                    ) -> tuple[dict[str, Any] | None, SelfCheckOutcome | None]:
    """(the record to write or None, what to report or None) for the bundle's self-assessment.

    The rule looks at the two records only, never at which side is local, so both laptops keep
    the same one: the later `attached_at` (as an instant), then the higher sha256 of the record.
    A damaged one here is never overwritten unseen: the session is refused, nothing written.
    """
    if incoming is None:
        return None, None
    try:
        mine = _stored_selfcheck(repo, session)
    except selfcheck.SelfCheckError as exc:
        raise MergeRefused(f"本机的自查结果文件无法读取,修复或移走后再导入 (this laptop's self-assessment is damaged; "
                           f"repair or move it, then import again): {_one_line(exc)}") from None
    if mine is None:
        return incoming, SelfCheckOutcome(SC_ADDED, SelfCheckCopy.of(incoming))
    if _digest(mine) == _digest(incoming):
        return None, None
    if _selfcheck_rank(incoming) > _selfcheck_rank(mine):
        return incoming, SelfCheckOutcome(SC_REPLACED, SelfCheckCopy.of(incoming), SelfCheckCopy.of(mine))
    return None, SelfCheckOutcome(SC_KEPT, SelfCheckCopy.of(mine), SelfCheckCopy.of(incoming))


def _selfcheck_rank(record: dict[str, Any]) -> tuple[Any, ...]:
    when = instant(str(record.get("attached_at", "")))
    return when[0] == 0, when, _digest(record)  # an unreadable time stamp never wins by it


def _with_selfcheck(repo: SessionRepository, outcome: SessionOutcome, record: dict[str, Any] | None,
                    note: SelfCheckOutcome | None) -> SessionOutcome:
    """Write the self-assessment chosen (durably, owner-only, as `selfcheck_file.attach` does), after
    its session: a failure here leaves the session imported and the next import completes it."""
    if record is not None:
        try:
            DurableJSONStorage(selfcheck_file.path_for(repo, outcome.id)).write({selfcheck.TABLE: {"1": record}})
        except StorageError as exc:
            raise MergeRefused(f"检查记录已{'新增' if outcome.kind == ADDED else '导入'},但自查结果未能写入,再次导入即可补上 "
                               f"(the session was imported, its self-assessment could not be written: import again): "
                               f"{_one_line(exc)}") from None
    outcome.selfcheck = note
    return outcome


def _store_files(target: Path, tables: dict[str, Any], files: dict[str, bytes]) -> None:
    """The files a session to be written names, into its store first (content-addressed: one this
    laptop has already is kept), so the session file never names a file that is not there."""
    store = AttachmentStore.beside(target)
    for sha in sorted(_named_files(tables)):
        if sha in files:
            store.put(files[sha], sha)
        elif not store.has(sha):  # named on this laptop only: it was stored when attached here
            raise MergeRefused(f"本机附件 {sha[:12]} 缺失,未导入 (this laptop's attachment {sha[:12]} is missing; not imported)")


def _docs(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """A TinyDB table: the documents numbered from 1, in order (the audit trail's order matters)."""
    return {str(n): doc for n, doc in enumerate(docs, 1)}


def _save(target: Path, tables: dict[str, Any], session: Session) -> Session:
    """One durable write of a session file; the meta (and so the listed summary) recomputed here."""
    data = {table: dict(tables.get(table, {})) for table in TABLES}
    if not data["attachments"]:
        del data["attachments"]  # as a session that never had one: the same file on both laptops
    if not data["rectifications"]:  # as a session file without any holds it: no table (the same bytes on both laptops)
        del data["rectifications"]
    data["meta"] = {str(META_ID): SessionFile.meta(session)}
    replace_state(target, data)  # and its journal, if any, retired: the data already holds it
    return session


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


__all__ = [
    "ADDED", "MERGED", "UNCHANGED", "REFUSED", "SC_ADDED", "SC_REPLACED", "SC_KEPT", "Bundle", "BundleError",
    "ImportReport", "SelfCheckCopy", "SelfCheckOutcome", "SessionOutcome",
    "check_tables", "import_bundle", "load_tables", "read_bundle", "write_bundle",
]
