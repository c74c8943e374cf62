"""Every bad checklist file gets clear `FILE:LINE:COL:` lines, never a traceback."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from inspect_tui.core.checklist.loader import load_checklist, parse_checklist
from inspect_tui.core.checklist.yamlsafe import FileProblems

from .conftest import run_cli

GOOD = """\
format: 1
id: t
title: 测试检查表
version: "1"
complete: true
scored: true
facts:
  - {id: members, label: 正式党员人数, type: integer, min: 0}
sections:
  - id: s
    title: 大项
    points: 10
    items:
      - id: s.a
        text: 甲
        points: 6
        rules: [{clause: "未做的,扣6分", points: 6}]
      - id: s.b
        text: 乙
        points: 4
        rules: [{clause: "人数不足的,扣4分", points: 4, when: members < 3}]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(FileProblems) as caught:
        parse_checklist(text, "x.yaml")
    return [str(p) for p in caught.value.problems]


def test_good_file_loads():
    checklist = parse_checklist(GOOD, "x.yaml")
    assert [i.id for i in checklist.walk()] == ["s", "s.a", "s.b"]
    assert checklist.item("s.b").computed


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("title: 测试检查表", "titel: 测试检查表", r"x.yaml:3:1: unknown key 'titel' .*did you mean 'title'"),
        ("        points: 6\n", "        points: 6\n        pionts: 1\n", r"unknown key 'pionts'.*did you mean 'points'"),
        ("id: s.b", "id: s.a", r"x.yaml:\d+:\d+: duplicate id 's.a' \(first used on line 14\)"),
        ("members < 3", "memebrs < 3", r"unknown fact 'memebrs' \(did you mean 'members'\?\)"),
        ("points: 4\n        rules", "points: 5\n        rules", r"points 10 but the sub-items add up to 11"),
        ("type: integer", "type: int", r"unknown fact type 'int' \(did you mean 'integer'\?\)"),
        ("format: 1", "format: 2", r"unsupported format 2"),
        ("complete: true", "complete: false", r"incomplete_note"),
        ("points: 6}]", "points: 6, per: 2}]", r"'points' \(fixed\) or 'per'"),
        ("members < 3", "members + 3", r"when must give boolean, but gives number"),
    ],
)
def test_each_mistake_is_named_with_its_position(old, new, expected):
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1))
    assert any(re.search(expected, line) for line in found), found
    assert all(re.match(r"x\.yaml:\d+:\d+: ", line) for line in found), found


def test_all_problems_are_reported_not_just_the_first():
    text = GOOD.replace("title: 测试检查表", "titel: x").replace("id: s.b", "id: s.a").replace("members < 3", "nobody > 1")
    found = problems_of(text)
    assert len(found) >= 3, found
    lines = [int(line.split(":")[1]) for line in found]
    assert lines == sorted(lines)


def test_duplicate_keys_are_errors():
    found = problems_of(GOOD.replace("version: \"1\"", "version: \"1\"\nversion: \"2\""))
    assert any(re.search(r"x.yaml:5:1: duplicate key 'version'", line) for line in found), found


def test_rules_must_refer_to_facts_that_exist():
    found = problems_of(GOOD.replace("members < 3", "party_size < 3"))
    assert any("unknown fact 'party_size'" in line for line in found)


def test_mixed_manual_and_computed_rules_are_refused():
    text = GOOD.replace(
        '        rules: [{clause: "人数不足的,扣4分", points: 4, when: members < 3}]',
        '        rules: [{clause: "人数不足的,扣4分", points: 4, when: members < 3}, {clause: "其他,扣1分", points: 1}]',
    )
    assert any("cannot be mixed" in line for line in problems_of(text))


def test_points_in_an_unscored_checklist_are_refused():
    assert any("needs a scored checklist" in line for line in problems_of(GOOD.replace("scored: true", "scored: false")))


def test_a_deduction_needs_points_to_stop_at():
    text = GOOD.replace("    points: 10\n", "").replace("        points: 6\n", "").replace("        points: 4\n", "")
    assert any("needs points to stop at" in line for line in problems_of(text))


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", r"^F: empty file"),
        (b"   \n\n", r"^F: empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"^F:3:1: binary data"),
        ("title: 测试".encode("gbk"), r"^F:1:8: not UTF-8 text \(byte 0xb2\)"),
        (b"- a\n- b\n", r"^F:1:1: the checklist must be a mapping"),
        (b"just a string", r"^F:1:1: the checklist must be a mapping"),
        (b"a: [1, 2\nb: 3\n", r"^F:\d+:\d+: "),
        (b"id: !!python/object/apply:os.system ['echo hacked']\n", r"^F:1:5: .*python/object/apply"),
        (b"format: !!python/name:os.system\n", r"^F:1:9: tag tag:yaml.org,2002:python/name:os.system is not allowed"),
        (b"a: &x [1]\nb: *x\n", r"^F:2:4: anchors and aliases"),
        (b"key: \tvalue\x07\n", r"^F:1:12: character U\+0007 is not allowed"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "F"
    path.write_bytes(content)
    with pytest.raises(FileProblems) as caught:
        load_checklist(path)
    lines = [str(p).replace(str(path), "F") for p in caught.value.problems]
    assert re.search(expected, lines[0]), lines


def test_billion_laughs_is_refused_quickly(tmp_path: Path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        ref = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{ref}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(FileProblems) as caught:
        load_checklist(path)
    assert time.perf_counter() - start < 2
    assert "anchors and aliases" in str(caught.value)


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a: ", "}")])
def test_twenty_thousand_levels_of_nesting(tmp_path: Path, opener: str, closer: str):
    path = tmp_path / "deep.yaml"
    path.write_text(opener * 20_000 + "1" + closer * 20_000)
    with pytest.raises(FileProblems) as caught:
        load_checklist(path)
    assert re.match(rf"{re.escape(str(path))}:1:\d+: nested more than 64 levels deep", str(caught.value))


def test_deep_block_nesting(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v\n")
    with pytest.raises(FileProblems) as caught:
        load_checklist(path)
    assert "nested more than" in str(caught.value)


def test_a_directory(tmp_path: Path):
    with pytest.raises(FileProblems) as caught:
        load_checklist(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory, not a file"


def test_a_missing_file(tmp_path: Path):
    with pytest.raises(FileProblems) as caught:
        load_checklist(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_odd_unicode_is_text_not_trouble():
    # (a bidi override is refused by the text gate since issue 12: tests/test_hostile_text.py)
    text = GOOD.replace("text: 甲", 'text: "甲\u200b𠀀 [b]不是标记[/b] \U0001f6a9"')
    checklist = parse_checklist(text, "x.yaml")
    assert checklist.item("s.a").text.startswith("甲\u200b𠀀")


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_checklist(path).id == "t"


def test_validate_command_on_every_bad_input(tmp_path: Path):
    """One run over all the bad inputs: exit 2, no traceback, every file named, under 5 s."""
    bad = {
        "empty.yaml": b"",
        "binary.yaml": b"\x00\x01\x02",
        "gbk.yaml": "标题: 测试".encode("gbk"),
        "list.yaml": b"- 1\n",
        "python.yaml": b"x: !!python/object/apply:os.system ['true']\n",
        "alias.yaml": b"a: &x 1\nb: *x\n",
        "deep.yaml": b"[" * 20_000,
        "dupe.yaml": GOOD.replace('version: "1"', 'version: "1"\nversion: "1"').encode(),
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "folder.yaml").mkdir()
    names = [*bad, "folder.yaml", "missing.yaml"]
    start = time.perf_counter()
    done = run_cli("validate", *names, cwd=tmp_path)
    elapsed = time.perf_counter() - start
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert elapsed < 5
    lines = done.stderr.strip().splitlines()
    for name in names:
        mine = [line for line in lines if line.startswith(name + ":")]
        assert mine, (name, lines)
    for line in lines[:-1]:
        assert re.match(r"^[\w.]+\.yaml:(\d+:\d+:)? ", line), line


def test_validate_passes_a_good_file(tmp_path: Path):
    (tmp_path / "ok.yaml").write_text(GOOD)
    done = run_cli("validate", "ok.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ok.yaml" in done.stdout


def test_parsing_keeps_nothing_of_the_yaml_once_done():
    """A parsed checklist keeps no YAML nodes alive: the app parses checklists and frozen copies
    all day (the catalog, every session opened), and each 200-item checklist used to leave ~25,000
    nodes and marks behind in the scalar loader's cache."""
    import gc

    import yaml.nodes

    from .conftest import REPO

    text = (REPO / "checklists" / "jiguan.yaml").read_text(encoding="utf-8")

    def alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, yaml.nodes.Node))

    parse_checklist(text, "jiguan.yaml")  # the first parse may fill module-level caches
    before = alive()
    for _ in range(3):
        assert parse_checklist(text, "jiguan.yaml").id == "jiguan"
    assert alive() <= before
