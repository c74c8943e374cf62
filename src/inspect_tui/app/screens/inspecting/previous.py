"""Last time's inspection, for a re-inspection: its findings beside each item, its facts as 上次,
and the comparison (对比上次检查); and whether the standard has a newer version than the one
this session froze. Both read files: thread workers, reporting with messages."""

from __future__ import annotations

from ....quick_dataclass import dataclass
from typing import Any

from textual import work
from textual.message import Message

from ....core.checklist.model import Checklist
from ....core.session.editing import OpenSession
from ....i18n import t
from ...widgets.answer_panel import AnswerPanel
from ...widgets.facts_panel import FactsPanel


class PreviousInspection:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    checklist: Checklist
    previous_session: Any  # a re-inspection's last time, once read

    @work(thread=True, exclusive=True, group="newer-version")
    def check_newer_version(self) -> None:
        """Say when the standard has a newer version than the one this session froze (reading the
        checklist files is disk work: off the UI thread)."""
        from ....core.checklist import catalog

        try:
            current = catalog.current_version(self.checklist.id, self.inspect_app.extra_checklists)
        except Exception:  # removed or broken: the frozen copy still works, nothing to say
            return
        if current is not None and current != self.opened.session.checklist_version:
            self.post_message(self.NewerVersion(current))

    @work(thread=True, exclusive=True, group="previous")
    def load_previous(self) -> None:
        """Last time's findings for a re-inspection, shown beside each item (read-only, off the UI thread)."""
        try:
            previous = self.opened.repo.open(self.opened.session.previous, write=False)
        except Exception:  # deleted or damaged: the re-inspection goes on without it
            return
        try:
            result = previous.session.score()
            findings = {
                item_id: (r.state.value if r.state else None, previous.session.answers.get(item_id))
                for item_id, r in result.items.items()
            }
        finally:
            previous.close()
        facts = self.opened.previous_facts()  # typed by this checklist; reads the file once more
        self.post_message(self.PreviousLoaded(previous.session.date.isoformat(), findings, previous.session, facts))

    @dataclass
    class PreviousLoaded(Message):
        date: str
        findings: dict
        session: Any  # the inspection this one follows, as read
        facts: dict  # its facts, shown as 上次 beside each field until confirmed

    def on_previous_inspection_previous_loaded(self, message: "PreviousInspection.PreviousLoaded") -> None:
        self.previous_session = message.session
        self.query_one(FactsPanel).set_previous(message.date, message.facts)
        self.query_one(AnswerPanel).previous = (message.date, message.findings)
        self.query_one(AnswerPanel).reload()
        self.show_current()

    @dataclass
    class NewerVersion(Message):
        version: str

    def action_compare(self) -> None:
        """A re-inspection against last time, as far as it has got (the palette's 对比上次检查)."""
        if self.previous_session is None:
            return
        from ....core.analysis.compare import compare
        from ..compare import CompareScreen

        self.app.push_screen(CompareScreen(compare(self.previous_session, self.opened.session)))

    def on_previous_inspection_newer_version(self, message: "PreviousInspection.NewerVersion") -> None:
        self.say(t("session.newer", version=message.version), timeout=10)
