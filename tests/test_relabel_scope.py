"""An answer changes the labels of its item and its ancestors only.

The inspection screen relies on it: after a mark it rebuilds the tree labels of the item's path,
not of all items (a 200-item tree relabelled on every key was measurable). Checked here on every
bundled checklist, for every answerable item and every state, from a session half answered."""

from __future__ import annotations

import datetime as dt

import pytest

from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.answers import Answer
from inspect_tui.core.checklist.model import State
from inspect_tui.core.analysis.scoring import score

DAY = dt.date(2026, 6, 1)
BUNDLED = ["jiguan", "tunji", "shequ", "gongxing", "pingjia", "liutiao", "wuge", "example"]


@pytest.mark.parametrize("checklist_id", BUNDLED)
def test_an_answer_relabels_only_its_path(checklist_id):
    checklist = catalog.find(checklist_id)
    answerable = [leaf for leaf in checklist.leaves() if not leaf.computed]
    states = [State.PASS, State.FAIL, State.NA, None]
    base = {leaf.id: Answer(state=states[n % 3]) for n, leaf in enumerate(answerable) if n % 2 == 0}

    def keys(answers: dict[str, Answer]) -> dict[str, tuple]:
        result = score(checklist, {}, answers, DAY)
        return {item.id: ItemTree._label_key(item.id, result, answers) for item in checklist.walk()}

    before = keys(base)
    for leaf in answerable:
        path = {item.id for item in checklist.path_to(leaf.id)}
        for state in states:
            if state is State.NA and not leaf.na_allowed:
                continue
            answers = dict(base)
            answers[leaf.id] = Answer(state=state, note="备注" if state is State.FAIL else "")
            after = keys(answers)
            changed = {item_id for item_id in before if before[item_id] != after[item_id]}
            assert changed <= path, (leaf.id, state, sorted(changed - path))
