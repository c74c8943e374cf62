"""The sign-off (签字) of an inspection and what follows it: finishing with the inspectors' names
and the branch's representative who received the findings, reopening with a reason, the optional
review (组长审核), and the mark 已修改 (amended) once a signed session was changed again.

Each is stored as flat meta fields of the session file (`SIGNOFF_FIELDS`, at their defaults in a
file written before them), each change an audit entry of the field's own name, so a bundle's merge
replays them like the notice's fields (exchange/trail.py). A reopening's reason is an audit entry
only (`REOPENED`): the trail says why, the session needs nothing of it. `amended_at` is not
audited: it is the time of the last edit of a signed session, which the trail already holds.

After a sign-off the record is read-only (`OpenSession._check_writable`): answers, facts, notes,
attachments. The rectification follow-up (the branch's report, 销号) and the notice stay open:
they are what the notice asks for after the sign-off (rectification_edits.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ...quick_dataclass import dataclass
from ..errors import SessionError
from ..text import TextError, check as check_text
from .file import Change, audit_entry
from .model import FINISHED, IN_PROGRESS

if TYPE_CHECKING:
    from .model import Session

# the sign-off's meta fields and their defaults (a file written before them reads as these)
SIGNOFF_FIELDS: dict[str, Any] = {"signers": [], "received_by": "", "signed_at": "", "reviewed_by": "",
                                  "reviewed_at": "", "review_comment": ""}
NAME_FIELDS = ("received_by", "reviewed_by")
TIME_FIELDS = ("signed_at", "reviewed_at", "amended_at")
REOPENED = "reopened"  # the audit field of a reopening: old None, new the reason; replays nothing
MAX_SIGNERS = 20


@dataclass(frozen=True)
class SignOff:
    """What the documents and the screens say of a session's sign-off. `signed`: finished, or
    finished once (signed_at); `names_known`: False for a session finished by a build that did not
    ask for names (never invented: the documents say they were not recorded)."""

    signed: bool = False
    finished: bool = False
    signers: tuple[str, ...] = ()
    received_by: str = ""
    signed_at: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""
    review_comment: str = ""
    amended_at: str = ""

    @property
    def names_known(self) -> bool:
        return bool(self.signers)

    @property
    def signed_on(self) -> str:
        return self.signed_at[:10]


def signoff_of(session: "Session") -> SignOff:
    return SignOff(
        signed=session.finished or bool(session.signed_at), finished=session.finished,
        signers=tuple(session.signers), received_by=session.received_by, signed_at=session.signed_at,
        reviewed_by=session.reviewed_by, reviewed_at=session.reviewed_at, review_comment=session.review_comment,
        amended_at=session.amended_at,
    )


def names(raw: Iterable[str] | str, field: str) -> list[str]:
    """Names given as a list or as one "A,B" / "A、B" text: stripped, checked, duplicates dropped."""
    if isinstance(raw, str):
        raw = raw.replace("、", ",").replace(",", ",").split(",")
    found: list[str] = []
    for name in raw:
        name = _checked(name.strip(), "name", field)
        if name and name not in found:
            found.append(name)
    if len(found) > MAX_SIGNERS:
        raise SessionError("err.signoff.too_many", most=MAX_SIGNERS)
    return found


def _checked(value: str, kind: str, field: str) -> str:
    try:
        return check_text(value, kind)
    except TextError as exc:
        raise SessionError("err.about", name=field, reason=exc) from None


class SignOffEdits:
    """Finishing, reopening and the review: a mixin of OpenSession (it uses the session, _write,
    _one_save, _meta and set_notice)."""

    def finish(self, inspector: str, force: bool = False, notice_days: int | None = None,
               notice_date: str | None = None, issuer: str | None = None,
               inspectors: Iterable[str] | str | None = None, received_by: str | None = None) -> None:
        """Sign the session off: finished, with the inspectors who sign (None: those recorded for
        the inspection; at least one is needed), the branch's representative who received the
        findings ("" = a line signed by hand) and the time; the notice's period, date and issuer may
        be set with it. One save."""
        self._check_writable()
        result = self.result
        if result.counts["unanswered"] and not force:
            raise SessionError("err.session.unanswered", count=result.counts["unanswered"])
        signers = names(self.session.inspectors if inspectors is None else inspectors, "inspectors")
        if not signers:
            raise SessionError("err.signoff.no_inspectors", id=self.session.id)
        receiver = _checked((received_by or "").strip(), "name", "received_by")
        with self._one_save():
            self.set_notice(inspector, notice_days, notice_date, issuer)
            stamp = self.repo.clock()
            self._set_meta(inspector, stamp, {"signers": signers, "received_by": receiver, "signed_at": stamp})
            self._set_status(FINISHED, inspector)

    def reopen(self, inspector: str, reason: str = "") -> None:
        """Open a finished session for edits again; the reason is required and goes in the trail."""
        self._check_writable(editing=False)
        if self.session.status != FINISHED:
            raise SessionError("err.session.not_finished", id=self.session.id)
        reason = _checked(reason.strip(), "line", "reason")
        if not reason:
            raise SessionError("err.signoff.no_reason", id=self.session.id)
        with self._one_save():
            stamp = self.repo.clock()
            if not self.session.signed_at:  # finished by an older build: when, from its trail, so a
                finished = [e.time for e in self.audit() if e.field == "status" and e.new == FINISHED]
                if finished:                # change made now still says 已修改 (the names stay unknown)
                    self._set_meta(inspector, stamp, {"signed_at": finished[-1]})
            self._write(Change(audit=[audit_entry(inspector, stamp, REOPENED, None, reason)]))
            self._set_status(IN_PROGRESS, inspector)

    def review(self, inspector: str, by: str, comment: str = "") -> None:
        """The team leader's review (组长审核) of a signed-off session: who, when, comments."""
        self._check_writable(editing=False)
        if not self.session.finished:
            raise SessionError("err.signoff.review_unfinished", id=self.session.id)
        reviewer = _checked(by.strip(), "name", "by")
        if not reviewer:
            raise SessionError("err.signoff.no_reviewer", id=self.session.id)
        comment = _checked(comment.strip(), "note", "comment")
        stamp = self.repo.clock()
        self._set_meta(inspector, stamp, {"reviewed_by": reviewer, "reviewed_at": stamp, "review_comment": comment})

    def _set_meta(self, inspector: str, stamp: str, wanted: dict[str, Any]) -> None:
        session = self.session
        audit = [audit_entry(inspector, stamp, name, getattr(session, name), value)
                 for name, value in wanted.items() if getattr(session, name) != value]
        if not audit:
            return
        for entry in audit:
            setattr(session, entry["field"], entry["new"])
        session.updated = stamp
        self._write(Change(audit=audit, meta=self._meta()))

    def _set_status(self, status: str, inspector: str) -> None:
        old = self.session.status
        stamp = self.repo.clock()
        self.session.status = status
        self.session.updated = stamp
        entry = audit_entry(inspector, stamp, "status", old, status)
        self._write(Change(audit=[entry], meta=self._meta()))

    def _edited(self, stamp: str) -> None:
        """An edit of the record itself (answer, fact, attachment) at `stamp`: after a sign-off it
        makes the session amended (已修改) as of then."""
        self.session.updated = stamp
        if self.session.signed_at:
            self.session.amended_at = stamp


__all__ = ["NAME_FIELDS", "REOPENED", "SIGNOFF_FIELDS", "SignOff", "SignOffEdits", "TIME_FIELDS", "names", "signoff_of"]
