"""The `inspect-tui` command: argument parsing and dispatch, nothing more.

Each sub-command is a function of the parsed arguments returning an exit code, in the module its
handler names ("module:function", imported only when run). Bad input anywhere ends as one clear
line on stderr and exit 2, never a traceback (common.report_error).
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, Sequence

from .. import __version__
from ..i18n import set_lang, t
from . import argparse_zh
from .common import count, port, report_error, tell_tightened


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints the whole usage block; an inspector needs the one line that matters.
        sys.stderr.write(f"{self.prog}: {t('cli.error')}: {message} ({t('cli.see_help')})\n")
        raise SystemExit(2)


# The commands that start the app: for these (and for no command, the home screen) the parser is
# built with that command alone, so opening an inspection does not first describe thirty others
# (~5 ms, and the imports of the command modules; bench/open.py). They are defined in this file,
# never by a command module's `register` (tests/test_cli_parser.py holds both to that).
APP_COMMANDS = ("open", "view")
_GLOBAL_VALUES = ("--lang", "--checklists", "--sessions", "--exports")  # the global options taking a value


class _Unused:
    """What `command()` gives for a command left out of a parser built for one command only."""

    def add_argument(self, *args: object, **kwargs: object) -> "_Unused":
        return self

    set_defaults = add_mutually_exclusive_group = add_argument_group = add_argument


def command_word(argv: Sequence[str]) -> str | None:
    """The command the arguments name, "" for none, or None when the whole parser is needed to
    tell (help asked for, or something it must judge)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("-h", "--help", "--version"):
            return None
        elif arg in _GLOBAL_VALUES:
            skip = True
        elif arg.startswith(tuple(f"{name}=" for name in _GLOBAL_VALUES)):
            continue
        elif arg.startswith("-"):
            return None  # an option the whole parser must judge
        else:
            return arg
    return ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser. Handlers are named "module:function" and imported only when run, so that
    `inspect-tui` starting the app does not first load every command's dependencies. With `only`
    (one of APP_COMMANDS, or "" for none), that command alone is described."""
    parser = _Parser(prog="inspect-tui", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"inspect-tui {__version__}", help=t("cli.version"))
    parser.add_argument("--lang", choices=["zh", "en"], help=t("cli.lang"))
    parser.add_argument("--checklists", action="append", default=[], metavar="DIR", help=t("cli.checklists_dir"))
    parser.add_argument("--sessions", metavar="DIR", help=t("cli.sessions_dir"))
    parser.add_argument("--exports", metavar="DIR", help=t("cli.exports_dir"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, func: str, help_key: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _Unused()  # type: ignore[return-value]
        p = sub.add_parser(name, help=t(help_key), description=t(help_key))
        p.set_defaults(func=func)
        return p

    p = command("checklists", "commands:checklists", "cli.cmd.checklists")
    p.add_argument("--json", action="store_true", help=t("cli.json"))

    p = command("describe", "commands:describe", "cli.cmd.describe")
    p.add_argument("checklist", help=t("cli.arg.checklist"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))

    p = command("score", "commands:score", "cli.cmd.score")
    p.add_argument("checklist", help=t("cli.arg.checklist"))
    p.add_argument("--answers", required=True, metavar="FILE", help=t("cli.arg.answers"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.arg.date"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))

    p = command("validate", "commands:validate", "cli.cmd.validate")
    p.add_argument("files", nargs="+", metavar="FILE", help=t("cli.arg.files"))

    p = command("view", "launch:view", "cli.cmd.view")
    p.add_argument("checklist", help=t("cli.arg.checklist"))

    add_session_commands(command, with_modules=only is None)

    p = command("serve", "serve:serve", "cli.cmd.serve")
    p.add_argument("--port", type=port, default=8000, metavar="PORT", help=t("cli.arg.port"))
    return parser


def add_session_commands(command: Callable[..., argparse.ArgumentParser], with_modules: bool = True) -> None:
    def session_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("session", metavar="SESSION", help=t("cli.arg.session"))

    def inspector_arg(p: argparse.ArgumentParser, many: bool = False) -> None:
        if many:
            p.add_argument("--inspector", action="append", metavar="NAME", help=t("cli.arg.inspectors"))
        else:
            p.add_argument("--inspector", metavar="NAME", help=t("cli.arg.inspector"))

    p = command("new", "session_commands:new", "cli.cmd.new")
    p.add_argument("--checklist", required=True, metavar="ID", help=t("cli.arg.checklist"))
    p.add_argument("--branch", required=True, metavar="NAME", help=t("cli.arg.branch"))
    p.add_argument("--unit", metavar="UNIT", help=t("cli.arg.unit"))
    inspector_arg(p, many=True)
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.arg.session_date"))
    p.add_argument("--place", metavar="PLACE", help=t("cli.arg.place"))
    p.add_argument("--open", action="store_true", help=t("cli.arg.open"))

    p = command("mark", "session_commands:mark", "cli.cmd.mark")
    session_arg(p)
    p.add_argument("item", metavar="ITEM", help=t("cli.arg.item"))
    p.add_argument("state", metavar="pass|fail|na|clear", help=t("cli.arg.state"))
    p.add_argument("--count", type=count, metavar="N", help=t("cli.arg.count"))
    p.add_argument("--note", metavar="TEXT", help=t("cli.arg.note"))
    p.add_argument("--override", metavar="POINTS", help=t("cli.arg.override"))
    p.add_argument("--reason", metavar="TEXT", help=t("cli.arg.reason"))
    inspector_arg(p)

    p = command("fact", "session_commands:fact", "cli.cmd.fact")
    session_arg(p)
    p.add_argument("fact", metavar="FACT", nargs="?", help=t("cli.arg.fact"))
    p.add_argument("value", metavar="VALUE", nargs="?", help=t("cli.arg.value"))
    p.add_argument("--confirm-previous", nargs="*", metavar="FACT", help=t("cli.arg.confirm_previous"))
    inspector_arg(p)

    p = command("import-answers", "session_commands:import_answers", "cli.cmd.import_answers")
    session_arg(p)
    p.add_argument("file", metavar="FILE", help=t("cli.arg.answers"))
    inspector_arg(p)

    p = command("list", "session_commands:list_sessions", "cli.cmd.list")
    p.add_argument("--json", action="store_true", help=t("cli.json"))

    for name, func in (("show", "session_commands:show"), ("log", "session_commands:log")):
        p = command(name, func, f"cli.cmd.{name}")
        session_arg(p)
        p.add_argument("--json", action="store_true", help=t("cli.json"))

    p = command("open", "launch:open_session", "cli.cmd.open")
    session_arg(p)
    inspector_arg(p)

    if with_modules:  # it registers no app command (APP_COMMANDS)
        from .signoff_command import register as register_signoff

        register_signoff(command, session_arg, inspector_arg)

    for name, func in (("delete", "session_commands:delete"), ("restore", "session_commands:restore")):
        p = command(name, func, f"cli.cmd.{name}")
        session_arg(p)

    p = command("reinspect", "session_commands:reinspect", "cli.cmd.reinspect")
    session_arg(p)
    inspector_arg(p, many=True)
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.arg.session_date"))

    p = command("export", "export_command:export", "cli.cmd.export")
    p.add_argument("names", nargs="+", metavar="SESSION", help=t("cli.arg.sessions"))  # not "sessions": --sessions DIR
    p.add_argument("--format", "-f", metavar="FORMAT", help=t("cli.arg.format"))
    p.add_argument("--what", choices=["summary", "rectification", "ledger"], default="summary", help=t("cli.arg.what"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("cli.arg.output"))
    p.add_argument("--no-selfcheck", action="store_true", help=t("cli.arg.no_selfcheck"))
    p.add_argument("--force", action="store_true", help=t("cli.arg.force_output"))

    if not with_modules:
        return  # none of them registers an app command (APP_COMMANDS)
    from .attach_command import register as register_attach
    from .bundle_command import register as register_bundle
    from .ledger_command import register as register_ledger
    from .rectify_command import register as register_rectify
    from .report_command import register as register_report
    from .server_command import register as register_server
    from .sync_command import register as register_sync

    register_attach(command)
    register_bundle(command)
    register_ledger(command)
    register_report(command)
    register_rectify(command)
    register_server(command)
    register_sync(command)


def _early_lang(argv: Sequence[str]) -> str | None:
    """`--lang` must be known before the parser is built, since the help text depends on it."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_lang(_early_lang(argv))
    from .text import ShownStream, bad_argument

    # bytes that are not UTF-8 arrive as lone surrogates: refused here, before any command could
    # store them or print them (they cannot even be written to a UTF-8 terminal)
    if (bad := bad_argument(argv)) is not None:
        sys.stderr.write(f"inspect-tui: {t('cli.error')}: {t('cli.bad_argv', arg=bad)}\n")
        return 2
    # every line printed from here on, by any command or error, passes the one escape
    # (cli/text.py); the app draws on sys.__stderr__ itself and is not affected
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ShownStream(sys.stdout), ShownStream(sys.stderr)
    try:
        return _dispatch(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _dispatch(argv: list[str]) -> int:
    argparse_zh.install()
    _stop_cleanly_on_signals()
    word = command_word(argv)
    parser = build_parser(word if word in (*APP_COMMANDS, "") else None)
    try:
        args = parser.parse_args(argv)
        handler = "launch:home" if args.command is None else args.func
        module, function = handler.split(":")
        from importlib import import_module

        try:
            return int(getattr(import_module(f"{__package__}.{module}"), function)(args))
        finally:
            tell_tightened()
    except Exception as exc:  # sorted out here so that catching costs no imports at start-up
        code = report_error(exc)
        if code is None:
            raise
        return code
    except KeyboardInterrupt:
        print(f"inspect-tui: {t('cli.interrupted')}", file=sys.stderr)
        return 130


def _stop_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP (a closed terminal, a shutdown) end a command as Ctrl+C would, through
    its `finally` blocks: the session's lock is released, not left for the next opener to judge
    stale. A save cut short is harmless: it is written to a temporary file and renamed whole.
    (The app replaces these with its own handlers on its event loop.)"""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            try:
                signal.signal(signum, stop)
            except (ValueError, OSError):
                pass  # not the main thread (tests calling main()): the default stays
