"""Opening a file or a folder with the desktop's own viewer: `xdg-open` on Linux, `open` on
macOS, `os.startfile` on Windows. No shell: the path is one argument, whatever it contains."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


class NoViewer(OSError):
    """The desktop has no opener here (a server, a container): `name` is the one looked for."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def viewer_name() -> str:
    return "os.startfile" if sys.platform == "win32" else "open" if sys.platform == "darwin" else "xdg-open"


def open_path(path: Path) -> None:
    """Ask the desktop to show `path` (NoViewer, OSError or a SubprocessError when it cannot)."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        return
    name = viewer_name()
    if shutil.which(name) is None:
        raise NoViewer(name)
    subprocess.run([name, str(path)], check=True, timeout=15,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def why(exc: BaseException) -> str:
    """What went wrong, short: `xdg-open: exit 3`, `xdg-open: No such file or directory`."""
    if isinstance(exc, subprocess.CalledProcessError):
        return f"{exc.cmd[0]}: exit {exc.returncode}"
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{exc.cmd[0]}: timeout"
    if isinstance(exc, NoViewer):
        return f"{exc.name}: not found"
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else (exc.strerror or type(exc).__name__)
    return type(exc).__name__
