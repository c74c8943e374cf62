"""Finding checklists: the bundled standards, the user's own, and any folder named on the command line.

A checklist is named by its id (`shequ`) or by a file path. When a user's file has the same id as a
bundled one, the user's wins: a local organisation department may adapt a standard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .. import paths
from .cache import load_file as load_checklist  # the loader's, with parsed files kept
from .model import Checklist
from ..errors import FileProblems
from ..problems import Problem
from ...texts import Message


@dataclass(frozen=True)
class Entry:
    """One checklist file found on disk, loaded or with the problems that stop it loading."""

    path: Path
    origin: str  # "bundled" | "user"
    checklist: Checklist | None
    problems: tuple[Problem, ...] = ()


def folders(extra: Iterable[str | Path] = ()) -> list[tuple[Path, str]]:
    found = [(paths.bundled_checklists_dir(), "bundled"), (paths.user_checklists_dir(), "user")]
    found += [(Path(folder), "user") for folder in extra]
    return found


def scan(extra: Iterable[str | Path] = ()) -> list[Entry]:
    """Every checklist file in the known folders, in folder then name order."""
    entries: list[Entry] = []
    for folder, origin in folders(extra):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            try:
                entries.append(Entry(path, origin, load_checklist(path)))
            except FileProblems as exc:
                entries.append(Entry(path, origin, None, tuple(exc.problems)))
    return entries


@dataclass(frozen=True)
class Listed:
    """An entry as `inspect-tui checklists` shows it: which file it replaces, or which file is
    used instead of it. The file read last for an id wins, as in `find`: the bundled folder first,
    then the user folder, then each --checklists folder in order; within a folder, by file name."""

    entry: Entry
    replaces: Path | None = None      # the bundled file this user file is used instead of
    used_instead: Path | None = None  # the later file with the same id that is used instead of this


def listing(entries: list[Entry]) -> tuple[list[Listed], list[Message]]:
    """Every entry with what replaces what, and one warning ("中文 (English)") per id that more
    than one user file claims: those are resolved silently by `find`, so the inspector is told
    which one is used and why."""
    by_id: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.checklist is not None:
            by_id.setdefault(entry.checklist.id, []).append(entry)
    listed = []
    for entry in entries:
        same = by_id.get(entry.checklist.id, []) if entry.checklist is not None else []
        winner = same[-1] if same else entry
        bundled = next((e for e in same if e.origin == "bundled"), None)
        listed.append(Listed(
            entry,
            replaces=bundled.path if entry is winner and bundled is not None and entry is not bundled else None,
            used_instead=winner.path if winner is not entry else None,
        ))
    warnings = []
    for checklist_id, same in by_id.items():
        users = [e for e in same if e.origin == "user"]
        if len(users) > 1:
            warnings.append(Message("note.catalog.same_id", {
                "id": checklist_id, "count": len(users), "files": tuple(str(e.path) for e in users), "used": str(users[-1].path)}))
    return listed, warnings


def find(name: str, extra: Iterable[str | Path] = ()) -> Checklist:
    """A checklist by id or path; FileProblems with one clear line when there is none."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists() or "/" in name or "\\" in name:
        return load_checklist(candidate)
    match: Checklist | None = None
    for entry in scan(extra):
        if entry.checklist is not None and entry.checklist.id == name:
            match = entry.checklist  # later folders (the user's) override bundled ones
    if match is None:
        known = sorted({e.checklist.id for e in scan(extra) if e.checklist is not None})
        raise FileProblems([Problem(name, 0, 0, f"no checklist with this id (known: {', '.join(known)})")])
    return match


def current_version(checklist_id: str, extra: Iterable[str | Path] = ()) -> str | None:
    """`find(checklist_id).version` (None when there is no such checklist), read from the parsed
    checklists' cache without building a model when every file is in it — the newer-version check
    at every open needs only this. Any file not in it: `find` itself."""
    from .cache import peek

    candidate = Path(checklist_id)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists() or "/" in checklist_id or "\\" in checklist_id:
        return find(checklist_id, extra).version  # a file named so: find reads that file
    version: str | None = None
    for folder, _origin in folders(extra):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            seen = peek(path)
            if seen is None:  # not parsed yet, changed, or broken: as find does it
                try:
                    return find(checklist_id, extra).version
                except FileProblems:
                    return None
            if seen[0] == checklist_id:
                version = seen[1]  # later folders (the user's) override bundled ones, as in find
    return version


def is_demo(checklist: "Checklist") -> bool:
    """The format demonstration (示例检查表) is not a standard: pickers list it last."""
    return checklist.id == "example"
