"""The incremental scorer (`Rescorer`) gives exactly what a full `score` gives, after every edit.

Random valid checklists (the generator of test_scoring_props.py), random facts, then a random
sequence of edits as the app makes them: an item's answer set, changed or cleared, now and then
a fact changed. After each edit the rescorer's result must equal a fresh `score` of the same
inputs: every item's result, the totals, the grade, the warnings, and the order of the items."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from inspect_tui.core.analysis.scoring import score
from inspect_tui.core.analysis.rescore import Rescorer

from .test_scoring_props import DAY, PROPS, answer_for, cases, fact_values


def same(got, want) -> None:
    assert got == want
    assert list(got.items) == list(want.items)  # the order reports and trees walk them in
    assert got.warnings == want.warnings and got.vetoed == want.vetoed


@st.composite
def edit_sequences(draw):
    case = draw(cases())
    leaves = [leaf.id for leaf in case.checklist.leaves()]
    edits = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            edits.append(("facts", draw(fact_values())))
        elif kind == 1:
            edits.append(("clear", draw(st.sampled_from(leaves))))
        else:
            item_id = draw(st.sampled_from(leaves))
            edits.append(("answer", item_id, draw(answer_for(case.checklist, item_id))))
    return case, edits


@PROPS
@given(edit_sequences())
def test_rescoring_after_each_edit_equals_a_full_score(sequence):
    case, edits = sequence
    facts, answers = dict(case.facts), dict(case.answers)
    rescore = Rescorer()
    same(rescore(case.checklist, facts, answers, DAY), score(case.checklist, facts, answers, DAY))
    for edit in edits:
        if edit[0] == "facts":
            facts = dict(edit[1])
        elif edit[0] == "clear":
            answers.pop(edit[1], None)
        else:
            answers[edit[1]] = edit[2]
        same(rescore(case.checklist, facts, answers, DAY), score(case.checklist, facts, answers, DAY))


@PROPS
@given(cases())
def test_a_fact_spelled_differently_is_scored_again(case):
    """Decimal('3') and Decimal('3.0') are equal but shown differently in a finding: a new
    spelling of the same value is a change of the facts, scored in full."""
    facts = dict(case.facts)
    rescore = Rescorer()
    rescore(case.checklist, facts, case.answers, DAY)
    if facts.get("m1") is not None:
        facts["m1"] = Decimal(facts["m1"]).quantize(Decimal("0.1"))
    same(rescore(case.checklist, facts, case.answers, DAY), score(case.checklist, facts, case.answers, DAY))


def test_nothing_edited_shares_every_result():
    """The point of it: an unchanged item keeps its result object; an edited one and its
    ancestors get new ones."""
    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session.answers import Answer
    from inspect_tui.core.checklist.model import State

    checklist = catalog.find("jiguan")
    leaves = [leaf for leaf in checklist.leaves() if not leaf.computed]
    rescore = Rescorer()
    answers: dict = {}
    first = rescore(checklist, {}, answers, DAY)
    answers[leaves[3].id] = Answer(state=State.FAIL)
    second = rescore(checklist, {}, answers, DAY)
    path = {item.id for item in checklist.path_to(leaves[3].id)}
    renewed = {item_id for item_id in first.items if first.items[item_id] is not second.items[item_id]}
    assert renewed == path
    same(second, score(checklist, {}, answers, DAY))


def test_warnings_and_computed_items_of_a_bundled_checklist():
    """The example standard warns when the term ends within six months (a warning the random
    checklists never have) and decides items from the facts: edits of answers keep its warnings,
    a new fact brings them in, each time exactly as a full score does."""
    import datetime as dt

    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session.answers import Answer
    from inspect_tui.core.checklist.model import State

    checklist = catalog.find("example")
    leaves = [leaf for leaf in checklist.leaves() if not leaf.computed]
    rescore = Rescorer()
    facts: dict = {}
    answers: dict = {}
    warned = False
    for n, leaf in enumerate(leaves * 2):
        if n == 2:
            facts["term_end"] = DAY + dt.timedelta(days=60)
        answers[leaf.id] = Answer(state=(State.PASS, State.FAIL)[n % 2])
        got, want = rescore(checklist, facts, answers, DAY), score(checklist, facts, answers, DAY)
        same(got, want)
        warned = warned or bool(want.warnings)
    assert warned  # the case this test is for did happen
