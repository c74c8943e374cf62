"""The scoring engine: a pure function of (checklist, facts, answers, inspection date).

No I/O and no clock: the same inputs always give the same `Result`, which makes the engine easy to
test and safe to call on every keystroke. All arithmetic is `Decimal`.

How points move (see docs/checklist-format.md):
- a leaf's deduction is the sum of its rules (or the inspector's override), stopped at its points;
- a parent's deduction is the sum of its children's, stopped at its own points (单项分值扣完为止);
- N/A never costs points and takes an item's points out of the maximum;
- an unscored standard scores items passed ÷ items applicable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any, Mapping

from ..checklist import records
from ..session.answers import Answer
from ..unknown import UNKNOWN
from ..checklist.model import Checklist, Item, OneOf, Rule, State
from ..numbers import points_text
from .item_results import ItemResult, Reason, Result

ZERO = Decimal(0)


def score(
    checklist: Checklist,
    facts: Mapping[str, Any],
    answers: Mapping[str, Answer],
    inspection_date: dt.date,
) -> Result:
    """Score `answers` and `facts` against `checklist` as of `inspection_date`."""
    scorer = Scorer(checklist, environment(facts, inspection_date), answers)
    sections = [scorer.visit(section) for section in checklist.sections]
    return total(checklist, scorer.results, sections, scorer.warnings)


def environment(facts: Mapping[str, Any], inspection_date: dt.date) -> dict[str, Any]:
    env = {key: value for key, value in facts.items() if value is not None}
    env["inspection_date"] = inspection_date
    return env


def total(checklist: Checklist, results: dict[str, ItemResult], sections: list[ItemResult],
           warnings: list[tuple[str, str]]) -> Result:
    """The whole inspection's figures from every item's result."""
    for section in sections:
        if section.max is None and section.deducted:
            # Nothing here has points (a cut-off part, an override where the standard gives no
            # figure): there is nothing to take points from, so the reasons stay, the points do not.
            section.deducted, section.capped = ZERO, True
    counts = {"pass": 0, "fail": 0, "na": 0, "unanswered": 0}
    for leaf in checklist.leaves():
        state = results[leaf.id].state
        counts[state.value if state else "unanswered"] += 1
    vetoed = [r.id for r in results.values() if r.vetoed]
    if checklist.scored:
        maximum = sum((s.max or ZERO for s in sections), ZERO)
        deducted = sum((s.deducted for s in sections), ZERO)
        bonus = sum((s.bonus for s in sections), ZERO)
        if checklist.bonus_cap is not None:
            bonus = min(bonus, checklist.bonus_cap)
        total = maximum - deducted + bonus
        percent = total * 100 / maximum if maximum else None
        measure = total
    else:
        maximum = Decimal(counts["pass"] + counts["fail"] + counts["unanswered"])
        deducted, bonus = ZERO, ZERO
        total = Decimal(counts["pass"])
        percent = total * 100 / maximum if maximum else None
        measure = percent if percent is not None else ZERO
    grade = ""
    if vetoed:
        grade = checklist.veto_grade
    else:
        for band in checklist.grades:
            if measure >= band.min:
                grade = band.label
                break
    return Result(
        checklist_id=checklist.id,
        scored=checklist.scored,
        complete_standard=checklist.complete,
        max=maximum,
        deducted=deducted,
        bonus=bonus,
        total=total,
        percent=percent,
        grade=grade,
        vetoed=vetoed,
        counts=counts,
        items=results,
        sections=sections,
        warnings=warnings,
    )


class Scorer:
    def __init__(self, checklist: Checklist, env: dict[str, Any], answers: Mapping[str, Answer]) -> None:
        self.checklist = checklist
        self.env = env
        self.answers = answers
        self.results: dict[str, ItemResult] = {}
        self.warnings: list[tuple[str, str]] = []
        self.facts_by_id = {fact.id: fact for fact in checklist.facts}

    def visit(self, item: Item, waiting: frozenset[str] = frozenset()) -> ItemResult:
        """`waiting`: the unknown facts an ancestor's `applies_when` needs. While any is unknown the
        item may not apply at all, so it gets no verdict and no deduction: 待定."""
        if item.applies_when is not None and item.applies_when.evaluate(self.env) is UNKNOWN:
            waiting = waiting | (item.applies_when.names - set(self.env))
        result = self.leaf(item, waiting) if item.is_leaf else self.parent(item, waiting)
        for warning in item.warnings:
            if warning.when.evaluate(self.env) is True:
                result.warnings.append(warning.message)
                self.warnings.append((item.id, warning.message))
        self.results[item.id] = result
        return result

    def not_applicable(self, item: Item) -> bool:
        return item.applies_when is not None and item.applies_when.evaluate(self.env) is False

    def leaf(self, item: Item, waiting: frozenset[str] = frozenset()) -> ItemResult:
        answer = self.answers.get(item.id) or Answer()
        if self.not_applicable(item):
            return ItemResult(item.id, State.NA, None if item.points is None else ZERO, ZERO, auto=True, leaves=1, answered=1)
        reasons: list[Reason] = []
        findings: list[str] = []
        if answer.state is State.NA and item.na_allowed:
            state: State | None = State.NA  # the inspector's own judgement needs no fact
        elif waiting:
            return ItemResult(
                item.id, None, item.points, ZERO, auto=item.computed, pending=tuple(sorted(waiting)), leaves=1,
            )
        elif item.computed:
            state, reasons, missing, findings = self.computed(item, answer)
            pending: set[str] = set(missing)
            if state is None and not missing:  # nothing to judge in this period (records.py)
                return ItemResult(
                    item.id, State.NA, None if item.points is None else ZERO, ZERO, auto=True,
                    findings=findings, leaves=1, answered=1,
                )
        else:
            pending = set()
            state = answer.state if answer.state is not State.NA else None
            if state is State.FAIL:
                for rule in item.rules:
                    reason = self.manual(rule, answer)
                    if reason is not None:
                        reasons.append(reason)
                    elif isinstance(rule, Rule) and rule.count is not None:
                        pending |= rule.count.names - set(self.env)  # the count waits for a fact
        maximum = item.points
        if state is State.NA:
            return ItemResult(item.id, state, None if maximum is None else ZERO, ZERO, leaves=1, answered=1)
        raw = sum((r.amount for r in reasons), ZERO)
        overridden = answer.override is not None and state is State.FAIL
        if overridden:
            assert answer.override is not None
            raw = answer.override.points
            reasons = [Reason(answer.override.reason, raw, manual=True)] + reasons
        deducted = raw if maximum is None else min(raw, maximum)
        return ItemResult(
            id=item.id,
            state=state,
            max=maximum,
            deducted=deducted,
            reasons=reasons,
            auto=item.computed,
            pending=tuple(sorted(pending)),
            findings=findings,
            capped=deducted < raw,
            overridden=overridden,
            bonus=item.bonus if item.bonus is not None and state is State.PASS else ZERO,
            vetoed=bool(item.veto) and state is State.FAIL,
            leaves=1,
            answered=0 if state is None else 1,
            failed=1 if state is State.FAIL else 0,
        )

    def computed(self, item: Item, answer: Answer) -> tuple[State | None, list[Reason], set[str], list[str]]:
        """State, reasons, missing facts and findings of an item whose rules all read facts.

        Any condition that needs an unknown fact leaves the item 待定 (state None, no deduction):
        a verdict needs all of its facts. Rules side by side add up (the item's points cap them);
        `one_of` alternatives take the first case that applies.
        State None with nothing missing means there was nothing to judge (a frequency rule over a
        period with no whole month/quarter/year yet).
        """
        reasons: list[Reason] = []
        findings: list[str] = []
        missing: set[str] = set()
        fired = judged = False
        for rule in item.rules:
            cases = rule.cases if isinstance(rule, OneOf) else (rule,)
            for case in cases:
                if case.frequency is not None:
                    found = records.check(case.frequency, self.env)
                    if found.failed is UNKNOWN:
                        missing |= set(found.missing)
                        break
                    if found.finding:
                        findings.append(found.finding)
                    if found.failed is None:
                        continue
                    judged = True
                    if found.failed:
                        fired = True
                        reasons.append(self.periods_reason(case, found.failing, found.finding))
                        break
                    continue
                assert case.when is not None
                verdict = case.when.evaluate(self.env)
                if verdict is UNKNOWN:
                    missing |= case.when.names - set(self.env)
                    break  # a later alternative must not apply before this one is decided
                judged = True
                if verdict:
                    reason = self.amount(case, answer)
                    if reason is None:
                        missing |= (case.count.names if case.count else set()) - set(self.env)
                    elif case.per is not None and reason.count == 0:
                        continue  # "每缺一职扣2分" with nothing missing: this case does not apply
                    else:
                        fired = True
                        found_text = self.describe(case, reason)
                        findings.append(found_text)
                        reasons.append(replace(reason, finding=found_text))
                    break
        if missing:
            return None, [], missing, []
        if fired:
            return State.FAIL, reasons, missing, findings
        if not judged:
            return None, [], missing, findings
        return State.PASS, reasons, missing, findings

    def periods_reason(self, rule: Rule, failing: int, finding: str) -> Reason:
        if rule.per is not None:
            count = Decimal(failing)
            return Reason(rule.clause, count * rule.per, count=count, per=rule.per, finding=finding)
        return Reason(rule.clause, rule.points if rule.points is not None else ZERO, finding=finding)

    def describe(self, rule: Rule, reason: Reason) -> str:
        """The grounds of a fired rule in words: the facts it read, their values, the threshold."""
        from .explain import words  # the expression language stays off the app's start-up path

        assert rule.when is not None
        text = words(rule.when, self.facts_by_id, self.env)
        if reason.count is not None and rule.count is not None:
            text += f";计 {points_text(reason.count)} 个"
        return text

    def manual(self, rule: Rule | OneOf, answer: Answer) -> Reason | None:
        if isinstance(rule, OneOf):  # the loader makes alternatives computed; never reached
            return None
        return self.amount(rule, answer)

    def amount(self, rule: Rule, answer: Answer) -> Reason | None:
        """The deduction a rule asks for; None when its count depends on a fact not yet entered."""
        if rule.per is not None:
            assumed = False
            if rule.count is not None:
                env = dict(self.env)
                if answer.count is not None:
                    env["count"] = Decimal(answer.count)
                value = rule.count.evaluate(env)
                if value is UNKNOWN:
                    return None
                count = max(Decimal(value), ZERO)
            elif answer.count is not None:
                count = Decimal(answer.count)
            else:
                count, assumed = Decimal(1), True
            return Reason(rule.clause, count * rule.per, count=count, per=rule.per, assumed_count=assumed)
        return Reason(rule.clause, rule.points if rule.points is not None else ZERO)

    def parent(self, item: Item, waiting: frozenset[str] = frozenset()) -> ItemResult:
        children = [self.visit(child, waiting) for child in item.items]
        if self.not_applicable(item):
            below_ids = {below.id for below in list(item.walk())[1:]}
            for below_id in below_ids:  # the whole subtree is out of scope, warnings too
                self.results[below_id] = _out_of_scope(self.results[below_id])
            self.warnings = [(i, m) for i, m in self.warnings if i not in below_ids]
            children = [self.results[child.id] for child in item.items]
            children_states = [State.NA]
        else:
            children_states = [c.state for c in children]
        states = set(children_states)
        if State.FAIL in states:
            state: State | None = State.FAIL
        elif None in states:
            state = None
        elif states == {State.NA}:
            state = State.NA
        else:
            state = State.PASS
        child_max = [c.max for c in children if c.max is not None]
        if state is State.NA:
            # All of it out of scope: nothing to score here, but if points sit anywhere below,
            # the maximum is 0 (not "no points", which would let a parent fall back to its own).
            maximum = ZERO if _has_points(item) else None
        elif item.points is None:
            maximum = sum(child_max, ZERO) if child_max else None
        elif child_max:
            maximum = min(item.points, sum(child_max, ZERO))
        else:
            maximum = item.points
        raw = sum((c.deducted for c in children), ZERO)
        deducted = raw if maximum is None else min(raw, maximum)
        pending = tuple(sorted({p for c in children for p in c.pending}))
        return ItemResult(
            id=item.id,
            state=state,
            max=maximum,
            deducted=deducted,
            pending=pending,
            capped=deducted < raw,
            bonus=sum((c.bonus for c in children), ZERO),
            leaves=sum(c.leaves for c in children),
            answered=sum(c.answered for c in children),
            failed=sum(c.failed for c in children),
        )


def _has_points(item: Item) -> bool:
    """Does the item, or anything below it (bonus items aside), carry points?"""
    return item.points is not None or any(_has_points(c) for c in item.items if c.bonus is None)


def max_points(checklist: Checklist) -> Decimal:
    """The most an inspection can score before any fact is known (transcribed items only)."""
    return score(checklist, {}, {}, dt.date(2000, 1, 1)).max


def _out_of_scope(result: ItemResult) -> ItemResult:
    """The result of an item whose parent does not apply: N/A, costing and counting nothing."""
    return ItemResult(
        id=result.id,
        state=State.NA,
        max=None if result.max is None else ZERO,
        deducted=ZERO,
        auto=True,
        leaves=result.leaves,
        answered=result.leaves,
    )

