"""`inspect-tui serve`: the same app in a browser tab, for a colleague without a terminal habit.

textual-serve starts one `inspect-tui` process per browser tab. It listens on the loopback
address only — never on the network — so only someone at this computer can reach it. Two tabs
opening the same session are kept apart by the session lock, as two terminals would be.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from ..core import paths
from ..i18n import lang, t

HOST = "127.0.0.1"  # loopback only, by construction: there is no option to change it


def command_line(args: argparse.Namespace) -> str:
    """The command each browser tab runs: this interpreter, this sessions folder, this language."""
    parts = [sys.executable, "-m", "inspect_tui", "--lang", lang(), "--sessions", str(paths.sessions_dir(args.sessions))]
    for folder in args.checklists:
        parts += ["--checklists", folder]
    return shlex.join(parts)


def serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        from .main import UsageError

        raise UsageError(t("serve.missing")) from None
    print(t("serve.listening", url=f"http://{HOST}:{args.port}"), flush=True)
    Server(command_line(args), host=HOST, port=args.port, title="inspect-tui").serve()
    return 0
