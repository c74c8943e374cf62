"""What every command shares: the one error for a wrong argument, dates and counts as arguments,
JSON on stdout, and how any error becomes one line and an exit code.

Light on purpose: the parser is built on every run (the app's start-up included), so nothing
here imports the core until an error or a command needs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

from ..i18n import say, t


class UsageError(Exception):
    """A wrong argument: printed as one line, exit 2."""


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(t("cli.bad_date", value=text)) from None


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(t("cli.bad_port", value=text))
    return value


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_count", value=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(t("cli.bad_count", value=text))
    return value


def print_json(data: Any) -> None:
    # escaped before encoding (core/text.py): a bidi control or lone surrogate becomes the visible
    # text \u202e in the string, as in every export, and the JSON stays valid
    from ..core.text import shown_all

    # one write: json.dump writes every token separately, each through the stream's escape check
    # (cli/text.ShownStream), seconds for the folder's rectifications
    sys.stdout.write(json.dumps(shown_all(data), ensure_ascii=False, indent=2) + "\n")


def tell_tightened() -> None:
    """One stderr line if this run made session files owner-only (a `cp -r` copy is 0644)."""
    repository = sys.modules.get("inspect_tui.core.session.repository")  # not loaded: nothing was opened
    if repository is not None and repository.tightened_this_run:
        print(f"inspect-tui: {say(repository.tightened_notice(repository.tightened_this_run))}", file=sys.stderr)
        repository.tightened_this_run.clear()


def report_error(exc: Exception) -> int | None:
    """One line for the user and the exit code; None to let a bug show its traceback (debug)."""
    from ..core.errors import FileProblems
    from ..core.errors import CoreError
    from ..store import StorageError

    if isinstance(exc, BrokenPipeError):
        # `inspect-tui … | head`: the reader left; nothing is wrong with the data.
        sys.stderr.close()
        return 0
    if isinstance(exc, FileProblems):
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if isinstance(exc, (UsageError, CoreError)):  # said from its key, in the current language
        print(f"inspect-tui: {t('cli.error')}: {say(exc)}", file=sys.stderr)
        return 2
    if isinstance(exc, StorageError):
        # Disk full, read-only folder, a lock held by someone else: one line, and nothing lost.
        print(f"inspect-tui: {t('cli.error')}: {say(exc)}", file=sys.stderr)
        return 1
    if os.environ.get("INSPECT_TUI_DEBUG"):
        return None
    print(f"inspect-tui: {t('cli.internal', error=f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
    return 1
