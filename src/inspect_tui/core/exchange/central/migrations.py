"""The schema as versioned migrations: plain SQL files shipped in this package, applied in order.

`migrations/NNNN_name.sql`: NNNN is the version. A run applies every version above the one the
database records (inspect_tui.schema_version), in one transaction, under an advisory lock so two
admins upgrading at once take turns; any failure rolls the whole run back. A database whose schema is
newer than this client knows is refused: its tables may mean something this code would misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from . import SCHEMA
from .connection import CentralError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# pg_advisory_xact_lock key: any constant of ours ("inspect" in ASCII)
_LOCK = 0x696E7370656374


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def known() -> list[Migration]:
    """The migrations shipped with this client, in version order (1, 2, … without gaps)."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.version for m in found]}")
    return found


def latest() -> int:
    return known()[-1].version


def current_version(conn: Any) -> int:
    """The schema version the database records; 0 when the central store was never set up there."""
    row = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_version",)).fetchone()
    if row[0] is None:
        return 0
    return int(conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.schema_version").fetchone()[0])


def check_not_newer(version: int, where: str) -> None:
    if version > latest():
        raise CentralError(
            f"服务器 {where} 的数据库结构版本为 {version},高于本程序认识的 {latest()};请先升级 inspect-tui "
            f"(the server {where} has schema version {version}, newer than {latest()} this client knows: upgrade inspect-tui)")


def apply(conn: Any, where: str, upto: int | None = None) -> list[Migration]:
    """Bring the schema up to `upto` (default: the latest), in one transaction; what was applied."""
    target = latest() if upto is None else upto
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        version = current_version(conn)  # read under the lock: another upgrade may just have run
        check_not_newer(version, where)
        todo = [m for m in known() if version < m.version <= target]
        for migration in todo:
            conn.execute(migration.sql)
            conn.execute(f"INSERT INTO {SCHEMA}.schema_version (version, name) VALUES (%s, %s)",
                         (migration.version, migration.name))
    return todo
