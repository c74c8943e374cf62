"""The home screen's last-sync line (app/screens/home_sync.py) from the record a sync leaves in the
user config, and that record as `inspect-tui sync` writes it: for its own sessions folder only."""

from __future__ import annotations

import socket
from pathlib import Path

from inspect_tui.app.screens.home_sync import sync_line
from inspect_tui.cli.main import main
from inspect_tui.core import settings
from inspect_tui.core.exchange.central import local

OK = {"time": "2026-12-02T10:31:07+08:00", "result": "ok", "server": "10.0.0.5:5432/inspect",
      "pushed": 3, "pulled": 2, "merged": 1, "conflicts": 0, "refused": 0}


def test_a_sync_without_conflicts_is_its_time_and_counts():
    assert sync_line(OK).plain == "上次同步 2026-12-02 10:31 · 上传 3 · 下载 2 · 冲突 0"


def test_conflicts_name_where_to_see_them_and_sessions_not_synced_are_counted():
    line = sync_line({**OK, "conflicts": 3, "refused": 1, "conflict_sessions": ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]})
    assert line.plain == ("上次同步 2026-12-02 10:31 · 上传 3 · 下载 2 · 冲突 3 · 未同步 1"
                          " · 查看: inspect-tui log aaaaaaaaaaaa(另有 1 个)")


def test_a_failed_sync_is_one_line_and_a_damaged_record_says_no_more_than_it_holds():
    line = sync_line({"time": "2026-12-02T10:31:07+08:00", "result": "failed", "error": "无法连接中心服务器 x:5432/y"})
    assert line.plain == "上次同步 2026-12-02 10:31 失败: 无法连接中心服务器 x:5432/y"
    assert sync_line({"time": "soon", "result": "ok", "pushed": "3", "conflicts": True}).plain == (
        "上次同步 ? · 上传 0 · 下载 0 · 冲突 0")


def test_the_cli_remembers_the_folder_it_synced_and_another_folder_does_not_show_it(tmp_path: Path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    synced, other = tmp_path / "s", tmp_path / "t"
    code = main(["--sessions", str(synced), "sync", "--server",
                 f"host=127.0.0.1 port={port} dbname=x user=u password=secret-pw connect_timeout=3"])
    assert code == 1
    record = local.last_sync(synced)
    assert record is not None and record["result"] == "failed" and f"127.0.0.1:{port}" in record["error"]
    assert local.last_sync(other) is None
    assert "secret-pw" not in str(settings.load())  # the DSN's password is never written
