"""The expression language's own tree: what a compiled `when`, `count` or `applies_when` is.

Each node has `kind` (its value kind, checked when the checklist loads) and `eval(env)`, with
three-valued logic: a fact not yet entered is `UNKNOWN`, and whatever needs it is UNKNOWN too.
expr.py builds these from Python's syntax tree through a whitelist; explain.py reads them back
as words. Nothing here parses or runs text.
"""

from __future__ import annotations

import ast  # operator classes only, as the nodes' operators: nothing is parsed here
import datetime as dt
from ...quick_dataclass import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

from ..unknown import UNKNOWN

#: Value kinds, for the load-time type check.
NUM, BOOL, DATE, STR, LIST, ANY = "number", "boolean", "date", "text", "list", "any"

RESULT_BOUND = Decimal(10) ** 24


@dataclass(frozen=True)
class Const:
    value: Any
    kind: str

    def eval(self, env: Mapping[str, Any]) -> Any:
        return self.value


@dataclass(frozen=True)
class Name:
    name: str
    kind: str

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = env.get(self.name, UNKNOWN)
        return UNKNOWN if value is None else value


@dataclass(frozen=True)
class Not:
    operand: Any
    kind: str = BOOL

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.operand.eval(env)
        return UNKNOWN if value is UNKNOWN else not truth(value)


@dataclass(frozen=True)
class BoolOp:
    is_and: bool
    operands: tuple
    kind: str = BOOL

    def eval(self, env: Mapping[str, Any]) -> Any:
        # Kleene logic: a settled operand decides even when another is unknown.
        saw_unknown = False
        for operand in self.operands:
            value = operand.eval(env)
            if value is UNKNOWN:
                saw_unknown = True
            elif truth(value) != self.is_and:
                return not self.is_and
        return UNKNOWN if saw_unknown else self.is_and


COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


@dataclass(frozen=True)
class Compare:
    left: Any
    ops: tuple
    rights: tuple
    kind: str = BOOL

    def eval(self, env: Mapping[str, Any]) -> Any:
        left = self.left.eval(env)
        for op, right_node in zip(self.ops, self.rights):
            right = right_node.eval(env)
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            if not COMPARE[op](norm(left), norm(right)):
                return False
            left = right
        return True


ARITH: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
}


@dataclass(frozen=True)
class Arith:
    op: type
    left: Any
    right: Any
    kind: str = NUM

    def eval(self, env: Mapping[str, Any]) -> Any:
        left, right = self.left.eval(env), self.right.eval(env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        try:
            result = ARITH[self.op](as_number(left), as_number(right))
        except (ZeroDivisionError, InvalidOperation):
            return UNKNOWN
        # No rule needs numbers past the input bounds squared: past that it is no answer, never
        # an Infinity printed in a finding.
        return result if result.is_finite() and abs(result) <= RESULT_BOUND else UNKNOWN


@dataclass(frozen=True)
class Neg:
    operand: Any
    kind: str = NUM

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.operand.eval(env)
        return UNKNOWN if value is UNKNOWN else -as_number(value)


@dataclass(frozen=True)
class List:
    items: tuple
    kind: str = LIST

    def eval(self, env: Mapping[str, Any]) -> Any:
        return tuple(norm(item.eval(env)) for item in self.items)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    kind: str

    def eval(self, env: Mapping[str, Any]) -> Any:
        values = [arg.eval(env) for arg in self.args]
        if self.name == "known":
            return values[0] is not UNKNOWN
        if any(value is UNKNOWN for value in values):
            return UNKNOWN
        try:
            return FUNCTIONS[self.name][2](*values)
        except (ValueError, OverflowError, ArithmeticError):
            return UNKNOWN  # e.g. a date pushed past year 9999: no answer rather than a crash


def truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    return bool(value)


def as_number(value: Any) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def norm(value: Any) -> Any:
    """Make ints, floats and Decimals compare as Decimals; leave dates and text alone."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return value


def add_months(day: dt.date, months: Any) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    total = day.year * 12 + (day.month - 1) + int(as_number(months))
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def months_between(start: dt.date, end: dt.date) -> Decimal:
    """Whole months from `start` to `end` (negative when `end` is earlier).

    Defined as the largest n with add_months(start, n) <= end, so that the two functions agree at
    month ends: from 31 January, 29 February is one month on.
    """
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return Decimal(months)


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# name: (argument kinds or None for variadic of one kind, result kind, function)
FUNCTIONS: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "date": ((STR,), DATE, parse_date),
    "add_months": ((DATE, NUM), DATE, add_months),
    "months_between": ((DATE, DATE), NUM, months_between),
    "days_between": ((DATE, DATE), NUM, lambda a, b: Decimal((b - a).days)),
    "count_true": (("*", BOOL), NUM, lambda *xs: Decimal(sum(1 for x in xs if truth(x)))),
    "count_false": (("*", BOOL), NUM, lambda *xs: Decimal(sum(1 for x in xs if not truth(x)))),
    "year": ((DATE,), NUM, lambda d: Decimal(d.year)),
    "known": ((ANY,), BOOL, None),
    "min": (("*", NUM), NUM, lambda *xs: min(as_number(x) for x in xs)),
    "max": (("*", NUM), NUM, lambda *xs: max(as_number(x) for x in xs)),
}
