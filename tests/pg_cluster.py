"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl on 127.0.0.1, in a temporary folder.

Standard library only, so `.ci/run` can use it before any virtual environment exists:

    eval "$(python3 tests/pg_cluster.py start DIR)"   # exports the DSN and PGPASSFILE
    python3 tests/pg_cluster.py stop DIR

and the tests' `pg_server` fixture (tests/conftest.py) starts one itself when `.ci/run` did not.
The cluster listens on 127.0.0.1 only, on a free port, with scram-sha-256 password authentication
for TCP; the superuser's password is random and lives only in DIR/pgpass (0600), which libpq reads
through PGPASSFILE — nothing is written into the sessions folder or the user config. PostgreSQL
refuses to run as root: as root, the server runs as the `postgres` system user (the Debian package
creates it). fsync is off: the cluster is thrown away after the run.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ADMIN = "inspect_admin"


def find_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin (newest)."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(folder: Path) -> list[str]:
    """The command prefix that runs the server's tools as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    import pwd

    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root and there is no 'postgres' user to run the server as") from None
    for path in (folder, *folder.rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid)
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--"]
    return ["su", "postgres", "-s", "/bin/sh", "-c"]  # pragma: no cover  (no util-linux)


def start(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Start a cluster in `folder` (created, must be empty); the environment that reaches it.
    As root, the server user must be able to reach `folder`: give a folder directly under /tmp
    (`mktemp -d`, `tempfile.mkdtemp()`), not one inside another owner-only folder."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server programs (initdb, pg_ctl) found")
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    pwfile = folder / "initdb.pw"
    pwfile.write_text(password + "\n", encoding="utf-8")
    port = _free_port()
    (folder / "sock").mkdir(exist_ok=True)
    prefix = _as_server_user(folder)
    data, log = folder / "data", folder / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", ADMIN, "--pwfile", str(pwfile), "-E", "UTF8",
        "--locale=C", "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--no-sync")
    pwfile.unlink()
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder / 'sock'} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
    pgpass = folder / "pgpass"
    pgpass.write_text(f"127.0.0.1:{port}:*:{ADMIN}:{password}\n", encoding="utf-8")
    os.chmod(pgpass, 0o600)
    if prefix:  # the client runs as us, not as postgres: the password file is ours
        os.chown(pgpass, os.getuid(), os.getgid())
    return {
        "INSPECT_TUI_TEST_PG": f"host=127.0.0.1 port={port} user={ADMIN} dbname=postgres",
        "PGPASSFILE": str(pgpass),
    }


def stop(folder: str | os.PathLike[str]) -> None:
    folder = Path(folder).resolve()
    bin_dir = find_bin()
    if bin_dir is not None and (folder / "data" / "postmaster.pid").exists():
        prefix = _as_server_user(folder) if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit("usage: pg_cluster.py start|stop DIR")
    try:
        if sys.argv[1] == "start":
            import shlex

            for key, value in start(sys.argv[2]).items():
                print(f"export {key}={shlex.quote(value)}")
        else:
            stop(sys.argv[2])
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        sys.exit(f"pg_cluster: {exc}")
