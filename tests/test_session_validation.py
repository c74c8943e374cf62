"""Session files whose fields fail validation are quarantined like damaged ones (issue 12 part 3):
one line naming the file and what is wrong, never 内部错误, half a listing or a KeyError."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository

from .conftest import run_cli


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def stored(repo: SessionRepository) -> tuple[str, dict]:
    opened = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", inspectors=["张三"])
    opened.close()
    sid = opened.session.id
    return sid, json.loads(repo.path(sid).read_text(encoding="utf-8"))


def meta(data: dict) -> dict:
    return data["meta"]["1"]


# each: what is done to the stored data, and a word the one line must carry
DAMAGE = {
    "unknown status": (lambda d: meta(d).update(status="half-done"), "status"),
    "unknown status in the list entry": (lambda d: meta(d)["summary"].update(status="weird"), "status"),
    "branch a number": (lambda d: meta(d).update(branch=12345), "branch"),
    "inspectors not a list": (lambda d: meta(d).update(inspectors="张三"), "inspectors"),
    "list entry's inspectors a number": (lambda d: meta(d)["summary"].update(inspectors=0.5), "inspectors"),  # found by test_fuzz
    "position of the wrong shape": (lambda d: meta(d).update(position={"item": 3}), "position"),
    "answered a string": (lambda d: meta(d)["summary"].update(answered="7"), "answered"),
    "scored a number": (lambda d: meta(d)["summary"].update(scored=1), "scored"),
    "a key the list does not know": (lambda d: meta(d)["summary"].update(colour="red"), "colour"),
    "summary missing a field": (lambda d: meta(d)["summary"].pop("branch"), "branch"),
    "meta is a list": (lambda d: d["meta"].update({"1": ["not", "a", "record"]}), "meta"),
    "an answer without its item": (lambda d: d.update(answers={"1": {"state": "pass"}}), "answer"),
    "facts of the wrong shape": (lambda d: d.update(facts={"1": "full_members"}), "not an object"),
}


def with_id(new_id: str):
    def change(d: dict) -> None:
        meta(d)["id"] = new_id
        meta(d)["summary"]["id"] = new_id
    return change


DAMAGE["an id that is not its file name"] = (with_id("0123456789ab"), "file name")
DAMAGE["an id with path characters"] = (with_id("../../etc/x"), "id")


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_session_file_that_fails_validation_is_quarantined(repo, case):
    damage, word = DAMAGE[case]
    sid, data = stored(repo)
    damage(data)
    repo.path(sid).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SessionError) as raised:
        repo.open(sid, write=False)
    line = str(raised.value)
    assert "\n" not in line and str(repo.path(sid)) in line and word in line, line
    assert not repo.path(sid).exists() and list(repo.quarantine_dir.iterdir())  # moved aside, kept


@pytest.mark.parametrize("case", ["unknown status", "answered a string", "an id with path characters", "meta is a list"])
def test_the_cli_lists_around_it_and_names_it(repo, case):
    damage, word = DAMAGE[case]
    good, _ = stored(repo)
    sid, data = stored(repo)
    damage(data)
    repo.path(sid).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (repo.folder / "index.json").unlink(missing_ok=True)  # the list reads the files themselves
    done = run_cli("--sessions", str(repo.folder), "list")
    assert done.returncode == 0, done.stderr
    assert good in done.stdout and sid not in done.stdout
    assert "内部错误" not in done.stderr and "Traceback" not in done.stderr
    assert any(str(repo.path(sid)) in line and word in line for line in done.stderr.splitlines()), done.stderr
    shown = run_cli("--sessions", str(repo.folder), "show", sid)
    assert shown.returncode == 2 and len(shown.stderr.strip().splitlines()) == 1 and "内部错误" not in shown.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_sessions_folder_is_one_line_and_exit_1_when_writing(repo):
    sid, _ = stored(repo)
    repo.folder.chmod(0o500)
    try:
        for args in (("new", "--checklist", "shequ", "--branch", "某支部"), ("mark", sid, "team.grid", "pass")):
            done = run_cli("--sessions", str(repo.folder), *args)
            assert done.returncode == 1, (args, done.stdout, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1 and "内部错误" not in done.stderr
        assert run_cli("--sessions", str(repo.folder), "list").returncode == 0  # reading still works
    finally:
        repo.folder.chmod(0o700)
