"""The commands that open the app: home, open, view.

Kept apart from the headless commands so that starting the app imports only what the first
screen needs (checklists and YAML are loaded later, when asked for).
"""

from __future__ import annotations

import argparse

from ..core import paths


def view(args: argparse.Namespace) -> int:
    """A trial inspection of a checklist: the real screens, in a folder thrown away on exit."""
    from ..app.app import InspectApp
    from ..core.checklist import catalog

    checklist = catalog.find(args.checklist, args.checklists)

    app = InspectApp(checklist=checklist, extra_checklists=args.checklists, exports=args.exports)
    app.run()
    return app.return_code or 0


def home(args: argparse.Namespace) -> int:
    from ..core.session.repository import SessionRepository

    from ..app.app import InspectApp

    repo = SessionRepository(paths.sessions_dir(args.sessions))
    app = InspectApp(repo=repo, extra_checklists=args.checklists, exports=args.exports)
    app.run()
    return app.return_code or 0


def open_app(args: argparse.Namespace, session: str) -> int:
    """Open the app straight on a stored session (checked first, so a bad id is one line)."""
    from ..core.session.repository import SessionRepository

    repo = SessionRepository(paths.sessions_dir(args.sessions))
    session_id = repo.resolve(session)
    from ..app.app import InspectApp

    app = InspectApp(repo=repo, session_id=session_id, extra_checklists=args.checklists,
                     inspector=getattr(args, "inspector", None), exports=args.exports)
    app.run()
    return app.return_code or 0


def open_session(args: argparse.Namespace) -> int:
    return open_app(args, args.session)
