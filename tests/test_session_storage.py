"""What a session records, on the durable storage and on its in-memory twin alike.

`session_storage` (tests/conftest.py) runs each test with session files on `DurableJSONStorage`
and its journal, then in memory (tests/memory_storage.py): the tables a session maps onto — meta,
facts, answers, the audit trail — read back the same whichever holds them. How they survive a kill
or a full disk is tested on the durable storage alone (test_repository, test_journal, test_crash*).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core.session.answers import Override
from inspect_tui.core.checklist.model import State
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.session.file import Change, SessionFile
from inspect_tui.store import StorageError

DAY = dt.date(2024, 6, 1)
ITEM = "org.basic.grid_split"


@pytest.fixture
def opened(tmp_path, session_storage):
    repo = SessionRepository(tmp_path / "sessions")
    opened = repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三", "李四"], DAY, "党员活动室")
    yield opened
    opened.close()


def read_back(opened) -> tuple:
    """The session and its audit trail as a second reader of the same file finds them."""
    file = SessionFile(opened.file.path, read_only=True)
    try:
        return file.load(), file.audit()
    finally:
        file.close()


def test_what_is_entered_reads_back_the_same(opened):
    opened.set_fact("full_members", "60", "张三")
    opened.set_fact("org_type", "党支部", "张三")
    opened.set_answer(ITEM, "张三", state=State.FAIL, note="网格与楼栋不对应\n第二行", evidence=["照片/1.jpg"])
    opened.set_answer("team.grid", "李四", state=State.FAIL, override=Override(Decimal("1.5"), "未定期走访"))
    opened.set_position("team.grid", "failed")
    session, trail = read_back(opened)
    assert session.branch.name == "幸福社区第一网格党支部" and session.place == "党员活动室"
    assert session.inspectors == ["张三", "李四"] and session.date == DAY
    assert session.facts == {"full_members": Decimal(60), "org_type": "党支部"}
    answer = session.answers[ITEM]
    assert answer.state is State.FAIL and answer.note == "网格与楼栋不对应\n第二行" and answer.evidence == ("照片/1.jpg",)
    assert session.answers["team.grid"].override == Override(Decimal("1.5"), "未定期走访")
    assert (session.position.item, session.position.filter) == ("team.grid", "failed")
    assert session.score().items["org.basic"].deducted == 6
    assert [e.field for e in trail][0] == "created"
    assert [e.field for e in trail] == [e.field for e in opened.audit()]


def test_a_removed_answer_and_fact_are_gone_when_read_back(opened):
    opened.set_fact("full_members", "60", "张三")
    opened.set_answer(ITEM, "张三", state=State.FAIL)
    opened.file.commit(Change(answers={ITEM: None}, facts={"full_members": None}))
    session, _ = read_back(opened)
    assert ITEM not in session.answers and "full_members" not in session.facts


def test_one_typing_burst_is_one_audit_entry(opened):
    clock = [100.0]
    opened.ticks = lambda: clock[0]
    for end in range(1, 5):
        opened.set_answer(ITEM, "张三", typing=True, note="消防通道"[:end])
        clock[0] += 0.2
    clock[0] += 1.5  # a pause: the next keystroke opens a new burst
    opened.set_answer(ITEM, "张三", typing=True, note="消防通道畅通")
    session, trail = read_back(opened)
    assert session.answers[ITEM].note == "消防通道畅通"
    notes = [(e.old, e.new) for e in trail if e.field.endswith(".note")]
    assert notes == [(None, "消防通道"), ("消防通道", "消防通道畅通")]


def test_a_file_opened_read_only_refuses_a_change_and_keeps_what_it_holds(opened):
    opened.set_answer(ITEM, "张三", state=State.FAIL)
    reader = SessionFile(opened.file.path, read_only=True)
    try:
        reader.load()
        with pytest.raises(StorageError, match="read-only"):
            reader.commit(Change(answers={ITEM: {"state": "pass"}}))
    finally:
        reader.close()
    session, _ = read_back(opened)
    assert session.answers[ITEM].state is State.FAIL


def test_the_memory_twin_writes_no_session_file(opened, session_storage):
    """The parametrisation is real: in memory, nothing of the session reaches its folder."""
    opened.set_answer(ITEM, "张三", state=State.FAIL)
    written = sorted(p.name for p in opened.file.path.parent.iterdir() if not p.name.endswith(".lock"))
    if session_storage == "memory":
        assert written == []
    else:
        assert f"{opened.session.id}.json" in written
