"""`dataclasses.dataclass`, cheaper to define: the same decorator, with `__eq__`, `__hash__` and
`__repr__` shared by every class instead of generated for each one.

Why: on Python 3.11 the standard decorator writes each method as source text and compiles it
(`exec`), once per class and method — about 0.8 ms for a frozen class of eight fields on the
machines this project runs on, against 0.2 ms for its `__init__` alone (measured:
`python bench/dataclass_cost.py`). Opening an inspection defines some sixty of them (the
checklist's model, the session, the results), so code generation was a third of what opening cost
beyond a bare Textual app. Python 3.13 generates a class's methods in one `exec`; until the
project requires it, this module keeps the generated `__init__` (and, for frozen classes, the
generated `__setattr__`/`__delattr__`: immutability exactly as the standard library has it) and
supplies the comparison, hash and repr as plain functions over an `operator.attrgetter` of the
compared fields (C code, as fast as the generated tuple).

The classes stay real dataclasses: `dataclasses.fields`, `replace`, `asdict`, `astuple`,
`is_dataclass` and `field(...)` work unchanged. What differs from the standard decorator, on
purpose: `__dataclass_params__` reports `eq=False, repr=False` (nothing here reads them), and `order`
and `unsafe_hash` are not offered (use `dataclasses.dataclass` for those). tests/test_quick_dataclass.py
holds it to the standard behaviour: equality (by class and compared fields), hash equal for equal
values, repr, immutability, inheritance, recursion in repr.
"""

from __future__ import annotations

import dataclasses
import reprlib
from operator import attrgetter
from typing import Any, Callable, TypeVar

__all__ = ["dataclass", "field"]

field = dataclasses.field
T = TypeVar("T", bound=type)


def _values(cls: type, names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _obj: ()
    getter = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (getter(obj),)
    return getter  # a tuple already


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    values = self.__class__.__quick_values__
    return values(self) == values(other)


def _hash(self: Any) -> int:
    return hash(self.__class__.__quick_values__(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    cls = self.__class__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in cls.__quick_repr__)
    return f"{cls.__qualname__}({shown})"


def _finish(cls: T, frozen: bool, eq: bool) -> T:
    fields = dataclasses.fields(cls)
    cls.__quick_values__ = staticmethod(_values(cls, tuple(f.name for f in fields if f.compare)))  # type: ignore[attr-defined]
    cls.__quick_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr  # type: ignore[assignment]
    if eq and "__eq__" not in cls.__dict__:
        cls.__eq__ = _eq  # type: ignore[assignment]
        # as the standard decorator: eq with frozen hashes by value; eq alone makes it unhashable
        if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
            cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
    return cls


def dataclass(cls: T | None = None, /, *, frozen: bool = False, eq: bool = True, init: bool = True,
              kw_only: bool = False) -> Any:
    """`@dataclass`, `@dataclass(frozen=True)`, … as the standard one (see the module's text)."""

    def wrap(cls: T) -> T:
        made = dataclasses.dataclass(cls, init=init, repr=False, eq=False, frozen=frozen, kw_only=kw_only)
        return _finish(made, frozen, eq)

    return wrap if cls is None else wrap(cls)
