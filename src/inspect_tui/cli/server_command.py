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
from ..i18n import register as register_messages

register_messages({
    "server.cmd": ("管理中心服务器(PostgreSQL):建库、升级、授权", "administer the central server (PostgreSQL): set up, upgrade, grant"),
    "server.cmd.init": ("在中心服务器上建立数据库结构、组角色和行级安全策略(可重复运行)",
                        "create the schema, group roles and row-level security on the central server (safe to repeat)"),
    "server.cmd.upgrade": ("把中心服务器的数据库结构升级到本程序的版本", "apply the schema migrations this client has and the server lacks"),
    "server.cmd.grant": ("授权某个登录角色在某单位担任检查人员、查阅人员或支部账号",
                         "let a login role act as inspector, reader or branch account on a unit"),
    "server.cmd.revoke": ("收回某个登录角色的授权", "take a login role's assignments away"),
    "server.cmd.status": ("显示中心服务器的结构版本、单位和角色", "show the server's schema version, units and roles"),
    "server.cmd.unit": ("新增单位,或设置其上级单位", "add a unit, or set the unit above it"),
    "server.cmd.use": ("把中心服务器的连接串保存到用户配置(不含密码)", "remember the server's connection string in the user config (no password)"),
    "server.arg.dsn": ("libpq 连接串或 service=名称(默认 $INSPECT_TUI_SERVER,再默认用户配置)",
                       "a libpq connection string or service=NAME (default: $INSPECT_TUI_SERVER, then the user config)"),
    "server.arg.role": ("登录角色名(不存在时创建,不设密码)", "the login role (created without a password if missing)"),
    "server.arg.unit": ("单位名称", "the unit"),
    "server.arg.as": ("身份:inspector 检查人员 / reader 查阅人员 / branch 支部账号",
                      "the kind: inspector, reader (a department) or branch (a self-assessment account)"),
    "server.arg.branch": ("支部名称(仅支部账号)", "the branch (branch accounts only)"),
    "server.arg.parent": ("上级单位", "the unit above"),
    "server.arg.json": ("以 JSON 输出", "print JSON"),
    "server.applied": ("{where}: 已应用迁移 {version:04d} {name}", "{where}: applied migration {version:04d} {name}"),
    "server.up_to_date": ("{where}: 数据库结构已是最新(版本 {version})", "{where}: the schema is up to date (version {version})"),
    "server.granted": ("{where}: {role} 可在 {unit} 担任 {kind}{branch}", "{where}: {role} may act as {kind} on {unit}{branch}"),
    "server.created_role": ("{where}: 已创建登录角色 {role}(无密码;请管理员在 psql 中用 \\password {role} 设置,或使用证书认证)",
                            "{where}: created the login role {role} (no password: the admin sets one in psql with \\password {role}, or uses certificates)"),
    "server.revoked": ("{where}: 已收回 {role} 的 {count} 项授权", "{where}: took {count} assignment(s) from {role}"),
    "server.unit_set": ("{where}: 单位 {unit}{parent}", "{where}: unit {unit}{parent}"),
    "server.saved": ("已保存中心服务器 {where} 到 {path}", "remembered the central server {where} in {path}"),
    "server.status.version": ("服务器 {where}: 数据库结构版本 {version}(本程序为 {latest})",
                              "server {where}: schema version {version} (this client: {latest})"),
    "server.status.none": ("服务器 {where}: 尚未建立中心库(运行 inspect-tui server init)",
                           "server {where}: no central store yet (run inspect-tui server init)"),
    "server.status.units": ("单位 ({count}):", "units ({count}):"),
    "server.status.roles": ("授权 ({count}):", "assignments ({count}):"),
    "server.refused": ("服务器 {where} 拒绝了操作: {error}", "the server {where} refused: {error}"),
    "server.lost": ("与服务器 {where} 的连接中断: {error}", "lost the connection to the server {where}: {error}"),
    "server.password": ("{where} 的密码: ", "password for {where}: "),
})


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
