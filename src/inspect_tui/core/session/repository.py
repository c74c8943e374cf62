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
import os
import re
import stat
from pathlib import Path
from typing import Any, Callable, Iterable

from ...store import DamagedFileError, LockedError, LockInfo, SessionLock, StorageError, clean_temp_files
from ...store.durable import os_reason
from ...store.journal import JOURNAL_SUFFIX, fold, journal_path
from ..checklist.model import Checklist
from ..text import TextError, check as check_text
from .model import Branch, Session, frozen_checklist
from .file import SessionFile
from ..errors import SessionError
from ..errors import FileProblems
from .editing import OpenSession
from .listing import INDEX_NAME, Listing, one_line
from ...texts import Message

SESSION_RE = re.compile(r"^[0-9a-f]{12}$")
OWN_FILE_RE = re.compile(r"^\.?[0-9a-f]{12}\.")  # a session's file, lock, journal, companion or temp file
COMPANIONS = (".selfcheck.json", ".files")  # files (and the attachments folder) that belong to a session and travel with it
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


class SessionRepository(Listing):
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
        carried: tuple[Any, ...] = (),
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
            carried=tuple(carried),
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
            raise SessionError("err.line", line=self.quarantine(session_id, one_line(exc))) from None
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

    def reinspect(self, name: str, checklist: Checklist, inspectors: Iterable[str] = (), date: dt.date | None = None) -> "OpenSession":
        """A new session for the same branch. It starts with no facts: last time's stay in the
        session it follows (`OpenSession.previous_facts`) until the inspector confirms them, since a
        fact copied unseen would score today's inspection on last time's findings. It carries the
        rectifications still open there, frozen (carried.py): what this visit is to check."""
        from .carried import snapshot

        old = self.open(name, write=False)
        try:
            source = old.session
            return self.create(
                checklist, source.branch.name, source.branch.unit,
                list(inspectors) or source.inspectors, date, source.place, previous=source.id,
                carried=snapshot(source),
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


def tightened_notice(places: list[Path]) -> Message:
    """What says that permissions were tightened: how many, and the first three folders."""
    folders = sorted({str(p if p.is_dir() else p.parent) for p in places})
    return Message("note.tightened", {"count": len(places), "where": tuple(folders[:3]), "more": "…" if len(folders) > 3 else ""})


__all__ = ["SessionRepository", "SessionError", "default_inspector"]

