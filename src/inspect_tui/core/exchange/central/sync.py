"""Syncing one sessions folder with the central store: push this laptop's changes, pull the others'.

The event is the simplest honest one: a whole-session snapshot — the session file's tables exactly
as a bundle carries them (bundle.py), and the self-assessment attached to it — keyed (device, seq).
The per-field history is the audit trail inside it, and merging a pulled snapshot into the local
session is the bundle import (merge.py: per field the later edit wins, every conflict listed on
both sides, nothing dropped). Snapshots are cumulative (a trail only grows), so of several events
of one session from one device only the last needs merging.

Order of a sync: push, then pull. Pushing first is what lists a conflict on BOTH laptops: each
merges the other's own edits into its own, rather than receiving an already-merged copy.

Durability, in the order that makes a kill anywhere harmless:
  * push: every changed session's event and server rows (fold.py) in one server transaction, a
    few statements per 200 sessions; a batch the server refuses in part (RLS, an unknown unit) is
    pushed again one savepoint per session, so the refused one is listed and the others go on; after COMMIT the
    local record (next seq, what was acknowledged) is written durably. Killed between the two, the
    next sync pushes the same events under the same keys, which the server skips as replays; if a
    session changed meanwhile the server refuses the altered replay, and the sync moves its counter
    past the server's highest seq for this device and pushes again.
  * pull: each merge is one durable save of the session (bundle import); a session new here is
    created whole (store/create.py: temp file fsynced, linked into place), its folder fsynced once
    for all, before anything is reported; the "last seen" per device is written after all of them.
    Killed between, the next pull merges the same events again (or adds what is still absent).
A server that cannot be reached raises CentralError before anything local is touched.
The local record lives in the sessions folder (`.sync-<key>.json`, the key naming the server and
device), since it records what happened to THESE sessions; the device id lives in the user config.
psycopg is imported only here, when a sync runs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ....store import DamagedFileError, StorageError
from ....store.create import FolderSync
from ....store.durable import encode
from ....store.journal import journal_path, read_state
from .. import bundle as bundles, importing
from ...session.attachments import SHA_RE, AttachmentError, AttachmentStore
from ...session import selfcheck_file
from ...session.checks import META_ID, check_tables
from ...session.repository import SESSION_RE, SessionRepository
from . import SCHEMA, events, fold, migrations
from .connection import CentralError, connect, describe
from .local import ADDED, KIND, MERGED, PUSHED, REFUSED, UNCHANGED, Ledger, Outcome, SyncReport, copied, device_id, pause

PULL = (f"SELECT unit, device_id, seq, session_id, payload FROM {SCHEMA}.events"
        f" WHERE device_id <> %s AND kind = '{KIND}'"
        " AND seq > coalesce((%s::jsonb -> unit ->> device_id)::bigint, 0) ORDER BY unit, device_id, seq")


# -- a sync --------------------------------------------------------------------------------------


def sync(repo: SessionRepository, dsn: str, device: str | None = None, prompt: Any = None) -> SyncReport:
    """Push this folder's changed sessions, then pull and merge what others pushed."""
    import psycopg

    where = describe(dsn)
    # CentralError (exit 1) before anything local is touched; autocommit: transactions explicit below
    conn = connect(dsn, prompt=prompt, autocommit=True)
    device = device or device_id()
    report = SyncReport(where, device)
    try:
        with conn:
            _check_schema(conn, where)
            device = _register(conn, device, where)
            report.device = device
            ledger = Ledger(repo.folder, where, device)
            _push(conn, repo, ledger, report)
            _pull(conn, repo, ledger, report)
    except psycopg.OperationalError as exc:
        raise CentralError(f"与中心服务器 {where} 的连接中断,下次同步会继续 "
                           f"(lost the connection to the central server {where}; the next sync carries on)",
                           exit_code=1, detail=_line(exc)) from None
    except psycopg.Error as exc:
        raise CentralError(f"中心服务器 {where} 拒绝了同步 (the central server {where} refused the sync)",
                           exit_code=1, detail=_line(exc)) from None
    return report


def _register(conn: Any, device: str, where: str) -> str:
    """Register the device (again: a no-op) and return the id to push as. A device is its
    registrant's (RLS, 0002): on a laptop used under another login role too, the id registered by
    that role is not ours to push from, so this role gets an id derived from both, the same every time."""
    label = os.uname().nodename if hasattr(os, "uname") else ""
    user = conn.execute("SELECT current_user").fetchone()[0]
    for candidate in (device, f"{device}-{hashlib.sha256(user.encode()).hexdigest()[:8]}"):
        with conn.transaction():
            events.register_device(conn, candidate, label)
        if conn.execute(f"SELECT 1 FROM {SCHEMA}.devices WHERE id = %s", (candidate,)).fetchone():
            return candidate
    raise CentralError(f"本机编号 {device} 已被服务器 {where} 上的其他角色登记 "
                       f"(the device id {device} is registered by another role on the server {where})", exit_code=1)


def _check_schema(conn: Any, where: str) -> None:
    """A server with no central store, or one newer than this client knows: one line, not a
    relation-does-not-exist from deep inside a push."""
    version = migrations.current_version(conn)
    if version == 0:
        raise CentralError(f"服务器 {where} 尚未建立中心库(请管理员运行 inspect-tui server init) "
                           f"(the server {where} has no central store: the admin runs inspect-tui server init)")
    migrations.check_not_newer(version, where)


def snapshot(repo: SessionRepository, session_id: str) -> tuple[dict[str, Any], Any]:
    """(the event's payload, the Session) for a session as it is on disk; DamagedFileError if not sound."""
    source = repo.path(session_id)
    data = read_state(source)
    problem = "检查记录文件为空或已不存在 (empty or gone)" if not data else check_tables(data)
    if problem:
        raise DamagedFileError(source, problem)
    session = bundles.load_tables(source, data)
    # an empty table and a missing one mean the same (an import writes every table, a new session
    # only those it uses): left out, so that the same session is the same event on every laptop
    payload: dict[str, Any] = {"tables": {k: v for k, v in data.items() if v or k == "meta"}}
    record = bundles.stored_selfcheck(repo, session)
    if record is not None:
        payload["selfcheck"] = record
    return payload, session


def fingerprint(repo: SessionRepository, session_id: str) -> list[Any]:
    """(inode, size, mtime) of a session's file, journal and self-assessment: a save replaces the
    file (a new inode) or appends to the journal, so any change shows here without reading it."""
    source = repo.path(session_id)
    out: list[Any] = []
    for path in (source, journal_path(source), selfcheck_file.path_for(repo, session_id)):
        try:
            st = path.stat()
            out.append([st.st_ino, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append(None)
    return out


def _push(conn: Any, repo: SessionRepository, ledger: Ledger, report: SyncReport) -> None:
    changed = []
    texts: dict[str, str] = {}
    restamped = False
    stamps: dict[str, list[Any]] = {}
    for session_id in repo.session_ids():
        # taken before reading, so that an edit made while this sync reads shows next time
        stamps[session_id] = stamp = fingerprint(repo, session_id)
        if session_id in ledger.pushed and ledger.stamps.get(session_id) == stamp:
            continue
        try:
            payload, session = snapshot(repo, session_id)
        except (DamagedFileError, StorageError, bundles.selfcheck.SelfCheckError) as exc:
            report.pushed.append(Outcome(session_id, REFUSED, reason=_line(exc)))
            continue
        text = encode(payload)  # once: the digest's text is the event's JSON too (push_many)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()  # = bundles.digest(payload)
        texts[digest] = text
        if ledger.pushed.get(session_id) != digest:
            changed.append((session_id, payload, session, digest))
        elif ledger.stamps.get(session_id) != stamp:  # rewritten, same content (a merge that changed nothing)
            ledger.stamps[session_id] = stamp
            restamped = True
    if not changed:
        if restamped:
            ledger.save()
        return
    for attempt in range(3):
        outcomes, seq = _push_batch(conn, repo, ledger.device, ledger.next_seq, changed, texts)
        if outcomes is not None:
            break
        # our counter is behind the server's (a push committed, its record lost, then an edit):
        # move past everything the server holds of this device and push again
        row = conn.execute(f"SELECT max(seq) FROM {SCHEMA}.events WHERE device_id = %s", (ledger.device,)).fetchone()
        ledger.next_seq = max(ledger.next_seq, seq, int(row[0] or 0)) + 1
    else:
        raise CentralError("服务器上的事件编号与本机记录不符 (the server's event numbers do not match this laptop's record)",
                           exit_code=1)
    pause("push")
    for outcome, digest in outcomes:
        if outcome.kind == PUSHED:
            ledger.pushed[outcome.id] = digest
            ledger.stamps[outcome.id] = stamps[outcome.id]
    ledger.next_seq = seq
    ledger.save()  # after the COMMIT: a kill before this re-pushes the same events as replays
    report.pushed.extend(o for o, _ in outcomes)


def _push_batch(conn: Any, repo: SessionRepository, device: str, first: int,
                changed: list[tuple[str, dict[str, Any], Any, str]], texts: dict[str, str]) -> tuple[list[tuple[Outcome, str]] | None, int]:
    """Push the events in one transaction: (outcomes, next seq), or (None, seq) on an altered replay."""
    seq = first
    outcomes: list[tuple[Outcome, str]] = []
    try:
        return _push_all(conn, repo, device, seq, changed, outcomes, texts)
    except _Behind as behind:  # raised inside the transaction: all of it rolled back
        return None, behind.seq


class _Behind(Exception):
    def __init__(self, seq: int) -> None:
        self.seq = seq


def _push_all(conn: Any, repo: SessionRepository, device: str, seq: int,
              changed: list[tuple[str, dict[str, Any], Any, str]], outcomes: list[tuple[Outcome, str]],
              texts: dict[str, str]) -> tuple[list[tuple[Outcome, str]], int]:
    import psycopg

    known = fold.known(conn)
    with conn.transaction():
        for start in range(0, len(changed), BATCH):
            part = changed[start:start + BATCH]
            try:
                with conn.transaction():  # a savepoint: all of the batch, or (below) one by one
                    seq = _push_together(conn, repo, device, seq, part, known, outcomes, texts)
                continue
            except events.AlteredReplay:
                raise _Behind(seq) from None
            except (AttachmentError, StorageError, _Refused):
                pass
            except psycopg.Error as exc:
                if isinstance(exc, psycopg.OperationalError):
                    raise
            known.clear()
            known.update(fold.known(conn))  # the savepoint's rollback took what the batch added
            seq = _push_one_by_one(conn, repo, device, seq, part, known, outcomes)
    return outcomes, seq


BATCH = 200  # sessions per statement group: bounded parameters (a session's snapshot is tens of KB)


class _Refused(Exception):
    """A session of the batch is in a unit this role may not write: pushed one by one, so it is
    listed with the server's own refusal and the others go in."""


def _push_together(conn: Any, repo: SessionRepository, device: str, seq: int,
                   part: list[tuple[str, dict[str, Any], Any, str]], known: set[str],
                   outcomes: list[tuple[Outcome, str]], texts: dict[str, str]) -> int:
    """The batch in a handful of statements (fold.write, events.push_many): the fast path."""
    units = sorted({session.branch.unit for _, _, session, _ in part})
    writable = {r[0] for r in conn.execute(
        f"SELECT u FROM unnest(%s::text[]) u WHERE u IN (SELECT {SCHEMA}.units_to_write())"
        f" AND u IN (SELECT name FROM {SCHEMA}.units)", (units,))}
    if writable != set(units):
        raise _Refused()
    fold.write(conn, [(session, payload.get("selfcheck")) for _, payload, session, _ in part], known)
    for session_id, payload, session, _ in part:
        _attachments(conn, repo, session_id, payload)
    rows = [(seq + n, session_id, session.branch.unit, session.branch.name, KIND, texts[digest])
            for n, (session_id, _, session, digest) in enumerate(part)]
    events.push_many(conn, device, rows)
    outcomes.extend((Outcome(session_id, PUSHED, session.branch.name), digest) for session_id, _, session, digest in part)
    return seq + len(part)


def _push_one_by_one(conn: Any, repo: SessionRepository, device: str, seq: int,
                     part: list[tuple[str, dict[str, Any], Any, str]], known: set[str],
                     outcomes: list[tuple[Outcome, str]]) -> int:
    """Each session in a savepoint of its own: a refused one (RLS, an unknown unit, a missing
    file) is listed with its reason and the others go on."""
    import psycopg

    for session_id, payload, session, digest in part:
        branch = session.branch.name
        try:
            with conn.transaction():
                fold.write(conn, [(session, payload.get("selfcheck"))], known)
                _attachments(conn, repo, session_id, payload)
                events.push(conn, device, seq, session_id, session.branch.unit, branch, KIND, payload)
        except events.AlteredReplay:
            raise _Behind(seq) from None
        except (AttachmentError, StorageError) as exc:
            outcomes.append((Outcome(session_id, REFUSED, branch, _line(exc)), digest))
            continue
        except psycopg.Error as exc:
            if isinstance(exc, psycopg.OperationalError):
                raise
            outcomes.append((Outcome(session_id, REFUSED, branch, _line(exc)), digest))
            known.clear()
            known.update(fold.known(conn))
            continue
        outcomes.append((Outcome(session_id, PUSHED, branch), digest))
        seq += 1
    return seq


def _attachments(conn: Any, repo: SessionRepository, session_id: str, payload: dict[str, Any]) -> None:
    """The session's attachments on the server, linked to it (what RLS decides who may read an
    attachment by, 0002), after fold.write made the session's row; files the server can already show
    are not uploaded again."""
    docs = [d for d in payload["tables"].get("attachments", {}).values() if isinstance(d, dict)]
    if not docs:
        return
    wanted = sorted({str(d["sha256"]) for d in docs})
    have = {r[0] for r in conn.execute(f"SELECT sha256 FROM {SCHEMA}.attachments WHERE sha256 = ANY(%s)", (wanted,))}
    store = AttachmentStore.beside(repo.path(session_id))
    types = {str(d["sha256"]): str(d.get("type", "")) for d in docs}
    for sha in wanted:
        if sha not in have:
            content = store.read(sha)
            conn.execute(f"INSERT INTO {SCHEMA}.attachments (sha256, content, size, media_type)"
                         " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING", (sha, content, len(content), types[sha]))
    for d in docs:
        conn.execute(f"""INSERT INTO {SCHEMA}.session_attachments (session_id, item, sha256, name, updated_at, updated_by)
                         VALUES (%s, %s, %s, %s, now(), '') ON CONFLICT (session_id, item, sha256) DO NOTHING""",
                     (session_id, str(d["item"]), str(d["sha256"]), str(d.get("name", ""))))


def _pull(conn: Any, repo: SessionRepository, ledger: Ledger, report: SyncReport) -> None:
    import json
    rows = conn.execute(PULL, (ledger.device, json.dumps(ledger.seen))).fetchall()
    if not rows:
        return
    latest: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for unit, device, seq, session_id, payload in rows:
        latest[(session_id, device)] = (unit, payload)  # rows come in seq order: the last one wins
    seen = {unit: dict(by) for unit, by in ledger.seen.items()}
    for unit, device, seq, _, _ in rows:
        by = seen.setdefault(unit, {})
        by[device] = max(by.get(device, 0), seq)
    blocked: dict[tuple[str, str], int] = {}  # (unit, device) -> the lowest seq not taken: fetched again
    folders = FolderSync(workers=4)  # the sessions added: fsynced on threads, their folder once
    merged = [(key, unit, payload, *_merge_one(conn, repo, key[0], payload, folders))
              for key, (unit, payload) in sorted(latest.items())]
    made = folders.sync()  # every session added is durable now: before anything is reported or recorded
    for (session_id, device), unit, payload, outcome, written in merged:
        if written is not None and made.get(written[1]) is None:  # created here meanwhile: merged into
            outcome, written = _merge_one(conn, repo, session_id, payload, None)
        if outcome.kind in (ADDED, UNCHANGED):
            _known_to_server(repo, ledger, session_id, payload, written and (written[0], made.get(written[1])))
        if outcome.kind == REFUSED:
            first = min(n for _, d, n, sid, _ in rows if d == device and sid == session_id)
            blocked[(unit, device)] = min(blocked.get((unit, device), first), first)
        report.pulled.append(outcome)
    pause("pull")
    for (unit, device), first in blocked.items():
        seen[unit][device] = min(seen[unit][device], first - 1)
    ledger.seen = seen
    ledger.save()  # after every merge is durable: a kill before this merges the same events again


def _known_to_server(repo: SessionRepository, ledger: Ledger, session_id: str, payload: Any, written: Any = None) -> None:
    """A session that now holds exactly what was pulled needs no push back: the server has it
    (else every laptop would echo every session it received, and the others merge the echo).
    One this pull created, `written` (tables, [inode, size, mtime]), still that file, no journal,
    no self-assessment: its snapshot is what was written, not read back and checked again."""
    stamp = fingerprint(repo, session_id)
    if written is not None and stamp == [written[1], None, None]:
        mine: dict[str, Any] = {"tables": {k: v for k, v in written[0].items() if v or k == "meta"}}
    else:
        try:
            mine, _ = snapshot(repo, session_id)
        except (DamagedFileError, StorageError, bundles.selfcheck.SelfCheckError):
            return  # the push reports it
    digest = bundles.digest(mine)
    if (written is not None and copied(mine, payload)) or digest == bundles.digest(payload):
        ledger.pushed[session_id] = digest
        ledger.stamps[session_id] = stamp


def _merge_one(conn: Any, repo: SessionRepository, session_id: str, payload: Any, folders: FolderSync | None) -> tuple[Outcome, Any]:
    """Merge one pulled snapshot into the local session (added when none here), with what it wrote."""
    tables = payload.get("tables") if isinstance(payload, dict) else None
    problem = "not a session snapshot" if not isinstance(tables, dict) else check_tables(tables)
    if problem is None and (not SESSION_RE.match(session_id) or tables["meta"][str(META_ID)].get("id") != session_id):
        problem = "its data names another id"
    if problem:
        return Outcome(session_id, REFUSED, reason=problem), None
    selfchecks = {session_id: payload["selfcheck"]} if isinstance(payload.get("selfcheck"), dict) else {}
    try:
        files = _download(conn, repo, session_id, tables)
        event = bundles.Bundle(Path(f"<{session_id}>"), {"sessions": [{"id": session_id}]},
                               {session_id: tables}, selfchecks, files)
        done = importing.import_bundle(repo, event, folders).sessions[0]
    except (bundles.BundleError, StorageError) as exc:
        return Outcome(session_id, REFUSED, reason=_line(exc)), None
    kind = {bundles.ADDED: ADDED, bundles.MERGED: MERGED, bundles.UNCHANGED: UNCHANGED}.get(done.kind, REFUSED)
    return Outcome(session_id, kind, done.branch, done.reason, list(done.conflicts)), done.written


def _download(conn: Any, repo: SessionRepository, session_id: str, tables: dict[str, Any]) -> dict[str, bytes]:
    """The files a pulled session names that this laptop lacks, from the server (verified)."""
    store = AttachmentStore.beside(repo.path(session_id))
    missing = sorted(s for s in bundles.named_files(tables) if SHA_RE.match(s) and not store.has(s))
    if not missing:
        return {}
    rows = conn.execute(f"SELECT sha256, content FROM {SCHEMA}.attachments WHERE sha256 = ANY(%s)", (missing,)).fetchall()
    return {sha: bytes(content) for sha, content in rows if hashlib.sha256(bytes(content)).hexdigest() == sha}


def _line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


__all__ = ["sync", "snapshot", "fingerprint"]
