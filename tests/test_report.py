"""Comparisons (diff), roll-ups (report) and self-assessments (selfcheck): core, renderers and CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.answers import Override
from inspect_tui.core.analysis.compare import (
    ADDED, FIXED, NEWLY_FAILING, NOT_CHECKED, OTHER_VERSION, REMOVED, STILL_FAILING, UNCHANGED_PASS, compare,
)
from inspect_tui.core.export import report_html, report_json, report_md, report_xlsx
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.analysis.rollup import rollup
from inspect_tui.core.session.reader import from_repository

from .conftest import REPO, run_cli

DAY = dt.date(2025, 6, 1)
LATER = dt.date(2026, 3, 1)
SHEQU_FACTS = {
    "org_type": "党总支", "full_members": 86, "households": 2400, "grids": 8, "grids_with_3": 6,
    "grid_branches": 6, "grid_branches_single": 5, "grid_branches_joint": 1, "multi_grid": True,
    "groups_by_building": True, "party_groups": 7, "nonconforming_groups": 0, "secretary_filed": True,
    "has_secretary": True, "branch_full_members": 12, "has_committee": True, "has_organizer": True,
    "has_propagandist": True, "has_discipline": True, "term_end": "2028-07-01", "elected_this_year": False,
    "regular_visits": True,
}


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def cli(repo: SessionRepository, *args: str):
    return run_cli("--sessions", str(repo.folder), *args)


def ok(repo: SessionRepository, *args: str) -> str:
    done = cli(repo, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def refused(repo: SessionRepository, *args: str, needle: str = "") -> str:
    """Bad input: exit 2 and one line on stderr, never a traceback."""
    done = cli(repo, *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert needle in lines[0]
    return lines[0]


MANUAL = ("org.basic.grid_split", "org.basic.grid_branch", "org.groups.principle", "team.grid")


def shequ_session(repo, branch="幸福社区第一网格党支部", unit="幸福社区党委", date=DAY, marks=None, facts=None, previous="",
                  complete=False):
    """A 城市社区 inspection made through the repository; `marks` item → state (or an Override);
    `complete`: the manual items not marked pass, so that every item is decided."""
    checklist = catalog.find("shequ")
    if complete:
        marks = {**dict.fromkeys(MANUAL, "pass"), **(marks or {})}
    opened = repo.create(checklist, branch, unit, ["张三"], date, previous=previous)
    for fact_id, value in {**SHEQU_FACTS, **(facts or {})}.items():
        opened.set_fact(fact_id, value, "张三")
    for item_id, mark in (marks or {}).items():
        if isinstance(mark, Override):
            opened.set_answer(item_id, "张三", override=mark)
        elif mark is not None:
            opened.set_answer(item_id, "张三", state=State.parse(mark), note=f"{item_id} 的记录")
    opened.close()
    return opened.session.id


def reinspection(repo, old_id, checklist, date=LATER, marks=None, facts=None):
    opened = repo.reinspect(old_id, checklist, ["李四"], date)
    for fact_id, value in (facts or {}).items():
        opened.set_fact(fact_id, value, "李四")
    opened.confirm_previous("李四")  # the inspector finds the rest as last time
    for item_id, mark in (marks or {}).items():
        opened.set_answer(item_id, "李四", state=State.parse(mark))
    opened.close()
    return opened.session.id


def load(repo, session_id):
    with repo.open(session_id, write=False) as opened:
        return opened.session


# -- report over the sample sessions ------------------------------------------------------------------

def test_report_over_the_sample_sessions_ranks_them_and_names_the_most_failed_items(tmp_path):
    repo = SessionRepository(tmp_path / "samples")
    shutil.copytree(REPO / "sessions", repo.folder)
    text = ok(repo, "report")
    assert "## 城市社区党支部标准化规范化建设达标评价标准" in text and "## 机关党支部规范化建设标准" in text
    # three 城市社区 branches ranked by their latest inspection; the first was inspected twice
    ranking = [line for line in text.splitlines() if line[:6] in ("| 1 | ", "| 2 | ", "| 3 | ") and "网格" in line]
    assert ranking == [
        "| 1 | 幸福社区第一网格党支部 | 幸福社区党委 | 26/28 | 92.9% | 2026-11-20 | 已完成 | 12/12 |",
        "| 2 | 和平社区第一网格党支部 | 和平社区党委 | 24/28 | 85.7% | 2026-11-22 | 已完成 | 12/12 |",
        "| 3 | 幸福社区第二网格党支部 | 幸福社区党委 | 16/28 | 57.1% | 2026-11-21 | 已完成 | 12/12 |",
    ]
    # the half-done 机关 inspection is not ranked: it is listed apart, its score 暂定, never a percentage
    assert "(没有已完成的检查可以排名)" in text and "### 未完成的检查" in text
    assert "| 县财政局机关第二党支部 | 县财政局机关党委 | 暂定 符合 10/81 项,另有 68 项未检查 | 2026-11-20 | 进行中 | 13/81 |" in text
    # the item failed most often: two of the three branches, both named
    assert ("| ①党组织类型·网格层面:网格党支部设置 | `org.basic.grid_branch` | 组织设置规范 | 2 | 67% | 2 | "
            "和平社区第一网格党支部(和平社区党委)、幸福社区第一网格党支部(幸福社区党委) |") in text
    assert "| 幸福社区第一网格党支部(幸福社区党委) | 2 | 2026-06-15 20 → 2026-11-20 26 | +6 |" in text
    data = json.loads(ok(repo, "report", "--format", "json"))
    groups = {g["checklist_id"]: g for g in data["groups"]}
    shequ = groups["shequ"]
    assert [(r["rank"], r["total"]) for r in shequ["ranking"]] == [(1, 26), (2, 24), (3, 16)]
    assert shequ["rank_by"] == "total" and shequ["inspections"] == 4
    top = shequ["failed_items"][0]
    assert (top["id"], top["count"]) == ("org.basic.grid_branch", 2)
    assert {f["id"] for f in shequ["failed_items"]} == {
        "org.basic.grid_branch", "org.groups.size", "team.leaders.grid", "team.term.on_time", "team.grid"}
    assert {s["id"]: s["avg_lost"] for s in shequ["sections"]} == {"org": 2, "team": 4}
    assert groups["jiguan"]["ranking"] == [] and groups["jiguan"]["unfinished"][0]["percent"] == 12.35
    assert groups["jiguan"]["unfinished"][0]["line"]["final"] is False
    assert {"mech.plan.assess", "room.boards.open"} <= {f["id"] for f in groups["jiguan"]["failed_items"]}


def test_ranking_ties_trends_and_the_items_failed_most_often(repo):
    a = shequ_session(repo, "甲支部", marks={"org.basic.grid_split": "fail", "org.basic.grid_branch": "fail"}, complete=True)
    shequ_session(repo, "乙支部", marks={"org.basic.grid_split": "fail"}, complete=True)
    shequ_session(repo, "丙支部", marks={"org.basic.grid_split": "fail"}, complete=True)
    shequ_session(repo, "丁支部", marks={}, complete=True)
    # 甲 is re-inspected under a corrected name: the previous link keeps it one branch
    shequ_session(repo, "甲党支部", date=LATER, previous=a,
                  marks={"org.basic.grid_split": "pass", "org.basic.grid_branch": "fail"}, complete=True)
    戊 = shequ_session(repo, "戊支部", marks={})  # nothing checked: 28/28 so far, and not ranked first
    result = from_repository(repo)
    (group,) = result.groups
    ranks = [(r.rank, r.header.branch, float(r.scores.total)) for r in group.ranking]
    assert ranks == [(1, "丁支部", 28), (2, "丙支部", 26), (2, "乙支部", 26), (2, "甲党支部", 26)]  # ties by name
    assert [r.inspections for r in group.ranking] == [1, 1, 1, 2]
    assert [(r.header.branch, r.header.id, r.rank) for r in group.unfinished] == [("戊支部", 戊, 0)]
    assert group.branches == 5 and group.provisional == 1
    top = group.failed_items[0]
    assert (top.id, top.count, top.branches) == ("org.basic.grid_split", 2, ("丙支部(幸福社区党委)", "乙支部(幸福社区党委)"))
    assert group.failed_items[1].id == "org.basic.grid_branch" and group.failed_items[1].count == 1
    org = next(s for s in group.sections if s.id == "org")
    assert org.avg_lost == Decimal("1.2") and org.avg_failed == Decimal("0.6")  # each branch once: 0, 2, 2, 2, 0
    (trend,) = [t for t in group.trends if len(t.points) == 2]
    assert trend.branch == "甲党支部" and trend.change == 2 and [p.header.date for p in trend.points] == ["2025-06-01", "2026-03-01"]


def test_grades_are_shown_where_the_standard_has_them_and_unfinished_scores_are_flagged(repo):
    example = catalog.find("example")
    for name, marks in (("甲支部", {}), ("乙支部", {"org.room.sign": "fail", "org.room.boards": "fail"})):
        opened = repo.create(example, name, "", ["张三"], DAY)
        for item_id, state in marks.items():
            opened.set_answer(item_id, "张三", state=State.parse(state), count=10 if item_id == "org.room.boards" else None)
        opened.close()
    result = from_repository(repo)
    (group,) = result.groups
    assert group.ranking == ()  # neither is finished: no ranking on scores that are not scores yet
    assert group.graded and [(r.header.branch, r.scores.grade) for r in group.unfinished] == [("乙支部", "良好"), ("甲支部", "优秀")]
    assert group.provisional == 2
    md = report_md.rollup_markdown(result)
    assert "| 等次 |" in md and "| 良好(暂定) |" in md and "2 个支部最近一次检查尚有未检查或待定项" in md
    assert "| 甲支部 |  | 暂定 95/95,另有 95 分未检查 | 优秀(暂定) |" in md
    assert "等次" not in report_md.rollup_markdown(rollup([], checklist="x")) and "暂定" in report_html.rollup_html(result).decode()


# -- comparison --------------------------------------------------------------------------------------

def test_diff_categories_on_a_hand_built_pair_of_shequ_sessions(repo):
    old = shequ_session(repo, facts={"multi_grid": False}, marks={
        "org.basic.grid_split": "fail", "org.basic.grid_branch": "fail", "org.groups.principle": "pass",
        "team.grid": "pass",
    })
    new = reinspection(repo, old, catalog.find("shequ"), facts={"multi_grid": True}, marks={
        "org.basic.grid_split": "pass", "org.basic.grid_branch": "fail", "org.groups.principle": "fail",
    })
    c = compare(load(repo, old), load(repo, new))
    category = {item.id: item.category for item in c.items}
    assert category["org.basic.grid_split"] == FIXED
    assert category["org.basic.multi_grid"] == FIXED  # computed from a fact that changed
    assert category["org.basic.grid_branch"] == STILL_FAILING
    assert category["org.groups.principle"] == NEWLY_FAILING
    assert category["team.grid"] == NOT_CHECKED  # answered last time, not this time
    assert category["org.groups.size"] == UNCHANGED_PASS
    assert c.linked and c.same_version and not c.notes
    org = next(s for s in c.sections if s.id == "org")
    assert (org.old.deducted, org.new.deducted, org.delta) == (6, 4, 2)
    assert c.delta == 2 and c.old.scores.total == 22 and c.new.scores.total == 24

    text = ok(repo, "diff", old[:6], new)
    assert "已整改 (2)" in text and "仍不符合 (1)" in text and "新发现不符合 (1)" in text and "未检查 (1)" in text
    assert "得分变化: +2 分" in text
    assert next(line for line in text.splitlines() if line.startswith("组织设置规范")).split()[-1] == "+2"
    assert "得分变化明细" in text
    data = json.loads(ok(repo, "diff", old, new, "--json"))
    assert data["counts"][FIXED] == 2 and data["delta"] == 2
    assert sum(line["points"] for line in data["changes"]) == 2
    # team.grid answered last time, not this time: listed with what its silence is worth now
    assert {line["id"]: line["new_state"] for line in data["changes"]}["team.grid"] is None
    assert {s["id"]: s["delta"] for s in data["sections"]} == {"org": 2, "team": 0}
    english = ok(repo, "--lang", "en", "diff", old, new)
    assert "fixed (2)" in english and "score change: +2 points" in english


MINI_V1 = """\
format: 1
id: mini
title: 小检查表
version: "1.0"
scored: true
complete: true
sections:
  - id: s1
    title: 组织建设
    points: 10
    items:
      - id: s1.a
        text: 有年度工作计划
        points: 2
        rules: [{clause: "没有的,扣2分", points: 2}]
      - id: s1.b
        text: 党小组划分合理
        points: 3
        rules: [{clause: "不合理的,扣3分", points: 3}]
      - id: s1.c
        text: 建立党员联系群众制度
        points: 2
        rules: [{clause: "未建立的,扣2分", points: 2}]
      - id: s1.d
        text: 按时收缴党费
        points: 3
        rules: [{clause: "未按时收缴的,扣3分", points: 3}]
  - id: s2
    title: 阵地建设
    points: 5
    items:
      - id: s2.room
        text: 有党员活动室
        points: 5
        rules: [{clause: "没有的,扣5分", points: 5}]
"""
# 1.1: s1.b renamed to s1.groups (same text), s1.c removed, s1.d reworded.
def _without(text: str, item_id: str) -> str:
    """`text` without the four lines of item `item_id`."""
    lines = text.splitlines(keepends=True)
    at = lines.index(f"      - id: {item_id}\n")
    return "".join(lines[:at] + lines[at + 4:])


MINI_V2 = (_without(MINI_V1, "s1.c").replace('version: "1.0"', 'version: "1.1"').replace("id: s1.b", "id: s1.groups")
           .replace("points: 10", "points: 8").replace("按时收缴党费", "按月足额收缴党费"))


def test_reinspection_across_a_version_that_renamed_one_item_and_removed_another(repo, tmp_path):
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "mini.yaml").write_text(MINI_V1, encoding="utf-8")
    (tmp_path / "v2" / "mini.yaml").write_text(MINI_V2, encoding="utf-8")
    v1, v2 = load_checklist(tmp_path / "v1" / "mini.yaml"), load_checklist(tmp_path / "v2" / "mini.yaml")
    assert v2.version == "1.1" and not v2.has_item("s1.b") and not v2.has_item("s1.c")
    opened = repo.create(v1, "幸福社区第一网格党支部", "幸福社区党委", ["张三"], DAY)
    for item_id, state in {"s1.a": "fail", "s1.b": "fail", "s1.c": "fail", "s1.d": "pass", "s2.room": "pass"}.items():
        opened.set_answer(item_id, "张三", state=State.parse(state))
    opened.close()
    old = opened.session.id
    new = reinspection(repo, old, v2, marks={"s1.a": "pass", "s1.groups": "fail", "s1.d": "fail", "s2.room": "pass"})
    c = compare(load(repo, old), load(repo, new))
    by_id = {item.id: item for item in c.items}
    # No rename map: the renamed item is removed + added, its twin pointed out by identical text
    assert (by_id["s1.b"].category, by_id["s1.b"].old_state, by_id["s1.b"].same_text_as) == (REMOVED, "fail", "s1.groups")
    assert (by_id["s1.groups"].category, by_id["s1.groups"].new_state, by_id["s1.groups"].same_text_as) == (ADDED, "fail", "s1.b")
    assert (by_id["s1.c"].category, by_id["s1.c"].same_text_as) == (REMOVED, "")
    assert by_id["s1.d"].category == NEWLY_FAILING and by_id["s1.d"].changed == ("text",)
    assert by_id["s1.d"].old_text == "按时收缴党费"
    assert by_id["s1.a"].category == FIXED and not by_id["s1.a"].changed
    s1 = next(s for s in c.sections if s.id == "s1")
    assert (s1.old.max, s1.old.score, s1.new.max, s1.new.score, s1.delta) == (10, 3, 8, 2, -1)
    assert any(note.key == OTHER_VERSION and (note.params["old"], note.params["new"]) == ("1.0", "1.1") for note in c.notes)

    text = ok(repo, "diff", old, new)
    assert "新版已删除 (2)" in text and "新版新增 (1)" in text and "与 s1.groups 内容相同" in text
    assert "检查表版本不同 (1.0 → 1.1)" in text and "新版内容有变化: 内容" in text
    md = report_md.comparison_markdown(c)
    assert "## 新版内容有变化的检查项(1 项)" in md and "按时收缴党费" in md
    # the roll-up matches versions by id and counts the branch once, at its latest inspection
    (group,) = from_repository(repo).groups
    assert group.versions == ("1.0", "1.1") and group.branches == 1 and group.inspections == 2
    assert {f.id for f in group.failed_items} == {"s1.groups", "s1.d"}
    assert next(f for f in group.failed_items if f.id == "s1.d").text == "按月足额收缴党费"


# -- self-assessment ---------------------------------------------------------------------------------

def test_selfcheck_attaches_beside_the_session_and_lists_the_differing_items(repo, tmp_path):
    sid = shequ_session(repo, facts={"multi_grid": False}, marks={
        "org.basic.grid_split": "fail", "org.basic.grid_branch": "pass", "org.groups.principle": "pass",
        "team.grid": Override(Decimal(1), "未定期走访"),
    })
    session_bytes = repo.path(sid).read_bytes()
    own = tmp_path / "自查.yaml"
    own.write_text(
        "facts: {multi_grid: true, full_members: 86, org_type: 党总支, nonconforming_groups: 0}\n"
        "answers:\n"
        "  org.basic.grid_split: {state: pass, note: 我们认为划分合理}\n"
        "  org.basic.grid_branch: fail\n"
        "  org.groups.principle: pass\n"
        "  team.grid: {state: fail, override: {points: 2, reason: 走访记录不全}}\n", encoding="utf-8")
    out = ok(repo, "selfcheck", sid, str(own))
    stored = repo.folder / f"{sid}.selfcheck.json"
    assert str(stored) in out and "不一致" in out
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert repo.path(sid).read_bytes() == session_bytes  # the session file is not touched
    assert [s.id for s in repo.list()] == [sid]  # nor is the list confused by the file beside it

    data = json.loads(ok(repo, "selfcheck", sid, "--show", "--json"))
    kinds = {d["id"]: d["kind"] for d in data["differences"]}
    assert kinds["org.basic.grid_split"] == "claimed_pass"
    assert kinds["org.basic.grid_branch"] == "claimed_fail"
    assert kinds["team.grid"] == "points_differ"
    assert kinds["org.basic.multi_grid"] == "claimed_pass"  # the branch reported multi_grid: true
    assert kinds["team.leaders.file"] == "self_blank"  # a fact the branch did not report
    assert "org.groups.principle" not in kinds
    assert data["differences"][0]["kind"] == "claimed_pass"  # the most telling first
    assert data["inspection"]["total"] == 28 - 2 - 2 - 1
    assert data["source_name"] == "自查.yaml"
    text = ok(repo, "selfcheck", sid, "--show")
    assert "自查符合,检查不符合" in text and "扣分不同" in text and "自查.yaml" in text

    # a second attachment replaces the first, and says so
    own.write_text("answers: {org.basic.grid_split: fail}\n", encoding="utf-8")
    assert "替换了" in ok(repo, "selfcheck", sid, str(own))
    # a bad file stores nothing; a damaged stored file is one line
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers: {no.such.item: pass}\n", encoding="utf-8")
    assert cli(repo, "selfcheck", sid, str(bad)).returncode == 2
    assert "grid_split" in stored.read_text(encoding="utf-8")
    stored.write_text('{"selfcheck": {"1": {"schema": 1, "session": "x"}}}', encoding="utf-8")
    refused(repo, "selfcheck", sid, "--show", needle="自查结果文件已损坏")
    stored.unlink()
    refused(repo, "selfcheck", sid, "--show", needle="没有附加自查结果")
    refused(repo, "selfcheck", sid, needle="--show")


# -- renderers ---------------------------------------------------------------------------------------

def test_html_escapes_script_and_ampersand_in_branch_names(repo):
    evil = "<script>alert('x')</script>支部"
    old = shequ_session(repo, evil, "A&B 社区", marks={"org.basic.grid_split": "fail"})
    new = reinspection(repo, old, catalog.find("shequ"), marks={"org.basic.grid_split": "pass"})
    shequ_session(repo, '"引号"&<b>支部</b>', "A&B 社区")
    page = report_html.rollup_html(from_repository(repo)).decode("utf-8")
    diff_page = report_html.comparison_html(compare(load(repo, old), load(repo, new))).decode("utf-8")
    for html in (page, diff_page):
        assert "<script" not in html.lower() and "<b>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;支部" in html
        assert "A&amp;B 社区" in html and "A&B" not in html
        assert "default-src 'none'" in html
    assert "&quot;引号&quot;&amp;&lt;b&gt;支部&lt;/b&gt;" in page
    md = report_md.rollup_markdown(from_repository(repo))
    assert "\\<script\\>" in md and "<script>" not in md


def test_xlsx_report_opens_again_with_numbers_as_numbers(repo, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    shequ_session(repo, "=HYPERLINK(\"http://x\")", marks={"org.basic.grid_split": "fail"}, complete=True)
    shequ_session(repo, "乙支部", marks={"org.basic.grid_split": "fail", "org.basic.grid_branch": "fail"}, complete=True)
    shequ_session(repo, "丙支部", marks={"org.basic.grid_split": "fail"})
    target = tmp_path / "汇总.xlsx"
    assert "已写入" in ok(repo, "report", "--format", "xlsx", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["排名", "不符合项", "各大项"]
    ranking = book["排名"]
    assert ranking.freeze_panes == "A2" and book["不符合项"].freeze_panes == "A2" and book["各大项"].freeze_panes == "A2"
    header = [c.value for c in ranking[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ranking.iter_rows(min_row=2)]
    assert [(r["名次"], r["支部"], r["得分"], r["满分"]) for r in rows] == [
        (1, '=HYPERLINK("http://x")', 26, 28), (2, "乙支部", 24, 28), ("未完成", "丙支部", 26, 28)]
    assert rows[2]["得分说明"] == "暂定 26/28,另有 8 分未检查" and rows[0]["得分说明"] == "26/28"
    assert isinstance(rows[0]["得分率(%)"], float) and rows[0]["得分率(%)"] == 92.86
    cell = ranking.cell(row=2, column=header.index("支部") + 1)
    assert cell.data_type == "s"  # text, never a formula
    failed = book["不符合项"]
    first = [c.value for c in failed[2]]
    assert first[:5] == ["shequ", "org.basic.grid_split", "①党组织类型·网格层面:社区网格划分", "组织设置规范", 3]
    sections = {row[1].value: row for row in book["各大项"].iter_rows(min_row=2)}
    assert sections["org"][4].value == 2.67 and isinstance(sections["org"][4].value, float)  # (2 + 4 + 2) / 3 branches
    # and the comparison workbook
    first, second = [load(repo, s.id) for s in reversed(repo.list())][:2]
    c = compare(first, second)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.comparison_xlsx(c)))
    assert book.sheetnames == ["对比", "各大项", "得分变化明细", "说明"] and book["对比"].freeze_panes == "A2"
    changes = [row[6].value for row in book["得分变化明细"].iter_rows(min_row=2)]
    assert changes and sum(changes) == c.delta  # the lines add up, as numbers


def test_json_renderers_are_plain_and_stable(repo):
    shequ_session(repo, marks={"org.basic.grid_split": "fail"})
    result = from_repository(repo)
    assert report_json.render_rollup(result) == report_json.render_rollup(from_repository(repo))
    data = json.loads(report_json.render_rollup(result))
    assert data["document"] == "rollup" and data["groups"][0]["ranking"] == []
    unfinished = data["groups"][0]["unfinished"][0]
    assert unfinished["total"] == 26 and unfinished["line"] == {
        "scored": True, "final": False, "total": 26, "max": 28, "open": 8, "grade": ""}


# -- filters -----------------------------------------------------------------------------------------

def test_filters_checklist_since_and_unit(repo):
    shequ_session(repo, "甲支部", "东区党委", dt.date(2024, 5, 1))
    shequ_session(repo, "乙支部", "东区党委", dt.date(2025, 5, 1))
    shequ_session(repo, "丙支部", "西区党委", dt.date(2025, 8, 1))
    jiguan = repo.create(catalog.find("jiguan"), "机关第一党支部", "东区党委", ["王五"], dt.date(2025, 9, 1))
    jiguan.close()

    def branches(*args):
        data = json.loads(ok(repo, "report", "--format", "json", *args))
        return sorted(r["branch"] for g in data["groups"] for r in g["ranking"] + g["unfinished"]), data["filters"]

    assert branches()[0] == ["丙支部", "乙支部", "机关第一党支部", "甲支部"]
    assert branches("--checklist", "shequ") == (["丙支部", "乙支部", "甲支部"], {"checklist": "shequ"})
    assert branches("--since", "2025-01-01")[0] == ["丙支部", "乙支部", "机关第一党支部"]
    assert branches("--unit", "东区党委")[0] == ["乙支部", "机关第一党支部", "甲支部"]
    assert branches("--checklist", "shequ", "--since", "2025-06-01", "--unit", "西区党委")[0] == ["丙支部"]
    assert "范围: 检查表 shequ · 2025-01-01 起" in ok(repo, "report", "--checklist", "shequ", "--since", "2025-01-01")
    # the core alone, on sessions rather than summaries
    sessions = [load(repo, s.id) for s in repo.list()]
    assert rollup(sessions, checklist="jiguan").groups[0].unfinished[0].header.branch == "机关第一党支部"
    assert rollup(sessions, since=dt.date(2030, 1, 1)).groups == ()


# -- CLI: exit codes and one-line errors ---------------------------------------------------------------

def test_cli_bad_input_is_one_line_and_exit_2(repo):
    sid = shequ_session(repo)
    refused(repo, "report", "--format", "pdf", needle="pdf")
    refused(repo, "report", "--since", "2025-13-01", needle="2025-13-01")
    refused(repo, "report", "--checklist", "nope", needle="shequ")
    refused(repo, "report", "--unit", "无此单位", needle="幸福社区党委")
    refused(repo, "report", "--format", "xlsx", needle="-o")
    refused(repo, "report", "zzzz", needle="zzzz")
    refused(repo, "diff", sid, needle="NEW")
    refused(repo, "diff", sid, "ffffff", needle="ffffff")
    refused(repo, "selfcheck", sid, "/no/such/file.yaml", needle="file.yaml")
    missing = repo.folder / "no" / "such" / "dir"
    done = cli(repo, "report", "--format", "md", "-o", str(missing / "r.md"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert str(missing) in done.stderr and not (repo.folder / "no").exists()  # named, nothing created


def test_report_damaged_session_is_named_and_skipped(repo):
    shequ_session(repo, "甲支部", complete=True)
    bad = shequ_session(repo, "乙支部")
    data = json.loads(repo.path(bad).read_text(encoding="utf-8"))
    data["answers"] = {"1": {"item": "no.such.item", "state": "pass"}}
    repo.path(bad).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = cli(repo, "report", "--format", "json")
    assert done.returncode == 0 and bad in done.stderr
    report = json.loads(done.stdout)
    assert [r["branch"] for r in report["groups"][0]["ranking"]] == ["甲支部"] and report["problems"]
    assert any(p.name.startswith(bad) for p in (repo.folder / "quarantine").iterdir())
    assert os.path.exists(repo.path(bad)) is False


# -- the reports in English (--lang en) ---------------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def sample_reports(tmp_path: Path):
    """The roll-up of the sample sessions, and the comparison of the two of 幸福社区第一网格党支部."""
    shutil.copytree(REPO / "sessions", tmp_path / "samples")
    samples = SessionRepository(tmp_path / "samples")
    with samples.open("c567b521c9b4", write=False) as old, samples.open("e2e78c3278d4", write=False) as new:
        comparison = compare(old.session, new.session)
    return from_repository(samples, today=dt.date(2026, 12, 1)), comparison  # 逾期 counted on a fixed day


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_golden_english(sample_reports, fmt):
    """The roll-up and the comparison with their own words in English: pinned as golden files
    (INSPECT_TUI_UPDATE_GOLDEN=1 rewrites these English ones only), and unlike the Chinese."""
    module = {"md": report_md, "html": report_html}[fmt]
    result, comparison = sample_reports
    for name, data, chinese in (("rollup", module.render_rollup(result, "en"), module.render_rollup(result)),
                                ("comparison", module.render_comparison(comparison, "en"),
                                 module.render_comparison(comparison))):
        path = GOLDEN / f"samples.{name}.en.{fmt}"
        if os.environ.get("INSPECT_TUI_UPDATE_GOLDEN"):
            path.write_bytes(data)
        assert data == path.read_bytes(), f"{path.name} changed; if on purpose, regenerate and review the diff"
        assert data != chinese
        for word in ("检查汇总报告", "支部排名", "复查对比", "已整改", "得分变化", "统计口径", "名次"):
            assert word not in data.decode("utf-8"), (name, fmt, word)
    assert '<html lang="en">' in report_html.render_rollup(result, "en").decode("utf-8")


def test_report_workbooks_in_english(sample_reports):
    """Sheet names, column headers and the 说明 sheet of the report workbooks in English."""
    import openpyxl

    result, comparison = sample_reports
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.render_rollup(result, "en")))
    assert book.sheetnames == ["Ranking", "Failed items", "Sections", "Inspections", "Rectifications", "Remark"]
    assert [c.value for c in book["Ranking"][1]][:3] == ["Checklist", "Rank", "Branch"]
    assert book["Ranking"].oddFooter.center.text == "page &P of &N"
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.render_comparison(comparison, "en")))
    assert book.sheetnames == ["Comparison", "Sections", "Score changes", "Remark"]
    categories = {row[3] for row in book["Comparison"].iter_rows(min_row=2, values_only=True)}
    assert {"Fixed", "Still failing"} <= categories


def test_cli_report_and_diff_follow_lang(tmp_path: Path):
    shutil.copytree(REPO / "sessions", tmp_path / "s")
    done = run_cli("--lang", "en", "--sessions", str(tmp_path / "s"), "report")
    assert done.returncode == 0 and done.stdout.startswith("# Inspection report"), done.stderr
    done = run_cli("--lang", "en", "--sessions", str(tmp_path / "s"), "diff", "c567", "e2e7", "--format", "md")
    assert done.returncode == 0 and "# Re-inspection comparison" in done.stdout, done.stderr
    done = run_cli("--sessions", str(tmp_path / "s"), "report")
    assert done.stdout.startswith("# 检查汇总报告")
