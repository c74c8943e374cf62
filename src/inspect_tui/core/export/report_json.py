"""Roll-ups, comparisons and self-assessment comparisons as JSON, for other programs.

The data is the core's own dataclasses turned into plain JSON: Decimals are numbers (an int when
whole: 4, not 4.0), percentages are rounded to two places, text is written as typed (UTF-8), and
keys keep the dataclasses' order so that two runs over the same sessions give the same bytes.
Derived figures a reader would otherwise recompute (score changes, counts per category) are added.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..analysis.compare import Comparison
from ..numbers import number
from ..analysis.results import Scores, ScoredSession, SectionScore, field_of
from ..analysis.rollup import RankRow, Rollup
from ..analysis.selfcheck import SelfComparison
from ..text import shown_all

SCHEMA_VERSION = 1
_CENT = Decimal("0.01")


def _number(value: Decimal, key: str = "") -> int | float:
    if key.endswith("percent") or key.startswith("avg") or key in ("change", "delta"):
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return number(value)


# The records of results (core/analysis/results.py) hold a header and scores; the JSON keeps the
# flat shapes these documents had when each record copied the fields it shows, in that order.
SIDE = ("id", "branch", "unit", "date", "status", "checklist_id", "checklist_title", "checklist_version", "scored",
        "total", "max", "percent", "grade", "counts", "line")
SHAPES: dict[type, tuple[str, ...]] = {
    ScoredSession: SIDE,  # a side of a comparison; a trend point is one too, below
    RankRow: ("rank", "branch", "unit", "session_id", "date", "status", "scored", "total", "max", "percent", "grade",
              "answered", "leaves", "inspections", "line"),
    SectionScore: ("max", "deducted", "score", "counts"),
    Scores: ("total", "max", "percent", "grade", "counts"),
    SelfComparison: ("session_id", "branch", "unit", "date", "checklist_id", "checklist_version", "scored",
                     "attached_at", "source_name", "self_scores", "inspection", "differences", "agreeing"),
}
TREND_POINT = ("session_id", "date", "status", "total", "max", "percent", "grade", "final")


def plain(value: Any, key: str = "") -> Any:
    """A dataclass (or anything inside one) as dicts, lists, str, int, float, bool and None."""
    shape = TREND_POINT if key == "points" and isinstance(value, ScoredSession) else SHAPES.get(type(value))
    if shape is not None:
        return {name: plain(field_of(value, name), name) for name in shape}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return _number(value, key)
    if isinstance(value, (tuple, list)):
        return [plain(v, key) for v in value]  # a list's items keep its key: "points" of a trend
    if isinstance(value, dict):
        return {str(k): plain(v, str(k)) for k, v in value.items()}
    return value


def rollup_data(rollup: Rollup) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": "rollup", **plain(rollup)}


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    data = plain(comparison)
    for row, section in zip(data["sections"], comparison.sections):
        row["delta"] = None if section.delta is None else _number(section.delta, "delta")
    return {
        "schema_version": SCHEMA_VERSION,
        "document": "comparison",
        **data,
        "same_checklist": comparison.same_checklist,
        "same_version": comparison.same_version,
        "delta": None if comparison.delta is None else _number(comparison.delta, "delta"),
        "counts": comparison.counts,
        "carried_counts": comparison.carried_counts,
    }


def selfcheck_data(comparison: SelfComparison) -> dict[str, Any]:
    delta = comparison.delta
    return {
        "schema_version": SCHEMA_VERSION,
        "document": "selfcheck",
        **plain(comparison),
        "delta": None if delta is None else _number(delta, "delta"),
    }


def dumps(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


# `lang` is taken as every report renderer takes it, and changes nothing: the JSON is data (keys,
# codes, figures), no words of ours; the notes are core/compare.py's (see issue 13, point 2).

def render_rollup(rollup: Rollup, lang: str = "zh") -> bytes:
    return dumps(rollup_data(shown_all(rollup)))  # the one escape (core/text.py): bidi too


def render_comparison(comparison: Comparison, lang: str = "zh") -> bytes:
    return dumps(comparison_data(shown_all(comparison)))


def render_selfcheck(comparison: SelfComparison) -> bytes:
    return dumps(selfcheck_data(shown_all(comparison)))
