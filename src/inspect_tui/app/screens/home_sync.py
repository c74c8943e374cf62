"""The home screen's sync (issue 15): `y` (or 同步 in the palette) runs the same core sync as
`inspect-tui sync` (core/exchange/central/sync.py) in a thread, so the keys keep working; the line
under the count says 同步中… meanwhile, then the last sync's time and result. That result is the one
the CLI keeps too (the user config's `last_sync`, written by core/exchange/central/local.py:
the server as host:port/dbname, never a password), so it survives a restart and a sync from the
terminal shows here as well. A pull that added or merged a session reads the list again.

A mixin of HomeScreen (home.py), which owns the line `#home-sync` and the list's `load`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from ...i18n import localize, say, t


@dataclass
class SyncDone(Message):
    """The worker's report: the record remembered, and whether the list is to be read again."""

    record: dict[str, Any]
    changed: bool


class HomeSync:
    """`action_sync` and the line `#home-sync` over HomeScreen's repo, notices and `load`."""

    syncing: bool = False
    sync_server: str = ""
    query_one: Any
    inspect_app: Any
    run_worker: Any
    post_message: Any
    say: Any
    warn: Any
    fail: Any
    load: Any

    def action_sync(self) -> None:
        from ...core.exchange.central.connection import CentralError, describe, resolve_dsn

        if self.syncing:
            self.warn(t("home.sync.busy"), timeout=5)
            return
        try:
            dsn = resolve_dsn(None)  # $INSPECT_TUI_SERVER, else the user config: as `inspect-tui sync`
        except CentralError:
            self.warn(t("home.sync.no_server"), timeout=10)
            return
        self.syncing, self.sync_server = True, describe(dsn)
        self.show_sync()
        folder = Path(self.inspect_app.repo.folder)
        self.run_worker(lambda: self._sync(folder, dsn), thread=True, group="home-sync", exit_on_error=False)

    def _sync(self, folder: Path, dsn: str) -> None:
        """In the worker thread: the sync, its result remembered, the screen told."""
        from ...core.errors import SessionError
        from ...core.exchange.central import local, sync
        from ...core.exchange.central.connection import CentralError
        from ...core.session.repository import SessionRepository
        from ...store import StorageError

        changed = False
        try:
            report = sync.sync(SessionRepository(folder), dsn)  # no prompt: a password comes from pgpass
        except CentralError as exc:
            record = {"result": "failed", "error": localize(str(exc)) + (f": {exc.detail}" if exc.detail else "")}
        except (OSError, StorageError, SessionError) as exc:
            record = {"result": "failed", "error": (say(exc).strip().splitlines() or [type(exc).__name__])[0]}
        except Exception as exc:  # a bug: said in one line, and the key works again
            record = {"result": "failed", "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
        else:
            changed = local.changed_locally(report)
            record = {"result": "ok", "server": report.server, **local.counts(report),
                      "conflict_sessions": local.conflict_sessions(report)[:20]}
        local.remember(record, folder)
        self.post_message(SyncDone(local.last_sync(folder) or record, changed))

    def on_sync_done(self, message: SyncDone) -> None:
        self.syncing = False
        line = sync_line(message.record)
        self.show_sync(line)
        if message.record.get("result") != "ok":
            self.fail(line.plain, timeout=10)
        elif message.record.get("conflicts") or message.record.get("refused"):
            self.warn(line.plain, timeout=10)
        else:
            self.say(line.plain, timeout=8)
        if message.changed:
            self.load()  # the pulled sessions in the list

    def show_sync(self, line: Text | None = None) -> None:
        """The line: 同步中… while a sync runs, else the last one remembered for this folder."""
        from ...core.exchange.central import local

        widget = self.query_one("#home-sync", Static)
        if self.syncing:
            line = Text(t("home.sync.running", server=self.sync_server), style="bold")
        elif line is None:
            record = local.last_sync(Path(self.inspect_app.repo.folder))
            line = sync_line(record) if record else None
        widget.display = line is not None
        if line is not None:
            widget.update(line)


def sync_line(record: dict[str, Any]) -> Text:
    """"上次同步 2026-12-02 10:31 · 上传 3 · 下载 2 · 冲突 1 · 查看: inspect-tui log ID", or the error."""
    when = _when(record.get("time"))
    if record.get("result") != "ok":
        return Text(t("home.sync.failed", time=when, error=str(record.get("error", "?"))), style="red")
    number = {k: _int(record.get(k)) for k in ("pushed", "pulled", "conflicts", "refused")}
    text = Text(t("home.sync.done", time=when, pushed=number["pushed"], pulled=number["pulled"],
                  conflicts=number["conflicts"]))
    if number["refused"]:
        text.append(t("home.sync.refused", refused=number["refused"]), style="yellow")
    ids = [i for i in record.get("conflict_sessions") or [] if isinstance(i, str)]
    if number["conflicts"] and ids:
        more = len(ids) - 1
        text.append(t("home.sync.see_more", id=ids[0], more=more) if more else t("home.sync.see", id=ids[0]),
                    style="yellow")
    return text


def _when(value: Any) -> str:
    """The time as it was written (the laptop's own clock then): 2026-12-02 10:31."""
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "?"


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
