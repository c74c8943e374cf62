"""What an open session does with its rectifications (整改): the notice (period, date, issuer) and
each item's entry (person, deadline, the branch's report, 销号, reopening) — each change audited as a
field of its own and saved like an answer. Editable after finishing: the notice is issued then.
The records and their rules are rectification.py; OpenSession (editing.py) carries these methods.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..text import TextError, check as check_text
from .file import Change, audit_entry
from ..errors import SessionError
from . import rectification as rect
from ...texts import Line



class RectificationEdits:
    """The rectification half of OpenSession (a mixin: it uses the session, its result and _write)."""

    def rectifications(self) -> tuple[rect.Rectification, ...]:
        return rect.derive(self.session, self.result)

    def check_rectifiable(self) -> None:
        """SessionError (saying why) when rectifications cannot be edited here: a copy opened
        read-only. A finished session can: the notice is issued when it is finished."""
        self._check_writable(editing=False)

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
