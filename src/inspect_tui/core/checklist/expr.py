"""A tiny expression language for conditions in checklists (`when`, `count`, `applies_when`).

A checklist is data that anyone may edit, so nothing in it is ever run as Python. Expressions are
parsed with `ast.parse` (which only builds a syntax tree) and then translated, node by node, into
this module's own small tree; any construct not on the whitelist is a load-time error. Evaluation
walks our tree with three-valued logic: a fact not yet entered is `UNKNOWN`, and a rule that depends
on it waits rather than guessing.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

MAX_LENGTH = 500

#: Value kinds, for the load-time type check.
NUM, BOOL, DATE, STR, LIST, ANY = "number", "boolean", "date", "text", "list", "any"

#: The names every expression may use besides the checklist's facts.
BUILTIN_NAMES = {"inspection_date": DATE, "count": NUM}


from ..numbers import NumberError, bounded
from ..unknown import UNKNOWN, _Unknown  # noqa: E402,F401  (re-exported: expressions evaluate to it)
from ..problems import halves


RESULT_BOUND = Decimal(10) ** 24


class ExprError(ValueError):
    """An expression that does not parse or does not type-check. `col` is 1-based in the text."""

    def __init__(self, message: str, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.col = col


# ---------------------------------------------------------------------------------------------
# Our own tree. Each node has `kind` (its value kind) and `eval(env)`.


@dataclass(frozen=True)
class _Const:
    value: Any
    kind: str

    def eval(self, env: Mapping[str, Any]) -> Any:
        return self.value


@dataclass(frozen=True)
class _Name:
    name: str
    kind: str

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = env.get(self.name, UNKNOWN)
        return UNKNOWN if value is None else value


@dataclass(frozen=True)
class _Not:
    operand: Any
    kind: str = BOOL

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.operand.eval(env)
        return UNKNOWN if value is UNKNOWN else not _truth(value)


@dataclass(frozen=True)
class _BoolOp:
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
            elif _truth(value) != self.is_and:
                return not self.is_and
        return UNKNOWN if saw_unknown else self.is_and


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
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
class _Compare:
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
            if not _COMPARE[op](_norm(left), _norm(right)):
                return False
            left = right
        return True


_ARITH: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
}


@dataclass(frozen=True)
class _Arith:
    op: type
    left: Any
    right: Any
    kind: str = NUM

    def eval(self, env: Mapping[str, Any]) -> Any:
        left, right = self.left.eval(env), self.right.eval(env)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        try:
            result = _ARITH[self.op](_num(left), _num(right))
        except (ZeroDivisionError, InvalidOperation):
            return UNKNOWN
        # No rule needs numbers past the input bounds squared: past that it is no answer, never
        # an Infinity printed in a finding.
        return result if result.is_finite() and abs(result) <= RESULT_BOUND else UNKNOWN


@dataclass(frozen=True)
class _Neg:
    operand: Any
    kind: str = NUM

    def eval(self, env: Mapping[str, Any]) -> Any:
        value = self.operand.eval(env)
        return UNKNOWN if value is UNKNOWN else -_num(value)


@dataclass(frozen=True)
class _List:
    items: tuple
    kind: str = LIST

    def eval(self, env: Mapping[str, Any]) -> Any:
        return tuple(_norm(item.eval(env)) for item in self.items)


@dataclass(frozen=True)
class _Call:
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
            return _FUNCTIONS[self.name][2](*values)
        except (ValueError, OverflowError, ArithmeticError):
            return UNKNOWN  # e.g. a date pushed past year 9999: no answer rather than a crash


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    return bool(value)


def _num(value: Any) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _norm(value: Any) -> Any:
    """Make ints, floats and Decimals compare as Decimals; leave dates and text alone."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return value


def add_months(day: dt.date, months: Any) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    total = day.year * 12 + (day.month - 1) + int(_num(months))
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


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# name: (argument kinds or None for variadic of one kind, result kind, function)
_FUNCTIONS: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "date": ((STR,), DATE, _parse_date),
    "add_months": ((DATE, NUM), DATE, add_months),
    "months_between": ((DATE, DATE), NUM, months_between),
    "days_between": ((DATE, DATE), NUM, lambda a, b: Decimal((b - a).days)),
    "count_true": (("*", BOOL), NUM, lambda *xs: Decimal(sum(1 for x in xs if _truth(x)))),
    "count_false": (("*", BOOL), NUM, lambda *xs: Decimal(sum(1 for x in xs if not _truth(x)))),
    "year": ((DATE,), NUM, lambda d: Decimal(d.year)),
    "known": ((ANY,), BOOL, None),
    "min": (("*", NUM), NUM, lambda *xs: min(_num(x) for x in xs)),
    "max": (("*", NUM), NUM, lambda *xs: max(_num(x) for x in xs)),
}


@dataclass(frozen=True)
class Expr:
    """A compiled expression: its source text, its tree, and the fact ids it reads."""

    source: str
    root: Any
    names: frozenset[str]
    dated: bool = False  # reads inspection_date

    @property
    def kind(self) -> str:
        return self.root.kind

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """The value, or `UNKNOWN` when a fact it needs has not been entered."""
        return self.root.eval(env)

    def __str__(self) -> str:
        return self.source


def compile_expr(text: str, names: Mapping[str, str]) -> Expr:
    """Parse and type-check `text`. `names` maps each fact id to its kind (NUM, BOOL, …)."""
    if not isinstance(text, str):
        raise ExprError("expected an expression (text)")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExprError("empty expression")
    source = text.strip()
    lead = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(source, mode="eval")
        used: set[str] = set()
        translator = _Translator({**BUILTIN_NAMES, **names}, used)
        root = translator.visit(tree.body)
    except SyntaxError as exc:
        raise ExprError(f"syntax error: {exc.msg}", lead + (exc.offset or 1)) from None
    except ExprError as exc:
        # Python counts columns in UTF-8 bytes; people count characters.
        chars = len(source.encode("utf-8")[: exc.col - 1].decode("utf-8", errors="ignore"))
        raise ExprError(exc.message, lead + chars + 1) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("expression too deeply nested") from None
    return Expr(source=source, root=root, names=frozenset(used), dated=translator.dated)


class _Translator:
    """Python syntax tree → our tree, refusing anything off the whitelist."""

    def __init__(self, scope: Mapping[str, str], used: set[str]) -> None:
        self.scope = scope
        self.used = used
        self.dated = False

    def fail(self, node: ast.AST, message: str) -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0) + 1)

    def visit(self, node: ast.AST) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, f"not allowed in an expression: {type(node).__name__}")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool):
            return _Const(value, BOOL)
        if isinstance(value, (int, float)):
            try:
                return _Const(bounded(value), NUM)
            except NumberError as exc:
                raise self.fail(node, halves(exc)[1]) from None
        if isinstance(value, str):
            return _Const(value, STR)
        raise self.fail(node, f"not allowed in an expression: {value!r}")

    def visit_Name(self, node: ast.Name) -> Any:
        lowered = {"true": True, "false": False}
        if node.id in lowered:
            return _Const(lowered[node.id], BOOL)
        if node.id not in self.scope:
            import difflib

            close = difflib.get_close_matches(node.id, list(self.scope), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.fail(node, f"unknown fact {node.id!r}{hint}")
        if node.id not in BUILTIN_NAMES:
            self.used.add(node.id)
        elif node.id == "inspection_date":
            self.dated = True
        return _Name(node.id, self.scope[node.id])

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return _Not(operand)
        if isinstance(node.op, ast.USub):
            self.expect(node.operand, operand, NUM)
            return _Neg(operand)
        raise self.fail(node, "only 'not' and '-' are allowed before a value")

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        return _BoolOp(isinstance(node.op, ast.And), tuple(self.visit(v) for v in node.values))

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        rights = tuple(self.visit(c) for c in node.comparators)
        previous = left
        for op, right, right_node in zip(node.ops, rights, node.comparators):
            if type(op) not in _COMPARE:
                raise self.fail(node, "only == != < <= > >= in 'not in' compare values")
            if isinstance(op, (ast.In, ast.NotIn)):
                if right.kind != LIST:
                    raise self.fail(right_node, "'in' needs a list such as [\"党委\", \"党总支\"]")
            elif ANY not in (previous.kind, right.kind) and previous.kind != right.kind:
                if not {previous.kind, right.kind} <= {NUM, BOOL} or type(op) not in (ast.Eq, ast.NotEq):
                    raise self.fail(node, f"cannot compare {previous.kind} with {right.kind}")
            previous = right
        return _Compare(left, tuple(type(op) for op in node.ops), rights)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        if type(node.op) not in _ARITH:
            raise self.fail(node, "only + - * / // are allowed")
        left, right = self.visit(node.left), self.visit(node.right)
        for sub, value in ((node.left, left), (node.right, right)):
            self.expect(sub, value, NUM, BOOL)
        return _Arith(type(node.op), left, right)

    def visit_List(self, node: ast.List) -> Any:
        items = tuple(self.visit(e) for e in node.elts)
        for element, item in zip(node.elts, items):
            if not isinstance(item, _Const):
                raise self.fail(element, "a list may hold only constants")
        return _List(items)

    visit_Tuple = visit_List

    def visit_Call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            names = ", ".join(sorted(_FUNCTIONS))
            raise self.fail(node, f"unknown function (known: {names})")
        if node.keywords:
            raise self.fail(node, "functions take positional arguments only")
        name = node.func.id
        kinds, result, _ = _FUNCTIONS[name]
        args = tuple(self.visit(a) for a in node.args)
        if kinds and kinds[0] == "*":
            if not args:
                raise self.fail(node, f"{name}() needs at least one argument")
            kinds = (kinds[1],) * len(args)
        if len(args) != len(kinds):
            raise self.fail(node, f"{name}() takes {len(kinds)} argument(s)")
        for arg_node, arg, kind in zip(node.args, args, kinds):
            if kind != ANY:
                self.expect(arg_node, arg, kind, *((BOOL,) if kind == NUM else ()))
        if name == "date":
            if not isinstance(args[0], _Const):
                raise self.fail(node, "date() takes a literal such as date(\"2024-01-01\")")
            try:
                return _Const(_parse_date(args[0].value), DATE)
            except ValueError:
                raise self.fail(node, f"not a date (YYYY-MM-DD): {args[0].value!r}") from None
        return _Call(name, args, result)

    def expect(self, node: ast.AST, value: Any, *kinds: str) -> None:
        if value.kind not in kinds and value.kind != ANY:
            raise self.fail(node, f"expected {' or '.join(kinds)}, found {value.kind}")
