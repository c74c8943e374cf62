"""`dataclasses.dataclass`, cheaper to define: the same decorator with nothing generated —
`__init__`, `__eq__`, `__hash__`, `__repr__` and a frozen class's `__setattr__`/`__delattr__` are
plain functions shared by every class (`__init__` one closure a class over its fields).

Why: on Python 3.11 the standard decorator writes each method as source text and compiles it
(`exec`), once per class and method — about 0.7-0.8 ms for a frozen class of eight fields on the
machines this project runs on, against under 0.1 ms here (measured: `python bench/dataclass_cost.py`).
Opening an inspection defines some sixty of them (the checklist's model, expressions, the session,
the results, the screen's records), which made code generation a large part of what opening cost
beyond a bare Textual app. The price is paid per object instead, a few microseconds more to build
one (the cached checklist, ~1,000 objects, is decoded once per open): cheaper than sixty compiles.
Python 3.13 generates a class's methods in one `exec`; until the project requires it, this stays.

The classes stay real dataclasses: `dataclasses.fields`, `replace`, `asdict`, `astuple`,
`is_dataclass` and `field(...)` (defaults, factories, compare, repr) work unchanged, and
`__post_init__` is called. What differs from the standard decorator, on purpose:
`__dataclass_params__` reports `init=False, eq=False, repr=False, frozen=False` (nothing here reads
them), and `order`, `unsafe_hash`, `kw_only`, `slots` and `InitVar` are not offered (use
`dataclasses.dataclass` for those). tests/test_quick_dataclass.py holds it to the standard
behaviour: construction and its errors, equality (by class and compared fields), hash equal for
equal values, repr, immutability, inheritance, recursion in repr, pickling.
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


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    if type(self) is self.__class__.__quick_class__ or name in self.__class__.__dataclass_fields__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _frozen_delattr(self: Any, name: str) -> None:
    if type(self) is self.__class__.__quick_class__ or name in self.__class__.__dataclass_fields__:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
    object.__delattr__(self, name)


def _init_of(cls: type) -> Callable[..., None]:
    """An `__init__` for `cls`'s fields, as the generated one behaves: positional then keyword
    arguments, defaults and default factories, the standard TypeErrors, `__post_init__` after."""
    MISSING = dataclasses.MISSING
    fields = [f for f in dataclasses.fields(cls) if f.init]
    names = tuple(f.name for f in fields)
    count = len(names)
    defaults = {f.name: f.default for f in fields if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in fields if f.default_factory is not MISSING}
    post = hasattr(cls, "__post_init__")
    where = f"{cls.__qualname__}.__init__()"
    put = object.__setattr__  # a frozen class's own __setattr__ refuses: the generated init does this too

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > count:
            raise TypeError(f"{where} takes {count + 1} positional arguments but {len(args) + 1} were given")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name in values:
                raise TypeError(f"{where} got multiple values for argument {name!r}")
            values[name] = value
        if len(values) < count:
            for name in names:
                if name not in values:
                    if name in defaults:
                        values[name] = defaults[name]
                    elif name in factories:
                        values[name] = factories[name]()
                    else:
                        raise TypeError(f"{where} missing 1 required argument: {name!r}")
        if len(values) > count:
            unknown = next(name for name in values if name not in names)
            raise TypeError(f"{where} got an unexpected keyword argument {unknown!r}")
        for name in names:
            put(self, name, values[name])
        if post:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _finish(cls: T, frozen: bool, eq: bool) -> T:
    fields = dataclasses.fields(cls)
    cls.__init__ = _init_of(cls)  # type: ignore[misc]
    if frozen:
        cls.__quick_class__ = cls  # type: ignore[attr-defined]
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
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


def dataclass(cls: T | None = None, /, *, frozen: bool = False, eq: bool = True) -> Any:
    """`@dataclass`, `@dataclass(frozen=True)`, … as the standard one (see the module's text)."""

    def wrap(cls: T) -> T:
        # nothing generated: the fields collected, __init__ and the rest supplied by `_finish`
        if not cls.__doc__:
            # The standard decorator makes a missing docstring from `inspect.signature(cls)`,
            # ~0.3 ms a class; the field names say the same.
            cls.__doc__ = f"{cls.__name__}({', '.join(cls.__dict__.get('__annotations__', {}))})"
        made = dataclasses.dataclass(cls, init=False, repr=False, eq=False)
        return _finish(made, frozen, eq)

    return wrap if cls is None else wrap(cls)
