"""The commands that open the app: home, open, view.

Kept apart from the headless commands so that starting the app imports only what the first
screen needs (checklists and YAML are loaded later, when asked for).
"""

from __future__ import annotations

import argparse
import functools
import gc
from typing import Callable

from ..core import paths


def _collector_paused(launcher: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a launcher with the cyclic garbage collector paused for the app's start-up.

    Start-up makes tens of thousands of objects that live as long as the app (Textual's widgets
    and styles, the checklist, the session); the collector walked them all again and again while
    they were being made — ~40 ms of CPU in `bench/open.py`. It is paused before the app's modules
    are imported; `InspectApp.started` (once the first screen is drawn) freezes what start-up made
    and turns it back on. On again here too, whatever happens (a bad id, an error, the app's end)."""

    @functools.wraps(launcher)
    def launch(args: argparse.Namespace) -> int:
        gc.disable()
        try:
            return launcher(args)
        finally:
            gc.enable()

    return launch


def _run(app) -> int:  # type: ignore[no-untyped-def]
    app.run()
    return app.return_code or 0


@_collector_paused
def view(args: argparse.Namespace) -> int:
    """A trial inspection of a checklist: the real screens, in a folder thrown away on exit."""
    from ..app.app import InspectApp
    from ..core.checklist import catalog

    checklist = catalog.find(args.checklist, args.checklists)

    app = InspectApp(checklist=checklist, extra_checklists=args.checklists, exports=args.exports)
    return _run(app)


@_collector_paused
def home(args: argparse.Namespace) -> int:
    from ..core.session.repository import SessionRepository

    from ..app.app import InspectApp

    repo = SessionRepository(paths.sessions_dir(args.sessions))
    app = InspectApp(repo=repo, extra_checklists=args.checklists, exports=args.exports)
    return _run(app)


def open_app(args: argparse.Namespace, session: str) -> int:
    """Open the app straight on a stored session (checked first, so a bad id is one line)."""
    from ..core.session.repository import SessionRepository

    repo = SessionRepository(paths.sessions_dir(args.sessions))
    session_id = repo.resolve(session)
    from ..app.app import InspectApp

    app = InspectApp(repo=repo, session_id=session_id, extra_checklists=args.checklists,
                     inspector=getattr(args, "inspector", None), exports=args.exports)
    return _run(app)


@_collector_paused
def open_session(args: argparse.Namespace) -> int:
    return open_app(args, args.session)
