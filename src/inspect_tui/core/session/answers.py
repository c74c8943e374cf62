"""What the inspector records: typed fact values and one `Answer` per item.

Fact values arrive as text (the CLI, the UI's input boxes) or as YAML/JSON values (an answers file,
a branch's self-assessment). `parse_fact_value` turns either into the fact's Python type or says,
in one line, why it cannot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from ...quick_dataclass import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping

from ..checklist.model import Checklist, Fact, State
from ..numbers import bounded, number, points_text
from ..text import check as check_text
from ..checklist.records import DateList, parse_dates
from ..unknown import UNKNOWN
from ..errors import InvalidValue, english

TRUE_WORDS = {"true", "yes", "y", "1", "是", "有", "对"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "无", "没有"}


@dataclass(frozen=True)
class Override:
    """A manual deduction (手动扣分) that replaces the computed one; the reason is mandatory."""

    points: Decimal
    reason: str


@dataclass(frozen=True)
class Answer:
    """The inspector's record for one item."""

    state: State | None = None
    count: int | None = None
    note: str = ""
    evidence: tuple[str, ...] = ()
    override: Override | None = None
    changed_at: str = ""

    def is_empty(self) -> bool:
        return self == Answer(changed_at=self.changed_at)

    def with_(self, **changes: Any) -> "Answer":
        return replace(self, **changes)


@dataclass
class AnswersFile:
    """The contents of an answers file (also a branch's self-assessment, 自查)."""

    facts: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    inspection_date: dt.date | None = None


def parse_fact_value(fact: Fact, raw: Any) -> Any:
    """`raw` (text or a YAML/JSON value) as the fact's type; ValueError with a short reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = fact.type
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidValue("err.fact.yes_no")
    if kind in ("integer", "number"):
        if isinstance(raw, bool):
            raise InvalidValue("err.number.expected")
        value = bounded(str(raw).strip().rstrip("%").replace(",", "") if isinstance(raw, str) else raw)
        if kind == "integer":
            if value != value.to_integral_value():
                raise InvalidValue("err.fact.whole")
            value = Decimal(int(value))
        if fact.min is not None and value < fact.min:
            raise InvalidValue("err.fact.min", min=fact.min)
        if fact.max is not None and value > fact.max:
            raise InvalidValue("err.fact.max", max=fact.max)
        return value
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidValue("err.fact.date") from None
    if kind == "dates":
        return parse_dates(raw)
    if kind == "choice":
        text = str(raw).strip()
        if text not in fact.choices:
            raise InvalidValue("err.fact.choice", choices=tuple(fact.choices))
        return text
    return check_text(str(raw), "line")


def fact_to_json(value: Any) -> Any:
    """A fact value as JSON: Decimals as int/float, dates as ISO text, meeting records as a list."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, DateList):
        return value.to_json()
    return value


def fact_text(fact: Fact, value: Any, with_label: bool = False, lang: str = "zh") -> str:
    """A fact's value as a document or screen shows it: 60人, 是, 2026-03-15, 未填 when unknown."""
    if value is None or value is UNKNOWN:
        shown = "未填" if lang == "zh" else "not entered"
    elif isinstance(value, bool):
        shown = ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    elif isinstance(value, DateList):
        shown = value.text() if lang == "zh" else value.text_en()
    elif isinstance(value, Decimal):
        shown = points_text(value) + (fact.unit if fact.unit != "%" else "%")
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    else:
        shown = str(value)
    return f"{fact.label} {shown}" if with_label else shown


def load_answers_file(path: str | Path, checklist: Checklist) -> AnswersFile:
    """Read `{facts: …, answers: …}` (YAML or JSON; JSON is YAML) against `checklist`."""
    from ..checklist.yamlsafe import FileProblems, Problem, compose, read_text, to_python  # YAML only when asked

    name = str(path)
    data_node = compose(read_text(Path(path), "answers file (YAML or JSON)"), name)
    problems: list[Problem] = []
    data = to_python(data_node, name, problems)
    if problems:
        raise FileProblems(problems)
    if not isinstance(data, dict):
        raise FileProblems([Problem(name, 1, 1, "the top level must be a mapping with 'facts' and 'answers'")])
    unknown = set(data) - {"facts", "answers", "inspection_date"}
    if unknown:
        problems.append(Problem(name, 0, 0, f"unknown keys: {', '.join(sorted(map(str, unknown)))} (expected facts, answers, inspection_date)"))
    result = AnswersFile()
    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        problems.append(Problem(name, 0, 0, "'facts' must be a mapping FACT_ID: value"))
        facts = {}
    known = {f.id: f for f in checklist.facts}
    at = _key_marks(data_node)
    for fact_id, raw in facts.items():
        if (bad := _bad_key(fact_id)) is not None:
            problems.append(Problem(name, *at.get(("facts", fact_id), (0, 0)), f"fact key: {bad}"))
            continue
        if fact_id not in known:
            problems.append(Problem(name, *at.get(("facts", fact_id), (0, 0)), f"unknown fact {fact_id!r} for checklist {checklist.id}"))
            continue
        try:
            result.facts[fact_id] = parse_fact_value(known[fact_id], raw)
        except ValueError as exc:
            problems.append(Problem(name, *at.get(("facts", fact_id), (0, 0)), f"fact {fact_id}: {exc}"))
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        problems.append(Problem(name, 0, 0, "'answers' must be a mapping ITEM_ID: {state: …}"))
        answers = {}
    for item_id, raw in answers.items():
        place = at.get(("answers", item_id), (0, 0))
        if (bad := _bad_key(item_id)) is not None:
            problems.append(Problem(name, *place, f"item key: {bad}"))
            continue
        try:
            result.answers[str(item_id)] = answer_from_data(checklist, str(item_id), raw)
        except ValueError as exc:
            problems.append(Problem(name, *place, f"answer {item_id}: {exc}"))
    when = data.get("inspection_date")
    if when is not None:
        try:
            result.inspection_date = when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when))
        except ValueError:
            problems.append(Problem(name, 0, 0, "inspection_date must be YYYY-MM-DD"))
    if problems:
        raise FileProblems(problems)
    return result


def _bad_key(key: Any) -> str | None:
    """Why a fact or item key of an answers file is refused by the text gate (core/text.py), in
    English like the file's other problems; None when it is fine (unknown ids are told apart)."""
    try:
        check_text(str(key), "line")
    except ValueError as exc:
        return english(exc)
    return None


def _key_marks(root: Any) -> dict[tuple[str, Any], tuple[int, int]]:
    """(facts|answers, key) → LINE, COL of the key in the file, so a refused key is found at once."""
    from yaml.nodes import MappingNode, ScalarNode

    from ..checklist.yamlsafe import scalar_value, where

    marks: dict[tuple[str, Any], tuple[int, int]] = {}
    if not isinstance(root, MappingNode):
        return marks
    for top_key, top_value in root.value:
        if not (isinstance(top_key, ScalarNode) and top_key.value in ("facts", "answers")):
            continue
        if isinstance(top_value, MappingNode):
            for key_node, _ in top_value.value:
                if isinstance(key_node, ScalarNode):
                    try:
                        marks[(top_key.value, scalar_value(key_node))] = where(key_node)
                    except Exception:  # a key that does not convert was reported by to_python
                        continue
    return marks


def answer_from_data(checklist: Checklist, item_id: str, raw: Any) -> Answer:
    """One answer from an answers file or a stored session, checked against the checklist."""
    if not checklist.has_item(item_id):
        raise ValueError(f"no item {item_id!r} in checklist {checklist.id}")
    item = checklist.item(item_id)
    if not item.is_leaf:
        raise InvalidValue("err.answer.leaf_only")
    if isinstance(raw, str):
        raw = {"state": raw}
    if not isinstance(raw, Mapping):
        raise ValueError("expected {state: pass|fail|na, count: N, note: TEXT}")
    unknown = set(raw) - {"state", "count", "note", "evidence", "override", "changed_at"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    state = None
    if raw.get("state") not in (None, ""):
        try:
            state = State.parse(raw["state"] if isinstance(raw["state"], State) else str(raw["state"]))
        except ValueError:
            raise ValueError(f"state must be pass, fail or na, not {raw['state']!r}") from None
    check_state(checklist, item_id, state)
    count = raw.get("count")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError("count must be a whole number, 0 or more")
    note = raw.get("note") or ""
    if not isinstance(note, str):
        raise InvalidValue("err.answer.note_text")
    check_text(note, "note", multiline=True)
    evidence = raw.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise ValueError("evidence must be a list of file paths")
    for path in evidence:
        check_text(path, "path")
    override = None
    if raw.get("override") is not None:
        override = parse_override(raw["override"])
        if not any(i.points is not None for i in checklist.path_to(item_id)):
            raise InvalidValue("err.answer.no_points")
    return Answer(state, count, note, tuple(evidence), override, str(raw.get("changed_at") or ""))


def parse_override(raw: Any) -> Override:
    if not isinstance(raw, Mapping) or "points" not in raw:
        raise ValueError("override must be {points: N, reason: TEXT}")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidValue("err.answer.no_reason")
    check_text(reason, "line")
    points = raw["points"]
    try:
        amount = Decimal(str(points))
    except InvalidOperation:
        raise ValueError("override points must be a number") from None
    if isinstance(points, bool) or not amount.is_finite() or amount < 0:
        raise ValueError("override points must be 0 or more")
    return Override(amount, reason.strip())


def check_state(checklist: Checklist, item_id: str, state: State | None) -> None:
    """Refuse what the standard does not allow: N/A where it is not allowed, hand-marking computed items."""
    item = checklist.item(item_id)
    if state is State.NA and not item.na_allowed:
        raise InvalidValue("err.answer.na_refused")
    if state in (State.PASS, State.FAIL) and item.computed:
        raise InvalidValue("err.answer.computed")


def answer_to_data(answer: Answer) -> dict[str, Any]:
    """An answer as plain JSON data (the inverse of `answer_from_data`)."""
    data: dict[str, Any] = {}
    if answer.state is not None:
        data["state"] = answer.state.value
    if answer.count is not None:
        data["count"] = answer.count
    if answer.note:
        data["note"] = answer.note
    if answer.evidence:
        data["evidence"] = list(answer.evidence)
    if answer.override is not None:
        data["override"] = {"points": fact_to_json(answer.override.points), "reason": answer.override.reason}
    if answer.changed_at:
        data["changed_at"] = answer.changed_at
    return data
