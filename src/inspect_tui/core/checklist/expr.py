"""A tiny expression language for conditions in checklists (`when`, `count`, `applies_when`).

A checklist is data that anyone may edit, so nothing in it is ever run as Python. Expressions are
parsed with `ast.parse` (which only builds a syntax tree) and then translated, node by node, into
this module's own small tree; any construct not on the whitelist is a load-time error. Evaluation
walks our tree with three-valued logic: a fact not yet entered is `UNKNOWN`, and a rule that depends
on it waits rather than guessing.
"""

from __future__ import annotations

import ast
from ...quick_dataclass import dataclass
from typing import Any, Mapping

from ..numbers import NumberError, bounded
from ..errors import ExprError, english
from .expr_tree import (
    ANY, ARITH, BOOL, COMPARE, DATE, FUNCTIONS, LIST, NUM, STR, Arith, BoolOp, Call, Compare, Const, List, Name,
    Neg, Not, parse_date,
)

MAX_LENGTH = 500

#: The names every expression may use besides the checklist's facts.
BUILTIN_NAMES = {"inspection_date": DATE, "count": NUM}


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
            return Const(value, BOOL)
        if isinstance(value, (int, float)):
            try:
                return Const(bounded(value), NUM)
            except NumberError as exc:
                raise self.fail(node, english(exc)) from None
        if isinstance(value, str):
            return Const(value, STR)
        raise self.fail(node, f"not allowed in an expression: {value!r}")

    def visit_Name(self, node: ast.Name) -> Any:
        lowered = {"true": True, "false": False}
        if node.id in lowered:
            return Const(lowered[node.id], BOOL)
        if node.id not in self.scope:
            import difflib

            close = difflib.get_close_matches(node.id, list(self.scope), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.fail(node, f"unknown fact {node.id!r}{hint}")
        if node.id not in BUILTIN_NAMES:
            self.used.add(node.id)
        elif node.id == "inspection_date":
            self.dated = True
        return Name(node.id, self.scope[node.id])

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return Not(operand)
        if isinstance(node.op, ast.USub):
            self.expect(node.operand, operand, NUM)
            return Neg(operand)
        raise self.fail(node, "only 'not' and '-' are allowed before a value")

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        return BoolOp(isinstance(node.op, ast.And), tuple(self.visit(v) for v in node.values))

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        rights = tuple(self.visit(c) for c in node.comparators)
        previous = left
        for op, right, right_node in zip(node.ops, rights, node.comparators):
            if type(op) not in COMPARE:
                raise self.fail(node, "only == != < <= > >= in 'not in' compare values")
            if isinstance(op, (ast.In, ast.NotIn)):
                if right.kind != LIST:
                    raise self.fail(right_node, "'in' needs a list such as [\"党委\", \"党总支\"]")
            elif ANY not in (previous.kind, right.kind) and previous.kind != right.kind:
                if not {previous.kind, right.kind} <= {NUM, BOOL} or type(op) not in (ast.Eq, ast.NotEq):
                    raise self.fail(node, f"cannot compare {previous.kind} with {right.kind}")
            previous = right
        return Compare(left, tuple(type(op) for op in node.ops), rights)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        if type(node.op) not in ARITH:
            raise self.fail(node, "only + - * / // are allowed")
        left, right = self.visit(node.left), self.visit(node.right)
        for sub, value in ((node.left, left), (node.right, right)):
            self.expect(sub, value, NUM, BOOL)
        return Arith(type(node.op), left, right)

    def visit_List(self, node: ast.List) -> Any:
        items = tuple(self.visit(e) for e in node.elts)
        for element, item in zip(node.elts, items):
            if not isinstance(item, Const):
                raise self.fail(element, "a list may hold only constants")
        return List(items)

    visit_Tuple = visit_List

    def visit_Call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            names = ", ".join(sorted(FUNCTIONS))
            raise self.fail(node, f"unknown function (known: {names})")
        if node.keywords:
            raise self.fail(node, "functions take positional arguments only")
        name = node.func.id
        kinds, result, _ = FUNCTIONS[name]
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
            if not isinstance(args[0], Const):
                raise self.fail(node, "date() takes a literal such as date(\"2024-01-01\")")
            try:
                return Const(parse_date(args[0].value), DATE)
            except ValueError:
                raise self.fail(node, f"not a date (YYYY-MM-DD): {args[0].value!r}") from None
        return Call(name, args, result)

    def expect(self, node: ast.AST, value: Any, *kinds: str) -> None:
        if value.kind not in kinds and value.kind != ANY:
            raise self.fail(node, f"expected {' or '.join(kinds)}, found {value.kind}")
