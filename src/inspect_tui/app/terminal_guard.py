"""The app's last line of defence: no control character reaches the terminal from a widget.

The screens draw text from files — checklist texts, branch names, notes — through `text.shown`
where they put it into a widget (render.py, the item tree, the status bar, the session list), so
an escape that slipped past the gate is seen as \\x1b. This line filter runs on every line Textual
draws, whatever built it, and removes what would still act on the terminal: ESC and the other
C0/C1 controls, DEL and the bidi controls, all of which take no cell, so removing them keeps the
layout; a lone surrogate (one cell, and not encodable as UTF-8: the output would fail) becomes
U+FFFD. Clean lines — all of them, normally — are returned as they are.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_ZERO_WIDTH = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _safe(text: str) -> str:
    return _SURROGATE.sub("\ufffd", _ZERO_WIDTH.sub("", text))


class NoRawControls(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        # one search per line drawn (this runs on every line of every frame), not one per segment
        if _ANY.search("".join(segment.text for segment in segments)) is None:
            return segments
        return [Segment(_safe(s.text), s.style, s.control) if s.text and _ANY.search(s.text) else s for s in segments]


NO_RAW_CONTROLS = NoRawControls()
