"""`inspect-tui ledger [SESSION…] [--unit U] [--status S,…] [--overdue] [--from D] [--to D]
[--today D] [-f xlsx|docx] [-o PATH] [--force]`: the 整改台账, and `export ID --what ledger`.

A thin shell over core/export/ledger.py. Where the file goes follows the other commands: no `-o`,
the exports folder (cli/targets.exports_folder); `-o FOLDER` (existing), a new unused name in it;
`-o FILE`, that file, an existing one replaced only with `--force`, its folder checked before any
session is read. A filter naming nothing (a unit no session has, a status that does not exist, a
date that is not one) is one line, exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Callable

from ..i18n import lang, t
from .common import UsageError, parse_date

FORMATS = ("xlsx", "docx")
STATUSES = ("open", "reported", "closed", "overdue")  # core/export/ledger.STATUSES, without importing it


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("ledger", "ledger_command:ledger", "ledger.cmd")
    p.add_argument("names", nargs="*", metavar="SESSION", help=t("ledger.arg.sessions"))
    p.add_argument("--unit", metavar="UNIT", help=t("report.arg.unit"))
    p.add_argument("--status", action="append", default=[], metavar="STATUS", help=t("ledger.arg.status"))
    p.add_argument("--overdue", action="store_true", help=t("ledger.arg.overdue"))
    p.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=t("ledger.arg.from"))
    p.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help=t("ledger.arg.to"))
    p.add_argument("--today", metavar="YYYY-MM-DD", help=t("rectify.arg.today"))
    p.add_argument("--format", "-f", metavar="FORMAT", help=t("ledger.arg.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("ledger.arg.output"))
    p.add_argument("--force", action="store_true", help=t("ledger.arg.force"))


def _statuses(given: list[str], overdue: bool) -> tuple[str, ...]:
    wanted = [part.strip().lower() for value in given for part in value.split(",") if part.strip()]
    for value in wanted:
        if value not in STATUSES:
            raise UsageError(t("ledger.bad_status", value=value, known=", ".join(STATUSES)))
    return tuple(dict.fromkeys([*wanted, *(["overdue"] if overdue else [])]))


def fmt_of(given: str | None, output: str | None) -> str:
    """-f, else the -o file's extension, else xlsx."""
    if given is not None:
        fmt = given.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UsageError(t("ledger.bad_format", format=given))
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "xlsx"


def _as_folder(output: str) -> bool:
    return Path(output).is_dir() or output.endswith(("/", os.sep))


def ledger(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.export.ledger import Filters
    from ..core.session.repository import SessionRepository
    from .report_command import _check_filter
    from .targets import check_file

    fmt = fmt_of(args.format, args.output)
    statuses = _statuses(args.status, args.overdue)
    since, until, today = parse_date(args.since), parse_date(args.until), parse_date(args.today) or dt.date.today()
    if since and until and since > until:
        raise UsageError(t("ledger.bad_range", since=since, until=until))
    if args.output and not _as_folder(args.output):
        check_file(Path(args.output), args.force)  # before the work: a typo in -o costs nothing
    repo = SessionRepository(paths.sessions_dir(args.sessions))
    from ..core.session.reader import RepositoryReader

    reader = RepositoryReader(repo)
    listed = reader.summaries()
    if args.names:
        wanted = list(dict.fromkeys(repo.resolve(name) for name in args.names))
        listed = [s for s in listed if s.id in set(wanted)]
    _check_filter(args.unit, {s.header.unit for s in listed if s.header.unit}, "ledger.no_unit", "unit")
    filters = Filters(args.unit.strip() if args.unit else None, statuses, since, until)
    one = len(args.names) == 1
    data, count = _render(_loaded(repo, reader, [s.id for s in listed]), filters, today, fmt, one,
                          len(listed) if len(args.names) > 1 else 0)
    for line in reader.problems:
        print(line, file=sys.stderr)
    if one and listed:
        from ..core.export import name_for

        name = name_for(listed[0].header.branch, listed[0].header.date, "ledger", fmt, lang())
    else:
        from ..core.export import safe_filename

        name = f"{safe_filename(t('ledger.file'))}_{today.isoformat()}.{fmt}"
    print(t("ledger.written", path=emit(data, args.output, name, args.force, getattr(args, "exports", None)),
            count=count))
    return 0


def _loaded(repo: Any, reader: Any, ids: list[str]) -> Any:
    """Each session that loads, with its attachment folder (the photos of the fix), one at a time."""
    from ..core.session.attachments import AttachmentStore

    for session_id in ids:
        session = reader.load(session_id)
        if session is not None:
            yield session, AttachmentStore.beside(repo.path(session_id)).folder


def _render(sessions: Any, filters: Any, today: dt.date, fmt: str, one_branch: bool,
            named: int = 0) -> tuple[bytes, int]:
    from ..core.export.ledger import build_ledger, render

    built = build_ledger(sessions, today, filters, one_branch=one_branch, named=named)
    return render(built, fmt, lang()), len(built.rows)


def emit(data: bytes, output: str | None, name: str, force: bool, exports: str | None) -> Path:
    """Write the file where the user said (see the module), and return where it went."""
    from ..core.export import write_unused
    from .targets import check_folder, exports_folder, write_file

    try:
        if output is None or _as_folder(output):
            folder = exports_folder(exports) if output is None else Path(output)
            check_folder(folder)
            return write_unused(folder / name, data)
        write_file(Path(output), data, force)
        return Path(output)
    except OSError as exc:
        from ..store import StorageError
        from ..store.durable import os_reason

        raise StorageError(Path(output or name), f"could not write ({os_reason(exc)})") from None


def export_ledgers(args: argparse.Namespace, repo: Any, ids: list[str]) -> int:
    """`inspect-tui export ID… --what ledger`: each session's own ledger (as of today)."""
    from ..core.export import name_for
    from ..core.export.ledger import Filters
    from ..core.session.reader import RepositoryReader
    from .targets import check_file

    fmt = fmt_of(args.format, args.output)
    if args.output and not _as_folder(args.output):
        if len(ids) > 1:
            raise UsageError(t("export_cmd.need_folder", path=args.output))
        check_file(Path(args.output), args.force)
    reader = RepositoryReader(repo)
    for session, files in _loaded(repo, reader, ids):
        data, _ = _render([(session, files)], Filters(), dt.date.today(), fmt, True)
        name = name_for(session.branch.name, session.date.isoformat(), "ledger", fmt, lang())
        print(emit(data, args.output, name, args.force, getattr(args, "exports", None)))
    for line in reader.problems:
        print(line, file=sys.stderr)
    return 0
