"""The rectifications' digest (core/session/rect_digest.py) and its cache in the index: the folder's
open and overdue rectifications listed without loading and scoring every session, and still right
when a file changes behind the index (another process, a bundle import, a file replaced, a hand
edit, an older build's file)."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.exchange.bundle import load_tables, write_bundle
from inspect_tui.core.exchange.importing import import_bundle
from inspect_tui.core.session import rect_digest
from inspect_tui.core.session import rectification as rect
from inspect_tui.core.session.checks import check_fields, check_meta, check_summary, check_tables, file_id
from inspect_tui.core.session.file import SessionFile
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DurableJSONStorage

from .test_bundle import Clock

DAY = dt.date(2026, 6, 15)
HAND, OTHER = "org.basic.grid_split", "org.basic.grid_branch"
LATE = DAY + dt.timedelta(days=45)  # 15 days past the default deadline (DAY + 30)


@pytest.fixture
def shequ():
    return catalog.find("shequ")


@pytest.fixture
def repo(tmp_path) -> SessionRepository:
    return SessionRepository(tmp_path / "s", Clock())


def start(repo: SessionRepository, shequ, branch: str = "幸福社区第一网格党支部", unit: str = "幸福社区党委") -> str:
    with repo.create(shequ, branch, unit, ["张三"], DAY) as opened:
        opened.set_answer(HAND, "张三", state=State.FAIL, note="网格与楼栋不对应")
        return opened.session.id


def listed_rows(repo: SessionRepository) -> dict[str, list[tuple]]:
    return {x.summary.id: [(r.item, r.status, r.deadline, r.person) for r in x.rectifications] for x in repo.listed()}


def derived_rows(repo: SessionRepository) -> dict[str, list[tuple]]:
    out = {}
    for sid in repo.session_ids():
        with repo.open(sid, write=False) as opened:
            out[sid] = [(r.item, r.status, r.deadline.isoformat(), r.entry.person) for r in opened.rectifications()]
    return out


def raw(repo: SessionRepository, sid: str) -> dict:
    return json.loads(repo.path(sid).read_text(encoding="utf-8"))


def no_loading(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("the listing loaded a session")

    monkeypatch.setattr(SessionFile, "load", refuse)


def test_a_save_keeps_the_digest_and_the_listing_serves_it_without_scoring(repo, shequ, monkeypatch):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="王五"))
        [r] = opened.rectifications()
    meta = raw(repo, sid)["meta"]["1"]
    assert meta[rect_digest.ITEMS] == [[HAND, r.text, r.finding, r.requirement, False]]
    no_loading(monkeypatch)  # the digest matches: nothing is scored, cold index or warm
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "王五")]}
    index = json.loads((repo.folder / "index.json").read_text(encoding="utf-8"))
    assert index["sessions"][sid]["rectifications"][0][2] == "网格与楼栋不对应"
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "王五")]}


def test_overdue_is_read_from_the_deadline_and_today_never_cached(repo, shequ):
    sid = start(repo, shequ)
    [x] = repo.listed()
    [row] = x.rectifications
    assert (row.overdue_days(DAY), row.overdue_days(LATE)) == (0, 15)
    assert rect_digest.counts(x.rectifications, LATE) == (1, 1, 1)
    assert "overdue" not in (repo.folder / "index.json").read_text(encoding="utf-8")
    with repo.open(sid) as opened:  # reported by the deadline: not overdue while awaiting 销号
        opened.set_rectification(HAND, "张三", rect.Request(report="已重新划分网格", report_date="2026-07-10"))
    [x] = repo.listed()
    assert x.rectifications[0].overdue_days(LATE) == 0 and rect_digest.counts(x.rectifications, LATE) == (1, 1, 0)


def test_another_process_editing_the_file_is_seen(repo, shequ):
    sid = start(repo, shequ)
    assert listed_rows(repo)[sid] == [(HAND, "open", "2026-07-15", "")]
    other = SessionRepository(repo.folder)  # another process: its own repository over the folder
    with other.open(sid) as opened:
        opened.set_answer(OTHER, "李四", state=State.FAIL, note="未单独组建")
        opened.set_rectification(HAND, "李四", rect.Request(close=True, by="赵六"))
    assert listed_rows(repo) == derived_rows(repo)
    assert [r[:2] for r in listed_rows(repo)[sid]] == [(HAND, "closed"), (OTHER, "open")]


def test_an_edit_that_keeps_the_old_digest_is_caught_by_its_basis(repo, shequ):
    """A hand edit (or a tool) changes an answer but leaves the digest: the basis no longer
    matches, so the rows are scored from the file, not taken from the stale digest."""
    sid = start(repo, shequ)
    repo.listed()
    data = raw(repo, sid)
    [answer] = [d for d in data["answers"].values() if d["item"] == HAND]
    answer["state"] = "pass"
    answer.pop("note", None)
    repo.path(sid).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert rect_digest.stored_rows(data) is None
    assert listed_rows(repo) == {sid: []} == derived_rows(repo)


def test_a_file_replaced_by_an_older_builds_is_derived_and_cached(repo, shequ, monkeypatch):
    """An older build writes no digest (and its index entries have no rows): scored once, cached."""
    sid = start(repo, shequ)
    repo.listed()
    data = raw(repo, sid)
    for key in (rect_digest.BASIS, rect_digest.ITEMS):
        del data["meta"]["1"][key]
    replacement = repo.path(sid).with_suffix(".new")
    replacement.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(replacement, repo.path(sid))
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "")]}
    index = json.loads((repo.folder / "index.json").read_text(encoding="utf-8"))
    for entry in index["sessions"].values():  # as an older build writes its index
        del entry["rectifications"]
    (repo.folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "")]}
    no_loading(monkeypatch)  # cached now
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "")]}


def test_a_bundle_import_updates_the_listed_rows(tmp_path, shequ):
    a = SessionRepository(tmp_path / "a", Clock())
    b = SessionRepository(tmp_path / "b", Clock())
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    assert listed_rows(b) == {sid: [(HAND, "open", "2026-07-15", "")]}
    with a.open(sid) as opened:
        opened.set_answer(OTHER, "张三", state=State.FAIL, note="未单独组建")
        opened.set_rectification(HAND, "张三", rect.Request(deadline="2026-08-01", person="王五"))
    write_bundle(a, [sid], tmp_path / "second.bundle")
    import_bundle(b, tmp_path / "second.bundle")
    assert listed_rows(b) == derived_rows(b) == {
        sid: [(HAND, "open", "2026-08-01", "王五"), (OTHER, "open", "2026-07-15", "")]}


def test_a_changed_entry_is_read_from_its_table_not_from_the_digest(repo, shequ):
    """What was entered is not in the digest: a table edited behind it shows at once."""
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="王五"))
    data = raw(repo, sid)
    [doc] = data["rectifications"].values()
    doc["person"] = "钱七"
    repo.path(sid).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "钱七")]}


def test_a_damaged_digest_or_index_row_is_not_trusted(repo, shequ):
    sid = start(repo, shequ)
    data = raw(repo, sid)
    data["meta"]["1"][rect_digest.ITEMS] = [[HAND, "\x1b[31m", "", "", False]]  # an escape: not through the gate
    assert rect_digest.stored_rows(data) is None
    repo.listed()
    index = json.loads((repo.folder / "index.json").read_text(encoding="utf-8"))
    index["sessions"][sid]["rectifications"][0][6] = "not a date"
    (repo.folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert listed_rows(repo) == {sid: [(HAND, "open", "2026-07-15", "")]}


def test_a_file_written_by_this_build_passes_the_checks_of_the_build_on_main(repo, shequ):
    """Compatibility: the digest is in the meta record, whose unknown keys main's checks and loader
    ignore; the stored summary (whose unknown fields main quarantines) has no new field."""
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="王五"))
    path = repo.path(sid)
    data = DurableJSONStorage(path, read_only=True).read()
    meta = data["meta"]["1"]
    assert {rect_digest.BASIS, rect_digest.ITEMS} <= set(meta)
    assert check_tables({k: v for k, v in data.items() if not k.startswith("_")}) is None
    check_meta(path, meta)
    check_fields(path, meta, file_id=file_id(path))
    check_summary(path, meta["summary"], sid)
    from inspect_tui.core.session.model import SUMMARY_FIELDS

    assert set(meta["summary"]) <= set(SUMMARY_FIELDS)
    session = load_tables(path, data)  # as a bundle's session is read
    assert session.rectifications[HAND].person == "王五"


# -- the roll-up: 整改率 and 逾期 per unit, in every report format ----------------------------------

def test_rollup_counts_the_rectified_rate_and_overdue_per_unit_in_every_format(repo, shequ):
    import io

    import openpyxl

    from inspect_tui.core.export import report_html, report_json, report_md, report_xlsx
    from inspect_tui.core.session.reader import from_repository

    first = start(repo, shequ, "幸福社区第一网格党支部", "幸福社区党委")
    second = start(repo, shequ, "和平社区第一网格党支部", "和平社区党委")
    with repo.open(first) as opened:
        opened.set_answer(OTHER, "张三", state=State.FAIL, note="未单独组建")
        opened.set_rectification(HAND, "张三", rect.Request(close=True, by="赵六"))
    with repo.open(second) as opened:  # reported by its deadline: open, not overdue
        opened.set_rectification(HAND, "张三", rect.Request(report="已重新划分", report_date="2026-07-01"))
    result = from_repository(repo, today=LATE)
    rows = [(r.unit, r.inspections, r.total, r.closed, r.open, r.overdue, r.rate, r.total_row) for r in result.rectifications]
    assert rows == [("和平社区党委", 1, 1, 0, 1, 0, 0, False), ("幸福社区党委", 1, 2, 1, 1, 1, 50, False),
                    ("", 2, 3, 1, 2, 1, Decimal("33.3"), True)]
    md = report_md.render_rollup(result).decode("utf-8")
    assert "| 幸福社区党委 | 1 | 2 | 1 | 50.0%(1/2) | 1 | 1 |" in md and "| 合计 | 2 | 3 | 1 | 33.3%(1/3) | 2 | 1 |" in md
    assert f"截至 {LATE.isoformat()}" in md
    assert "<td>和平社区党委</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0.0%(0/1)</td>" \
        in report_html.render_rollup(result).decode("utf-8")
    data = json.loads(report_json.render_rollup(result))
    assert data["today"] == LATE.isoformat() and data["rectifications"][1]["rate"] == 50
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx.render_rollup(result)))["整改情况"]
    assert [c.value for c in sheet[3]] == ["幸福社区党委", 1, 2, 1, 50, 1, 1]
    assert from_repository(repo, today=DAY).rectifications[-1].overdue == 0  # counted on the day asked


def test_a_rollup_with_nothing_to_put_right_says_so(repo, shequ):
    from inspect_tui.core.export import report_md
    from inspect_tui.core.session.reader import from_repository

    with repo.create(shequ, "幸福社区第一网格党支部", "幸福社区党委", ["张三"], DAY) as opened:
        opened.set_answer(HAND, "张三", state=State.PASS)
    result = from_repository(repo, today=LATE)
    assert result.rectifications == ()
    assert "所选范围内没有整改事项。" in report_md.render_rollup(result).decode("utf-8")


def test_rectify_list_overdue_is_served_from_the_index(repo, shequ, monkeypatch, capsys):
    """The command itself (in process, so that loading can be refused): the same rows as the
    session's own rectifications, 逾期 counted on --today, no session loaded once the index is built."""
    from inspect_tui.cli.main import main

    first = start(repo, shequ, "幸福社区第一网格党支部", "幸福社区党委")
    second = start(repo, shequ, "和平社区第一网格党支部", "和平社区党委")
    with repo.open(second) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(deadline="2026-09-30"))
    repo.listed()
    no_loading(monkeypatch)
    assert main(["--sessions", str(repo.folder), "rectify", "list", "--overdue", "--today", LATE.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["session"], r["item"], r["overdue_days"], r["finding"]) for r in data["rectifications"]] == [
        (first, HAND, 15, "网格与楼栋不对应")]
    assert main(["--sessions", str(repo.folder), "rectify", "list", "--unit", "和平社区党委", "--today", LATE.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "和平社区第一网格党支部" in out and "2026-09-30" in out and "幸福社区第一网格党支部" not in out
