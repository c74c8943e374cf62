"""`inspect-tui export SESSION... [--format F] [--what summary|rectification|ledger] [-o PATH]`.

A thin shell over `core.export`: where each file goes is decided here, what goes in it there.

- No `-o`: each file goes to the exports folder (`--exports DIR`, $INSPECT_TUI_EXPORTS, else
  inspect-tui in the documents folder, created if missing), named from the branch and the date
  (幸福社区第一网格党支部_2026-06-15_检查汇总.docx), made safe for every OS, never replacing a file
  (`-2`, `-3` … are added instead).
- `-o FOLDER` (an existing folder, or a path ending in a separator): the same, in that folder.
  A folder that does not exist is named in one line (exit 2), never created (cli/targets.py).
- `-o FILE`, one session: exactly that file; one that exists is replaced only with `--force`
  (else one line, exit 2). Several sessions: `-o` must be an existing folder — or, with xlsx, one
  .xlsx file holding them all (汇总 + 明细).
- Without `--format`, the format follows the `-o` file's extension, else md.

A session with the branch's self-assessment attached (`inspect-tui selfcheck SESSION FILE`) is
exported with it: the summary shows 自查与检查对照 (`--no-selfcheck` leaves it out). A damaged
self-assessment file is named in one line (exit 2) before anything is written.

Every path written is printed, one a line, so a script can collect them. Bad input (an unknown
format, a file for several sessions, a folder that cannot be written, no such session) is one line
on stderr and exit 2; a disk error (full, I/O) exit 1. Nothing is written until every session
named has been found.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import lang, t
from .common import UsageError

if TYPE_CHECKING:
    from ..core.session.repository import SessionRepository

# errors that say the place cannot be written (bad input, exit 2), as opposed to a failing disk
_PLACE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ENOENT}


def export(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.export import FORMATS
    from ..core.session.repository import SessionRepository
    if args.what == "ledger":  # the 整改台账 of each session: xlsx or docx (cli/ledger_command.py)
        from .ledger_command import export_ledgers

        repo = SessionRepository(paths.sessions_dir(args.sessions))
        return export_ledgers(args, repo, list(dict.fromkeys(repo.resolve(name) for name in args.names)))
    output = Path(args.output) if args.output else None
    fmt = args.format.lower().lstrip(".") if args.format else _format_of(output, FORMATS)
    if fmt not in FORMATS:
        raise UsageError(t("export_cmd.bad_format", format=args.format, known=", ".join(FORMATS)))

    repo = SessionRepository(paths.sessions_dir(args.sessions))
    ids = list(dict.fromkeys(repo.resolve(name) for name in args.names))  # all found before any write
    selfcheck = args.what == "summary" and not args.no_selfcheck  # the 整改通知书 never shows it

    try:
        # `-o dir/` names a folder even before it exists; Path() drops the trailing separator
        as_folder = bool(args.output) and args.output.endswith(("/", os.sep))
        if len(ids) > 1 and fmt == "xlsx" and output is not None and not as_folder and _is_file_target(output, ".xlsx"):
            return _one_workbook(repo.folder, ids, output, args.what, args.force)
        if len(ids) == 1 and output is not None and not as_folder and not _is_folder_target(output):
            return _one_file(repo, ids[0], fmt, output, args.what, selfcheck, args.force)
        if len(ids) > 1 and output is not None and not as_folder and _is_file_target(output, f".{fmt}"):
            raise UsageError(t("export_cmd.need_folder", path=output))
        if output is None:
            from .targets import exports_folder

            output = exports_folder(getattr(args, "exports", None))
        return _to_folder(repo, ids, fmt, output, args.what, selfcheck)
    except OSError as exc:
        return _disk_error(exc, output)


def _format_of(output: Path | None, known: tuple[str, ...]) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in known else "md"


def _is_folder_target(path: Path) -> bool:
    return path.is_dir() or str(path).endswith((os.sep, "/"))


def _is_file_target(path: Path, suffix: str) -> bool:
    """`path` names a file: it is one already, or it does not exist and ends in `suffix`."""
    if _is_folder_target(path):
        return False
    return path.exists() or path.suffix.lower() == suffix


def _one_file(repo: "SessionRepository", session_id: str, fmt: str, output: Path, what: str, selfcheck: bool,
              force: bool) -> int:
    from ..core.session import selfcheck_file as selfchecks
    from ..core.export import build_summary, render
    from .targets import check_file

    check_file(output, force)  # before the work: a typo in -o costs nothing

    opened = repo.open(session_id, write=False)
    try:
        own = selfchecks.load(repo, opened.session) if selfcheck else None
        from ..core.session.attaching import store_of

        files = store_of(opened).folder  # the documents embed the photos attached
        data = render(build_summary(opened.session, selfcheck=own, files=files), fmt, what, lang())  # --lang: the document's words
    finally:
        opened.close()
    _write_named(output, data, force)
    return 0


def _one_workbook(folder: Path, ids: list[str], output: Path, what: str, force: bool) -> int:
    from ..core.export.many import summaries
    from ..core.export.xlsx import render_many
    from .targets import check_file

    check_file(output, force)
    data = render_many(summaries(folder, ids), what, lang())
    _write_named(output, data, force)
    return 0


def _write_named(output: Path, data: bytes, force: bool) -> None:
    from .targets import write_file

    replacing = os.path.lexists(output)
    write_file(output, data, force)
    if replacing:
        print(t("export_cmd.replaced", path=output), file=sys.stderr)
    print(output)


def _to_folder(repo: "SessionRepository", ids: list[str], fmt: str, target: Path, what: str, selfcheck: bool) -> int:
    """One file per session in `target`, each under a safe name that is not taken yet."""
    from ..core.export import name_for, render, write_unused
    from ..core.export.many import summaries
    if selfcheck:
        _check_selfchecks(repo, ids)
    if target.exists() and not target.is_dir():
        raise UsageError(t("export_cmd.need_folder", path=target))
    from .targets import check_folder

    check_folder(target)
    if not os.access(target, os.W_OK):
        raise UsageError(t("export_cmd.cannot_write", path=target, reason=os.strerror(errno.EACCES)))
    for summary in summaries(repo.folder, ids, selfcheck=selfcheck):
        data = render(summary, fmt, what, lang())
        print(write_unused(target / name_for(summary.header.branch, summary.header.date, what, fmt, lang()), data))
        sys.stdout.flush()  # a long batch shows its progress
    return 0


def _check_selfchecks(repo: "SessionRepository", ids: list[str]) -> None:
    """Read every attached self-assessment once before the first file is written, so that a damaged
    one stops the batch before it starts (SelfCheckError) rather than halfway through."""
    from ..core.session import selfcheck_file as selfchecks

    for session_id in ids:
        if selfchecks.path_for(repo, session_id).exists():
            opened = repo.open(session_id, write=False)
            try:
                selfchecks.load(repo, opened.session)
            finally:
                opened.close()


def _disk_error(exc: OSError, target: Path | None = None) -> int:
    """A place that cannot be written is the user's to fix (exit 2); a failing disk is not (1).
    A write that fails (disk full) names no file: the target it was writing to is named instead."""
    path = exc.filename or target or ""
    reason = exc.strerror or str(exc)
    if exc.errno in _PLACE_ERRORS:
        raise UsageError(t("export_cmd.cannot_write", path=path, reason=reason)) from None
    print(f"inspect-tui: {t('cli.error')}: {t('export_cmd.disk_error', path=path, reason=reason)}", file=sys.stderr)
    return 1
