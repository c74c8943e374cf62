"""Reaching the central server: which DSN, how it is named in messages, and connecting.

The DSN is a libpq connection string (`host=… dbname=… sslmode=verify-full`, a `postgresql://` URI)
or `service=NAME` (pg_service.conf), taken from the command line, else $INSPECT_TUI_SERVER, else the
user config. Everything libpq understands is passed through untouched (sslmode, sslrootcert, …).
The app never writes a password anywhere: a DSN carrying one is refused for the config, and is
never printed (messages name the server as host:port/dbname). Passwords come from ~/.pgpass, the
service file, or — at a terminal — a prompt whose answer lives only in memory.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from ... import settings

SERVER_ENV = "INSPECT_TUI_SERVER"
CONFIG_KEY = "server"


class CentralError(Exception):
    """A one-line problem with the central server, in "中文 (English)"; `exit_code` 1 for a server
    that cannot be reached, 2 for a wrong argument or a schema this client does not know."""

    def __init__(self, message: str, exit_code: int = 2, detail: str = "") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.detail = detail  # libpq's or the server's own words, in neither language of ours


def resolve_dsn(option: str | None) -> str:
    """The DSN to use: the option, else $INSPECT_TUI_SERVER, else the config; CentralError if none."""
    for value in (option, os.environ.get(SERVER_ENV), _configured()):
        if value and value.strip():
            return value.strip()
    raise CentralError(
        f"未指定中心服务器:请用 --server DSN、环境变量 {SERVER_ENV} 或 `inspect-tui server use DSN` "
        f"(no central server: give --server DSN, set {SERVER_ENV}, or run `inspect-tui server use DSN`)")


def _configured() -> str | None:
    value = settings.load().get(CONFIG_KEY)
    return value if isinstance(value, str) else None


def parse(dsn: str) -> dict[str, str]:
    """The DSN's parameters, parsed by libpq itself (key=value with quoting, or a URI)."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {k: str(v) for k, v in conninfo_to_dict(dsn).items() if v is not None}
    except ProgrammingError as exc:
        raise CentralError("服务器连接串无效 (not a valid connection string)", detail=_first_line(exc)) from None


def has_password(dsn: str) -> bool:
    return "password" in parse(dsn)


def save_dsn(dsn: str) -> None:
    """Remember the server in the user config — never with a password in it."""
    if has_password(dsn):
        raise CentralError("连接串含有密码,不能保存;请把密码放在 ~/.pgpass 或服务文件中 "
                           "(the connection string holds a password and is not saved: put it in ~/.pgpass or the service file)")
    data = settings.load()
    data[CONFIG_KEY] = dsn
    settings.save(data)


def describe(dsn: str) -> str:
    """The server as messages name it: host:port/dbname (or the service), never the password."""
    try:
        params = parse(dsn)
    except CentralError:
        return "?"
    if "service" in params and "host" not in params:
        return f"service={params['service']}"
    host = params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "localhost"
    port = params.get("port") or os.environ.get("PGPORT") or "5432"
    dbname = params.get("dbname") or os.environ.get("PGDATABASE") or params.get("user") or os.environ.get("PGUSER") or ""
    return f"{host}:{port}/{dbname}"


def connect(dsn: str, *, prompt: Callable[[str], str] | None = None, autocommit: bool = False,
            connect_timeout: int = 10) -> Any:
    """A psycopg connection, or CentralError (exit 1) naming the server. `prompt` asks for a password
    when the server wants one and none came from pgpass or the service file (None: do not ask)."""
    import psycopg

    where = describe(dsn)
    extra: dict[str, Any] = {"connect_timeout": connect_timeout, "application_name": "inspect-tui"}
    try:
        return psycopg.connect(dsn, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        if prompt is not None and "no password supplied" in str(exc):
            try:
                return psycopg.connect(dsn, autocommit=autocommit, password=prompt(where), **extra)
            except psycopg.OperationalError as again:
                exc = again
        raise CentralError(f"无法连接中心服务器 {where} (cannot reach the central server {where})",
                           exit_code=1, detail=_first_line(exc)) from None
    except psycopg.ProgrammingError as exc:  # a malformed DSN: libpq refuses before connecting
        raise CentralError("服务器连接串无效 (not a valid connection string)", detail=_first_line(exc)) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    # libpq's messages do not echo a password; a DSN echoed back (a syntax error) might: cut it
    return re.sub(r"(password\s*=\s*)(\S+)", r"\1***", line)
