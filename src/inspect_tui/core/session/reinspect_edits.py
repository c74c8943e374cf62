"""A re-inspection confirms a carried rectification put right (复查确认销号), closing the loop.

The confirmation is two audited edits, in this order:

1. the EARLIER session's rectification is closed (已销号) by the inspector, with the note
   "复查确认 <date>" — through that session's own `set_rectification`, opened writable for it under
   its lock; if it is locked by someone else, missing or damaged, the confirmation is refused with
   one line and nothing is written anywhere;
2. the re-inspection records the confirmation (`confirmed.<item>`, Session.confirmed).

Should the second write fail after the first (a full disk), the earlier session is closed, which
is what was confirmed; confirming again finds it closed and records the confirmation only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...texts import Message
from ..analysis.reinspection import CONFIRMED, TO_CONFIRM, carried_item, outcome_of
from ..errors import SessionError
from . import rectification as rect
from .carried import CONFIRMED_PREFIX, Confirmation, close_note, confirmation_to_data
from .file import Change, audit_entry


class ReinspectEdits:
    """The re-inspection half of OpenSession (a mixin: it uses the session, its repository, its
    result and _write)."""

    def confirm_carried(self: Any, item_id: str, inspector: str) -> Confirmation:
        """Confirm that carried rectification `item_id` is put right (the item is 符合 now)."""
        self._check_writable(editing=False)  # 销号 is done after finishing too, like the notice
        carried = carried_item(self.session, item_id)
        if carried is None:
            raise SessionError("err.reinspect.not_carried", item=item_id)
        found = outcome_of(self.session, self.result, carried)
        if found.outcome == CONFIRMED:
            raise SessionError("err.reinspect.already", item=item_id)
        if found.outcome != TO_CONFIRM:
            raise SessionError("err.reinspect.not_pass", item=item_id, outcome=Message(f"reinspect.outcome.{found.outcome}"))
        stamp = self.repo.clock()
        today = dt.datetime.fromisoformat(stamp).date()
        self._close_earlier(item_id, inspector, today)
        confirmation = Confirmation(inspector, today.isoformat())
        self.session.confirmed[item_id] = confirmation
        self.session.updated = stamp
        entry = audit_entry(inspector, stamp, CONFIRMED_PREFIX + item_id, None, confirmation_to_data(confirmation))
        self._write(Change(audit=[entry], meta=self._meta()))
        return confirmation

    def _close_earlier(self: Any, item_id: str, inspector: str, today: dt.date) -> None:
        previous = self.session.previous
        try:
            earlier = self.repo.open(previous, write=True, owner=inspector)
        except SessionError as exc:
            raise SessionError("err.reinspect.previous", id=previous, why=exc) from None
        try:
            earlier._check_writable(editing=False)  # another writer has it: said with who
            if earlier.session.rectifications.get(item_id, rect.Entry()).status != rect.CLOSED:
                earlier.set_rectification(item_id, inspector, rect.Request(close=True, by=inspector, note=close_note(today)))
        except SessionError as exc:
            raise SessionError("err.reinspect.previous", id=previous, why=exc) from None
        finally:
            earlier.close()


__all__ = ["ReinspectEdits"]
