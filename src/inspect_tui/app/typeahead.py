"""Keys typed fast go where the inspector will see them: one at a time, in order, none lost.

Textual forwards each key to the focused widget the moment it reaches the app, before the keys in
front of it have been handled. Typing `o 2 ⏎ 理由` blind: `o` opens a dialog, but `2 ⏎ 理由` were
already handed to the tree underneath (and lost, or taken as marks); typing `12 ⏎ 9 ⏎` in a form:
`9` was handed to the first field before Enter had moved the focus on, so the value read 129.

Here the app hands a key on only when everything the key before it set off has been handled: every
message queue of the app and the screens is empty, and no screen is still mounting. The wait is for
state, not time (no sleeping); a safety bound hands the key on after a second whatever happens, so a
busy screen can slow keys down but never swallow them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any, Awaitable, Callable, Iterator

from textual import events
from textual.app import App
from textual.widget import AwaitMount

SAFETY_SECONDS = 1.0


class TypeAheadApp(App[None]):
    """An App that hands typed keys on one at a time, each after the one before has settled."""

    _keys: "deque[events.Key]"
    _mounting = 0
    _pump_task: "asyncio.Task[None] | None" = None

    def push_screen(self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, **kwargs: Any) -> Any:
        result = super().push_screen(screen, callback, wait_for_dismiss, **kwargs)
        if isinstance(result, AwaitMount):
            self.hold_keys_until(lambda: result)
        return result

    def hold_keys_until(self, start: Callable[[], Awaitable[Any]]) -> bool:
        """Run `start()` and have the keys typed from now on wait until it is done: a part of a
        screen mounted after its first frame (answer_panel.py's editors), as a screen being pushed.
        False (nothing started) when the app is not running."""
        if not self.is_running:
            return False
        self._mounting += 1
        task = asyncio.get_running_loop().create_task(self._mounted(start()))
        task.add_done_callback(lambda _done: None)
        return True

    async def _mounted(self, mounting: Awaitable[Any]) -> None:
        try:
            await mounting
        finally:
            self._mounting = max(0, self._mounting - 1)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and not getattr(event, "_typed_ahead", False):
            if not hasattr(self, "_keys"):
                self._keys = deque()
            if not self._keys and not self._mounting and not self._busy():
                # Nothing in front of it and nothing still being handled: this key goes through now,
                # exactly as the pump below would hand it on (one round trip less per key).
                await super().on_event(event)
                return
            self._keys.append(event)
            if self._pump_task is None or self._pump_task.done():
                self._pump_task = asyncio.get_running_loop().create_task(self._hand_on())
            return
        await super().on_event(event)

    async def _hand_on(self) -> None:
        """Forward waiting keys one by one, each once the app has settled after the last."""
        while self._keys:
            await self._settled()
            key = self._keys.popleft()
            again = events.Key(key.key, key.character)
            again._typed_ahead = True  # type: ignore[attr-defined]  (this one goes through)
            self.post_message(again)
            await asyncio.sleep(0)  # let the app take it before the next settles

    async def _settled(self) -> None:
        deadline = time.monotonic() + SAFETY_SECONDS
        while (self._mounting or self._busy()) and time.monotonic() < deadline:
            await asyncio.sleep(0)

    def _busy(self) -> bool:
        return any(pump._message_queue.qsize() or pump._pending_message is not None for pump in self._pumps())

    def _pumps(self) -> Iterator[Any]:
        yield self
        for screen in self.screen_stack:
            yield screen
            yield from screen.walk_children(with_self=False)
