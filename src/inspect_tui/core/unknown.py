"""UNKNOWN: the value of a fact that has not been entered yet (three-valued logic).

Its own module so that scoring, which only needs to recognise it, does not import the expression
language (parsing and type checking) when the app starts: the home screen never evaluates one.
"""

from __future__ import annotations


class _Unknown:
    """The value of a fact that has not been entered yet."""

    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:  # pragma: no cover - guards against accidental truthiness
        raise TypeError("UNKNOWN has no truth value")


UNKNOWN = _Unknown()
