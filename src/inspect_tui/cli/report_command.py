"""`inspect-tui diff`, `report` and `selfcheck`: comparisons, roll-ups and self-assessments.

`register(command)` declares the three commands on the main parser. This module is imported every
time the parser is built (the help text needs its strings), so it imports nothing heavy at the top:
the core, the renderers and openpyxl are imported by the handlers, when one of them runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Callable

from .. import i18n_reports  # noqa: F401  (the words diff and selfcheck print)
from ..i18n import lang, t
from .common import UsageError, parse_date

FORMATS = ("md", "html", "json", "xlsx")
BINARY = ("xlsx",)  # a terminal is no place for these: -o is required


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Declare diff, report and selfcheck on the main parser (`command` from cli/main.py)."""
    p = command("diff", "report_command:diff", "diff.cmd")
    p.add_argument("old", metavar="OLD", help=t("diff.arg.old"))
    p.add_argument("new", metavar="NEW", help=t("diff.arg.new"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--format", choices=("text", *FORMATS), default="text", help=t("diff.arg.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("report.arg.output"))
    p.add_argument("--force", action="store_true", help=t("diff.arg.force"))

    p = command("report", "report_command:report", "report.cmd")
    p.add_argument("names", nargs="*", metavar="SESSION", help=t("report.arg.sessions"))  # not "sessions": --sessions DIR
    p.add_argument("--checklist", dest="checklist_id", metavar="ID", help=t("report.arg.checklist"))
    p.add_argument("--since", metavar="YYYY-MM-DD", help=t("report.arg.since"))
    p.add_argument("--unit", metavar="UNIT", help=t("report.arg.unit"))
    p.add_argument("--today", metavar="YYYY-MM-DD", help=t("rectify.arg.today"))
    p.add_argument("--format", choices=FORMATS, default="md", help=t("report.arg.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("report.arg.output"))
    p.add_argument("--force", action="store_true", help=t("report.arg.force"))
    # --server alone: the configured server (connection.resolve_dsn); --server DSN: that one
    p.add_argument("--server", nargs="?", const="", dest="dsn", metavar="DSN", help=t("central.report.arg.server"))

    p = command("selfcheck", "report_command:selfcheck", "selfcheck.cmd")
    p.add_argument("session", metavar="SESSION", help=t("cli.arg.session"))
    p.add_argument("file", nargs="?", metavar="FILE", help=t("selfcheck.arg.file"))
    p.add_argument("--show", action="store_true", help=t("selfcheck.arg.show"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--inspector", metavar="NAME", help=t("cli.arg.inspector"))


# -- handlers -------------------------------------------------------------------------------------

def _repository(args: argparse.Namespace) -> Any:
    from ..core import paths
    from ..core.session.repository import SessionRepository

    return SessionRepository(paths.sessions_dir(args.sessions))


def _emit(data: bytes, fmt: str, output: str | None, default_name: str, force: bool = False) -> None:
    """Print `data`, or write it to `output`: an existing folder (a new, unused name in it), or a
    file whose folder exists (an existing one replaced only with `force`); see cli/targets.py."""
    from pathlib import Path

    from ..core.export import safe_filename, write_unused
    from .targets import check_folder, write_file

    if output is None:
        if fmt in BINARY:
            raise UsageError(t("report.needs_output", fmt=fmt))
        sys.stdout.write(data.decode("utf-8"))
        if not data.endswith(b"\n"):
            sys.stdout.write("\n")
        return
    target = Path(output)
    try:
        if target.is_dir() or output.endswith(("/", os.sep)):
            check_folder(target)
            target = write_unused(target / f"{safe_filename(default_name)}.{fmt}", data)
        else:
            write_file(target, data, force)
    except OSError as exc:
        from ..store import StorageError
        from ..store.durable import os_reason

        raise StorageError(target, f"could not write ({os_reason(exc)})") from None
    print(t("report.written", path=target))


def diff(args: argparse.Namespace) -> int:
    from ..core.analysis.compare import compare

    repo = _repository(args)
    opened = []
    try:
        for name in (args.old, args.new):
            opened.append(repo.open(name, write=False))
        if not args.force:
            _same_branch_and_standard(opened[0].session, opened[1].session)
        comparison = compare(opened[0].session, opened[1].session)
    finally:
        for session in opened:
            session.close()
    fmt = "json" if args.json else args.format
    if fmt == "text" and args.output is None:
        from .report_text import print_comparison

        print_comparison(comparison)
        return 0
    fmt = "md" if fmt == "text" else fmt
    data = _module(fmt).render_comparison(comparison, lang())  # --lang: the report's own words
    _emit(data, fmt, args.output, t("diff.file_name", branch=comparison.new.header.branch, date=comparison.new.header.date), args.force)
    return 0


def _same_branch_and_standard(old: Any, new: Any) -> None:
    """A comparison of two branches, or of two standards, lines up items that have nothing to do
    with each other (a 121-line diff of noise): refused unless --force."""
    from ..core.text import shown

    for what, a, b in (("diff.branch", old.branch.name, new.branch.name), ("diff.checklist", old.checklist_id, new.checklist_id)):
        if a != b:
            raise UsageError(t("diff.not_same", what=t(what), old=shown(a, multiline=False), new=shown(b, multiline=False)))


def report(args: argparse.Namespace) -> int:
    import datetime as dt
    from dataclasses import replace

    from ..core.analysis.rollup import rollup
    from ..core.session.reader import RepositoryReader
    from ..core.session.model import Summary

    since = parse_date(args.since)
    if args.dsn is not None:
        return _server_report(args, since)
    repo = _repository(args)
    reader = RepositoryReader(repo)
    listed: list[Summary] = reader.summaries()
    if args.names:
        wanted = {repo.resolve(name) for name in args.names}
        listed = [s for s in listed if s.id in wanted]
    _check_filter(args.checklist_id, {s.header.checklist_id for s in listed}, "report.no_checklist", "id")
    _check_filter(args.unit, {s.header.unit for s in listed if s.header.unit}, "report.no_unit", "unit")
    result = rollup(listed, reader.load, checklist=args.checklist_id, since=since, unit=args.unit,
                    today=parse_date(args.today))
    result = replace(result, problems=tuple(reader.problems))  # damaged files, named in the report too
    for line in result.problems:
        print(line, file=sys.stderr)
    data = _module(args.format).render_rollup(result, lang())
    _emit(data, args.format, args.output, t("report.file_name", date=dt.date.today().isoformat()), args.force)
    return 0


def _server_report(args: argparse.Namespace, since: Any) -> int:
    """The roll-up computed on the central store (core/exchange/central/report.py), drawn by the
    same renderers; the server's problems as the local one's: one line, its exit code."""
    import datetime as dt

    from ..core.exchange.central.report import server_rollup
    from .server_command import _run

    args.dsn = args.dsn or None  # "--server" alone: $INSPECT_TUI_SERVER or the user config

    def work(conn: Any, where: str) -> int:
        result = server_rollup(conn, checklist=args.checklist_id, since=since, unit=args.unit,
                               ids=list(args.names) or None, today=parse_date(args.today))
        for line in result.problems:
            print(line, file=sys.stderr)
        data = _module(args.format).render_rollup(result, lang())
        _emit(data, args.format, args.output, t("report.file_name", date=dt.date.today().isoformat()), args.force)
        return 0

    return _run(args, work)


def _check_filter(value: str | None, present: set[str], key: str, name: str) -> None:
    """A filter naming nothing stored is almost always a typo: say so rather than print an empty report."""
    if value is None or not present:
        return
    if value.strip() not in present:
        raise UsageError(t(key, **{name: value, "known": t("report.list_sep").join(sorted(present)) or t("report.none")}))


def _module(fmt: str) -> Any:
    from importlib import import_module

    return import_module(f"inspect_tui.core.export.report_{fmt}")


def selfcheck(args: argparse.Namespace) -> int:
    from ..core.analysis import selfcheck as core
    from ..core.session import selfcheck_file
    from ..core.session.repository import default_inspector

    if args.file is None and not args.show:
        raise UsageError(t("selfcheck.need_file"))
    repo = _repository(args)
    opened = repo.open(args.session, write=False)
    try:
        session = opened.session
    finally:
        opened.close()
    if args.file is not None:
        attached, replaced = selfcheck_file.attach(repo, session, args.file, args.inspector or default_inspector())
        line = t("selfcheck.attached", id=session.id, path=selfcheck_file.path_for(repo, session.id))
        if replaced is not None:
            line += " " + t("selfcheck.replaced", when=replaced.attached_at, name=replaced.source_name)
        print(line)
        if not args.show:
            comparison = core.compare_selfcheck(session, attached)
            from .report_text import selfcheck_headline

            print(selfcheck_headline(comparison))
            return 0
    stored = selfcheck_file.load(repo, session)  # a damaged one: SelfCheckError, one line (common.report_error)
    if stored is None:
        raise UsageError(t("selfcheck.none", id=session.id))
    comparison = core.compare_selfcheck(session, stored)
    if args.json:
        from ..core.export.report_json import render_selfcheck

        sys.stdout.write(render_selfcheck(comparison).decode("utf-8"))
        return 0
    from .report_text import print_selfcheck

    print_selfcheck(comparison)
    return 0
