"""The sign-off (issue 14, part 6): finishing records who signed and who received the findings, and
when; the signed record refuses edits but keeps its rectification follow-up open; reopening needs a
reason, kept in the trail; a signed session changed again says 已修改 on its documents; the review
(组长审核) is recorded and printed; bundles carry it all; older sessions read as signed, names unknown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspect_tui.core.checklist.model import State
from inspect_tui.core.errors import SessionError
from inspect_tui.core.exchange.bundle import write_bundle
from inspect_tui.core.exchange.importing import import_bundle
from inspect_tui.core.export import build_summary, render
from inspect_tui.core.session import rectification as rect
from inspect_tui.core.session.answers import AnswersFile
from inspect_tui.core.session.repository import SessionRepository
from inspect_tui.core.session.signoff import signoff_of

from .conftest import REPO, owner_only, run_cli
from .test_attachments import photo
from .test_bundle import exchange, snapshot
from .test_export import docx_text
from .test_rectification import HAND, clock, repo, shequ, start  # noqa: F401  (clock, repo, shequ: the fixtures)

FACT = "full_members"


def signed(repo: SessionRepository, shequ) -> str:
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        opened.finish("张三", force=True, inspectors="张三,李四", received_by="王书记")
    return sid


def test_finish_records_the_signers_the_receiver_and_the_time_audited(repo, shequ, clock):
    sid = signed(repo, shequ)
    with repo.open(sid, write=False) as opened:  # read back from the file
        s = opened.session
        assert (s.status, s.signers, s.received_by) == ("finished", ["张三", "李四"], "王书记")
        assert s.signed_at and s.signed_at <= clock.now.isoformat()
        fields = {e.field: e.new for e in opened.audit()}
        assert fields["signers"] == ["张三", "李四"] and fields["received_by"] == "王书记"
        assert fields["signed_at"] == s.signed_at and fields["status"] == "finished"


@pytest.mark.parametrize("names", ["", " , 、 ", []])
def test_a_finish_without_an_inspector_name_is_refused_and_nothing_changes(repo, shequ, names):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        with pytest.raises(SessionError, match="至少一名检查人"):
            opened.finish("张三", force=True, inspectors=names, received_by="王书记")
        assert not opened.session.finished and opened.session.signers == []
    with repo.open(sid, write=False) as opened:
        assert not opened.session.finished and opened.session.received_by == ""


def test_after_sign_off_every_edit_of_the_record_is_refused_but_the_follow_up_is_not(repo, shequ, tmp_path):
    sid = signed(repo, shequ)
    with repo.open(sid) as opened:
        refusals = [
            lambda: opened.set_answer(HAND, "张三", state=State.PASS),
            lambda: opened.set_answer(HAND, "张三", note="改了"),
            lambda: opened.set_fact(FACT, "60", "张三"),
            lambda: opened.attach(HAND, [photo(tmp_path / "p.png", fmt="PNG")], "张三"),
            lambda: opened.import_answers(AnswersFile(facts={FACT: 60}), "张三"),
        ]
        for edit in refusals:
            with pytest.raises(SessionError, match="检查已完成"):
                edit()
        # the notice asks the branch to report back: its follow-up stays open after the sign-off
        opened.set_rectification(HAND, "王书记", rect.Request(report="已调整网格", report_date="2026-06-30"))
        opened.set_rectification(HAND, "张三", rect.Request(close=True, by="张三", note="现场核实"))
        # and so does the branch's evidence of the fix (整改佐证), attached and removed again
        [evidence], _ = opened.attach(HAND, [photo(tmp_path / "fix.png", fmt="PNG")], "王书记", rectification=True)
        opened.attach(HAND, [photo(tmp_path / "fix2.png", (30, 20), fmt="PNG")], "王书记", rectification=True)
        opened.detach(HAND, evidence.sha256[:12], "王书记")
    with repo.open(sid, write=False) as opened:
        assert [a.name for a in opened.session.attachments[HAND]] == ["fix2.png"]
        assert opened.session.answers[HAND].state is State.FAIL and FACT not in opened.session.facts
        assert opened.session.rectifications[HAND].status == "closed"
        assert opened.session.amended_at == ""  # the follow-up is not an amendment of what was signed


def test_reopening_needs_a_reason_and_keeps_it_in_the_trail(repo, shequ):
    sid = signed(repo, shequ)
    with repo.open(sid) as opened:
        for reason in ("", "   "):
            with pytest.raises(SessionError, match="需要说明原因"):
                opened.reopen("张三", reason)
        assert opened.session.finished
        opened.reopen("张三", "网格划分判断有误")
    with repo.open(sid, write=False) as opened:
        assert not opened.session.finished
        [entry] = [e for e in opened.audit() if e.field == "reopened"]
        assert (entry.inspector, entry.new) == ("张三", "网格划分判断有误")


def test_a_signed_session_changed_after_reopening_says_amended_on_its_documents(repo, shequ, clock):
    sid = signed(repo, shequ)
    with repo.open(sid) as opened:
        opened.reopen("张三", "补录党员人数")
        assert opened.session.amended_at == ""  # reopened, not yet changed
        clock.now = clock.now.replace(month=12, day=3)
        opened.set_fact(FACT, "60", "张三")
        changed = opened.session.amended_at
        assert changed.startswith("2026-12-03")
        opened.finish("张三", force=True, inspectors=["张三"], received_by="王书记")
    with repo.open(sid, write=False) as opened:
        assert opened.session.amended_at == changed
        summary = build_summary(opened.session)
    md = render(summary, "md").decode()
    assert "已修改:签字后于 2026年12月3日 修改" in md and "检查人员:张三　　签名:" in md
    assert "Amended on 2026-12-03, after the sign-off" in render(summary, "md", lang="en").decode()
    html = render(summary, "html", "rectification").decode()
    assert html.count("已修改:签字后于 2026年12月3日 修改") == 2  # under the title and by the signatures
    paragraphs, _ = docx_text(render(summary, "docx"))
    assert paragraphs.count("已修改:签字后于 2026年12月3日 修改") == 2


def test_documents_print_the_signers_and_leave_only_the_handwritten_line(repo, shequ):
    sid = signed(repo, shequ)
    with repo.open(sid, write=False) as opened:
        summary = build_summary(opened.session)
        day = opened.session.signed_at[:10]
    paragraphs, _ = docx_text(render(summary, "docx"))
    assert "检查人员:张三、李四　　签名:________________" in paragraphs
    assert "被检查单位负责人(接收人):王书记　　签名:________________" in paragraphs
    y, m, d = (int(p) for p in day.split("-"))
    assert f"签字日期:{y}年{m}月{d}日" in paragraphs and not any("已修改" in p for p in paragraphs)
    notice, _ = docx_text(render(summary, "docx", "rectification", lang="en"))
    assert "Received for the branch by: 王书记    Signature: ________________" in notice
    assert f"Signed on {day}" in notice
    html = render(summary, "html").decode()
    assert "检查人员:张三、李四　　签名:" in html and "被检查单位负责人(接收人):王书记" in html


def test_an_unsigned_session_keeps_the_blank_form(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid, write=False) as opened:
        paragraphs, _ = docx_text(render(build_summary(opened.session), "docx"))
    assert any(p.startswith("检查人员(签名):_") for p in paragraphs) and not any("签字日期" in p for p in paragraphs)


def test_the_review_is_recorded_audited_and_printed(repo, shequ):
    sid = start(repo, shequ)
    with repo.open(sid) as opened:
        with pytest.raises(SessionError, match="尚未签字完成"):
            opened.review("赵组长", "赵组长", "同意")
        opened.finish("张三", force=True, inspectors=["张三"])
        with pytest.raises(SessionError, match="审核人姓名"):
            opened.review("赵组长", " ")
        opened.review("赵组长", "赵组长", "扣分依据充分")
    with repo.open(sid, write=False) as opened:
        s = opened.session
        assert (s.reviewed_by, s.review_comment) == ("赵组长", "扣分依据充分") and s.reviewed_at
        assert {"reviewed_by", "reviewed_at", "review_comment"} <= {e.field for e in opened.audit()}
        summary = build_summary(s)
    for what in ("summary", "rectification"):
        for fmt in ("md", "html"):
            text = render(summary, fmt, what).decode()
            assert "审核:赵组长" in text and "审核意见:扣分依据充分" in text, (fmt, what)
    from openpyxl import load_workbook
    import io

    info = [r for r in load_workbook(io.BytesIO(render(summary, "xlsx"))).worksheets[-1].iter_rows(values_only=True)]
    assert ("检查人员(签字)", "张三") in [r[:2] for r in info] and any(r[0] == "组长审核" for r in info)


def test_a_bundle_carries_the_sign_off_and_the_review(tmp_path, shequ, clock):
    a, b = SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)
    sid = start(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with b.open(sid) as opened:
        opened.finish("李四", force=True, inspectors="李四,张三", received_by="王书记")
        opened.review("赵组长", "赵组长", "同意")
    exchange(a, b, tmp_path)
    with a.open(sid, write=False) as opened:
        s = opened.session
        assert (s.finished, s.signers, s.received_by, s.reviewed_by) == (True, ["李四", "张三"], "王书记", "赵组长")
    assert snapshot(a) == snapshot(b)


def test_an_amendment_travels_in_a_bundle(tmp_path, shequ, clock):
    a, b = SessionRepository(tmp_path / "a", clock), SessionRepository(tmp_path / "b", clock)
    sid = signed(a, shequ)
    write_bundle(a, [sid], tmp_path / "first.bundle")
    import_bundle(b, tmp_path / "first.bundle")
    with b.open(sid) as opened:
        opened.reopen("李四", "改备注")
        opened.set_answer(HAND, "李四", note="网格与楼栋不对应,已核实")
    exchange(a, b, tmp_path)
    with a.open(sid, write=False) as opened, b.open(sid, write=False) as theirs:
        assert opened.session.amended_at == theirs.session.amended_at != ""
        assert not opened.session.finished


def test_an_older_finished_session_reads_as_signed_with_the_names_unknown(tmp_path):
    folder = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", folder)
    with SessionRepository(folder).open("c567b521c9b4", write=False) as opened:
        s = signoff_of(opened.session)
        assert s.signed and not s.names_known and opened.session.inspectors  # not taken from those
        text = render(build_summary(opened.session), "md").decode()
    assert "检查人员:(签字时未记录姓名)" in text


def test_an_older_finished_session_changed_after_reopening_says_amended_too(tmp_path):
    folder = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", folder)
    with SessionRepository(folder).open("c567b521c9b4") as opened:
        finished_at = [e.time for e in opened.audit() if e.field == "status" and e.new == "finished"][-1]
        opened.reopen("张三", "补录")
        assert opened.session.signed_at == finished_at  # when it was finished, from its own trail
        opened.set_answer("org.basic.grid_split", "张三", note="补录的备注")
        summary = build_summary(opened.session)
        assert opened.session.amended_at and opened.session.signers == []
    text = render(summary, "md").decode()
    assert "已修改:签字后于" in text and "检查人员:(签字时未记录姓名)" in text


# -- the CLI, in child processes ------------------------------------------------------------------

FINISHED, HALF = "c567b521c9b4", "5c8e8150773a"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "sessions"
    shutil.copytree(REPO / "sessions", target)
    return owner_only(target)


def cli(folder: Path, *args: str):
    return run_cli("--sessions", str(folder), *args)


def test_cli_finish_reopen_review(folder):
    refused = cli(folder, "finish", HALF, "--force")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--inspectors" in refused.stderr
    assert "Traceback" not in refused.stderr
    done = cli(folder, "finish", HALF, "--force", "--inspectors", "张三,李四", "--received-by", "王书记")
    assert done.returncode == 0, done.stderr
    assert "检查人: 张三、李四  接收人: 王书记" in done.stdout
    review = cli(folder, "review", HALF, "--by", "赵组长", "--comment", "同意")
    assert review.returncode == 0 and "已审核: 赵组长" in review.stdout
    no_reason = cli(folder, "reopen", HALF)
    assert no_reason.returncode == 2 and no_reason.stderr.count("\n") == 1 and "--reason" in no_reason.stderr
    assert cli(folder, "reopen", HALF, "--reason", "补录").returncode == 0
    log = cli(folder, "log", HALF).stdout
    assert "reopened: — → 补录" in log and 'signers: [] → ["张三", "李四"]' in log
    english = cli(folder, "--lang", "en", "reopen", FINISHED)
    assert english.returncode == 2 and "give the reason with --reason" in english.stderr
