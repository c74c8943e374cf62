"""Where files go (issue 11 part 7): the exports folder, `-o` that never creates folders, files
never replaced without --force; and diff refusing two branches or standards (issue 12 part 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inspect_tui.core.checklist import catalog
from inspect_tui.core import paths
from inspect_tui.core.session.repository import SessionRepository

from .conftest import run_cli


@pytest.fixture
def repo(tmp_path: Path) -> SessionRepository:
    return SessionRepository(tmp_path / "sessions")


def session(repo: SessionRepository, branch: str = "幸福社区第一网格党支部", checklist: str = "shequ") -> str:
    opened = repo.create(catalog.find(checklist), branch, inspectors=["张三"])
    opened.close()
    return opened.session.id


def cli(repo: SessionRepository, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    return run_cli("--sessions", str(repo.folder), *args, env=env, cwd=cwd)


def one_line(done, code: int = 2) -> str:
    assert done.returncode == code, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_exports_folder_option_environment_default(monkeypatch, tmp_path):
    monkeypatch.delenv("INSPECT_TUI_EXPORTS")
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "文档"))
    assert paths.exports_dir() == tmp_path / "文档" / "inspect-tui" and paths.exports_dir_is_default()
    assert paths.ready_exports_dir() == tmp_path / "文档" / "inspect-tui" and paths.exports_dir().is_dir()
    monkeypatch.setenv("INSPECT_TUI_EXPORTS", str(tmp_path / "env"))
    assert paths.exports_dir() == tmp_path / "env" and not paths.exports_dir_is_default()
    assert paths.exports_dir(tmp_path / "opt") == tmp_path / "opt"
    with pytest.raises(NotADirectoryError, match="env"):
        paths.ready_exports_dir()  # named but missing: never created
    assert not (tmp_path / "env").exists()


def test_export_without_o_goes_to_the_exports_folder(repo, tmp_path, monkeypatch):
    sid = session(repo)
    started = tmp_path / "cwd"
    started.mkdir()
    docs = tmp_path / "文档"
    monkeypatch.delenv("INSPECT_TUI_EXPORTS")  # the child sees no override: the default folder
    done = cli(repo, "export", sid, env={"XDG_DOCUMENTS_DIR": str(docs)}, cwd=started)
    assert done.returncode == 0, done.stderr
    written = Path(done.stdout.strip())
    assert written.parent == docs / "inspect-tui" and written.is_file() and list(started.iterdir()) == []

    named = tmp_path / "我的导出"
    done = cli(repo, "--exports", str(named), "export", sid, cwd=started)
    assert str(named) in one_line(done) and not named.exists()  # a named folder is never made up
    named.mkdir()
    done = cli(repo, "--exports", str(named), "export", sid, "-f", "csv")
    assert done.returncode == 0 and Path(done.stdout.strip()).parent == named


def test_export_o_file_is_never_replaced_without_force(repo, tmp_path):
    sid = session(repo)
    target = tmp_path / "汇总.md"
    target.write_text("原有内容", encoding="utf-8")
    line = one_line(cli(repo, "export", sid, "-o", str(target)))
    assert "已存在" in line and "--force" in line and str(target) in line
    assert target.read_text(encoding="utf-8") == "原有内容"
    english = one_line(cli(repo, "--lang", "en", "export", sid, "-o", str(target)))
    assert "already exists" in english
    done = cli(repo, "export", sid, "-o", str(target), "--force")
    assert done.returncode == 0 and "幸福社区" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [
    ("export", "{sid}", "-o", "{missing}/x.docx"),
    ("export", "{sid}", "-o", "{missing}/"),
    ("report", "-o", "{missing}/r.md"),
    ("report", "-o", "{missing}/"),
    ("diff", "{sid}", "{sid}", "-o", "{missing}/d.md"),
    ("bundle", "{sid}", "-o", "{missing}/b.bundle"),
])
def test_o_in_a_missing_folder_names_it_and_creates_nothing(repo, tmp_path, command):
    sid = session(repo)
    missing = tmp_path / "no" / "such"
    args = [a.format(sid=sid, missing=missing) for a in command]
    line = one_line(cli(repo, *args))
    assert str(missing) in line
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command, name", [
    (("report", "-o", "{file}"), "r.md"),
    (("diff", "{sid}", "{sid}", "-o", "{file}"), "d.md"),
    (("bundle", "{sid}", "-o", "{file}"), "b.bundle"),
])
def test_report_diff_bundle_replace_only_with_force(repo, tmp_path, command, name):
    sid = session(repo)
    target = tmp_path / name
    target.write_bytes(b"kept")
    args = [a.format(sid=sid, file=target) for a in command]
    assert "--force" in one_line(cli(repo, *args))
    assert target.read_bytes() == b"kept"
    done = cli(repo, *args, "--force")
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() != b"kept"


def test_diff_refuses_two_branches_or_two_standards_unless_forced(repo):
    first = session(repo, "甲支部")
    other_branch = session(repo, "乙支部")
    other_standard = session(repo, "甲支部", checklist="jiguan")
    line = one_line(cli(repo, "diff", first, other_branch))
    assert "支部不同" in line and "甲支部" in line and "乙支部" in line and "--force" in line
    line = one_line(cli(repo, "diff", first, other_standard))
    assert "检查表不同" in line and "shequ" in line and "jiguan" in line
    assert "different branches" in one_line(cli(repo, "--lang", "en", "diff", first, other_branch))
    forced = cli(repo, "diff", first, other_branch, "--force")
    assert forced.returncode == 0 and forced.stdout


def test_checklists_says_what_replaces_what_and_warns_on_one_id_twice(tmp_path):
    from .conftest import CHECKLISTS

    first, second = tmp_path / "一", tmp_path / "二"
    first.mkdir()
    second.mkdir()
    adapted = (CHECKLISTS / "shequ.yaml").read_text(encoding="utf-8")
    (first / "shequ.yaml").write_text(adapted, encoding="utf-8")
    wuge = (CHECKLISTS / "wuge.yaml").read_text(encoding="utf-8")
    (first / "a.yaml").write_text(wuge, encoding="utf-8")
    (second / "b.yaml").write_text(wuge, encoding="utf-8")
    done = run_cli("--checklists", str(first), "--checklists", str(second), "checklists", "--json")
    assert done.returncode == 0, done.stderr
    import json

    from inspect_tui.core.paths import bundled_checklists_dir

    # the bundled standards as the CLI finds them: the repository's checklists/ in a source
    # checkout, the package's copy in an installed one (as .ci/run installs it)
    shipped = bundled_checklists_dir().resolve()
    rows = {(row["id"], Path(row["path"]).parent.name): row for row in json.loads(done.stdout)}
    bundled = shipped.name
    assert Path(rows[("shequ", "一")]["replaces"]).resolve() == shipped / "shequ.yaml" and rows[("shequ", "一")]["in_use"]
    assert rows[("shequ", bundled)]["used_instead"] == str(first / "shequ.yaml") and not rows[("shequ", bundled)]["in_use"]
    assert rows[("wuge", "二")]["in_use"] and not rows[("wuge", "一")]["in_use"]
    assert rows[("wuge", "一")]["used_instead"] == str(second / "b.yaml")
    assert rows[("jiguan", bundled)]["in_use"] and rows[("jiguan", bundled)]["replaces"] is None
    [warning] = done.stderr.strip().splitlines()
    assert "wuge" in warning and str(first / "a.yaml") in warning and f"使用 {second / 'b.yaml'}" in warning
    assert "后读到的优先" in warning  # why that one

    table = run_cli("--checklists", str(first), "--checklists", str(second), "checklists")
    assert "代替内置的 shequ.yaml" in table.stdout and f"未使用,由 {first / 'shequ.yaml'} 代替" in table.stdout
    english = run_cli("--lang", "en", "--checklists", str(first), "--checklists", str(second), "checklists")
    assert "is used, being read last" in english.stderr and "检查表" not in english.stderr
    # the one `find` picks is the one listed as used
    from inspect_tui.core.checklist import catalog

    assert catalog.find("wuge", [first, second]).path == second / "b.yaml"


def test_a_full_disk_during_export_names_where_it_was_writing(repo, tmp_path, monkeypatch, capsys):
    """ENOSPC on write carries no file name: the one line names the target instead (exit 1)."""
    import errno

    from inspect_tui.cli import main as cli_main
    from inspect_tui.core import export as core_export

    sid = session(repo)

    def full(path, data, replace=True):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(core_export, "write_new", full)
    target = tmp_path / "汇总.md"
    code = cli_main.main(["--sessions", str(repo.folder), "export", sid, "-o", str(target)])
    assert code == 1 and not target.exists()
    [line] = capsys.readouterr().err.strip().splitlines()
    assert str(target) in line and "写入" in line and os.strerror(errno.ENOSPC) in line
