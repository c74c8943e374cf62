"""A comparison's listed changes add up to its score change: every sample pair, and any answers."""

from __future__ import annotations

import itertools
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.session.answers import Answer
from inspect_tui.core.analysis.compare import compare
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.analysis.score_changes import BONUS_CAP, CAP, ITEM, score_changes, total_change
from inspect_tui.core.analysis.score_line import score_line

from .conftest import REPO
from .test_scoring_props import DAY, PROPS, answer_for, cases, fact_values, score


def added_up(c) -> Decimal:
    return sum((line.points for line in c.changes), Decimal(0))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("samples") / "sessions"
    shutil.copytree(REPO / "sessions", target)
    repo = SessionRepository(target)
    loaded = []
    for summary in repo.list():
        with repo.open(summary.id, write=False) as opened:
            loaded.append(opened.session)
    return loaded


def test_every_pair_of_sample_sessions_of_one_checklist_adds_up(samples):
    pairs = [(a, b) for a, b in itertools.permutations(samples, 2) if a.checklist_id == b.checklist_id]
    assert len(pairs) >= 12  # the four 城市社区 inspections, both ways round
    for old, new in pairs:
        c = compare(old, new)
        assert c.delta is not None and added_up(c) == c.delta, (old.id, new.id)
        assert c.delta == c.new.scores.total - c.old.scores.total
        # every leaf whose state or deduction moved is listed
        listed = {line.id for line in c.changes if line.kind == ITEM}
        moved = {i.id for i in c.items if (i.old_state, i.old_deducted) != (i.new_state, i.new_deducted)}
        assert moved <= listed, (old.id, new.id)


def test_the_sample_reinspection_lists_the_item_that_no_longer_applies(samples):
    by_id = {s.id: s for s in samples}
    c = compare(by_id["c567b521c9b4"], by_id["e2e78c3278d4"])
    assert c.delta == 6 and added_up(c) == 6
    lines = {line.id: line for line in c.changes}
    reminder = lines["team.term.reminder"]  # 不符合 → 不适用: its 2 points leave with its deduction
    assert (reminder.old_state, reminder.new_state, reminder.kind) == ("fail", "na", ITEM)
    # it has no points of its own (班子任期及换届's 6 cap it): its line is the deduction it no longer costs
    assert reminder.points == 2 and (reminder.old_deducted, reminder.new_deducted) == (2, 0)
    fixed = [line for line in c.changes if (line.old_state, line.new_state) == ("fail", "pass")]
    assert sum(line.points for line in fixed) == 4  # the two findings put right


def test_a_fresh_reinspection_lists_every_finding_that_is_now_unchecked(samples):
    by_id = {s.id: s for s in samples}
    old = by_id["c567b521c9b4"]
    fresh = type(old)(**{**old.__dict__, "id": "ffffffffffff", "facts": {}, "answers": {}, "previous": old.id})
    c = compare(old, fresh)
    assert added_up(c) == c.delta == 8  # 20/28 → 28/28: nothing checked costs nothing, yet
    unchecked = [line for line in c.changes if line.kind == ITEM and line.old_state == "fail"]
    assert {line.new_state for line in unchecked} == {None} and sum(line.points for line in unchecked) == 8
    assert not score_line(fresh.checklist, fresh.score()).final


@PROPS
@given(case=cases(), data=st.data())
def test_listed_changes_add_up_to_the_total_change(case, data):
    """Two inspections of one random checklist, with random facts and answers each."""
    old = case.score()
    answers: dict[str, Answer] = {}
    for leaf in case.checklist.leaves():
        if data.draw(st.booleans()):
            answers[leaf.id] = data.draw(answer_for(case.checklist, leaf.id))
    facts = data.draw(fact_values())
    new = score(case.checklist, facts, answers, DAY)
    lines = score_changes(case.checklist, old, case.checklist, new)
    change = total_change(old, new)
    assert change is not None
    assert sum((line.points for line in lines), Decimal(0)) == change
    for line in lines:
        assert line.kind in (ITEM, CAP, BONUS_CAP)
        assert line.kind == ITEM or line.points != 0  # an adjustment that did not move is not listed
    for leaf in case.checklist.leaves():
        o, n = old.items[leaf.id], new.items[leaf.id]
        if (o.state, o.deducted) != (n.state, n.deducted):
            assert any(line.id == leaf.id for line in lines), leaf.id
        if (o.state is State.NA) != (n.state is State.NA):
            assert any(line.id == leaf.id for line in lines), leaf.id  # to and from 不适用 too


@PROPS
@given(case=cases())
def test_the_score_line_is_final_exactly_when_nothing_is_undecided(case):
    result = case.score()
    line = score_line(case.checklist, result)
    assert line.final == (result.counts["unanswered"] == 0)
    assert line.open is not None and line.open >= 0
    if line.final:
        assert line.open == 0
    if result.scored:
        assert line.open <= result.max - result.deducted  # never more than is left to lose


def test_an_unscored_comparison_counts_items_passed_not_percentage_points(tmp_path):
    from inspect_tui.core.checklist import catalog
    from inspect_tui.i18n_reports import delta_words

    repo = SessionRepository(tmp_path / "sessions")
    jiguan = catalog.find("jiguan")
    a, c = [leaf.id for leaf in jiguan.leaves()][:2]
    b = "dev.liaison"  # one that may be marked 不适用
    first = repo.create(jiguan, "机关第一党支部", "", ["张三"], DAY)
    for item_id, state in ((a, State.FAIL), (b, State.PASS), (c, State.PASS)):
        first.set_answer(item_id, "张三", state=state)
    first.close()
    second = repo.reinspect(first.session.id, jiguan, ["李四"], DAY)
    second.set_answer(a, "李四", state=State.PASS)
    second.set_answer(b, "李四", state=State.NA)
    second.close()
    c_ = compare(first.session, second.session)
    # a: 不符合 → 符合 (+1), b: 符合 → 不适用 (−1), c: 符合 → 未检查 (−1)
    assert c_.delta == -1 and added_up(c_) == -1
    assert {line.id: line.points for line in c_.changes} == {a: 1, b: -1, c: -1}
    assert delta_words(c_) == ("符合项变化", "-1 项")
