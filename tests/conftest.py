"""Shared fixtures. Tests run against the source tree (src/) or the installed package alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles (`--hypothesis-profile=NAME`). The fuzz tier (tests/test_fuzz.py) takes its
# number of examples from the profile loaded: a few hundred in all by default (under a minute
# here), thousands with "long". Tests with their own @settings(max_examples=…) keep theirs.
settings.register_profile("default", max_examples=100)
settings.register_profile("long", max_examples=3000)

REPO = Path(__file__).resolve().parent.parent
CHECKLISTS = REPO / "checklists"


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data folder."""
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("INSPECT_TUI_SESSIONS", str(home / "sessions"))
    monkeypatch.setenv("INSPECT_TUI_CHECKLISTS", str(home / "checklists"))
    monkeypatch.setenv("INSPECT_TUI_CONFIG", str(home / "config.json"))
    monkeypatch.delenv("INSPECT_TUI_LANG", raising=False)
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60):
    """Run `python -m inspect_tui ARGS` in a child process, as a user would from a shell."""
    import subprocess
    import sys

    import inspect_tui

    child_env = {**os.environ, **(env or {})}
    package_root = str(Path(inspect_tui.__file__).resolve().parent.parent)
    child_env["PYTHONPATH"] = package_root + os.pathsep + child_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "inspect_tui", *args],
        capture_output=True, text=True, cwd=cwd, env=child_env, timeout=timeout,
    )
