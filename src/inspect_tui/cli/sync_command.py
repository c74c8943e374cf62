"""`inspect-tui sync`: push this laptop's sessions to the central server and pull the others' (issue 15).

A thin shell over core/exchange/central/sync.py: one line per session pushed, pulled, merged or
refused (and one per conflict, as `bundle import` lists them), then a summary line. Exit codes: 0
done (conflicts are listed, not errors: the later edit is kept and the other stays in the trail);
1 the server cannot be reached or refused, with nothing changed locally; 2 a wrong argument.
The last sync's time and result go to the user config for the home screen.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..i18n import localize, t
from ..i18n import register as register_messages

register_messages({
    "sync.cmd": ("与中心服务器同步:上传本机的检查记录,下载并合并他人的", "sync with the central server: push this laptop's sessions, pull and merge the others'"),
    "sync.pushed": ("已上传 {id} {branch}", "pushed {id} {branch}"),
    "sync.added": ("已下载 {id} {branch}(新增)", "pulled {id} {branch} (new here)"),
    "sync.merged": ("已合并 {id} {branch}", "merged {id} {branch}"),
    "sync.unchanged": ("已下载 {id} {branch}(无变化)", "pulled {id} {branch} (no change)"),
    "sync.refused": ("未同步 {id} {branch}: {reason}", "not synced {id} {branch}: {reason}"),
    "sync.conflict": ("  冲突 {id} {field}: 保留 {kept_by} {kept_time} 的值,另一值({lost_by} {lost_time})留在修改记录中",
                      "  conflict {id} {field}: kept {kept_by}'s value of {kept_time}; the other ({lost_by}, {lost_time}) stays in the trail"),
    "sync.summary": ("{where}: 上传 {pushed},下载 {pulled}(合并 {merged}),冲突 {conflicts},未同步 {refused}",
                     "{where}: pushed {pushed}, pulled {pulled} ({merged} merged), {conflicts} conflict(s), {refused} not synced"),
})


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("sync", "sync_command:run", "sync.cmd")
    p.add_argument("--server", "--dsn", dest="dsn", metavar="DSN", help=t("server.arg.dsn"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))


def run(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.exchange.central import sync
    from ..core.exchange.central.connection import CentralError, resolve_dsn
    from ..core.session.repository import SessionRepository
    from .server_command import _prompt

    try:
        dsn = resolve_dsn(args.dsn)
        report = sync.sync(SessionRepository(paths.sessions_dir(args.sessions)), dsn,
                           prompt=_prompt if sys.stdin.isatty() else None)
    except CentralError as exc:
        line = localize(str(exc)) + (f": {exc.detail}" if exc.detail else "")
        print(f"inspect-tui: {t('cli.error')}: {line}", file=sys.stderr)
        sync.remember({"result": "failed", "error": line})
        return int(exc.exit_code)
    counts = _counts(report)
    sync.remember({"result": "ok", "server": report.server, **counts})
    if args.json:
        from .common import print_json

        print_json({"server": report.server, "device": report.device, **counts,
                    "sessions": [_json(o, "push") for o in report.pushed] + [_json(o, "pull") for o in report.pulled]})
        return 0
    for o in report.pushed + report.pulled:
        fields = {"id": o.id, "branch": o.branch, "reason": localize(o.reason)}
        print(t(f"sync.{o.kind}", **fields))
        for c in o.conflicts:
            kept, lost = _sides(c)
            print(t("sync.conflict", id=o.id, field=c.field, kept_by=kept.inspector, kept_time=kept.time,
                    lost_by=lost.inspector, lost_time=lost.time))
    print(t("sync.summary", where=report.server, **counts))
    return 0


def _counts(report: Any) -> dict[str, int]:
    pulled = [o for o in report.pulled if o.kind != "refused"]
    return {"pushed": sum(1 for o in report.pushed if o.kind == "pushed"), "pulled": len(pulled),
            "merged": sum(1 for o in pulled if o.kind == "merged"), "conflicts": report.conflicts,
            "refused": report.refused}


def _sides(conflict: Any) -> tuple[Any, Any]:
    if hasattr(conflict, "kept"):
        return conflict.kept, conflict.lost
    return conflict.local, conflict.bundle  # an item conflict: both sides' fields were kept


def _json(o: Any, way: str) -> dict[str, Any]:
    return {"id": o.id, "way": way, "kind": o.kind, "branch": o.branch, "reason": o.reason,
            "conflicts": [{"field": c.field, "kind": c.kind} for c in o.conflicts]}
