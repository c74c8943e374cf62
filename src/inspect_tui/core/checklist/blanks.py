"""The standard's blanks (填空), filled from the facts entered; and a fact's value as a document shows it.

A published standard prints its 评价内容 with blanks: "社区党组织共有正式党员___人". A checklist
writes a blank that a fact answers as a placeholder naming the fact, `{full_members}`, so that
every document, the CLI and the app print "共有正式党员86人" once the count is entered and keep
the blank "___" until then (unknown stays unknown: nothing is guessed). A blank that no fact
answers stays "___" in the YAML itself.

Placeholders:
- `{fact_id}` — the value as the document shows it: a number without trailing zeros, 是/否, a
  date as 2026年3月15日, a choice or text as entered, a list of dates with its count;
- `{fact_id:有/无}` — a yes/no fact in the standard's own words (the first when true), for a
  blank that asks "组织委员___" where the checklist only records whether there is one;
- `{{` and `}}` — a literal brace.

`placeholders(text)` is what the loader validates; `fill(text, checklist, facts)` is what the
renderers call. No Textual, no Rich: the core's.
"""

from __future__ import annotations

import datetime as dt
import re
from ...quick_dataclass import dataclass
from decimal import Decimal
from typing import Any, Iterator, Mapping

from .model import Checklist, Fact
from ..errors import BlankError
from ..numbers import points_text

BLANK = "___"
DATE_BLANK = "___年___月___日"  # an unknown date keeps the form's own layout
UNENTERED = "未填"  # a fact left blank, in the 基本情况 table of a document
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^([a-z][a-z0-9_]*)(?::([^/:]+)/([^/:]+))?$")


@dataclass(frozen=True)
class Placeholder:
    fact: str
    offset: int  # where `{` stands in the text
    words: tuple[str, str] | None = None  # {fact:有/无}: what true and false read as


def placeholders(text: str) -> Iterator[Placeholder]:
    """Every placeholder of `text` in order; BlankError for a stray brace or a bad name."""
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise BlankError(f"a lone {token!r}: a placeholder is {{fact_id}}, a literal brace is written {token * 2}",
                             match.start())
        parsed = _NAME.match(match.group(1).strip())
        if parsed is None:
            raise BlankError(f"placeholder {token} must name a fact, {{fact_id}} or {{fact_id:是/否}}", match.start())
        fact, yes, no = parsed.groups()
        yield Placeholder(fact, match.start(), (yes, no) if yes is not None else None)


def fill(text: str, checklist: Checklist, facts: Mapping[str, Any]) -> str:
    """`text` with each placeholder replaced by its fact's value, or by the blank when the fact
    has not been entered (or the text names a fact this checklist does not have)."""
    if "{" not in text and "}" not in text:
        return text  # almost every text: no work
    known = {fact.id: fact for fact in checklist.facts}

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}") or match.group(1) is None:
            return token[0]  # a stray brace in an unvalidated text is shown as written
        parsed = _NAME.match(match.group(1).strip())
        if parsed is None:
            return token
        fact_id, yes, no = parsed.groups()
        fact = known.get(fact_id)
        value = facts.get(fact_id)
        if fact is None or value is None:
            return DATE_BLANK if fact is not None and fact.type == "date" else BLANK
        if yes is not None and isinstance(value, bool):
            return yes if value else no
        return value_text(fact, value)

    return _TOKEN.sub(replace, text)


def value_text(fact: Fact | None, value: Any) -> str:
    """A fact's value as a document prints it; "" when there is none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return points_text(value)
    if isinstance(value, (int, float)):
        return points_text(Decimal(str(value)))
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, (tuple, list)):
        return dates_text(value)
    if hasattr(value, "to_json") and callable(getattr(value, "text", None)):
        return value.text()  # a `dates` fact's records.DateList prints itself: 2026-01-05、…(共2次)
    return str(value)


def cn_date(day: dt.date) -> str:
    """2026年3月15日, as an official document writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def dates_text(days: tuple | list) -> str:
    """A list of dates (meeting records): 2026-01-05、2026-02-03(共2次); 无记录 when empty."""
    if not days:
        return "无记录(共0次)"
    shown = "、".join(d.isoformat() if isinstance(d, dt.date) else str(d) for d in sorted(days, key=str))
    return f"{shown}(共{len(days)}次)"


@dataclass(frozen=True)
class FactLine:
    """One line of the 基本情况 table: the fact as entered, or 未填."""

    id: str
    label: str
    type: str
    unit: str
    entered: bool
    text: str  # the value as printed (no unit), UNENTERED when blank
    value: Any = None  # as JSON carries it: a number, true/false, "2026-03-15", a list of dates
    # (or {"total": n} when only the number of meetings was entered), text


def fact_lines(checklist: Checklist, facts: Mapping[str, Any]) -> tuple[FactLine, ...]:
    """Every fact of the checklist, in its order, with its value or 未填."""
    lines = []
    for fact in checklist.facts:
        value = facts.get(fact.id)
        entered = value is not None
        lines.append(FactLine(fact.id, fact.label, fact.type, fact.unit, entered,
                              value_text(fact, value) if entered else UNENTERED, _plain(value)))
    return tuple(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "to_json"):
        return value.to_json()  # records.DateList: ["2026-01-05", …], or {"total": n}
    return value  # a Decimal stays one: the JSON renderer writes numbers
