"""The sample sessions in sessions/ load, list and score as the quick start says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    target = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", target)
    return SessionRepository(target)


def test_samples_list_with_progress_and_status(repo):
    listed = {s.id: s for s in repo.list()}
    assert repo.problems == []
    finished, half = listed["c567b521c9b4"], listed["5c8e8150773a"]
    assert (finished.header.status, finished.scores.total, finished.scores.max) == ("finished", 20, 28)
    assert finished.scores.answered == finished.scores.leaves == 12
    assert (half.header.status, half.scores.answered, half.scores.leaves) == ("in_progress", 13, 81)


def test_finished_sample_deductions(repo):
    with repo.open("c567") as opened:
        result = opened.session.score()
        lost = {r.id: r.deducted for r in result.items.values() if opened.checklist.item(r.id).is_leaf and r.deducted}
        assert lost == {
            "org.basic.grid_branch": 2,       # 网格党支部设置不规范
            "org.groups.size": 2,             # 1 个党小组不符合要求
            "team.leaders.grid": 2,           # 缺宣传委员
            "team.term.reminder": 2,          # 6个月内届满,未开始换届筹备
        }
        assert opened.session.finished


def test_half_done_sample_keeps_notes(repo):
    with repo.open("5c8e") as opened:
        note = opened.session.answers["room.boards.open"].note
        assert "党务公开栏" in note
        assert not opened.session.finished
