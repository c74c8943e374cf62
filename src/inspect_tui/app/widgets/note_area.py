"""The note editor of the answer panel (answer_panel.py builds it after the first frame)."""

from __future__ import annotations

from typing import Callable

from .clean_text_area import CleanTextArea


class NoteArea(CleanTextArea):
    """The note editor. Each edit is also reported at once to `typed`, before the edited text
    can be drawn: the save is handed over, and the status bar says 保存中, in the same frame that
    shows the new text (a `Changed` message would arrive after a frame or two of ✓ 已保存)."""

    typed: Callable[[str], None] | None = None

    def edit(self, edit):  # type: ignore[no-untyped-def]
        result = super().edit(edit)  # CleanTextArea: what the text gate refuses is removed first
        if self.typed is not None:
            self.typed(self.text)
        return result
