"""Every word the program says, in Chinese or English: one catalogue, `{key: ("中文", "English")}`.

A leaf package: it imports nothing of inspect_tui, so the core (the renderers, the errors), the
CLI and the app can all use it. The catalogue is plain data, one module per area (documents.py the
exports and reports, core.py the core's errors and findings, cli.py the commands, app.py the
screens and widgets), merged here into one dict, so a key exists whatever was imported.
tests/test_texts.py checks that every key the source uses is defined in both languages with the
same parameters and that no defined key is unused.

No global language here: whoever renders says which language it wants, and gets a `Words` for it
(the app and the CLI keep their current language in i18n.py, whose `t()` reads this catalogue).
The core says facts, not sentences: a result or an error carries a `key` and `params`
(`Message`, core/errors.py), and `Words.say` renders it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, NamedTuple

from .app import APP
from .app_sync import APP_SYNC
from .central import CENTRAL
from .cli import CLI
from .core import CORE
from .documents import DOCUMENTS
from .interface import INTERFACE
from .ledger import LEDGER
from .rect_index import RECT_INDEX
from .rect_screen import RECT_SCREEN
from .reports import REPORTS
from .reinspect import REINSPECT
from .signoff import SIGNOFF

LANGS = ("zh", "en")


def _merged(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One dict of the areas' catalogues; a key in two of them is a bug, so it fails loudly."""
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise KeyError(f"message keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merged(DOCUMENTS, CORE, INTERFACE, REPORTS, CLI, APP, LEDGER, RECT_INDEX, REINSPECT, RECT_SCREEN, CENTRAL, SIGNOFF, APP_SYNC)


class Line(str):
    """A line already in both languages, "中文 (English)" (the store's, a lock file's problem): a
    parameter said through `plain`, or by its half for the language in a log line."""


def halves(text: str) -> tuple[str, str]:
    """A line written '中文 (English)' as its two halves; one without them is both."""
    if text.endswith(")") and " (" in text:
        at = text.rindex(" (")
        return text[:at], text[at + 2:-1]
    return text, text


class Message(NamedTuple):
    """A fact to be told: a catalogue key and its parameters. A parameter may itself be a
    `Message` (or anything with `key` and `params`, such as a core error): it is said in the same
    language. (A NamedTuple, not a dataclass: importing dataclasses would slow every start.)"""

    key: str
    params: Mapping[str, Any] = {}  # never changed: shared safely


class Words:
    """The words of one language. `w(key, **params)` is the text, `str.format`ted with `params`;
    an unknown key raises KeyError (never the key itself, which would print as if it were text)."""

    def __init__(self, lang: str, catalogue: dict[str, tuple[str, str]] = CATALOGUE) -> None:
        self.lang = lang if lang in LANGS else "zh"
        self._index = 1 if self.lang == "en" else 0
        self._catalogue = catalogue

    @property
    def en(self) -> bool:
        return self._index == 1

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self._catalogue[key][self._index]
        # formatted when there is something to fill, or a literal brace written doubled ("{{")
        return text.format(**params) if params or "{{" in text else text

    def say(self, message: Any, plain: Callable[[str], str] = str) -> str:
        """A `Message` (or a keyed error) in this language, its keyed parameters said likewise.
        A tuple is a list of names (张三、李四 / 张三, 李四). A parameter that is an exception without
        a key (the store's, the system's) is its line through `plain` (the app keeps one half of a
        "中文 (English)" line with it)."""
        return self(message.key, **{name: self._param(value, plain) for name, value in message.params.items()})

    def _param(self, value: Any, plain: Callable[[str], str]) -> Any:
        if _keyed(value):
            return self.say(value, plain)
        if isinstance(value, tuple):
            return self.join(str(self._param(part, plain)) for part in value)
        if isinstance(value, (BaseException, Line)):
            return plain(str(value))
        return value

    def join(self, parts: Iterable[str]) -> str:
        """A list of names: 张三、李四 / 张三, 李四."""
        return self("doc.list_sep").join(parts)

    def date(self, iso: str) -> str:
        """A date as a document prints it: 2026年6月15日, or ISO 2026-06-15 in English."""
        if self.en:
            return iso
        try:
            year, month, day = (int(part) for part in iso.split("-"))
        except ValueError:
            return iso
        return f"{year}年{month}月{day}日"


def _keyed(value: Any) -> bool:
    return hasattr(value, "key") and hasattr(value, "params") and not isinstance(value, (str, type))


_WORDS = {lang: Words(lang) for lang in LANGS}


def words(lang: str = "zh") -> Words:
    """The words of `lang` ("zh" or "en"; anything else is Chinese, the default)."""
    return _WORDS.get(lang, _WORDS["zh"])


def log_line(message: Any) -> str:
    """A message in both languages on one line, for logs and `str()` of an error: "中文 (English)",
    a name both start with said once ("3f9a: 检查已完成 (finished)")."""
    zh = _WORDS["zh"].say(message, lambda line: halves(line)[0])
    en = _WORDS["en"].say(message, lambda line: halves(line)[1])
    if zh == en:
        return zh
    common = 0
    while common < min(len(zh), len(en)) and zh[common] == en[common]:
        common += 1
    head = zh[:common].rfind(": ") + 2 if ": " in zh[:common] else 0
    return f"{zh} ({en[head:]})"


__all__ = ["CATALOGUE", "LANGS", "Line", "Message", "Words", "halves", "log_line", "words"]
