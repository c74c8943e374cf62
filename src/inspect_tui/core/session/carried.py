"""What a re-inspection carries from the inspection it follows: the promises still open (整改承诺).

When a re-inspection is created (repository.reinspect), each rectification of the earlier session
that is not closed (已销号) is copied into the new session as a frozen `Carried` record: the item,
its finding, the person responsible, the deadline, the branch's report. Copied, not read live, so
the record stands alone when it is bundled or merged (it is one meta field, written once at
creation and never changed: both copies of a session always agree on it) and so a later edit of
the earlier session cannot rewrite what the re-inspection was sent to check.

What the re-inspection finds is the other half: the outcome of each carried record is derived
from the new answers (core/analysis/reinspection.py); the inspector's confirmation of a 销号 is
stored per item in `Session.confirmed` (`confirmed.<item>` in the trail, replayed by merges) and
closes the earlier session's rectification (reinspect_edits.py).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Mapping

from ...quick_dataclass import dataclass
from ..text import LIMITS, TextError, check as check_text, clean
from . import rectification as rect

if TYPE_CHECKING:
    from .model import Session

CONFIRMED_PREFIX = "confirmed."  # confirmed.<item>: the trail's field of one confirmation
CONFIRM_NOTE = "复查确认 {date}"  # the earlier session's 销号 note (a document's words: Chinese)
# the stored fields of a carried record and the gate's kind of each text
_TEXTS = {"item": "line", "date": "line", "text": "standard", "finding": "note", "person": "name", "deadline": "line",
          "status": "line", "report": "note", "report_date": "line"}
REQUIRED = {"item", "date", "status", "deadline"}
MAX_CARRIED = 10_000


@dataclass(frozen=True)
class Carried:
    """One open rectification of the earlier inspection, as it stood when the re-inspection began."""

    item: str
    date: str  # the earlier inspection's date (ISO)
    text: str  # the item's text, blanks filled
    finding: str  # 发现问题 last time
    person: str  # 责任人
    deadline: str  # 整改期限 (ISO date)
    status: str  # open or reported (a closed one is not carried)
    report: str = ""  # the branch's report (已报整改), if any
    report_date: str = ""


@dataclass(frozen=True)
class Confirmation:
    """The inspector's confirmation that a carried rectification is put right: who and when."""

    by: str
    at: str  # ISO date


def snapshot(previous: "Session") -> tuple[Carried, ...]:
    """The earlier session's rectifications not closed, as frozen records (in checklist order).
    Their texts pass the gate as they are copied: a session stored by an older build may hold text
    the gate refuses today, and the new session must not be damaged by what it copied."""
    def fit(value: str, key: str) -> str:
        kind = _TEXTS[key]
        return clean(value, multiline=kind in ("note", "standard"))[: LIMITS[kind]]

    return tuple(
        Carried(r.item, previous.date.isoformat(), fit(r.text, "text"), fit(r.finding, "finding"), fit(r.entry.person, "person"),
                r.deadline.isoformat(), r.status, fit(r.entry.report, "report"), r.entry.report_date)
        for r in rect.derive(previous) if not r.closed
    )


def to_data(carried: tuple[Carried, ...]) -> list[dict[str, str]]:
    return [{k: v for k, v in record.__dict__.items() if v or k in REQUIRED}
            for record in carried]


def from_data(raw: Any) -> tuple[Carried, ...]:
    """Carried records read from a session file or a bundle; ValueError with a short reason."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_CARRIED:
        raise ValueError("carried: not a list of records")
    out, seen = [], set()
    for doc in raw:
        if not isinstance(doc, Mapping) or set(doc) - set(_TEXTS) or not REQUIRED <= set(doc):
            raise ValueError("carried: a record of the wrong shape")
        for key, value in doc.items():
            if not isinstance(value, str):
                raise ValueError(f"carried: {key} is not text")
            try:
                check_text(value, _TEXTS[key], multiline=_TEXTS[key] in ("note", "standard"))
            except TextError as exc:
                raise ValueError(f"carried: bad text in {key}: {exc}") from None
        if doc["status"] not in (rect.OPEN, rect.REPORTED) or doc["item"] in seen:
            raise ValueError(f"carried {doc['item'][:40]!r}: a closed or repeated record")
        rect.parse_date(doc["deadline"], "carried deadline")
        rect.parse_date(doc["date"], "carried date")
        if doc.get("report_date"):
            rect.parse_date(doc["report_date"], "carried report_date")
        seen.add(doc["item"])
        out.append(Carried(**{k: doc.get(k, "") for k in _TEXTS}))
    return tuple(out)


def confirmation_to_data(c: Confirmation) -> dict[str, str]:
    return {"by": c.by, "at": c.at}


def confirmations_from_data(raw: Any, carried: tuple[Carried, ...]) -> dict[str, Confirmation]:
    """The confirmations of a session's meta (`confirmed`: item → {by, at}); ValueError."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("confirmed: not a record")
    items = {c.item for c in carried}
    out = {}
    for item, doc in raw.items():
        if item not in items or not isinstance(doc, Mapping) or set(doc) != {"by", "at"}:
            raise ValueError(f"confirmed {str(item)[:40]!r}: not a carried item, or a record of the wrong shape")
        if not all(isinstance(v, str) for v in doc.values()):
            raise ValueError("confirmed: not text")
        try:
            check_text(doc["by"], "name")
        except TextError as exc:
            raise ValueError(f"confirmed: bad text in by: {exc}") from None
        rect.parse_date(doc["at"], "confirmed at")
        out[item] = Confirmation(doc["by"], doc["at"])
    return out


def close_note(when: dt.date) -> str:
    return CONFIRM_NOTE.format(date=when.isoformat())


__all__ = ["CONFIRMED_PREFIX", "Carried", "Confirmation", "close_note", "from_data", "snapshot", "to_data"]
