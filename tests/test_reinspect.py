"""A re-inspection closes the loop (issue 14, part 4): it carries the open rectifications of the
inspection it follows, finds each one put right, still failing or not yet re-checked, and a
confirmation closes the earlier session's rectification (已销号, "复查确认 <date>") — audited on both
sides, refused with one line and nothing written when the earlier session cannot be written;
the carried records and the confirmations travel in bundles and merges."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from inspect_tui.core.analysis.compare import compare
from inspect_tui.core.analysis.reinspection import CONFIRMED, PENDING, STILL_OPEN, TO_CONFIRM, outcomes
from inspect_tui.core.checklist import catalog
from inspect_tui.core.checklist.model import State
from inspect_tui.core.errors import SessionError
from inspect_tui.core.exchange.bundle import write_bundle
from inspect_tui.core.exchange.importing import import_bundle
from inspect_tui.core.session.rectification import CLOSED, Request
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.i18n import say

from .conftest import REPO, owner_only, run_cli
from .test_bundle import Clock

DAY = dt.date(2026, 6, 15)
FIXED, STILL, UNSEEN, DONE = "org.basic.grid_split", "org.groups.principle", "team.grid", "org.basic.grid_branch"


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "a", Clock())


def first_inspection(repo: SessionRepository) -> str:
    """Four items failed with a finding; the notice issued; one reported, one already closed."""
    with repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区党委", ["张三"], DAY) as opened:
        for item, note in ((FIXED, "网格与楼栋不对应"), (STILL, "党小组未按楼栋设立"), (UNSEEN, "网格无党支部"),
                           (DONE, "联合组建")):
            opened.set_answer(item, "张三", state=State.FAIL, note=note)
        opened.finish("张三", force=True, notice_days=30)
        opened.set_rectification(FIXED, "张三", Request(person="李书记", report="已重新划分网格", report_date="2026-07-01"))
        opened.set_rectification(DONE, "张三", Request(close=True, by="张三", note="现场核实"))
        return opened.session.id


def reinspection(repo: SessionRepository, old: str) -> str:
    with repo.reinspect(old, catalog.find("shequ"), ["王五"], dt.date(2026, 8, 1)) as opened:
        opened.set_answer(FIXED, "王五", state=State.PASS)
        opened.set_answer(STILL, "王五", state=State.FAIL, note="仍未按楼栋设立")
        return opened.session.id


def test_the_open_rectifications_are_carried_frozen(repo):
    old = first_inspection(repo)
    new = reinspection(repo, old)
    with repo.open(old) as earlier:  # a later edit of the earlier session does not rewrite the promise
        earlier.set_rectification(STILL, "张三", Request(person="赵六"))
    with repo.open(new, write=False) as opened:
        carried = {c.item: c for c in opened.session.carried}
        assert list(carried) == [FIXED, STILL, UNSEEN]  # the closed one is not carried
        assert (carried[FIXED].person, carried[FIXED].report, carried[FIXED].status) == ("李书记", "已重新划分网格", "reported")
        assert carried[FIXED].deadline == "2026-07-15" and carried[FIXED].finding == "网格与楼栋不对应"
        assert carried[STILL].person == ""
        found = {o.item: o.outcome for o in outcomes(opened.session)}
        assert found == {FIXED: TO_CONFIRM, STILL: STILL_OPEN, UNSEEN: PENDING}


def test_confirming_closes_the_earlier_rectification_audited_on_both_sides(repo):
    old = first_inspection(repo)
    new = reinspection(repo, old)
    with repo.open(new) as opened:
        done = opened.confirm_carried(FIXED, "王五")
        assert (done.by, done.at) == ("王五", "2026-11-27")
    with repo.open(old, write=False) as earlier:
        entry = earlier.session.rectifications[FIXED]
        assert (entry.status, entry.closed_by, entry.close_note, entry.report) == (CLOSED, "王五", "复查确认 2026-11-27",
                                                                                    "已重新划分网格")
        assert any(e.field == f"rectification.{FIXED}.status" and e.new == CLOSED and e.inspector == "王五"
                   for e in earlier.audit())
    with repo.open(new, write=False) as opened:  # stored: read back from the file
        assert opened.session.confirmed[FIXED].by == "王五"
        assert any(e.field == f"confirmed.{FIXED}" for e in opened.audit())
        c = compare(repo.open(old, write=False).session, opened.session)
        assert c.carried_counts == {CONFIRMED: 1, TO_CONFIRM: 0, STILL_OPEN: 1, PENDING: 1}


@pytest.mark.parametrize("item, words", [
    (STILL, "仍未整改"), (UNSEEN, "待复查"), (DONE, "不是上次检查留下的整改事项"), ("no.such", "不是上次"),
])
def test_confirming_what_is_not_put_right_is_refused(repo, item, words):
    new = reinspection(repo, first_inspection(repo))
    with repo.open(new) as opened, pytest.raises(SessionError) as refused:
        opened.confirm_carried(item, "王五")
    assert words in say(refused.value)


def test_a_locked_earlier_session_refuses_with_one_line_and_nothing_is_written(repo):
    old = first_inspection(repo)
    new = reinspection(repo, old)
    other = SessionRepository(repo.folder)
    holder = other.open(old, owner="李四")  # someone else has the earlier inspection open
    try:
        with repo.open(new) as opened:
            trail = len(opened.audit())
            with pytest.raises(SessionError) as refused:
                opened.confirm_carried(FIXED, "王五")
            line = say(refused.value)
            assert "上次检查" in line and "未作任何修改" in line and "李四" in line and "\n" not in line
            assert opened.session.confirmed == {} and len(opened.audit()) == trail
    finally:
        holder.close()
    with repo.open(old, write=False) as earlier:
        assert earlier.session.rectifications[FIXED].status != CLOSED
    with repo.open(new, write=False) as opened:
        assert opened.session.confirmed == {}


def test_carried_and_confirmed_travel_in_bundles_and_merge(repo, tmp_path):
    old = first_inspection(repo)
    new = reinspection(repo, old)
    laptop = SessionRepository(tmp_path / "b", repo.clock)
    write_bundle(repo, [old, new], tmp_path / "one.bundle")
    import_bundle(laptop, tmp_path / "one.bundle")
    with laptop.open(new) as there:  # confirmed on the other laptop, then brought back
        assert [c.item for c in there.session.carried] == [FIXED, STILL, UNSEEN]
        there.confirm_carried(FIXED, "王五")
    write_bundle(laptop, [old, new], tmp_path / "two.bundle")
    report = import_bundle(repo, tmp_path / "two.bundle")
    assert {s.id: s.kind for s in report.sessions} == {old: "merged", new: "merged"}  # both changed there
    with repo.open(new, write=False) as opened, repo.open(old, write=False) as earlier:
        assert opened.session.confirmed[FIXED].by == "王五"
        assert [c.item for c in opened.session.carried] == [FIXED, STILL, UNSEEN]
        assert earlier.session.rectifications[FIXED].status == CLOSED


def test_sessions_of_older_builds_carry_nothing():
    samples = SessionRepository(REPO / "sessions")
    with samples.open("e2e78c3278d4", write=False) as opened:  # a re-inspection made before carrying
        assert opened.session.carried == () and outcomes(opened.session) == ()
        assert compare(samples.open("c567b521c9b4", write=False).session, opened.session).carried == ()


# -- the whole loop through the command line ----------------------------------------------------------

@pytest.mark.slow
def test_the_loop_through_the_cli(tmp_path):
    (tmp_path / "sessions").mkdir()
    folder = owner_only(tmp_path / "sessions")

    def cli(*args: str):
        done = run_cli("--sessions", str(folder), *args)
        return done

    created = cli("new", "--checklist", "shequ", "--branch", "幸福社区第一网格党支部", "--inspector", "张三",
                  "--date", "2026-06-15")
    assert created.returncode == 0, created.stderr
    old = created.stdout.split()[0]
    for item in (FIXED, STILL):
        assert cli("mark", old, item, "fail", "--note", "检查发现的问题").returncode == 0
    done = cli("finish", old, "--force", "--notice-days", "30", "--issuer", "中共XX县委组织部",
               "--inspectors", "张三", "--received-by", "李书记")
    assert done.returncode == 0, done.stderr
    assert cli("rectify", old, FIXED, "--person", "李书记", "--report", "已整改", "--report-date", "2026-07-01").returncode == 0
    made = cli("reinspect", old, "--inspector", "王五", "--date", "2026-08-01")
    assert made.returncode == 0, made.stderr
    new = made.stdout.split()[0]
    assert cli("mark", new, FIXED, "pass").returncode == 0
    assert cli("mark", new, STILL, "fail").returncode == 0
    confirmed = cli("rectify", new, FIXED, "--confirm", "--inspector", "王五")
    assert confirmed.returncode == 0, confirmed.stderr
    assert f"已在上次检查 {old} 中销号" in confirmed.stdout
    rows = {r["item"]: r for r in json.loads(cli("rectify", old, "--json").stdout)["rectifications"]}
    today = dt.date.today().isoformat()
    assert (rows[FIXED]["status"], rows[FIXED]["closed_by"], rows[FIXED]["close_note"]) == ("closed", "王五", f"复查确认 {today}")
    assert rows[STILL]["status"] == "open"
    refused = cli("rectify", new, STILL, "--confirm")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1 and "仍未整改" in refused.stderr
    assert "Traceback" not in refused.stderr
    text = cli("diff", old, new)
    assert text.returncode == 0, text.stderr
    assert "上次整改事项 2 项: 整改到位 1(已销号 1,待确认销号 0) · 仍未整改 1 · 待复查 0" in text.stdout
    data = json.loads(cli("diff", old, new, "--json").stdout)
    assert data["carried_counts"] == {"confirmed": 1, "to_confirm": 0, "still_open": 1, "pending": 0}
    assert [(o["carried"]["item"], o["outcome"]) for o in data["carried"]] == [(FIXED, "confirmed"), (STILL, "still_open")]
    english = run_cli("--lang", "en", "--sessions", str(folder), "diff", old, new)
    assert "still not put right 1" in english.stdout


@pytest.mark.slow
@pytest.mark.parametrize("args, words", [
    (["list", "--confirm"], "--confirm"),
    (["c567b521c9b4", "--confirm"], "--confirm"),
    (["c567b521c9b4", "org.basic.grid_branch", "--confirm", "--person", "x"], "--confirm"),
    (["c567b521c9b4", "org.basic.grid_branch", "--confirm"], "不是上次检查留下的整改事项"),
])
def test_confirm_bad_input_is_one_line_and_exit_2(tmp_path, args, words):
    folder = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", folder)
    done = run_cli("--sessions", str(owner_only(folder)), "rectify", *args)
    lines = [line for line in done.stderr.splitlines() if "仅本人可读写" not in line]
    assert done.returncode == 2 and len(lines) == 1 and words in lines[0] and "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_comparison_documents_list_the_outcomes(repo, fmt):
    from importlib import import_module

    old = first_inspection(repo)
    new = reinspection(repo, old)
    with repo.open(old, write=False) as a, repo.open(new, write=False) as b:
        c = compare(a.session, b.session)
    module = import_module(f"inspect_tui.core.export.report_{fmt}")
    text = module.render_comparison(c).decode("utf-8")
    assert "上次整改事项复查" in text and "上次整改事项 3 项: 整改到位 1(已销号 0,待确认销号 1) · 仍未整改 1 · 待复查 1" in text
    assert "党小组未按楼栋设立" in text and "2026-07-15 · 李书记" in text and "2026-07-01 已重新划分网格" in text
    english = module.render_comparison(c, "en").decode("utf-8")
    assert "still not put right 1" in english and "上次整改事项" not in english


def test_the_rollup_counts_still_open_apart(repo):
    from inspect_tui.core.analysis.rollup import rollup
    from inspect_tui.core.export import report_md

    old = first_inspection(repo)
    new = reinspection(repo, old)
    loaded = []
    for sid in (old, new):
        with repo.open(sid, write=False) as opened:
            loaded.append(opened.session)
    result = rollup(loaded)
    [group] = result.groups
    assert (group.carried, group.still_open) == (3, 1)  # the branch's latest inspection: the re-inspection
    assert "复查上次整改事项 3 项,其中仍未整改 1 项" in report_md.rollup_markdown(result)
    [alone] = rollup(loaded[:1]).groups  # the first inspection carries nothing: nothing said
    assert (alone.carried, alone.still_open) == (0, 0) and "仍未整改" not in report_md.rollup_markdown(rollup(loaded[:1]))
