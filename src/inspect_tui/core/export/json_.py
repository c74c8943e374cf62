"""The summary as JSON: the whole model, for other programs (a department's own database, a report).

The shape is described by `docs/export-schema.json` and carries `schema_version`; the tests
validate every export against the schema, so a field added to the model without the schema (or the
other way round) fails there first. Decimals are JSON numbers (an int when whole: 4, not 4.0),
text is written as typed (UTF-8, not \\u escapes), and keys keep the model's order so that two
exports of the same session are byte for byte the same.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from ...texts import Words, words
from ..analysis.results import Scores, field_of
from ..analysis.selfcheck import SelfComparison
from ..analysis.score_line import words as score_words
from .common import fact_value, found_words, number
from .model import SCHEMA_VERSION, Summary


# The export's shape (docs/export-schema.json), kept as it was when the model held these fields
# itself: the header with the standard's completeness, the scores flat beside the sections, the
# two scores of a self-assessment with their figures only.
HEADER = ("checklist_id", "checklist_title", "checklist_version", "checklist_complete", "checklist_note", "branch",
          "unit", "inspectors", "date", "place", "status", "session_id")
SUMMARY = ("scored", "max", "deducted", "bonus", "total", "percent", "grade", "vetoed", "counts", "sections", "items",
           "warnings", "rectification", "facts", "selfcheck", "provisional", "open_points", "score_text", "attachments")
SCORES = ("total", "max", "percent", "grade", "counts")
SELFCHECK = ("source_name", "attached_at", "self_scores", "inspection", "delta", "agreeing", "differences")


def _plain(value: Any) -> Any:
    if isinstance(value, Scores):
        return {key: _plain(getattr(value, key)) for key in SCORES}
    if isinstance(value, SelfComparison):
        return {key: _plain(getattr(value, key)) for key in SELFCHECK}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_data(summary: Summary, what: str = "summary", lang: str = "zh") -> dict[str, Any]:
    """The export as plain data: dicts, lists, str, int, float, bool and None. The keys are the
    schema's in every language; in English the few text values that are ours (a fact's 未填 or
    是/否, the score in words, the 检查人员备注 label) are English, the standard's text is not."""
    header = {key: _plain(field_of(summary, key)) for key in HEADER}
    head = {"schema_version": SCHEMA_VERSION, "document": what, "header": header}
    w = words(lang)
    if what == "rectification":
        data = {**head, "scored": summary.scores.scored, "rectification": _plain(summary.rectification),
                "facts": _plain(summary.facts), "notice": _plain(summary.notice)}
        return _english(data, summary, w) if w.en else data
    data = {key: _plain(field_of(summary, key)) for key in SUMMARY}  # the notice's own facts belong to the notice
    selfcheck = data.pop("selfcheck")
    attached = data.pop("attachments")
    data["warnings"] = [{"item": item, "message": message} for item, message in summary.warnings]
    data["failed"] = [row.id for row in summary.failed]
    data["not_applicable"] = [row.id for row in summary.not_applicable]
    data["unanswered"] = [row.id for row in summary.unanswered]
    if selfcheck is not None:  # only when a self-assessment is attached; last, after the lists of ids
        data["selfcheck"] = selfcheck
    if attached:  # only when files are attached; where this laptop stores them is not for the reader
        data["attachments"] = [{k: v for k, v in row.items() if k != "path"} for row in attached]
    data = {**head, **data}
    return _english(data, summary, w) if w.en else data


def _english(data: dict[str, Any], summary: Summary, w: Words) -> dict[str, Any]:
    """Our words among the values, in English (the Chinese ones are the model's as built)."""
    for fact, out in zip(summary.facts, data["facts"]):
        out["text"] = fact_value(fact, w)
    for row in data["rectification"]:
        row["found"] = found_words(row["found"], w)
    if "score_text" in data:  # the summary: core/score_line.py's words, rebuilt from the figures
        data["score_text"] = score_words(summary.scores.line, lang="en")
    return data


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    text = json.dumps(to_data(summary, what, lang), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
