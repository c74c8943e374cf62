"""Rectifications (整改事项): what the branch must put right, followed until it is closed (销号).

Two parts, kept apart on purpose:

- **Which** rectifications exist is derived, every time, from the current scoring `Result`
  (`derive`): each failed item (不符合, with a deduction or a finding) and each manual deduction
  gives one; an item fixed in the record before the notice is issued gives none; an item 待定
  gives none (unknown stays unknown). Its finding and requirement are the documents' own words
  (core/analysis/findings.py).
- **What was entered** per item is stored (`Entry`, the session file's `rectifications` table, one
  document per item): the responsible person on the branch's side, a deadline (an explicit date or
  the item's own notice period), the branch's report, the closure. Nothing derived is stored, so
  nothing goes stale when a mark changes; an entry whose item no longer fails is kept, unshown,
  and comes back if the item fails again.

Statuses: 待整改 (open, not stored: the absence of a status), 已报整改 (reported: the branch's text
and date), 已销号 (closed: by whom, when, a note). 逾期 is never stored: it is derived from the
deadline and today (`Rectification.overdue_days`).
"""

from __future__ import annotations

import datetime as dt
from ...quick_dataclass import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Mapping

from ..checklist.model import Checklist, State
from ..text import TextError, check as check_text

if TYPE_CHECKING:
    from ..analysis.item_results import Result
    from .model import Session

OPEN, REPORTED, CLOSED = "open", "reported", "closed"
STATUSES = (OPEN, REPORTED, CLOSED)
STATUS_WORDS = {OPEN: "待整改", REPORTED: "已报整改", CLOSED: "已销号"}
OVERDUE_WORD = "逾期"
NOTICE_DAYS = 30  # the notice period when none is set (30 days is common practice)
MAX_DAYS = 3650
# the stored fields of an entry, in the order the audit trail records them
#   (`rectification.<item>.<field>`); `status` absent means 待整改
FIELDS = ("person", "deadline", "days", "status", "report", "report_date", "closed_by", "closed_at", "close_note",
          "reopen_reason")
_TEXT_KINDS = {"person": "name", "closed_by": "name", "report": "note", "close_note": "note", "reopen_reason": "line"}
_DATES = ("deadline", "report_date", "closed_at")


@dataclass(frozen=True)
class Entry:
    """What the inspector or the branch entered for one item's rectification (the stored part)."""

    person: str = ""  # 责任人, on the branch's side
    deadline: str = ""  # an explicit date (ISO); else the notice date + `days`
    days: int | None = None  # this item's own notice period; else the session's
    status: str = OPEN
    report: str = ""  # the branch's report of what it did (已报整改)
    report_date: str = ""
    closed_by: str = ""  # 销号: who verified it, when, and a note
    closed_at: str = ""
    close_note: str = ""
    reopen_reason: str = ""  # why a closed one was reopened (the last time)
    changed_at: str = ""

    def is_empty(self) -> bool:
        return self == Entry(changed_at=self.changed_at)


def entry_to_data(entry: Entry) -> dict[str, Any]:
    """The stored document of an entry (without its item): empty fields and 待整改 left out, so
    the trail's old/new of an unset field is None, as for an answer."""
    data: dict[str, Any] = {}
    for name in (*FIELDS, "changed_at"):
        value = getattr(entry, name)
        if value in (None, "") or (name == "status" and value == OPEN):
            continue
        data[name] = value
    return data


def entry_from_data(checklist: Checklist, item_id: str, raw: Any) -> Entry:
    """An entry read from a session file or a bundle; ValueError with a short reason (the caller
    makes that damage of the file, one line)."""
    if not checklist.has_item(item_id):
        raise ValueError(f"rectification for an item this checklist does not have: {item_id[:40]!r}")
    if not isinstance(raw, Mapping):
        raise ValueError(f"rectification {item_id}: not a record")
    unknown = set(raw) - set(FIELDS) - {"changed_at"}
    if unknown:
        raise ValueError(f"rectification {item_id}: unknown fields {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "days":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
                raise ValueError(f"rectification {item_id}: days must be a whole number 0–{MAX_DAYS}")
        elif not isinstance(value, str):
            raise ValueError(f"rectification {item_id}: {name} is not text")
        elif name == "status" and value not in STATUSES:
            raise ValueError(f"rectification {item_id}: unknown status {value[:20]!r}")
        elif name in _DATES:
            parse_date(value, f"rectification {item_id}: {name}")
        elif name in _TEXT_KINDS:
            try:
                check_text(value, _TEXT_KINDS[name], multiline=_TEXT_KINDS[name] == "note")
            except TextError as exc:
                raise ValueError(f"rectification {item_id}: bad text in {name}: {exc}") from None
        values[name] = value
    return Entry(**values)


def parse_date(text: str, what: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: 日期格式应为 YYYY-MM-DD ({what}: a date must be YYYY-MM-DD): {str(text)[:20]}") from None


def checked_text(value: str, name: str) -> str:
    """Text typed for field `name`, through the one gate (ValueError, one line)."""
    kind = _TEXT_KINDS[name]
    try:
        return check_text(value, kind, multiline=kind == "note")
    except TextError as exc:
        raise ValueError(f"{name}: {exc}") from None


def notice_date(session: "Session") -> dt.date:
    """The date the notice is issued: the session's own, else the inspection date."""
    return dt.date.fromisoformat(session.notice_date) if session.notice_date else session.date


def deadline_of(session: "Session", entry: Entry) -> dt.date:
    """An explicit date, else the notice date + the item's own days, else the session's."""
    return deadline_from(notice_date(session), session.notice_days, entry)


def deadline_from(notice: dt.date, notice_days: int, entry: Entry) -> dt.date:
    """`deadline_of` from the notice date and period (the listing has no Session, only its meta)."""
    if entry.deadline:
        return dt.date.fromisoformat(entry.deadline)
    days = entry.days if entry.days is not None else notice_days
    return notice + dt.timedelta(days=days)


def overdue_days(status: str, deadline: dt.date, report_date: str, today: dt.date) -> int:
    """Days past the deadline while still open (0 when not overdue). A report made by the
    deadline is not overdue while it awaits verification; closed never is."""
    if status == CLOSED or today <= deadline:
        return 0
    if status == REPORTED and report_date and dt.date.fromisoformat(report_date) <= deadline:
        return 0
    return (today - deadline).days


@dataclass(frozen=True)
class Rectification:
    """One rectification as it stands: derived from the result, with what was entered for it."""

    item: str
    text: str  # the item's text, blanks filled
    path: tuple[str, ...]  # its section and parents
    finding: str  # 发现问题, the documents' words
    requirement: str  # 标准要求: the item text and guidance
    deducted: Decimal
    manual: bool  # a manual deduction (手动扣分)
    deadline: dt.date
    entry: Entry

    @property
    def status(self) -> str:
        return self.entry.status

    @property
    def closed(self) -> bool:
        return self.entry.status == CLOSED

    def overdue_days(self, today: dt.date) -> int:
        """Days past the deadline while still open (0 when not overdue): see `overdue_days`."""
        return overdue_days(self.entry.status, self.deadline, self.entry.report_date, today)

    def status_words(self, today: dt.date) -> str:
        words = STATUS_WORDS[self.status]
        return f"{words}·{OVERDUE_WORD}" if self.overdue_days(today) else words


def gives_rectification(result: "Result", session: "Session", item_id: str) -> bool:
    """Whether an item's current result asks for a rectification (see the module's rule)."""
    r = result.items.get(item_id)
    if r is None or r.state is None:  # 待定 or unanswered: no verdict, nothing to put right
        return False
    answer = session.answers.get(item_id)
    if answer is not None and answer.override is not None:
        return True
    return r.state is State.FAIL and (r.deducted > 0 or bool(_finding(session, result, item_id)))


def _finding(session: "Session", result: "Result", item_id: str) -> str:
    from ..analysis.findings import finding_text, item_findings

    r = result.items[item_id]
    answer = session.answers.get(item_id)
    note = answer.note if answer else ""
    reason = answer.override.reason if answer and answer.override else ""
    return finding_text(item_findings(r) if r.auto else (), note, (x.clause for x in r.reasons if not x.manual), reason)


def derive(session: "Session", result: "Result | None" = None) -> tuple[Rectification, ...]:
    """The session's rectifications, in the checklist's order, from `result` (its current score)."""
    from ..analysis.findings import requirement_text
    from ..checklist.blanks import fill

    result = result or session.score()
    checklist = session.checklist
    out = []
    for item in checklist.walk():
        if not item.is_leaf and item.id not in session.answers:
            continue
        if not gives_rectification(result, session, item.id):
            continue
        r = result.items[item.id]
        answer = session.answers.get(item.id)
        entry = session.rectifications.get(item.id, Entry())
        text = fill(item.text, checklist, session.facts)
        out.append(Rectification(
            item=item.id,
            text=text,
            path=tuple(fill(i.text, checklist, session.facts) for i in checklist.path_to(item.id)[:-1]),
            finding=_finding(session, result, item.id),
            requirement=requirement_text(text, fill(item.guidance, checklist, session.facts)),
            deducted=r.deducted,
            manual=answer is not None and answer.override is not None,
            deadline=deadline_of(session, entry),
            entry=entry,
        ))
    return tuple(out)


def report_by(session: "Session", rectifications: tuple[Rectification, ...]) -> dt.date:
    """The date by which the branch reports back in writing: when the last deadline falls (the
    notice date + the session's period when there is nothing to put right)."""
    if rectifications:
        return max(r.deadline for r in rectifications)
    return notice_date(session) + dt.timedelta(days=session.notice_days)


__all__ = [
    "CLOSED", "Entry", "FIELDS", "NOTICE_DAYS", "OPEN", "REPORTED", "Rectification", "STATUS_WORDS", "deadline_from",
    "deadline_of", "derive", "entry_from_data", "entry_to_data", "gives_rectification", "notice_date", "overdue_days", "report_by",
]


@dataclass(frozen=True)
class Request:
    """What one `rectify` asks to change (None: leave as it is)."""

    person: str | None = None
    deadline: str | None = None  # "YYYY-MM-DD", or "+N" days from the notice date
    report: str | None = None
    report_date: str | None = None
    close: bool = False
    by: str | None = None
    note: str | None = None
    reopen: bool = False
    reason: str | None = None


def apply(session: "Session", item_id: str, entry: Entry, request: Request, today: dt.date) -> Entry:
    """The entry after `request`; ValueError, one "中文 (English)" line, when it cannot be done."""
    changes: dict[str, Any] = {}
    if request.close and request.reopen:
        raise ValueError(f"{item_id}: 销号与重新打开不能同时进行 (--close and --reopen together)")
    if request.note is not None and not request.close:
        raise ValueError(f"{item_id}: 销号说明只用于销号 (--note goes with --close)")
    if request.reason is not None and not request.reopen:
        raise ValueError(f"{item_id}: 原因只用于重新打开 (--reason goes with --reopen)")
    if request.person is not None:
        changes["person"] = checked_text(request.person.strip(), "person")
    if request.deadline is not None:
        changes.update(_deadline(session, item_id, request.deadline.strip()))
    status = entry.status
    if request.reopen:  # back to 待整改; the branch's old report stays on record
        if status != CLOSED:
            raise ValueError(f"{item_id}: 尚未销号,无需重新打开 (not closed: nothing to reopen)")
        if not (request.reason or "").strip():
            raise ValueError(f"{item_id}: 重新打开须写明原因 --reason (reopening needs --reason)")
        changes.update(status=OPEN, closed_by="", closed_at="", close_note="",
                       reopen_reason=checked_text(request.reason.strip(), "reopen_reason"))
        status = OPEN
    if request.report is not None or request.report_date is not None:
        if status == CLOSED:
            raise ValueError(f"{item_id}: 已销号,先重新打开 (closed: reopen it first)")
        report = checked_text(request.report, "report") if request.report is not None else entry.report
        if not report.strip():
            raise ValueError(f"{item_id}: 整改情况不能为空 (the report is empty)")
        when = _not_before(session, item_id, request.report_date, today, "report_date")
        changes.update(report=report, report_date=when, status=REPORTED)
    if request.close:
        if status == CLOSED:
            raise ValueError(f"{item_id}: 已经销号 (already closed)")
        if not (request.by or "").strip():
            raise ValueError(f"{item_id}: 销号须写明核查人 --by (closing needs --by NAME)")
        changes.update(status=CLOSED, closed_by=checked_text(request.by.strip(), "closed_by"),
                       closed_at=today.isoformat(), close_note=checked_text(request.note or "", "close_note"))
    elif request.by is not None:
        raise ValueError(f"{item_id}: 核查人只用于销号 (--by goes with --close)")
    return Entry(**{**entry.__dict__, **changes})


def _deadline(session: "Session", item_id: str, text: str) -> dict[str, Any]:
    if text.startswith("+"):
        digits = text[1:]
        if not (digits.isascii() and digits.isdigit()) or not 0 <= int(digits) <= MAX_DAYS:
            raise ValueError(f"{item_id}: 期限应为日期 YYYY-MM-DD 或 +天数 (a deadline is YYYY-MM-DD or +DAYS, "
                             f"up to {MAX_DAYS}): {text[:20]}")
        return {"days": int(digits), "deadline": ""}
    when = parse_date(text, f"{item_id}")
    if when < session.date:
        raise ValueError(f"{item_id}: 整改期限 {when} 早于检查日期 {session.date} "
                         f"(the deadline {when} is before the inspection date {session.date})")
    return {"deadline": when.isoformat(), "days": None}


def _not_before(session: "Session", item_id: str, text: str | None, today: dt.date, name: str) -> str:
    when = parse_date(text, item_id) if text else today
    if when < session.date:
        raise ValueError(f"{item_id}: 日期 {when} 早于检查日期 {session.date} "
                         f"(the date {when} is before the inspection date {session.date})")
    return when.isoformat()
