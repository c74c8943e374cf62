"""A re-inspection's carried rectifications on the inspection screen: each carried item's detail
shows what was promised and what this visit finds (widgets/carried_note.py), and `X` confirms one
found 符合 — the core closes it in the earlier session (core/session/reinspect_edits.py)."""

from __future__ import annotations

from typing import Any

from ....core.analysis.item_results import Result
from ....core.analysis.reinspection import carried_item, outcome_of
from ....core.errors import SessionError
from ....core.session.editing import OpenSession
from ....i18n import t
from ....store import StorageError
from ...widgets.answer_panel import AnswerPanel


class CarriedRectifications:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    inspector: str

    def init_carried(self: Any) -> None:
        if self.opened.session.carried:
            self.query_one(AnswerPanel).outcome = self.carried_outcome

    def carried_outcome(self, item_id: str, result: Result) -> Any:
        carried = carried_item(self.opened.session, item_id)
        return None if carried is None else outcome_of(self.opened.session, result, carried)

    def action_confirm_carried(self: Any) -> None:
        """复查确认销号 on the item under the cursor; the core refuses, with one line, what it cannot do
        (not carried, not 符合, the earlier session locked by someone else)."""
        item = self.current()
        if item is None:
            return
        try:
            self.opened.confirm_carried(item.id, self.inspector)
        except (SessionError, StorageError) as exc:
            self.refused(exc)
            return
        self.say(t("reinspect.done", item=item.id))
        self.show_current()
