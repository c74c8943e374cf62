"""A TextArea that removes what the text gate refuses from every edit, typed or pasted.

Apart from clean_input.py so that what uses only the one-line Input (the inspection screen's first
frame) does not import TextArea and its document machinery (~8 ms).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea

from ...core.text import clean, is_clean


class CleanTextArea(TextArea):
    """A TextArea that removes what the text gate refuses from every edit, typed or pasted
    (line breaks stay: it is multi-line)."""

    def edit(self, edit: Any) -> Any:
        if not is_clean(edit.text, multiline=True):
            edit.text = clean(edit.text, multiline=True)
        return super().edit(edit)
