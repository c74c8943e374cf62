"""Verdicts that wait for their facts, and meetings checked period by period (issue 10).

Each case is stated in the seed's own words: a clause that applies only to some branches is not
charged before the facts say the branch is one; “每月至少召开一次支委会” is checked month by month;
“一年组织召开1-2次组织生活会” has two bounds; 班子配备's three clauses add up, capped at 6.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspect_tui.core.session.answers import Answer
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.checklist.records import parse_dates
from inspect_tui.core.analysis.scoring import score

from .conftest import CHECKLISTS
from .test_shequ_acceptance import GOOD

DAY = dt.date(2026, 11, 27)


def _facts(values: dict) -> dict:
    return {k: Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}


@pytest.fixture(scope="module")
def shequ():
    return load_checklist(CHECKLISTS / "shequ.yaml")


@pytest.fixture(scope="module")
def tunji():
    return load_checklist(CHECKLISTS / "tunji.yaml")


@pytest.fixture(scope="module")
def gongxing():
    return load_checklist(CHECKLISTS / "gongxing.yaml")


# ---- unknown stays unknown


def test_blank_election_facts_leave_the_term_clauses_pending_on_shequ(shequ):
    facts = {k: v for k, v in GOOD.items() if k not in ("elected_this_year", "term_end")}
    facts |= {"approval_requested": False, "reminder_received": False, "preparation_started": False}
    result = score(shequ, _facts(facts), {}, DAY)
    for item_id, waits_for in (("team.term.approval", "elected_this_year"), ("team.term.reminder", "term_end"),
                               ("team.term.on_time", "term_end")):
        item = result.items[item_id]
        assert item.state is None, item_id
        assert item.deducted == 0 and not item.reasons, item_id
        assert waits_for in item.pending, item_id
    assert result.items["team.term"].deducted == 0
    assert result.items["team.term"].state is None


def test_blank_member_count_leaves_the_small_branch_rule_pending_on_gongxing(gongxing):
    result = score(gongxing, {"has_committee": True}, {}, DAY)
    item = result.items["team.leaders.small"]
    assert item.state is None and item.deducted == 0
    assert "full_members" in item.pending


def test_a_pending_parent_lists_its_facts_on_every_descendant(tunji):
    """tunji: archive.floating applies only with floating members; with that blank, every check
    below it waits for floating_members, even one the inspector marked."""
    answers = {"archive.floating.ledger": Answer(state=State.FAIL)}
    result = score(tunji, {}, answers, DAY)
    for child in tunji.item("archive.floating").walk():
        item = result.items[child.id]
        assert item.state is None, child.id
        assert "floating_members" in item.pending, child.id
    assert result.counts["fail"] == 0


def test_no_committee_entered_leaves_the_committee_meeting_check_pending_on_tunji(tunji):
    dates = parse_dates("2026-01-05 2026-02-05")
    result = score(tunji, {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 10, 31),
                           "committee_dates": dates}, {}, DAY)
    item = result.items["sys.meetings.committee"]
    assert item.state is None and "has_committee" in item.pending


def test_a_marked_na_needs_no_fact(tunji):
    result = score(tunji, {}, {"venue.furniture.shelf": Answer(state=State.NA)}, DAY)
    assert result.items["venue.furniture.shelf"].state is State.NA


# ---- 班子配备, three clauses side by side, capped at 6


def test_committee_without_secretary_or_organiser_loses_6(shequ):
    result = score(shequ, _facts({**GOOD, "has_secretary": False, "has_organizer": False}), {}, DAY)
    grid = result.items["team.leaders.grid"]
    assert sorted(r.clause for r in grid.reasons) == ["未配备书记,扣4分", "组织委员、宣传委员、纪检委员,每缺一职扣2分"]
    assert grid.deducted == 6
    assert result.items["team.leaders"].deducted == 6


def test_no_committee_with_8_members_loses_6_and_nothing_more(shequ):
    result = score(shequ, _facts({**GOOD, "branch_full_members": 8, "has_committee": False,
                                   "has_organizer": False, "has_propagandist": False,
                                   "has_discipline": False}), {}, DAY)
    grid = result.items["team.leaders.grid"]
    assert [r.clause for r in grid.reasons] == ["未设立支委会,扣6分"]
    assert result.items["team.leaders"].deducted == 6


def test_no_committee_and_no_secretary_stays_at_the_cap(shequ):
    result = score(shequ, _facts({**GOOD, "branch_full_members": 8, "has_committee": False,
                                   "has_secretary": False}), {}, DAY)
    assert result.items["team.leaders"].deducted == 6
    assert result.items["team.leaders"].capped


def test_a_fired_fact_rule_says_what_was_found(shequ):
    result = score(shequ, _facts({**GOOD, "term_end": dt.date(2026, 3, 15)}), {}, DAY)
    (reason,) = result.items["team.term.on_time"].reasons
    assert "2026-03-15" in reason.finding and "2026-11-27" in reason.finding


# ---- meetings, period by period


def _tunji_facts(**records: str) -> dict:
    facts = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31), "has_committee": True,
             "party_groups": Decimal(2), "weak_members": Decimal(0), "floating_members": Decimal(0)}
    return facts | {k: parse_dates(v) for k, v in records.items()}


def test_twelve_committee_meetings_in_six_months_fail_each_month_naming_july_to_december(tunji):
    first_half = " ".join(f"2026-{m:02d}-{d:02d}" for m in range(1, 7) for d in (5, 20))
    result = score(tunji, _tunji_facts(committee_dates=first_half), {}, DAY)
    item = result.items["sys.meetings.committee"]
    assert item.state is State.FAIL
    (reason,) = item.reasons
    assert "2026年7月—12月" in reason.finding and "支委会" in reason.finding


def test_missing_months_are_named_one_by_one(tunji):
    months = " ".join(f"2026-{m:02d}-10" for m in (1, 2, 4, 6, 7, 8, 9, 10, 11, 12))
    result = score(tunji, _tunji_facts(committee_dates=months), {}, DAY)
    (reason,) = result.items["sys.meetings.committee"].reasons
    assert reason.finding.startswith("2026年3月、5月无")


def test_three_organisational_life_meetings_in_a_year_fail_one_to_two(tunji):
    result = score(tunji, _tunji_facts(org_life_dates="2026-03-01 2026-07-01 2026-12-01"), {}, DAY)
    item = result.items["sys.meetings.org_life.count"]
    assert item.state is State.FAIL
    assert "3 次" in item.reasons[0].finding and "1-2次" in item.reasons[0].finding


def test_one_organisational_life_meeting_in_a_year_passes(tunji):
    result = score(tunji, _tunji_facts(org_life_dates="2026-12-01"), {}, DAY)
    assert result.items["sys.meetings.org_life.count"].state is State.PASS


def test_a_year_not_yet_over_cannot_fail_for_too_few(tunji):
    facts = _tunji_facts(org_life_dates="") | {"period_end": dt.date(2026, 11, 27)}
    result = score(tunji, facts, {}, DAY)
    item = result.items["sys.meetings.org_life.count"]
    assert item.state is State.NA and item.findings and "不含完整" in item.findings[0]


def test_a_total_only_compares_totals_and_says_so(tunji):
    result = score(tunji, _tunji_facts(committee_dates="共10次"), {}, DAY)
    item = result.items["sys.meetings.committee"]
    assert item.state is State.FAIL
    assert "只能比较总数" in item.reasons[0].finding


def test_the_party_day_must_fall_on_the_8th(tunji):
    dates = " ".join(f"2026-{m:02d}-08" for m in range(1, 13)).replace("2026-05-08", "2026-05-09")
    result = score(tunji, _tunji_facts(party_day_dates=dates), {}, DAY)
    assert result.items["sys.party_day.monthly"].state is State.PASS
    day = result.items["sys.party_day.date"]
    assert day.state is State.FAIL and "2026年5月无8日的" in day.reasons[0].finding


def test_floating_contacts_are_four_a_year_not_rescaled(tunji):
    facts = _tunji_facts(floating_contact_dates="2026-02-01 2026-05-01 2026-08-01") | {"floating_members": Decimal(1)}
    result = score(tunji, facts, {}, DAY)
    item = result.items["archive.floating.frequency"]
    assert item.state is State.FAIL and "不足4次" in item.reasons[0].finding


@pytest.mark.parametrize("text, expected", [
    ("2026-01-05, 2026-02-03", ["2026-01-05", "2026-02-03"]),
    ("20260105\n2026.2.3", ["2026-01-05", "2026-02-03"]),
    ("2026年3月5日、2026年4月", ["2026-03-05", "2026-04"]),
    ("202605", ["2026-05"]),
])
def test_dates_are_typed_the_ways_a_clerk_writes_them(text, expected):
    assert parse_dates(text).to_json() == expected


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13", "yesterday", "1e99999999", "2026-1-1-1"])
def test_bad_dates_are_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        parse_dates(text)
