"""`inspect-tui server …`: set up and administer the central PostgreSQL store (issue 15).

A thin shell over core/exchange/central: parse, connect (psycopg is imported only here, when a
command runs), call, print. Exit codes: 0 done; 1 the server cannot be reached or refused the work
(connection, authentication, privileges); 2 a wrong argument or a schema newer than this client.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..i18n import localize, t

def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Declare `server` and its sub-commands on the main parser (handlers imported only when run)."""
    p = command("server", "server_command:init", "server.cmd")
    sub = p.add_subparsers(dest="server_command", metavar="SUBCOMMAND", required=True)

    def action(name: str) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=t(f"server.cmd.{name}"), description=t(f"server.cmd.{name}"))
        q.set_defaults(func=f"server_command:{name}")
        if name != "use":
            q.add_argument("--server", "--dsn", dest="dsn", metavar="DSN", help=t("server.arg.dsn"))
        return q

    action("init")
    action("upgrade")
    for name in ("grant", "revoke"):
        q = action(name)
        q.add_argument("role", metavar="ROLE", help=t("server.arg.role"))
        q.add_argument("--unit", required=name == "grant", metavar="UNIT", help=t("server.arg.unit"))
        q.add_argument("--as", dest="kind", required=name == "grant", choices=["inspector", "reader", "branch"],
                       help=t("server.arg.as"))
        q.add_argument("--branch", default="", metavar="NAME", help=t("server.arg.branch"))
    q = action("status")
    q.add_argument("--json", action="store_true", help=t("server.arg.json"))
    q = action("unit")
    q.add_argument("unit", metavar="UNIT", help=t("server.arg.unit"))
    q.add_argument("--parent", metavar="UNIT", help=t("server.arg.parent"))
    q = action("use")
    q.add_argument("dsn", metavar="DSN", help=t("server.arg.dsn"))


def _fail(message: str) -> None:
    print(f"inspect-tui: {t('cli.error')}: {message}", file=sys.stderr)


def _central_failed(exc: Any) -> int:
    """A CentralError as one line: our words in the user's language, then libpq's own, if any."""
    _fail(localize(str(exc)) + (f": {exc.detail}" if exc.detail else ""))
    return int(exc.exit_code)


def _prompt(where: str) -> str:
    import getpass

    return getpass.getpass(t("server.password", where=where))


def _run(args: argparse.Namespace, work: Callable[[Any, str], int]) -> int:
    """Connect, do the work, and turn every server problem into one line and its exit code."""
    from ..core.exchange.central.connection import CentralError, connect, describe, resolve_dsn

    try:
        dsn = resolve_dsn(args.dsn)
        where = describe(dsn)
        conn = connect(dsn, autocommit=True, prompt=_prompt if sys.stdin.isatty() else None)
    except CentralError as exc:
        return _central_failed(exc)
    import psycopg

    try:
        with conn:
            return work(conn, where)
    except CentralError as exc:
        return _central_failed(exc)
    except psycopg.OperationalError as exc:  # the server went away, was shut down, …
        _fail(t("server.lost", where=where, error=_line(exc)))
        return 1
    except psycopg.Error as exc:  # not allowed to create roles or tables, …: the server said no
        _fail(t("server.refused", where=where, error=_line(exc)))
        return 1


def _line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _applied(done: list[Any], where: str, conn: Any) -> int:
    from ..core.exchange.central import migrations

    for m in done:
        print(t("server.applied", where=where, version=m.version, name=m.name))
    if not done:
        print(t("server.up_to_date", where=where, version=migrations.current_version(conn)))
    return 0


def init(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    return _run(args, lambda conn, where: _applied(admin.init(conn, where), where, conn))


def upgrade(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    return _run(args, lambda conn, where: _applied(admin.upgrade(conn, where), where, conn))


def grant(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    def work(conn: Any, where: str) -> int:
        done = admin.grant(conn, where, args.role, args.unit, args.kind, args.branch)
        if done.created_role:
            print(t("server.created_role", where=where, role=done.role))
        print(t("server.granted", where=where, role=done.role, unit=done.unit, kind=done.kind,
                branch=f" ({done.branch})" if done.branch else ""))
        return 0

    return _run(args, work)


def revoke(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    def work(conn: Any, where: str) -> int:
        count = admin.revoke(conn, where, args.role, args.unit, args.kind, args.branch)
        print(t("server.revoked", where=where, role=args.role, count=count))
        return 0

    return _run(args, work)


def unit(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    def work(conn: Any, where: str) -> int:
        admin.set_unit(conn, where, args.unit, args.parent)
        print(t("server.unit_set", where=where, unit=args.unit, parent=f" ⊂ {args.parent}" if args.parent else ""))
        return 0

    return _run(args, work)


def status(args: argparse.Namespace) -> int:
    from ..core.exchange.central import admin

    def work(conn: Any, where: str) -> int:
        result = admin.status(conn, where)
        if args.json:
            from .common import print_json

            print_json({"server": where, "version": result.version, "latest": result.latest,
                        "units": [{"name": n, "parent": p or None} for n, p in result.units],
                        "assignments": [{"role": r, "kind": k, "unit": u, "branch": b or None}
                                        for r, k, u, b in result.assignments],
                        "groups": result.groups})
            return 0
        if result.version == 0:
            print(t("server.status.none", where=where))
            return 0
        print(t("server.status.version", where=where, version=result.version, latest=result.latest))
        print(t("server.status.units", count=len(result.units)))
        for name, parent in result.units:
            print(f"  {name}" + (f"  ⊂ {parent}" if parent else ""))
        print(t("server.status.roles", count=len(result.assignments)))
        for role, kind, unit_name, branch in result.assignments:
            print(f"  {role}  {kind}  {unit_name}" + (f"  {branch}" if branch else ""))
        return 0

    return _run(args, work)


def use(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.exchange.central.connection import CentralError, describe, save_dsn

    try:
        save_dsn(args.dsn)
    except CentralError as exc:
        return _central_failed(exc)
    print(t("server.saved", where=describe(args.dsn), path=paths.config_file()))
    return 0
