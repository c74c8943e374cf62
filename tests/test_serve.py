"""Browser mode: served by textual-serve on the loopback address only, for the inspector alone.

One server process for the module; every test talks to it over 127.0.0.1 with aiohttp's client,
as a browser (or a hostile page in a browser) would.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is in the test extra; the browser mode needs it")

import aiohttp  # noqa: E402  (comes with textual-serve)

import inspect_tui  # noqa: E402

from .conftest import run_cli  # noqa: E402

# One xdist worker runs this module (--dist loadgroup): one server, started once, and no second
# worker picking the same free port between its bind and the server's.
pytestmark = pytest.mark.xdist_group("serve")


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


class Served:
    def __init__(self, port: int, url: str, process: subprocess.Popen) -> None:
        self.port, self.url, self.process = port, url, process
        self.base = f"http://127.0.0.1:{port}"
        self.token = url.split("token=", 1)[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(inspect_tui.__file__).parent.parent)}
    folder = tmp_path_factory.mktemp("served")
    process = subprocess.Popen(
        [sys.executable, "-m", "inspect_tui", "--sessions", str(folder), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the address line, printed before the server starts
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[\w-]+)", first)
        assert match, first
        deadline = time.monotonic() + 20
        while not listening_addresses(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        yield Served(port, match.group(1), process)
    finally:
        process.terminate()
        process.wait(10)


async def fetch(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=headers) as response:
            return response.status, await response.text()


async def websocket(served: Served, path: str, **headers: str) -> tuple[int, bytes]:
    """The handshake's status; for 101, the first data the app sends within a few seconds."""
    async with aiohttp.ClientSession() as session:
        try:
            ws = await session.ws_connect(f"{served.base}{path}", headers=headers)
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status, b""
        async with ws:
            message = await ws.receive(timeout=20)
            return 101, message.data if isinstance(message.data, bytes) else str(message.data).encode()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_serve_binds_localhost_only(served: Served):
    assert listening_addresses(served.port) == {"0100007F"}  # 127.0.0.1, and nothing else


def test_the_page_needs_the_token_and_loads_nothing_from_outside(served: Served):
    status, _ = asyncio.run(fetch(f"{served.base}/"))
    assert status == 403
    status, _ = asyncio.run(fetch(f"{served.base}/?token=wrong"))
    assert status == 403
    status, page = asyncio.run(fetch(served.url))
    assert status == 200 and "inspect-tui" in page
    addresses = set(re.findall(r"(?:https?|wss?)://[^\s\"')]+", page))
    foreign = {a for a in addresses if not a.startswith(f"http://127.0.0.1:{served.port}")
               and not a.startswith(f"ws://127.0.0.1:{served.port}") and "w3.org" not in a}
    assert not foreign, foreign  # (the SVG namespace URI is an identifier, not a request)
    assert "fonts.googleapis.com" not in page


def test_a_foreign_host_or_origin_gets_403(served: Served):
    status, _ = asyncio.run(fetch(served.url, Host="evil.com"))
    assert status == 403
    status, _ = asyncio.run(fetch(served.url, Origin="http://evil.com"))
    assert status == 403


def test_websocket_refused_with_a_foreign_origin_no_token_or_a_wrong_host(served: Served):
    own = f"http://127.0.0.1:{served.port}"
    token = f"/ws?token={served.token}&width=80&height=24"
    assert asyncio.run(websocket(served, token, Origin="http://evil.com"))[0] == 403
    assert asyncio.run(websocket(served, "/ws?width=80&height=24", Origin=own))[0] == 403
    assert asyncio.run(websocket(served, token, Origin=own, Host="evil.com:80"))[0] == 403


def test_websocket_with_the_token_reaches_the_app(served: Served):
    own = f"http://127.0.0.1:{served.port}"
    status, first = asyncio.run(websocket(served, f"/ws?token={served.token}&width=80&height=24", Origin=own))
    assert status == 101 and first  # the app's process started and spoke


def test_serve_rejects_a_bad_port():
    done = run_cli("serve", "--port", "99999")
    assert done.returncode == 2 and "1–65535" in done.stderr and "Traceback" not in done.stderr


def test_serve_port_in_use_is_one_line():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = run_cli("serve", "--port", str(port), timeout=30)
    assert done.returncode == 2 and str(port) in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
