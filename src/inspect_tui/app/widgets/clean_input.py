"""An Input that removes, as they are typed or pasted, the characters the text gate refuses.

Everything typed into the app is text from outside (core/text.py): ESC, the C0/C1 controls, bidi
overrides and isolates, lone surrogates and non-characters would be refused when saved, so they
are taken out as they arrive — the inspector sees at once what will be kept. A pasted line break
becomes a space (an Input holds one line). Every change of the value passes `replace`: typing,
pasting and `insert`/`delete`.
"""

from __future__ import annotations

from textual.widgets import Input

from ...core.text import clean, is_clean


class CleanInput(Input):
    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(text if is_clean(text) else clean(text), start, end)
