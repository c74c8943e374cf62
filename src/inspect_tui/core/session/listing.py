"""Listing the sessions folder fast: the index (index.json), a cache of every session's list entry,
checked against each file's size and mtime (and its journal's), re-reading only what changed; a
file that does not load is moved to quarantine and named, and the listing goes on.
SessionRepository (repository.py) carries these methods.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...store import DamagedFileError, DurableJSONStorage, StorageError, clean_temp_files
from ...store.journal import journal_path
from .model import SCHEMA_VERSION, Summary
from .file import SessionFile
from .checks import summary_problem
from ..errors import SessionError
from ..errors import FileProblems

INDEX_NAME = "index.json"


class Listing:
    """The listing half of SessionRepository (a mixin: it uses the folder, _scan and quarantine)."""

    def list(self) -> list[Summary]:
        """Every session, most recently changed first. Damaged files are quarantined on the way."""
        if self.folder.is_dir():
            clean_temp_files(self.folder)
            self.tighten_all()
        index = self._read_index()
        entries: dict[str, Any] = {}
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
            # A session with a journal is open (or its writer died): read it again each time, as
            # the journal is written in place (zero-filled ahead) its size and coarse mtime may
            # not change between two saves. Only open sessions pay for it.
            if cached and not journal and cached.get("key") == key and not _predates_open_points(cached["summary"]):
                entries[session_id] = cached
                continue
            try:
                summary = SessionFile.read_summary(self.path(session_id))
                if _predates_open_points(summary):
                    summary = self._fresh_summary(session_id)
            except (DamagedFileError, SessionError, StorageError, FileProblems) as exc:
                self.quarantine(session_id, one_line(exc))
                changed = True
                continue
            entries[session_id] = {"key": key, "summary": summary}
            changed = True
        if changed or set(entries) != set(index):
            self._write_index(entries)
        summaries = [Summary.from_json(entry["summary"]) for entry in entries.values()]
        # ties (two changes in one second) are broken by id, so the order is stable
        return sorted(summaries, key=lambda s: (s.updated, s.id), reverse=True)

    def _fresh_summary(self, session_id: str) -> dict[str, Any]:
        """The summary scored again from the file (read-only, the file left as it is)."""
        file = SessionFile(self.path(session_id), read_only=True)
        try:
            return file.load().summary().to_json()
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
