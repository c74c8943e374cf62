"""quick_dataclass.dataclass behaves as dataclasses.dataclass where the project relies on it:
the same classes defined with each decorator compare, hash, print and refuse changes alike."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from inspect_tui import quick_dataclass as quick
from inspect_tui.core.checklist.model import Item, Section


def _pair(frozen: bool):
    def define(decorate):
        @decorate(frozen=frozen)
        class Point:
            x: int
            y: int = 0
            tags: tuple = ()
            note: str = dataclasses.field(default="", compare=False, repr=False)

        return Point

    return define(quick.dataclass), define(dataclasses.dataclass)


@pytest.mark.parametrize("frozen", [True, False])
def test_same_equality_repr_and_fields_as_the_standard_decorator(frozen):
    Quick, Standard = _pair(frozen)
    a, b, c = Quick(1, 2, ("x",), note="a"), Quick(1, 2, ("x",), note="b"), Quick(1, 3)
    assert a == b and a != c  # `note` is not compared
    assert (a == Standard(1, 2, ("x",))) is False  # another class is never equal
    assert repr(a).replace("test_same_equality_repr_and_fields_as_the_standard_decorator.<locals>.define.<locals>.", "") \
        == repr(Standard(1, 2, ("x",))).replace("test_same_equality_repr_and_fields_as_the_standard_decorator.<locals>.define.<locals>.", "")
    assert repr(a).endswith("Point(x=1, y=2, tags=('x',))")
    assert [f.name for f in dataclasses.fields(a)] == ["x", "y", "tags", "note"]
    assert dataclasses.replace(a, y=5) == Quick(1, 5, ("x",))
    assert dataclasses.asdict(c) == {"x": 1, "y": 3, "tags": (), "note": ""}
    assert dataclasses.is_dataclass(a)


def test_frozen_is_hashable_by_value_and_refuses_changes():
    Quick, _ = _pair(frozen=True)
    a, b = Quick(1, 2), Quick(1, 2)
    assert hash(a) == hash(b) and len({a, b}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.y


def test_not_frozen_is_unhashable_as_the_standard_one():
    Quick, Standard = _pair(frozen=False)
    with pytest.raises(TypeError):
        hash(Quick(1))
    with pytest.raises(TypeError):
        hash(Standard(1))
    q = Quick(1)
    q.x = 4
    assert q == Quick(4)


def test_a_subclass_compares_its_own_fields_and_never_equals_its_base():
    item = Item(id="1", text="按时换届")
    section = Section(id="1", text="按时换届")
    assert item != section and section == Section(id="1", text="按时换届")
    assert hash(section) == hash(Section(id="1", text="按时换届"))
    assert repr(section).startswith("Section(id='1', text='按时换届'")


def test_recursive_values_print_without_looping():
    @quick.dataclass
    class Node:
        children: list

    node = Node([])
    node.children.append(node)
    assert repr(node).endswith("Node(children=[...])")


def test_pickles_and_copies_like_a_dataclass():
    section = Section(id="2", text="组织生活")
    assert pickle.loads(pickle.dumps(section)) == section
    assert dataclasses.replace(section, text="x").text == "x"


@pytest.mark.parametrize("decorate", [quick.dataclass, dataclasses.dataclass])
def test_construction_and_its_errors_are_the_standard_ones(decorate):
    calls = []

    @decorate(frozen=True)
    class Record:
        a: int
        b: str = "x"
        items: list = dataclasses.field(default_factory=list)

        def __post_init__(self):
            calls.append(self.a)

    r = Record(1)
    assert (r.a, r.b, r.items) == (1, "x", []) and calls == [1]
    assert Record(2, "y", [3]).items == [3] and Record(b="z", a=4).b == "z"
    assert Record(5).items is not Record(6).items  # a fresh default each time
    for bad in (lambda: Record(), lambda: Record(1, "y", [], 4), lambda: Record(1, a=2), lambda: Record(1, c=3)):
        with pytest.raises(TypeError):
            bad()
