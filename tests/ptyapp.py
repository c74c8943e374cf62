"""The real app in a pseudo-terminal, driven as an inspector at a keyboard drives it.

`PtyApp` starts `python -m inspect_tui ARGS` with a pty as its terminal (and controlling
terminal), reads everything it draws on a thread, and records it with the time it arrived.
Keys are bytes written to the pty. With `pyte` installed, a `screen` (a VT100 emulator fed the
same bytes) says what the terminal shows; without it, `wait_for` looks for a byte string in what
was drawn.

Used by tests/test_crash_signals.py and bench/crash_notes.py.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Callable

import inspect_tui

PACKAGE_ROOT = str(Path(inspect_tui.__file__).resolve().parent.parent)


class PtyApp:
    def __init__(self, args: list[str], cols: int = 120, rows: int = 36,
                 env: dict[str, str] | None = None, screen: object = None,
                 on_draw: Callable[[float], None] | None = None) -> None:
        child_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        child_env["PYTHONPATH"] = PACKAGE_ROOT + os.pathsep + child_env.get("PYTHONPATH", "")
        child_env.pop("TEXTUAL", None)  # no devtools
        argv = [sys.executable, "-m", "inspect_tui", *args]
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the app
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, child_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.chunks: list[tuple[float, int]] = []  # (arrival time, length of output so far)
        self.screen = screen
        self.stream = None
        if screen is not None:
            import pyte

            self.stream = pyte.ByteStream(screen)
        self.on_draw = on_draw
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.returncode: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the child closed its side
                data = b""
            now = time.monotonic()
            with self.changed:
                if not data:
                    self.changed.notify_all()
                    return
                self.output += data
                self.chunks.append((now, len(self.output)))
                if self.stream is not None:
                    self.stream.feed(data)
                    if self.on_draw is not None:
                        self.on_draw(now)
                self.changed.notify_all()

    def wait_for(self, needle: bytes | Callable[[], bool], timeout: float = 30.0, start: int = 0) -> bool:
        """Wait until `needle` has been drawn (after byte `start`), or a test on the screen holds."""
        test = needle if callable(needle) else (lambda: needle in self.output[start:])
        deadline = time.monotonic() + timeout
        with self.changed:
            while not test():
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    return test()
                self.changed.wait(min(left, 0.2))
        return True

    def send(self, keys: str | bytes) -> float:
        """Type `keys`; returns the moment they were written."""
        data = keys.encode("utf-8") if isinstance(keys, str) else keys
        os.write(self.fd, data)
        return time.monotonic()

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 30.0) -> int | None:
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.returncode

    def close(self) -> None:
        """Kill the app if it still runs, and close our end of its terminal."""
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait(10)
        self._reader.join(5)
        try:
            os.close(self.fd)
        except OSError:
            pass

    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")
