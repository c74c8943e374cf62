"""The facts pane (基本情况) beside the tree: switching to it and back with `f`, the keys typed
meanwhile, and the facts entered, confirmed from last time, and undone like any edit."""

from __future__ import annotations

from textual import events

from ....core.session.editing import OpenSession
from ....core.errors import SessionError
from ....i18n import t
from ...widgets.answer_panel import AnswerPanel
from ...widgets.facts_panel import FactsPanel
from ...widgets.item_tree import ItemTree
from ...widgets.pane_tabs import PaneTabs
from .undo import FactEdit, UndoStack


class FactsPane:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    inspector: str
    undo: UndoStack

    @property
    def pane(self) -> str:
        """The pane beside the tree: "answer" (the item) or "facts"."""
        return "facts" if self.query_one(FactsPanel).display else "answer"

    def show_pane(self, pane: str) -> None:
        if self.pane != pane:
            self.query_one(FactsPanel).display = pane == "facts"
            self.query_one(AnswerPanel).display = pane == "answer"
            self.query_one(PaneTabs).active = pane

    def on_key(self, event: events.Key) -> None:
        """`f` here, at once, not as a binding: a binding runs only when the key has bubbled up to the
        app, and the keys typed after it would meanwhile go to the tree (and `y` mark an item). Keys
        that reach the screen from outside the form while the form has the focus were typed before
        the focus moved into it: they go on to the form, in order."""
        panel = self.query_one(FactsPanel)
        if panel.holds_focus():
            if not getattr(event, "via_form", False):
                event.stop()
                event.prevent_default()
                self.focused._forward_event(events.Key(event.key, event.character))  # type: ignore[union-attr]
        elif event.key == "f" and isinstance(self.focused, ItemTree):
            event.stop()
            event.prevent_default()
            self.action_facts()

    def action_facts(self) -> None:
        """`f`: into the form (at the field last used), or, from inside it, back to the tree."""
        panel = self.query_one(FactsPanel)
        if self.pane == "facts" and panel.holds_focus():
            self._leave_facts()
            return
        self.show_pane("facts")
        panel.focus_field()

    def _leave_facts(self) -> None:
        self.show_pane("answer")
        self.set_focus(self.query_one(ItemTree))  # at once: the next key is for the items

    def on_facts_panel_leave(self) -> None:
        self.show_pane("answer")

    def on_pane_tabs_chosen(self, event: PaneTabs.Chosen) -> None:
        if event.pane == "facts" and self.pane != "facts":
            self.action_facts()
        elif event.pane == "answer" and self.pane != "answer":
            self._leave_facts()

    def on_facts_panel_changed(self, event: FactsPanel.Changed) -> None:
        old = self.opened.session.facts.get(event.fact_id)
        try:
            self.opened.set_fact(event.fact_id, event.value, self.inspector)
        except SessionError as exc:
            self.refused(exc)
            self.query_one(FactsPanel).set_values(self.opened.session.facts)
            return
        self.undo.push(FactEdit(event.fact_id, old, self.opened.session.facts.get(event.fact_id)))
        self._saving()
        self.refresh_all()

    def on_facts_panel_confirm_previous(self, event: FactsPanel.ConfirmPrevious) -> None:
        """Last time's values entered as found today: audited and undone like any fact edit."""
        before = dict(self.opened.session.facts)
        try:
            entered = self.opened.confirm_previous(self.inspector, event.fact_ids)
        except SessionError as exc:
            self.refused(exc)
            return
        for fact_id in entered:
            self.undo.push(FactEdit(fact_id, before.get(fact_id), self.opened.session.facts.get(fact_id)))
        self.query_one(FactsPanel).set_values(self.opened.session.facts)
        self._saving()
        self.refresh_all()
        self.say(t("session.confirmed", count=len(entered)))
