"""Chinese first, English on request (`--lang en` or INSPECT_TUI_LANG=en).

Every user-facing string goes through `t(key, **values)`, in the current language, from the one
catalogue of the texts package (texts/: plain dicts, one module per area, every key defined in both
languages: tests/test_texts.py). The core's errors and findings carry a key and parameters:
`say(error)` renders them here; `localize` remains for the store's "中文 (English)" lines.
"""

from __future__ import annotations

import os
import re
from typing import Any

from .texts import CATALOGUE, words

LANGS = ("zh", "en")
_lang = "zh"

STATE_MARKS = {"pass": "✓", "fail": "✗", "na": "—", "pending": "?", None: "·"}

MESSAGES = CATALOGUE  # the one catalogue (texts/): every key, whatever was imported


def set_lang(lang: str | None) -> str:
    """Choose the language; None means $INSPECT_TUI_LANG, else Chinese."""
    global _lang
    chosen = (lang or os.environ.get("INSPECT_TUI_LANG") or "zh").lower()
    _lang = chosen if chosen in LANGS else "zh"
    return _lang


def lang() -> str:
    return _lang


def t(key: str, **values: object) -> str:
    zh, en = MESSAGES[key]
    text = en if _lang == "en" else zh
    return text.format(**values) if values else text


def say(error: Any) -> str:
    """An error or finding of the core in the current language: from its key and parameters when
    it has them (core/errors.py), else its "中文 (English)" line with one half kept (the store's)."""
    if getattr(error, "key", None) and hasattr(error, "params"):
        return words(_lang).say(error, localize)  # a parameter that is a store line: its half too
    return localize(str(error))


def label(text: str) -> str:
    """A key's label in the current language. Bindings are made when a screen's module is imported,
    in the language of that moment; the footer and the help screen say them through this, so a label
    follows --lang (or a test's set_lang) whenever the module was imported."""
    global _english
    if _lang != "en":
        return text
    if not _english:  # built once: the catalogue is whole from the start
        # One Chinese label may stand for several messages: key labels ("key.…") first, then by
        # message key. The documents' words and the core's errors are not labels: left out.
        ordered = sorted(((k, v) for k, v in MESSAGES.items() if not k.startswith(("doc.", "err.", "note."))),
                         key=lambda item: (not item[0].startswith("key."), item[0]))
        english: dict[str, str] = {}
        for _key, (zh, en) in ordered:
            english.setdefault(zh, en)
        _english = english  # whole before it is seen
    return _english.get(text, text)


_english: dict[str, str] = {}  # Chinese label → English


_BILINGUAL = re.compile(r"^(?P<zh>.*[\u4e00-\u9fff][^()]*?) \((?P<en>[^()]*[A-Za-z][^()]*)\)$", re.S)


def localize(message: str) -> str:
    """The core's one-line messages read "中文 (English)": keep the part for the current language."""
    match = _BILINGUAL.match(message.strip())
    if not match:
        return message
    if _lang != "en":
        return match["zh"]
    # "3f9a: 检查已完成 (finished)": the name before the Chinese belongs to both languages
    head = re.match(r"^([^\u4e00-\u9fff]*: )", match["zh"])
    return (head.group(1) if head else "") + match["en"]


def state_label(state: str | None) -> str:
    return t(f"state.{state or 'none'}")
