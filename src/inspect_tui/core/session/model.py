"""A session (检查记录): one inspection of one branch against one checklist, as plain data.

The session keeps a frozen copy of the checklist's YAML as it was when the inspection began, so a
later edit of the standard can never shift or drop the answers of an inspection under way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from ...quick_dataclass import dataclass, field
from functools import lru_cache
from typing import Any

from typing import TYPE_CHECKING

from .answers import Answer
from .rectification import NOTICE_DAYS, Entry

if TYPE_CHECKING:
    from ..checklist.model import Checklist
    from ..analysis.results import Scores, SessionHeader
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


@dataclass(frozen=True)
class Summary:
    """The session list's row: the session's header and scores (core/analysis/results.py) and when
    it last changed. Kept in the session file's meta and cached in the index as `to_json()`, the
    flat shape those files have always had (figures as JSON numbers); `from_json` reads it back,
    floats of older files included, as Decimal."""

    header: "SessionHeader"
    scores: "Scores"
    updated: str = ""

    @property
    def id(self) -> str:
        return self.header.id

    def to_json(self) -> dict[str, Any]:
        h, s = self.header, self.scores
        return {
            "id": h.id, "branch": h.branch, "unit": h.unit, "checklist_id": h.checklist_id,
            "checklist_title": h.checklist_title, "checklist_version": h.checklist_version, "date": h.date,
            "status": h.status, "updated": self.updated, "answered": s.answered, "leaves": s.leaves,
            "total": _float(s.total), "max": _float(s.max),
            "percent": None if s.percent is None else round(float(s.percent), 2), "grade": s.grade,
            "scored": s.scored, "inspectors": list(h.inspectors), "open_points": _float(s.open_points),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Summary":
        """A stored row (checked first by session/file.check_summary). The row keeps no place and no
        previous link (the list does not show them): they read as empty here."""
        from ..analysis.results import SessionHeader, stored_scores

        header = SessionHeader(
            id=data["id"], branch=data["branch"], unit=data["unit"], date=data["date"], status=data["status"],
            checklist_id=data["checklist_id"], checklist_title=data["checklist_title"],
            checklist_version=data["checklist_version"], inspectors=tuple(data.get("inspectors") or ()),
        )
        scores = stored_scores(data.get("scored", True), data.get("total"), data.get("max"), data.get("percent"),
                               data.get("grade", ""), data.get("answered", 0), data.get("leaves", 0),
                               data.get("open_points"))
        return cls(header, scores, data["updated"])


# The fields of a stored row (`Summary.to_json`), and those a row must have to be read at all.
SUMMARY_FIELDS = ("id", "branch", "unit", "checklist_id", "checklist_title", "checklist_version", "date", "status",
                  "updated", "answered", "leaves", "total", "max", "percent", "grade", "scored", "inspectors",
                  "open_points")
SUMMARY_REQUIRED = SUMMARY_FIELDS[:9]


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
    # a re-inspection: the earlier session's open rectifications, frozen when it began
    # (carried.Carried records), and the inspector's confirmations of them (item -> Confirmation)
    carried: tuple[Any, ...] = ()
    confirmed: dict[str, Any] = field(default_factory=dict)
    # the sign-off (签字, core/session/signoff.py): the inspectors who signed, the branch's
    # representative who received the findings, when; the optional review (组长审核); and when
    # it was last changed after a sign-off (已修改, "" = never)
    signers: list[str] = field(default_factory=list)
    received_by: str = ""
    signed_at: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""
    review_comment: str = ""
    amended_at: str = ""

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
        from ..analysis.results import header_of, scores_of

        result = result or self.score()
        return Summary(header_of(self), scores_of(self.checklist, result), self.updated)


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
