"""The central store's server side against a real PostgreSQL (tests/pg_fixtures.py): migrations,
`inspect-tui server …`, and who may do what, refused by PostgreSQL itself.

The migrations, the RLS matrix and the replay checks are in the core tier (a few seconds); the tests
of the CLI's child processes, connections and roles of its own are `slow`."""

from __future__ import annotations

import json
import secrets
import sys

import pytest

from inspect_tui.cli.main import main
from inspect_tui.core.exchange.central import admin, connection, events, migrations

from .conftest import run_cli
from .pg_fixtures import _with_dbname, pg_database, pg_server  # noqa: F401  (fixtures)

psycopg = pytest.importorskip("psycopg")
from psycopg import errors, sql  # noqa: E402

S = "inspect_tui"


def server(*args: str) -> int:
    return main(["server", *args])


def test_init_twice_is_idempotent_and_records_each_version(pg_database, capsys):
    assert server("init", "--dsn", pg_database) == 0
    first = capsys.readouterr().out
    assert "0001 init" in first and "0002 security" in first
    assert server("init", "--dsn", pg_database) == 0
    assert f"版本 {migrations.latest()}" in capsys.readouterr().out
    with psycopg.connect(pg_database) as conn:
        rows = conn.execute(f"SELECT version, name FROM {S}.schema_version ORDER BY version").fetchall()
    assert rows == [(m.version, m.name) for m in migrations.known()]


def test_upgrade_from_0001_applies_the_rest(pg_database, capsys):
    with psycopg.connect(pg_database, autocommit=True) as conn:
        assert [m.version for m in migrations.apply(conn, "db", upto=1)] == [1]
    # the admin commands refuse a schema that needs upgrading, with one line
    assert server("grant", "someone", "--unit", "A", "--as", "inspector", "--dsn", pg_database) == 2
    assert "server upgrade" in capsys.readouterr().err
    assert server("upgrade", "--dsn", pg_database) == 0
    out = capsys.readouterr().out
    assert "0002 security" in out and "0003 rollup" in out and "0001" not in out
    with psycopg.connect(pg_database) as conn:
        assert migrations.current_version(conn) == migrations.latest() == 3
        forced = conn.execute("SELECT relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
                              (f"{S}.sessions",)).fetchone()[0]
    assert forced is True


def test_upgrade_of_an_empty_database_and_a_newer_schema_are_refused(pg_database, capsys):
    assert server("upgrade", "--dsn", pg_database) == 2
    err = capsys.readouterr().err
    assert "server init" in err and len(err.strip().splitlines()) == 1
    assert server("init", "--dsn", pg_database) == 0
    with psycopg.connect(pg_database) as conn:
        conn.execute(f"INSERT INTO {S}.schema_version (version, name) VALUES (99, 'future')")
    capsys.readouterr()
    for command in ("init", "upgrade", "status"):
        assert server(command, "--dsn", pg_database) == 2
        err = capsys.readouterr().err
        assert "99" in err and len(err.strip().splitlines()) == 1, command


@pytest.mark.slow  # child processes, or many connections: the full suite runs it
def test_a_stopped_server_or_bad_login_is_one_line_naming_the_server(pg_server, tmp_path, monkeypatch, capsys):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # a real child process once: exit code and stderr as a shell sees them
    done = run_cli("server", "status", "--dsn", f"host=127.0.0.1 port={port} dbname=central connect_timeout=3")
    assert done.returncode == 1
    assert f"127.0.0.1:{port}/central" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    # a wrong password, given in the DSN by the user: refused by the server, the password never printed
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    assert server("status", "--dsn", pg_server + " password=not-the-password-42") == 1
    err = capsys.readouterr().err
    assert "not-the-password-42" not in err and "127.0.0.1:" in err and len(err.strip().splitlines()) == 1
    assert server("status", "--dsn", "host=127.0.0.1 nonsense") == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    monkeypatch.delenv(connection.SERVER_ENV, raising=False)
    assert server("status") == 2  # no DSN anywhere
    assert "INSPECT_TUI_SERVER" in capsys.readouterr().err


@pytest.mark.slow  # child processes, or many connections: the full suite runs it
def test_a_password_the_server_asks_for_comes_from_the_prompt_and_stays_in_memory(pg_server, tmp_path, monkeypatch):
    with psycopg.connect(pg_server, autocommit=True) as su:
        name, password = f"prompted_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
        su.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
    try:
        with monkeypatch.context() as env:
            env.setenv("PGPASSFILE", str(tmp_path / "none"))  # neither pgpass nor a service file
            dsn = f"{pg_server} user={name}"
            asked = []
            with pytest.raises(connection.CentralError) as failed:
                connection.connect(dsn)  # no prompt (not a terminal): one error naming the server
            assert failed.value.exit_code == 1 and "127.0.0.1:" in str(failed.value)
            conn = connection.connect(dsn, prompt=lambda where: asked.append(where) or password)
            with conn:
                assert conn.execute("SELECT current_user").fetchone()[0] == name
            assert asked == [connection.describe(dsn)]
        assert list(tmp_path.iterdir()) == []  # nothing written
    finally:
        with psycopg.connect(pg_server, autocommit=True) as su:
            su.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def test_the_config_never_holds_a_password(monkeypatch, capsys, tmp_path):
    from inspect_tui.core import paths, settings

    monkeypatch.delenv(connection.SERVER_ENV, raising=False)
    for dsn in ("host=db.example password=secret dbname=central", "postgresql://alice:secret@db.example/central"):
        assert server("use", dsn) == 2
        assert "secret" not in capsys.readouterr().err
        assert not paths.config_file().exists()
    assert server("use", "service=central") == 0
    assert settings.load()["server"] == "service=central"
    assert connection.resolve_dsn(None) == "service=central"
    monkeypatch.setenv(connection.SERVER_ENV, "host=env.example dbname=x sslmode=verify-full")
    assert connection.resolve_dsn(None).startswith("host=env.example")
    assert connection.resolve_dsn("host=arg.example") == "host=arg.example"
    assert connection.describe("host=db.example port=6543 dbname=central sslmode=verify-full") == "db.example:6543/central"
    assert connection.describe("service=central") == "service=central"


@pytest.mark.slow  # child processes, or many connections: the full suite runs it
def test_starting_the_cli_does_not_import_psycopg():
    import subprocess

    code = ("import sys; from inspect_tui.cli.main import build_parser; build_parser();"
            " print('psycopg' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# --- who sees what: every attempt made AS the role, refused by PostgreSQL -------------------------

class Central:
    """An initialised store with units 县委组织部 ⊃ {A, B}, and one login role per kind."""

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        tag = secrets.token_hex(3)
        self.roles = {name: f"{name}_{tag}" for name in ("insp_a", "insp_b", "reader_county", "reader_a", "branch_a1")}
        self.passwords = {role: secrets.token_urlsafe(12) for role in self.roles.values()}

    def setup(self) -> None:
        """Through the admin functions on one connection (the CLI over them is tested on its own)."""
        r = self.roles
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            admin.init(conn, "db")
            admin.set_unit(conn, "db", "A", "县委组织部")
            admin.set_unit(conn, "db", "B", "县委组织部")
            for role, unit, kind, branch in ((r["insp_a"], "A", "inspector", ""), (r["insp_b"], "B", "inspector", ""),
                                             (r["reader_county"], "县委组织部", "reader", ""), (r["reader_a"], "A", "reader", ""),
                                             (r["branch_a1"], "A", "branch", "第一党支部")):
                assert admin.grant(conn, "db", role, unit, kind, branch).created_role
            for role, password in self.passwords.items():
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))

    def connect(self, who: str):
        role = self.roles[who]
        # the password only in this test's own DSN string, never in a file the app writes
        return psycopg.connect(f"{self.admin_dsn} user={role} password={self.passwords[role]}", autocommit=True)

    def teardown(self) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {S} CASCADE")
            for role in self.roles.values():
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="module")
def shared_central(pg_server):
    """One store for the module's read-only-permission tests (a database and its setup cost more
    than the tests): each test empties the record tables after itself (`central`)."""
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    store = Central(_with_dbname(pg_server, name))
    try:
        store.setup()
        yield store
        store.teardown()
    finally:
        with psycopg.connect(pg_server, autocommit=True) as su:
            su.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def central(shared_central):
    yield shared_central
    with psycopg.connect(shared_central.admin_dsn, autocommit=True) as su:
        su.execute(f"""TRUNCATE {S}.events, {S}.devices, {S}.sessions, {S}.answers, {S}.facts, {S}.rectifications,
                       {S}.selfchecks, {S}.attachments, {S}.session_attachments,
                       {S}.session_sections, {S}.checklists""")


@pytest.fixture
def own_central(pg_database):
    """A store of the test's own, for a test that changes the assignments."""
    store = Central(pg_database)
    store.setup()
    try:
        yield store
    finally:
        store.teardown()


def seed_session(conn, device: str, session: str, unit: str, branch: str = "第一党支部") -> None:
    events.register_device(conn, device, "laptop")
    conn.execute(f"""INSERT INTO {S}.sessions (id, unit, branch, checklist_id, checklist_version, status, updated_at, updated_by)
                     VALUES (%s, %s, %s, 'c', '1', 'in_progress', now(), '')""", (session, unit, branch))
    conn.execute(f"INSERT INTO {S}.answers (session_id, item, state, updated_at, updated_by) VALUES (%s, '1.1', 'fail', now(), '')",
                 (session,))
    assert events.push(conn, device, 1, session, unit, branch, "session", {"id": session})


def refused(conn, statement: str, params=()) -> None:
    """The server itself refuses: a privilege or policy error from PostgreSQL, nothing written."""
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement, params)


def test_inspectors_readers_and_branches_each_get_exactly_their_rows(central):
    with central.connect("insp_a") as a, central.connect("insp_b") as b:
        seed_session(a, "dev-a-0001", "sA", "A")
        seed_session(b, "dev-b-0001", "sB", "B")
        # the same plain SELECT, no app code between: the admin sees both, each inspector its own
        with psycopg.connect(central.admin_dsn) as admin:
            assert admin.execute(f"SELECT id FROM {S}.sessions ORDER BY id").fetchall() == [("sA",), ("sB",)]
        for conn, mine in ((a, "sA"), (b, "sB")):
            assert conn.execute(f"SELECT id FROM {S}.sessions").fetchall() == [(mine,)]
            assert conn.execute(f"SELECT session_id FROM {S}.events").fetchall() == [(mine,)]
            assert conn.execute(f"SELECT session_id FROM {S}.answers").fetchall() == [(mine,)]
        # A's inspector on B's rows: updates touch nothing, inserts and moves are refused
        assert a.execute(f"UPDATE {S}.sessions SET place = 'x' WHERE id = 'sB'").rowcount == 0
        assert a.execute(f"UPDATE {S}.answers SET note = 'x' WHERE session_id = 'sB'").rowcount == 0
        assert a.execute(f"DELETE FROM {S}.answers WHERE session_id = 'sB'").rowcount == 0
        refused(a, f"""INSERT INTO {S}.sessions (id, unit, branch, checklist_id, checklist_version, status, updated_at, updated_by)
                       VALUES ('sX', 'B', 'b', 'c', '1', 'in_progress', now(), '')""")
        refused(a, f"UPDATE {S}.sessions SET unit = 'B' WHERE id = 'sA'")
        refused(a, f"INSERT INTO {S}.answers (session_id, item, updated_at, updated_by) VALUES ('sB', '2', now(), '')")
        with pytest.raises(errors.InsufficientPrivilege):
            events.push(a, "dev-a-0001", 2, "sB", "B", "b", "answer", {})   # B's unit
        with pytest.raises(errors.InsufficientPrivilege):
            events.push(a, "dev-b-0001", 9, "sA", "A", "b", "answer", {})   # B's laptop
        refused(a, f"UPDATE {S}.events SET payload = '{{}}'")                # the log is append-only
        refused(a, f"DELETE FROM {S}.events")
        with psycopg.connect(central.admin_dsn) as admin:
            assert admin.execute(f"SELECT place, unit FROM {S}.sessions WHERE id = 'sB'").fetchone() == ("", "B")
            assert admin.execute(f"SELECT count(*) FROM {S}.answers").fetchone()[0] == 2
            assert admin.execute(f"SELECT count(*) FROM {S}.events").fetchone()[0] == 2

        # readers: the county's sees both (units below it), A's only A; neither writes anything
        with central.connect("reader_county") as county, central.connect("reader_a") as ra:
            assert sorted(county.execute(f"SELECT id FROM {S}.sessions").fetchall()) == [("sA",), ("sB",)]
            assert county.execute(f"SELECT count(*) FROM {S}.answers").fetchone()[0] == 2
            assert ra.execute(f"SELECT id FROM {S}.sessions").fetchall() == [("sA",)]
            assert ra.execute(f"SELECT session_id FROM {S}.events").fetchall() == [("sA",)]
            for reader in (county, ra):
                refused(reader, f"""INSERT INTO {S}.sessions (id, unit, branch, checklist_id, checklist_version, status, updated_at, updated_by)
                                    VALUES ('sR', 'A', 'b', 'c', '1', 'in_progress', now(), '')""")
                refused(reader, f"UPDATE {S}.sessions SET place = 'x'")
                refused(reader, f"INSERT INTO {S}.answers (session_id, item, updated_at, updated_by) VALUES ('sA', '9', now(), '')")
                refused(reader, f"DELETE FROM {S}.answers")
                refused(reader, events.REGISTER, ("dev-reader-01", ""))
                with pytest.raises(errors.InsufficientPrivilege):
                    events.push(reader, "dev-a-0001", 5, "sA", "A", "第一党支部", "answer", {})

        # the branch account: reads nothing of the record; inserts only its own branch's self-checks
        with central.connect("branch_a1") as br:
            for table in ("sessions", "events", "answers", "facts", "rectifications", "selfchecks",
                          "attachments", "session_attachments"):
                assert br.execute(f"SELECT count(*) FROM {S}.{table}").fetchone()[0] == 0, table
            events.register_device(br, "dev-branch-a1", "branch")
            assert events.push(br, "dev-branch-a1", 1, "sA", "A", "第一党支部", "selfcheck", {"score": 20})
            with pytest.raises(errors.InsufficientPrivilege):   # another branch of the same unit
                events.push(br, "dev-branch-a1", 2, "sA", "A", "第二党支部", "selfcheck", {})
            with pytest.raises(errors.InsufficientPrivilege):   # another unit
                events.push(br, "dev-branch-a1", 3, "sB", "B", "第一党支部", "selfcheck", {})
            with pytest.raises(errors.InsufficientPrivilege):   # not a self-check
                events.push(br, "dev-branch-a1", 4, "sA", "A", "第一党支部", "answer", {})
            refused(br, f"UPDATE {S}.sessions SET place = 'x'")
            assert br.execute(f"SELECT count(*) FROM {S}.events").fetchone()[0] == 0  # not even its own
        # … which A's inspector then sees, stamped by the server as the branch's
        row = a.execute(f"SELECT author, author_role FROM {S}.events WHERE kind = 'selfcheck'").fetchone()
        assert row == (central.roles["branch_a1"], "branch")
        assert b.execute(f"SELECT count(*) FROM {S}.events WHERE kind = 'selfcheck'").fetchone()[0] == 0


def test_a_replay_is_a_no_op_an_altered_replay_is_refused_and_stamps_are_the_servers(central):
    with central.connect("insp_a") as a:
        events.register_device(a, "dev-a-0001")
        events.register_device(a, "dev-a-0001")  # again: nothing happens
        payload = {"item": "1.1", "state": "fail", "note": "未按期换届"}
        assert events.push(a, "dev-a-0001", 1, "sA", "A", "第一党支部", "answer", payload) is True
        assert events.push(a, "dev-a-0001", 1, "sA", "A", "第一党支部", "answer", dict(reversed(payload.items()))) is False
        with pytest.raises(events.AlteredReplay):
            events.push(a, "dev-a-0001", 1, "sA", "A", "第一党支部", "answer", {**payload, "state": "pass"})
        # a client naming the stamped columns itself is overwritten, not believed
        a.execute(f"""INSERT INTO {S}.events (device_id, seq, session_id, unit, branch, kind, payload,
                                             payload_sha256, author, author_role, received_at)
                      VALUES ('dev-a-0001', 2, 'sA', 'A', 'b', 'fact', '{{"n": 1}}', 'forged', %s, 'reader', '2000-01-01')""",
                  (central.roles["insp_b"],))
        rows = a.execute(f"""SELECT seq, payload, payload_sha256 = encode(sha256(convert_to(payload::text, 'UTF8')), 'hex'),
                                    author, author_role, received_at > now() - interval '1 hour'
                             FROM {S}.events ORDER BY seq""").fetchall()
        me = central.roles["insp_a"]
        assert rows == [(1, payload, True, me, "inspector", True), (2, {"n": 1}, True, me, "inspector", True)]
        registered = a.execute(f"SELECT created_by FROM {S}.devices").fetchall()
        assert registered == [(me,)]
        seed_session(a, "dev-a-0002", "sA", "A")  # names updated_by '' and a time: both the server's
        assert a.execute(f"SELECT updated_by FROM {S}.sessions UNION ALL SELECT updated_by FROM {S}.answers").fetchall() == [(me,), (me,)]
    # the branch account, which may read no event, is told of an altered replay all the same
    with central.connect("branch_a1") as br:
        events.register_device(br, "dev-branch-a1")
        check = {"score": 18}
        assert events.push(br, "dev-branch-a1", 1, "sA", "A", "第一党支部", "selfcheck", check) is True
        assert events.push(br, "dev-branch-a1", 1, "sA", "A", "第一党支部", "selfcheck", check) is False
        with pytest.raises(events.AlteredReplay):
            events.push(br, "dev-branch-a1", 1, "sA", "A", "第一党支部", "selfcheck", {"score": 28})
    with psycopg.connect(central.admin_dsn) as admin:
        stored = admin.execute(f"SELECT payload FROM {S}.events WHERE device_id = 'dev-branch-a1'").fetchall()
        assert stored == [(check,)]


def test_attachments_are_content_addressed_and_read_through_their_session(central):
    import hashlib

    content = b"\x89PNG fake photo bytes"
    digest = hashlib.sha256(content).hexdigest()
    with central.connect("insp_a") as a, central.connect("insp_b") as b:
        seed_session(a, "dev-a-0001", "sA", "A")
        with pytest.raises(errors.CheckViolation):   # bytes under another file's name
            a.execute(f"INSERT INTO {S}.attachments (sha256, content, size, media_type) VALUES (%s, %s, %s, 'image/png')",
                      (digest, b"other bytes", len(content)))
        upload = f"INSERT INTO {S}.attachments (sha256, content, size, media_type) VALUES (%s, %s, %s, 'image/png') ON CONFLICT DO NOTHING"
        assert a.execute(upload, (digest, content, len(content))).rowcount == 1
        assert b.execute(upload, (digest, content, len(content))).rowcount == 0   # uploaded once
        a.execute(f"INSERT INTO {S}.session_attachments (session_id, item, sha256, name, updated_at, updated_by) VALUES ('sA', '1.1', %s, 'p.png', now(), '')",
                  (digest,))
        assert a.execute(f"SELECT content FROM {S}.attachments").fetchall() == [(content,)]
        assert b.execute(f"SELECT count(*) FROM {S}.attachments").fetchone()[0] == 0
        with central.connect("reader_county") as county:
            assert county.execute(f"SELECT size FROM {S}.attachments").fetchall() == [(len(content),)]


def test_nothing_is_granted_to_public_and_the_app_roles_own_nothing(central):
    with psycopg.connect(central.admin_dsn) as admin:
        public = admin.execute("""SELECT table_name, privilege_type FROM information_schema.role_table_grants
                                  WHERE table_schema = %s AND grantee = 'PUBLIC'""", (S,)).fetchall()
        assert public == []
        owners = {o for (o,) in admin.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = %s", (S,))}
        assert owners.isdisjoint({*central.roles.values(), "inspect_inspector", "inspect_reader", "inspect_branch"})
        unforced = admin.execute("""SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'
                                    AND NOT relrowsecurity""", (S,)).fetchall()
        assert unforced == [("schema_version",)]  # every table but the version list is under RLS
        groups = admin.execute("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'inspect\\_%%' AND rolname <> 'inspect_admin' ORDER BY 1").fetchall()
        assert groups == [("inspect_branch", False), ("inspect_inspector", False), ("inspect_reader", False),
                          ("inspect_replay_check", False)]
        # the replay check's role has no members: nobody inherits its sight of every event
        members = admin.execute("""SELECT count(*) FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
                                   WHERE g.rolname = 'inspect_replay_check'""").fetchone()[0]
        assert members == 0


@pytest.mark.slow  # child processes, or many connections: the full suite runs it
def test_grant_revoke_and_status_through_the_cli(own_central, capsys):
    central = own_central
    r = central.roles
    extra = f"insp_c_{secrets.token_hex(3)}"
    try:
        assert server("grant", extra, "--unit", "C", "--as", "inspector", "--dsn", central.admin_dsn) == 0
        out = capsys.readouterr().out
        assert f"\\password {extra}" in out and extra in out
        assert server("grant", extra, "--unit", "C", "--as", "inspector", "--dsn", central.admin_dsn) == 0  # again: no-op
        assert server("unit", "C", "--parent", "县委组织部", "--dsn", central.admin_dsn) == 0
        assert server("revoke", extra, "--dsn", central.admin_dsn) == 0
    finally:
        with psycopg.connect(central.admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(extra)))
    capsys.readouterr()
    assert server("status", "--json", "--dsn", central.admin_dsn) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["version"] == migrations.latest()
    assert {"name": "A", "parent": "县委组织部"} in status["units"]
    assert {"name": "C", "parent": "县委组织部"} in status["units"]
    assert {"role": r["branch_a1"], "kind": "branch", "unit": "A", "branch": "第一党支部"} in status["assignments"]
    assert r["insp_a"] in status["groups"]["inspect_inspector"]
    # a cycle in the unit tree, a bad role name, a branch account without its branch: one line, exit 2
    assert server("unit", "县委组织部", "--parent", "A", "--dsn", central.admin_dsn) == 2
    assert server("grant", "Robert'); DROP", "--unit", "A", "--as", "inspector", "--dsn", central.admin_dsn) == 2
    assert server("grant", r["insp_b"], "--unit", "A", "--as", "branch", "--dsn", central.admin_dsn) == 2
    owner = psycopg.conninfo.conninfo_to_dict(central.admin_dsn)["user"]
    assert server("grant", owner, "--unit", "A", "--as", "inspector", "--dsn", central.admin_dsn) == 2  # the owner
    assert server("unit", "A\u202e", "--dsn", central.admin_dsn) == 2   # the text gate: a bidi control
    assert "U+202E" in capsys.readouterr().err
    assert server("unit", "A", "--dsn", central.admin_dsn) == 0          # again, without --parent: keeps it
    with psycopg.connect(central.admin_dsn) as conn:
        assert conn.execute(f"SELECT parent FROM {S}.units WHERE name = 'A'").fetchone()[0] == "县委组织部"
    capsys.readouterr()
    # revoking takes the rows away at once, and the group with the last one
    with central.connect("insp_a") as a:
        seed_session(a, "dev-a-0001", "sA", "A")
        assert server("revoke", r["insp_a"], "--unit", "A", "--dsn", central.admin_dsn) == 0
        assert "1" in capsys.readouterr().out
        with pytest.raises(errors.InsufficientPrivilege):  # no longer in the group: no table privilege
            a.execute(f"SELECT id FROM {S}.sessions").fetchall()
    with psycopg.connect(central.admin_dsn) as admin:
        assert admin.execute("SELECT pg_has_role(%s, 'inspect_inspector', 'MEMBER')", (r["insp_a"],)).fetchone()[0] is False


@pytest.mark.slow  # child processes, or many connections: the full suite runs it
def test_a_non_superuser_admin_can_set_up_the_store_and_is_bound_by_it(pg_server, pg_database, capsys):
    """In use the admin should not be a superuser (superusers pass every policy): a role with
    CREATEROLE that owns the database sets everything up, and FORCE binds it on the record tables."""
    name = f"adm_{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    inspector = f"insp_{secrets.token_hex(3)}"
    with psycopg.connect(pg_server, autocommit=True) as su:
        su.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
        dbname = psycopg.conninfo.conninfo_to_dict(pg_database)["dbname"]
        su.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(dbname), sql.Identifier(name)))
    dsn = f"{pg_database} user={name} password={password}"
    try:
        assert server("init", "--dsn", dsn) == 0, capsys.readouterr().err
        assert server("grant", inspector, "--unit", "A", "--as", "inspector", "--dsn", dsn) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert server("grant", name, "--unit", "A", "--as", "reader", "--dsn", dsn) == 2   # the owner is no app role
        assert "拥有中心库的表" in capsys.readouterr().err
        with psycopg.connect(pg_server, autocommit=True) as su:
            su.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(inspector), sql.Literal(password)))
        with psycopg.connect(f"{pg_database} user={inspector} password={password}", autocommit=True) as a:
            seed_session(a, "dev-a-0001", "sA", "A")
        with psycopg.connect(dsn) as owner:
            assert owner.execute(f"SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = 'sessions'",
                                 (S,)).fetchone()[0] == name
            for table in ("sessions", "events", "answers"):
                assert owner.execute(f"SELECT count(*) FROM {S}.{table}").fetchone()[0] == 0, table
            assert owner.execute(f"SELECT count(*) FROM {S}.assignments").fetchone()[0] == 1  # its to manage
    finally:
        with psycopg.connect(pg_server, autocommit=True) as su:
            dbname = psycopg.conninfo.conninfo_to_dict(pg_database)["dbname"]
            su.execute(sql.SQL("ALTER DATABASE {} OWNER TO CURRENT_USER").format(sql.Identifier(dbname)))
        with psycopg.connect(pg_database, autocommit=True) as su:
            su.execute(f"DROP SCHEMA IF EXISTS {S} CASCADE")
            su.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(inspector)))
            su.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            su.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def test_the_report_tables_of_0003_follow_the_session_under_rls(central):
    """session_sections as the other rows of a session; a standard's text readable by the staff only,
    and only under its own hash."""
    text = "id: c\n"
    digest = __import__("hashlib").sha256(text.encode()).hexdigest()
    with central.connect("insp_a") as a, central.connect("insp_b") as b:
        seed_session(a, "dev-a-0003", "sA", "A")
        seed_session(b, "dev-b-0003", "sB", "B")
        for conn, sid in ((a, "sA"), (b, "sB")):
            conn.execute(f"INSERT INTO {S}.session_sections VALUES (%s, 'org', 0, 10, 2, 1)", (sid,))
        a.execute(f"INSERT INTO {S}.checklists (sha256, source) VALUES (%s, %s)", (digest, text))
        with pytest.raises(errors.CheckViolation):   # text and name must agree
            a.execute(f"INSERT INTO {S}.checklists (sha256, source) VALUES (%s, 'id: other')", (digest[::-1],))
        assert a.execute(f"SELECT session_id FROM {S}.session_sections").fetchall() == [("sA",)]
        refused(a, f"INSERT INTO {S}.session_sections VALUES ('sB', 'x', 1, 1, 1, 1)")
        assert a.execute(f"DELETE FROM {S}.session_sections WHERE session_id = 'sB'").rowcount == 0
        assert a.execute(f"DELETE FROM {S}.selfchecks WHERE session_id = 'sB'").rowcount == 0
        with central.connect("reader_county") as county, central.connect("reader_a") as ra, \
                central.connect("branch_a1") as br:
            assert county.execute(f"SELECT count(*) FROM {S}.session_sections").fetchone()[0] == 2
            assert ra.execute(f"SELECT session_id FROM {S}.session_sections").fetchall() == [("sA",)]
            assert ra.execute(f"SELECT sha256 FROM {S}.checklists").fetchall() == [(digest,)]
            refused(ra, f"DELETE FROM {S}.session_sections")
            refused(ra, f"INSERT INTO {S}.checklists (sha256, source) VALUES (%s, %s)",
                    (__import__("hashlib").sha256(b"x").hexdigest(), "x"))
            for table in ("session_sections", "checklists"):
                assert br.execute(f"SELECT count(*) FROM {S}.{table}").fetchone()[0] == 0, table
