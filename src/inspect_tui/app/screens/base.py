"""The base of every screen: the app as a typed interface, and the notices screens give.

`self.app` is Textual's `App`: what inspect-tui adds to it (the repository, the inspector, the
trial flag …) is unknown to a type checker there. Screens used to import `app.py` under
TYPE_CHECKING to `cast` it, or write `# type: ignore[attr-defined]`. Here the screens' view of the
app is a Protocol, `InspectAppInterface`: the few attributes and methods screens use, and nothing
else. A Protocol rather than the `InspectApp` class because `app.py` imports the screens (lazily,
to push them): a screen importing `app.py` back, even for typing only, is a cycle the import
graph and import-linter have to be told to ignore, and a Protocol also says which part of the app
a screen may lean on. `InspectApp` satisfies it structurally (tests/test_screen_base.py checks it).

The notices are the app's few kinds, with their usual timeouts, always without markup (what a
user typed or an error says must never be read as Rich markup).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, runtime_checkable

from textual.screen import ModalScreen, Screen

from ...i18n import say

if TYPE_CHECKING:
    from ...core.session.editing import OpenSession
    from ...core.session.repository import SessionRepository

ResultType = TypeVar("ResultType")


@runtime_checkable
class InspectAppInterface(Protocol):
    """What screens use of the app (app/app.py `InspectApp`)."""

    repo: "SessionRepository"
    inspector: str
    extra_checklists: list[str | Path]
    exports_option: "str | Path | None"

    @property
    def trial(self) -> bool: ...

    def started(self) -> None: ...

    def open_session(self, name: str, replace_home: bool = False) -> bool: ...

    def push_inspection(self, opened: "OpenSession") -> None: ...

    def leave_inspection(self) -> None: ...

    def action_help(self) -> None: ...


class Notices:
    """The typed app and the common notices, for screens and modal screens alike."""

    # provided by textual's Screen, which every user of this mixin is
    app: Any
    notify: Any

    @property
    def inspect_app(self) -> InspectAppInterface:
        # the one cast in the app: Textual types `self.app` as its own `App`
        return cast(InspectAppInterface, self.app)

    def say(self, text: str, timeout: float | None = None) -> None:
        """An information: done, moved, found."""
        self._notice(text, "information", timeout)

    def warn(self, text: str, timeout: float | None = None) -> None:
        """Something refused or missing; nothing is lost."""
        self._notice(text, "warning", timeout)

    def fail(self, text: str, timeout: float | None = None) -> None:
        """Something did not happen that was asked for (a save, a read, an export)."""
        self._notice(text, "error", timeout)

    def refused(self, exc: BaseException, severity: str = "warning", timeout: float | None = None) -> None:
        """A core error, in the interface's language (the core's “中文 (English)” texts)."""
        self._notice(say(exc), severity, timeout)

    def _notice(self, text: str, severity: str, timeout: float | None) -> None:
        if timeout is None:
            self.notify(text, severity=severity, markup=False)
        else:
            self.notify(text, severity=severity, timeout=timeout, markup=False)


class AppScreen(Notices, Screen[ResultType]):
    """A full screen of inspect-tui."""


class AppModal(Notices, ModalScreen[ResultType]):
    """A dialog of inspect-tui."""
