"""The Textual application: it holds the repository and the inspector's name, and pushes screens.

    InspectApp(repo)                      → the home screen (sessions)
    InspectApp(repo, session_id="3f9a…")  → straight into that inspection
    InspectApp(repo, checklist=c)         → a trial inspection of `c` in a temporary folder
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message

if TYPE_CHECKING:
    from textual.screen import Screen

from ..core.checklist.model import Checklist
from ..core.session.editing import OpenSession
from ..core.errors import SessionError
from ..core.session.repository import SessionRepository, default_inspector
from ..i18n import t, localize, say
from .typeahead import TypeAheadApp


class Tightened(Message):
    """The sessions folder has been made owner-only (in a worker); the app says so if it changed."""


class InspectApp(TypeAheadApp):
    """inspect-tui."""

    CSS_PATH = "app.tcss"
    TITLE = "inspect-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {lambda: _commands()}
    BINDINGS = [
        Binding("ctrl+q", "quit", t("key.quit"), id="app.quit", priority=True),
        Binding("f1,question_mark", "help", t("key.help"), id="app.help"),
        Binding("ctrl+p", "command_palette", t("key.palette"), id="app.palette", show=False, priority=True),
    ]

    def get_line_filters(self):  # type: ignore[no-untyped-def]
        # every line drawn, whatever widget built it: no control reaches the terminal raw
        from .terminal_guard import NO_RAW_CONTROLS

        return [*super().get_line_filters(), NO_RAW_CONTROLS]

    def __init__(
        self,
        repo: SessionRepository | None = None,
        session_id: str | None = None,
        checklist: Checklist | None = None,
        extra_checklists: Iterable[str | Path] = (),
        inspector: str | None = None,
        exports: str | Path | None = None,
    ) -> None:
        super().__init__()
        self.exports_option = exports  # `--exports DIR`; see core.paths.exports_dir
        self._trial_dir: Path | None = None
        if checklist is not None and repo is None:
            import tempfile

            self._trial_dir = Path(tempfile.mkdtemp(prefix="inspect-tui-trial-"))
            repo = SessionRepository(self._trial_dir)
        if repo is None:
            from ..core import paths

            repo = SessionRepository(paths.sessions_dir())
        self.repo = repo
        self.session_id = session_id
        self.trial_checklist = checklist
        self.extra_checklists = list(extra_checklists)
        self.inspector = inspector or default_inspector()
        # A name the user gave (option or $INSPECT_TUI_INSPECTOR), not the login name guessed for them.
        self.inspector_given = bool(inspector) or bool(os.environ.get("INSPECT_TUI_INSPECTOR", "").strip())
        self.home_deferred = False  # opened straight on a session: the home screen comes on leaving it

    @property
    def trial(self) -> bool:
        """A trial inspection (`inspect-tui view`): real screens, a throw-away folder."""
        return self._trial_dir is not None

    def on_mount(self) -> None:
        if not self.is_headless:
            self._catch_hangups()
        self._tell_tightened()
        if self.trial_checklist is not None:
            opened = self.repo.create(self.trial_checklist, t("trial.branch"), inspectors=[self.inspector])
            self.push_inspection(opened)
        elif self.session_id is not None:
            self.open_session(self.session_id, replace_home=True)
        else:
            self.push_home()

    def _tell_tightened(self) -> None:
        """Sessions copied with `cp -r` are readable by everyone: made owner-only (a folder scan and
        a stat per file, off the UI thread so the first frame does not wait for it), said once."""
        self.run_worker(self._tighten, thread=True, group="tighten")

    def _tighten(self) -> None:
        if not self.trial and self.repo.folder.is_dir():
            self.repo.tighten_all()
        self.post_message(Tightened())

    def on_tightened(self, _message: "Tightened") -> None:
        from ..core.session import repository

        if self.repo.tightened:  # this repository's only (`inspect-tui open` tightened before the app ran)
            self.notify(say(repository.tightened_notice(self.repo.tightened)), timeout=10, markup=False)
            # said here: the CLI says nothing more when the app exits
            repository.tightened_this_run[:] = [p for p in repository.tightened_this_run if p not in self.repo.tightened]

    def started(self) -> None:
        """The first screen is drawn: start-up is over. What it made lives as long as the app, so
        it is frozen out of the cyclic collector's walks (`gc.freeze`), and the collector, paused
        by the launcher for the start-up (cli/launch.py), runs again. Once; a no-op when the app
        was not started by a launcher (tests) — the collector was never paused then."""
        import gc

        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def push_home(self) -> None:
        from .screens.home import HomeScreen

        self.push_screen(HomeScreen())

    def open_session(self, name: str, replace_home: bool = False) -> bool:
        """Open a stored session on the inspection screen; a problem becomes a notification."""
        try:
            opened = self.repo.open(name, owner=self.inspector)
        except SessionError as exc:
            if replace_home:
                self.push_home()
            self.notify(say(exc), severity="error", timeout=10, markup=False)
            return False
        if opened.read_only and (opened.holder is not None or opened.lock_problem):
            why = opened.holder.describe() if opened.holder is not None else localize(opened.lock_problem)  # the store's line: one half
            self.notify(t("session.read_only", holder=why), severity="warning", timeout=10, markup=False)
        # `inspect-tui open ID`: the home screen is what Esc leads to, not what the first frame
        # shows — it is built when the inspection is left (`leave_inspection`), not beneath it.
        self.home_deferred = self.home_deferred or replace_home
        self.push_inspection(opened)
        return True

    def leave_inspection(self) -> None:
        """The inspection screen is done: back to what is beneath it, the home screen (built now
        when it was deferred), or out of the app when nothing is."""
        if len(self.screen_stack) > 2:
            self.pop_screen()
        elif self.home_deferred:
            from .screens.home import HomeScreen

            self.home_deferred = False
            self.switch_screen(HomeScreen())
        else:
            self.exit()

    def push_inspection(self, opened: OpenSession) -> None:
        from .screens.inspection import InspectionScreen

        self.push_screen(InspectionScreen(opened, self.inspector))

    def exit(self, result: None = None, return_code: int = 0, message: Any = None) -> None:
        """End the app. Nothing keeps the focus from here on: Textual closes the widgets one by
        one, and each focused one closed handed the focus to the next (blur, focus, both
        restyled: ~30 ms of work at every exit that no one sees)."""
        try:
            self.screen.set_focus(None)
        except Exception:  # no screen yet (an exit before the first one): nothing to blur
            pass
        super().exit(result, return_code, message)

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the interface's language (it says "Search for
        commands…" otherwise)."""
        from .palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(placeholder=t("palette.placeholder"), id="--command-palette"))

    def get_system_commands(self, screen: "Screen") -> Iterable[SystemCommand]:
        """Textual's own palette entries (Keys, Maximize, Quit, Screenshot, Theme) are English;
        ours say the same in the interface's language (themes are among the app's commands)."""
        _t = t  # the palette's words are in the one catalogue (texts/app.py)

        yield SystemCommand(_t("sys.keys"), _t("sys.keys_help"), self.action_help)
        yield SystemCommand(_t("sys.quit"), _t("sys.quit_help"), self.action_quit)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _catch_hangups(self) -> None:
        """SIGTERM and SIGHUP (logout, the terminal window closed, a system shutting down) end the
        app the way Ctrl+Q does: pending edits written, the session lock released, the terminal
        restored. The handler is the event loop's (`add_signal_handler`): it runs between two
        messages, on this thread, never inside a raw signal handler that could interrupt a save
        half-way and deadlock on its lock."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, self.hang_up, signum)
            except (NotImplementedError, RuntimeError, ValueError, AttributeError):
                pass  # no such signal here (Windows) or not the main thread: the default stays

    def hang_up(self, signum: int) -> None:
        """Save and close every open inspection, then exit (128 + the signal, as a shell reports)."""
        from .screens.inspection import InspectionScreen

        for screen in list(self.screen_stack):
            if isinstance(screen, InspectionScreen):
                screen.close_session()  # waits for the saver's last fsync, releases the lock
        self.exit(return_code=128 + signum)

    def on_unmount(self) -> None:
        if self._trial_dir is not None:
            import shutil

            shutil.rmtree(self._trial_dir, ignore_errors=True)


def _commands() -> type:
    """The command palette's provider, imported only when the palette opens."""
    from .commands import InspectCommands

    return InspectCommands
