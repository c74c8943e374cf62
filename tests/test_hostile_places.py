"""Bad places get one line, never 内部错误 (issue 12, part 3): a sessions folder that is a file or
under one, a device or a pipe given as a checklist or bundle, a folder that cannot be created."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import StorageError

from .conftest import run_cli


def one_line(done, code: int = 2) -> str:
    assert done.returncode == code, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr
    return lines[0] if len(lines) == 1 else "\n".join(lines)


@pytest.mark.parametrize("under", ["", "sub"])
def test_sessions_folder_that_is_a_file_or_under_one(tmp_path: Path, under: str):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    folder = blocker / under if under else blocker
    for args in (["list"], ["new", "--checklist", "shequ", "--branch", "甲"]):
        line = one_line(run_cli("--sessions", str(folder), *args))
        assert str(blocker) in line
    assert blocker.read_text() == "x"


def test_a_folder_that_cannot_be_created_is_a_disk_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    repo = SessionRepository(tmp_path / "ro" / "sessions")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(StorageError) as caught:
        repo.create(catalog.find("shequ"), "甲支部")
    assert "sessions folder" in str(caught.value) and "\n" not in str(caught.value)


def test_a_session_repository_on_a_file_refuses_at_once(tmp_path: Path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(SessionError):
        SessionRepository(blocker)


@pytest.mark.parametrize("command", [["validate"], ["import"], ["score", "shequ", "--answers"]])
def test_devices_and_pipes_are_refused_before_reading(tmp_path: Path, command: list[str]):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo)):
        if not Path(target).exists():
            continue
        start = time.perf_counter()
        done = run_cli("--sessions", str(tmp_path / "s"), *command, target, timeout=20)
        assert time.perf_counter() - start < 10
        assert target in one_line(done)
