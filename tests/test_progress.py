"""The next item to mark (core/analysis/progress.py): hand-marked items in order, computed ones passed and named."""

from __future__ import annotations

import datetime as dt

from inspect_tui.core.session.answers import Answer
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.analysis.progress import first_to_mark, next_to_mark
from inspect_tui.core.analysis.scoring import score

from .conftest import CHECKLISTS

DAY = dt.date(2026, 11, 27)


def test_next_to_mark_passes_computed_items_and_names_them():
    shequ = load_checklist(CHECKLISTS / "shequ.yaml")
    answers = {"org.basic.grid_split": Answer(State.PASS), "org.basic.grid_branch": Answer(State.PASS)}
    result = score(shequ, {}, answers, DAY)
    assert first_to_mark(shequ, result) == "org.groups.principle"
    step = next_to_mark(shequ, result, "org.basic.grid_branch")
    assert step.item_id == "org.groups.principle"
    assert step.passed_computed == ("org.basic.multi_grid",)
    back = next_to_mark(shequ, result, "org.groups.principle", step=-1)
    assert back.item_id == "team.grid"  # wraps round to the last hand-marked item
    assert "org.groups.size" not in back.passed_computed  # the other way


def test_nothing_left_to_mark():
    shequ = load_checklist(CHECKLISTS / "shequ.yaml")
    hand = [leaf.id for leaf in shequ.leaves() if not leaf.computed]
    result = score(shequ, {}, {i: Answer(State.PASS) for i in hand}, DAY)
    assert next_to_mark(shequ, result, hand[0]).item_id is None
