"""One delayed call that a new request postpones: the screens' debounce timers in one place.

A key held down moves the cursor thirty times a second; the item under it is saved once the
cursor rests (`Debounce(screen, 0.3, save)`, `poke()` at every move). A failed save is retried
once after a pause, however many failures arrive meanwhile. The timer is the node's (Textual's
`set_timer`), so it stops with the node and runs on the interface's thread.
"""

from __future__ import annotations

from typing import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debounce:
    """`poke()` (re)starts the delay; `callback` runs when it passes without another poke."""

    def __init__(self, node: MessagePump, delay: float, callback: Callable[[], object]) -> None:
        self.node = node
        self.delay = delay
        self.callback = callback
        self._timer: Timer | None = None

    def poke(self) -> None:
        self.cancel()
        self._timer = self.node.set_timer(self.delay, self._fire)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def waiting(self) -> bool:
        return self._timer is not None

    def _fire(self) -> None:
        self._timer = None
        self.callback()
