"""Reading YAML nodes into checked values, every problem collected with its FILE:LINE:COL.

`NodeReader` is what the checklist loader is built on: a mapping with its known, required and
unknown keys (with a did-you-mean), a scalar of the expected kinds, a text through the one gate
(core/text.py), points as exact bounded decimals, an expression compiled against the facts' kinds,
a text's {fact} blanks, an id claimed once. It never raises on bad input: it records a Problem and
returns nothing, so the loader can go on and report every problem of a file in one pass.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any, Iterable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import expr as ex
from ..numbers import MAX_TEXT, NumberError, bounded
from ..errors import english
from ..text import TextError, check as check_text
from .blanks import BlankError, placeholders
from .yamlsafe import Problem, scalar_value, unsafe_tag, where


class NodeReader:
    """Checked values from YAML nodes; problems collected in `problems`, never raised."""

    def __init__(self, name: str, multiline: set[str] | frozenset[str] = frozenset()) -> None:
        self.name = name
        self.multiline = multiline  # the texts that may hold line breaks (the gate refuses one elsewhere)
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.fact_kinds: dict[str, str] = {}

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.name, *where(node), message))

    def mapping(self, node: Node, keys: dict[str, bool], what: str) -> dict[str, Node] | None:
        """The mapping's values by key; unknown, duplicate and missing keys are reported."""
        if not isinstance(node, MappingNode) or unsafe_tag(node):
            self.problem(node, f"{what} must be a mapping (key: value)")
            return None
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            unsafe = unsafe_tag(key_node)
            if unsafe:
                self.problem(key_node, f"tag {unsafe} is not allowed")
                continue
            key = scalar_value(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.problem(key_node, f"{what}: keys must be text")
                continue
            if key in found:
                self.problem(key_node, f"duplicate key {key!r}")
                continue
            if key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(keys)})"
                self.problem(key_node, f"unknown key {key!r} in {what}{hint}")
                continue
            found[key] = value_node
        for key, required in keys.items():
            if required and key not in found:
                self.problem(node, f"{what} is missing {key!r}")
        return found

    def scalar(self, node: Node | None, kinds: tuple[type, ...], what: str) -> Any:
        if node is None:
            return None
        tag = unsafe_tag(node)
        if tag is not None:
            self.problem(node, f"tag {tag} is not allowed")
            return None
        if not isinstance(node, ScalarNode):
            self.problem(node, f"{what} must be a single value")
            return None
        if node.tag.endswith((":int", ":float")) and len(node.value) > MAX_TEXT:
            self.problem(node, f"{what}: number too long")  # before Python converts 5,000 digits
            return None
        try:
            value = scalar_value(node)
        except Exception as exc:  # a malformed timestamp and the like
            self.problem(node, f"{what}: bad value ({exc})")
            return None
        if value is None and type(None) not in kinds:
            self.problem(node, f"{what} is empty")
            return None
        if value is not None and (not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)):
            wanted = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds if k is not type(None))
            self.problem(node, f"{what} must be {wanted}, found {value!r}")
            return None
        return value

    def text(self, node: Node | None, what: str, required: bool = False) -> str:
        value = self.scalar(node, (str, int, float, type(None)), what)
        if value is None:
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(node, f"{what} is empty")  # type: ignore[arg-type]
        try:
            check_text(value, "standard", multiline=what in self.multiline)
        except TextError as exc:
            self._refuse(node, value, what, exc)  # type: ignore[arg-type]
            return ""
        return value

    def _refuse(self, node: Node, value: str, what: str, exc: TextError) -> None:
        """A text the gate refused, at the character itself where the file shows it as typed: in a
        plain one-line scalar the n-th character is n-1 columns after the node's start (the value
        was stripped, but a plain scalar starts with no blank); in a quoted or block one, escapes
        and indentation part the two, so the node's own position and the character count."""
        line, col = where(node)
        plain = isinstance(node, ScalarNode) and node.style is None and node.start_mark.line == node.end_mark.line
        if plain and exc.column:
            col += exc.column - 1
        self.problems.append(Problem(self.name, line, col, f"{what}: {english(exc)}"))

    def flag(self, node: Node | None, what: str, default: bool) -> bool:
        value = self.scalar(node, (bool,), what)
        return default if value is None else value

    def points(self, node: Node | None, what: str, positive: bool = False) -> Decimal | None:
        value = self.scalar(node, (int, float), what)
        if value is None:
            return None
        try:
            amount = bounded(value)
        except NumberError as exc:
            self.problem(node, f"{what}: {english(exc)}")  # type: ignore[arg-type]
            return None
        if amount < 0 or (positive and amount == 0):
            self.problem(node, f"{what} must be {'greater than 0' if positive else '0 or more'}")  # type: ignore[arg-type]
            return None
        return amount

    def sequence(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, SequenceNode) or unsafe_tag(node):
            self.problem(node, f"{what} must be a list (- …)")
            return []
        return list(node.value)

    def expression(self, node: Node | None, what: str, kinds: Iterable[str]) -> ex.Expr | None:
        if node is None:
            return None
        source = self.scalar(node, (str, bool), what)
        if isinstance(source, bool):  # `when: true` reads as a YAML boolean: it means the constant
            source = "true" if source else "false"
        if source is None:
            return None
        try:
            compiled = ex.compile_expr(source, self.fact_kinds)
        except ex.ExprError as exc:
            line, col = where(node)
            # Point into the expression when it sits on one plain line.
            if node.style is None and "\n" not in source:
                col += exc.col - 1
            self.problems.append(Problem(self.name, line, col, f"{what}: {exc.message}"))
            return None
        kinds = tuple(kinds)
        if compiled.kind not in kinds and compiled.kind != ex.ANY:
            self.problem(node, f"{what} must give {' or '.join(kinds)}, but gives {compiled.kind}")
            return None
        return compiled

    def blanks(self, node: Node | None, text: str, what: str) -> None:
        """Every `{placeholder}` in a text names a fact of this checklist (see blanks.py)."""
        if node is None or ("{" not in text and "}" not in text):
            return
        line, col = where(node)
        # Point into the text when it sits on one plain line, as for an expression.
        inline = node.style in (None, "") and "\n" not in text  # plain (LibYAML says "")

        def at(offset: int) -> int:
            return col + offset if inline else col

        try:
            for blank in placeholders(text):
                if blank.fact not in self.fact_kinds:
                    close = difflib.get_close_matches(blank.fact, list(self.fact_kinds), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    self.problems.append(Problem(self.name, line, at(blank.offset),
                                                 f"{what}: {{{blank.fact}}} names no fact of this checklist{hint}"))
                elif blank.words is not None and self.fact_kinds[blank.fact] != ex.BOOL:
                    self.problems.append(Problem(self.name, line, at(blank.offset),
                                                 f"{what}: {{{blank.fact}:…/…}} words need a boolean fact"))
        except BlankError as exc:
            self.problems.append(Problem(self.name, line, at(exc.offset), f"{what}: {exc.message}"))

    def claim_id(self, node: Node | None, pattern: re.Pattern[str], what: str) -> str:
        value = self.text(node, what, required=True)
        if not value:
            return ""
        if not pattern.match(value):
            self.problem(node, f"{what} {value!r} may use only letters, digits, '_', '-' and '.'")  # type: ignore[arg-type]
        elif value in self.ids:
            self.problem(node, f"duplicate id {value!r} (first used on line {self.ids[value]})")  # type: ignore[arg-type]
        else:
            self.ids[value] = where(node)[0]  # type: ignore[arg-type]
        return value


_KIND_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
