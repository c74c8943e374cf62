"""Property-based tests of the scoring engine over random valid checklists.

A hypothesis strategy writes random checklists as YAML (scored and unscored; nested items with
exact, capping, truncated or point-less sub-items; manual, per-instance, computed and one_of
rules; N/A restrictions, bonus items, vetoes, applies_when), loads them with the real loader, and
scores random facts and answers. The properties are the scoring rules of
docs/checklist-format.md; a few example tests pin the trickier semantics by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inspect_tui.core.session.answers import Answer, Override, answer_from_data, check_state
from inspect_tui.core.checklist.loader import parse_checklist
from inspect_tui.core.checklist.model import Checklist, Item, Section, State
from inspect_tui.core.analysis.scoring import score
from inspect_tui.core.analysis.item_results import Result
from inspect_tui.core.checklist.yamlsafe import FileProblems

DAY = dt.date(2024, 6, 1)
ZERO = Decimal(0)
UNIT = Decimal("0.05")  # points are drawn in twentieths: 0.05, 0.1, 0.25, 0.5, 1.35 …

FACTS = [
    {"id": "m1", "label": "正式党员人数", "type": "integer", "min": 0},
    {"id": "m2", "label": "不符合要求的党小组数", "type": "integer", "min": 0},
    {"id": "f1", "label": "是否设立支委会", "type": "boolean"},
    {"id": "f2", "label": "是否配备书记", "type": "boolean"},
]
CONDITIONS = [
    "m1 > 7",
    "not f1",
    "m2 >= 3 and f2",
    "f1 or m2 < 2",
    "count_false(f1, f2) > 0",
    "known(m1) and m1 > 2",
    "m1 >= 7 and not f1",
]
COUNTS = ["m2", "count_false(f1, f2)", "m1 - 5"]
APPLIES = ["f2", "m1 > 0", "not f1"]

# Each example writes and loads a YAML file (~10 ms); 100 examples a property keep the file fast.
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the generator --------------------------------------------------------------------------


def pts(units: int) -> int | float:
    """`units` twentieths of a point as YAML writes them (2, 0.5, 1.25, 0.1)."""
    value = Decimal(units) * UNIT
    return int(value) if value == value.to_integral_value() else float(value)


def split(draw, total: int, parts: int) -> list[int]:
    """`total` (>= parts) cut into `parts` positive whole numbers."""
    if parts == 1:
        return [total]
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:])]


class Gen:
    """Builds one random checklist as plain data, drawing from hypothesis as it goes."""

    def __init__(self, draw, scored: bool) -> None:
        self.draw = draw
        self.scored = scored

    def condition(self) -> str:
        return self.draw(st.sampled_from(CONDITIONS))

    def deducting_rule(self, computed: bool) -> dict[str, Any]:
        draw = self.draw
        rule: dict[str, Any] = {"clause": "未按要求的,扣分"}
        kind = draw(st.sampled_from(["points", "per", "per_count", "state"]))
        if kind == "points":
            rule["points"] = pts(draw(st.integers(1, 80)))
        elif kind == "per":
            rule["per"] = pts(draw(st.integers(1, 40)))
        elif kind == "per_count":
            rule["per"] = pts(draw(st.integers(1, 40)))
            rule["count"] = draw(st.sampled_from(COUNTS))
        if computed:
            rule["when"] = self.condition()
        return rule

    def state_rule(self, computed: bool) -> dict[str, Any]:
        rule: dict[str, Any] = {"clause": "不符合要求"}
        if computed:
            rule["when"] = self.condition()
        return rule

    def rules(self, capped: bool) -> list[dict[str, Any]]:
        draw = self.draw
        deducts = self.scored and capped
        make = self.deducting_rule if deducts else self.state_rule
        kind = draw(st.sampled_from(["none", "manual", "computed", "one_of"]))
        if kind == "none":
            return []
        if kind == "manual":
            return [make(False) for _ in range(draw(st.integers(1, 2)))]
        if kind == "computed":
            return [make(True) for _ in range(draw(st.integers(1, 2)))]
        cases = [make(True) for _ in range(draw(st.integers(2, 3)))]
        if draw(st.booleans()):
            cases[-1]["when"] = "true"
        return [{"one_of": cases}]

    def item(
        self, path: str, depth: int, max_depth: int, units: int | None, capped: bool,
        section: bool = False, group: bool = False, bare: bool = False,
    ) -> dict[str, Any]:
        """One item (or section) and its sub-items.

        `units`: the points the standard gives it, in twentieths, or None. `group`: it has no
        points of its own, and its sub-items split `units` exactly (a point-less group counts as
        the sum of its sub-items'). `bare`: nothing in this subtree carries points.
        """
        draw = self.draw
        node: dict[str, Any] = {"id": path, ("title" if section else "text"): f"检查项 {path}"}
        own = None if group else units
        if own is not None:
            node["points"] = pts(own)
        capped = capped or own is not None
        leaf = not group and (depth >= max_depth or draw(st.integers(0, 9)) < (1 if section else 3))
        if leaf:
            rules = self.rules(capped)
            if rules:
                node["rules"] = rules
            if draw(st.integers(0, 19)) == 0:
                node["veto"] = "出现该情形的,一票否决"
        else:
            n = draw(st.integers(1, 3))
            child_units: list[int | None] = [None] * n
            if group:
                assert units is not None
                n = min(n, units)
                child_units = split(draw, units, n)
            elif own is not None:
                mode = draw(st.sampled_from(["exact", "caps", "truncated", "none"]))
                if mode == "exact" and own >= n:
                    child_units = split(draw, own, n)
                elif mode == "caps":
                    child_units = [draw(st.integers(1, max(1, own))) for _ in range(n)]
                    if sum(child_units) <= own:
                        child_units[-1] += own - sum(child_units) + 1
                    node["caps"] = True
                elif mode == "truncated" and own > n:
                    child_units = split(draw, draw(st.integers(n, own - 1)), n)
                    node["truncated"] = True
                else:
                    bare = True
            elif self.scored and not bare and not capped and draw(st.booleans()):
                # a point-less section or group: its sub-items carry points (so it counts as
                # their sum); points are all or none at every level
                child_units = [draw(st.integers(1, 80)) for _ in range(n)]
            else:
                bare = True
            children = []
            for i, u in enumerate(child_units):
                as_group = u is not None and depth + 1 < max_depth and draw(st.integers(0, 4)) == 0
                children.append(self.item(f"{path}.{i + 1}", depth + 1, max_depth, u, capped, group=as_group, bare=bare))
            if self.scored and draw(st.integers(0, 7)) == 0:
                children.append({"id": f"{path}.b", "text": "加分项", "bonus": pts(draw(st.integers(1, 40)))})
            node["items"] = children
        if draw(st.integers(0, 9)) == 0:
            node["applies_when"] = draw(st.sampled_from(APPLIES))
        if draw(st.integers(0, 4)) == 0:
            node["na_allowed"] = draw(st.booleans())
        return node


@st.composite
def checklist_yaml(draw, scored: bool | None = None) -> str:
    if scored is None:
        scored = draw(st.integers(0, 3)) > 0
    gen = Gen(draw, scored)
    max_depth = draw(st.integers(0, 3))
    sections = []
    for i in range(draw(st.integers(1, 4))):
        units = draw(st.one_of(st.none(), st.integers(20, 400))) if scored else None
        sections.append(gen.item(f"s{i + 1}", 0, max_depth, units, False, section=True))
    doc: dict[str, Any] = {
        "format": 1,
        "id": "random",
        "title": "随机检查表",
        "version": "1",
        "complete": True,
        "scored": scored,
        "na_allowed": draw(st.booleans()),
        "veto_grade": "不达标",
        "facts": FACTS,
        "sections": sections,
    }
    if scored and draw(st.booleans()):
        doc["bonus_cap"] = pts(draw(st.integers(0, 60)))
    if draw(st.booleans()):
        doc["grades"] = [{"min": 90, "label": "优秀"}, {"min": 60, "label": "合格"}, {"min": 0, "label": "不合格"}]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False)


@st.composite
def fact_values(draw) -> dict[str, Any]:
    def maybe(strategy):  # about a quarter of the facts are not entered yet
        return draw(strategy) if draw(st.integers(0, 3)) else None

    return {
        "m1": maybe(st.integers(0, 12).map(Decimal)),
        "m2": maybe(st.integers(0, 6).map(Decimal)),
        "f1": maybe(st.booleans()),
        "f2": maybe(st.booleans()),
    }


def allowed(checklist: Checklist, item_id: str, state: State | None) -> bool:
    try:
        check_state(checklist, item_id, state)
    except ValueError:
        return False
    return True


@st.composite
def answer_for(draw, checklist: Checklist, item_id: str) -> Answer:
    states = [s for s in (None, State.PASS, State.FAIL, State.NA) if allowed(checklist, item_id, s)]
    state = draw(st.sampled_from(states))
    count = draw(st.one_of(st.none(), st.integers(0, 10)))
    override = None
    # (also where nothing has points: the answers file refuses that, the engine must still cope)
    if draw(st.integers(0, 9)) == 0:
        override = Override(Decimal(draw(st.integers(0, 400))) * UNIT, "现场核实,酌情扣分")
    return Answer(state=state, count=count, override=override)


@dataclass
class Case:
    text: str
    checklist: Checklist
    facts: dict[str, Any]
    answers: dict[str, Answer]

    def score(self, answers: dict[str, Answer] | None = None) -> Result:
        return score(self.checklist, self.facts, self.answers if answers is None else answers, DAY)


@st.composite
def cases(draw, scored: bool | None = None) -> Case:
    text = draw(checklist_yaml(scored))
    checklist = parse_checklist(text, "random.yaml")  # the generator writes only valid files
    answers = {}
    for leaf in checklist.leaves():
        if draw(st.integers(0, 4)) > 0:
            answers[leaf.id] = draw(answer_for(checklist, leaf.id))
    return Case(text, checklist, draw(fact_values()), answers)


# --- helpers --------------------------------------------------------------------------------


def subtree_has(result: Result, item: Item, state: State) -> bool:
    return any(result.items[i.id].state is state for i in item.walk() if i.is_leaf)


def declared_max(item: Item) -> Decimal | None:
    """The maximum the standard declares when nothing is N/A, from the file alone.

    An item's points; where its sub-items carry points (directly, or as point-less groups that
    count as the sum of theirs) a truncated item counts only what was transcribed and a capping
    item stops at its own points; a point-less group is the sum of its sub-items'.
    """
    if item.is_leaf:
        return item.points
    below = [m for m in (declared_max(c) for c in item.items if c.bonus is None) if m is not None]
    if item.points is None:
        return sum(below, ZERO) if below else None
    return min(item.points, sum(below, ZERO)) if below else item.points


def check_invariants(case: Case, result: Result) -> None:
    checklist = case.checklist
    for item in checklist.walk():
        r = result.items[item.id]
        assert r.deducted >= 0, item.id
        if r.max is not None:
            assert 0 <= r.deducted <= r.max, item.id
            assert r.score is not None and r.score >= 0, item.id
        if not item.is_leaf:
            below = sum((result.items[c.id].deducted for c in item.items), ZERO)
            if r.max is not None:
                assert r.deducted == min(r.max, below), item.id
            elif isinstance(item, Section):
                assert r.deducted == 0, item.id  # nothing in it has points to take
            else:
                assert r.deducted == below, item.id  # passed up to the points above
            assert r.leaves == sum(result.items[c.id].leaves for c in item.items)
        if r.state is State.NA:
            assert r.deducted == 0 and r.bonus == 0, item.id
            assert r.max is None or r.max == 0, item.id
    assert [s.id for s in result.sections] == [s.id for s in checklist.sections]
    for section in result.sections:
        assert section is result.items[section.id]
    leaves = list(checklist.leaves())
    assert sum(result.counts.values()) == len(leaves)
    for state, key in ((State.PASS, "pass"), (State.FAIL, "fail"), (State.NA, "na"), (None, "unanswered")):
        assert result.counts[key] == sum(1 for leaf in leaves if result.items[leaf.id].state is state)
    if checklist.scored:
        assert result.deducted == sum((s.deducted for s in result.sections), ZERO)
        assert result.max == sum((s.max or ZERO for s in result.sections), ZERO)
        assert result.total == result.max - result.deducted + result.bonus
        assert result.bonus >= 0
        if checklist.bonus_cap is not None:
            assert result.bonus <= checklist.bonus_cap
        assert result.bonus <= sum((s.bonus for s in result.sections), ZERO)
        assert result.deducted <= result.max
    else:
        assert result.total == result.counts["pass"]
        assert result.max == len(leaves) - result.counts["na"]
        assert result.deducted == 0 and result.bonus == 0
    if result.vetoed:
        assert result.grade == checklist.veto_grade
    for leaf_id in result.vetoed:
        assert checklist.item(leaf_id).veto and result.items[leaf_id].state is State.FAIL


def leaf_ids(case: Case, predicate) -> list[str]:
    return [leaf.id for leaf in case.checklist.leaves() if predicate(leaf)]


# --- properties -------------------------------------------------------------------------------


@PROPS
@given(cases())
def test_invariants_hold_for_random_checklists(case):
    check_invariants(case, case.score())


@PROPS
@given(cases(scored=False))
def test_unscored_standard_counts_passes(case):
    result = case.score()
    check_invariants(case, result)
    assert result.total == result.counts["pass"]
    assert result.max == result.leaves - result.counts["na"]
    if result.max:
        assert result.percent == Decimal(result.counts["pass"]) * 100 / result.max


@PROPS
@given(cases(), st.data())
def test_na_never_costs_points(case, data):
    candidates = leaf_ids(case, lambda leaf: leaf.na_allowed)
    assume(candidates)
    leaf_id = data.draw(st.sampled_from(candidates), label="leaf")
    before = case.score()
    answers = dict(case.answers)
    answers[leaf_id] = (answers.get(leaf_id) or Answer()).with_(state=State.NA)
    after = case.score(answers)
    check_invariants(case, after)
    leaf = after.items[leaf_id]
    assert leaf.state is State.NA
    assert leaf.deducted == 0
    assert after.deducted <= before.deducted
    assert after.max <= before.max
    for item_id, old in before.items.items():
        new = after.items[item_id]
        assert new.deducted <= old.deducted, item_id
        assert (new.max or ZERO) <= (old.max or ZERO), item_id


@PROPS
@given(cases(scored=True), st.data())
def test_passing_a_failed_manual_leaf_never_adds_deductions(case, data):
    candidates = leaf_ids(case, lambda leaf: not leaf.computed)
    assume(candidates)
    leaf_id = data.draw(st.sampled_from(candidates), label="leaf")
    base = case.answers.get(leaf_id) or Answer()
    failed = {**case.answers, leaf_id: base.with_(state=State.FAIL)}
    passed = {**case.answers, leaf_id: base.with_(state=State.PASS)}
    r_fail, r_pass = case.score(failed), case.score(passed)
    check_invariants(case, r_fail)
    check_invariants(case, r_pass)
    assert r_pass.deducted <= r_fail.deducted
    assert r_pass.max == r_fail.max  # the state of a leaf that applies never moves the maximum
    for item_id, old in r_fail.items.items():
        assert r_pass.items[item_id].deducted <= old.deducted, item_id
    leaf = r_pass.items[leaf_id]
    if leaf.state is State.PASS and base.override is None:
        assert leaf.deducted == 0


@PROPS
@given(cases(scored=True))
def test_declared_maximum_when_nothing_is_na(case):
    # Without any N/A, every item's maximum is what the standard declares: its points, or for a
    # truncated item the points of what was transcribed, or for a point-less group its sub-items'.
    result = case.score()
    for item in case.checklist.walk():
        if not subtree_has(result, item, State.NA):
            assert result.items[item.id].max == declared_max(item), item.id
    if result.counts["na"] == 0:
        assert result.max == sum((declared_max(s) or ZERO for s in case.checklist.sections), ZERO)


@PROPS
@given(cases())
def test_scoring_is_deterministic(case):
    first = case.score()
    again = case.score()
    reordered = score(
        parse_checklist(case.text, "again.yaml"), dict(reversed(list(case.facts.items()))),
        dict(reversed(list(case.answers.items()))), DAY,
    )
    for other in (again, reordered):
        assert (other.total, other.max, other.deducted, other.bonus, other.grade, other.counts) == (
            first.total, first.max, first.deducted, first.bonus, first.grade, first.counts,
        )
        for item_id, r in first.items.items():
            o = other.items[item_id]
            assert (o.state, o.max, o.deducted, o.pending, o.capped) == (r.state, r.max, r.deducted, r.pending, r.capped)


@PROPS
@given(cases(scored=True))
def test_arithmetic_is_exact(case):
    # Every amount in these checklists is a multiple of 0.05 (0.1, 0.25, 0.5, 1.35 …) and every
    # count is whole, so every result must be an exact multiple of 0.05: a float anywhere
    # (0.1 + 0.2 = 0.30000000000000004) would leave a residue.
    result = case.score()
    values = [result.total, result.max, result.deducted, result.bonus]
    for r in result.items.values():
        values += [r.deducted, r.bonus] + ([r.max] if r.max is not None else [])
    for value in values:
        assert isinstance(value, Decimal)
        assert (value / UNIT) == (value / UNIT).to_integral_value(), value


# --- examples pinning the tricky semantics -----------------------------------------------------

HEAD = """\
format: 1
id: t
title: 测试检查表
version: "1"
complete: true
scored: true
veto_grade: 不达标
grades:
  - {min: 90, label: 优秀}
  - {min: 0, label: 一般}
facts:
  - {id: members, label: 正式党员人数, type: integer, min: 0}
  - {id: groups, label: 不符合要求的党小组数, type: integer, min: 0}
  - {id: has_committee, label: 是否设立支委会, type: boolean}
  - {id: has_secretary, label: 是否配备书记, type: boolean}
  - {id: election, label: 是否按期换届, type: boolean}
sections:
"""


def load(body: str) -> Checklist:
    return parse_checklist(HEAD + body, "t.yaml")


def test_per_instance_rule_stops_at_the_items_points():
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.groups
        text: 党小组设置
        points: 4
        rules: [{clause: "每有1个党小组不符合要求的,扣2分", per: 2}]
      - id: s.other
        text: 其他
        points: 6
""")
    result = score(checklist, {}, {"s.groups": Answer(State.FAIL, count=3)}, DAY)
    item = result.items["s.groups"]
    assert item.deducted == Decimal(4)
    assert item.capped is True
    assert [(r.count, r.per, r.amount) for r in item.reasons] == [(Decimal(3), Decimal(2), Decimal(6))]
    assert result.deducted == Decimal(4) and result.total == Decimal(6)
    # two instances fit inside the points: nothing is capped
    two = score(checklist, {}, {"s.groups": Answer(State.FAIL, count=2)}, DAY).items["s.groups"]
    assert (two.deducted, two.capped) == (Decimal(4), False)
    # no count typed: one instance is assumed, and said so
    one = score(checklist, {}, {"s.groups": Answer(State.FAIL)}, DAY).items["s.groups"]
    assert one.deducted == Decimal(2) and one.reasons[0].assumed_count


def test_per_instance_count_from_a_fact():
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.groups
        text: 党小组设置
        points: 10
        rules: [{clause: "每有1个党小组不符合要求的,扣2分", per: 2, count: groups, when: groups > 0}]
""")
    assert score(checklist, {"groups": Decimal(3)}, {}, DAY).items["s.groups"].deducted == Decimal(6)
    passed = score(checklist, {"groups": Decimal(0)}, {}, DAY).items["s.groups"]
    assert (passed.state, passed.deducted) == (State.PASS, ZERO)


ONE_OF = """\
  - id: s
    title: 组织设置
    points: 10
    items:
      - id: s.team
        text: 支委会设置
        points: 10
        rules:
          - one_of:
              - clause: 未设立支委会,扣6分
                when: members >= 7 and not has_committee
                points: 6
              - clause: 未配备书记,扣4分
                when: not has_secretary
                points: 4
              - clause: 其他情形,扣1分
                when: "true"
                points: 1
"""


def test_one_of_applies_only_the_first_matching_case():
    checklist = load(ONE_OF)
    both = {"members": Decimal(9), "has_committee": False, "has_secretary": False}
    result = score(checklist, both, {}, DAY).items["s.team"]
    assert result.state is State.FAIL
    assert result.deducted == Decimal(6)  # not 6 + 4 + 1
    assert [r.clause for r in result.reasons] == ["未设立支委会,扣6分"]
    second = score(checklist, {**both, "members": Decimal(5)}, {}, DAY).items["s.team"]
    assert second.deducted == Decimal(4)
    last = score(checklist, {**both, "members": Decimal(5), "has_secretary": True}, {}, DAY).items["s.team"]
    assert last.deducted == Decimal(1)


def test_one_of_waits_for_an_undecided_earlier_case():
    checklist = load(ONE_OF)
    # the first case cannot be decided without has_committee: the catch-all must not apply yet
    result = score(checklist, {"members": Decimal(9), "has_secretary": True}, {}, DAY).items["s.team"]
    assert result.state is None
    assert result.deducted == 0
    assert "has_committee" in result.pending


def test_computed_item_with_a_missing_fact_waits():
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.size
        text: 党组织规模
        points: 4
        rules: [{clause: "正式党员超过50人未成立党总支的,扣4分", when: members > 50, points: 4}]
      - id: s.other
        text: 其他
        points: 6
""")
    waiting = score(checklist, {}, {}, DAY)
    item = waiting.items["s.size"]
    assert item.state is None and item.auto
    assert item.pending == ("members",)
    assert item.deducted == 0
    assert waiting.counts["unanswered"] == 2
    assert "members" in waiting.items["s"].pending
    decided = score(checklist, {"members": Decimal(60)}, {}, DAY).items["s.size"]
    assert (decided.state, decided.deducted, decided.pending) == (State.FAIL, Decimal(4), ())
    fine = score(checklist, {"members": Decimal(50)}, {}, DAY).items["s.size"]
    assert (fine.state, fine.deducted) == (State.PASS, ZERO)


def test_applies_when_false_makes_an_item_na_and_removes_its_points():
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.committee
        text: 支委会
        points: 4
        applies_when: members >= 7
        rules: [{clause: "未设立的,扣4分", points: 4}]
      - id: s.group
        text: 党小组
        points: 6
        applies_when: members >= 3
        items:
          - {id: s.group.a, text: 甲, points: 3, rules: [{clause: "未做的,扣3分", points: 3}]}
          - {id: s.group.b, text: 乙, points: 3}
""")
    answers = {"s.committee": Answer(State.FAIL), "s.group.a": Answer(State.FAIL)}
    small = score(checklist, {"members": Decimal(2)}, answers, DAY)
    assert small.items["s.committee"].state is State.NA
    assert small.items["s.committee"].auto
    assert small.items["s.group"].state is State.NA
    assert small.items["s.group.a"].state is State.NA  # the whole subtree is out of scope
    assert (small.max, small.deducted, small.total) == (ZERO, ZERO, ZERO)
    assert small.counts == {"pass": 0, "fail": 0, "na": 3, "unanswered": 0}
    middle = score(checklist, {"members": Decimal(5)}, answers, DAY)
    assert (middle.max, middle.deducted, middle.total) == (Decimal(6), Decimal(3), Decimal(3))
    big = score(checklist, {"members": Decimal(9)}, answers, DAY)
    assert (big.max, big.deducted, big.total) == (Decimal(10), Decimal(7), Decimal(3))
    # unknown: the item is not taken out, and it says what it waits for
    unknown = score(checklist, {}, {}, DAY)
    assert unknown.max == Decimal(10)
    assert "members" in unknown.items["s.committee"].pending


def test_override_replaces_the_computed_deduction_and_is_capped():
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.size
        text: 党组织规模
        points: 4
        rules: [{clause: "超过50人未成立党总支的,扣3分", when: members > 50, points: 3}]
      - id: s.other
        text: 其他
        points: 6
""")
    facts = {"members": Decimal(60)}
    assert score(checklist, facts, {}, DAY).items["s.size"].deducted == Decimal(3)
    lower = score(checklist, facts, {"s.size": Answer(override=Override(Decimal(1), "已整改"))}, DAY)
    item = lower.items["s.size"]
    assert item.deducted == Decimal(1)  # replaces 3, not added to it
    assert item.overridden and item.reasons[0].manual and item.reasons[0].clause == "已整改"
    assert lower.total == Decimal(9)
    higher = score(checklist, facts, {"s.size": Answer(override=Override(Decimal(10), "情节严重"))}, DAY)
    assert higher.items["s.size"].deducted == Decimal(4)
    assert higher.items["s.size"].capped
    assert higher.total == Decimal(6)
    zero = score(checklist, facts, {"s.size": Answer(override=Override(ZERO, "不予扣分"))}, DAY)
    assert zero.items["s.size"].deducted == 0 and zero.total == Decimal(10)


def test_a_failed_veto_item_sets_the_grade_whatever_the_score():
    checklist = load("""\
  - id: s
    title: 大项
    points: 100
    items:
      - id: s.election
        text: 按期换届
        points: 1
        veto: 未按期换届的,一票否决
        rules: [{clause: 未按期换届, when: not election, points: 1}]
      - id: s.rest
        text: 其他
        points: 99
""")
    vetoed = score(checklist, {"election": False}, {}, DAY)
    assert vetoed.total == Decimal(99)
    assert vetoed.vetoed == ["s.election"]
    assert vetoed.grade == "不达标"
    fine = score(checklist, {"election": True}, {}, DAY)
    assert fine.vetoed == [] and fine.grade == "优秀"
    default = parse_checklist((HEAD + "").replace("veto_grade: 不达标\n", "") + """\
  - id: s
    title: 大项
    points: 10
    items:
      - {id: s.a, text: 甲, points: 10, veto: 一票否决条款}
""", "t.yaml")
    assert score(default, {}, {"s.a": Answer(State.FAIL)}, DAY).grade == "一票否决"


def test_truncated_section_counts_only_what_was_transcribed():
    checklist = load("""\
  - id: s
    title: 网格队伍建设
    points: 20
    truncated: true
    items:
      - {id: s.a, text: 甲, points: 5, rules: [{clause: "未做的,扣5分", points: 5}]}
      - {id: s.b, text: 乙, points: 3}
  - id: t
    title: 其他
    points: 10
    items:
      - {id: t.a, text: 丙, points: 10}
""")
    assert checklist.sections[0].points == Decimal(20)  # the declared points are kept
    result = score(checklist, {}, {"s.a": Answer(State.FAIL)}, DAY)
    assert result.items["s"].max == Decimal(8)
    assert result.max == Decimal(18)
    assert result.total == Decimal(13)


def test_bonus_is_added_on_pass_and_capped():
    checklist = parse_checklist(HEAD.replace("grades:", "bonus_cap: 1.5\ngrades:") + """\
  - id: s
    title: 大项
    points: 10
    items:
      - {id: s.a, text: 甲, points: 10}
      - {id: s.b1, text: 加分一, bonus: 1}
      - {id: s.b2, text: 加分二, bonus: 1}
""", "t.yaml")
    one = score(checklist, {}, {"s.b1": Answer(State.PASS), "s.b2": Answer(State.FAIL)}, DAY)
    assert (one.max, one.bonus, one.total) == (Decimal(10), Decimal(1), Decimal(11))
    both = score(checklist, {}, {"s.b1": Answer(State.PASS), "s.b2": Answer(State.PASS)}, DAY)
    assert (both.max, both.bonus, both.total) == (Decimal(10), Decimal("1.5"), Decimal("11.5"))


def test_fractional_points_add_up_exactly():
    checklist = load("""\
  - id: s
    title: 大项
    points: 0.3
    items:
      - {id: s.a, text: 甲, points: 0.1, rules: [{clause: "扣0.1分", points: 0.1}]}
      - {id: s.b, text: 乙, points: 0.1, rules: [{clause: "扣0.1分", points: 0.1}]}
      - {id: s.c, text: 丙, points: 0.1, rules: [{clause: "扣0.1分", points: 0.1}]}
""")
    result = score(checklist, {}, {i: Answer(State.FAIL) for i in ("s.a", "s.b", "s.c")}, DAY)
    assert result.max == Decimal("0.3")
    assert result.deducted == Decimal("0.3")
    assert result.total == 0
    half = score(checklist, {}, {"s.a": Answer(State.FAIL)}, DAY)
    assert half.total == Decimal("0.2")


# --- regressions: bugs these tests found ---------------------------------------------------------

POINTLESS_GROUP = """\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.g
        text: 一组子项(本身无分值)
        items:
          - {id: s.g.a, text: 甲, points: 2, rules: [{clause: "未做的,扣2分", points: 2}]}
          - {id: s.g.b, text: 乙, rules: [{clause: "未做的,扣3分", points: 3}]}
      - id: s.m
        text: 丙(无分值)
        rules: [{clause: "未做的,扣3分", points: 3}]
"""


def test_points_cannot_hide_below_a_pointless_group():
    # Found: this file loaded, and the engine took the 2 points of s.g.a as the maximum of both
    # s.g and the 10-point section (max 2; s.g.a + s.g.b deducted 2, not 5). Sub-items must now
    # carry points all or none at every level.
    with pytest.raises(FileProblems) as caught:
        load(POINTLESS_GROUP)
    assert any("every sub-item has points or none has" in p.message for p in caught.value.problems)


def test_a_pointless_group_counts_as_the_sum_of_its_sub_items():
    group = """\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.g
        text: 一组子项(本身无分值)
        items:
          - {id: s.g.a, text: 甲, points: 4, rules: [{clause: "未做的,扣4分", points: 4}]}
          - {id: s.g.b, text: 乙, points: %s, rules: [{clause: "未做的,扣6分", points: 6}]}
"""
    checklist = load(group % 6)
    result = score(checklist, {}, {"s.g.a": Answer(State.FAIL), "s.g.b": Answer(State.FAIL)}, DAY)
    assert (result.items["s.g"].max, result.items["s"].max, result.max) == (Decimal(10),) * 3
    assert result.deducted == Decimal(10) and result.total == 0
    na = score(checklist, {}, {"s.g.a": Answer(State.NA)}, DAY)
    assert (na.items["s.g"].max, na.max) == (Decimal(6), Decimal(6))
    with pytest.raises(FileProblems) as caught:
        load(group % 3)  # 4 + 3 under a 10-point section, neither capped nor truncated
    assert any("add up to 7" in p.message for p in caught.value.problems)


def test_manual_per_rule_waiting_for_its_count_fact_says_so():
    # Found: it silently deducted 0 and left `pending` empty.
    checklist = load("""\
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.groups
        text: 党小组设置
        points: 10
        rules: [{clause: "每有1个党小组不符合要求的,扣2分", per: 2, count: groups}]
""")
    waiting = score(checklist, {}, {"s.groups": Answer(State.FAIL)}, DAY).items["s.groups"]
    assert waiting.state is State.FAIL
    assert "groups" in waiting.pending
    assert "groups" in score(checklist, {}, {"s.groups": Answer(State.FAIL)}, DAY).items["s"].pending
    known = score(checklist, {"groups": Decimal(2)}, {"s.groups": Answer(State.FAIL)}, DAY).items["s.groups"]
    assert (known.deducted, known.pending) == (Decimal(4), ())


def test_one_of_catch_all_when_true_as_documented():
    # Found: YAML reads `when: true` as a boolean and the loader said "when must be text".
    checklist = load(ONE_OF.replace('when: "true"', "when: true"))
    facts = {"members": Decimal(5), "has_secretary": True}
    assert score(checklist, facts, {}, DAY).items["s.team"].deducted == Decimal(1)
    never = load(ONE_OF.replace('when: "true"', "when: false"))
    assert score(never, facts, {}, DAY).items["s.team"].state is State.PASS


def test_override_without_points_to_stop_at_keeps_the_score_in_range():
    # Found: 5 points were deducted from a maximum of 0 and the total went to -5.
    checklist = load("""\
  - id: s
    title: 大项(无分值)
    items:
      - {id: s.a, text: 甲}
  - id: t
    title: 计分大项
    points: 10
    items:
      - {id: t.a, text: 乙, points: 10}
""")
    answers = {"s.a": Answer(State.FAIL, override=Override(Decimal(5), "酌情扣分"))}
    result = score(checklist, {}, answers, DAY)
    assert result.deducted <= result.max
    assert result.total == Decimal(10)  # nothing in s has points; t keeps all of its own
    assert result.items["s"].deducted == 0
    with pytest.raises(ValueError):  # an answers file may not ask for it at all
        answer_from_data(checklist, "s.a", {"state": "fail", "override": {"points": 5, "reason": "酌情扣分"}})


def test_a_group_whose_points_are_all_na_does_not_hand_its_parent_the_full_points():
    """Found by the property test: a 1-point section over a point-less group whose only scored
    leaf went N/A got its maximum back to 1 instead of 0."""
    checklist = load("""\
  - id: s
    title: 大项
    points: 1
    items:
      - id: s.g
        text: 一组
        items:
          - {id: s.g.a, text: 甲, points: 1, na_allowed: true}
      - {id: s.b, text: 加分项, bonus: 0.5}
""")
    result = score(checklist, {}, {"s.g.a": Answer(State.NA)}, DAY)
    assert result.items["s"].max == 0
    assert result.max == 0


# --- unknown stays unknown (issue 10) ---------------------------------------------------------


def _chain_verdict(checklist: Checklist, item_id: str, env: dict[str, Any]) -> str:
    """'out' when an applies_when on the way down is false, 'waits' when one is unknown, else 'in'."""
    from inspect_tui.core.unknown import UNKNOWN

    verdict = "in"
    for node in checklist.path_to(item_id):
        if node.applies_when is None:
            continue
        value = node.applies_when.evaluate(env)
        if value is False:
            return "out"
        if value is UNKNOWN:
            verdict = "waits"
    return verdict


def _condition_sources(checklist: Checklist) -> str:
    """Every expression's text in the checklist (applicability, rules' conditions and counts), one string."""
    sources = []
    for item in checklist.walk():
        sources.append(item.applies_when.source if item.applies_when is not None else "")
        for rule in getattr(item, "rules", None) or ():
            for case in getattr(rule, "cases", None) or (rule,):
                sources += [e.source for e in (case.when, case.count) if e is not None]
    return "\n".join(sources)


@PROPS
@given(cases(), st.data())
def test_removing_a_fact_never_turns_pending_into_a_verdict(case, data):
    """With a fact removed: every item that was 待定 stays 待定; every leaf whose applicability now
    waits for a fact has no verdict and no deduction (unless the inspector marked it N/A); and a
    computed leaf whose conditions read the removed fact gives no verdict from a guess."""
    entered = sorted(k for k, v in case.facts.items() if v is not None)
    assume(entered)
    removed = data.draw(st.sampled_from(entered))
    # A condition `known(m1) and …` decides on the fact being unknown: removing m1 rightly moves
    # such an item to its next case, which may give a verdict from the facts still known (found by
    # this property: a OneOf's `known(m1) and m1 > 2` case left for `f1 or m2 < 2` with m2 = 0).
    # The property is about facts read only for their values.
    assume(f"known({removed})" not in _condition_sources(case.checklist))
    before = case.score()
    fewer = {k: v for k, v in case.facts.items() if k != removed}
    after = score(case.checklist, fewer, case.answers, DAY)
    env = {k: v for k, v in fewer.items() if v is not None} | {"inspection_date": DAY}
    for item in case.checklist.walk():
        was, now = before.items[item.id], after.items[item.id]
        if was.state is None:
            assert now.state is None, (item.id, removed)
        if not item.is_leaf:
            continue
        marked_na = case.answers.get(item.id, Answer()).state is State.NA and item.na_allowed
        if _chain_verdict(case.checklist, item.id, env) == "waits" and not marked_na:
            assert now.state is None and now.deducted == 0 and not now.reasons, (item.id, removed)
            assert now.pending, item.id
