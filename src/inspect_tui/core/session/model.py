"""A session (检查记录): one inspection of one branch against one checklist, as plain data.

The session keeps a frozen copy of the checklist's YAML as it was when the inspection began, so a
later edit of the standard can never shift or drop the answers of an inspection under way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from typing import TYPE_CHECKING

from .answers import Answer
from .rectification import NOTICE_DAYS, Entry

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from ..analysis.score_line import ScoreLine
    from ..analysis.item_results import Result

SCHEMA_VERSION = 1
IN_PROGRESS = "in_progress"  # 进行中
FINISHED = "finished"  # 已完成
FILTERS = ("all", "unanswered", "failed", "notes")


@dataclass
class Branch:
    """The branch inspected (党支部) and the unit it belongs to (所属单位)."""

    name: str
    unit: str = ""


@dataclass
class Position:
    """Where the inspector was, so a resume lands on the same spot."""

    item: str = ""
    filter: str = "all"


@dataclass
class AuditEntry:
    """One change: who, when, which field, from what to what. Entries are only ever appended."""

    time: str
    inspector: str
    field: str
    old: Any
    new: Any


@dataclass
class Summary:
    """What the session list shows, kept in the session itself and cached in the index."""

    id: str
    branch: str
    unit: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    date: str
    status: str
    updated: str
    answered: int = 0
    leaves: int = 0
    total: float | None = None
    max: float | None = None
    percent: float | None = None
    grade: str = ""
    scored: bool = True
    inspectors: list[str] = field(default_factory=list)
    # points (items when unscored) still undecided; None in a summary written before it was kept
    open_points: float | None = None

    @property
    def progress(self) -> float:
        return self.answered / self.leaves if self.leaves else 1.0

    @property
    def score_line(self) -> "ScoreLine":
        """The score as it may be shown (core/analysis/score_line.py); for an unscored standard `total`
        and `max` already are the items passed and applicable."""
        from ..analysis.score_line import line_from_numbers

        return line_from_numbers(self.scored, self.answered >= self.leaves, self.total, self.max,
                                 self.open_points, self.grade)


@dataclass
class Session:
    id: str
    branch: Branch
    inspectors: list[str]
    date: dt.date
    place: str
    checklist_source: str  # the frozen YAML text
    checklist_id: str
    checklist_version: str
    facts: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    position: Position = field(default_factory=Position)
    status: str = IN_PROGRESS
    created: str = ""
    updated: str = ""
    previous: str = ""  # the session this one re-inspects
    # item -> its attachments.Attachment records, in the order attached (not imported here: the
    # analysis reads this module and must not reach the store that attachments.py writes to)
    attachments: dict[str, list[Any]] = field(default_factory=dict)
    # the 整改通知书: what was entered per rectification (which exist is derived from the score,
    # core/session/rectification.py), the notice period, its date ("" = the inspection date) and
    # who issues it ("" = a blank line on the notice, filled by hand)
    rectifications: dict[str, Entry] = field(default_factory=dict)
    notice_days: int = NOTICE_DAYS
    notice_date: str = ""
    issuer: str = ""

    @property
    def checklist(self) -> Checklist:
        return frozen_checklist(self.checklist_source, self.checklist_id)

    @property
    def finished(self) -> bool:
        return self.status == FINISHED

    def score(self) -> "Result":
        from ..analysis.scoring import score

        return score(self.checklist, self.facts, self.answers, self.date)

    def summary(self, result: Result | None = None) -> Summary:
        from ..analysis.score_line import score_line

        result = result or self.score()
        checklist = self.checklist
        line = score_line(checklist, result)
        return Summary(
            id=self.id,
            branch=self.branch.name,
            unit=self.branch.unit,
            checklist_id=checklist.id,
            checklist_title=checklist.title,
            checklist_version=checklist.version,
            date=self.date.isoformat(),
            status=self.status,
            updated=self.updated,
            answered=result.answered,
            leaves=result.leaves,
            total=_float(result.total),
            max=_float(result.max),
            percent=None if result.percent is None else round(float(result.percent), 2),
            grade=result.grade,
            scored=result.scored,
            inspectors=list(self.inspectors),
            open_points=_float(line.open),
        )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=32)
def _parse_frozen(text: str, name: str) -> "Checklist":
    from ..checklist import cache as checklist_cache  # the parsed form kept between runs, keyed by the text's SHA-256

    cached = checklist_cache.load(text)
    if cached is not None:
        return cached
    from ..checklist.loader import parse_checklist  # YAML is parsed when a session is opened, not to list it

    checklist = parse_checklist(text, name)
    checklist_cache.store(text, checklist)
    return checklist


def frozen_checklist(text: str, checklist_id: str) -> Checklist:
    """The session's own copy of the checklist, parsed once per process for each distinct text."""
    return _parse_frozen(text, f"<{checklist_id} frozen in session>")
