"""The current item: what the standard says, the live deduction, and the inspector's record.

The clause, guidance, rules and deduction are rendered from the core; the count, note and
evidence editors send `AnswerPanel.Edited` messages, which the screen turns into saves.

The editors are built just after the frame that first shows an item (`build_editors`, called by
the screen): the inspector's first frame is the tree and the item's detail, and the note editor,
a TextArea, costs ~8 ms to import and a few more to style. A key that needs an editor before it
is there (`e`, `c`, `p`) builds it at once; the keys typed after it wait until it has the focus
(typeahead.py), so none is lost or lands elsewhere.
"""

from __future__ import annotations

from ...quick_dataclass import dataclass
from typing import Any, Callable, Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from ...core.session.answers import Answer
from ...core.checklist.model import Checklist, Item
from ...core.analysis.item_results import Result
from ...i18n import state_label, t
from ..render import item_detail
from .clean_input import CleanInput


class AnswerPanel(VerticalScroll):
    """Detail and editors for one item.

    `note_typed(item_id, text)`, when set, hears of every edit of the note as it happens."""

    note_typed: Callable[[str, str], None] | None = None

    # The editors' names are their border titles, not Labels above them: three widgets fewer to
    # style on opening and to visit on every frame, in the same lines (a label and its margin took
    # the two lines a border takes).
    DEFAULT_CSS = """
    AnswerPanel { padding: 0 1; }
    AnswerPanel #detail { height: auto; }
    AnswerPanel .editor { border-title-color: $text-muted; border-title-align: left; }
    AnswerPanel .editor:focus, AnswerPanel .editor:focus-within { border-title-color: $text; }
    AnswerPanel #count-row { height: auto; }
    AnswerPanel #count { width: 14; }
    AnswerPanel #count-hint { color: $text-muted; padding: 1 1 0 1; width: 1fr; }
    AnswerPanel #note { height: 6; min-height: 3; }
    AnswerPanel.-group .editor { display: none; }
    """

    @dataclass
    class Edited(Message):
        """The inspector changed the count, note or evidence of `item_id`."""

        item_id: str
        field: str
        value: object

    def __init__(self, checklist: Checklist, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.checklist = checklist
        self.item: Item | None = None
        self._editable = True
        self.previous: tuple[str, dict] | None = None  # (date, item id → (state, Answer)) of last time
        # a re-inspection: the outcome of the rectification carried for an item, or None
        self.outcome: Callable[[str, Result], Any] | None = None
        self._shown: tuple | None = None  # what the detail was last drawn from
        self._detail_size: tuple[int, int] = (0, 0)  # (width, lines) it was laid out at
        self._editors = "none"  # none | building | built (build_editors)
        self._after_build: list[Callable[[], None]] = []
        self._answer = Answer()  # the answer the editors show (or will, once built)
        self._want_editable = True

    def compose(self) -> ComposeResult:
        yield Static(id="detail")

    @property
    def editors_built(self) -> bool:
        return self._editors == "built"

    def build_editors(self, then: Callable[[], None] | None = None) -> None:
        """Mount the count, note and evidence editors (once), load the current answer into them,
        then call `then` (e.g. focus one). Keys typed meanwhile wait for it (`hold_keys_until`)."""
        if self._editors == "built":
            if then is not None:
                then()
            return
        if then is not None:
            self._after_build.append(then)
        if self._editors == "building":
            return
        self._editors = "building"
        from .note_area import NoteArea  # TextArea and its document machinery: off the first frame

        count = CleanInput(id="count", placeholder="0", restrict=r"\d*", classes="editor")
        count.border_title = t("answer.count")
        row = Horizontal(count, Static(t("answer.count_hint"), id="count-hint"), id="count-row", classes="editor")
        row.display = self.item is not None and self.uses_count(self.item)
        note = NoteArea(id="note", soft_wrap=True, show_line_numbers=False, classes="editor")
        note.border_title = t("answer.note")
        note.typed = self._note_now
        evidence = CleanInput(id="evidence", classes="editor")
        evidence.border_title = t("answer.evidence")
        self._editable = self._want_editable
        for widget in (count, note, evidence):
            widget.disabled = not self._editable
        mounting = self.mount_all([row, note, evidence])

        async def built() -> None:
            await mounting
            self._editors = "built"
            self._load_editors()
            waiting, self._after_build = self._after_build, []
            for call in waiting:
                call()

        hold = getattr(self.app, "hold_keys_until", None)
        if hold is None or not hold(built):  # a plain App (a test of the panel alone)
            self.call_later(built)

    def show(self, item: Item, result: Result, answer: Answer | None, editable: bool,
             facts: Mapping[str, Any] | None = None, attachments: tuple[Any, ...] = ()) -> None:
        """Show `item`, the standard's blanks filled from `facts` (a new fact means a new
        `result`, so the cache below sees it); the editors are reloaded only when the item
        changes (typing is not lost)."""
        found = self.outcome(item.id, result) if self.outcome is not None else None  # a carried rectification
        shown = (item.id, id(result), answer, editable, id(self.previous), found, attachments)
        if shown == self._shown:
            return  # the same item, result and answer as drawn: nothing to do
        self._shown = shown
        detail = item_detail(self.checklist, item, result, facts)
        if self.previous is not None and found is None:  # a carried item says last time in its own words
            date, findings = self.previous
            last_state, last_answer = findings.get(item.id, (None, None))
            detail.append("\n" + t("answer.previous", date=date) + " ", style="bold")
            detail.append(state_label(last_state) if item.id in findings else t("answer.previous_absent"),
                          style={"fail": "red", "pass": "green"}.get(last_state or "", "dim"))
            if last_answer is not None and last_answer.note:
                detail.append("  " + last_answer.note.replace("\n", " "), style="italic")
            detail.append("\n")
        if found is not None:
            from .carried_note import carried_text

            detail.append_text(carried_text(found))
        if attachments:  # the files attached (v), opened with V
            detail.append("\n" + t("answer.attachments", n=len(attachments)), style="bold")
            for a in attachments:
                detail.append("\n  " + a.describe())
            detail.append("\n")
        if not item.is_leaf:
            detail.append("\n" + t("answer.group"), style="dim")
        self._update_detail(detail)
        if self.item is not None and self.item.id == item.id and editable == self._editable:
            return
        # Restyling is the expensive part of a redraw: touch classes and editors only on a new item.
        if self.has_class("-group") == item.is_leaf:
            self.set_class(not item.is_leaf, "-group")
        self.item = item
        self._answer = answer or Answer()
        self._want_editable = editable
        if self._editors == "built":
            self._load_editors()

    def _load_editors(self) -> None:
        """The current item's count, note and evidence into the editors, without Changed messages."""
        item, answer, editable = self.item, self._answer, self._want_editable
        row = self.query_one("#count-row")
        uses_count = item is not None and self.uses_count(item)
        if row.display != uses_count:
            row.display = uses_count
        count, note, evidence = self.query_one("#count", Input), self.query_one("#note"), self.query_one("#evidence", Input)
        with count.prevent(Input.Changed), note.prevent(type(note).Changed), evidence.prevent(Input.Changed):
            # Only what differs: reloading an editor repaints it even when the text is the same.
            if count.value != (shown := "" if answer.count is None else str(answer.count)):
                count.value = shown
            if note.text != answer.note:
                note.load_text(answer.note)
            if evidence.value != (shown := "; ".join(answer.evidence)):
                evidence.value = shown
        if editable != self._editable:
            self._editable = editable
            for widget in (count, note, evidence):
                widget.disabled = not editable

    def _update_detail(self, detail: Text) -> None:
        """Replace the detail text; ask for a new layout only when its height changes (a layout
        redraws the whole screen, and most items' details are as tall as the one before)."""
        static = self.query_one("#detail", Static)
        width = static.content_region.width
        lines = len(detail.wrap(self.app.console, width)) if width > 0 else -1
        size = (width, lines)
        static.update(detail, layout=lines < 0 or size != self._detail_size)
        self._detail_size = size

    @staticmethod
    def uses_count(item: Item) -> bool:
        """Does the inspector's count matter here (a per-instance rule counting by hand)?"""
        return item.is_leaf and any(getattr(rule, "per", None) is not None and rule.count is None for rule in item.rules)

    def reload(self) -> None:
        """Forget the shown item so the next `show` reloads the editors (after an undo)."""
        self.item = None
        self._shown = None

    def _edited(self, field: str, value: object) -> None:
        if self.item is not None:
            self.post_message(self.Edited(self.item.id, field, value))

    def _note_now(self, text: str) -> None:
        if self.item is not None and self.note_typed is not None:
            self.note_typed(self.item.id, text)

    def on_text_area_changed(self, event: Any) -> None:  # TextArea.Changed (not imported: see the module's text)
        if event.text_area.id == "note":
            self._edited("note", event.text_area.text)

    @on(Input.Changed, "#count")
    def _count(self, event: Input.Changed) -> None:
        value = event.value.strip()
        self._edited("count", int(value) if value else None)

    @on(Input.Changed, "#evidence")
    def _evidence(self, event: Input.Changed) -> None:
        paths = [p.strip() for p in event.value.replace("；", ";").split(";") if p.strip()]
        self._edited("evidence", paths)

    @property
    def note_text(self) -> str:
        """The note editor's text as it is now (the answer's note while the editor is not built)."""
        if self._editors != "built":
            return self._answer.note
        return self.query_one("#note").text  # type: ignore[attr-defined]

    def focus_note(self) -> None:
        self.build_editors(lambda: self.query_one("#note").focus())

    def focus_count(self) -> None:
        self.build_editors(lambda: self.query_one("#count", Input).focus())

    def focus_evidence(self) -> None:
        self.build_editors(lambda: self.query_one("#evidence", Input).focus())
