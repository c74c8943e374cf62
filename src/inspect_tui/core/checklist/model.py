"""The checklist model: what a published standard says, as plain frozen data.

Nothing here reads files or knows about the terminal. `loader.py` builds these objects from YAML
and `scoring.py` scores answers against them. Points are `Decimal` so that the arithmetic of a
score sheet is exact (0.5 + 0.5 is 1, never 0.9999).
"""

from __future__ import annotations

from ...quick_dataclass import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Union

if TYPE_CHECKING:  # the loader builds expressions; the model only holds them
    from .expr import Expr
    from .records import Frequency

FACT_TYPES = ("integer", "number", "boolean", "date", "choice", "text", "dates")


class State(str, Enum):
    """The inspector's verdict on one item. Unanswered is `None`, not a member."""

    PASS = "pass"  # 符合
    FAIL = "fail"  # 不符合
    NA = "na"  # 不适用

    @classmethod
    def parse(cls, text: "str | State") -> "State":
        if isinstance(text, State):
            return text
        aliases = {
            "pass": cls.PASS, "y": cls.PASS, "符合": cls.PASS, "ok": cls.PASS,
            "fail": cls.FAIL, "n": cls.FAIL, "不符合": cls.FAIL,
            "na": cls.NA, "n/a": cls.NA, "不适用": cls.NA,
        }
        try:
            return aliases[text.strip().lower()]
        except KeyError:
            raise ValueError(text) from None


@dataclass(frozen=True)
class Source:
    """Where a standard (or a single item) comes from."""

    standard: str = ""
    document: str = ""
    year: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Fact:
    """A value the inspector enters once per branch, e.g. 正式党员人数."""

    id: str
    label: str
    type: str
    choices: tuple[str, ...] = ()
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    help: str = ""
    source: str = ""


@dataclass(frozen=True)
class Rule:
    """One deduction clause, in the standard's own words.

    `points` is a fixed amount; `per` × count is a per-instance amount (the count is the
    inspector's count for the item unless `count` is an expression over facts). With `when` the
    rule is computed from facts; without it, it applies when the item is marked failed. A rule with
    neither `points` nor `per` only decides the state. With `frequency` the rule counts meeting
    records period by period (records.py); `per` then is per failing period.
    """

    clause: str
    points: Decimal | None = None
    per: Decimal | None = None
    count: Expr | None = None
    when: Expr | None = None
    source: str = ""
    frequency: Frequency | None = None

    @property
    def computed(self) -> bool:
        return self.when is not None or self.frequency is not None

    @property
    def names(self) -> set[str]:
        """The facts this rule reads."""
        names = set(self.when.names) if self.when is not None else set()
        if self.count is not None:
            names |= self.count.names
        if self.frequency is not None:
            names |= self.frequency.names
        if self.when is not None and self.when.dated:
            names.add("inspection_date")
        return names


@dataclass(frozen=True)
class OneOf:
    """Alternatives: the first case that applies, and only that one."""

    cases: tuple[Rule, ...]

    @property
    def computed(self) -> bool:
        return all(case.computed for case in self.cases)


RuleLike = Union[Rule, OneOf]


@dataclass(frozen=True)
class Warning:
    """A condition worth telling the inspector about that costs no points."""

    when: Expr
    message: str


@dataclass(frozen=True)
class Item:
    """Something to check. Items nest: a 小项 holds its sub-checks in `items`.

    Only leaves are answered; a parent's state and deduction follow its children.
    """

    id: str
    text: str
    guidance: str = ""
    points: Decimal | None = None
    source: str = ""
    rules: tuple[RuleLike, ...] = ()
    items: tuple["Item", ...] = ()
    applies_when: Expr | None = None
    warnings: tuple[Warning, ...] = ()
    na_allowed: bool = True
    bonus: Decimal | None = None
    veto: str = ""
    caps: bool = False
    truncated: bool = False
    declared_points: Decimal | None = None  # a truncated item's points as the standard states them
    line: int = 0  # where it is in the YAML file, for messages

    @property
    def is_leaf(self) -> bool:
        return not self.items

    @property
    def computed(self) -> bool:
        """A computed item's state follows the facts; it is not marked by hand."""
        return bool(self.rules) and all(rule.computed for rule in self.rules)

    @property
    def title(self) -> str:
        return self.text

    def walk(self) -> Iterator["Item"]:
        yield self
        for child in self.items:
            yield from child.walk()


@dataclass(frozen=True)
class Section(Item):
    """A top-level part of a standard (大项). It is an `Item` whose `text` is its title."""


@dataclass(frozen=True)
class Grade:
    min: Decimal
    label: str


@dataclass(frozen=True)
class Checklist:
    """One published standard, transcribed."""

    id: str
    title: str
    version: str
    scored: bool
    complete: bool
    source: Source = Source()
    incomplete_note: str = ""
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    grades: tuple[Grade, ...] = ()
    bonus_cap: Decimal | None = None
    veto_grade: str = "一票否决"
    path: Path | None = None
    _index: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    _parents: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            self._index_tree(section, None)

    def _index_tree(self, item: Item, parent: str | None) -> None:
        self._index.setdefault(item.id, item)
        self._parents.setdefault(item.id, parent)
        for child in item.items:
            self._index_tree(child, item.id)

    def walk(self) -> Iterator[Item]:
        """Every section and item, depth first, in document order."""
        for section in self.sections:
            yield from section.walk()

    def leaves(self) -> Iterator[Item]:
        return (item for item in self.walk() if item.is_leaf)

    def item(self, item_id: str) -> Item:
        return self._index[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._index

    def parent_of(self, item_id: str) -> str | None:
        return self._parents.get(item_id)

    def path_to(self, item_id: str) -> list[Item]:
        """The chain section → … → item, for breadcrumbs and reports."""
        chain: list[Item] = []
        current: str | None = item_id
        while current is not None:
            chain.append(self._index[current])
            current = self._parents[current]
        return list(reversed(chain))

    def fact(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise KeyError(fact_id)

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.facts)

    @property
    def leaf_count(self) -> int:
        return sum(1 for _ in self.leaves())

    @property
    def item_count(self) -> int:
        """Items below the sections (小项 and sub-checks), not counting the sections."""
        return sum(1 for item in self.walk() if not isinstance(item, Section))
