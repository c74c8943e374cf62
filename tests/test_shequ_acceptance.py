"""The 城市社区 sheet scored from the seed's own words (issue 2, "Done when").

Each case states the facts in the sheet's terms and checks the deduction the clause prescribes,
at the level the sheet scores it (基本设置 8分, 党小组划分 4分, 班子配备 6分, 班子任期及换届 6分).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspect_tui.core.session.answers import Answer
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.analysis.scoring import score

from .conftest import CHECKLISTS

DAY = dt.date(2024, 6, 1)

# A branch in good order: nothing in these facts costs a point.
GOOD = {
    "org_type": "党总支", "full_members": 60, "households": 1200, "grids": 6, "grids_with_3": 4,
    "grid_branches": 4, "grid_branches_single": 4, "grid_branches_joint": 0, "multi_grid": True,
    "groups_by_building": True, "party_groups": 5, "nonconforming_groups": 0,
    "secretary_filed": True, "has_secretary": True, "branch_full_members": 9, "has_committee": True,
    "committee_members": 5, "has_organizer": True, "has_propagandist": True, "has_discipline": True,
    "last_election": dt.date(2022, 3, 1), "term_end": dt.date(2027, 3, 1), "elected_this_year": False,
    "regular_visits": True,
}


@pytest.fixture(scope="module")
def shequ():
    return load_checklist(CHECKLISTS / "shequ.yaml")


def run(shequ, **changes):
    facts = {**GOOD, **changes}
    for fact_id, value in facts.items():
        if isinstance(value, int) and not isinstance(value, bool):
            facts[fact_id] = Decimal(value)
    return score(shequ, facts, {}, DAY)


def test_the_good_branch_loses_nothing(shequ):
    result = run(shequ)
    assert result.deducted == 0
    assert result.items["org.basic.community"].state is State.PASS


def test_60_members_with_only_a_branch_costs_4_of_basic_setup(shequ):
    result = run(shequ, full_members=60, org_type="党支部")
    assert result.items["org.basic"].deducted == 4
    assert result.items["org.basic"].score == 4
    reason = result.items["org.basic.community"].reasons[0]
    assert reason.clause == "正式党员超过50人未成立党总支的,扣4分"
    assert result.items["org"].deducted == 4


def test_over_100_without_a_committee_costs_4_not_8(shequ):
    result = run(shequ, full_members=120, org_type="党支部")
    assert result.items["org.basic.community"].deducted == 4
    assert result.items["org.basic.community"].reasons[0].clause == "超过100人未成立党委的,扣4分"


def test_one_nonconforming_group_costs_2(shequ):
    result = run(shequ, nonconforming_groups=1)
    assert result.items["org.groups"].deducted == 2
    assert result.items["org.groups.size"].reasons[0].detail == "1 × 2 = 2"


def test_three_nonconforming_groups_cost_the_whole_4_and_no_more(shequ):
    result = run(shequ, nonconforming_groups=3)
    groups = result.items["org.groups"]
    assert groups.deducted == 4
    assert groups.score == 0
    assert groups.capped
    assert result.items["org"].deducted == 4
    assert result.deducted == 4


def test_seven_members_and_no_committee_costs_6(shequ):
    result = run(shequ, branch_full_members=7, has_committee=False)
    assert result.items["team.leaders"].deducted == 6
    assert result.items["team.leaders.grid"].reasons[0].clause == "未设立支委会,扣6分"


def test_six_members_need_no_committee(shequ):
    result = run(shequ, branch_full_members=6, has_committee=False)
    assert result.items["team.leaders"].deducted == 0


def test_two_of_three_committee_roles_missing_cost_4(shequ):
    result = run(shequ, has_organizer=False, has_discipline=False)
    assert result.items["team.leaders"].deducted == 4
    assert result.items["team.leaders.grid"].reasons[0].detail == "2 × 2 = 4"


def test_expired_term_without_election_costs_6(shequ):
    result = run(shequ, last_election=dt.date(2019, 3, 1), term_end=dt.date(2024, 3, 1))
    assert result.items["team.term"].deducted == 6
    assert result.items["team.term.on_time"].reasons[0].clause == "任期届满未按时换届的,扣6分"


def test_term_ending_within_six_months_warns_and_checks_the_reminder(shequ):
    result = run(shequ, term_end=dt.date(2024, 9, 30), reminder_received=False, preparation_started=True)
    reminder = result.items["team.term.reminder"]
    assert reminder.state is State.FAIL and reminder.deducted == 2
    assert any(item == "team.term.reminder" for item, _ in result.warnings)


def test_term_ending_later_makes_the_reminder_not_applicable(shequ):
    result = run(shequ, term_end=dt.date(2026, 1, 1))
    assert result.items["team.term.reminder"].state is State.NA


def test_missing_facts_leave_computed_items_unanswered(shequ):
    result = score(shequ, {}, {}, DAY)
    community = result.items["org.basic.community"]
    assert community.state is None
    assert set(community.pending) == {"full_members", "org_type"} or "full_members" in community.pending
    assert result.deducted == 0


def test_manual_items_and_overrides_on_the_sheet(shequ):
    answers = {
        "org.basic.grid_split": Answer(state=State.FAIL),
        "team.grid": Answer(state=State.FAIL),
    }
    result = score(shequ, {k: (Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in GOOD.items()}, answers, DAY)
    assert result.items["org.basic"].deducted == 2
    # 网格队伍建设's clause is cut off in the seed: failing it costs nothing until the inspector says how much.
    assert result.items["team.grid"].deducted == 0
    from inspect_tui.core.session.answers import Override

    answers["team.grid"] = Answer(state=State.FAIL, override=Override(Decimal(3), "未定期走访"))
    result = score(shequ, {k: (Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in GOOD.items()}, answers, DAY)
    assert result.items["team.grid"].deducted == 3


def test_the_truncated_section_scores_only_what_was_transcribed(shequ):
    result = run(shequ)
    team = result.items["team"]
    assert team.max == 16  # 6 + 6 + 4 transcribed of the sheet's 36
    assert shequ.item("team").points == 36
    assert result.max == 12 + 16
