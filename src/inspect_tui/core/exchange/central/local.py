"""What a laptop keeps about its syncs: its device id (random, in the user config), the last sync's
time and result (for the home screen), and the sync's own durable record in the sessions folder
(`Ledger`: per server, what was pushed and acknowledged, what was last seen per unit and device).
The records of a sync's outcome (Outcome, SyncReport) are here too; the sync itself is sync.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import settings
from ....store import DurableJSONStorage
from ..merge import Conflict, ItemConflict

DEVICE_KEY = "device_id"
LAST_SYNC_KEY = "last_sync"
PAUSE_ENV = "INSPECT_TUI_SYNC_PAUSE"  # "push" or "pull": tests kill the sync at that point
KIND = "session"
PUSHED, PULLED, MERGED, UNCHANGED, REFUSED, ADDED = "pushed", "pulled", "merged", "unchanged", "refused", "added"

# "last seen" is kept per unit and device (the events_unit index): an inspector granted a unit later
# must still get that unit's old events, which a watermark per device alone would have passed


@dataclass
class Outcome:
    """What the sync did to one session: pushed, or pulled (added / merged / unchanged), or refused."""

    id: str
    kind: str
    branch: str = ""
    reason: str = ""
    conflicts: list[Conflict | ItemConflict] = field(default_factory=list)


@dataclass
class SyncReport:
    server: str
    device: str
    pushed: list[Outcome] = field(default_factory=list)
    pulled: list[Outcome] = field(default_factory=list)

    @property
    def conflicts(self) -> int:
        return sum(len(o.conflicts) for o in self.pulled)

    @property
    def refused(self) -> int:
        return sum(1 for o in self.pushed + self.pulled if o.kind == REFUSED)


def device_id() -> str:
    """This laptop's id on every server: made once, at random, and kept in the user config."""
    data = settings.load()
    value = data.get(DEVICE_KEY)
    if isinstance(value, str) and 8 <= len(value) <= 64:
        return value
    value = f"dev-{secrets.token_hex(12)}"
    data[DEVICE_KEY] = value
    settings.save(data)  # before the first push: an id the server knows must never change
    return value


def counts(report: SyncReport) -> dict[str, int]:
    """The sync's numbers, as the CLI's summary line, its --json and the home screen's line say them."""
    pulled = [o for o in report.pulled if o.kind != REFUSED]
    return {"pushed": sum(1 for o in report.pushed if o.kind == PUSHED),
            "pulled": len(pulled), "merged": sum(1 for o in pulled if o.kind == MERGED),
            "conflicts": report.conflicts, "refused": report.refused}


def remember(result: dict[str, Any], folder: Path | None = None) -> None:
    """The last sync's time and result, for the home screen: the server as messages name it
    (host:port/dbname, never a password), the counts or the one-line error, and the sessions folder
    synced (the home screen of another folder does not show it). Best effort: a convenience."""
    data = settings.load()
    where = {"folder": str(folder.resolve())} if folder is not None else {}
    data[LAST_SYNC_KEY] = {"time": dt.datetime.now().astimezone().isoformat(timespec="seconds"), **where, **result}
    try:
        settings.save(data)
    except OSError:
        pass


def last_sync(folder: Path) -> dict[str, Any] | None:
    """The last sync remembered for this sessions folder (one of another folder is not it)."""
    record = settings.load().get(LAST_SYNC_KEY)
    if not isinstance(record, dict) or not isinstance(record.get("time"), str):
        return None
    synced = record.get("folder")
    if isinstance(synced, str) and synced != str(folder.resolve()):
        return None
    return record


def conflict_sessions(report: SyncReport) -> list[str]:
    """The sessions a pull merged with conflicts: `inspect-tui log ID` shows both values."""
    return [o.id for o in report.pulled if o.conflicts]


def changed_locally(report: SyncReport) -> bool:
    """Did the pull add or merge a session here (the home screen's list to be read again)?"""
    return any(o.kind in (ADDED, MERGED) for o in report.pulled)


# -- the local record ----------------------------------------------------------------------------


class Ledger:
    """What this folder has pushed to and pulled from one server, as this device."""

    def __init__(self, folder: Path, where: str, device: str) -> None:
        key = hashlib.sha256(f"{where}\n{device}".encode()).hexdigest()[:16]
        self.path = folder / f".sync-{key}.json"
        data = DurableJSONStorage(self.path, read_only=True).read() if self.path.exists() else None
        data = (data or {}).get("ledger", {}).get("1", {})  # a TinyDB-shaped file: {table: {id: doc}}
        self.next_seq = int(data.get("next_seq", 1))
        self.pushed: dict[str, str] = dict(data.get("pushed", {}))  # session id -> payload sha256
        # unit -> device -> the highest seq merged
        self.seen: dict[str, dict[str, int]] = {u: {d: int(n) for d, n in by.items()}
                                                 for u, by in data.get("seen", {}).items()}
        # session id -> its files' stat when last pushed: an unchanged session is not even read
        self.stamps: dict[str, list[Any]] = dict(data.get("stamps", {}))
        self.server, self.device = where, device

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        DurableJSONStorage(self.path).write({"ledger": {"1": {
            "server": self.server, "device": self.device, "next_seq": self.next_seq,
            "pushed": self.pushed, "seen": self.seen, "stamps": self.stamps}}})


def pause(stage: str) -> None:
    """A test hook: stop here (after the server's commit, before the local record) to be killed."""
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"sync: paused after {stage}", flush=True)
        time.sleep(600)


def copied(mine: dict[str, Any], payload: Any) -> bool:
    """Whether `mine` (a snapshot whose tables the pull wrote from `payload`'s: each a shallow copy,
    the same documents) holds what `payload` holds — the same tables, the same documents, the meta
    the same JSON — so their digests are equal without hashing `payload` too. False: compare them."""
    from ....store.durable import encode

    theirs = payload.get("tables") if isinstance(payload, dict) and set(payload) == {"tables"} else None
    if not isinstance(theirs, dict) or set(theirs) != set(mine["tables"]):
        return False
    for name, docs in mine["tables"].items():
        other = theirs[name]
        if name == "meta":
            if not isinstance(other, dict) or encode(docs) != encode(other):
                return False
        elif not isinstance(other, dict) or docs.keys() != other.keys() or any(docs[k] is not other[k] for k in docs):
            return False
    return True
