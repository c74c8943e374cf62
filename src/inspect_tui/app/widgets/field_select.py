"""A drop-down for a form, where Enter means “next field” as the form's hint says.

Textual's Select opens its list on Enter. In a form filled by keyboard that makes Enter do two
different things (open a list here, move on everywhere else), and a value typed straight after
lands in the wrong field. Here Enter on a chosen value moves to the next field; on a blank one it
opens the list; ↓, ↑ and space open it too.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.widgets import Select

T = TypeVar("T")


class FieldSelect(Select[T]):
    BINDINGS = [
        Binding("enter", "advance", show=False),
        Binding("down,space,up", "show_overlay", show=False),
    ]

    def action_advance(self) -> None:
        if self.is_blank():
            self.action_show_overlay()
        else:
            self.screen.focus_next()
