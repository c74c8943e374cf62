"""The session CLI end to end, as a script would drive it: create, mark, fact, show, list, log."""

from __future__ import annotations

import re

import json
from pathlib import Path

import pytest

from .conftest import run_cli


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def cli(folder: Path, *args: str):
    return run_cli("--sessions", str(folder), *args)


def ok(folder: Path, *args: str) -> str:
    done = cli(folder, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_end_to_end(folder: Path, tmp_path: Path):
    sid = ok(folder, "new", "--checklist", "shequ", "--branch", "幸福社区第一网格党支部", "--unit", "幸福社区",
             "--inspector", "张三", "--inspector", "李四", "--date", "2024-06-01").strip()
    assert len(sid) == 12
    ok(folder, "fact", sid[:6], "full_members", "60")
    ok(folder, "fact", sid, "org_type", "党支部")
    ok(folder, "fact", sid, "nonconforming_groups", "3")
    assert "不符合" in ok(folder, "mark", sid, "org.basic.grid_split", "fail", "--note", "网格与楼栋不对应")
    ok(folder, "mark", sid, "team.grid", "fail", "--override", "1", "--reason", "未定期走访", "--inspector", "李四")
    answers = tmp_path / "self.yaml"
    answers.write_text("facts: {multi_grid: true}\nanswers:\n  org.groups.principle: pass\n", encoding="utf-8")
    assert "2" in ok(folder, "import-answers", sid, str(answers))

    shown = json.loads(ok(folder, "show", sid, "--json"))
    assert shown["session"]["branch"] == "幸福社区第一网格党支部"
    assert shown["session"]["inspectors"] == ["张三", "李四"]
    assert shown["session"]["facts"]["full_members"] == 60
    assert (shown["max"], shown["deducted"]) == (28, 4 + 2 + 4 + 1)
    items = {i["id"]: i for i in shown["items"]}
    assert items["org.basic.grid_split"]["state"] == "fail"
    assert items["team.grid"]["reasons"][0] == {"clause": "未定期走访", "amount": 1, "detail": "1", "manual": True}

    text = ok(folder, "show", sid)
    assert "幸福社区第一网格党支部" in text and "暂定 总分 17 / 28" in text and "分未检查" in text  # not all answered

    listing = ok(folder, "list")
    assert f"检查记录文件夹: {folder}" in listing and sid in listing and "进行中" in listing
    listed = json.loads(ok(folder, "list", "--json"))
    assert listed["folder"] == str(folder) and listed["sessions"][0]["id"] == sid

    log = ok(folder, "log", sid)
    assert "张三  fact:full_members: — → 60" in log
    assert "李四  answer:team.grid.override" in log
    assert len(json.loads(ok(folder, "log", sid, "--json"))) >= 8

    assert cli(folder, "finish", sid, "--inspectors", "张三").returncode == 2  # unanswered: not without --force
    ok(folder, "finish", sid, "--force", "--inspectors", "张三")
    refused = cli(folder, "mark", sid, "org.basic.grid_split", "pass")
    assert refused.returncode == 2 and "检查已完成" in refused.stderr
    ok(folder, "reopen", sid, "--reason", "补录网格划分")
    ok(folder, "mark", sid, "org.basic.grid_split", "clear")


@pytest.mark.parametrize(
    "args,expected",
    [
        (["mark", "{sid}", "no.such.item", "fail"], "no item 'no.such.item'"),
        (["mark", "{sid}", "org.basic.grid_split", "maybe"], "pass、fail、na 或 clear"),
        (["mark", "{sid}", "org.basic.grid_split", "fail", "--count", "-2"], "0 或正整数"),
        (["mark", "{sid}", "org.basic.grid_split", "fail", "--override", "2"], "理由"),
        (["fact", "{sid}", "nobody", "1"], "没有这个基本情况项"),
        (["fact", "{sid}", "full_members", "many"], "需要数字"),
        (["fact", "{sid}", "term_end", "明年"], "YYYY-MM-DD"),
        (["show", "ffffffffffff"], "没有这个检查记录"),
        (["new", "--checklist", "shequ", "--branch", "  "], "支部名称"),
        (["new", "--checklist", "nosuch", "--branch", "x"], "no checklist with this id"),
        (["new", "--checklist", "shequ", "--branch", "x", "--date", "2024-02-30"], "YYYY-MM-DD"),
        (["import-answers", "{sid}", "missing.yaml"], "no such file"),
    ],
)
def test_bad_input_one_line_exit_2(folder: Path, args, expected):
    sid = ok(folder, "new", "--checklist", "shequ", "--branch", "某支部").strip()
    done = cli(folder, *[a.format(sid=sid) for a in args])
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines


def test_truncated_session_is_quarantined_with_one_line(folder: Path):
    keep = ok(folder, "new", "--checklist", "wuge", "--branch", "甲支部").strip()
    broken = ok(folder, "new", "--checklist", "wuge", "--branch", "乙支部").strip()
    path = folder / f"{broken}.json"
    path.write_bytes(path.read_bytes()[:100])
    done = cli(folder, "list")
    assert done.returncode == 0
    problems = done.stderr.strip().splitlines()
    assert len(problems) == 1 and str(path) in problems[0] and "quarantine" in problems[0]
    assert keep in done.stdout and broken not in done.stdout
    assert json.loads(ok(folder, "show", keep, "--json"))["session"]["branch"] == "甲支部"


def test_environment_variable_and_default_folder(tmp_path: Path):
    where = tmp_path / "via-env"
    done = run_cli("list", env={"INSPECT_TUI_SESSIONS": str(where)})
    assert done.returncode == 0 and str(where) in done.stdout
    assert "还没有检查记录" in done.stdout


@pytest.mark.parametrize("args, expected", [
    (["show", "ffffffffffff"], "ffffffffffff: no such session"),
    (["new", "--checklist", "shequ", "--branch", "  "], "branch name"),
])
def test_lang_en_says_errors_in_english_only(folder: Path, args, expected):
    done = run_cli("--lang", "en", "--sessions", str(folder), *args)
    assert done.returncode == 2 and expected in done.stderr, done.stderr
    assert not re.search(r"[\u4e00-\u9fff]", done.stderr), done.stderr


def test_a_reinspection_enters_last_time_facts_only_when_confirmed(folder: Path):
    first = ok(folder, "new", "--checklist", "shequ", "--branch", "某支部", "--date", "2024-06-01").strip()
    ok(folder, "fact", first, "multi_grid", "否")
    ok(folder, "fact", first, "households", "900")
    again = ok(folder, "reinspect", first, "--date", "2025-06-01").strip()
    assert json.loads(ok(folder, "show", again, "--json"))["session"]["facts"] == {}
    assert "multi_grid = False" in ok(folder, "fact", again, "--confirm-previous", "multi_grid")
    confirmed = ok(folder, "fact", again, "--confirm-previous")
    assert "households = 900" in confirmed and "multi_grid" not in confirmed
    assert json.loads(ok(folder, "show", again, "--json"))["session"]["facts"] == {"multi_grid": False, "households": 900}
    assert "fact:households" in ok(folder, "log", again)
    refused = cli(folder, "fact", first, "--confirm-previous")
    assert refused.returncode == 2 and "不是复查" in refused.stderr
    assert cli(folder, "fact", again, "multi_grid").returncode == 2  # a fact without a value
