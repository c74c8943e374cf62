"""The footer, redrawn only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever the active bindings are recomputed: on
every focus change (into the note editor and out again) and every `refresh_bindings()`. Most of
those leave the shown keys exactly as they were, and the rebuild costs a full re-layout of the
screen. This footer compares what it would show with what it shows and skips the rebuild when
they are equal.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that recomposes only when its shown keys (or their enabled state) change."""

    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.action, binding.description, binding.key_display, enabled, tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if self._bindings_ready and shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
