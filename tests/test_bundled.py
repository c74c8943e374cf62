"""Every bundled standard loads, and is what the seed says it is."""

from __future__ import annotations

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core import paths
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.checklist.model import Section

from .conftest import CHECKLISTS

BUNDLED = ["example", "gongxing", "jiguan", "liutiao", "pingjia", "shequ", "tunji", "wuge"]


def test_the_package_finds_the_bundled_checklists():
    """After a plain (non-editable) install they ship inside the package; from source, the repo's."""
    found = sorted(e.checklist.id for e in catalog.scan() if e.origin == "bundled" and e.checklist)
    assert found == BUNDLED
    assert paths.bundled_checklists_dir().is_dir()


@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_checklist_is_valid(name):
    checklist = load_checklist(CHECKLISTS / f"{name}.yaml")
    assert checklist.id == name
    assert checklist.leaf_count > 0
    if not checklist.complete:
        assert checklist.incomplete_note


def test_jiguan_has_six_sections_and_thirty_one_items():
    jiguan = load_checklist(CHECKLISTS / "jiguan.yaml")
    assert len(jiguan.sections) == 6
    counts = [len(s.items) for s in jiguan.sections]
    assert counts == [4, 6, 4, 5, 5, 7]
    room = jiguan.sections[1]
    boards = [i for i in room.items if "制度" in i.text][0]
    assert len(boards.items) == 7  # the seven system boards as sub-checks
    ledgers = jiguan.sections[5]
    with_source = [i for i in ledgers.items if i.source]
    assert len(with_source) >= 3  # categories not in the seed name where they come from
    for section in jiguan.sections[2:5]:  # the seed lists no items here: each completed item says why
        for item in section.items:
            assert item.source, item.id
    assert not jiguan.complete


def test_scored_standards_never_gain_points_the_seed_does_not_give():
    shequ = load_checklist(CHECKLISTS / "shequ.yaml")
    assert [(s.text, s.points) for s in shequ.sections] == [("组织设置规范", 12), ("队伍建设规范", 36)]
    gongxing = load_checklist(CHECKLISTS / "gongxing.yaml")
    assert gongxing.sections[0].points == 10
    assert gongxing.sections[1].points is None  # cut off before its points


@pytest.mark.parametrize("name,complete", [("tunji", True), ("pingjia", True), ("liutiao", True), ("wuge", True)])
def test_complete_unscored_standards(name, complete):
    checklist = load_checklist(CHECKLISTS / f"{name}.yaml")
    assert checklist.complete is complete
    assert not checklist.scored
    assert all(item.points is None for item in checklist.walk())


def test_liutiao_has_six_and_wuge_five_standards():
    liutiao = load_checklist(CHECKLISTS / "liutiao.yaml")
    wuge = load_checklist(CHECKLISTS / "wuge.yaml")
    assert sum(len(s.items) for s in liutiao.sections) == 6
    assert sum(len(s.items) for s in wuge.sections) == 5
    assert all(isinstance(s, Section) for s in wuge.sections)


def test_the_format_doc_carries_the_complete_example_verbatim():
    doc = (CHECKLISTS.parent / "docs" / "checklist-format.md").read_text(encoding="utf-8")
    block = doc.split("```yaml\n")[-1].split("\n```")[0] + "\n"
    assert block == (CHECKLISTS / "example.yaml").read_text(encoding="utf-8")
    from inspect_tui.core.checklist.loader import parse_checklist

    assert parse_checklist(block, "doc-example").id == "example"
