"""The headless CLI, run as a user runs it: a child process, its exit code and its output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui import __version__

from .conftest import CHECKLISTS, run_cli


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"inspect-tui {__version__}"


@pytest.mark.parametrize("lang,words", [("zh", ["用法", "列出可用的检查表", "选项"]), ("en", ["usage", "list the available checklists", "options"])])
def test_help_in_both_languages(lang, words):
    done = run_cli("--lang", lang, "--help")
    assert done.returncode == 0
    for word in words:
        assert word in done.stdout


def test_environment_chooses_english():
    done = run_cli("--help", env={"INSPECT_TUI_LANG": "en"})
    assert "list the available checklists" in done.stdout


def test_checklists_json_lists_every_bundled_standard():
    done = run_cli("checklists", "--json")
    assert done.returncode == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert {"jiguan", "shequ", "tunji", "gongxing", "pingjia", "liutiao", "wuge"} <= set(rows)
    shequ = rows["shequ"]
    assert shequ["max"] == 28 and shequ["complete"] is False and shequ["items"] == 12
    assert rows["jiguan"]["max"] is None
    assert Path(shequ["path"]).name == "shequ.yaml"


def test_checklists_table_and_a_user_folder(tmp_path: Path):
    mine = (CHECKLISTS / "wuge.yaml").read_text(encoding="utf-8").replace("id: wuge", "id: mine")
    (tmp_path / "mine.yaml").write_text(mine, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [", encoding="utf-8")
    done = run_cli("--checklists", str(tmp_path), "checklists")
    assert done.returncode == 0
    assert "mine" in done.stdout and "城市社区党支部标准化规范化建设达标评价标准" in done.stdout
    assert "broken.yaml" in done.stdout  # a broken user file is listed with its problem, not hidden


def test_describe_json_is_the_normalised_tree():
    done = run_cli("describe", "shequ", "--json")
    data = json.loads(done.stdout)
    assert [s["id"] for s in data["sections"]] == ["org", "team"]
    basic = data["sections"][0]["items"][0]
    assert basic["id"] == "org.basic" and basic["points"] == 8 and basic["items"]
    assert {"id", "text", "points", "items"} <= set(basic["items"][0])
    facts = {f["id"]: f for f in data["facts"]}
    assert facts["full_members"]["type"] == "integer"
    assert facts["org_type"]["choices"] == ["党委", "党总支", "党支部"]


def test_describe_text():
    done = run_cli("describe", "jiguan")
    assert done.returncode == 0 and "党员活动室布置" in done.stdout


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_score_json(tmp_path: Path):
    answers = write(tmp_path / "a.yaml", """
facts: {full_members: 60, org_type: 党支部, nonconforming_groups: 3}
answers:
  org.basic.grid_split: {state: fail, note: 网格划分与楼栋不对应}
inspection_date: 2024-06-01
""")
    done = run_cli("score", "shequ", "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["total"], data["max"], data["deducted"]) == (28 - 10, 28, 10)
    items = {i["id"]: i for i in data["items"]}
    assert items["org.basic"]["deducted"] == 6
    assert items["org.groups"]["deducted"] == 4
    assert items["org.basic.community"]["reasons"][0]["clause"] == "正式党员超过50人未成立党总支的,扣4分"
    assert items["org.basic.grid_split"]["state"] == "fail"


def test_score_accepts_json_answers_and_prints_text(tmp_path: Path):
    answers = write(tmp_path / "a.json", json.dumps({"facts": {"full_members": 60, "org_type": "党支部"}, "answers": {}}))
    done = run_cli("score", "shequ", "--answers", str(answers), "--date", "2024-06-01")
    assert done.returncode == 0, done.stderr
    assert "正式党员超过50人未成立党总支的,扣4分" in done.stdout
    assert "总分" in done.stdout


@pytest.mark.parametrize(
    "content,expected",
    [
        ("facts: {full_members: 六十}", "fact full_members: 需要数字"),
        ("facts: {nobody: 1}", "unknown fact 'nobody'"),
        ("answers: {no.such.item: fail}", "no item 'no.such.item'"),
        ("answers: {org.basic: fail}", "only leaf items"),
        ("answers: {org.basic.grid_split: maybe}", "state must be pass, fail or na"),
        ("answers: {org.basic.community: pass}", "computed from the facts"),
        ("answers: {org.basic.grid_split: {state: fail, override: {points: 2}}}", "needs a reason"),
        ("- just a list", "top level must be a mapping"),
        ("facts: [", "a.yaml:1:"),
    ],
)
def test_score_bad_answers_one_line_exit_2(tmp_path: Path, content, expected):
    answers = write(tmp_path / "a.yaml", content)
    done = run_cli("score", "shequ", "--answers", str(answers))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert expected in done.stderr, done.stderr
    assert done.stderr.startswith(str(answers))


@pytest.mark.parametrize(
    "args,expected",
    [
        (["score", "shequ"], "--answers"),
        (["score", "nosuch", "--answers", "x.yaml"], "no checklist with this id"),
        (["score", "shequ", "--answers", "missing.yaml"], "missing.yaml: no such file"),
        (["score", "shequ", "--answers", "a.yaml", "--date", "2024-13-01"], "YYYY-MM-DD"),
        (["frobnicate"], "frobnicate"),
        (["describe"], "checklist"),
        (["--lang", "fr", "checklists"], "fr"),
    ],
)
def test_wrong_arguments_get_one_line_and_exit_2(tmp_path: Path, args, expected):
    write(tmp_path / "a.yaml", "facts: {}")
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert expected in lines[0]
