"""Checklists and results as plain JSON-ready data, the shape every JSON output shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..numbers import number
from ..checklist.model import Checklist, Item, OneOf, Rule
from ..analysis.item_results import ItemResult, Result

if TYPE_CHECKING:
    from ..session.model import Session


def checklist_summary(checklist: Checklist, origin: str = "") -> dict[str, Any]:
    """One line of `inspect-tui checklists`. `max` is what can be scored: transcribed items only."""
    from ..analysis.scoring import max_points

    maximum = max_points(checklist)
    return {
        "id": checklist.id,
        "title": checklist.title,
        "version": checklist.version,
        "items": checklist.leaf_count,
        "max": number(maximum) if checklist.scored else None,
        "scored": checklist.scored,
        "complete": checklist.complete,
        "origin": origin,
        "path": str(checklist.path) if checklist.path else None,
    }


def describe(checklist: Checklist) -> dict[str, Any]:
    """The normalised tree: sections → items (nested), and the facts."""
    return {
        "id": checklist.id,
        "title": checklist.title,
        "version": checklist.version,
        "scored": checklist.scored,
        "complete": checklist.complete,
        "incomplete_note": checklist.incomplete_note,
        "source": {
            "standard": checklist.source.standard,
            "document": checklist.source.document,
            "year": checklist.source.year,
            "note": checklist.source.note,
        },
        "grades": [{"min": number(g.min), "label": g.label} for g in checklist.grades],
        "facts": [
            {
                "id": f.id, "label": f.label, "type": f.type, "choices": list(f.choices),
                "unit": f.unit, "help": f.help,
            }
            for f in checklist.facts
        ],
        "sections": [_item(s) for s in checklist.sections],
    }


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "text": item.text, "points": number(item.points)}
    if item.guidance:
        data["guidance"] = item.guidance
    if item.source:
        data["source"] = item.source
    if item.rules:
        data["rules"] = [_rule(r) for r in item.rules]
        data["computed"] = item.computed
    if item.applies_when:
        data["applies_when"] = str(item.applies_when)
    if item.bonus is not None:
        data["bonus"] = number(item.bonus)
    if item.veto:
        data["veto"] = item.veto
    if item.truncated:
        data["truncated"] = True
    data["na_allowed"] = item.na_allowed
    data["items"] = [_item(child) for child in item.items]
    return data


def _rule(rule: Rule | OneOf) -> dict[str, Any]:
    if isinstance(rule, OneOf):
        return {"one_of": [_rule(case) for case in rule.cases]}
    data: dict[str, Any] = {"clause": rule.clause}
    if rule.points is not None:
        data["points"] = number(rule.points)
    if rule.per is not None:
        data["per"] = number(rule.per)
    if rule.count is not None:
        data["count"] = str(rule.count)
    if rule.when is not None:
        data["when"] = str(rule.when)
    return data


def item_result(checklist: Checklist, r: ItemResult) -> dict[str, Any]:
    item = checklist.item(r.id)
    return {
        "id": r.id,
        "text": item.text,
        "leaf": item.is_leaf,
        "state": r.state.value if r.state else None,
        "auto": r.auto,
        "max": number(r.max),
        "deducted": number(r.deducted),
        "score": number(r.score),
        "capped": r.capped,
        "overridden": r.overridden,
        "bonus": number(r.bonus),
        "vetoed": r.vetoed,
        "pending_facts": list(r.pending),
        "warnings": list(r.warnings),
        "reasons": [
            {
                "clause": reason.clause,
                "amount": number(reason.amount),
                "detail": reason.detail,
                "manual": reason.manual,
            }
            for reason in r.reasons
        ],
    }


def result(checklist: Checklist, res: Result) -> dict[str, Any]:
    """The `score --json` shape: totals, then sections, then every item in document order."""
    return {
        "checklist": {"id": checklist.id, "version": checklist.version, "title": checklist.title},
        "scored": res.scored,
        "complete_standard": res.complete_standard,
        "total": number(res.total),
        "max": number(res.max),
        "deducted": number(res.deducted),
        "bonus": number(res.bonus),
        "percent": None if res.percent is None else float(round(res.percent, 2)),
        "grade": res.grade or None,
        "vetoed": res.vetoed,
        "counts": res.counts,
        "completion": float(round(res.completion, 4)),
        "warnings": [{"item": item_id, "message": message} for item_id, message in res.warnings],
        "sections": [item_result(checklist, s) for s in res.sections],
        "items": [item_result(checklist, res.items[item.id]) for item in checklist.walk()],
    }


# `show --json`'s "session": the meta record a session file keeps (SessionFile.meta, the one place
# a session's fields are written out), less what only the file needs, in the order it has always had.
SESSION_FIELDS = ("id", "branch", "unit", "inspectors", "date", "place", "status", "created", "updated", "previous",
                  "checklist_id", "checklist_version")


def session_data(session: "Session", result: Result | None = None, newer: str | None = None) -> dict[str, Any]:
    """The session's record as JSON data; `newer`: the installed checklist's version when it differs."""
    from ..session.answers import fact_to_json
    from ..session.file import SessionFile

    meta = SessionFile.meta(session, result)
    data = {key: meta[key] for key in SESSION_FIELDS}
    data["previous"] = data["previous"] or None
    data["newer_checklist_version"] = newer
    data["position"] = meta["position"]
    data["facts"] = {k: fact_to_json(v) for k, v in session.facts.items()}
    return data
