"""Conditions in words: what a rule's `when` says and what it found, never the formula.

The inspector reads “正式党员人数(60人)超过 50,且 党组织类型(党支部)为 党支部”, not
`full_members > 50 and org_type == "党支部"`. `words(expr, facts)` says the condition; with `env`
each fact carries its value, so the same sentence is the finding of a fired rule: the facts and the
threshold that decided it.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from typing import Any, Mapping

from ..checklist import expr_tree as ex
from ..session.answers import fact_text
from ..checklist.model import Fact
from ..numbers import points_text
from ..unknown import UNKNOWN

_OPS_ZH = {
    ast.Gt: "超过", ast.GtE: "不少于", ast.Lt: "少于", ast.LtE: "不超过",
    ast.Eq: "为", ast.NotEq: "不为", ast.In: "属于", ast.NotIn: "不属于",
}
_OPS_EN = {
    ast.Gt: "is over", ast.GtE: "is at least", ast.Lt: "is under", ast.LtE: "is at most",
    ast.Eq: "is", ast.NotEq: "is not", ast.In: "is one of", ast.NotIn: "is none of",
}
_DATE_OPS_ZH = {ast.Gt: "晚于", ast.GtE: "不早于", ast.Lt: "早于", ast.LtE: "不晚于"}
_DATE_OPS_EN = {ast.Gt: "is after", ast.GtE: "is not before", ast.Lt: "is before", ast.LtE: "is not after"}
_ARITH = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷", ast.FloorDiv: "÷"}


def words(expression: ex.Expr, facts: Mapping[str, Fact], env: Mapping[str, Any] | None = None,
          lang: str = "zh") -> str:
    """The condition in words; with `env`, each fact followed by its value in brackets."""
    return _Words(facts, env, lang).say(expression.root)


class _Words:
    def __init__(self, facts: Mapping[str, Fact], env: Mapping[str, Any] | None, lang: str) -> None:
        self.facts, self.env, self.zh = facts, env, lang == "zh"

    def say(self, node: Any) -> str:
        if isinstance(node, ex.BoolOp):
            joiner = ("且" if node.is_and else "或") if self.zh else (" and " if node.is_and else " or ")
            sep = ("," + joiner) if self.zh else joiner
            return sep.join(self.say(op) for op in node.operands)
        if isinstance(node, ex.Not):
            if isinstance(node.operand, ex.Name) and node.operand.kind == ex.BOOL:
                return self.flag(node.operand, False)
            if isinstance(node.operand, ex.BoolOp):  # not (a and b): "未全部满足:a;b"
                parts = [self.say(op) for op in node.operand.operands]
                if self.zh:
                    head = "以下未全部满足:" if node.operand.is_and else "以下都不满足:"
                    return head + ";".join(parts)
                head = "not all of: " if node.operand.is_and else "none of: "
                return head + "; ".join(parts)
            return ("并非(" + self.say(node.operand) + ")") if self.zh else f"not ({self.say(node.operand)})"
        if isinstance(node, ex.Name) and node.kind == ex.BOOL:
            return self.flag(node, True)
        if isinstance(node, ex.Compare):
            parts, left = [], node.left
            for op, right in zip(node.ops, node.rights):
                dated = ex.DATE in (left.kind, right.kind)
                table = (_DATE_OPS_ZH if dated else _OPS_ZH) if self.zh else (_DATE_OPS_EN if dated else _OPS_EN)
                word = table.get(op) or (_OPS_ZH if self.zh else _OPS_EN)[op]
                gap = "" if self.zh else " "
                parts.append(f"{self.say(left)}{gap}{word} {self.say(right)}")
                left = right
            return ("," if self.zh else ", and ").join(parts)
        return self.value(node)

    def value(self, node: Any) -> str:
        if isinstance(node, ex.Const):
            return _const(node.value, self.zh)
        if isinstance(node, ex.Name):
            return self.name(node)
        if isinstance(node, ex.Arith):
            suffix = ("(取整)" if self.zh else " (whole part)") if node.op is ast.FloorDiv else ""
            return f"{self.value(node.left)} {_ARITH[node.op]} {self.value(node.right)}{suffix}"
        if isinstance(node, ex.Neg):
            return f"−{self.value(node.operand)}"
        if isinstance(node, ex.List):
            return ("、" if self.zh else ", ").join(self.value(item) for item in node.items)
        if isinstance(node, ex.Call):
            return self.call(node)
        return self.say(node)

    def call(self, node: ex.Call) -> str:
        args = [self.value(a) for a in node.args]
        name, zh = node.name, self.zh
        if name in ("count_false", "count_true"):
            which = ("为否" if name == "count_false" else "为是") if zh else ("no" if name == "count_false" else "yes")
            listed = ("、" if zh else ", ").join(args)
            return f"{listed}中{which}的项数" if zh else f"how many of {listed} are {which}"
        if name == "add_months":
            return f"{args[0]}后{args[1]}个月" if zh else f"{args[1]} months after {args[0]}"
        if name == "months_between":
            return f"{args[0]}至{args[1]}的月数" if zh else f"months from {args[0]} to {args[1]}"
        if name == "days_between":
            return f"{args[0]}至{args[1]}的天数" if zh else f"days from {args[0]} to {args[1]}"
        if name == "known":
            return f"{args[0]}已填" if zh else f"{args[0]} is entered"
        if name == "year":
            return f"{args[0]}的年份" if zh else f"the year of {args[0]}"
        if name == "date":
            return args[0]
        joined = ("、" if zh else ", ").join(args)
        return (f"{joined}中的{'较小' if name == 'min' else '较大'}者" if zh
                else f"the {'smaller' if name == 'min' else 'larger'} of {joined}")

    def flag(self, node: ex.Name, wanted: bool) -> str:
        """A yes/no fact: “是否设立支委会为否”, or with its value “是否设立支委会:否”."""
        fact = self.facts.get(node.name)
        if self.env is not None and fact is not None and node.name in self.env:
            return f"{fact.label}{':' if self.zh else ': '}{fact_text(fact, self.env[node.name], lang='zh' if self.zh else 'en')}"
        label = fact.label if fact is not None else node.name
        if self.zh:
            return label + ("为是" if wanted else "为否")
        return f"{label} is {'yes' if wanted else 'no'}"

    def name(self, node: ex.Name) -> str:
        if node.name == "inspection_date":
            label = "检查日期" if self.zh else "the inspection date"
            return label + (f"({self.env['inspection_date']})" if self.env and "inspection_date" in self.env else "")
        if node.name == "count":
            label = "计数" if self.zh else "the count"
            return label
        fact = self.facts.get(node.name)
        label = fact.label if fact is not None else node.name
        if self.env is None or fact is None:
            return label
        value = self.env.get(node.name, UNKNOWN)
        return f"{label}({fact_text(fact, value, lang='zh' if self.zh else 'en')})"


def _const(value: Any, zh: bool) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return points_text(value)
    if isinstance(value, (int, float)):
        return points_text(Decimal(str(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return f"“{value}”" if zh else f"“{value}”"
    return str(value)
