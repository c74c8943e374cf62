"""Scoring one session edited again and again: only what an edit can have changed is scored again.

`Rescorer` is called like `scoring.score` and returns exactly what it would (tests/test_rescore.py
checks that on random checklists and random edit sequences); the session's OpenSession keeps one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..checklist.model import Checklist, Item
from ..session.answers import Answer
from .item_results import ItemResult, Result
from .scoring import Scorer, environment, total


class Rescorer:
    """`score` for one session edited again and again: called like `score`, it redoes only the
    items an edit can have changed and returns exactly what `score` would.

    A leaf's result depends on the facts, the inspection date, its ancestors' `applies_when` and
    its own answer only; a group's on its sub-items' results and the facts; the warnings on the
    facts alone. So while the facts and the date stay as they were, the answers that are not the
    same objects as last time mark their items and those items' ancestors; everything else is
    the last result's (results are never changed once made, so they can be shared). Any other
    change (the facts, the date, another checklist) scores everything again.
    tests/test_rescore.py checks the equality on random checklists and random edit sequences.
    """

    def __init__(self) -> None:
        self._checklist: Checklist | None = None
        self._env_key: tuple = ()
        self._answers: dict[str, Answer] = {}
        self._result: Result | None = None

    def __call__(self, checklist: Checklist, facts: Mapping[str, Any], answers: Mapping[str, Answer],
                 inspection_date: dt.date) -> Result:
        env = environment(facts, inspection_date)
        env_key = _frozen(env)
        last = self._result
        if last is None or checklist is not self._checklist or env_key != self._env_key:
            scorer = Scorer(checklist, env, answers)
            warnings = scorer.warnings
        else:
            before = self._answers
            edited = [k for k in before.keys() | answers.keys() if before.get(k) is not answers.get(k)]
            dirty = {item.id for k in edited if checklist.has_item(k) for item in checklist.path_to(k)}
            scorer = _Rescorer(checklist, env, answers, last.items, dirty)
            warnings = list(last.warnings)  # the facts decide them, and the facts are the same
        sections = [scorer.visit(section) for section in checklist.sections]
        result = total(checklist, scorer.results, sections, warnings)
        self._checklist, self._env_key, self._answers, self._result = checklist, env_key, dict(answers), result
        return result


def _frozen(value: Any) -> Any:
    """A comparable snapshot of the facts: type and spelling too (1.0 and 1 are equal numbers but
    are shown differently in a finding)."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    return (type(value).__name__, repr(value))


class _Rescorer(Scorer):
    """A `Scorer` that visits only the `dirty` items and takes every other item's result from
    the last score (started from a copy of it, so the results keep `score`'s order)."""

    def __init__(self, checklist: Checklist, env: dict[str, Any], answers: Mapping[str, Answer],
                 previous: dict[str, ItemResult], dirty: set[str]) -> None:
        super().__init__(checklist, env, answers)
        self.results = dict(previous)
        self.dirty = dirty

    def visit(self, item: Item, waiting: frozenset[str] = frozenset()) -> ItemResult:
        if item.id in self.dirty:
            return super().visit(item, waiting)
        return self.results[item.id]
