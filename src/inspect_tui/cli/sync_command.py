"""`inspect-tui sync`: push this laptop's sessions to the central server and pull the others' (issue 15).

A thin shell over core/exchange/central/sync.py: one line per session pushed, pulled, merged or
refused (and one per conflict, as `bundle import` lists them), then a summary line. Exit codes: 0
done (conflicts are listed, not errors: the later edit is kept and the other stays in the trail);
1 the server cannot be reached or refused the sync, with nothing changed locally — or, as for `bundle
import`, some session was not synced (listed; the others were, and the next sync retries it);
2 a wrong argument or a server without the central store.
The last sync's time and result go to the user config for the home screen.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..i18n import localize, t

def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("sync", "sync_command:run", "sync.cmd")
    p.add_argument("--server", "--dsn", dest="dsn", metavar="DSN", help=t("server.arg.dsn"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))


def run(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.exchange.central import local, sync
    from ..core.exchange.central.connection import CentralError, resolve_dsn
    from ..core.session.repository import SessionRepository
    from .server_command import _prompt

    folder = paths.sessions_dir(args.sessions)
    try:
        dsn = resolve_dsn(args.dsn)
        report = sync.sync(SessionRepository(folder), dsn,
                           prompt=_prompt if sys.stdin.isatty() else None)
    except CentralError as exc:
        line = localize(str(exc)) + (f": {exc.detail}" if exc.detail else "")
        print(f"inspect-tui: {t('cli.error')}: {line}", file=sys.stderr)
        local.remember({"result": "failed", "error": line}, folder)
        return int(exc.exit_code)
    counts = local.counts(report)
    local.remember({"result": "ok", "server": report.server, **counts,
                    "conflict_sessions": local.conflict_sessions(report)[:20]}, folder)
    if args.json:
        from .common import print_json

        print_json({"server": report.server, "device": report.device, **counts,
                    "sessions": [_json(o, "push") for o in report.pushed] + [_json(o, "pull") for o in report.pulled]})
        return 1 if report.refused else 0
    for o in report.pushed + report.pulled:
        fields = {"id": o.id, "branch": o.branch, "reason": localize(o.reason)}
        print(t(f"sync.{o.kind}", **fields))
        for c in o.conflicts:
            _print_conflict(o.id, c)
    print(t("sync.summary", where=report.server, **counts))
    return 1 if report.refused else 0


def _print_conflict(session_id: str, c: Any) -> None:
    """As `bundle import` lists them (values cut to one line), the other side being the server."""
    from .bundle_command import _fields, _show

    if c.kind == "item":
        print(t("sync.item_conflict", id=session_id, item=c.item, local=_fields(c.local.value),
                server=_fields(c.bundle.value), local_by=c.local.inspector, local_at=c.local.time,
                server_by=c.bundle.inspector, server_at=c.bundle.time))
        return
    kept_side, lost_side = ("local", "bundle") if c.winner == "local" else ("bundle", "local")
    print(t("sync.conflict", id=session_id, field=c.field, kept=_show(c.kept.value), kept_by=c.kept.inspector,
            kept_at=c.kept.time, kept_side=t(f"sync.side.{kept_side}"), lost=_show(c.lost.value),
            lost_by=c.lost.inspector, lost_at=c.lost.time, lost_side=t(f"sync.side.{lost_side}")))


def _json(o: Any, way: str) -> dict[str, Any]:
    return {"id": o.id, "way": way, "kind": o.kind, "branch": o.branch, "reason": o.reason,
            "conflicts": [{"field": c.field, "kind": c.kind} for c in o.conflicts]}
