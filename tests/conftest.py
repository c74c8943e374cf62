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
    monkeypatch.setenv("INSPECT_TUI_CACHE", str(home / "cache"))  # the parsed checklists (checklist_cache)
    exports = home / "exports"
    exports.mkdir()
    monkeypatch.setenv("INSPECT_TUI_EXPORTS", str(exports))  # never the real ~/Documents/inspect-tui
    monkeypatch.delenv("INSPECT_TUI_LANG", raising=False)
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    import sys

    repository = sys.modules.get("inspect_tui.core.repository")
    if repository is not None:
        repository.tightened_this_run.clear()  # what one test tightened is not the next one's to say


def owner_only(folder: Path) -> Path:
    """Make a copied sessions folder 0700/0600, as the first open would (a `cp -r` copy is
    0755/0644): screens then show the samples, not the one-time "made owner-only" notice, which
    tests/test_locks_and_modes.py pins."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700 if path.is_dir() else 0o600)
    return folder


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


# The slow tier: whole flows through the real app (Pilot), pictures of screens, real processes in a
# pty, the browser mode, and documents converted by LibreOffice/Chromium. `pytest -m "not slow"` is
# the core tier, for feedback in seconds; the full suite runs both.
SLOW_MODULES = ("test_app_", "test_snapshots", "test_crash", "test_serve", "test_fuzz")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module is not None else ""
        if module.startswith(SLOW_MODULES) or "libreoffice" in item.name or "chromium" in item.name:
            item.add_marker(pytest.mark.slow)
