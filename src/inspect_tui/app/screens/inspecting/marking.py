"""Marking on the inspection screen: 符合/不符合/不适用 and what follows them, the editors (note,
count, evidence, a manual deduction), and undo.

Every edit goes to the core at once (`OpenSession.set_answer`), which updates the in-memory
session; the screen rescores and redraws, and the saver writes the change on its own thread. A
note is handed over at every keystroke (the core makes one audit entry per typing burst).
"""

from __future__ import annotations

from typing import Any

from ....core.analysis.progress import next_to_mark
from ....core.analysis.scoring import Result
from ....core.checklist.model import Checklist, Item, State
from ....core.session.answers import Answer, Override
from ....core.session.editing import OpenSession
from ....core.errors import SessionError
from ....i18n import state_label, t
from ...widgets.answer_panel import AnswerPanel
from ...widgets.facts_panel import FactsPanel
from .undo import AnswerEdit, UndoStack


class Marking:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    inspector: str
    checklist: Checklist
    result: Result
    undo: UndoStack

    def edit_answer(self, item_id: str, undoable: bool = True, redraw: bool = True, show: bool = True, **changes: Any) -> bool:
        old = self.opened.session.answers.get(item_id, Answer())
        try:
            self.opened.set_answer(item_id, self.inspector, **changes)
        except SessionError as exc:
            if redraw:
                self.refused(exc)
            return False
        if self.opened.session.answers.get(item_id, Answer()) == old:
            return True  # nothing changed: nothing to save, undo or redraw
        if undoable:
            self.undo.push(AnswerEdit(item_id, old, self.opened.session.answers.get(item_id, Answer())))
        if redraw:
            self._saving()
            self.refresh_all(show=show, touched=item_id)
        return True

    def leaf_or_warn(self) -> Item | None:
        item = self.current()
        if item is None:
            return None
        if not item.is_leaf:
            self.warn(t("insp.group"))
            return None
        return item

    def action_mark(self, state: str) -> None:
        """Mark the item under the cursor. 符合 and 不适用 move on to the next item to mark by hand,
        saying which computed items were passed over; 不符合 stays, since a failure usually wants a
        note or a count next. A computed item explains itself instead of taking a mark."""
        item = self.leaf_or_warn()
        if item is None:
            return
        if item.computed and state != "na":
            self.explain_computed(item)
            return
        # Moving on redraws the detail anyway (for the next item): do not draw this one first.
        if not self.edit_answer(item.id, show=False, state=State(state)):
            return
        waiting = self.result.items[item.id]
        if waiting.state is None and waiting.pending:  # kept, but no verdict until the facts say it applies
            facts = "、".join(self.checklist.fact(f).label for f in waiting.pending)
            self.say(t("insp.marked_pending", facts=facts), timeout=4)
        following = next_to_mark(self.checklist, self.result, item.id) if state != "fail" else None
        if following is not None and following.item_id is not None and following.item_id != item.id:
            self._land_on(following.item_id)
            if following.passed_computed:
                self.say(t("insp.passed_computed", n=len(following.passed_computed)), timeout=3)
        else:
            self.show_current()

    def explain_computed(self, item: Item) -> None:
        """“本项由基本情况自动判定”: what it is now and what it waits for, and how to change it."""
        r = self.result.items[item.id]
        if r.state is None and r.pending:
            facts = "、".join(self.checklist.fact(f).label for f in r.pending)
            message = t("insp.computed_pending", facts=facts)
        else:
            message = t("insp.computed_state", state=state_label(r.state.value if r.state else None))
        self.say(message, timeout=4)

    def action_cycle(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        order = [None, State.PASS, State.FAIL] + ([State.NA] if item.na_allowed else [])
        current = self.opened.session.answers.get(item.id, Answer()).state
        following = order[(order.index(current) + 1) % len(order)] if current in order else State.PASS
        self.edit_answer(item.id, state=following)

    def action_clear(self) -> None:
        item = self.leaf_or_warn()
        if item is not None:
            self.edit_answer(item.id, state=None)

    def action_override(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        if not any(i.points is not None for i in self.checklist.path_to(item.id)):
            self.warn(t("insp.no_points"))
            return
        from ..dialogs import OverrideDialog

        answer = self.opened.session.answers.get(item.id, Answer())
        current = answer.override

        def done(value: Any) -> None:
            if value is None:
                return
            if value is False:
                self.edit_answer(item.id, override=None)
            else:
                points, reason = value
                self.edit_answer(item.id, override=Override(points, reason))

        self.app.push_screen(
            OverrideDialog(item.text, current.points if current else None, current.reason if current else "", item.points),
            done,
        )

    def on_answer_panel_edited(self, event: AnswerPanel.Edited) -> None:
        if event.field == "note":
            # Usually saved already by `_note_typed`; this catches the editor's own undo/redo.
            # The message may be older than the last keystroke: save the editor's text as it is
            # now, never the message's, so a late message cannot put an older note back.
            panel = self.query_one(AnswerPanel)
            if panel.item is not None and panel.item.id == event.item_id:
                self._note_typed(event.item_id, panel.note_text)
        else:
            self.edit_answer(event.item_id, **{event.field: event.value})

    def _note_typed(self, item_id: str, text: str) -> None:
        """A keystroke in the note editor: save the note now. One undo step per typing burst.
        Nothing else to redraw (the editor shows the text already) unless the item gains or
        loses its note, which its tree label shows."""
        undoable = not self.opened.typing_continues(item_id)
        had_note = bool(self.opened.session.answers.get(item_id, Answer()).note)
        relabel = had_note != bool(text)
        self.edit_answer(item_id, undoable=undoable, redraw=relabel, show=False, typing=True, note=text)
        if not relabel:
            self._saving()

    def action_note(self) -> None:
        if self.leaf_or_warn() is not None:
            self.show_pane("answer")
            self.query_one(AnswerPanel).focus_note()

    def action_count(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        if not self.query_one(AnswerPanel).uses_count(item):
            self.warn(t("insp.no_count"))
            return
        self.show_pane("answer")
        self.query_one(AnswerPanel).focus_count()

    def action_evidence(self) -> None:
        if self.leaf_or_warn() is not None:
            self.show_pane("answer")
            self.query_one(AnswerPanel).focus_evidence()

    def action_undo(self) -> None:
        edit = self.undo.pop()
        if edit is None:
            self.say(t("insp.nothing_to_undo"))
        elif isinstance(edit, AnswerEdit):
            if self.edit_answer(edit.item_id, undoable=False, **edit.restore()):
                self.query_one(AnswerPanel).reload()
                self.go_to(edit.item_id)
                self.say(t("insp.undone", what=self.checklist.item(edit.item_id).text))
        else:
            try:
                self.opened.set_fact(edit.fact_id, edit.before, self.inspector)
            except SessionError as exc:
                self.refused(exc)
                return
            self.query_one(FactsPanel).set_values(self.opened.session.facts)
            self._saving()
            self.refresh_all()
            self.say(t("insp.undone", what=self.checklist.fact(edit.fact_id).label))
