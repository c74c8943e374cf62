"""The 整改台账 (core/export/ledger*.py, `inspect-tui ledger`, `export --what ledger`) and the
branch's evidence of the fix (`attach --rectification`): the documents read back with openpyxl and
python-docx (deadline, status, days overdue on a fixed day), the filters, the command's errors,
the evidence through a bundle into a second folder, and the notice listing it."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from inspect_tui.core.exchange.bundle import ADDED, write_bundle
from inspect_tui.core.exchange.importing import import_bundle
from inspect_tui.core.export.ledger import Filters, build_ledger, render
from inspect_tui.core.session import attachments as att
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.attachments import AttachmentError, AttachmentStore
from inspect_tui.core.session.rectification import Request
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO, owner_only, run_cli
from .test_bundle import Clock

FINISHED = "c567b521c9b4"  # the sample: 4 rectifications, inspected 2026-06-15, due 2026-07-15
CLOSED_ITEM, LATE_ITEM, OPEN_ITEM = "org.basic.grid_branch", "org.groups.size", "team.leaders.grid"
TODAY = dt.date(2026, 7, 20)  # five days past the deadline


@pytest.fixture
def folders(tmp_path: Path):
    target = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", target)
    clock = Clock()  # 2026-11-27 09:00 on: the closing date stamped is known
    return SessionRepository(owner_only(target), clock), SessionRepository(tmp_path / "second", clock)


def photo(path: Path, size=(120, 80), color="green") -> Path:
    Image.new("RGB", size, color).save(path)
    return path


@pytest.fixture
def followed(folders, tmp_path: Path) -> SessionRepository:
    """The sample followed up: one closed with a photo and a PDF of the fix, one reported late
    with a photo, two left open."""
    repo, _ = folders
    pdf = tmp_path / "会议记录.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with repo.open(FINISHED) as opened:
        opened.set_rectification(CLOSED_ITEM, "张三", Request(person="李书记", deadline="2026-07-10",
                                                             report="已单独组建网格党支部", report_date="2026-07-05"))
        opened.set_rectification(CLOSED_ITEM, "张三", Request(close=True, by="王五", note="现场核实"))
        opened.set_rectification(LATE_ITEM, "张三", Request(person="张委员", report="已调整党小组", report_date="2026-07-25"))
        opened.attach(CLOSED_ITEM, [photo(tmp_path / "整改后.jpg", (1200, 800)), pdf], "张三", rectification=True)
        opened.attach(LATE_ITEM, [photo(tmp_path / "小组.png", (60, 90), "blue")], "张三", rectification=True)
    return repo


def ledger_of(repo: SessionRepository, ids=None, filters=Filters(), one=False):
    ids = ids or [s.id for s in repo.list()]

    def sessions():
        for sid in ids:
            with repo.open(sid, write=False) as opened:
                yield opened.session, AttachmentStore.beside(repo.path(sid)).folder
    return build_ledger(sessions(), TODAY, filters, one_branch=one)


def sheet_rows(data: bytes, title: str) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def test_the_xlsx_ledger_holds_each_rectification_as_it_stands(followed):
    data = render(ledger_of(followed, [FINISHED], one=True), "xlsx")
    counts = dict(sheet_rows(data, "统计")[1:])
    assert (counts["整改事项总数"], counts["已销号"], counts["已报整改"], counts["待整改"], counts["逾期"]) == (4, 1, 1, 2, 3)
    assert counts["整改率(%,已销号/总数)"] == 25.0 and counts["统计日期"] == "2026-07-20"
    assert counts["范围"] == "幸福社区第一网格党支部"
    header, *rows = sheet_rows(data, "整改台账")
    by_item = {row[header.index("编号")]: dict(zip(header, row)) for row in rows}
    assert list(by_item) == [CLOSED_ITEM, LATE_ITEM, OPEN_ITEM, "team.term.reminder"]  # the checklist's order
    closed, late, still = by_item[CLOSED_ITEM], by_item[LATE_ITEM], by_item[OPEN_ITEM]
    assert (closed["整改期限"], closed["状态"], closed["逾期天数"], closed["责任人"]) == ("2026-07-10", "已销号", None, "李书记")
    assert (closed["整改情况"], closed["报告日期"], closed["核查人"], closed["销号日期"], closed["销号说明/备注"]) == (
        "已单独组建网格党支部", "2026-07-05", "王五", "2026-11-27", "现场核实")
    assert closed["整改佐证材料"].startswith("整改后.jpg(JPEG ") and closed["整改佐证材料"].endswith("\n会议记录.pdf(PDF 45 B)")
    assert (late["状态"], late["逾期天数"], late["报告日期"]) == ("逾期", 5, "2026-07-25")  # reported after the deadline
    assert (still["状态"], still["逾期天数"], still["整改期限"], still["责任人"]) == ("逾期", 5, "2026-07-15", None)
    assert {row["所属单位"] for row in by_item.values()} == {"幸福社区党委"}
    assert all("幸福社区第一网格党支部" == row["支部"] and row["检查日期"] == "2026-06-15" for row in by_item.values())


def test_the_docx_ledger_reads_the_same_with_the_photos_of_the_fix(followed):
    from docx import Document

    doc = Document(io.BytesIO(render(ledger_of(followed, [FINISHED], one=True), "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "幸福社区第一网格党支部整改台账"
    assert "共 4 项:已销号 1 项,已报整改 1 项,待整改 2 项,其中逾期 3 项;整改率 25.0%" in texts
    [table] = doc.tables
    header = [c.text for c in table.rows[0].cells]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 4 and header[7] == "状态" and header[8] == "逾期天数"
    assert [(r[6], r[7], r[8]) for r in rows] == [("2026年7月10日", "已销号", ""), ("2026年7月15日", "逾期", "5 天"),
                                                 ("2026年7月15日", "逾期", "5 天"), ("2026年7月15日", "逾期", "5 天")]
    assert rows[0][9] == "已单独组建网格党支部\n(2026年7月5日)" and rows[0][10] == "王五 2026年11月27日\n现场核实"
    assert "整改后.jpg(1200×800)" in rows[0][11] and "会议记录.pdf(PDF 45 B)" in rows[0][11]
    assert "小组.png(60×90)" in rows[1][11] and rows[2][11] == ""
    assert len(doc.inline_shapes) == 2  # the two photos, as thumbnails
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape


def test_english_headings(followed):
    data = render(ledger_of(followed, [FINISHED], one=True), "xlsx", "en")
    header, first, *_ = sheet_rows(data, "Ledger")
    assert header[:4] == ("No.", "Unit", "Branch", "Date") and "Days overdue" in header and "Evidence of the fix" in header
    assert dict(zip(header, first))["Status"] == "Closed"
    assert dict(sheet_rows(data, "Counts")[1:])["Rectifications"] == 4


def test_filters_status_overdue_unit_and_dates(followed):
    every = ledger_of(followed)
    assert len(every.rows) == 13 and {r.unit for r in every.rows} == {"幸福社区党委", "和平社区党委", "县财政局机关党委"}
    assert [r.item for r in ledger_of(followed, filters=Filters(statuses=("closed",))).rows] == [CLOSED_ITEM]
    overdue = ledger_of(followed, filters=Filters(statuses=("overdue",))).rows
    assert overdue and all(r.overdue_days for r in overdue) and {r.session for r in overdue} == {FINISHED}
    assert {r.item for r in ledger_of(followed, filters=Filters(statuses=("reported",))).rows} == {LATE_ITEM}
    unit = ledger_of(followed, filters=Filters(unit="和平社区党委")).rows
    assert unit and {r.branch for r in unit} == {"和平社区第一网格党支部"}
    june = ledger_of(followed, filters=Filters(since=dt.date(2026, 6, 15), until=dt.date(2026, 6, 15))).rows
    assert {r.date for r in june} == {"2026-06-15"} and FINISHED in {r.session for r in june}
    assert ledger_of(followed, filters=Filters(since=dt.date(2030, 1, 1))).rows == ()
    c = ledger_of(followed, filters=Filters(since=dt.date(2030, 1, 1))).counts
    assert (c.total, c.rate) == (0, None)


def cli(repo: SessionRepository, *args: str):
    return run_cli("--sessions", str(repo.folder), *args)


def test_the_command_writes_where_told_and_refuses_bad_input(followed, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    done = cli(followed, "ledger", "--today", "2026-07-20", "--overdue", "-o", str(out / "逾期.xlsx"))
    assert done.returncode == 0 and done.stdout.strip() == f"已写入 {out / '逾期.xlsx'}(3 项)", done.stderr
    header, *rows = sheet_rows((out / "逾期.xlsx").read_bytes(), "整改台账")
    assert {r[header.index("状态")] for r in rows} == {"逾期"}
    done = cli(followed, "ledger", "c567", "--today", "2026-07-20", "-f", "docx", "-o", str(out))
    assert done.returncode == 0 and (out / "幸福社区第一网格党支部_2026-06-15_整改台账.docx").exists(), done.stderr
    done = cli(followed, "ledger", "c567", "284c", "--today", "2026-07-20", "-o", str(out / "two.xlsx"))
    assert done.returncode == 0, done.stderr
    counts = dict(sheet_rows((out / "two.xlsx").read_bytes(), "统计")[1:])
    assert counts["范围"] == "所列 2 个检查记录" and counts["整改事项总数"] > 4
    done = cli(followed, "export", FINISHED, "--what", "ledger", "-f", "docx", "-o", str(out))
    assert done.returncode == 0 and done.stdout.strip().endswith("整改台账-2.docx"), done.stderr
    for args, line in (
        (("--status", "done"), "未知状态 done,可用:open, reported, closed, overdue"),
        (("--from", "2026-02-30"), "2026-02-30"),
        (("--from", "2026-08-01", "--to", "2026-07-01"), "--from 2026-08-01 晚于 --to 2026-07-01"),
        (("-f", "pdf"), "整改台账只能写成 xlsx 或 docx,不是 pdf"),
        (("--unit", "没有这个单位"), "没有单位为 没有这个单位 的检查记录"),
        (("-o", str(tmp_path / "missing" / "x.xlsx")), "文件夹不存在"),
        (("-o", str(out / "逾期.xlsx")), "已存在"),
    ):
        done = cli(followed, "ledger", *args)
        assert done.returncode == 2 and line in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1
    assert cli(followed, "ledger", "-o", str(out / "逾期.xlsx"), "--force").returncode == 0


def test_evidence_of_the_fix_is_tagged_audited_and_refused_where_it_does_not_belong(folders, tmp_path: Path):
    repo, _ = folders
    with repo.open(FINISHED) as opened:  # finished: the evidence of the fix still goes on
        [added], _ = opened.attach(CLOSED_ITEM, [photo(tmp_path / "a.png")], "张三", rectification=True)
        assert added.purpose == att.RECTIFICATION and added.to_data()["purpose"] == att.RECTIFICATION
        with pytest.raises(SessionError, match="finished"):  # the finding's evidence: not after finishing
            opened.attach(CLOSED_ITEM, [photo(tmp_path / "b.png")], "张三")
        opened.reopen("张三", "补充检查佐证")
        with pytest.raises(AttachmentError, match="already attached to .* as evidence of the fix"):
            opened.attach(CLOSED_ITEM, [tmp_path / "a.png"], "张三")
        with pytest.raises(AttachmentError, match="no rectification for this item"):
            opened.attach("org.basic.grid_split", [tmp_path / "b.png"], "张三", rectification=True)
        assert f"attachment:{CLOSED_ITEM}/{added.sha256}" in [entry.field for entry in opened.audit()]
    finding = att.Attachment(CLOSED_ITEM, added.sha256, "a.png", 10, "image/png")
    assert "purpose" not in finding.to_data()  # a finding's record is as older builds wrote it
    assert att.from_data(finding.to_data()).purpose == ""
    with pytest.raises(ValueError, match="unknown purpose"):
        att.from_data({**finding.to_data(), "purpose": "other"})
    done = cli(repo, "attach", FINISHED, LATE_ITEM, str(photo(tmp_path / "c.png", color="red")), "--rectification")
    assert done.returncode == 0 and done.stdout.strip().endswith("〔整改佐证〕"), done.stderr
    listed = cli(repo, "attach", FINISHED, LATE_ITEM, "--list", "--rectification")
    assert listed.returncode == 0 and "c.png" in listed.stdout


def test_the_evidence_travels_by_bundle_into_a_second_folder(followed, folders, tmp_path: Path):
    _, second = folders
    write_bundle(followed, [FINISHED], tmp_path / "x.bundle")
    assert [o.kind for o in import_bundle(second, tmp_path / "x.bundle").sessions] == [ADDED]
    with second.open(FINISHED, write=False) as opened:
        evidence = {a.name: a.purpose for items in opened.session.attachments.values() for a in items}
        store = AttachmentStore.beside(second.path(FINISHED))
        assert all(store.has(a.sha256) for items in opened.session.attachments.values() for a in items)
    assert evidence == {"整改后.jpg": "rectification", "会议记录.pdf": "rectification", "小组.png": "rectification"}
    rows = ledger_of(second, [FINISHED], one=True).rows
    assert [a.name for a in rows[0].evidence] == ["整改后.jpg", "会议记录.pdf"] and all(a.path for a in rows[0].evidence)


def test_the_notice_lists_the_evidence_of_the_fix(followed, tmp_path: Path):
    from docx import Document

    out = tmp_path / "notice.docx"
    done = cli(followed, "export", FINISHED, "--what", "rectification", "-f", "docx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("整改佐证材料")
    assert texts[at + 1].startswith("1. ") and "整改后.jpg(1200×800)" in texts and "附件: 会议记录.pdf(PDF 45 B)" in texts
    assert any(t.startswith("2. ") for t in texts[at:]) and "小组.png(60×90)" in texts
    assert len(doc.inline_shapes) == 2
    done = cli(followed, "export", FINISHED, "--what", "rectification", "-f", "html", "-o", str(tmp_path / "n.html"))
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert done.returncode == 0 and "<h2>整改佐证材料</h2>" in page and page.count('<img src="data:image/jpeg') == 2
    assert "附件: 会议记录.pdf(PDF 45 B)" in page
    summary = cli(followed, "export", FINISHED, "-f", "docx", "-o", str(tmp_path / "sheet.docx"))
    assert summary.returncode == 0 and len(Document(str(tmp_path / "sheet.docx")).inline_shapes) == 0  # not findings'


@pytest.mark.slow
def test_libreoffice_converts_the_ledger_docx(followed, tmp_path: Path):
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: the conversion is not checked")
    (tmp_path / "ledger.docx").write_bytes(render(ledger_of(followed), "docx"))
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(tmp_path / "ledger.docx")], capture_output=True, timeout=300)
    pdf = tmp_path / "ledger.pdf"
    assert done.returncode == 0 and pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "整改台账" in text and "逾期" in text


def test_evidence_attached_on_two_laptops_merges_as_a_set(followed, folders, tmp_path: Path):
    _, second = folders
    write_bundle(followed, [FINISHED], tmp_path / "first.bundle")
    import_bundle(second, tmp_path / "first.bundle")
    with second.open(FINISHED) as opened:
        opened.attach(OPEN_ITEM, [photo(tmp_path / "b.png", color="yellow")], "李四", rectification=True)
    with followed.open(FINISHED) as opened:
        opened.attach(OPEN_ITEM, [photo(tmp_path / "a.png", color="red")], "张三", rectification=True)
    write_bundle(second, [FINISHED], tmp_path / "b.bundle")
    [merged] = import_bundle(followed, tmp_path / "b.bundle").sessions
    assert merged.conflicts == []
    [row] = [r for r in ledger_of(followed, [FINISHED]).rows if r.item == OPEN_ITEM]
    assert sorted(a.name for a in row.evidence) == ["a.png", "b.png"] and all(Path(a.path).is_file() for a in row.evidence)
