"""The 整改台账 (rectification ledger): one row per rectification, of one branch or of many.

What a department keeps to follow findings until they are closed (/work/shared/reference: 问题描述,
标准要求, 责任人, 整改时限, 整改进展, 佐证材料, 销号时间, 核查人, 备注), built from the sessions'
rectifications (core/session/rectification.py: which exist is derived, what was entered is stored)
and the branch's evidence of the fix (attachments with the `rectification` purpose). 逾期 is
derived from the deadline and `today`, which the caller gives (a fixed clock in tests, the
`--today` of the command).

The model here holds no words of ours but the standard's and the users'; ledger_xlsx.py and
ledger_docx.py draw it in either language. Like every export, text passes `shown_all` at the
renderer's entry (`render`).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Iterable

from ..session.attachments import RECTIFICATION
from ..session.model import Session
from ..session.rectification import CLOSED, OPEN, REPORTED, derive
from ..text import shown_all
from .model import AttachmentRow

OVERDUE = "overdue"  # a status of the ledger's filter and column: open (or reported late) past the deadline
STATUSES = (OPEN, REPORTED, CLOSED, OVERDUE)
FORMATS = ("xlsx", "docx")


@dataclass(frozen=True)
class Filters:
    """Which rows a ledger holds: a unit, statuses (any of STATUSES), inspection dates from/to."""

    unit: str | None = None
    statuses: tuple[str, ...] = ()
    since: dt.date | None = None  # --from
    until: dt.date | None = None  # --to

    def takes_session(self, session: Session) -> bool:
        if self.unit is not None and session.branch.unit != self.unit:
            return False
        if self.since is not None and session.date < self.since:
            return False
        return self.until is None or session.date <= self.until

    def takes_row(self, row: "LedgerRow") -> bool:
        """By its stored status or by 逾期: `open` takes the overdue open ones too, `overdue` only
        those past their deadline (a report made late is both reported and overdue)."""
        return not self.statuses or row.shown_status in self.statuses or row.status in self.statuses


@dataclass(frozen=True)
class LedgerRow:
    """One rectification of one branch, as it stands on `today`."""

    session: str
    branch: str
    unit: str
    date: str  # the inspection's, ISO
    item: str
    text: str
    path: tuple[str, ...]
    finding: str  # 发现问题
    requirement: str  # 标准要求
    deducted: Decimal
    person: str  # 责任人
    deadline: str  # ISO
    status: str  # open | reported | closed (stored)
    overdue_days: int  # 0 when not overdue
    report: str  # the branch's report (整改情况) and its date
    report_date: str
    closed_by: str  # 销号: who verified, when, the note
    closed_at: str
    close_note: str
    reopen_reason: str
    evidence: tuple[AttachmentRow, ...] = ()  # the branch's evidence of the fix (整改佐证)

    @property
    def shown_status(self) -> str:
        """The status column: 逾期 for a rectification past its deadline and not closed."""
        return OVERDUE if self.overdue_days else self.status


@dataclass(frozen=True)
class Counts:
    total: int
    closed: int
    reported: int
    open: int  # 待整改, overdue ones included
    overdue: int

    @property
    def rate(self) -> Decimal | None:
        """整改率: closed of all, a percentage (None when there is nothing to rectify)."""
        return Decimal(100) * self.closed / self.total if self.total else None


@dataclass(frozen=True)
class Ledger:
    today: str  # ISO: the day 逾期 is counted on
    rows: tuple[LedgerRow, ...]
    filters: Filters = field(default_factory=Filters)
    branch: str = ""  # one branch's ledger: its name ("": across branches)
    unit: str = ""
    sessions: int = 0  # the sessions named, when some were (0: every session of the folder)

    @property
    def counts(self) -> Counts:
        rows = self.rows
        return Counts(len(rows), sum(r.status == CLOSED for r in rows), sum(r.status == REPORTED for r in rows),
                      sum(r.status == OPEN for r in rows), sum(bool(r.overdue_days) for r in rows))


def rows_of(session: Session, today: dt.date, files: str | os.PathLike[str] | None = None) -> list[LedgerRow]:
    """The session's rectifications as ledger rows, in the checklist's order; `files` (its
    attachment folder) lets the documents show the photos of the fix."""
    out = []
    for r in derive(session):
        e = r.entry
        evidence = tuple(
            AttachmentRow(a.item, a.name, a.type, a.type_name, a.size, a.size_text(), a.width, a.height, a.sha256,
                          os.path.join(files, a.sha256) if files is not None else "")
            for a in session.attachments.get(r.item, []) if a.purpose == RECTIFICATION)
        out.append(LedgerRow(
            session.id, session.branch.name, session.branch.unit, session.date.isoformat(), r.item, r.text, r.path,
            r.finding, r.requirement, r.deducted, e.person, r.deadline.isoformat(), r.status, r.overdue_days(today),
            e.report, e.report_date, e.closed_by, e.closed_at, e.close_note, e.reopen_reason, evidence))
    return out


def build_ledger(sessions: Iterable[tuple[Session, str | os.PathLike[str] | None]], today: dt.date,
                 filters: Filters = Filters(), one_branch: bool = False, named: int = 0) -> Ledger:
    """The ledger of `sessions` (each with its attachment folder, or None), filtered, ordered by
    unit, branch and inspection date, then the checklist's order; `named`: how many sessions the
    user named (0: all of them), for the scope line. Reads no file."""
    rows: list[LedgerRow] = []
    branch = unit = ""
    for session, files in sessions:
        if one_branch:
            branch, unit = session.branch.name, session.branch.unit
        if filters.takes_session(session):
            rows += [row for row in rows_of(session, today, files) if filters.takes_row(row)]
    order = {id(row): index for index, row in enumerate(rows)}
    rows.sort(key=lambda row: (row.unit, row.branch, row.date, row.session, order[id(row)]))
    return Ledger(today.isoformat(), tuple(rows), filters, branch, unit, named)


def render(ledger: Ledger, fmt: str, lang: str = "zh") -> bytes:
    """The ledger's file: `fmt` xlsx or docx, the headings in `lang`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown ledger format {fmt!r} (known: {', '.join(FORMATS)})")
    return import_module(f"{__package__}.ledger_{fmt}").render(shown_all(ledger), lang)


__all__ = ["Counts", "FORMATS", "Filters", "Ledger", "LedgerRow", "OVERDUE", "STATUSES", "build_ledger", "render",
           "rows_of"]
