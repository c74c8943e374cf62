"""The one catalogue (inspect_tui.texts): every key the source uses is defined in both languages
with the same parameters, no defined key is unused, English has no Chinese; a lookup of an
unknown key fails loudly; the core's keyed errors and flags are said in either language."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from inspect_tui.texts import CATALOGUE, Message, log_line, words

SRC = Path(__file__).resolve().parents[1] / "src" / "inspect_tui"
CATALOGUE_MODULES = {p for p in (SRC / "texts").glob("*.py") if p.name != "__init__.py"}
HEADS = {key.split(".")[0] for key in CATALOGUE}
KEYLIKE = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
SAYERS = {"t", "w", "_t", "say", "Message", "words", "label"}  # and the core's errors (…Error, MergeRefused)
CHINESE = re.compile("[\u4e00-\u9fff]")
# English texts that quote Chinese on purpose: examples of what to type (a branch's name, 2026年1月5日)
QUOTES_CHINESE = {"new.branch_hint", "new.unit_hint", "report.filter_placeholder", "dates.text_help", "cli.arg.issuer"}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def source_trees() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(SRC.rglob("*.py"))
            if path not in CATALOGUE_MODULES]


TREES = source_trees()


def literals() -> dict[str, list[str]]:
    """Every string literal of the source that is a catalogue key, with where it stands."""
    found: dict[str, list[str]] = {}
    for path, tree in TREES:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CATALOGUE:
                found.setdefault(node.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def families() -> dict[str, str]:
    """Keys made at run time: t(f"state.{state}"), t("diff.change." + what) — the literal prefix
    (ending in a dot) and where it stands. Such a key is one more segment after its prefix."""
    found: dict[str, str] = {}
    for path, tree in TREES:
        for node in ast.walk(tree):
            head = None
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = node.values[0].value
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant):
                head = node.left.value
            if isinstance(head, str) and head.endswith(".") and head.split(".")[0] in HEADS:
                found.setdefault(head, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def said() -> list[tuple[str, set[str] | None, str]]:
    """Every call that says a key: t("…"), w("…"), Message("…", {…}), SessionError("…", …),
    BundleError(path, "…", …) — the key, the parameters given (None when they cannot be read:
    **values) and where."""
    calls = []
    for path, tree in TREES:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            at = 1 if name == "BundleError" else 0
            if len(node.args) <= at or name not in SAYERS and not name.endswith(("Error", "Refused", "InvalidValue")):
                continue
            first = node.args[at]
            choices = (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,)  # t("yes" if x else "no")
            keys = [c.value for c in choices if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            # t("…") says nothing but keys ("yes" has no dot); elsewhere a key has the catalogue's shape
            keys = [k for k in keys if name in ("t", "_t") or k in CATALOGUE or KEYLIKE.fullmatch(k) and k.split(".")[0] in HEADS]
            if not keys:
                continue
            given: set[str] | None = {k.arg for k in node.keywords if k.arg} - {"column"}
            if any(k.arg is None for k in node.keywords):
                given = None
            if name == "Message":
                params = node.args[1] if len(node.args) > 1 else None
                given = set() if params is None else (
                    {k.value for k in params.keys if isinstance(k, ast.Constant)} if isinstance(params, ast.Dict) else None)
            calls += [(key, given, f"{path.relative_to(SRC)}:{node.lineno}") for key in keys]
    return calls


def test_the_scans_find_the_source_at_all():
    assert len(literals()) > 600 and len(said()) > 600
    assert {"state.", "err.field.", "diff.cat."} <= set(families())


def test_every_key_said_is_defined_with_the_parameters_given():
    undefined = [(key, where) for key, _, where in said() if key not in CATALOGUE]
    assert not undefined
    missing = [(key, sorted(fields(CATALOGUE[key][0]) - given), where)
               for key, given, where in said() if given is not None and fields(CATALOGUE[key][0]) - given]
    assert not missing  # a parameter the text needs and the call does not give: KeyError at run time
    unknown = [(key, sorted(given - fields(CATALOGUE[key][0])), where)
               for key, given, where in said() if given and given - fields(CATALOGUE[key][0])]
    assert not unknown  # a parameter given that the text never says: a typo or a lost word


def test_every_family_of_keys_has_members():
    assert [prefix for prefix in families() if not any(key.startswith(prefix) for key in CATALOGUE)] == []


def test_no_defined_key_is_unused():
    used, prefixes = literals(), tuple(families())
    unused = [key for key in CATALOGUE if key not in used
              and not any(key.startswith(p) and "." not in key[len(p):] for p in prefixes)]
    assert unused == []


def test_both_languages_take_the_same_parameters_and_english_has_no_chinese():
    for key, (zh, en) in CATALOGUE.items():
        assert fields(zh) == fields(en), key
        assert (zh.strip() or key in {"doc.page.after"}) and en is not None, key
        assert key in QUOTES_CHINESE or not CHINESE.search(en), f"{key}: Chinese in the English text {en!r}"


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


def test_a_keyed_error_is_said_in_either_language_and_logged_in_both():
    from inspect_tui.core.errors import BundleError, SessionError, TextError
    from inspect_tui.core.text import check

    error = SessionError("err.session.finished", id="3f9a")
    assert (words("zh").say(error), words("en").say(error)) == ("3f9a: 检查已完成,请先重新打开", "3f9a: finished: reopen it first")
    assert str(error) == "3f9a: 检查已完成,请先重新打开 (finished: reopen it first)"  # the name once
    with pytest.raises(TextError) as caught:
        check("a\u202eb")
    nested = SessionError("err.session.bad_field", field=Message("err.field.branch"), reason=caught.value)
    assert words("en").say(nested) == "branch: contains a character that is not allowed: the bidi control U+202E at 2"
    assert words("zh").say(nested) == "支部名称:含有不允许的字符:文字方向控制符 U+202E,在第 2 个字符"
    bundle = BundleError("/x/b.itb", "err.bundle.too_many", limit=500)
    assert words("en").say(bundle) == "/x/b.itb: at most 500 sessions per bundle" and bundle.reason.key == "err.bundle.too_many"
    # a list of names is joined as each language joins them; a store's line keeps its half
    assert words("zh").say(Message("err.fact.choice", {"choices": ("党委", "党总支")})) == "只能是 党委、党总支"
    assert words("en").say(Message("err.fact.choice", {"choices": ("a", "b")})) == "one of: a, b"
    assert words("zh")("err.dates.expected_or_total") == "需要日期列表或 {total: 次数}"  # a brace written doubled
    from inspect_tui.texts import Line

    held = Message("err.session.read_only_because", {"id": "3f9a", "why": Line("锁文件损坏 (the lock file is damaged)")})
    assert log_line(held) == "3f9a: 只读打开,不能修改:锁文件损坏 (read-only: the lock file is damaged)"


def test_a_comparisons_flags_are_said_in_either_language():
    from inspect_tui.core.analysis.compare import OTHER_VERSION

    note = Message(OTHER_VERSION, {"old": "1.0", "new": "1.1"})
    assert words("zh").say(note).startswith("检查表版本不同 (1.0 → 1.1)")
    assert words("en").say(note).startswith("checklist versions differ (1.0 → 1.1)")


def test_a_keyed_error_survives_pickling():
    """A many-session export scores in another process (core/export/many.py): an error raised there
    comes back pickled, its key, parameters and log line intact."""
    import pickle

    from inspect_tui.core.errors import BundleError, SelfCheckError

    error = SelfCheckError("err.selfcheck.damaged", path="/x/a.selfcheck.json", problem="KeyError: 'facts'")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.key, back.params, str(back)) == (SelfCheckError, error.key, error.params, str(error))
    bundle = pickle.loads(pickle.dumps(BundleError("/x/b.itb", "err.bundle.empty")))
    assert bundle.reason.key == "err.bundle.empty" and str(bundle.path) == "/x/b.itb"
    assert words("en").say(bundle) == "/x/b.itb: an empty file, not a bundle"
