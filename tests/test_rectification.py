"""Rectifications (整改事项, issue 14): derived from the score, what was entered stored, audited,
kept through close and reopen of the file and a torn journal line, merged between laptops.

The shequ standard: org.basic.grid_split / grid_branch are marked by hand (2 points each),
org.groups.size is computed from `nonconforming_groups` (待定 while it is unknown), team.grid has
no deduction clause (its source was cut off): a failure there is a finding only by its note.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.exchange.bundle import MERGED, write_bundle
from inspect_tui.core.exchange.importing import import_bundle
from inspect_tui.core.export import build_summary, render
from inspect_tui.core.session import rectification as rect
from inspect_tui.core.session.answers import Override
from inspect_tui.core.errors import SessionError
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.store import DamagedFileError, DurableJSONStorage
from inspect_tui.store.journal import journal_path

from .test_bundle import Clock, exchange, only, snapshot
from .test_journal import crash_copy, tear_last_line

DAY = dt.date(2026, 6, 15)
HAND = "org.basic.grid_split"


@pytest.fixture
def shequ():
    return catalog.find("shequ")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def repo(tmp_path, clock) -> SessionRepository:
    return SessionRepository(tmp_path / "s", clock)


def start(repo: SessionRepository, shequ) -> str:
    with repo.create(shequ, "幸福社区第一网格党支部", "幸福社区党委", ["张三"], DAY) as opened:
        opened.set_answer(HAND, "张三", state=State.FAIL, note="网格与楼栋不对应")
        return opened.session.id


def items_of(opened) -> list[str]:
    return [r.item for r in opened.rectifications()]


# -- which rectifications exist: derived from the result ------------------------------------------

def test_a_failed_item_gives_one_with_the_documents_finding_and_the_default_deadline(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        [r] = opened.rectifications()
        assert (r.item, r.finding, r.deducted, r.manual) == (HAND, "网格与楼栋不对应", Decimal(2), False)
        assert r.requirement.startswith("①党组织类型·网格层面:社区网格划分（")
        assert r.deadline == DAY + dt.timedelta(days=30) and r.status == rect.OPEN
        # the notice prints the same finding and deadline as the rectification carries
        [row] = build_summary(opened.session).rectification
        assert (row.id, row.found, row.requirement, row.deadline) == (r.item, r.finding, r.requirement, "2026-07-15")


def test_pending_gives_none_and_deciding_it_gives_one(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        assert opened.result.items["org.groups.size"].state is None  # 待定: the fact is unknown
        assert "org.groups.size" not in items_of(opened)
        with pytest.raises(SessionError, match="没有整改事项"):
            opened.set_rectification("org.groups.size", "张三", rect.Request(person="李书记"))
        opened.set_fact("nonconforming_groups", "1", "张三")
        assert "org.groups.size" in items_of(opened)


def test_an_item_fixed_before_the_notice_has_none_and_its_entry_stays_unshown(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))
        opened.set_answer(HAND, "张三", state=State.PASS)
        assert items_of(opened) == []
        assert build_summary(opened.session).rectification == ()
        assert opened.session.rectifications[HAND].person == "李书记"  # entered, kept, not shown
        opened.set_answer(HAND, "张三", state=State.FAIL)
        [r] = opened.rectifications()
        assert r.entry.person == "李书记"


def test_a_failure_without_deduction_or_finding_gives_none_a_note_or_a_manual_deduction_gives_one(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_answer("team.grid", "张三", state=State.FAIL)  # no clause in the standard, no note
        assert "team.grid" not in items_of(opened)
        opened.set_answer("team.grid", "张三", note="网格员未定期走访")
        assert "team.grid" in items_of(opened)
        opened.set_answer("team.grid", "张三", note=None, override=Override(Decimal(1), "抽查5户均无走访记录"))
        [r] = [r for r in opened.rectifications() if r.item == "team.grid"]
        assert (r.manual, r.finding, r.deducted) == (True, "抽查5户均无走访记录", Decimal(1))


# -- deadlines and 逾期 -----------------------------------------------------------------------------

def test_deadlines_from_the_notice_period_per_item_days_or_an_explicit_date(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_notice("张三", days=20, date="2026-06-20", issuer="中共XX县委组织部")
        [r] = opened.rectifications()
        assert r.deadline == dt.date(2026, 7, 10)
        opened.set_rectification(HAND, "张三", rect.Request(deadline="+5"))
        assert opened.rectifications()[0].deadline == dt.date(2026, 6, 25)
        opened.set_rectification(HAND, "张三", rect.Request(deadline="2026-09-01"))
        assert opened.rectifications()[0].deadline == dt.date(2026, 9, 1)
        for bad, words in (("2026-06-14", "早于检查日期"), ("+x", "YYYY-MM-DD"), ("2026-13-01", "YYYY-MM-DD")):
            with pytest.raises(SessionError, match=words):
                opened.set_rectification(HAND, "张三", rect.Request(deadline=bad))
        notice = build_summary(opened.session).notice
        assert (notice.issuer, notice.date, notice.days, notice.report_by) == ("中共XX县委组织部", "2026-06-20", 20, "2026-09-01")


def test_overdue_is_derived_from_the_deadline_and_today_never_stored(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        [r] = opened.rectifications()  # due 2026-07-15
        assert r.overdue_days(dt.date(2026, 7, 15)) == 0
        assert r.overdue_days(dt.date(2026, 7, 18)) == 3 and r.status_words(dt.date(2026, 7, 18)) == "待整改·逾期"
        opened.set_rectification(HAND, "张三", rect.Request(report="已重新划分网格", report_date="2026-07-20"))
        [late] = opened.rectifications()
        assert late.overdue_days(dt.date(2026, 7, 21)) == 6  # reported after the deadline: still overdue
        opened.set_rectification(HAND, "张三", rect.Request(report_date="2026-07-10"))
        [on_time] = opened.rectifications()
        assert on_time.overdue_days(dt.date(2026, 8, 1)) == 0  # reported in time, awaiting verification
        opened.set_rectification(HAND, "张三", rect.Request(close=True, by="王五"))
        assert opened.rectifications()[0].overdue_days(dt.date(2030, 1, 1)) == 0
    stored = DurableJSONStorage(repo.path(sid), read_only=True).read()
    assert "overdue" not in json.dumps(stored) and "逾期" not in json.dumps(stored, ensure_ascii=False)


# -- statuses, the audit trail, the file -----------------------------------------------------------

def test_report_close_reopen_each_audited_and_kept_through_close_and_reopen_of_the_file(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.finish("张三", force=True)  # the notice is issued after finishing: still editable
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记", deadline="+10"))
        opened.set_rectification(HAND, "李书记", rect.Request(report="已按楼栋重新划分", report_date="2026-06-20"))
        opened.set_rectification(HAND, "张三", rect.Request(close=True, by="王五", note="现场核实"))
    with repo.open(sid) as opened:
        entry = opened.session.rectifications[HAND]
        assert (entry.status, entry.closed_by, entry.close_note, entry.report) == ("closed", "王五", "现场核实", "已按楼栋重新划分")
        with pytest.raises(SessionError, match="已经销号"):
            opened.set_rectification(HAND, "张三", rect.Request(close=True, by="王五"))
        opened.set_rectification(HAND, "张三", rect.Request(reopen=True, reason="复查发现仍未对应"))
    with repo.open(sid, write=False) as opened:
        entry = opened.session.rectifications[HAND]
        assert (entry.status, entry.closed_by, entry.reopen_reason) == ("open", "", "复查发现仍未对应")
        trail = [(e.inspector, e.field, e.old, e.new) for e in opened.audit() if e.field.startswith("rectification.")]
    field = f"rectification.{HAND}."
    assert (("张三", field + "person", None, "李书记") in trail and ("张三", field + "days", None, 10) in trail)
    assert ("李书记", field + "status", None, "reported") in trail
    assert ("张三", field + "status", "reported", "closed") in trail and ("张三", field + "closed_by", None, "王五") in trail
    assert ("张三", field + "status", "closed", None) in trail
    assert ("张三", field + "reopen_reason", None, "复查发现仍未对应") in trail


def test_bad_requests_are_one_line_each(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        cases = [
            (rect.Request(close=True), "--by"),
            (rect.Request(reopen=True, reason="x"), "尚未销号"),
            (rect.Request(note="x"), "--note"),
            (rect.Request(person="李\x1b[31m书记"), "person"),
            (rect.Request(report="   "), "不能为空"),
            (rect.Request(report="ok", report_date="2026-06-01"), "早于检查日期"),
        ]
        for request, words in cases:
            with pytest.raises(SessionError, match=words) as caught:
                opened.set_rectification(HAND, "张三", request)
            assert "\n" not in str(caught.value)
        with pytest.raises(SessionError, match="没有这个检查项"):
            opened.set_rectification("no.such", "张三", rect.Request(person="x"))
        assert opened.session.rectifications == {}


def test_a_torn_journal_line_drops_only_the_unacknowledged_save(repo, shequ, tmp_path):
    sid = start(repo, shequ)
    opened = repo.open(sid)
    opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))
    opened.set_rectification(HAND, "张三", rect.Request(report="已整改"))
    copy = crash_copy(repo, sid, tmp_path / "crash")
    opened.close()
    tear_last_line(journal_path(copy.path(sid)))
    with copy.open(sid, write=False) as again:
        entry = again.session.rectifications[HAND]
        assert (entry.person, entry.report, entry.status) == ("李书记", "", "open")
    assert not copy.problems


def _tamper(repo, sid, change):
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))
    path = repo.path(sid)
    data = DurableJSONStorage(path).read()
    change(data)
    DurableJSONStorage(path).write(data)


@pytest.mark.parametrize("change", [
    lambda d: d["rectifications"]["1"].update(status="done"),
    lambda d: d["rectifications"]["1"].update(days=-1),
    lambda d: d["rectifications"]["1"].update(person="a\u202eb"),
    lambda d: d["rectifications"]["1"].update(item="no.such.item"),
    lambda d: d["rectifications"]["1"].update(when="later"),
    lambda d: d["rectifications"]["1"].pop("item"),
    lambda d: d["meta"]["1"].update(notice_days="30"),
])
def test_a_damaged_rectification_record_makes_the_file_damaged(repo, shequ, change):
    sid = start(repo, shequ)
    _tamper(repo, sid, change)
    with pytest.raises(DamagedFileError) as caught:
        from inspect_tui.core.session.file import SessionFile

        file = SessionFile(repo.path(sid), read_only=True)
        try:
            file.load()
        finally:
            file.close()
    assert "\n" not in str(caught.value)


def test_an_old_file_without_the_table_or_the_notice_fields_loads_with_the_defaults(repo, shequ):
    sid = start(repo, shequ)
    path = repo.path(sid)
    data = DurableJSONStorage(path).read()
    for name in ("notice_days", "notice_date", "issuer"):
        data["meta"]["1"].pop(name)
    data.pop("rectifications", None)
    DurableJSONStorage(path).write(data)
    with repo.open(sid) as opened:
        assert (opened.session.notice_days, opened.session.issuer, opened.session.rectifications) == (30, "", {})
        assert items_of(opened) == [HAND]
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))
    with repo.open(sid, write=False) as opened:
        assert opened.session.rectifications[HAND].person == "李书记"


# -- two laptops -------------------------------------------------------------------------------------

@pytest.fixture
def laptops(tmp_path, clock):
    return SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)


def test_disjoint_edits_on_two_laptops_are_both_kept(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with a.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))
    with b.open(sid) as opened:
        opened.set_rectification(HAND, "李四", rect.Request(report="已整改", report_date="2026-06-30"))
        opened.set_notice("李四", issuer="中共XX县委组织部")
    to_b, to_a = exchange(a, b, tmp_path)
    assert only(to_a).kind == MERGED and only(to_b).kind == MERGED
    # one record, different fields from each side: both kept, and listed for review (rule 5)
    for outcome, mine in ((only(to_a), {"person": "李书记"}), (only(to_b), {"report": "已整改"})):
        [conflict] = outcome.conflicts
        assert (conflict.kind, conflict.item) == ("item", f"rectification.{HAND}")
        assert mine.items() <= conflict.local.value.items()
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            entry = opened.session.rectifications[HAND]
            assert (entry.person, entry.report, entry.status) == ("李书记", "已整改", "reported")
            assert opened.session.issuer == "中共XX县委组织部"
    assert snapshot(a) == snapshot(b)


def test_conflicting_edits_the_later_wins_and_the_conflict_is_listed_on_both_sides(laptops, shequ, tmp_path):
    a, b = laptops
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with a.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(person="李书记"))  # earlier
    with b.open(sid) as opened:
        opened.set_rectification(HAND, "李四", rect.Request(person="赵委员"))  # later
    to_b, to_a = exchange(a, b, tmp_path)
    field = f"rectification.{HAND}.person"
    for outcome, winner in ((only(to_a), "bundle"), (only(to_b), "local")):
        [conflict] = outcome.conflicts
        assert (conflict.field, conflict.winner, conflict.kept.value, conflict.lost.value) == (field, winner, "赵委员", "李书记")
    for repo in (a, b):
        with repo.open(sid, write=False) as opened:
            assert opened.session.rectifications[HAND].person == "赵委员"
            assert ("张三", field, "李书记") in [(e.inspector, e.field, e.new) for e in opened.audit()]  # nothing lost
    assert snapshot(a) == snapshot(b)


def test_the_notice_renders_every_deadline_and_the_issuer_in_each_format(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.set_rectification(HAND, "张三", rect.Request(deadline="2026-08-30"))
        opened.set_notice("张三", issuer="中共XX县委组织部")
        summary = build_summary(opened.session)
    md = render(summary, "md", "rectification").decode()
    assert "整改期限: 2026-08-30" in md and "2026年8月30日前书面报告中共XX县委组织部" in md
    html = render(summary, "html", "rectification").decode()
    assert "2026年8月30日" in html and "中共XX县委组织部" in html and "　　　　年　　月　　日前" not in html


def test_check_rectifiable_refuses_a_read_only_copy_and_takes_a_finished_session(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.finish("张三", force=True)
        opened.check_rectifiable()  # the notice is issued on finishing: following it up goes on
        with repo.open(sid) as second:  # the lock is held: this copy is read-only
            with pytest.raises(SessionError) as refused:
                second.check_rectifiable()
            assert refused.value.key.startswith("err.session.read_only")
