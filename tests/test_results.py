"""One vocabulary of results (core/analysis/results.py): every view of a scored session holds the
same header and scores, built once, all Decimal; the session list's row reads old files' floats."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from inspect_tui.core.analysis.compare import compare
from inspect_tui.core.analysis.results import Scores, SessionHeader, field_of, header_of, scores_of, section_scores
from inspect_tui.core.analysis.rollup import rollup
from inspect_tui.core.export.model import build_summary
from inspect_tui.core.numbers import percent_text, points_text, signed_text
from inspect_tui.core.session.model import SUMMARY_FIELDS, Summary
from inspect_tui.core.session.repository import SessionRepository

from .conftest import REPO


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    target = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", target)
    (target / "index.json").unlink(missing_ok=True)
    return SessionRepository(target)


def _load(repo: SessionRepository, session_id: str):
    with repo.open(session_id, write=False) as opened:
        return opened.session


def test_the_records_of_one_session_are_the_same_records_everywhere(repo):
    session = _load(repo, "c567b521c9b4")
    result = session.score()
    header, scores = header_of(session), scores_of(session.checklist, result)
    assert header == SessionHeader("c567b521c9b4", "幸福社区第一网格党支部", "幸福社区党委", "2026-06-15", "finished",
                                   "shequ", session.checklist.title, "1.0", tuple(session.inspectors),
                                   session.place, session.previous)
    assert (scores.total, scores.max, scores.answered, scores.leaves, scores.final) == (20, 28, 12, 12, True)
    assert all(isinstance(v, Decimal) for v in (scores.total, scores.max, scores.percent, scores.deducted))
    # the export model, the roll-up and a comparison hold these very records, not copies of fields
    summary = build_summary(session, result)
    assert (summary.header, summary.scores) == (header, scores)
    (group,) = rollup([session]).groups
    assert (group.ranking[0].scores, group.ranking[0].header.id) == (scores, header.id)
    assert compare(session, session).new.scores == scores
    assert [s.id for s in summary.sections] == [s.id for s in section_scores(session.checklist, result)]
    assert field_of(group.ranking[0], "session_id") == header.id and field_of(group.ranking[0], "rank") == 1


def test_the_list_row_is_written_as_before_and_reads_floats_back_as_decimal(repo):
    session = _load(repo, "5c8e8150773a")
    row = session.summary()
    data = row.to_json()
    assert tuple(data) == SUMMARY_FIELDS  # the flat shape of the session file's meta and the index
    assert isinstance(data["total"], float) and isinstance(data["percent"], float)
    back = Summary.from_json(data)
    assert isinstance(back.scores.total, Decimal) and isinstance(back.scores.percent, Decimal)
    assert (back.header.id, back.header.branch, back.scores.answered, back.scores.open_points) == (
        row.header.id, row.header.branch, row.scores.answered, row.scores.open_points)
    assert back.to_json() == data  # what is read is written again unchanged
    # a row of an older file: no open_points kept, figures as floats
    old = {k: v for k, v in data.items() if k != "open_points"} | {"total": 26.0, "percent": 92.86}
    read = Summary.from_json(old)
    assert read.scores.total == Decimal("26.0") and read.scores.open_points is None and not read.scores.final
    listed = {s.id: s for s in repo.list()}
    assert listed["5c8e8150773a"].to_json() == data


def test_scores_read_back_from_a_list_entry_say_what_they_do_not_know(repo):
    read = Summary.from_json(_load(repo, "c567b521c9b4").summary().to_json()).scores
    assert isinstance(read, Scores) and read.counts == {} and read.deducted is None and read.bonus is None


def test_one_formatter_rounds_half_up_everywhere():
    assert points_text(Decimal("4.00")) == "4" and points_text(None) == "—" and points_text(None, "") == ""
    assert points_text(Decimal("0.125"), places=2) == "0.13" and points_text(Decimal("10")) == "10"
    assert signed_text(Decimal("2")) == "+2" and signed_text(Decimal("-0.5")) == "-0.5" and signed_text(Decimal(0)) == "0"
    assert percent_text(Decimal("71.25")) == "71.3%" and percent_text(Decimal(100)) == "100.0%"
    assert percent_text(Decimal("12.5"), places=0) == "13%" and percent_text(None) == "—"
