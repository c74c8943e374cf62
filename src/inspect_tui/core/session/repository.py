"""The session repository: every session in its own durable TinyDB file, one writer each.

    sessions/
      3f9a2c1b7d4e.json   one session (TinyDB: meta, facts, answers, audit), mode 0600
      3f9a2c1b7d4e.journal  its saves since the last checkpoint, one line each (store/journal.py)
      3f9a2c1b7d4e.lock   while someone has it open for writing
      index.json          a cache of the list; rebuilt from the session files whenever in doubt
      quarantine/         session files that did not load, moved aside, never deleted
      trash/              deleted sessions, recoverable with `restore`

A save touches only its own session's file, so it costs the same with 10 or 10,000 sessions. The
index is never written on a save: listing compares each file's size and mtime with the index and
re-reads only what changed (a session's size and mtime; a session with a journal is always re-read).

Whatever reads a session reads the file with its journal replayed (`read_state`, `SessionFile`);
whatever moves one (trash, restore, quarantine) moves the journal with it, or folds it first.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import time
from dataclasses import asdict
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

from ...store import (
    DamagedFileError, DurableJSONStorage, LockedError, LockInfo, SessionLock, StorageError,
    clean_temp_files,
)
from ...store.durable import os_reason
from ...store.journal import JOURNAL_SUFFIX, fold, journal_path
from .answers import Answer, AnswersFile, answer_from_data, answer_to_data, fact_to_json, parse_fact_value
from ..checklist.model import Checklist, State
from ..text import TextError, check as check_text
from .model import (
    FINISHED, IN_PROGRESS, SCHEMA_VERSION, Branch, Position, Session, Summary, frozen_checklist,
)
from ..analysis.item_results import Result
from ..analysis.rescore import Rescorer
from .file import AMENDS, ANSWER_FIELDS, Change, SessionFile, audit_entry, summary_problem
from ..errors import SessionError
from ..problems import FileProblems
from . import rectification as rect
from ...texts import Line, Message

TYPING_PAUSE = 1.0  # seconds without a keystroke that end a typing burst (one audit entry each)
SESSION_RE = re.compile(r"^[0-9a-f]{12}$")
OWN_FILE_RE = re.compile(r"^\.?[0-9a-f]{12}\.")  # a session's file, lock, journal, companion or temp file
COMPANIONS = (".selfcheck.json", ".files")  # files (and the attachments folder) that belong to a session and travel with it
INDEX_NAME = "index.json"
LOCK_WAIT = 2.0  # seconds a writer waits for a lock held during another writer's save

# Every file and folder whose permissions this process tightened (a `cp -r` copy is 0755/0644):
# the CLI prints one line for all of them when it ends, the app one notification (and empties it).
tightened_this_run: list[Path] = []


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def default_inspector() -> str:
    """The inspector's name: $INSPECT_TUI_INSPECTOR, else the login name."""
    if os.environ.get("INSPECT_TUI_INSPECTOR", "").strip():
        return os.environ["INSPECT_TUI_INSPECTOR"].strip()
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user database entry (containers); a name is only a label here
        return "inspector"


class SessionRepository:
    """Create, list, open, re-inspect, delete and restore sessions in one folder."""

    def __init__(self, folder: str | os.PathLike[str], clock: Callable[[], str] = now) -> None:
        self.folder = Path(folder)
        self.clock = clock
        self.problems: list[str] = []  # one line per session file quarantined by this repository
        self._tightened_all = False
        self.tightened: list[Path] = []  # made owner-only by this repository (see `tighten`)
        for place in (self.folder, *self.folder.parents):  # the folder, or where it will be made
            if place.exists():
                if not place.is_dir():
                    raise SessionError("err.session.folder_is_file", place=str(place))
                break

    def make_folder(self) -> None:
        """Create the sessions folder (owner-only); a folder that cannot be written is one line."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(self.folder, f"cannot create the sessions folder ({os_reason(exc)})", errno=exc.errno) from None

    # -- paths ----------------------------------------------------------------------------

    def path(self, session_id: str) -> Path:
        return self.folder / f"{session_id}.json"

    def lock_path(self, session_id: str) -> Path:
        return self.folder / f"{session_id}.lock"

    @property
    def quarantine_dir(self) -> Path:
        return self.folder / "quarantine"

    @property
    def trash_dir(self) -> Path:
        return self.folder / "trash"

    def _scan(self) -> dict[str, Any]:
        """The folder's session files (id → DirEntry) and the ids that have a journal."""
        sessions: dict[str, os.DirEntry[str]] = {}
        journals: set[str] = set()
        try:
            with os.scandir(self.folder) as found:
                for entry in found:
                    stem, _, suffix = entry.name.partition(".")
                    if not SESSION_RE.match(stem):
                        continue
                    if suffix == "json":
                        sessions[stem] = entry
                    elif suffix == JOURNAL_SUFFIX.lstrip("."):
                        journals.add(stem)
        except OSError:
            pass
        return {"sessions": sessions, "journals": journals}

    def session_ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json") if SESSION_RE.match(p.stem))

    # -- create -----------------------------------------------------------------------------

    def create(
        self,
        checklist: Checklist,
        branch: str,
        unit: str = "",
        inspectors: Iterable[str] = (),
        date: dt.date | None = None,
        place: str = "",
        previous: str = "",
        facts: dict[str, Any] | None = None,
    ) -> "OpenSession":
        """A new session with a frozen copy of `checklist`, saved durably and opened for writing."""
        if not branch.strip():
            raise SessionError("err.session.no_branch")
        for label, value in (("branch", branch), ("unit", unit), ("place", place), *(
                ("inspector", name) for name in inspectors)):
            try:
                check_text(value, "name")
            except TextError as exc:
                raise SessionError("err.session.bad_field", field=Message(f"err.field.{label}"), reason=exc) from None
        if checklist.path is None or not checklist.path.exists():
            raise SessionError("err.session.no_checklist_file", id=checklist.id)
        source = checklist.path.read_text(encoding="utf-8-sig")
        self.make_folder()
        session_id = self._new_id()
        stamp = self.clock()
        names = [name.strip() for name in inspectors if name.strip()]
        session = Session(
            id=session_id,
            branch=Branch(branch.strip(), unit.strip()),
            inspectors=names,
            date=date or dt.date.today(),
            place=place.strip(),
            checklist_source=source,
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            facts=dict(facts or {}),
            created=stamp,
            updated=stamp,
            previous=previous,
        )
        frozen_checklist(source, checklist.id)  # the frozen copy must parse, or nothing is created
        lock = SessionLock.acquire(self.lock_path(session_id), owner=names[0] if names else None)
        file = SessionFile(self.path(session_id))
        try:
            file.create(session, names[0] if names else default_inspector())
        except StorageError:
            lock.release()
            file.close()
            raise
        return OpenSession(self, session, file, lock, None)

    def _new_id(self) -> str:
        while True:
            import secrets

            candidate = secrets.token_hex(6)
            if not self.path(candidate).exists():
                return candidate

    # -- find and open ------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """A session id from the id itself or an unambiguous prefix of it."""
        name = name.strip().lower()
        if SESSION_RE.match(name) and self.path(name).is_file():
            return name  # a whole id: no need to list the folder (exporting 1,000 would list it 1,000 times)
        ids = self.session_ids()
        if name in ids:
            return name
        matches = [i for i in ids if i.startswith(name)] if name else []
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise SessionError("err.session.no_such", name=name, folder=str(self.folder))
        raise SessionError("err.session.ambiguous", name=name, matches=", ".join(matches[:5]))

    def open(self, name: str, write: bool = True, owner: str | None = None) -> "OpenSession":
        """Open a session; a second writer waits a moment for a save to end (LOCK_WAIT), then
        gets it read-only, told who holds it — or, for a lock file that cannot be used, why and
        what to do (`lock_problem`)."""
        session_id = self.resolve(name)
        self.tighten(self._files_of(session_id))
        clean_temp_files(self.folder)  # litter of a save or lock interrupted by a kill
        lock: SessionLock | None = None
        holder: LockInfo | None = None
        problem = ""
        if write:
            try:
                lock = SessionLock.acquire(self.lock_path(session_id), owner=owner, wait=LOCK_WAIT)
            except LockedError as exc:
                holder = exc.info
                problem = exc.bilingual() if exc.info is None else ""
        file = SessionFile(self.path(session_id), read_only=lock is None)
        try:
            session = file.load()
        except (DamagedFileError, FileProblems, SessionError) as exc:
            file.close()
            if lock is not None:
                lock.release()
            raise SessionError("err.line", line=self.quarantine(session_id, _one_line(exc))) from None
        opened = OpenSession(self, session, file, lock, holder)
        opened.lock_problem = problem
        return opened

    # -- permissions ------------------------------------------------------------------------------

    def _files_of(self, session_id: str) -> list[Path]:
        """The folder and every file of one session (its file, lock, journal, self-check …)."""
        try:
            names = [e.name for e in os.scandir(self.folder) if e.name.startswith((session_id, f".{session_id}"))]
        except OSError:
            names = []
        return [self.folder, *(self.folder / n for n in names)]

    def tighten_all(self) -> list[Path]:
        """`tighten` every file of ours: sessions and their locks, journals, companions and temp
        files, the index, quarantine/ and trash/ with what is in them — and the folder itself once
        it holds any of them. Nothing else: `--sessions` pointed at the wrong folder must not
        change the modes of someone else's files. Once per repository: a folder is copied with
        `cp -r` once, not between two refreshes of the list (`open` still tightens what it opens)."""
        if self._tightened_all:
            return []
        self._tightened_all = True
        ours: list[Path] = []
        for folder in (self.folder, self.quarantine_dir, self.trash_dir):
            try:
                names = [e.name for e in os.scandir(folder)]
            except OSError:
                continue
            ours += [folder / n for n in names if OWN_FILE_RE.match(n) or n == INDEX_NAME]
            if folder != self.folder and folder.is_dir():
                ours.append(folder)
        return self.tighten([self.folder, *ours] if ours else [])

    def tighten(self, places: Iterable[Path]) -> list[Path]:
        """Make folders 0700 and files 0600 (owner only: a session names people and what their
        branch failed). Links are left alone (chmod would follow them); what cannot be changed
        (not ours) is left as it is. Returns what was changed, also kept in tightened_this_run."""
        changed = []
        for place in places:
            try:
                st = os.lstat(place)
                if (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)) and st.st_mode & 0o077:
                    os.chmod(place, stat.S_IMODE(st.st_mode) & 0o700, follow_symlinks=False)
                    changed.append(place)
            except (OSError, NotImplementedError):
                continue  # gone meanwhile, not ours, or a platform without such modes
        self.tightened.extend(changed)
        tightened_this_run.extend(p for p in changed if p not in tightened_this_run)
        return changed

    # -- damage ---------------------------------------------------------------------------------

    def quarantine(self, session_id: str, reason: str) -> str:
        """Move a session file that does not load aside; returns the one line that says so."""
        source = self.path(session_id)
        self.quarantine_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.quarantine_dir / f"{session_id}.json.{stamp}"
        try:
            os.replace(source, target)
            if journal_path(source).exists():  # the journal may hold edits, or be the damage
                os.replace(journal_path(source), self.quarantine_dir / f"{session_id}.journal.{stamp}")
        except OSError as exc:
            line = f"{source}: {reason} (could not move it aside: {exc.strerror})"
        else:
            line = f"{source}: {reason} — moved to {target}"
        self.problems.append(line)
        return line

    # -- list ---------------------------------------------------------------------------------

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
                self.quarantine(session_id, _one_line(exc))
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

    def reinspect(self, name: str, checklist: Checklist, inspectors: Iterable[str] = (), date: dt.date | None = None) -> "OpenSession":
        """A new session for the same branch. It starts with no facts: last time's stay in the
        session it follows (`OpenSession.previous_facts`) until the inspector confirms them, since a
        fact copied unseen would score today's inspection on last time's findings."""
        old = self.open(name, write=False)
        try:
            source = old.session
            return self.create(
                checklist, source.branch.name, source.branch.unit,
                list(inspectors) or source.inspectors, date, source.place, previous=source.id,
            )
        finally:
            old.close()

    def delete(self, name: str) -> Path:
        """Move a session to the trash (refused while someone has it open)."""
        session_id = self.resolve(name)
        lock = SessionLock.acquire(self.lock_path(session_id))
        try:
            self.trash_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            target = self.trash_dir / f"{session_id}.json"
            # One file moves atomically, a file and its journal do not: fold the journal first
            # (a writer killed before its close left one), so the trash holds one whole file.
            try:
                fold(self.path(session_id))
            except DamagedFileError:  # not ours to repair here: both go, restore brings both back
                os.replace(journal_path(self.path(session_id)), self.trash_dir / f"{session_id}.journal")
            os.replace(self.path(session_id), target)
            for suffix in COMPANIONS:  # the self-assessment goes with its session
                companion = self.folder / f"{session_id}{suffix}"
                if companion.exists():
                    os.replace(companion, self.trash_dir / companion.name)
            return target
        finally:
            lock.release()

    def trashed(self) -> list[str]:
        if not self.trash_dir.is_dir():
            return []
        return sorted(p.stem for p in self.trash_dir.glob("*.json") if SESSION_RE.match(p.stem))

    def restore(self, session_id: str) -> str:
        source = self.trash_dir / f"{session_id}.json"
        if not source.exists():
            raise SessionError("err.session.not_in_trash", id=session_id)
        if self.path(session_id).exists():
            raise SessionError("err.session.id_exists", id=session_id)
        import shutil

        shutil.move(str(source), self.path(session_id))
        for suffix in (*COMPANIONS, ".journal"):  # a journal in the trash (put there by hand) too
            companion = self.trash_dir / f"{session_id}{suffix}"
            if companion.exists():
                shutil.move(str(companion), self.folder / companion.name)
        return session_id


class OpenSession:
    """A session open in this process.

    Each edit is checked, applied to the in-memory `session` and turned into a `Change` (plain
    data), which `writer` makes durable. By default the writer is the session file's `commit`,
    so the change is on disk when the call returns; the app swaps in a background writer so a
    keystroke never waits for the disk.
    """

    def __init__(self, repo: SessionRepository, session: Session, file: SessionFile,
                 lock: SessionLock | None, holder: LockInfo | None) -> None:
        self.repo = repo
        self.session = session
        self.file = file
        self.lock = lock
        self.holder = holder  # who has it, when we could only open it read-only
        self.lock_problem = ""  # why not, when no one holds it but its lock file cannot be used
        self.writer: Callable[[Change], None] = file.commit
        self.result: Result = session.score()  # kept current by every edit (see _meta)
        self._rescore = Rescorer()
        self._collecting: Change | None = None
        self.ticks: Callable[[], float] = time.monotonic  # measures typing pauses
        self._burst: _Burst | None = None
        self._previous_facts: dict[str, Any] | None = None  # read once, when first asked for

    @property
    def read_only(self) -> bool:
        return self.lock is None

    @property
    def checklist(self) -> Checklist:
        return self.session.checklist

    @property
    def dirty(self) -> bool:
        """A change is in memory that the disk refused; `retry()` writes it."""
        return self.file.dirty

    def _check_writable(self, editing: bool = True) -> None:
        if self.lock is None:
            if self.lock_problem:
                raise SessionError("err.session.read_only_because", id=self.session.id, why=Line(self.lock_problem))
            who = self.holder.describe() if self.holder else ""
            raise SessionError("err.session.read_only_by", id=self.session.id, who=who) if who else SessionError("err.session.read_only", id=self.session.id)
        if editing and self.session.finished:
            raise SessionError("err.session.finished", id=self.session.id)

    def _meta(self) -> dict[str, Any]:
        """The session's meta record after an edit. The score it needs is kept as `result`, so the
        interface redraws from it instead of scoring the same session a second time. Rescored
        incrementally: an answer redoes its item and the item's ancestors only (scoring.Rescorer)."""
        session = self.session
        self.result = self._rescore(session.checklist, session.facts, session.answers, session.date)
        return SessionFile.meta(self.session, self.result)

    def typing_continues(self, item_id: str) -> bool:
        """Would a note typed into `item_id` now belong to the burst already open (no new undo
        step, no new audit entry)?"""
        burst = self._burst
        return burst is not None and burst.item == item_id and self.ticks() - burst.last < TYPING_PAUSE

    def _write(self, change: Change, keeps_burst: bool = False) -> None:
        if not keeps_burst:
            self._burst = None  # any other edit ends a typing burst
        if self._collecting is not None:
            self._collecting.merge(change)
        else:
            self.writer(change)

    def set_answer(self, item_id: str, inspector: str, typing: bool = False, **changes: Any) -> Answer:
        """Change one item's answer (state, count, note, evidence, override) and save it.

        `typing`: the note is being typed; it is saved now like any edit, but saves of one burst
        (the same item, each less than `TYPING_PAUSE` after the one before, nothing else edited
        in between) make one audit entry, from the text before the burst to the latest text.
        """
        self._check_writable()
        old = self.session.answers.get(item_id, Answer())
        data = answer_to_data(old)
        for key, value in changes.items():
            if key == "override" and value is not None and not isinstance(value, dict):
                value = {"points": fact_to_json(value.points), "reason": value.reason}
            if key == "state" and isinstance(value, State):
                value = value.value
            if key == "evidence" and value is not None:
                value = list(value)
            data[key] = value
        data = {k: v for k, v in data.items() if v not in (None, "", [])}
        data.pop("changed_at", None)
        item = self.checklist.item(item_id) if self.checklist.has_item(item_id) else None
        if changes.get("override") is not None and item is not None and not item.computed:
            data["state"] = State.FAIL.value  # a manual deduction is a finding: the item fails
        try:
            new = answer_from_data(self.checklist, item_id, data)
        except ValueError as exc:
            raise SessionError("err.about", name=item_id, reason=exc) from None
        before = answer_to_data(old)
        after = answer_to_data(new)
        before.pop("changed_at", None)
        if before == after:
            return old  # nothing changed: nothing to save or record
        stamp = self.repo.clock()
        new = new.with_(changed_at=stamp)
        if new.is_empty():
            self.session.answers.pop(item_id, None)
        else:
            self.session.answers[item_id] = new
        self.session.updated = stamp
        audit = [
            audit_entry(inspector, stamp, f"answer:{item_id}.{key}", before.get(key), after.get(key))
            for key in ANSWER_FIELDS
            if before.get(key) != after.get(key)
        ]
        if typing and [e["field"] for e in audit] == [f"answer:{item_id}.note"]:
            audit = [self._typed(item_id, audit[0], before.get("note"))]
        else:
            typing = False
        doc = None if new.is_empty() else answer_to_data(new)
        self._write(Change(answers={item_id: doc}, audit=audit, meta=self._meta()), keeps_burst=typing)
        return new

    def _typed(self, item_id: str, entry: dict[str, Any], old_note: Any) -> dict[str, Any]:
        """The audit entry of a typed note, opening a burst or amending the open one."""
        now = self.ticks()
        if not self.typing_continues(item_id):
            self._burst = _Burst(item_id, f"{item_id}@{now!r}", old_note, now)
        burst = self._burst
        assert burst is not None
        burst.last = now
        return {**entry, "old": burst.old, AMENDS: burst.key}

    def set_fact(self, fact_id: str, raw: Any, inspector: str) -> Any:
        """Enter one of the branch's facts (typed by the checklist) and save it."""
        self._check_writable()
        try:
            fact = self.checklist.fact(fact_id)
        except KeyError:
            known = ", ".join(self.checklist.fact_ids)
            raise SessionError("err.session.no_such_fact", id=fact_id, known=known) from None
        try:
            value = parse_fact_value(fact, raw)
        except ValueError as exc:
            raise SessionError("err.about", name=fact_id, reason=exc) from None
        old = self.session.facts.get(fact_id)
        if fact_to_json(old) == fact_to_json(value):
            return value
        stamp = self.repo.clock()
        if value is None:
            self.session.facts.pop(fact_id, None)
        else:
            self.session.facts[fact_id] = value
        self.session.updated = stamp
        entry = audit_entry(inspector, stamp, f"fact:{fact_id}", fact_to_json(old), fact_to_json(value))
        self._write(Change(facts={fact_id: fact_to_json(value)}, audit=[entry], meta=self._meta()))
        return value

    def previous_facts(self) -> dict[str, Any]:
        """Last time's facts (上次) of a re-inspection, typed by this checklist; only those it
        still asks for and whose value still fits. {} when there is no earlier inspection, or it
        cannot be read."""
        if self._previous_facts is None:
            found: dict[str, Any] = {}
            if self.session.previous:
                try:
                    earlier = self.repo.open(self.session.previous, write=False)
                except SessionError:
                    earlier = None
                if earlier is not None:
                    try:
                        for fact in self.checklist.facts:
                            if fact.id in earlier.session.facts:
                                try:
                                    found[fact.id] = parse_fact_value(fact, fact_to_json(earlier.session.facts[fact.id]))
                                except ValueError:
                                    continue  # the fact's type or bounds changed with the version
                    finally:
                        earlier.close()
            self._previous_facts = found
        return dict(self._previous_facts)

    def confirm_previous(self, inspector: str, fact_ids: Iterable[str] = ()) -> list[str]:
        """Enter last time's value of each fact named (all not yet entered today when none are
        named), audited like any fact edit, in one save. Returns the facts entered."""
        self._check_writable()
        previous = self.previous_facts()
        wanted = list(fact_ids) or [f for f in previous if f not in self.session.facts]
        missing = [f for f in wanted if f not in previous]
        if missing:
            raise SessionError("err.session.no_previous_value", ids=", ".join(missing))
        if not wanted:
            return []
        with self._one_save():
            for fact_id in wanted:
                self.set_fact(fact_id, fact_to_json(previous[fact_id]), inspector)
        return wanted

    def set_position(self, item: str, filter: str = "all") -> None:
        """Remember where the inspector is; not an edit, so no audit entry and allowed when finished."""
        self._check_writable(editing=False)
        position = Position(item, filter)
        if position != self.session.position:
            self.session.position = position
            # The cursor moving is not an edit: no rescoring, and an open typing burst goes on.
            self._write(Change(meta=SessionFile.meta(self.session, self.result)), keeps_burst=True)

    def finish(self, inspector: str, force: bool = False, notice_days: int | None = None,
               notice_date: str | None = None, issuer: str | None = None) -> None:
        """Mark the session finished; the notice's period, date and issuer may be set with it,
        in the same save."""
        self._check_writable()
        result = self.result
        if result.counts["unanswered"] and not force:
            raise SessionError("err.session.unanswered", count=result.counts["unanswered"])
        with self._one_save():
            self.set_notice(inspector, notice_days, notice_date, issuer)
            self._set_status(FINISHED, inspector)

    # -- rectifications (整改): editable after finishing, as the notice is issued then ----------

    def rectifications(self) -> tuple[rect.Rectification, ...]:
        return rect.derive(self.session, self.result)

    def set_notice(self, inspector: str, days: int | None = None, date: str | None = None,
                   issuer: str | None = None) -> None:
        """The notice's period (days), its date ("" = the inspection date) and its issuer, each
        change audited as a field of its own (`notice_days`, `notice_date`, `issuer`)."""
        self._check_writable(editing=False)
        wanted: dict[str, Any] = {}
        if days is not None:
            if isinstance(days, bool) or not 0 <= days <= rect.MAX_DAYS:
                raise SessionError("err.rect.notice_days", most=rect.MAX_DAYS, days=days)
            wanted["notice_days"] = days
        if date is not None:
            try:
                when = rect.parse_date(date.strip(), "notice_date") if date.strip() else None
            except ValueError as exc:
                raise SessionError("err.line", line=Line(str(exc))) from None
            if when is not None and when < self.session.date:
                raise SessionError("err.rect.notice_before", when=str(when), date=str(self.session.date))
            wanted["notice_date"] = when.isoformat() if when else ""
        if issuer is not None:
            try:
                wanted["issuer"] = check_text(issuer.strip(), "name")
            except TextError as exc:
                raise SessionError("err.about", name="issuer", reason=exc) from None
        stamp = self.repo.clock()
        audit = [audit_entry(inspector, stamp, name, getattr(self.session, name), value)
                 for name, value in wanted.items() if getattr(self.session, name) != value]
        if not audit:
            return
        for entry in audit:
            setattr(self.session, entry["field"], entry["new"])
        self.session.updated = stamp
        self._write(Change(audit=audit, meta=self._meta()))

    def set_rectification(self, item_id: str, inspector: str, request: rect.Request) -> rect.Entry:
        """Change what is entered for one item's rectification and save it, each field's change
        audited as `rectification.<item>.<field>`. Refused for an item that has none now."""
        self._check_writable(editing=False)
        if not self.checklist.has_item(item_id):
            raise SessionError("err.rect.no_item", item=item_id)
        if not rect.gives_rectification(self.result, self.session, item_id):
            raise SessionError("err.rect.none", item=item_id)
        old = self.session.rectifications.get(item_id, rect.Entry())
        stamp = self.repo.clock()
        try:
            new = rect.apply(self.session, item_id, old, request, dt.datetime.fromisoformat(stamp).date())
        except ValueError as exc:
            raise SessionError("err.line", line=Line(str(exc))) from None
        before, after = rect.entry_to_data(old), rect.entry_to_data(new)
        before.pop("changed_at", None)
        after.pop("changed_at", None)
        if before == after:
            return old
        new = rect.Entry(**{**new.__dict__, "changed_at": stamp})
        self.session.rectifications[item_id] = new
        self.session.updated = stamp
        audit = [audit_entry(inspector, stamp, f"rectification.{item_id}.{key}", before.get(key), after.get(key))
                 for key in rect.FIELDS if before.get(key) != after.get(key)]
        self._write(Change(rectifications={item_id: rect.entry_to_data(new)}, audit=audit, meta=self._meta()))
        return new

    def reopen(self, inspector: str) -> None:
        self._check_writable(editing=False)
        if self.session.status != FINISHED:
            raise SessionError("err.session.not_finished", id=self.session.id)
        self._set_status(IN_PROGRESS, inspector)

    def _set_status(self, status: str, inspector: str) -> None:
        old = self.session.status
        stamp = self.repo.clock()
        self.session.status = status
        self.session.updated = stamp
        entry = audit_entry(inspector, stamp, "status", old, status)
        self._write(Change(audit=[entry], meta=self._meta()))

    def import_answers(self, answers: AnswersFile, inspector: str) -> int:
        """Bring in an answers file (or a branch's self-assessment) in one durable save."""
        self._check_writable()
        count = 0
        with self._one_save():
            for fact_id, value in answers.facts.items():
                self.set_fact(fact_id, value, inspector)
                count += 1
            for item_id, answer in answers.answers.items():
                fields = {k: v for k, v in asdict(answer).items() if k != "changed_at"}
                fields["override"] = answer.override
                self.set_answer(item_id, inspector, **fields)
                count += 1
        return count

    @contextmanager
    def _one_save(self) -> Iterator[None]:
        """The edits made inside as one durable save, all or nothing: on an error the in-memory
        session goes back to what is on disk."""
        self._collecting = Change()
        s = self.session
        saved = (dict(s.facts), dict(s.answers), s.updated, s.status, dict(s.rectifications), s.notice_days,
                 s.notice_date, s.issuer)
        try:
            yield
        except BaseException:
            (s.facts, s.answers, s.updated, s.status, s.rectifications, s.notice_days, s.notice_date,
             s.issuer) = saved
            self.result = self.session.score()
            self._collecting = None
            raise
        collected, self._collecting = self._collecting, None
        self.writer(collected)

    def attach(self, item_id: str, paths: Iterable[str | os.PathLike[str]], inspector: str) -> Any:
        """Copy files into the session's attachment store and record them on the item
        (core/session/attaching.py): (attached now, already there); all or nothing."""
        from .attaching import attach

        return attach(self, item_id, paths, inspector)

    def detach(self, item_id: str, sha_prefix: str, inspector: str) -> Any:
        from .attaching import detach

        return detach(self, item_id, sha_prefix, inspector)

    def audit(self) -> list[Any]:
        return self.file.audit()

    def retry(self) -> None:
        """Write a change the disk refused earlier (StorageError again if it still refuses)."""
        self.file.flush()

    def close(self) -> None:
        self.file.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> "OpenSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Burst:
    """A note being typed: which item, its audit key, the note before, the last keystroke."""

    def __init__(self, item: str, key: str, old: Any, last: float) -> None:
        self.item, self.key, self.old, self.last = item, key, old, last


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


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def tightened_notice(places: list[Path]) -> Message:
    """What says that permissions were tightened: how many, and the first three folders."""
    folders = sorted({str(p if p.is_dir() else p.parent) for p in places})
    return Message("note.tightened", {"count": len(places), "where": tuple(folders[:3]), "more": "…" if len(folders) > 3 else ""})


__all__ = ["SessionRepository", "OpenSession", "SessionError", "default_inspector"]

