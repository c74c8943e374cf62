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
