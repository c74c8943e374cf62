"""Loading and validating checklist files.

`load_checklist(path)` returns a `Checklist` or raises `FileProblems` listing *every* problem in
the file as `FILE:LINE:COL: message`, so that whoever edits a standard fixes them in one pass.
The file is composed to YAML nodes by `yamlsafe` (safe, bounded) and walked here with the node
marks in hand; nothing in it is evaluated.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from . import expr as ex
from .records import EVERY, Frequency
from .model import FACT_TYPES, Checklist, Fact, Grade, Item, OneOf, Rule, Section, Source, Warning
from ..numbers import NumberError, bounded, points_text
from .nodes import NodeReader
from .yamlsafe import FileProblems, compose, read_text, where
from ..errors import english

FORMAT_VERSION = 1
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
CHECKLIST_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
FACT_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ITEM_DEPTH = 12
# The texts that may hold line breaks (the gate refuses one anywhere else: core/text.py).
MULTILINE = {"guidance", "help", "incomplete_note", "source.note", "warning message", "frequency what"}

TOP_KEYS = {
    "format": True, "id": True, "title": True, "version": True, "source": False,
    "complete": True, "incomplete_note": False, "scored": True, "na_allowed": False,
    "grades": False, "bonus_cap": False, "veto_grade": False, "facts": False, "sections": True,
}
SOURCE_KEYS = {"standard": False, "document": False, "year": False, "note": False}
FACT_KEYS = {
    "id": True, "label": True, "type": True, "choices": False, "unit": False, "min": False,
    "max": False, "help": False, "source": False,
}
ITEM_KEYS = {
    "id": True, "text": True, "guidance": False, "points": False, "source": False, "rules": False,
    "items": False, "applies_when": False, "warnings": False, "na_allowed": False, "bonus": False,
    "veto": False, "caps": False, "truncated": False,
}
SECTION_KEYS = {**{k: v for k, v in ITEM_KEYS.items() if k != "text"}, "title": True}
RULE_KEYS = {
    "clause": True, "points": False, "per": False, "count": False, "when": False, "source": False,
    "frequency": False,
}
FREQUENCY_KEYS = {
    "records": True, "every": True, "min": False, "max": False, "day": False, "what": False,
    "from": False, "to": False,
}
# A `dates` fact has a kind no operator or function accepts: it is read by `frequency` rules only.
FACT_KINDS = {
    "integer": ex.NUM, "number": ex.NUM, "boolean": ex.BOOL, "date": ex.DATE,
    "choice": ex.STR, "text": ex.STR, "dates": "dates",
}


def load_checklist(path: str | Path) -> Checklist:
    """Load and validate one checklist file."""
    path = Path(path)
    text = read_text(path, "YAML checklist")
    return parse_checklist(text, str(path), path)


def parse_checklist(text: str, name: str, path: Path | None = None) -> Checklist:
    root = compose(text, name)
    builder = _Builder(name)
    checklist = builder.checklist(root, path)
    if builder.problems or checklist is None:
        raise FileProblems(sorted(builder.problems, key=lambda p: (p.line, p.col)))
    return checklist


class _Builder(NodeReader):
    """Walks the node tree, building the model and collecting every problem on the way."""

    def __init__(self, name: str) -> None:
        super().__init__(name, MULTILINE)
        self.scored = True
        self.na_default = True

    # -- the document -------------------------------------------------------------------------

    def checklist(self, root: Node, path: Path | None) -> Checklist | None:
        top = self.mapping(root, TOP_KEYS, "the checklist")
        if top is None:
            return None
        fmt = self.scalar(top.get("format"), (int,), "format")
        if fmt is not None and fmt != FORMAT_VERSION:
            self.problem(top["format"], f"unsupported format {fmt} (this version reads format {FORMAT_VERSION})")
        checklist_id = self.text(top.get("id"), "id", required=True)
        if checklist_id and not CHECKLIST_ID_RE.match(checklist_id):
            self.problem(top["id"], f"checklist id {checklist_id!r} may use only a-z, 0-9, '_', '-' and '.'")
        self.scored = self.flag(top.get("scored"), "scored", True)
        self.na_default = self.flag(top.get("na_allowed"), "na_allowed", True)
        complete = self.flag(top.get("complete"), "complete", True)
        note = self.text(top.get("incomplete_note"), "incomplete_note")
        if "complete" in top and not complete and not note:
            self.problem(top["complete"], "an incomplete checklist needs an 'incomplete_note' saying what is missing")
        facts = tuple(self.fact(node) for node in self.sequence(top.get("facts"), "facts"))
        sections_nodes = self.sequence(top.get("sections"), "sections")
        if "sections" in top and not sections_nodes:
            self.problem(top["sections"], "a checklist needs at least one section")
        sections = tuple(self.item(node, 0, section=True) for node in sections_nodes)
        bonus_cap = self.points(top.get("bonus_cap"), "bonus_cap")
        if not self.scored:
            for key in ("grades", "bonus_cap"):
                if key in top and key == "bonus_cap":
                    self.problem(top[key], "bonus_cap needs a scored checklist (scored: true)")
        return Checklist(
            id=checklist_id,
            title=self.text(top.get("title"), "title", required=True),
            version=self.text(top.get("version"), "version", required=True),
            scored=self.scored,
            complete=complete,
            source=self.source(top.get("source")),
            incomplete_note=note,
            facts=tuple(f for f in facts if f is not None),
            sections=tuple(s for s in sections if isinstance(s, Section)),
            grades=self.grades(top.get("grades")),
            bonus_cap=bonus_cap,
            veto_grade=self.text(top.get("veto_grade"), "veto_grade") or "一票否决",
            path=path,
        )

    def source(self, node: Node | None) -> Source:
        if node is None:
            return Source()
        if isinstance(node, ScalarNode):
            return Source(standard=self.text(node, "source"))
        values = self.mapping(node, SOURCE_KEYS, "source")
        if values is None:
            return Source()
        year = self.scalar(values.get("year"), (int, type(None)), "source.year")
        return Source(
            standard=self.text(values.get("standard"), "source.standard"),
            document=self.text(values.get("document"), "source.document"),
            year=year,
            note=self.text(values.get("note"), "source.note"),
        )

    def grades(self, node: Node | None) -> tuple[Grade, ...]:
        grades: list[Grade] = []
        for grade_node in self.sequence(node, "grades"):
            values = self.mapping(grade_node, {"min": True, "label": True}, "a grade")
            if values is None:
                continue
            minimum = self.points(values.get("min"), "grade min")
            label = self.text(values.get("label"), "grade label", required=True)
            if minimum is not None and label:
                if grades and minimum >= grades[-1].min:
                    self.problem(grade_node, "grades must be listed from the highest 'min' down")
                grades.append(Grade(minimum, label))
        return tuple(grades)

    def fact(self, node: Node) -> Fact | None:
        values = self.mapping(node, FACT_KEYS, "a fact")
        if values is None:
            return None
        fact_id = self.text(values.get("id"), "fact id", required=True)
        if fact_id and not FACT_ID_RE.match(fact_id):
            self.problem(values["id"], f"fact id {fact_id!r} must match [a-z][a-z0-9_]* (it is used in expressions)")
            fact_id = ""
        elif fact_id in self.fact_kinds or fact_id in ex.BUILTIN_NAMES:
            self.problem(values["id"], f"duplicate fact id {fact_id!r}")
            fact_id = ""
        fact_type = self.text(values.get("type"), "fact type", required=True)
        if fact_type and fact_type not in FACT_TYPES:
            close = difflib.get_close_matches(fact_type, FACT_TYPES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (one of {', '.join(FACT_TYPES)})"
            self.problem(values["type"], f"unknown fact type {fact_type!r}{hint}")
            fact_type = ""
        choices = tuple(self.text(c, "choice", required=True) for c in self.sequence(values.get("choices"), "choices"))
        if fact_type == "choice" and not choices:
            self.problem(node, "a choice fact needs 'choices'")
        if choices and fact_type != "choice":
            self.problem(values["choices"], "'choices' belongs to a fact of type choice")
        if len(set(choices)) != len(choices):
            self.problem(values["choices"], "choices repeat a value")
        bounds = {}
        for key in ("min", "max"):
            value = self.scalar(values.get(key), (int, float), f"fact {key}")
            if value is not None and fact_type not in ("integer", "number"):
                self.problem(values[key], f"'{key}' belongs to an integer or number fact")
            try:
                bounds[key] = None if value is None else bounded(value)
            except NumberError as exc:
                self.problem(values[key], f"fact {key}: {english(exc)}")
                bounds[key] = None
        if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
            self.problem(values["max"], f"fact max {points_text(bounds['max'])} is below its min {points_text(bounds['min'])}")
        if not fact_id or not fact_type:
            return None
        self.fact_kinds[fact_id] = FACT_KINDS[fact_type]
        return Fact(
            id=fact_id,
            label=self.text(values.get("label"), "fact label", required=True),
            type=fact_type,
            choices=choices,
            unit=self.text(values.get("unit"), "unit"),
            min=bounds["min"],
            max=bounds["max"],
            help=self.text(values.get("help"), "help"),
            source=self.text(values.get("source"), "source"),
        )

    def item(self, node: Node, depth: int, section: bool = False, capped: bool = False) -> Item | None:
        what = "a section" if section else "an item"
        values = self.mapping(node, SECTION_KEYS if section else ITEM_KEYS, what)
        if values is None:
            return None
        if depth > MAX_ITEM_DEPTH:
            self.problem(node, f"items nested more than {MAX_ITEM_DEPTH} levels deep")
            return None
        item_id = self.claim_id(values.get("id"), ID_RE, "id")
        text = self.text(values.get("title" if section else "text"), "title" if section else "text", required=True)
        points = self.points(values.get("points"), "points")
        bonus = self.points(values.get("bonus"), "bonus", positive=True)
        if not self.scored:
            for key in ("points", "bonus"):
                if key in values:
                    self.problem(values[key], f"'{key}' needs a scored checklist (scored: true)")
            points = bonus = None
        if bonus is not None and points is not None:
            self.problem(values["bonus"], "a bonus item (加分项) has no 'points' of its own")
        capped = capped or points is not None
        children = tuple(
            child for child in (self.item(c, depth + 1, capped=capped) for c in self.sequence(values.get("items"), "items"))
            if child is not None
        )
        if "items" in values and not values["items"].value:
            self.problem(values["items"], "'items' is empty")
        rules = tuple(r for r in (self.rule(n) for n in self.sequence(values.get("rules"), "rules")) if r is not None)
        if not capped and any(_deducts(r) for r in rules):
            self.problem(values["rules"], "a deduction needs points to stop at: give this item or one above it 'points'")
        if rules and children:
            self.problem(values["rules"], "rules belong on the sub-items (only leaves are answered)")
        if rules and 0 < sum(r.computed for r in rules) < len(rules):
            self.problem(values["rules"], "rules with 'when' (computed) and without (manual) cannot be mixed in one item; split them into sub-items")
        caps = self.flag(values.get("caps"), "caps", False)
        truncated = self.flag(values.get("truncated"), "truncated", False)
        self.check_sum(node, points, children, caps, truncated)
        warnings = []
        for warn_node in self.sequence(values.get("warnings"), "warnings"):
            warn = self.mapping(warn_node, {"when": True, "message": True}, "a warning")
            if warn is not None:
                condition = self.expression(warn.get("when"), "warning when", (ex.BOOL,))
                message = self.text(warn.get("message"), "warning message", required=True)
                if condition is not None:
                    warnings.append(Warning(condition, message))
        guidance = self.text(values.get("guidance"), "guidance")
        self.blanks(values.get("title" if section else "text"), text, "title" if section else "text")
        self.blanks(values.get("guidance"), guidance, "guidance")
        cls = Section if section else Item
        return cls(
            id=item_id,
            text=text,
            guidance=guidance,
            points=points,
            source=self.text(values.get("source"), "source"),
            rules=rules,
            items=children,
            applies_when=self.expression(values.get("applies_when"), "applies_when", (ex.BOOL,)),
            warnings=tuple(warnings),
            na_allowed=self.flag(values.get("na_allowed"), "na_allowed", self.na_default),
            bonus=bonus,
            veto=self.text(values.get("veto"), "veto"),
            caps=caps,
            truncated=truncated,
            line=where(node)[0],
        )

    def check_sum(self, node: Node, points: Decimal | None, children: tuple[Item, ...], caps: bool, truncated: bool) -> None:
        """Sub-items have points all or none; a parent's points equal theirs unless it caps or was cut off.

        A group without points of its own counts as the sum of its sub-items' points, so points
        cannot hide below a point-less level.
        """
        counted = [(child, _effective_points(child)) for child in children if child.bonus is None]
        pointed = [value for _, value in counted if value is not None]
        if pointed and len(pointed) != len(counted):
            self.problem(node, "either every sub-item has points or none has (a group counts its own sub-items' points)")
            return
        if points is None or not pointed:
            return
        total = sum(pointed, Decimal(0))
        if total == points or (caps and total > points) or (truncated and total < points):
            return
        advice = "mark it 'truncated: true' if the standard was cut off here" if total < points else "mark it 'caps: true' if its points cap the sub-items'"
        self.problem(node, f"points {points_text(points)} but the sub-items add up to {points_text(total)}; {advice}")

    def rule(self, node: Node) -> Rule | OneOf | None:
        if isinstance(node, MappingNode) and any(
            isinstance(k, ScalarNode) and k.value == "one_of" for k, _ in node.value
        ):
            values = self.mapping(node, {"one_of": True}, "an alternatives rule")
            if values is None:
                return None
            cases = tuple(r for r in (self.single_rule(n) for n in self.sequence(values.get("one_of"), "one_of")) if r is not None)
            if len(cases) < 2:
                self.problem(node, "one_of needs at least two cases")
                return None
            if not all(c.computed for c in cases):
                self.problem(node, "every case of one_of needs 'when' (use 'when: true' for a last, catch-all case)")
            return OneOf(cases)
        return self.single_rule(node)

    def single_rule(self, node: Node) -> Rule | None:
        values = self.mapping(node, RULE_KEYS, "a rule")
        if values is None:
            return None
        points = self.points(values.get("points"), "points")
        per = self.points(values.get("per"), "per", positive=True)
        if not self.scored:
            for key in ("points", "per"):
                if key in values:
                    self.problem(values[key], f"'{key}' needs a scored checklist (scored: true)")
            points = per = None
        if points is not None and per is not None:
            self.problem(values["per"], "a rule has 'points' (fixed) or 'per' (per instance), not both")
        if "count" in values and "per" not in values:
            self.problem(values["count"], "'count' goes with 'per'")
        frequency = self.frequency(values.get("frequency"))
        if frequency is not None and ("when" in values or "count" in values):
            self.problem(values["frequency"], "a frequency rule decides by the records: it takes no 'when' or 'count' ('per' is per failing period)")
        return Rule(
            clause=self.text(values.get("clause"), "clause", required=True),
            points=points,
            per=per,
            count=self.expression(values.get("count"), "count", (ex.NUM,)),
            when=None if frequency is not None else self.expression(values.get("when"), "when", (ex.BOOL,)),
            source=self.text(values.get("source"), "source"),
            frequency=frequency,
        )

    def frequency(self, node: Node | None) -> Frequency | None:
        """`frequency: {records: committee_dates, every: month, min: 1, max: 2, day: 8, what: 支委会}`."""
        if node is None:
            return None
        values = self.mapping(node, FREQUENCY_KEYS, "a frequency")
        if values is None:
            return None
        names = {}
        for key, default, kind in (("records", None, "dates"), ("from", "period_start", ex.DATE), ("to", "period_end", ex.DATE)):
            name = self.text(values.get(key), f"frequency {key}") or default
            if name is None:
                return None
            if self.fact_kinds.get(name) != kind:
                wanted = "a fact of type dates" if kind == "dates" else "a fact of type date (the inspected period)"
                self.problem(values.get(key, node), f"frequency {key} {name!r} must name {wanted}")
                return None
            names[key] = name
        every = self.text(values.get("every"), "frequency every", required=True)
        if every not in EVERY:
            self.problem(values.get("every", node), f"frequency every {every!r} must be one of {', '.join(EVERY)}")
            return None
        bounds: dict[str, int | None] = {}
        for key, low, high in (("min", 0, 1000), ("max", 1, 1000), ("day", 1, 31)):
            value = self.scalar(values.get(key), (int,), f"frequency {key}")
            if value is not None and not low <= value <= high:
                self.problem(values[key], f"frequency {key} must be a whole number {low}–{high}")
                value = None
            bounds[key] = value
        minimum = 1 if bounds["min"] is None else bounds["min"]
        if bounds["max"] is not None and bounds["max"] < minimum:
            self.problem(values["max"], f"frequency max {bounds['max']} is below min {minimum}")
        if bounds["day"] is not None and every != "month":
            self.problem(values["day"], "frequency day (固定每月N日) goes with every: month")
        return Frequency(
            records=names["records"], every=every, min=minimum, max=bounds["max"], day=bounds["day"],
            what=self.text(values.get("what"), "frequency what"), start=names["from"], end=names["to"],
        )


def _effective_points(item: Item) -> Decimal | None:
    """An item's points, or for a point-less group the sum of its sub-items' (None if they have none)."""
    if item.points is not None:
        return item.points
    values = [_effective_points(child) for child in item.items if child.bonus is None]
    if values and all(v is not None for v in values):
        return sum(values, Decimal(0))  # type: ignore[arg-type]
    return None


def _deducts(rule: Rule | OneOf) -> bool:
    cases = rule.cases if isinstance(rule, OneOf) else (rule,)
    return any(c.points is not None or c.per is not None for c in cases)
