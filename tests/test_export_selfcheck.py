"""自查与检查对照 in every export: the branch's self-assessment beside the inspection.

A self-assessment is attached to a session through the real API (as `inspect-tui selfcheck` does);
each format is read back by its own client (csv, openpyxl, python-docx, an HTML parser, the JSON
schema) and must show both scores and every item on which the two differ. Without one, the files
are those of tests/test_export.py's golden files; the 整改通知书 never shows it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.analysis import selfcheck
from inspect_tui.core.session import selfcheck_file
from inspect_tui.core.export import FORMATS, build_summary, export_session, render
from inspect_tui.core.export.common import SELF_STATES, SELF_TITLE, STATES, num
from inspect_tui.core.export.model import Summary
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.session.model import Session

from .conftest import run_cli
from .test_export import SCHEMA, check_schema, csv_rows, docx_text, html_read, xlsx

DAY = dt.date(2025, 6, 1)
SCRIPT_NOTE = "<script>alert('自查')</script> & 已整改"
FORMULA_NOTE = '=HYPERLINK("http://evil.example/","点击")'
PIPE_NOTE = "网格划分不合理 | 见会议记录"
SHEQU_MARKS = {
    "org.basic.grid_split": ("fail", PIPE_NOTE),
    "org.basic.grid_branch": ("pass", ""),
    "org.groups.principle": ("pass", ""),
}
SHEQU_SELF = {
    "org.basic.grid_split": {"state": "pass", "note": SCRIPT_NOTE},  # 自查符合,检查不符合
    "org.basic.grid_branch": {"state": "fail", "note": FORMULA_NOTE},  # 自查不符合,检查符合
    "org.groups.principle": "pass",  # both agree
    "team.grid": {"state": "fail", "override": {"points": 2, "reason": "走访记录不全"}},  # 检查未查
}


@dataclass
class Attached:
    repo: SessionRepository
    id: str
    session: Session
    selfcheck: selfcheck.SelfCheck
    comparison: selfcheck.SelfComparison
    summary: Summary  # with the self-assessment
    plain: Summary  # the same session without it


def inspection(repo: SessionRepository, checklist_id: str, marks: dict[str, tuple[str, str]], branch: str = "幸福社区第一网格党支部") -> str:
    opened = repo.create(catalog.find(checklist_id), branch, "幸福社区党委", ["张三"], DAY)
    for item_id, (state, note) in marks.items():
        opened.set_answer(item_id, "张三", state=State.parse(state), note=note)
    opened.close()
    return opened.session.id


def attach(repo: SessionRepository, session_id: str, answers: dict, folder: Path) -> Attached:
    own = folder / "支部自查.json"
    own.write_text(json.dumps({"answers": answers}, ensure_ascii=False), encoding="utf-8")
    with repo.open(session_id, write=False) as opened:
        session = opened.session
    selfcheck_file.attach(repo, session, own, "王五")
    stored = selfcheck_file.load(repo, session)
    assert stored is not None
    return Attached(repo, session_id, session, stored, selfcheck.compare_selfcheck(session, stored),
                    build_summary(session, selfcheck=stored), build_summary(session))


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


@pytest.fixture
def attached(repo: SessionRepository, tmp_path: Path) -> Attached:
    return attach(repo, inspection(repo, "shequ", SHEQU_MARKS), SHEQU_SELF, tmp_path)


def note_of(row: list, header: list, name: str) -> str:
    return row[header.index(name)]


# -- the model --------------------------------------------------------------------------------------

def test_the_summary_carries_the_comparison(attached):
    sc, c = attached.summary.selfcheck, attached.comparison
    assert attached.plain.selfcheck is None
    assert sc is not None and sc.source_name == "支部自查.json" and sc.attached_at == c.attached_at
    assert (sc.self_scores, sc.inspection, sc.delta, sc.agreeing, sc.differences) == (
        c.self_scores, c.inspection, c.delta, c.agreeing, c.differences)
    kinds = {d.id: d.kind for d in sc.differences}
    assert kinds == {"org.basic.grid_split": selfcheck.CLAIMED_PASS, "org.basic.grid_branch": selfcheck.CLAIMED_FAIL,
                     "team.grid": selfcheck.NOT_INSPECTED}
    assert sc.self_scores.total != sc.inspection.total  # the override makes the two differ
    assert attached.summary.items == attached.plain.items  # the inspection itself is untouched


# -- each format ------------------------------------------------------------------------------------

def test_markdown_shows_both_scores_and_each_difference_inertly(attached):
    text = render(attached.summary, "md").decode("utf-8")
    assert text.startswith(render(attached.plain, "md").decode("utf-8").rstrip("\n"))
    section = text[text.index(f"## {SELF_TITLE}"):]
    sc = attached.summary.selfcheck
    assert f"| 自查 | {num(sc.self_scores.total)} | {num(sc.self_scores.max)} |" in section
    assert f"| 检查 | {num(sc.inspection.total)} | {num(sc.inspection.max)} |" in section
    assert f"| 差值(自查 − 检查) | {num(sc.delta)} |" in section
    assert "支部自查.json" in section and f"不一致 {len(sc.differences)} 项" in section
    for d in sc.differences:
        assert f"| {selfcheck.LABELS[d.kind]} | {d.id.replace('_', chr(92) + '_')} |" in section
    assert "<script>" not in text and "\\<script\\>" in section
    table = [line for line in section.splitlines() if line.startswith("| 自查符合")]
    assert len(re.findall(r"(?<!\\)\|", table[0])) == 10  # the note's pipe is escaped: 9 cells
    assert "网格划分不合理 \\| 见会议记录" in table[0]


def test_csv_adds_a_block_below_the_items_and_neutralises_formulas(attached):
    data = render(attached.summary, "csv")
    items = render(attached.plain, "csv").split(b"\r\n\r\n")[0]  # before the 基本情况 block
    assert data.startswith(items + b"\r\n\r\n")  # the item table is as it was
    rows = csv_rows(data)
    rows = rows[:rows.index(["基本情况"]) - 1]  # the 基本情况 block comes last, after an empty row
    blank = rows.index([])
    assert blank == 1 + len(attached.summary.items)
    assert rows[blank + 1][0] == "得分" and rows[blank + 2] == []  # the score line, then the block
    title, scores_header, self_row, inspection_row, delta_row, gap, diff_header, *diffs = rows[blank + 3:]
    sc = attached.summary.selfcheck
    assert title[0] == SELF_TITLE and "支部自查.json" in title[1]
    assert scores_header[:4] == ["", "得分", "满分", "得分率(%)"]
    assert self_row[:3] == ["自查", num(sc.self_scores.total), num(sc.self_scores.max)]
    assert inspection_row[:3] == ["检查", num(sc.inspection.total), num(sc.inspection.max)]
    assert delta_row[:2] == ["差值(自查 − 检查)", num(sc.delta)]
    assert gap == [] and diff_header[:5] == ["类别", "编号", "检查项", "自查", "检查"]
    assert [row[1] for row in diffs] == [d.id for d in sc.differences]
    by_id = {row[1]: row for row in diffs}
    assert note_of(by_id["org.basic.grid_branch"], diff_header, "自查备注") == "'" + FORMULA_NOTE
    assert note_of(by_id["org.basic.grid_split"], diff_header, "检查备注") == PIPE_NOTE
    split = by_id["org.basic.grid_split"]
    assert split[0] == selfcheck.LABELS[selfcheck.CLAIMED_PASS] and split[3:7] == ["符合", "不符合", "0", "2"]


def test_json_has_a_strict_selfcheck_object_only_when_attached(attached):
    document = check_schema(render(attached.summary, "json"))
    plain = check_schema(render(attached.plain, "json"))
    assert "selfcheck" not in plain and list(document)[-1] == "selfcheck"
    assert {k: v for k, v in document.items() if k != "selfcheck"} == plain
    data, sc = document["selfcheck"], attached.summary.selfcheck
    assert data["source_name"] == "支部自查.json" and data["agreeing"] == sc.agreeing
    assert data["self_scores"]["total"] == int(sc.self_scores.total) and data["delta"] == int(sc.delta)
    assert [d["id"] for d in data["differences"]] == [d.id for d in sc.differences]
    assert data["differences"][0]["self_note"] == SCRIPT_NOTE
    for broken in ({**data, "extra": 1}, {k: v for k, v in data.items() if k != "delta"},
                   {**data, "differences": [{**data["differences"][0], "kind": "other"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**document, "selfcheck": broken}, SCHEMA)


def test_xlsx_has_a_third_sheet_with_numbers_as_numbers(attached):
    book = xlsx(render(attached.summary, "xlsx"))
    assert book.sheetnames == ["扣分汇总", "明细", "自查对照", "基本情况", "检查信息"]
    assert xlsx(render(attached.plain, "xlsx")).sheetnames == ["扣分汇总", "明细", "基本情况", "检查信息"]
    sheet = book["自查对照"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    sc = attached.summary.selfcheck
    assert rows[1][:3] == ["自查", int(sc.self_scores.total), int(sc.self_scores.max)]
    assert rows[2][:3] == ["检查", int(sc.inspection.total), int(sc.inspection.max)]
    assert rows[3][:2] == ["差值(自查 − 检查)", int(sc.delta)]
    header = rows.index(["类别", "编号", "检查项", "自查", "检查", "自查扣分", "检查扣分", "自查备注", "检查备注"])
    diffs = rows[header + 1:]
    assert [row[1] for row in diffs] == [d.id for d in sc.differences]
    branch = next(row for row in diffs if row[1] == "org.basic.grid_branch")
    assert branch[5:7] == [2, 0] and branch[7] == FORMULA_NOTE
    cell = sheet.cell(header + 1 + 1 + [row[1] for row in diffs].index("org.basic.grid_branch"), 8)
    assert cell.value == FORMULA_NOTE and cell.data_type == "s"  # text, never a formula
    info = {row[0]: row[1] for row in book["检查信息"].iter_rows(values_only=True)}
    assert "支部自查.json" in info[SELF_TITLE]


def test_docx_has_the_section_and_its_tables_after_the_score_sheet(attached):
    paragraphs, tables = docx_text(render(attached.summary, "docx"))
    plain_paragraphs, plain_tables = docx_text(render(attached.plain, "docx"))
    assert SELF_TITLE in paragraphs and SELF_TITLE not in plain_paragraphs
    assert len(tables) == len(plain_tables) + 2 and tables[0] == plain_tables[0]
    scores, diffs = tables[-2], tables[-1]
    sc = attached.summary.selfcheck
    assert scores[1][:3] == ["自查", num(sc.self_scores.total), num(sc.self_scores.max)]
    assert scores[2][:3] == ["检查", num(sc.inspection.total), num(sc.inspection.max)]
    assert [row[1] for row in diffs[1:]] == [d.id for d in sc.differences]
    assert diffs[1][7] == SCRIPT_NOTE and diffs[1][8] == PIPE_NOTE
    assert paragraphs.index(SELF_TITLE) < next(i for i, p in enumerate(paragraphs) if p.startswith("检查人员(签名)"))


def test_html_escapes_the_self_assessment_notes(attached):
    data = render(attached.summary, "html").decode("utf-8")
    assert "<script" not in data.lower() and "&lt;script&gt;" in data
    page = html_read(data.encode("utf-8"))
    text = "".join(page.text)
    assert "script" not in page.tags and SELF_TITLE in text and SCRIPT_NOTE in text
    sc = attached.summary.selfcheck
    for d in sc.differences:
        assert d.id in text and selfcheck.LABELS[d.kind] in text
    assert text.index(SELF_TITLE) < text.index("检查人员(签名)")


def test_the_rectification_notice_never_shows_it(attached):
    for fmt in ("md", "csv", "json", "html"):
        assert render(attached.summary, fmt, "rectification") == render(attached.plain, fmt, "rectification")
    assert xlsx(render(attached.summary, "xlsx", "rectification")).sheetnames == ["整改清单", "基本情况", "检查信息"]
    paragraphs, _ = docx_text(render(attached.summary, "docx", "rectification"))
    assert SELF_TITLE not in paragraphs


def test_an_unscored_standard_compares_pass_rates_and_no_points(repo, tmp_path):
    leaves = [item.id for item in catalog.find("liutiao").leaves() if not item.computed][:3]
    sid = inspection(repo, "liutiao", {leaf: ("pass", "") for leaf in leaves}, branch="某某村党支部")
    attached = attach(repo, sid, {leaves[0]: "fail", leaves[1]: "na"}, tmp_path)
    sc = attached.summary.selfcheck
    assert not attached.summary.scores.scored and sc.delta is not None and sc.delta < 0
    for fmt in FORMATS:
        data = render(attached.summary, fmt)
        if fmt == "json":
            differences = check_schema(data)["selfcheck"]["differences"]
            assert all(d["self_deducted"] is None and d["inspection_deducted"] is None for d in differences)
        if fmt == "md":
            text = data.decode("utf-8")
            assert "| 符合项 | 适用项 | 符合率(%) |" in text and "自查扣分" not in text
            assert f"| 差值(自查 − 检查) |  |  | {num(sc.delta.quantize(Decimal('0.1')))} |" in text
            assert f"| {SELF_STATES['fail']} | {STATES['pass']} |" in text


def test_every_format_renders_when_the_two_agree(repo, tmp_path):
    sid = inspection(repo, "shequ", {"org.basic.grid_split": ("pass", "")})
    attached = attach(repo, sid, {"org.basic.grid_split": "pass"}, tmp_path)
    assert attached.summary.selfcheck.differences == ()
    for fmt in FORMATS:
        assert render(attached.summary, fmt)
    assert "### 不一致的检查项\n\n无" in render(attached.summary, "md").decode("utf-8")
    rows = [list(r) for r in xlsx(render(attached.summary, "xlsx"))["自查对照"].iter_rows(values_only=True)]
    assert rows[-1][0] == "无"


def test_export_session_passes_it_through(attached, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with_it = export_session(attached.session, "md", out, selfcheck=attached.selfcheck)
    without = export_session(attached.session, "md", out)
    assert SELF_TITLE in with_it.read_text(encoding="utf-8")
    assert SELF_TITLE not in without.read_text(encoding="utf-8")


# -- the CLI ------------------------------------------------------------------------------------------

def export(repo: SessionRepository, *args: str, cwd: Path | None = None):
    return run_cli("--sessions", str(repo.folder), "export", *args, cwd=cwd)


def test_cli_export_includes_an_attached_self_assessment(attached, tmp_path):
    other = inspection(attached.repo, "shequ", SHEQU_MARKS, branch="第二网格党支部")
    one = tmp_path / "汇总.md"
    done = export(attached.repo, attached.id, "-o", str(one))
    assert done.returncode == 0, done.stderr
    assert one.read_bytes() == render(attached.summary, "md")
    kept = export(attached.repo, attached.id, "--no-selfcheck", "-o", str(one))
    assert kept.returncode == 2 and "--force" in kept.stderr  # never replaced unasked
    assert one.read_bytes() == render(attached.summary, "md")
    done = export(attached.repo, attached.id, "--no-selfcheck", "-o", str(one), "--force")
    assert done.returncode == 0 and one.read_bytes() == render(attached.plain, "md")
    done = export(attached.repo, attached.id, "--what", "rectification", "-o", str(one), "--force")
    assert done.returncode == 0 and SELF_TITLE not in one.read_text(encoding="utf-8")

    folder = tmp_path / "导出"
    folder.mkdir()
    done = export(attached.repo, attached.id, other, "-f", "json", "-o", str(folder))
    assert done.returncode == 0, done.stderr
    documents = [check_schema(Path(line).read_bytes()) for line in done.stdout.splitlines()]
    documents = {document["header"]["session_id"]: document for document in documents}
    assert "selfcheck" in documents[attached.id] and "selfcheck" not in documents[other]


@pytest.mark.parametrize("damage", ['{"selfcheck": {"1": {"schema": 1, "session": "x"}}}', "{not json"])
def test_cli_damaged_self_assessment_is_one_line_and_exit_2(attached, tmp_path, damage):
    other = inspection(attached.repo, "shequ", {}, branch="第二网格党支部")
    stored = selfcheck_file.path_for(attached.repo, attached.id)
    stored.write_text(damage, encoding="utf-8")
    for args in ((attached.id, "-o", str(tmp_path / "一个.md")),
                 (other, attached.id, "-f", "docx", "-o", str(tmp_path / "文件夹"))):
        done = export(attached.repo, *args, cwd=tmp_path)
        assert done.returncode == 2, (done.stdout, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert str(stored) in lines[0] and done.stdout == ""
    assert not (tmp_path / "一个.md").exists() and not (tmp_path / "文件夹").exists()  # nothing written
    done = export(attached.repo, attached.id, "--no-selfcheck", "-o", str(tmp_path / "一个.md"))
    assert done.returncode == 0, done.stderr
