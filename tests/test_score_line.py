"""The score as shown: 暂定 with the points still open until every applicable item is decided."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inspect_tui.core.session.answers import Answer
from inspect_tui.core.checklist.loader import parse_checklist
from inspect_tui.core.checklist.model import State
from inspect_tui.core.analysis.score_line import grade_words, line_from_numbers, score_line, words
from inspect_tui.core.analysis.scoring import score

DAY = dt.date(2026, 6, 1)

# A section of 10 points over children worth 6 + 6 (the 10 caps them), one of them a parent of
# two leaves without points of their own (its 6 caps them), and a plain 5-point section.
YAML = """
format: 1
id: t
title: T
version: "1"
complete: true
source: {standard: T, document: test, year: null}
scored: true
na_allowed: true
grades:
  - {min: 12, label: 优秀}
  - {min: 0, label: 合格}
facts:
  - {id: has_committee, label: 是否设立支委会, type: boolean}
sections:
  - id: a
    title: A
    points: 10
    caps: true
    items:
      - id: a.one
        text: one
        points: 6
        rules: [{clause: 扣6分, points: 6}]
      - id: a.two
        text: two
        points: 6
        caps: true
        items:
          - {id: a.two.x, text: x, rules: [{clause: 扣4分, points: 4}]}
          - {id: a.two.y, text: y, rules: [{clause: 扣4分, points: 4}]}
  - id: b
    title: B
    points: 5
    items:
      - {id: b.one, text: b1, points: 5, rules: [{clause: 扣5分, points: 5}]}
"""


UNSCORED = """
format: 1
id: u
title: U
version: "1"
complete: true
source: {standard: U, document: test, year: null}
scored: false
na_allowed: true
sections:
  - id: a
    title: A
    items:
      - {id: a.one, text: one}
      - id: a.two
        text: two
        items:
          - {id: a.two.x, text: x}
          - {id: a.two.y, text: y}
  - id: b
    title: B
    items:
      - {id: b.one, text: b1}
"""


def line(answers: dict[str, str]):
    checklist = parse_checklist(YAML, "t.yaml")
    marks = {item: Answer(state=State(state)) for item, state in answers.items()}
    return score_line(checklist, score(checklist, {}, marks, DAY))


def test_nothing_checked_is_provisional_with_every_point_open():
    shown = line({})
    assert (shown.final, shown.total, shown.max, shown.open) == (False, 15, 15, 15)
    assert words(shown) == "暂定 15/15 优秀,另有 15 分未检查"
    assert words(shown, "en") == "provisional 15/15 优秀, 15 more points unchecked"
    assert grade_words(shown) == "优秀(暂定)"


def test_open_points_stop_at_what_a_capped_parent_has_left():
    # a.one failed (−6): section a has 4 left, though a.two's leaves could ask for 8
    shown = line({"a.one": "fail", "b.one": "pass"})
    assert (shown.total, shown.open) == (9, 4)
    assert words(shown) == "暂定 9/15 合格,另有 4 分未检查"
    # one pointless leaf failed (−4 of a.two's 6): the other can take only the 2 left
    shown = line({"a.one": "pass", "a.two.x": "fail", "b.one": "pass"})
    assert (shown.total, shown.open) == (11, 2)


def test_na_takes_points_out_of_what_is_open():
    shown = line({"a.one": "na", "a.two.x": "pass"})
    # a's maximum falls to its remaining child's 6; a.two.y (no points of its own) may still lose
    # what its clause names, 4 — not a.two's whole 6; b.one its 5
    assert shown.max == 11 and shown.open == 4 + 5


def test_every_item_decided_is_final_with_its_grade():
    shown = line({"a.one": "pass", "a.two.x": "fail", "a.two.y": "pass", "b.one": "pass"})
    assert shown.final and shown.open == 0
    assert words(shown) == "11/15 合格"
    assert grade_words(shown) == "合格"


def test_an_unscored_standard_counts_items_and_never_a_percentage():
    checklist = parse_checklist(UNSCORED, "u.yaml")
    marks = {"a.one": Answer(state=State.PASS), "b.one": Answer(state=State.FAIL)}
    shown = score_line(checklist, score(checklist, {}, marks, DAY))
    assert words(shown) == "暂定 符合 1/4 项,另有 2 项未检查"
    assert "%" not in words(shown) and "%" not in words(shown, "en")
    marks.update({"a.two.x": Answer(state=State.NA), "a.two.y": Answer(state=State.PASS)})
    assert words(score_line(checklist, score(checklist, {}, marks, DAY))) == "符合 2/3 项"


def test_a_list_entry_written_before_open_points_were_kept_says_provisional_without_a_figure():
    old = line_from_numbers(True, False, 24.0, 28.0, None)
    assert words(old) == "暂定 24/28"
    assert words(line_from_numbers(True, False, 24.0, 28.0, 12.0)) == "暂定 24/28,另有 12 分未检查"
    assert words(line_from_numbers(True, True, 24.0, 28.0, 0.0, "良好"), grade=False) == "24/28"
    assert Decimal("12") == line_from_numbers(True, False, 1, 2, 12).open


# -- every export words the score the same way ----------------------------------------------------


def _session(tmp_path, checklist_id: str, marks: dict[str, str]):
    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session.repository import SessionRepository

    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find(checklist_id), "某支部", "某党委", ["张三"], DAY)
    for item_id, state in marks.items():
        opened.set_answer(item_id, "张三", state=State(state))
    opened.close()
    return opened.session


def _texts(session) -> dict[str, str]:
    import html
    import io
    import zipfile

    from inspect_tui.core.export import render
    from inspect_tui.core.export.model import build_summary

    summary = build_summary(session)
    out = {fmt: render(summary, fmt).decode("utf-8") for fmt in ("md", "json", "html")}
    for fmt in ("xlsx", "docx"):  # every XML part of the file (inline or shared strings alike)
        with zipfile.ZipFile(io.BytesIO(render(summary, fmt))) as book:
            xml = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
            out[fmt] = html.unescape(xml)  # the XML may carry characters as &#…; references
    return out


def test_every_export_says_provisional_and_what_is_open(tmp_path):
    import json

    session = _session(tmp_path, "example", {})  # nothing checked: 95/95 is no score yet
    texts = _texts(session)
    for fmt, text in texts.items():
        assert "暂定" in text and "另有 95 分未检查" in text, fmt
        assert fmt == "json" or "优秀(暂定)" in text, fmt  # the grade only with 暂定 beside it
    data = json.loads(texts["json"])
    assert (data["provisional"], data["open_points"], data["score_text"]) == (True, 95, "暂定 95/95 优秀,另有 95 分未检查")


def test_an_unscored_export_counts_items_and_prints_no_percentage_as_its_score(tmp_path):
    from inspect_tui.core.checklist import catalog

    leaves = [leaf.id for leaf in catalog.find("jiguan").leaves()]
    session = _session(tmp_path, "jiguan", {leaves[0]: "pass", leaves[1]: "fail"})
    texts = _texts(session)
    for fmt in ("md", "html", "docx"):
        assert f"暂定 符合 1 项 / 适用 {len(leaves)} 项,另有 {len(leaves) - 2} 项未检查" in texts[fmt], fmt
    assert "%)" not in texts["md"].split("\n\n")[2]  # the score paragraph carries no rate


def test_a_list_entry_of_an_unfinished_session_from_before_open_points_is_scored_again(tmp_path):
    import shutil

    from inspect_tui.core.session.repository import SessionRepository

    from .conftest import REPO, owner_only

    shutil.copytree(REPO / "sessions", tmp_path / "sessions")
    owner_only(tmp_path / "sessions")
    repo = SessionRepository(tmp_path / "sessions")
    listed = {s.id: s for s in repo.list()}
    half = listed["5c8e8150773a"]  # the half-done 机关 sample, saved before open points were kept
    assert half.scores.open_points == 68 and words(half.scores.line) == "暂定 符合 10/81 项,另有 68 项未检查"
    assert listed["c567b521c9b4"].scores.line.final  # a finished one needs nothing more
    assert {s.id: s.scores.open_points for s in repo.list()} == {s.id: s.scores.open_points for s in listed.values()}  # cached


def test_the_csv_summary_ends_its_items_with_the_score_line(tmp_path):
    import csv
    import io

    from inspect_tui.core.export import render
    from inspect_tui.core.export.model import build_summary

    rows = list(csv.reader(io.StringIO(render(build_summary(_session(tmp_path, "shequ", {})), "csv").decode("utf-8-sig"))))
    assert rows[rows.index([]) + 1] == ["得分", "暂定 总分 28 分(满分 28 分,扣 0 分),另有 28 分未检查"]
