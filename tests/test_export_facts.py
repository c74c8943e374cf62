"""Documents that say what was found (issue 10, point 4): every export carries the 基本情况 as
entered, the standard's blanks filled from the facts, and for a fact-decided item the finding;
and every document prints on A4 as an office prints it.

The session is made through the real repository on the bundled 城市社区 standard; the expected
rows are written out here by hand from the facts entered, not read from the summary under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.blanks import BLANK, DATE_BLANK, dates_text, fill, value_text
from inspect_tui.core.export import FORMATS, WHATS, build_summary, render
from inspect_tui.core.export.model import Summary
from inspect_tui.core.checklist.loader import parse_checklist
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.checklist.yamlsafe import FileProblems

from .conftest import run_cli
from .test_export import check_schema, csv_rows, docx_text, xlsx

BRANCH = "幸福社区第三网格党支部"
ENTERED = {  # fact id → (what was typed, what a document prints, unit)
    "org_type": ("党支部", "党支部", ""),
    "full_members": ("86", "86", "人"),
    "term_end": ("2026-03-15", "2026年3月15日", ""),
    "branch_full_members": ("12", "12", "人"),
    "has_committee": ("是", "是", ""),
    "committee_members": ("3", "3", "人"),
    "has_organizer": ("是", "是", ""),
    "has_propagandist": ("否", "否", ""),
    "has_discipline": ("是", "是", ""),
}
FINDING = "本届任期届满时间 2026-03-15,早于检查日期 2026-11-27"
NOTE = "换届请示材料未见"


@pytest.fixture(scope="module")
def session_summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    """A 城市社区 inspection with some facts entered, the rest left blank; the term-of-office item
    (decided by the facts) carries a finding of our own wording, in the shape the scorer gives
    one (on the fired rule and on the item), and the inspector's note."""
    repo = SessionRepository(tmp_path_factory.mktemp("facts") / "sessions")
    checklist = catalog.find("shequ")
    with repo.create(checklist, BRANCH, "幸福社区党委", ["张三"], dt.date(2026, 11, 27), "党群服务中心") as opened:
        for fact_id, (typed, _, _) in ENTERED.items():
            opened.set_fact(fact_id, typed, "张三")
        opened.set_answer("team.term.on_time", "张三", note=NOTE)
        result = opened.session.score()
        term = result.items["team.term.on_time"]
        assert term.auto and term.reasons, "the term has run out: the item fails on the facts"
        term.reasons = [dataclasses.replace(r, finding=FINDING) for r in term.reasons]
        term.findings = [FINDING]
        return build_summary(opened.session, result)


def expected_rows() -> list[list[str]]:
    rows = []
    for fact in catalog.find("shequ").facts:
        _, shown, unit = ENTERED.get(fact.id, (None, "未填", fact.unit))
        rows.append([fact.label, shown, unit])
    return rows


# -- reading the 基本情况 back out of each format -------------------------------------------------------

class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _facts_table(tables: list[list[list[str]]]) -> list[list[str]]:
    """The 基本情况 table's rows (label, value, unit); Word prints two facts a row, left first."""
    header = ["项目", "填报情况", "单位"]
    (table,) = [t for t in tables if t and t[0][:3] == header]
    pairs = len(table[0]) // 3
    assert table[0] == header * pairs
    rows = [row[3 * n:3 * n + 3] for row in table[1:] for n in range(pairs)]
    return [row for row in rows if any(row)]


def fact_rows_in(fmt: str, data: bytes) -> list[list[str]]:
    if fmt == "json":
        return [[f["label"], f["text"], f["unit"]] for f in json.loads(data)["facts"]]
    if fmt == "csv":
        rows = csv_rows(data)
        start = rows.index(["基本情况"]) + 2
        end = rows.index([], start) if [] in rows[start:] else len(rows)
        return rows[start:end]
    if fmt == "xlsx":
        sheet = xlsx(data)["基本情况"]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    if fmt == "docx":
        return _facts_table(docx_text(data)[1])
    if fmt == "html":
        parser = _Tables()
        parser.feed(data.decode("utf-8"))
        return _facts_table(parser.tables)
    lines = data.decode("utf-8").split("## 基本情况\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def all_text(fmt: str, data: bytes) -> str:
    """Everything a reader of the file sees, as one text."""
    if fmt == "xlsx":
        book = xlsx(data)
        return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    if fmt == "docx":
        paragraphs, tables = docx_text(data)
        return "\n".join(paragraphs + [cell for t in tables for row in t for cell in row])
    if fmt == "html":
        parser = _Tables()
        text: list[str] = []
        parser.handle_data = lambda d: text.append(d)  # type: ignore[method-assign]
        parser.feed(data.decode("utf-8"))
        return "".join(text)
    if fmt == "json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    if fmt == "md":
        return data.decode("utf-8").replace("\\_", "_")
    return data.decode("utf-8-sig")


# -- the tests -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", WHATS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_the_facts_as_entered(session_summary, fmt, what):
    data = render(session_summary, fmt, what)
    if fmt == "json":
        check_schema(data)
    assert fact_rows_in(fmt, data) == expected_rows()


@pytest.mark.parametrize("what", WHATS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_blank_where_the_fact_is_known(session_summary, fmt, what):
    text = all_text(fmt, render(session_summary, fmt, what))
    # 社区层面 (failed on the facts: 86 members in a 党支部) and 换届 (failed: the term ran out)
    assert "社区党组织共有正式党员86人" in text and "正式党员___人" not in text
    assert "本届任期届满时间为2026年3月15日" in text and "届满时间为___" not in text
    assert "上次换届时间为___年___月___日" in text  # not entered: the blank stays, nothing guessed


@pytest.mark.parametrize("what", WHATS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_finding_is_printed_for_an_item_the_facts_decided(session_summary, fmt, what):
    text = all_text(fmt, render(session_summary, fmt, what))
    assert FINDING in text and NOTE in text


def test_the_notice_says_what_was_found_beside_the_note(session_summary):
    (row,) = [r for r in session_summary.rectification if r.id == "team.term.on_time"]
    assert row.found.startswith(FINDING) and NOTE in row.found
    _, tables = docx_text(render(session_summary, "docx", "rectification"))
    (notice,) = [t for t in tables if t[0][0] == "序号"]
    (cells,) = [r for r in notice if r[1].startswith("①任期届满按时换届")]
    assert FINDING in cells[2] and NOTE in cells[2] and "任期届满未按时换届的" not in cells[2]
    assert "本届任期届满时间为2026年3月15日" in cells[3]  # 标准要求, its blank filled


def test_a_marked_item_keeps_its_note_as_the_finding(session_summary):
    rows = {r.id: r for r in session_summary.items}
    assert not rows["org.basic.grid_split"].auto and rows["org.basic.grid_split"].findings == ()
    assert rows["team.term.on_time"].findings == (FINDING,)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_scorers_own_finding_reaches_the_notice(session_summary, fmt):
    """org.basic.community fails on the facts (86 members in a 党支部): whatever words the
    scorer found for it are what the notice says was found."""
    (row,) = [r for r in session_summary.items if r.id == "org.basic.community"]
    assert row.state == "fail" and row.findings and all("86" in f for f in row.findings)
    text = all_text(fmt, render(session_summary, fmt, "rectification"))
    assert all(finding in text for finding in row.findings)


# -- print setup -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("what", WHATS)
def test_every_xlsx_sheet_prints_on_a4_one_page_wide(session_summary, what):
    book = xlsx(render(session_summary, "xlsx", what))
    for ws in book.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == "9", ws.title  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows and "1:" in ws.print_title_rows and ws.print_title_rows.endswith("1"), ws.title
        assert BRANCH in ws.oddHeader.center.text and ("2026-11-27" in ws.oddHeader.center.text), ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
        assert 0.3 <= ws.page_margins.left <= 0.8 and ws.page_margins.top >= 0.5, ws.title
    wide = book["明细"] if what == "summary" else book["整改清单"]
    assert wide.page_setup.orientation == "landscape"
    assert book["检查信息"].page_setup.orientation == "portrait"
    # one page wide at a readable size: an A4 page across (landscape, these margins) holds about
    # 150 width units at full size, so 210 prints at no less than ~70%, not half size
    assert sum(d.width for d in wide.column_dimensions.values() if d.width) <= 210


def test_docx_rows_never_split_and_the_header_repeats(session_summary):
    for what in WHATS:
        data = render(session_summary, "docx", what)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("word/document.xml").decode()
            footers = " ".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
            headers = " ".join(archive.read(n).decode() for n in archive.namelist() if "header" in n)
        tables = re.findall(r"<w:tbl>.*?</w:tbl>", body, flags=re.S)
        assert len(tables) >= 2  # 基本情况 and the findings
        for table in tables:
            rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)
            assert rows and all("<w:cantSplit" in row for row in rows)
            assert "<w:tblHeader" in rows[0] and not any("<w:tblHeader" in row for row in rows[1:])
        assert 'w:instr=" PAGE "' in footers and 'w:instr=" NUMPAGES "' in footers
        assert BRANCH in headers and "2026年11月27日" in headers
        assert 'w:w="11906"' in body and 'w:h="16838"' in body  # A4 in twentieths of a point


# -- blanks: the core function, the loader, the CLI and the app ------------------------------------------

def test_values_print_as_a_document_writes_them():
    assert value_text(None, Decimal("86")) == "86" and value_text(None, Decimal("92.50")) == "92.5"
    assert value_text(None, True) == "是" and value_text(None, False) == "否"
    assert value_text(None, dt.date(2026, 3, 15)) == "2026年3月15日"
    days = (dt.date(2026, 2, 3), dt.date(2026, 1, 5))
    assert value_text(None, days) == dates_text(list(days)) == "2026-01-05、2026-02-03(共2次)"
    assert value_text(None, ()) == "无记录(共0次)"


def test_fill_prints_the_known_and_keeps_the_blank():
    checklist = catalog.find("shequ")
    text = checklist.item("team.leaders.grid").guidance
    filled = fill(text, checklist, {"committee_members": Decimal(3), "has_organizer": True, "has_propagandist": False})
    assert "共有成员3人" in filled and "组织委员已配备,宣传委员未配备,纪检委员___" in filled
    assert "书记___(姓名)" in filled  # not entered
    on_time = checklist.item("team.term.on_time").guidance
    assert fill(on_time, checklist, {}) == f"党支部上次换届时间为{DATE_BLANK},本届任期届满时间为{DATE_BLANK}。"
    assert fill("{{原文}} {full_members}人", checklist, {}) == f"{{原文}} {BLANK}人"


def test_no_bundled_standard_leaves_a_blank_a_fact_answers():
    """shequ.yaml says every blank of its 评价内容 is a fact: with every fact entered, none is left."""
    checklist = catalog.find("shequ")
    values = {f.id: (True if f.type == "boolean" else dt.date(2026, 1, 1) if f.type == "date"
                     else f.choices[0] if f.choices else "某某" if f.type == "text" else Decimal(1))
              for f in checklist.facts}
    for item in checklist.walk():
        assert BLANK not in fill(item.text, checklist, values) + fill(item.guidance, checklist, values), item.id


LOADER_BASE = """\
format: 1
id: t
title: 测试
version: "1"
complete: true
scored: false
facts:
  - {id: members, label: 正式党员人数, type: integer}
  - {id: has_room, label: 是否有活动室, type: boolean}
sections:
  - id: s
    title: 大项
    items:
      - id: s.a
        text: 甲
        guidance: GUIDANCE
"""


@pytest.mark.parametrize("guidance, col, message", [
    ("共有党员{member}人", 23, "{member} names no fact of this checklist (did you mean 'members'?)"),
    ("共有党员{members人", 23, "a lone '{'"),
    ("共有党员members}人", 30, "a lone '}'"),
    ("共有{members:多/少}人", 21, "words need a boolean fact"),
    ("共有{1x}人", 21, "must name a fact"),
])
def test_the_loader_names_each_bad_placeholder_with_its_place(guidance, col, message):
    with pytest.raises(FileProblems) as caught:
        parse_checklist(LOADER_BASE.replace("GUIDANCE", guidance), "t.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == (16, col) and message in problem.message, str(problem)
    assert str(problem).startswith("t.yaml:16:")


def test_the_loader_accepts_placeholders_and_literal_braces():
    checklist = parse_checklist(LOADER_BASE.replace("GUIDANCE", "共有党员{members}人,活动室{has_room:有/无},{{注}}"), "t")
    assert fill(checklist.item("s.a").guidance, checklist, {"has_room": False}) == "共有党员___人,活动室无,{注}"


def test_cli_score_and_describe_print_the_text_with_its_blanks(tmp_path):
    source = LOADER_BASE.replace("scored: false", "scored: true").replace(
        "      - id: s.a\n        text: 甲\n        guidance: GUIDANCE\n",
        "      - id: s.a\n        text: 党员{members}人的支部设支委会\n        points: 4\n"
        "        rules: [{clause: \"未设的,扣4分\", points: 4, when: not has_room}]\n")
    (tmp_path / "t.yaml").write_text(source.replace("    title: 大项\n", "    title: 大项\n    points: 4\n"),
                                     encoding="utf-8")
    (tmp_path / "answers.yaml").write_text("facts: {members: 9, has_room: false}\n", encoding="utf-8")
    scored = run_cli("--checklists", str(tmp_path), "score", "t", "--answers", str(tmp_path / "answers.yaml"),
                     "--date", "2026-06-01")
    assert scored.returncode == 0, scored.stderr
    assert "党员9人的支部设支委会" in scored.stdout and "{members}" not in scored.stdout
    described = run_cli("--checklists", str(tmp_path), "describe", "t")
    assert "党员___人的支部设支委会" in described.stdout, described.stdout


def test_the_app_shows_the_guidance_with_its_blanks_filled():
    from inspect_tui.app.render import item_detail
    from inspect_tui.core.analysis.scoring import score

    checklist = catalog.find("shequ")
    item = checklist.item("org.basic.community")
    facts = {"full_members": Decimal(86), "org_type": "党总支"}
    result = score(checklist, facts, {}, dt.date(2026, 6, 1))
    shown = item_detail(checklist, item, result, facts).plain
    assert "社区党组织共有正式党员86人" in shown and "___" not in shown
    assert "正式党员___人" in item_detail(checklist, item, score(checklist, {}, {}, dt.date(2026, 6, 1))).plain


def test_xlsx_keeps_a_count_a_number(session_summary):
    rows = {r[0]: r for r in xlsx(render(session_summary, "xlsx"))["基本情况"].iter_rows(min_row=2, values_only=True)}
    assert rows["社区党组织正式党员人数"] == ("社区党组织正式党员人数", 86, "人")
    assert rows["社区总户数"][1] == "未填" and rows["本届任期届满时间"][1] == "2026年3月15日"


def test_the_many_session_workbook_prints_one_page_wide(session_summary):
    from inspect_tui.core.export.xlsx import render_many

    for what in WHATS:
        for ws in xlsx(render_many([session_summary, session_summary], what)).worksheets:
            assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
            assert str(ws.page_setup.paperSize) == "9" and ws.page_setup.orientation == "landscape", ws.title
            assert "&P" in ws.oddFooter.center.text and ws.oddHeader.center.text, ws.title


def test_cli_prints_the_finding_under_its_clause(capsys):
    from inspect_tui.cli.commands import print_result
    from inspect_tui.core.analysis.scoring import score

    checklist = catalog.find("shequ")
    facts = {"term_end": dt.date(2026, 3, 15)}
    result = score(checklist, facts, {}, dt.date(2026, 11, 27))
    term = result.items["team.term.on_time"]
    term.reasons = [dataclasses.replace(r, finding=FINDING) for r in term.reasons]
    print_result(checklist, result, facts)
    lines = capsys.readouterr().out.splitlines()
    (clause,) = [n for n, line in enumerate(lines) if "任期届满未按时换届的,扣6分" in line]
    assert lines[clause + 1].strip() == f"发现: {FINDING}"


@pytest.mark.parametrize("typed, shown, value", [
    ("2026-02-03\n2026-01-05", "2026-01-05、2026-02-03(共2次)", ["2026-01-05", "2026-02-03"]),
    ("共10次", None, {"total": 10}),
])
def test_a_list_of_meeting_dates_prints_with_its_count(tmp_path, typed, shown, value):
    """A `dates` fact (meeting records) in the 基本情况 of every format, as the records say it."""
    repo = SessionRepository(tmp_path / "sessions")
    checklist = catalog.find("gongxing")
    with repo.create(checklist, "某支部", "", ["张三"], dt.date(2026, 11, 27)) as opened:
        opened.set_fact("care_visit_dates", typed, "张三")
        summary = build_summary(opened.session)
    (line,) = [f for f in summary.facts if f.id == "care_visit_dates"]
    assert line.entered and line.value == value and "DateList" not in line.text
    if shown is not None:
        assert line.text == shown
    for fmt in FORMATS:
        data = render(summary, fmt)
        if fmt == "json":
            check_schema(data)
        assert [line.label, line.text, line.unit] in fact_rows_in(fmt, data), fmt


def test_the_report_workbook_prints_one_page_wide(tmp_path):
    """The roll-up over many inspections (inspect-tui report --format xlsx) prints like the exports."""
    import shutil

    from inspect_tui.core.export import report_xlsx
    from inspect_tui.core.session.reader import from_repository

    from .conftest import REPO

    shutil.copytree(REPO / "sessions", tmp_path / "s")
    book = xlsx(report_xlsx.rollup_xlsx(from_repository(SessionRepository(tmp_path / "s"))))
    for ws in book.worksheets:
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert str(ws.page_setup.paperSize) == "9" and "&P" in ws.oddFooter.center.text, ws.title
