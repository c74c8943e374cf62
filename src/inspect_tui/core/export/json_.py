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

from .common import number
from .model import SCHEMA_VERSION, Summary


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_data(summary: Summary, what: str = "summary") -> dict[str, Any]:
    """The export as plain data: dicts, lists, str, int, float, bool and None."""
    head = {"schema_version": SCHEMA_VERSION, "document": what, "header": _plain(summary.header)}
    if what == "rectification":
        return {**head, "scored": summary.scored, "rectification": _plain(summary.rectification),
                "facts": _plain(summary.facts), "notice": _plain(summary.notice)}
    data = _plain(summary)
    del data["header"], data["notice"]  # the notice's own facts belong to the notice
    selfcheck = data.pop("selfcheck")
    data["warnings"] = [{"item": item, "message": message} for item, message in summary.warnings]
    data["failed"] = [row.id for row in summary.failed]
    data["not_applicable"] = [row.id for row in summary.not_applicable]
    data["unanswered"] = [row.id for row in summary.unanswered]
    if selfcheck is not None:  # only when a self-assessment is attached; last, after the lists of ids
        data["selfcheck"] = selfcheck
    return {**head, **data}


def render(summary: Summary, what: str = "summary") -> bytes:
    text = json.dumps(to_data(summary, what), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
