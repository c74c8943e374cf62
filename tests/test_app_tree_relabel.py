"""A group's new "answered/total" is drawn on its own line, and only its label changes.

ItemTree relabels a group without `TreeNode.set_label` (which made every line below the group
draw itself again: see ItemTree._set_label). What is drawn must still follow every mark: the
group's line its new count, the marked item's line its mark, the other lines as they were."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from inspect_tui.app.app import InspectApp
from inspect_tui.app.widgets.item_tree import ItemTree
from inspect_tui.core.checklist.loader import load_checklist
from inspect_tui.core.session.repository import SessionRepository

DAY = dt.date(2024, 6, 1)
SMALL = """\
format: 1
id: small
title: 小检查表
version: "1"
complete: true
scored: true
sections:
  - id: s1
    title: 第一大项
    points: 6
    items:
      - {id: s1.a, text: 甲项, points: 2, rules: [{clause: "未落实的,扣2分", points: 2}]}
      - {id: s1.b, text: 乙项, points: 2, rules: [{clause: "未落实的,扣2分", points: 2}]}
      - {id: s1.c, text: 丙项, points: 2, rules: [{clause: "未落实的,扣2分", points: 2}]}
  - id: s2
    title: 第二大项
    points: 2
    items:
      - {id: s2.a, text: 丁项, points: 2, rules: [{clause: "未落实的,扣2分", points: 2}]}
"""


def drawn(tree: ItemTree, item_id: str) -> str:
    """The text of the tree line that shows `item_id`, as the tree draws it now."""
    return tree.render_line(tree.nodes[item_id].line - int(tree.scroll_offset.y)).text


async def test_marks_redraw_the_group_count_and_the_item(tmp_path: Path):
    repo = SessionRepository(tmp_path / "sessions")
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    checklist = load_checklist(tmp_path / "small.yaml")
    opened = repo.create(checklist, "某机关党支部", "某机关", ["张三"], DAY)
    opened.close()
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one(ItemTree)
        first = tree.current_id
        assert first is not None
        group = checklist.path_to(first)[-2]
        mates = [child.id for child in group.items if child.id != first]
        leaves = sum(1 for item in group.walk() if item.is_leaf)
        before = {item_id: drawn(tree, item_id) for item_id in mates}
        before_other = drawn(tree, "s2")
        assert f"0/{leaves}" in drawn(tree, group.id)
        await pilot.press("n")  # 不符合 stays on the item
        await pilot.pause()
        assert f"1/{leaves}" in drawn(tree, group.id)
        label = tree.label_for(checklist.item(first), screen.result, screen.opened.session.answers).plain
        assert "-2" in label and label in drawn(tree, first)  # its mark and its deduction
        assert drawn(tree, "s2") == before_other  # another section: untouched
        assert {item_id: drawn(tree, item_id) for item_id in mates} == before
        await pilot.press("u")  # undone: the count goes back
        await pilot.pause()
        assert f"0/{leaves}" in drawn(tree, group.id)
        screen.close_session()


async def test_the_cursor_stays_in_view_as_marks_move_it_down(tmp_path: Path):
    """`y` moves on; past the bottom of the pane the tree scrolls. ItemTree.scroll_to_line scrolls
    at once rather than after the next frame: the item under the cursor must still always be on
    the screen."""
    rows = "\n".join(
        f'      - {{id: s1.i{n}, text: 第{n + 1}项, points: 1, rules: [{{clause: "未落实的,扣1分", points: 1}}]}}'
        for n in range(60)
    )
    text = SMALL.split("sections:")[0] + f"sections:\n  - id: s1\n    title: 大项\n    points: 60\n    items:\n{rows}\n"
    (tmp_path / "long.yaml").write_text(text, encoding="utf-8")
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(load_checklist(tmp_path / "long.yaml"), "某支部", "某单位", ["张三"], DAY)
    opened.close()
    app = InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ItemTree)
        for n in range(45):
            await pilot.press("y")
            top = int(tree.scroll_offset.y)
            assert tree.current_id == f"s1.i{n + 1}"
            assert top <= tree.cursor_line < top + tree.size.height, (n, top, tree.cursor_line)
        assert int(tree.scroll_offset.y) > 0  # it did scroll
        app.screen.close_session()
