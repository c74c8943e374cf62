"""Browser mode: served by textual-serve on the loopback address only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is in the test extra; the browser mode needs it")

import inspect_tui  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, from /proc/net/tcp{,6} (Linux)."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_serve_binds_localhost_only(tmp_path: Path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(inspect_tui.__file__).parent.parent)}
    server = subprocess.Popen(
        [sys.executable, "-m", "inspect_tui", "--sessions", str(tmp_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 20
        page = ""
        while time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "inspect-tui" in page
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    finally:
        server.terminate()
        server.wait(10)


def test_serve_rejects_a_bad_port():
    from .conftest import run_cli

    done = run_cli("serve", "--port", "99999")
    assert done.returncode == 2 and "1–65535" in done.stderr and "Traceback" not in done.stderr
