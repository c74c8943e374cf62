"""Pushing events to the central store: the statements the sync client uses, kept here with the schema
they depend on.

An event is keyed by (device_id, seq): the same event pushed again (a retry after a lost
acknowledgement, a killed sync) is skipped by ON CONFLICT DO NOTHING; an ALTERED event under a key
already used is refused by the server (a trigger, 0002_security.sql, raises unique_violation) — a
laptop whose log diverged from what it pushed is told so, never silently ignored. No conflict target
is named on purpose: naming one makes PostgreSQL check the new row against the SELECT policies too,
and a branch account, which may push self-checks, may read no event.
The server stamps hash, author, role and arrival time itself (0001_init.sql), and row-level
security decides whether this author may write this unit at all (0002_security.sql).
"""

from __future__ import annotations

import json
from typing import Any

from . import SCHEMA
from .connection import CentralError

PUSH = (f"INSERT INTO {SCHEMA}.events (device_id, seq, session_id, unit, branch, kind, payload)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb)"
        " ON CONFLICT DO NOTHING")

# many events in one statement (the sync's push): the policies and triggers are the same per row
PUSH_MANY = (f"INSERT INTO {SCHEMA}.events (device_id, seq, session_id, unit, branch, kind, payload)"
             " SELECT %s, seq, session_id, unit, branch, kind, payload FROM jsonb_to_recordset(%s::jsonb)"
             " AS r(seq bigint, session_id text, unit text, branch text, kind text, payload jsonb)"
             " ON CONFLICT DO NOTHING")

REGISTER = f"INSERT INTO {SCHEMA}.devices (id, label) VALUES (%s, %s) ON CONFLICT DO NOTHING"


class AlteredReplay(CentralError):
    """The server already holds another event under this (device, seq)."""


def register_device(conn: Any, device_id: str, label: str = "") -> None:
    """Make this laptop known (once; again is a no-op). Who registered it is the server's stamp."""
    conn.execute(REGISTER, (device_id, label))


def push(conn: Any, device_id: str, seq: int, session_id: str, unit: str, branch: str, kind: str,
         payload: Any) -> bool:
    """Push one event: True if the server stored it, False if it already had exactly this one."""
    from psycopg import errors

    try:
        cur = conn.execute(PUSH, (device_id, seq, session_id, unit, branch, kind,
                                  json.dumps(payload, ensure_ascii=False, sort_keys=True)))
    except errors.UniqueViolation:
        raise AlteredReplay(
            f"服务器已有设备 {device_id} 的第 {seq} 条事件,内容不同;拒绝覆盖 "
            f"(the server already holds a different event {seq} of device {device_id}: refused)") from None
    return cur.rowcount == 1


def push_many(conn: Any, device_id: str, rows: list[tuple[int, str, str, str, str, str]]) -> int:
    """Push (seq, session id, unit, branch, kind, payload as JSON text) events of one device in one
    statement: how many the server stored (the others it already had, exactly). AlteredReplay as
    `push`. The payloads arrive as JSON text (the sync encoded each once, for its digest, with
    store.durable.encode: an object) and are spliced into the array as they are."""
    from psycopg import errors

    parts = []
    for seq, sid, unit, branch, kind, payload in rows:
        head = json.dumps({"seq": seq, "session_id": sid, "unit": unit, "branch": branch, "kind": kind},
                          ensure_ascii=False)
        parts.append(f'{head[:-1]}, "payload": {payload}}}')
    try:
        cur = conn.execute(PUSH_MANY, (device_id, "[" + ",".join(parts) + "]"))
    except errors.UniqueViolation:
        raise AlteredReplay(
            f"服务器已有设备 {device_id} 的事件,内容不同;拒绝覆盖 "
            f"(the server already holds different events of device {device_id}: refused)") from None
    return cur.rowcount
