"""Reading a bundle and importing it: every check before anything is written, then all or nothing.

`read_bundle` refuses a file that is not a whole, unaltered bundle (header, size, checksum, shape,
repeated keys, attachments against their hashes) with one line; `import_bundle` checks every
session in it, then merges each into the sessions folder with the per-field merge (merge.py) and
writes — the bundle as a whole is refused before anything is written if any part is bad.
Writing a bundle, its format and its records are bundle.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ...store import DamagedFileError, DurableJSONStorage, LockedError, SessionLock, StorageError
from ...store.create import FolderSync
from ...store.journal import BOOKKEEPING, journal_path, read_state, replace_state
from ...store.durable import os_reason
from ..analysis import selfcheck
from ..session import selfcheck_file
from .merge import IN_BUNDLE, instant, merge
from .trail import audit_trail, check_consistent, state
from ..errors import FileProblems
from ..errors import BundleError, MergeRefused, SessionError
from ..session.attachments import MAX_FILE_BYTES, SHA_RE, AttachmentStore
from ..session.repository import SESSION_RE, SessionRepository
from ..session.model import Session, source_hash
from ..session.file import SessionFile
from ..session.checks import META_ID, TABLES, check_tables

from .bundle import (
    ADDED, Bundle, FORMAT, FORMAT_VERSION, HEADER_RE, ImportReport, MAGIC, MAX_BYTES, MAX_HEADER, MAX_SESSIONS, MERGED, REFUSED,
    SC_ADDED, SC_KEPT, SC_REPLACED, SELFCHECK_VERSION, SelfCheckCopy, SelfCheckOutcome, SessionOutcome, UNCHANGED, VERSIONS, digest, named_files, selfcheck_problem, stored_selfcheck, load_tables, one_line, why,
)



# -- reading -------------------------------------------------------------------------------------


def read_bundle(path: os.PathLike[str] | str) -> Bundle:
    """Read a bundle and verify every byte of it; BundleError (one line) if anything is off."""
    from ..checklist.yamlsafe import read_bounded

    source = Path(path)
    try:
        if source.is_dir():
            raise BundleError(source, "err.bundle.source_is_folder")
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise BundleError(source, "err.bundle.too_large_size", size=size)
        raw = read_bounded(source, "bundle", MAX_BYTES + MAX_HEADER)  # regular files only, bounded
    except FileNotFoundError:
        raise BundleError(source, "err.bundle.no_file") from None
    except FileProblems as exc:
        reason = exc.problems[0].message
        if "too large" in reason:
            raise BundleError(source, "err.bundle.too_large") from None
        raise BundleError(source, "err.bundle.unreadable", reason=reason) from None
    except OSError as exc:
        raise BundleError(source, "err.bundle.unreadable", reason=os_reason(exc)) from None
    if not raw:
        raise BundleError(source, "err.bundle.empty")
    end = raw.find(b"\n", 0, MAX_HEADER)
    match = HEADER_RE.fullmatch(raw[: end + 1]) if end >= 0 else None
    if match is None:
        if raw.startswith(MAGIC):
            raise BundleError(source, "err.bundle.bad_header")
        raise BundleError(source, "err.bundle.not_bundle")
    version, digest, length = int(match[1]), match[2].decode("ascii"), int(match[3])
    if version not in VERSIONS:
        raise BundleError(source, "err.bundle.version", version=version, known=FORMAT_VERSION)
    body = raw[end + 1:]
    if len(body) != length:
        raise BundleError(source, "err.bundle.truncated", got=len(body), length=length)
    if hashlib.sha256(body).hexdigest() != digest:
        raise BundleError(source, "err.bundle.checksum")
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_no_constant, object_pairs_hook=_no_repeats)
    except _Repeated as exc:
        raise BundleError(source, "err.bundle.repeated_key", name=repr(str(exc)[:40])) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(source, "err.bundle.not_json", kind=type(exc).__name__) from None
    try:
        problem = _check_body(data, version) or _check_selfchecks(data)
        files, problem = _check_files(data) if problem is None else ({}, problem)
    except UnicodeEncodeError:  # JSON may spell a lone surrogate (\udcff); no checksum can be taken of it
        raise BundleError(source, "err.bundle.surrogate") from None
    if problem:
        raise BundleError(source, "err.bundle.invalid", problem=problem)
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
        if digest(payload) != entry["sha256"]:
            return f"session {session_id}: checksum mismatch"
        if ("selfcheck_sha256" in entry) != (session_id in selfchecks):
            return f"session {session_id}: the manifest and the self-assessments inside disagree"
        if session_id in selfchecks and digest(selfchecks[session_id]) != entry["selfcheck_sha256"]:
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
    named = set().union(*(named_files(t) for t in data["sessions"].values()))
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
        problem = selfcheck_problem(session, record)
        if problem:
            return f"session {session_id}: its self-assessment does not fit its checklist ({problem})"
    return None


# -- importing -----------------------------------------------------------------------------------


def import_bundle(repo: SessionRepository, bundle: Bundle | os.PathLike[str] | str,
                  folders: FolderSync | None = None) -> ImportReport:
    """Bring a bundle's sessions into `repo`: each added, merged, unchanged or refused.

    The whole bundle is verified first — its checksum, and every session in it loaded and checked
    against its own audit trail — so an invalid part refuses the whole bundle (BundleError) before
    anything is written. Then each session is handled on its own, under its lock, and written in
    one durable save; a session this laptop cannot take (open here, deleted here, another standard)
    is refused with its reason and the others go on. A session new here is created whole in one
    write (store/create.py) and its folder fsynced once for all of them: before this returns, or,
    with `folders` given (a pull importing one bundle per session), by the caller before it reports.
    """
    if not isinstance(bundle, Bundle):
        bundle = read_bundle(bundle)
    loaded = _check_every_session(bundle)
    own = folders is None
    folders = FolderSync() if folders is None else folders
    report = ImportReport(bundle.path)
    for entry in bundle.manifest["sessions"]:
        session_id = entry["id"]
        payload = bundle.sessions[session_id]
        branch = str(payload["meta"][str(META_ID)].get("branch", ""))
        try:
            outcome = _import_one(repo, session_id, payload, bundle.selfchecks.get(session_id), bundle.files,
                                  theirs=loaded[session_id], folders=folders)
        except (MergeRefused, SessionError, StorageError) as exc:
            outcome = SessionOutcome(session_id, branch, REFUSED, reason=one_line(exc), why=why(exc))
        outcome.branch = outcome.branch or branch
        report.sessions.append(outcome)
    if own:
        folders.sync()  # every session added is durable when the import reports it
    return report


def _check_every_session(bundle: Bundle) -> dict[str, Session]:
    """All or nothing: each session of the bundle must load and agree with its audit trail.
    The sessions loaded, by id (the import uses them: checked once, not again per session)."""
    ids = [entry["id"] for entry in bundle.manifest["sessions"]]
    if len(set(ids)) != len(ids):
        raise BundleError(bundle.path, "err.bundle.listed_twice")
    loaded = {}
    for session_id in ids:
        payload = bundle.sessions[session_id]
        try:
            loaded[session_id] = load_tables(Path(f"<bundle>/{session_id}"), payload)
            check_consistent(state(payload), audit_trail(payload, IN_BUNDLE), IN_BUNDLE)
        except (MergeRefused, SessionError, StorageError, ValueError, KeyError, TypeError) as exc:
            raise BundleError(bundle.path, "err.bundle.session_invalid", id=session_id, reason=why(exc)) from None
    return loaded


def _import_one(repo: SessionRepository, session_id: str, payload: dict[str, Any], incoming: dict[str, Any] | None,
                files: dict[str, bytes] | None, theirs: Session, folders: FolderSync) -> SessionOutcome:
    """`theirs`: the payload loaded and checked against its own audit trail (_check_every_session:
    even a session added as is must be one whose data is what its trail says)."""
    if (repo.trash_dir / f"{session_id}.json").exists():
        raise MergeRefused("err.merge.in_trash")
    repo.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = repo.path(session_id)
    if not any(p.exists() for p in (target, journal_path(target), repo.lock_path(session_id))):
        # new here and nobody at it: created whole or not at all, no lock needed (O_EXCL by link)
        record, note = _plan_selfcheck(repo, theirs, incoming)
        if record is None:  # a self-assessment to write goes after its session: the locked path below
            _store_files(target, payload, files or {})
            data = _file_data(payload, theirs)
            if folders.create(target, {**data, BOOKKEEPING: {"1": {"seq": 0}}}):
                outcome = SessionOutcome(session_id, theirs.branch.name, ADDED, status=theirs.status,
                                         bundle_status=theirs.status, written=(data, target))
                return _with_selfcheck(repo, outcome, None, note)
    try:
        lock = SessionLock.acquire(repo.lock_path(session_id), owner="inspect-tui import")
    except LockedError as exc:
        who = exc.info.describe() if exc.info else ""
        raise (MergeRefused("err.merge.open_by", who=who) if who else MergeRefused("err.merge.open")) from None
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
            raise MergeRefused("err.merge.checklists_differ")
        if mine.created != theirs.created:
            raise MergeRefused("err.merge.other_session")
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
        mine = stored_selfcheck(repo, session)
    except selfcheck.SelfCheckError as exc:
        raise MergeRefused("err.merge.selfcheck_damaged", reason=why(exc)) from None
    if mine is None:
        return incoming, SelfCheckOutcome(SC_ADDED, SelfCheckCopy.of(incoming))
    if digest(mine) == digest(incoming):
        return None, None
    if _selfcheck_rank(incoming) > _selfcheck_rank(mine):
        return incoming, SelfCheckOutcome(SC_REPLACED, SelfCheckCopy.of(incoming), SelfCheckCopy.of(mine))
    return None, SelfCheckOutcome(SC_KEPT, SelfCheckCopy.of(mine), SelfCheckCopy.of(incoming))


def _selfcheck_rank(record: dict[str, Any]) -> tuple[Any, ...]:
    when = instant(str(record.get("attached_at", "")))
    return when[0] == 0, when, digest(record)  # an unreadable time stamp never wins by it


def _with_selfcheck(repo: SessionRepository, outcome: SessionOutcome, record: dict[str, Any] | None,
                    note: SelfCheckOutcome | None) -> SessionOutcome:
    """Write the self-assessment chosen (durably, owner-only, as `selfcheck_file.attach` does), after
    its session: a failure here leaves the session imported and the next import completes it."""
    if record is not None:
        try:
            DurableJSONStorage(selfcheck_file.path_for(repo, outcome.id)).write({selfcheck.TABLE: {"1": record}})
        except StorageError as exc:
            raise MergeRefused("err.merge.selfcheck_unwritten_added" if outcome.kind == ADDED else "err.merge.selfcheck_unwritten",
                               reason=why(exc)) from None
    outcome.selfcheck = note
    return outcome


def _store_files(target: Path, tables: dict[str, Any], files: dict[str, bytes]) -> None:
    """The files a session to be written names, into its store first (content-addressed: one this
    laptop has already is kept), so the session file never names a file that is not there."""
    store = AttachmentStore.beside(target)
    for sha in sorted(named_files(tables)):
        if sha in files:
            store.put(files[sha], sha)
        elif not store.has(sha):  # named on this laptop only: it was stored when attached here
            raise MergeRefused("err.merge.attachment_missing", sha=sha[:12])


def _docs(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """A TinyDB table: the documents numbered from 1, in order (the audit trail's order matters)."""
    return {str(n): doc for n, doc in enumerate(docs, 1)}


def _save(target: Path, tables: dict[str, Any], session: Session) -> Session:
    """One durable write of a session file; the meta (and so the listed summary) recomputed here."""
    replace_state(target, _file_data(tables, session))  # and its journal, if any, retired: the data already holds it
    return session


def _file_data(tables: dict[str, Any], session: Session) -> dict[str, Any]:
    """What the session file holds (without the journal's bookkeeping)."""
    data = {table: dict(tables.get(table, {})) for table in TABLES}
    if not data["attachments"]:
        del data["attachments"]  # as a session that never had one: the same file on both laptops
    if not data["rectifications"]:  # as a session file without any holds it: no table (the same bytes on both laptops)
        del data["rectifications"]
    data["meta"] = {str(META_ID): SessionFile.meta(session)}
    return data


__all__ = ["import_bundle", "read_bundle"]
