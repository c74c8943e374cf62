"""The words of the documents, in Chinese or English: `words(lang)("doc.title.notice")`.

A leaf package: it imports nothing of inspect_tui, so the core (the renderers), the CLI and the
app can all use it. No global language here: whoever renders says which language it wants, and
gets a `Words` for it. The catalogue is `{key: ("中文", "English")}` (texts/documents.py);
tests/test_texts.py checks that every key the source uses is defined in both languages and that
no defined key is unused.
"""

from __future__ import annotations

from typing import Any, Iterable

from .documents import DOCUMENTS

LANGS = ("zh", "en")
CATALOGUE: dict[str, tuple[str, str]] = {**DOCUMENTS}


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

    def __call__(self, key: str, **params: Any) -> str:
        text = self._catalogue[key][self._index]
        return text.format(**params) if params else text

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


_WORDS = {lang: Words(lang) for lang in LANGS}


def words(lang: str = "zh") -> Words:
    """The words of `lang` ("zh" or "en"; anything else is Chinese, the default)."""
    return _WORDS.get(lang, _WORDS["zh"])


__all__ = ["CATALOGUE", "LANGS", "Words", "words"]
