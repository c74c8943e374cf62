"""The document catalogue (inspect_tui.texts): every key the source uses is defined in both
languages, and no defined key is unused; a lookup of an unknown key fails loudly."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from inspect_tui.texts import CATALOGUE, words

SRC = Path(__file__).resolve().parents[1] / "src" / "inspect_tui"
KEY = re.compile(r"doc\.[a-z_]+(\.[a-z_]+)*")


def used_keys() -> dict[str, list[str]]:
    """Every string literal in src that looks like a document key ("doc.…"), with where it is;
    the catalogue itself is left out (its keys are what is checked against)."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "texts" / "documents.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.fullmatch(node.value):
                found.setdefault(node.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_every_key_used_is_defined_in_both_languages():
    used = used_keys()
    assert len(used) > 100  # the scan finds the renderers' keys at all
    missing = {key: where for key, where in used.items() if key not in CATALOGUE}
    assert not missing
    for key in used:
        zh, en = CATALOGUE[key]
        assert (zh.strip() or key in {"doc.page.after"}) and en is not None, key
        assert not re.search("[\u4e00-\u9fff]", en), f"{key}: Chinese in the English text {en!r}"


def test_no_defined_key_is_unused():
    assert sorted(set(CATALOGUE) - set(used_keys())) == []


def test_both_languages_take_the_same_parameters():
    fields = lambda text: sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)  # noqa: E731
    for key, (zh, en) in CATALOGUE.items():
        assert fields(zh) == fields(en), key


def test_sheet_names_fit_excel():
    """Excel refuses a sheet name longer than 31 characters."""
    for key, texts in CATALOGUE.items():
        if ".sheet." in key and not key.startswith("doc.sheet."):
            assert all(len(text) <= 31 for text in texts), key


def test_words():
    zh, en = words("zh"), words("en")
    assert zh("doc.state.fail") == "不符合" and en("doc.state.fail") == "fail"
    assert en("doc.counts", passed=1, failed=2, na=3, unanswered=4) == "1 pass · 2 fail · 3 N/A · 4 unanswered"
    assert zh.date("2026-03-05") == "2026年3月5日" and en.date("2026-03-05") == "2026-03-05"
    assert en.join(["a", "b"]) == "a, b" and zh.join(["a", "b"]) == "a、b"
    assert words("fr").lang == "zh"  # anything else: the default
    with pytest.raises(KeyError):
        en("doc.no_such_key")
