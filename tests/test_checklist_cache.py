"""The parsed-checklist cache (core/checklist/cache.py): a shortcut that is never trusted blindly."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from inspect_tui.core import paths
from inspect_tui.core.checklist import cache as checklist_cache, loader
from inspect_tui.core.session import model as session
from inspect_tui.core.checklist.loader import parse_checklist

BUNDLED = sorted(paths.bundled_checklists_dir().glob("*.yaml"))
JIGUAN = paths.bundled_checklists_dir() / "jiguan.yaml"


@pytest.fixture(autouse=True)
def _fresh_process_cache():
    session._parse_frozen.cache_clear()  # the in-process memo would hide what the disk cache does
    yield
    session._parse_frozen.cache_clear()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of the YAML parser, by name."""
    calls: list[str] = []
    real = loader.parse_checklist

    def counted(text: str, name: str, path: Path | None = None):  # type: ignore[no-untyped-def]
        calls.append(name)
        return real(text, name, path)

    monkeypatch.setattr(loader, "parse_checklist", counted)
    return calls


def cache_file(text: str) -> Path:
    return checklist_cache.path_for(checklist_cache.text_key(text))


def rewrite(text: str, change) -> None:  # type: ignore[no-untyped-def]
    """Edit the cached file's outer JSON with `change`, keeping it otherwise valid."""
    path = cache_file(text)
    outer = json.loads(path.read_text(encoding="utf-8"))
    change(outer)
    path.write_text(json.dumps(outer, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_checklist_comes_back_equal(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse_checklist(text, "x")
    checklist_cache.store(text, parsed)
    back = checklist_cache.load(text)
    assert back is not None and back is not parsed
    assert back == parsed  # frozen dataclasses: every field, every rule and expression tree
    assert [i.id for i in back.walk()] == [i.id for i in parsed.walk()]
    assert all(back.parent_of(i.id) == parsed.parent_of(i.id) for i in parsed.walk())  # the index is rebuilt


def test_miss_parses_and_writes_then_hit_does_not_parse(parses: list[str]) -> None:
    text = JIGUAN.read_text(encoding="utf-8")
    assert not cache_file(text).exists()
    first = session.frozen_checklist(text, "jiguan")
    assert len(parses) == 1 and cache_file(text).is_file()
    session._parse_frozen.cache_clear()  # as a new process would
    second = session.frozen_checklist(text, "jiguan")
    assert len(parses) == 1, "a cached checklist must not be parsed again"
    assert second == first and second.path is None


def test_a_different_text_is_parsed(parses: list[str]) -> None:
    text = JIGUAN.read_text(encoding="utf-8")
    session.frozen_checklist(text, "jiguan")
    changed = text.replace("\ntitle: ", "\ntitle: 改", 1)
    assert checklist_cache.text_key(changed) != checklist_cache.text_key(text)
    session._parse_frozen.cache_clear()
    other = session.frozen_checklist(changed, "jiguan")
    assert len(parses) == 2 and other.title.startswith("改")
    assert cache_file(changed).is_file() and cache_file(text).is_file()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "body edited", "empty", "not an object"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(damage: str, parses: list[str]) -> None:
    text = JIGUAN.read_text(encoding="utf-8")
    good = session.frozen_checklist(text, "jiguan")
    path = cache_file(text)
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot json at all")
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "not an object":
        path.write_text("[1, 2, 3]", encoding="utf-8")
    else:  # a point value changed by hand, the hash left as it was
        rewrite(text, lambda o: o.update(body=o["body"].replace('{"$d":"', '{"$d":"9', 1)))
    assert checklist_cache.load(text) is None
    session._parse_frozen.cache_clear()
    assert session.frozen_checklist(text, "jiguan") == good
    assert len(parses) == 2, "the damaged cache was parsed around, not trusted"
    assert checklist_cache.load(text) == good, "and rewritten whole"


def test_a_cache_file_of_another_text_or_version_is_ignored() -> None:
    text = JIGUAN.read_text(encoding="utf-8")
    checklist_cache.store(text, parse_checklist(text, "x"))
    rewrite(text, lambda o: o.update(key="0" * 64))  # copied under another text's name
    assert checklist_cache.load(text) is None
    checklist_cache.store(text, parse_checklist(text, "x"))
    rewrite(text, lambda o: o.update(builder="an older inspect-tui"))
    assert checklist_cache.load(text) is None
    checklist_cache.store(text, parse_checklist(text, "x"))
    rewrite(text, lambda o: o.update(format=0))
    assert checklist_cache.load(text) is None


@pytest.mark.parametrize("body", [
    {"$c": "os.system", "f": {}},  # not a model class: never looked up, never called
    {"$c": "model.Grade", "f": {"min": {"$d": "1"}}},  # a field missing
    {"$c": "model.Grade", "f": {"min": {"$d": "1"}, "label": "好", "extra": 1}},  # a field too many
    {"$op": "Import"},  # not an operator of the expression language
    {"$t": [1], "$d": "1"},
    {"$c": "model.Grade", "f": {"min": {"$d": "1"}, "label": "好"}},  # valid, but not a checklist
])
def test_only_a_checklist_of_the_model_classes_is_built(body: object) -> None:
    text = "id: x\n"
    encoded = json.dumps(body)
    outer = {
        "format": checklist_cache.FORMAT, "key": checklist_cache.text_key(text), "builder": checklist_cache.builder(),
        "sha256": hashlib.sha256(encoded.encode()).hexdigest(), "body": encoded,
    }
    path = cache_file(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(outer), encoding="utf-8")
    assert checklist_cache.load(text) is None


def test_the_cache_is_owner_only_even_with_a_loose_umask() -> None:
    text = JIGUAN.read_text(encoding="utf-8")
    old = os.umask(0o002)
    try:
        checklist_cache.folder().mkdir(parents=True, mode=0o777)  # made earlier by someone's umask
        checklist_cache.store(text, parse_checklist(text, "x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(cache_file(text).stat().st_mode) == 0o600
    assert stat.S_IMODE(checklist_cache.folder().stat().st_mode) == 0o700
    assert not [p for p in checklist_cache.folder().iterdir() if p.name.endswith(".tmp")]


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(checklist_cache.ENV, str(blocker / "cache"))
    text = JIGUAN.read_text(encoding="utf-8")
    assert session.frozen_checklist(text, "jiguan").id == "jiguan"  # parsed; nothing kept, no error


def test_checklist_files_through_the_cache_keep_their_path(tmp_path: Path, parses: list[str]) -> None:
    copy = tmp_path / "jiguan.yaml"
    copy.write_bytes(JIGUAN.read_bytes())
    first = checklist_cache.load_file(copy)
    again = checklist_cache.load_file(copy)
    assert len(parses) == 1 and first == again and again.path == copy
    # the same text frozen in a session: the cached model, without the file's path
    frozen = session.frozen_checklist(copy.read_text(encoding="utf-8"), "jiguan")
    assert len(parses) == 1 and frozen.path is None and frozen.sections == first.sections


def test_a_bad_checklist_file_is_still_the_loaders_to_report(tmp_path: Path) -> None:
    from inspect_tui.core.errors import FileProblems

    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(FileProblems):
        checklist_cache.load_file(bad)
    assert not checklist_cache.folder().exists() or not list(checklist_cache.folder().glob("*.json"))
    with pytest.raises(FileProblems) as missing:
        checklist_cache.load_file(tmp_path / "nope.yaml")
    assert "no such file" in str(missing.value)


def test_current_version_is_finds_with_or_without_the_cache(tmp_path: Path, parses: list[str]) -> None:
    from inspect_tui.core.checklist import catalog

    ids = sorted({e.checklist.id for e in catalog.scan() if e.checklist is not None})
    uncached = {i: catalog.current_version(i) for i in ids}  # not cached yet: find's way (parses)
    assert parses
    parses.clear()
    cached = {i: catalog.current_version(i) for i in ids}
    assert not parses, "every file cached: no YAML parsed"
    assert uncached == cached == {i: catalog.find(i).version for i in ids}
    assert catalog.current_version("no-such-checklist") is None
    # a user's copy with another version overrides the bundled one, as in find; a broken file
    # beside it sends the question to find, which skips it
    mine = tmp_path / "mine"
    mine.mkdir()
    text = JIGUAN.read_text(encoding="utf-8")
    (mine / "jiguan.yaml").write_text(text.replace('\nversion: "', '\nversion: "9', 1), encoding="utf-8")
    expected = catalog.find("jiguan", [mine]).version
    assert expected.startswith("9")
    assert catalog.current_version("jiguan", [mine]) == expected  # first time: find's way
    assert catalog.current_version("jiguan", [mine]) == expected  # then from the cache
    (mine / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    assert catalog.current_version("jiguan", [mine]) == expected


def test_peek_trusts_no_damaged_cache(tmp_path: Path) -> None:
    copy = tmp_path / "jiguan.yaml"
    copy.write_bytes(JIGUAN.read_bytes())
    assert checklist_cache.peek(copy) is None  # not cached
    model = checklist_cache.load_file(copy)
    assert checklist_cache.peek(copy) == (model.id, model.version)
    text = copy.read_text(encoding="utf-8")
    rewrite(text, lambda o: o.update(body=o["body"].replace(model.version, "99", 1)))
    assert checklist_cache.peek(copy) is None
