"""`inspect-tui rectify` end to end, in child processes: list, set, close, reopen; bad input is one
line and exit 2; `--json` has a fixed shape; `--lang en` speaks English."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import REPO, owner_only, run_cli

FINISHED = "c567b521c9b4"  # the sample: 4 rectifications, inspected 2026-06-15, due 2026-07-15
ITEM = "org.basic.grid_branch"
ROW_KEYS = ["session", "branch", "unit", "date", "item", "text", "finding", "requirement", "manual", "person",
            "deadline", "status", "overdue_days", "report", "report_date", "closed_by", "closed_at", "close_note",
            "reopen_reason"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", target)
    return owner_only(target)


def cli(folder: Path, *args: str):
    return run_cli("--sessions", str(folder), *args)


def listed(folder: Path, *args: str) -> list[dict]:
    done = cli(folder, "rectify", "list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rectifications"]


def test_list_json_shape_overdue_and_unit(folder):
    rows = listed(folder, "--today", "2026-07-20")
    assert rows and all(list(row) == ROW_KEYS for row in rows)
    mine = [r for r in rows if r["session"] == FINISHED]
    assert len(mine) == 4 and {r["deadline"] for r in mine} == {"2026-07-15"} and {r["overdue_days"] for r in mine} == {5}
    overdue = listed(folder, "--today", "2026-07-20", "--overdue")
    assert {r["session"] for r in overdue} == {FINISHED}
    assert all(r["unit"] == "幸福社区党委" for r in listed(folder, "--unit", "幸福社区党委"))
    assert listed(folder, "--unit", "没有这个单位") == []
    text = cli(folder, "rectify", "list", "--today", "2026-07-20", "--overdue")
    assert text.returncode == 0 and len(text.stdout.strip().splitlines()) == 2 + 4  # header, rule, 4 lines


def test_set_report_close_reopen_through_the_cli(folder):
    done = cli(folder, "rectify", FINISHED, ITEM, "--person", "李书记", "--deadline", "2026-08-01")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"{ITEM}: 待整改") and "2026-08-01" in done.stdout and "李书记" in done.stdout
    assert cli(folder, "rectify", FINISHED, ITEM, "--report", "已单独组建", "--report-date", "2026-07-30").returncode == 0
    assert cli(folder, "rectify", FINISHED, ITEM, "--close", "--by", "王五", "--note", "现场核实").returncode == 0
    [row] = [r for r in listed(folder, "--today", "2026-09-01") if r["item"] == ITEM and r["session"] == FINISHED] or [None]
    assert row is None  # closed: no longer in the open list
    again = cli(folder, "rectify", FINISHED, "--json", "--today", "2026-09-01")
    [row] = [r for r in json.loads(again.stdout)["rectifications"] if r["item"] == ITEM]
    assert (row["status"], row["closed_by"], row["close_note"], row["report"]) == ("closed", "王五", "现场核实", "已单独组建")
    assert cli(folder, "rectify", FINISHED, ITEM, "--reopen", "--reason", "复查仍为联合组建").returncode == 0
    [row] = [r for r in listed(folder, "--today", "2026-09-01") if r["item"] == ITEM and r["session"] == FINISHED]
    assert (row["status"], row["reopen_reason"], row["overdue_days"]) == ("open", "复查仍为联合组建", 31)
    log = cli(folder, "log", FINISHED)
    assert f"rectification.{ITEM}.closed_by: — → 王五" in log.stdout


def test_finish_sets_the_notice_period_and_the_issuer(folder):
    assert cli(folder, "reopen", FINISHED, "--reason", "改整改期限").returncode == 0
    done = cli(folder, "finish", FINISHED, "--force", "--inspectors", "张三", "--notice-days", "10", "--issuer", "中共XX县委组织部")
    assert done.returncode == 0, done.stderr
    rows = [r for r in listed(folder) if r["session"] == FINISHED]
    assert {r["deadline"] for r in rows} == {"2026-06-25"}
    md = cli(folder, "export", FINISHED, "--what", "rectification", "-f", "md", "-o", str(folder.parent / "n.md"))
    assert md.returncode == 0, md.stderr
    text = (folder.parent / "n.md").read_text(encoding="utf-8")
    assert "2026年6月25日前书面报告中共XX县委组织部" in text and "下发单位: 中共XX县委组织部" in text


@pytest.mark.parametrize("args, words", [
    ([FINISHED, "no.such.item", "--person", "x"], "没有这个检查项"),
    ([FINISHED, "org.basic.grid_split", "--person", "x"], "没有整改事项"),  # passed: nothing to put right
    ([FINISHED, ITEM, "--deadline", "2026-01-01"], "早于检查日期"),
    ([FINISHED, ITEM, "--deadline", "next week"], "YYYY-MM-DD"),
    ([FINISHED, ITEM, "--close"], "--by"),
    ([FINISHED, ITEM, "--reopen", "--reason", "x"], "尚未销号"),
    ([FINISHED, ITEM, "--person", "李\x1b]0;x\x07书记"], "不允许的字符"),
    ([FINISHED, ITEM, "--report", "ok", "--report-date", "2026-02-30"], "YYYY-MM-DD"),
    (["list", "--person", "x"], "rectify list"),
    ([FINISHED, "--overdue"], "rectify list"),
    (["nosuchsession", ITEM, "--person", "x"], ""),
])
def test_bad_input_is_one_line_and_exit_2(folder, args, words):
    done = cli(folder, "rectify", *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if "仅本人可读写" not in line]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in done.stderr


def test_english_messages(folder):
    done = run_cli("--lang", "en", "--sessions", str(folder), "rectify", FINISHED, ITEM, "--close")
    assert done.returncode == 2 and "closing needs --by NAME" in done.stderr and "销号" not in done.stderr
    text = run_cli("--lang", "en", "--sessions", str(folder), "rectify", "list", "--today", "2026-07-20", "--overdue")
    assert text.returncode == 0 and "days overdue" in text.stdout and " open " in text.stdout
