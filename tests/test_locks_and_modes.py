"""Locks that wait for a save (issue 12 part 6) and sessions kept owner-only (part 7)."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.repository import SessionRepository

from .conftest import run_cli

MARKS = 20


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def new_session(repo: SessionRepository) -> str:
    opened = repo.create(catalog.find("jiguan"), "机关第一党支部", inspectors=["张三"])
    opened.close()
    return opened.session.id


def manual_items(repo: SessionRepository, sid: str, count: int) -> list[str]:
    opened = repo.open(sid, write=False)
    try:
        items = [i.id for i in opened.checklist.leaves() if not i.computed]
    finally:
        opened.close()
    assert len(items) >= count
    return items[:count]


def child_env() -> dict[str, str]:
    import inspect_tui

    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(inspect_tui.__file__).resolve().parent.parent) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow  # twenty real processes racing for one lock: a stress test, beside the crash tests
def test_twenty_concurrent_cli_marks_on_one_session_all_land(repo):
    sid = new_session(repo)
    items = manual_items(repo, sid, MARKS)
    procs = [subprocess.Popen([sys.executable, "-m", "inspect_tui", "--sessions", str(repo.folder), "mark", sid, item,
                               "fail", "--note", f"第{n}条"], env=child_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n, item in enumerate(items)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    refused = [err for code, err in results if code != 0]
    assert refused == [], refused
    opened = repo.open(sid, write=False)
    try:
        answers = opened.session.answers
        assert {item: answers[item].note for item in items} == {item: f"第{n}条" for n, item in enumerate(items)}
    finally:
        opened.close()
    assert not repo.lock_path(sid).exists()


@pytest.mark.parametrize("kind", ["garbage", "symlink"])
def test_an_unusable_lock_says_why_and_what_to_do(repo, tmp_path, kind):
    sid = new_session(repo)
    lock = repo.lock_path(sid)
    if kind == "garbage":
        lock.write_bytes(b"\x00not a lock")
    else:
        lock.symlink_to(tmp_path / "somewhere-else")
    done = run_cli("--sessions", str(repo.folder), "mark", sid, manual_items(repo, sid, 1)[0], "pass")
    assert done.returncode == 2, (done.stdout, done.stderr)
    [line] = done.stderr.strip().splitlines()
    assert str(lock) in line and "只读" in line
    assert ("内容无法识别" if kind == "garbage" else "符号链接") in line
    assert "删除" in line and "再试" in line  # what to do
    english = run_cli("--lang", "en", "--sessions", str(repo.folder), "mark", sid, manual_items(repo, sid, 1)[0], "pass")
    assert "read-only" in english.stderr and "try again" in english.stderr and "只读" not in english.stderr
    assert not (tmp_path / "somewhere-else").exists()
    lock.unlink()  # as the message says: then it works
    assert run_cli("--sessions", str(repo.folder), "mark", sid, manual_items(repo, sid, 1)[0], "pass").returncode == 0


def test_sigterm_releases_the_cli_lock(repo, tmp_path):
    """A CLI writer stopped by SIGTERM in the middle of its work leaves no lock behind."""
    sid = new_session(repo)
    started = tmp_path / "started"
    code = (
        "import sys, time, pathlib\n"
        "from inspect_tui.core.session import file as session_file\n"
        "def slow(self, change):\n"
        f"    pathlib.Path({str(started)!r}).write_text('x')\n"
        "    time.sleep(60)\n"
        "session_file.SessionFile.commit = slow\n"
        "from inspect_tui.cli.main import main\n"
        f"sys.exit(main(['--sessions', {str(repo.folder)!r}, 'mark', {sid!r}, "
        f"{manual_items(repo, sid, 1)[0]!r}, 'pass']))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], env=child_env(), stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        if started.exists() or child.poll() is not None:
            break
        time.sleep(0.05)
    assert started.exists() and repo.lock_path(sid).exists()
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert "Traceback" not in child.stderr.read()
    assert not repo.lock_path(sid).exists()


def test_temp_litter_is_cleaned_on_the_next_open(repo):
    sid = new_session(repo)
    dead = 2 ** 22 + 12345  # beyond pid_max on most systems: no such process
    litter = [repo.folder / f".{sid}.lock.tmp-{dead}-0123abcd", repo.folder / f".{sid}.json.tmp-{dead}-89abcdef"]
    for path in litter:
        path.write_bytes(b"half")
    repo.open(sid).close()
    assert not any(p.exists() for p in litter)


def modes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder.parent)): oct(stat.S_IMODE(p.stat().st_mode))
            for p in [folder, *folder.rglob("*")] if not p.is_symlink()}


def test_a_copied_sessions_folder_is_made_owner_only_with_one_notice(repo, tmp_path):
    sid = new_session(repo)
    (repo.folder / f"{sid}.selfcheck.json").write_text("{}", encoding="utf-8")
    copy = tmp_path / "copy"
    shutil.copytree(repo.folder, copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as `cp -r` leaves them under umask 022
    done = run_cli("--sessions", str(copy), "list")
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if "0700/0600" in line]
    assert len(notices) == 1 and str(copy) in notices[0] and "仅本人可读写" in notices[0]
    assert set(modes(copy).values()) <= {"0o700", "0o600"}, modes(copy)
    assert oct(stat.S_IMODE(copy.stat().st_mode)) == "0o700"
    again = run_cli("--sessions", str(copy), "list")
    assert "0700/0600" not in again.stderr  # said once: nothing left to tighten

    # opening one session (not listing) tightens that session's files too
    (copy / f"{sid}.json").chmod(0o644)
    copy.chmod(0o755)
    done = run_cli("--lang", "en", "--sessions", str(copy), "show", sid)
    assert done.returncode == 0 and "owner-only" in done.stderr
    assert oct(stat.S_IMODE((copy / f"{sid}.json").stat().st_mode)) == "0o600"


@pytest.mark.slow  # the real app under Pilot: the slow tier, as tests/test_app_* are
async def test_the_app_tells_once_that_it_tightened_the_folder(repo, tmp_path):
    from inspect_tui.app.app import InspectApp
    from inspect_tui.core.session import repository

    new_session(repo)
    repo.folder.chmod(0o755)
    for path in repo.folder.iterdir():
        path.chmod(0o644)
    elsewhere = tmp_path / "elsewhere"
    repository.tightened_this_run[:] = [elsewhere]  # tightened by someone else in this process: not said
    app = InspectApp(repo=SessionRepository(repo.folder), inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications if "0700/0600" in n.message]
        assert len(notes) == 1 and str(repo.folder) in notes[0] and str(elsewhere) not in notes[0]
    assert elsewhere in repository.tightened_this_run
    assert not [p for p in repository.tightened_this_run if repo.folder in (p, *p.parents)]  # said once

    assert set(modes(repo.folder).values()) <= {"0o700", "0o600"}


def test_a_folder_that_is_not_a_sessions_folder_is_left_as_it_is(tmp_path):
    """`--sessions` pointed at the wrong folder changes no one's modes."""
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.txt").write_text("x", encoding="utf-8")
    (other / "sub").mkdir()
    other.chmod(0o755)
    (other / "letter.txt").chmod(0o644)
    done = run_cli("--sessions", str(other), "list")
    assert done.returncode == 0 and "0700/0600" not in done.stderr
    assert modes(other) == {"documents": "0o755", "documents/letter.txt": "0o644", "documents/sub": "0o755"}
    SessionRepository(other).list()
    assert oct(stat.S_IMODE(other.stat().st_mode)) == "0o755"
