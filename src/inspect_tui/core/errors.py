"""The core's errors, in one module: what the inspector asked for that cannot be done, and why.

An error carries facts, not sentences: a `key` in the texts catalogue (texts/core.py) and its
`params`. The app and the CLI say it in the current language (`i18n.say`, `Words.say`); `str()`
stays one readable line in both languages for logs and tracebacks, "中文 (English)", made from the
same catalogue. A parameter may itself be a keyed error or a `texts.Message` (said in the same
language) or an exception of the store (its own line).

The store's errors (StorageError, DamagedFileError, LockedError) stay in store/, the lower layer.
Problems with a checklist or answers file (FileProblems, ExprError, BlankError) are English, one
`FILE:LINE:COL: message` each, like a compiler's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..texts import Message, halves, log_line, words

if TYPE_CHECKING:
    from .problems import Problem


class CoreError(Exception):
    """An error the inspector reads: `key` and `params`; `str()` is its line in both languages."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(log_line(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as it is (args hold the log line, not what __init__ takes)
        return _restored, (type(self), self.args, self.__dict__)


def _restored(cls: type[CoreError], args: tuple[Any, ...], state: dict[str, Any]) -> CoreError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class SessionError(CoreError):
    """Something the inspector asked for that cannot be done; the message is one line."""


class BundleError(SessionError):
    """The bundle as a whole cannot be used; one line naming the file. Nothing was imported.
    `reason` is why (a `Message`)."""

    def __init__(self, path: os.PathLike[str] | str, key: str, /, **params: Any) -> None:
        self.path = Path(path)
        self.reason = Message(key, params)
        super().__init__("err.bundle", path=str(path).replace("\n", "\\n"), reason=self.reason)


class SelfCheckError(CoreError):
    """A stored self-assessment that cannot be used; the message is one line naming the file."""


class MergeRefused(CoreError):
    """This session cannot be merged safely; the message is one line saying why."""


class TextError(CoreError, ValueError):
    """Text refused at the gate. `column` is where (1-based) in the value."""

    def __init__(self, key: str, /, column: int = 0, **params: Any) -> None:
        super().__init__(key, **params)
        self.column = column


class NumberError(CoreError, ValueError):
    """A number refused before conversion."""


class InvalidValue(CoreError, ValueError):
    """A value refused for a fact, an answer or a meeting record (a ValueError, as the parsers'
    callers expect)."""


class ExprError(ValueError):
    """An expression that does not parse or does not type-check. `col` is 1-based in the text;
    `message` is English, as every problem of a checklist file is."""

    def __init__(self, message: str, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.col = col


class BlankError(ValueError):
    """A placeholder that cannot be read; `offset` is where it starts in the text (English, as
    every problem of a checklist file is)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


class FileProblems(Exception):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, problems: "list[Problem]") -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def english(error: BaseException) -> str:
    """An error said in English only: a checklist or answers file's problems are English. A keyed
    error from its key; another's "中文 (English)" line by its English half."""
    if isinstance(error, CoreError):
        return words("en").say(error)
    return halves(str(error))[1]


__all__ = ["BlankError", "BundleError", "CoreError", "ExprError", "FileProblems", "InvalidValue", "MergeRefused",
           "NumberError", "SelfCheckError", "SessionError", "TextError", "english"]
