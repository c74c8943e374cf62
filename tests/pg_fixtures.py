"""The PostgreSQL server for the central-store tests: the one `.ci/run` started, or one of our own.

`.ci/run` starts a throwaway cluster (tests/pg_cluster.py) and exports INSPECT_TUI_TEST_PG (a libpq
DSN of its superuser) and PGPASSFILE. Run outside .ci/run, the first test that asks starts a cluster
for the session and stops it at the end; the tests that need a server skip, with the reason, only
when none can be started (no PostgreSQL installed). Each test gets a database of its own
(`pg_database`), so tests on several xdist workers share one server without meeting.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from typing import Iterator

import pytest

from . import pg_cluster


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The superuser DSN of a running server (its password in PGPASSFILE, never in the DSN)."""
    dsn = os.environ.get("INSPECT_TUI_TEST_PG")
    if dsn:
        yield dsn
        return
    folder = tempfile.mkdtemp(prefix="inspect-tui-pg-")  # under /tmp: reachable by the server user as root
    try:
        env = pg_cluster.start(folder)
    except Exception as exc:  # no server programs, no postgres user, a port taken …
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"no PostgreSQL could be started here: {exc}")
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield env["INSPECT_TUI_TEST_PG"]
    finally:
        pg_cluster.stop(folder)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """A fresh, empty database for one test; dropped (with every connection to it) afterwards."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is in the package's dependencies")
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_dbname(pg_server, name)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_dbname(dsn: str, name: str) -> str:
    parts = [p for p in dsn.split() if not p.startswith("dbname=")]
    return " ".join([*parts, f"dbname={name}"])
