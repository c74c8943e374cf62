"""Shared fixtures. Tests run against the source tree (src/) or the installed package alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles (`--hypothesis-profile=NAME`). The fuzz tier (tests/test_fuzz.py) takes its
# number of examples from the profile loaded: a few hundred in all by default (under a minute
# here), thousands with "long". Tests with their own @settings(max_examples=…) keep theirs.
#
# Under pytest-xdist each worker writes failing examples to its own directory (two processes never
# write one file) and reads every worker's, and the serial run's, so a failure found on one worker
# is replayed on whichever runs that test next.
def _example_database():
    from hypothesis.database import DirectoryBasedExampleDatabase, MultiplexedDatabase, ReadOnlyDatabase

    home = Path(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY", ".hypothesis"))  # Hypothesis's own rule
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return DirectoryBasedExampleDatabase(home / "examples")
    own = home / f"examples-{worker}"
    others = sorted(path for path in home.glob("examples*") if path.is_dir() and path != own)
    return MultiplexedDatabase(DirectoryBasedExampleDatabase(own),
                               *(ReadOnlyDatabase(DirectoryBasedExampleDatabase(path)) for path in others))


settings.register_profile("default", max_examples=100, database=_example_database())
settings.register_profile("long", max_examples=3000, database=_example_database())
settings.load_profile("default")

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

    repository = sys.modules.get("inspect_tui.core.session.repository")
    if repository is not None:
        repository.tightened_this_run.clear()  # what one test tightened is not the next one's to say


@pytest.fixture(params=["durable", "memory"])
def storage(request: pytest.FixtureRequest) -> type:
    """The TinyDB storage class under test, as TinyDB's own tests parametrise theirs: the durable
    one and its in-memory twin (tests/memory_storage.py) — a behaviour that passes on both does
    not depend on the disk."""
    if request.param == "durable":
        from inspect_tui.store import DurableJSONStorage

        return DurableJSONStorage
    from .memory_storage import MEMORY, MemoryStorage

    MEMORY.clear()
    return MemoryStorage


@pytest.fixture(params=["durable", "memory"])
def session_storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Session files on the durable storage with its journal, or in memory: for tests of what a
    session records, not of how it survives a crash. Folders and locks stay on disk either way."""
    if request.param == "memory":
        from inspect_tui.core.session import file as session_file

        from .memory_storage import MEMORY, MemoryMiddleware, MemoryStorage

        MEMORY.clear()
        monkeypatch.setattr(session_file, "DurableJSONStorage", MemoryStorage)
        monkeypatch.setattr(session_file, "JournalMiddleware", MemoryMiddleware)
    return request.param


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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts) on one test file runs it in this process: a worker per core
    would cost more to start than the file takes. Anything wider gets a worker per core."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own rule reads it
    paths = [arg.split("::", 1)[0] for arg in config.args]
    if len(paths) == 1 and Path(paths[0]).is_file():
        return 0
    return None


@pytest.fixture(scope="session")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """LibreOffice's user profile (`-env:UserInstallation`), one per xdist worker (each worker has
    its own temporary folder): two soffice processes never share one, and each worker builds it once."""
    return (tmp_path_factory.mktemp("lo-profile")).as_uri()


# The slow tier: whole flows through the real app (Pilot), pictures of screens, real processes in a
# pty, the browser mode, and documents converted by LibreOffice/Chromium — by module here, and by
# `@pytest.mark.slow` on the few such tests in other modules (the app under Pilot in
# test_hostile_text/test_locks_and_modes, twenty racing processes, forty interpreters importing the
# app). `pytest -m "not slow"` is the core tier, for feedback in a minute; the full suite runs both.
SLOW_MODULES = ("test_app_", "test_snapshots", "test_exported_snapshots", "test_crash", "test_serve", "test_fuzz")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module is not None else ""
        if module.startswith(SLOW_MODULES) or "libreoffice" in item.name or "chromium" in item.name:
            item.add_marker(pytest.mark.slow)
