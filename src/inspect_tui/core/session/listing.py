"""Listing the sessions folder fast: the index (index.json), a cache of every session's list entry,
checked against each file's size and mtime (and its journal's), re-reading only what changed; a
file that does not load is moved to quarantine and named, and the listing goes on.
SessionRepository (repository.py) carries these methods.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...quick_dataclass import dataclass
from ...store import DamagedFileError, DurableJSONStorage, StorageError, clean_temp_files
from ...store.journal import journal_path
from .model import SCHEMA_VERSION, Summary
from .file import SessionFile
from .checks import summary_problem
from .rect_digest import Row
from ..errors import SessionError
from ..errors import FileProblems

INDEX_NAME = "index.json"


@dataclass(frozen=True)
class Listed:
    """One session of the list: its row (Summary) and its rectifications (逾期 read from them)."""

    summary: Summary
    rectifications: tuple[Row, ...] = ()


class Listing:
    """The listing half of SessionRepository (a mixin: it uses the folder, _scan and quarantine)."""

    def list(self) -> list[Summary]:
        """Every session, most recently changed first. Damaged files are quarantined on the way."""
        return [listed.summary for listed in self.listed()]

    def listed(self) -> list[Listed]:
        """Every session with its rectifications (rect_digest.py), most recently changed first.
        Damaged files are quarantined on the way."""
        if self.folder.is_dir():
            clean_temp_files(self.folder)
            self.tighten_all()
        index = self._read_index()
        entries: dict[str, Any] = {}
        rows: dict[str, tuple[Row, ...]] = {}
        changed = False
        listing = self._scan()  # one pass over the folder: names and the stats the keys need
        for session_id in sorted(listing["sessions"]):
            try:
                stat = listing["sessions"][session_id].stat()
            except FileNotFoundError:
                continue
            journal = _journal_key(self.path(session_id)) if session_id in listing["journals"] else []
            key = [stat.st_mtime_ns, stat.st_size, *journal]
            cached = index.get(session_id)
            if not (isinstance(cached, dict) and isinstance(cached.get("summary"), dict)
                    and summary_problem(cached["summary"]) is None):
                cached = None  # the index is a cache: an entry edited or damaged is read again
            cached_rows = _cached_rows(cached)
            # A session with a journal is open (or its writer died): read it again each time, as
            # the journal is written in place (zero-filled ahead) its size and coarse mtime may
            # not change between two saves. Only open sessions pay for it.
            if cached and cached_rows is not None and not journal and cached.get("key") == key \
                    and not _predates_open_points(cached["summary"]):
                entries[session_id], rows[session_id] = cached, cached_rows
                continue
            try:
                summary, found = SessionFile.read_listed(self.path(session_id))
                if _predates_open_points(summary) or found is None:
                    summary, found = self._fresh(session_id, summary)
            except (DamagedFileError, SessionError, StorageError, FileProblems) as exc:
                self.quarantine(session_id, one_line(exc))
                changed = True
                continue
            entries[session_id] = {"key": key, "summary": summary}
            if found is not None:  # else (its tables do not load) it is tried again next time
                entries[session_id]["rectifications"] = [r.to_json() for r in found]
            rows[session_id] = tuple(found or ())
            changed = True
        if changed or set(entries) != set(index):
            self._write_index(entries)
        listed = [Listed(Summary.from_json(entry["summary"]), rows[i]) for i, entry in entries.items()]
        # ties (two changes in one second) are broken by id, so the order is stable
        return sorted(listed, key=lambda x: (x.summary.updated, x.summary.id), reverse=True)

    def _fresh(self, session_id: str, summary: dict[str, Any]) -> "tuple[dict[str, Any], list[Row] | None]":
        """The summary (when it predates the open points) and the rectifications scored again from
        the file (read-only, the file left as it is). Rows None when its tables do not load and its
        stored summary will do: it is listed as before, and opening it says what is wrong."""
        from .rect_digest import rows_of
        from .rectification import derive

        file = SessionFile(self.path(session_id), read_only=True)
        try:
            try:
                session = file.load()
            except (DamagedFileError, FileProblems):
                if _predates_open_points(summary):
                    raise
                return summary, None
            result = session.score()
            if _predates_open_points(summary):
                summary = session.summary(result).to_json()
            return summary, rows_of(derive(session, result))
        finally:
            file.close()

    def _read_index(self) -> dict[str, Any]:
        path = self.folder / INDEX_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") == SCHEMA_VERSION and isinstance(data.get("sessions"), dict):
                return data["sessions"]
        except (OSError, ValueError, AttributeError):
            pass  # missing or damaged: the index is only a cache, rebuild it
        return {}

    def _write_index(self, entries: dict[str, Any]) -> None:
        try:
            DurableJSONStorage(self.folder / INDEX_NAME).write({"schema": SCHEMA_VERSION, "sessions": entries})
        except StorageError:
            pass  # a cache we could not write costs a slower next listing, nothing more

    # -- re-inspect, delete, restore ------------------------------------------------------------


def _cached_rows(cached: Any) -> "tuple[Row, ...] | None":
    """An index entry's rectifications, or None (absent — an older build wrote the entry — or odd)."""
    raw = cached.get("rectifications") if isinstance(cached, dict) else None
    if not isinstance(raw, list):
        return None
    rows = tuple(Row.from_json(r) for r in raw)
    return None if any(r is None for r in rows) else rows  # type: ignore[return-value]


def _journal_key(path: Path) -> list[int]:
    """The journal's part of a listed session's cache key: a save changes only the journal."""
    try:
        stat = journal_path(path).stat()
    except OSError:
        return []
    return [stat.st_mtime_ns, stat.st_size]


def _predates_open_points(summary: dict[str, Any]) -> bool:
    """A summary of an unfinished session written before the points still open were kept: the
    list would show 暂定 without saying how much is open, so it is scored again once."""
    return "open_points" not in summary and summary.get("answered", 0) < summary.get("leaves", 0)


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
