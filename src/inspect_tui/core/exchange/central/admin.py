"""The admin's side of the central store: set it up, upgrade it, say who may do what where.

Everything here runs as the admin role (one allowed to create tables and roles) and changes only
PostgreSQL itself: migrations, LOGIN roles made members of the group roles, and rows of
inspect_tui.assignments, which the row-level security policies read. No password is ever set or
stored here: a new login role has none until the admin gives it one (psql `\\password NAME`), or
the server authenticates it otherwise (certificates, peer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import GROUPS, REPLAY_CHECK, SCHEMA
from . import migrations
from .connection import CentralError

# A role name as we create it: lower case, so it never needs quoting in psql or pg_hba.conf.
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass
class Grant:
    role: str
    unit: str
    kind: str
    branch: str = ""
    created_role: bool = False


@dataclass
class Status:
    version: int
    latest: int
    units: list[tuple[str, str]] = field(default_factory=list)          # (name, parent)
    assignments: list[tuple[str, str, str, str]] = field(default_factory=list)  # (role, kind, unit, branch)
    groups: dict[str, list[str]] = field(default_factory=dict)          # group → member roles


def init(conn: Any, where: str) -> list[migrations.Migration]:
    """Create (or complete) the schema, roles and policies; applying nothing when up to date."""
    return migrations.apply(conn, where)


def upgrade(conn: Any, where: str) -> list[migrations.Migration]:
    """Apply the missing migrations of a central store that `init` set up (never create one: a DSN
    pointing at the wrong database must not get tables)."""
    if migrations.current_version(conn) == 0:
        raise _no_store(where)
    return migrations.apply(conn, where)


def _no_store(where: str) -> CentralError:
    return CentralError(f"{where} 上没有中心库,请先运行 `inspect-tui server init` "
                        f"(no central store at {where}: run `inspect-tui server init` first)")


def check_role(role: str) -> str:
    if not _ROLE.match(role) or role.startswith("pg_") or role in (*GROUPS.values(), REPLAY_CHECK):
        raise CentralError(f"角色名无效: {role};只能用小写字母、数字、下划线,不以 pg_ 开头,不是组角色 "
                           f"(not a valid role name: {role}: lower-case letters, digits and _, not pg_…, not a group role)")
    return role


def check_name(value: str, what_zh: str, what_en: str) -> str:
    """A unit's or a branch's name from the command line: through the one gate for text coming in
    (core/text.py: no control characters, at most its length for a name), and not blank."""
    from ...text import TextError, check

    try:
        check(value, "name")
    except TextError as exc:  # its message is "中文 (English)" too: split, to say which name
        zh, _, en = str(exc).rstrip(")").partition(" (")
        raise CentralError(f"{what_zh}名称{zh} (the {what_en} name {en})") from None
    if not value.strip():
        raise CentralError(f"{what_zh}名称无效: {value!r} (not a valid {what_en} name: {value!r})")
    return value


def check_unit(unit: str) -> str:
    return check_name(unit, "单位", "unit")


def _require_schema(conn: Any, where: str) -> None:
    version = migrations.current_version(conn)
    if version == 0:
        raise _no_store(where)
    migrations.check_not_newer(version, where)
    if version < migrations.latest():
        raise CentralError(f"{where} 的中心库版本为 {version},请先运行 `inspect-tui server upgrade` "
                           f"(the central store at {where} is at version {version}: run `inspect-tui server upgrade` first)")


def set_unit(conn: Any, where: str, unit: str, parent: str | None) -> None:
    """Add a unit, or move it under `parent` (created too if missing); a cycle is refused."""
    from psycopg import errors

    check_unit(unit)
    with conn.transaction():
        _require_schema(conn, where)
        if parent:
            check_unit(parent)
            conn.execute(f"INSERT INTO {SCHEMA}.units (name) VALUES (%s) ON CONFLICT DO NOTHING", (parent,))
            cycle = conn.execute(
                f"""WITH RECURSIVE up(name) AS (
                        SELECT %s::text UNION SELECT u.parent FROM {SCHEMA}.units u JOIN up ON u.name = up.name
                        WHERE u.parent IS NOT NULL)
                    SELECT 1 FROM up WHERE name = %s""", (parent, unit)).fetchone()
            if cycle:
                raise CentralError(f"单位 {parent} 在 {unit} 之下,不能作为它的上级 "
                                   f"({parent} is below {unit}: it cannot be its parent)")
        # without a parent an existing unit keeps the one it has
        keep = "NOTHING" if not parent else "UPDATE SET parent = EXCLUDED.parent"
        try:
            conn.execute(f"INSERT INTO {SCHEMA}.units (name, parent) VALUES (%s, %s) ON CONFLICT (name) DO {keep}",
                         (unit, parent or None))
        except errors.CheckViolation:
            raise CentralError(f"单位不能是自己的上级: {unit} (a unit cannot be its own parent: {unit})") from None


def grant(conn: Any, where: str, role: str, unit: str, kind: str, branch: str = "") -> Grant:
    """Let `role` act as `kind` on `unit` (a branch account: for `branch` of it). The login role is
    created if missing (without a password), made a member of the kind's group, and assigned."""
    from psycopg import sql

    check_role(role)
    check_unit(unit)
    if branch:
        check_name(branch, "支部", "branch")
    if kind not in GROUPS:
        raise CentralError(f"未知的身份: {kind} (unknown kind: {kind})")
    if (kind == "branch") != bool(branch):
        raise CentralError("支部账号须用 --branch 指明支部,其他身份不用 "
                           "(a branch account needs --branch NAME; the other kinds take none)")
    with conn.transaction():
        _require_schema(conn, where)
        exists = conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists and exists[0]:
            raise CentralError(f"{role} 是超级用户或可绕过行级安全,不能作为应用角色 "
                               f"({role} is a superuser or bypasses row-level security: not an app role)")
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = 'sessions'",
                             (SCHEMA,)).fetchone()
        if owner and owner[0] == role:
            raise CentralError(f"{role} 拥有中心库的表,不能作为应用角色 "
                               f"({role} owns the central store's tables: not an app role)")
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUPS[kind]), sql.Identifier(role)))
        conn.execute(f"INSERT INTO {SCHEMA}.units (name) VALUES (%s) ON CONFLICT DO NOTHING", (unit,))
        conn.execute(f"""INSERT INTO {SCHEMA}.assignments (role_name, unit, kind, branch) VALUES (%s, %s, %s, %s)
                         ON CONFLICT DO NOTHING""", (role, unit, kind, branch))
    return Grant(role, unit, kind, branch, created_role=not exists)


def revoke(conn: Any, where: str, role: str, unit: str | None, kind: str | None, branch: str = "") -> int:
    """Take assignments away (all of the role's on `unit`, or only those of `kind`); the group
    membership goes with the role's last assignment of that kind. The role itself stays (it may own
    nothing here, but the admin decides whether to drop it). The number of assignments removed."""
    from psycopg import sql

    check_role(role)
    with conn.transaction():
        _require_schema(conn, where)
        clauses, params = ["role_name = %s"], [role]
        for column, value in (("unit", unit), ("kind", kind), ("branch", branch or None)):
            if value:
                clauses.append(f"{column} = %s")
                params.append(value)
        gone = conn.execute(f"DELETE FROM {SCHEMA}.assignments WHERE {' AND '.join(clauses)} RETURNING kind",
                            params).fetchall()
        left = {k for (k,) in conn.execute(f"SELECT DISTINCT kind FROM {SCHEMA}.assignments WHERE role_name = %s",
                                          (role,)).fetchall()}
        for k in {k for (k,) in gone} - left:
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(GROUPS[k]), sql.Identifier(role)))
    return len(gone)


def status(conn: Any, where: str) -> Status:
    with conn.transaction():
        version = migrations.current_version(conn)
        migrations.check_not_newer(version, where)
        result = Status(version, migrations.latest())
        if version == 0:
            return result
        result.units = [(n, p or "") for n, p in conn.execute(
            f"SELECT name, parent FROM {SCHEMA}.units ORDER BY name").fetchall()]
        result.assignments = [tuple(r) for r in conn.execute(
            f"SELECT role_name, kind, unit, branch FROM {SCHEMA}.assignments ORDER BY role_name, kind, unit, branch")]
        for kind, group in GROUPS.items():
            result.groups[group] = [r for (r,) in conn.execute(
                """SELECT m.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
                   JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = %s ORDER BY m.rolname""", (group,))]
    return result
