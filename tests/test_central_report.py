"""`inspect-tui report --server`: the roll-up computed on the central store (core/exchange/central/
report.py) against a real PostgreSQL, equal to the local report over the same sessions, and bound by
row-level security (a reader of unit A gets A's roll-up because the server returns nothing else)."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest

from inspect_tui.cli.main import main
from inspect_tui.core.analysis.rollup import rollup
from inspect_tui.core.exchange.central import admin, sync
from inspect_tui.core.exchange.central.report import server_rollup
from inspect_tui.core.export import report_md
from inspect_tui.core.session.repository import SessionRepository

from .pg_fixtures import pg_database, pg_server  # noqa: F401  (fixtures)
from .test_report import shequ_session

psycopg = pytest.importorskip("psycopg")
from psycopg import sql  # noqa: E402

S = "inspect_tui"
COUNTY, A, B = "县委组织部", "幸福社区党委", "和平社区党委"


class Store:
    """County ⊃ {A, B}; inspectors of A and of B, a reader of the county and one of A."""

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        tag = secrets.token_hex(3)
        self.roles = {who: f"rep_{who}_{tag}" for who in ("insp_a", "insp_b", "county", "reader_a")}
        self.password = secrets.token_urlsafe(12)
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            admin.init(conn, "db")
            admin.set_unit(conn, "db", COUNTY, None)
            admin.set_unit(conn, "db", A, COUNTY)
            admin.set_unit(conn, "db", B, COUNTY)
            for who, unit, kind in (("insp_a", A, "inspector"), ("insp_b", B, "inspector"),
                                    ("county", COUNTY, "reader"), ("reader_a", A, "reader")):
                admin.grant(conn, "db", self.roles[who], unit, kind, "")
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(self.roles[who]),
                                                                        sql.Literal(self.password)))

    def dsn(self, who: str) -> str:
        return f"{self.admin_dsn} user={self.roles[who]} password={self.password}"

    def drop(self) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {S} CASCADE")
            for role in self.roles.values():
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def store(pg_database):
    central = Store(pg_database)
    try:
        yield central
    finally:
        central.drop()


def folders(tmp_path):
    """Two laptops' folders: A's three inspections (a re-inspection among them), B's two (one unfinished)."""
    a, b = SessionRepository(tmp_path / "a"), SessionRepository(tmp_path / "b")
    first = shequ_session(a, "第一网格党支部", A, dt.date(2026, 3, 1), {"org.basic.grid_split": "fail", "team.grid": "fail"},
                          complete=True)
    shequ_session(a, "第一网格党支部", A, dt.date(2026, 6, 1), {"team.grid": "fail"}, previous=first, complete=True)
    shequ_session(a, "第二网格党支部", A, dt.date(2026, 6, 2), {"team.grid": "fail", "org.groups.principle": "fail"},
                  complete=True)
    shequ_session(b, "和平第一党支部", B, dt.date(2026, 6, 3), {"org.groups.principle": "fail"}, complete=True)
    shequ_session(b, "和平第二党支部", B, dt.date(2026, 6, 4), {"team.grid": "fail"})  # unfinished: listed apart
    return a, b


def sessions_of(*repos):
    out = []
    for repo in repos:
        for sid in repo.session_ids():
            with repo.open(sid, write=False) as opened:
                out.append(opened.session)
    return out


def test_the_server_roll_up_equals_the_local_one_and_rls_narrows_it(store, tmp_path):
    a, b = folders(tmp_path)
    for repo, who in ((a, "insp_a"), (b, "insp_b")):
        assert all(o.kind == "pushed" for o in sync.sync(repo, store.dsn(who), device=f"dev-{who}-0001").pushed)
    local_all = rollup(sessions_of(a, b))
    group = local_all.groups[0]
    assert len(group.ranking) == 3 and group.unfinished and group.failed_items
    assert any(len(trend.points) == 2 for trend in group.trends)  # the re-inspection joins its branch
    with psycopg.connect(store.dsn("county"), autocommit=True) as conn:
        on_server = server_rollup(conn)
        assert on_server == local_all  # every figure, every name, every order
        assert report_md.render_rollup(on_server, "zh") == report_md.render_rollup(local_all, "zh")
        # the same filters as the local report
        since = dt.date(2026, 6, 2)
        assert server_rollup(conn, since=since, unit=B) == rollup(sessions_of(a, b), since=since, unit=B)
        day = dt.date(2026, 12, 1)
        rates = server_rollup(conn, today=day).rectifications  # 整改率 and 逾期 per unit, as the local report counts them
        assert rates == rollup(sessions_of(a, b), today=day).rectifications
    assert [r.unit for r in rates] == [*sorted((A, B)), ""] and rates[-1].total_row and rates[-1].total > 0
    # a reader of A: A's roll-up, because PostgreSQL returns no row of B (no filter of ours)
    with psycopg.connect(store.dsn("reader_a"), autocommit=True) as conn:
        assert server_rollup(conn) == rollup(sessions_of(a))
        assert [r.unit for r in server_rollup(conn).rectifications] == [A, ""]


def test_report_server_through_the_cli_prints_what_the_local_report_prints(store, tmp_path, capsys):
    a, _ = folders(tmp_path)
    sync.sync(a, store.dsn("insp_a"), device="dev-cli-a-0001")
    assert main(["--sessions", str(a.folder), "report", "--format", "json"]) == 0
    local_out = json.loads(capsys.readouterr().out)
    assert main(["--sessions", str(tmp_path / "empty"), "report", "--format", "json", "--server", store.dsn("county")]) == 0
    server_out = json.loads(capsys.readouterr().out)
    assert server_out == local_out and server_out["groups"]
    # a server that is not there: one line naming it, exit 1
    assert main(["report", "--server", "host=127.0.0.1 port=1 dbname=x user=nobody connect_timeout=2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "127.0.0.1:1" in err
