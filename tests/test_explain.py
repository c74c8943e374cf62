"""Conditions in words (core/analysis/explain.py): the item detail and the findings never show a formula."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from inspect_tui.core.analysis.explain import words
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import OneOf

from .conftest import CHECKLISTS

BUNDLED = sorted(p.stem for p in CHECKLISTS.glob("*.yaml"))
SYMBOLS = r"==|!=|>=|<=|//|count_false|count_true|add_months|inspection_date"
FORMULA = {"zh": re.compile(SYMBOLS + r"|\band\b|\bor\b|\bnot\b"), "en": re.compile(SYMBOLS)}


def _conditions(checklist):
    for item in checklist.walk():
        for rule in item.rules:
            for case in (rule.cases if isinstance(rule, OneOf) else (rule,)):
                if case.when is not None:
                    yield item, case.when
        if item.applies_when is not None:
            yield item, item.applies_when


@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_every_condition_of_every_bundled_checklist_reads_as_words(checklist_id):
    checklist = load_checklist(CHECKLISTS / f"{checklist_id}.yaml")
    facts = {fact.id: fact for fact in checklist.facts}
    for item, condition in _conditions(checklist):
        for lang in ("zh", "en"):
            said = words(condition, facts, lang=lang)
            assert not FORMULA[lang].search(said), (item.id, lang, said)
            for fact_id in condition.names:
                assert not re.search(rf"\b{fact_id}\b", said), (item.id, fact_id, said)


def test_a_condition_with_values_is_the_finding():
    checklist = load_checklist(CHECKLISTS / "shequ.yaml")
    facts = {fact.id: fact for fact in checklist.facts}
    rule = checklist.item("team.term.on_time").rules[0]
    env = {"term_end": dt.date(2026, 3, 15), "inspection_date": dt.date(2026, 11, 27)}
    assert words(rule.when, facts, env) == "本届任期届满时间(2026-03-15)早于 检查日期(2026-11-27)"
    (case, *_), = [r.cases for r in checklist.item("org.basic.community").rules]
    said = words(case.when, facts, {"full_members": Decimal(120), "org_type": "党支部"})
    assert "120人" in said and "超过 100" in said
