"""The throwaway PostgreSQL the central-store tests run against (tests/pg_cluster.py, .ci/run)."""

from __future__ import annotations

import os
import stat

import pytest

from .pg_fixtures import pg_database, pg_server  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg")


def test_the_server_listens_on_localhost_only_and_needs_a_password(pg_server):
    with psycopg.connect(pg_server) as conn:
        assert conn.execute("show listen_addresses").fetchone()[0] == "127.0.0.1"
        version = int(conn.execute("show server_version_num").fetchone()[0])
        assert version >= 130000  # row-level security policies as the central store uses them
        # password authentication over TCP: the DSN carries no password, PGPASSFILE does
        assert "password" not in pg_server
        rules = conn.execute("select type, auth_method from pg_hba_file_rules where type = 'host'").fetchall()
        assert rules and all(method == "scram-sha-256" for _, method in rules)
    pgpass = os.environ["PGPASSFILE"]
    assert stat.S_IMODE(os.stat(pgpass).st_mode) == 0o600
    bad = os.environ.copy()
    try:
        os.environ["PGPASSFILE"] = os.devnull
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(pg_server, connect_timeout=5).close()
    finally:
        os.environ.clear()
        os.environ.update(bad)


def test_each_test_gets_its_own_database(pg_server, pg_database):
    with psycopg.connect(pg_database) as conn:
        name = conn.execute("select current_database()").fetchone()[0]
        assert name.startswith("t_")
        conn.execute("create table probe (n int)")
    with psycopg.connect(pg_server) as admin:
        assert admin.execute("select count(*) from pg_database where datname = %s", (name,)).fetchone()[0] == 1
