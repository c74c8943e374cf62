"""An Input that removes, as they are typed or pasted, the characters the text gate refuses.

Everything typed into the app is text from outside (core/text.py): ESC, the C0/C1 controls, bidi
overrides and isolates, lone surrogates and non-characters would be refused when saved, so they
are taken out as they arrive — the inspector sees at once what will be kept. A pasted line break
ends what is kept, as in any Input (one line). Every change of the value passes `replace`: typing,
pasting and `insert`/`delete`.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ...core.text import clean, is_clean


class CleanInput(Input):
    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(text if is_clean(text) else clean(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps a paste's first line, split by str.splitlines, which also breaks at NEL
        # (U+0085) and the other controls: cleaned first, so only a real line break ends it.
        # (Input's own handler runs after this one, on the cleaned text.)
        if not is_clean(event.text, multiline=True):
            event.text = clean(event.text, multiline=True)
