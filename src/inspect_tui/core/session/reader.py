"""Sessions of a repository read for a report: listed through the repository, loaded read-only.

The roll-up itself (analysis/rollup.py) is a pure function of summaries and a way to load a
session; this is that way for the sessions folder, without locks (a report never writes), moving a
file that does not load to quarantine as opening it would.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable

from ..analysis.rollup import Rollup, rollup
from .model import Session, Summary

if TYPE_CHECKING:
    from .repository import SessionRepository


class RepositoryReader:
    """Sessions of a repository for a report: listed through the repository, loaded read-only.

    A file that does not load is moved to quarantine exactly as `SessionRepository.open` would,
    and named in `problems`; the report goes on without it."""

    def __init__(self, repo: "SessionRepository") -> None:
        self.repo = repo
        self.problems: list[str] = []

    def summaries(self) -> list[Summary]:
        listed = self.repo.list()
        self.problems += [line for line in self.repo.problems if line not in self.problems]
        return listed

    def load(self, session_id: str) -> Session | None:
        from ...store import DamagedFileError
        from ..errors import FileProblems
        from .file import SessionFile

        path = self.repo.path(session_id)
        if not path.exists():
            return None  # deleted since it was listed
        file = SessionFile(path, read_only=True)
        try:
            return file.load()
        except (DamagedFileError, FileProblems) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.problems.append(self.repo.quarantine(session_id, reason))
            return None
        finally:
            file.close()


def from_repository(repo: "SessionRepository", names: Iterable[str] = (), **filters: Any) -> Rollup:
    """The roll-up of the sessions stored in `repo` (all, or those named by id or prefix)."""
    reader = RepositoryReader(repo)
    listed = reader.summaries()
    wanted = [repo.resolve(name) for name in names]
    if wanted:
        keep = set(wanted)
        listed = [s for s in listed if s.id in keep]
    result = rollup(listed, reader.load, **filters)
    return replace(result, problems=tuple(reader.problems))


__all__ = ["RepositoryReader", "from_repository"]
