"""`inspect-tui bundle` and `inspect-tui import`: carrying sessions between laptops.

A thin shell over `core.bundle`: parse, call, print one line per session. Exit codes follow the
rest of the CLI: 0 done; 1 some sessions were refused (the others were imported) or a disk error;
2 bad input, including a damaged bundle, of which nothing is imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable

from ..i18n import say, t
from .common import UsageError

MAX_SHOWN = 60  # characters of a value in a conflict line; the whole value is in `inspect-tui log`


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Declare the two commands on the main parser (handlers are imported only when run)."""
    p = command("bundle", "bundle_command:bundle", "bundle.cmd.bundle")
    # dest is not "sessions": that is the global --sessions DIR
    p.add_argument("names", nargs="*", metavar="SESSION", help=t("bundle.arg.sessions"))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=t("bundle.arg.output"))
    p.add_argument("--all", action="store_true", help=t("bundle.arg.all"))
    p.add_argument("--force", action="store_true", help=t("cli.arg.force_output"))

    p = command("import", "bundle_command:import_bundles", "bundle.cmd.import")
    p.add_argument("files", nargs="+", metavar="FILE", help=t("bundle.arg.files"))


def _repository(args: argparse.Namespace) -> Any:
    from ..core import paths
    from ..core.session.repository import SessionRepository

    return SessionRepository(paths.sessions_dir(args.sessions))


def bundle(args: argparse.Namespace) -> int:
    from ..core.exchange.bundle import write_bundle
    if args.all and args.names:
        raise UsageError(t("bundle.not_both"))
    repo = _repository(args)
    names = repo.session_ids() if args.all else args.names
    if not names:
        raise UsageError(t("bundle.none", folder=repo.folder) if args.all else t("bundle.need_sessions"))
    from pathlib import Path

    from .targets import check_file

    check_file(Path(args.output), args.force)  # its folder exists; an existing bundle only with --force
    manifest = write_bundle(repo, names, args.output)
    for entry in manifest["sessions"]:
        print(t("bundle.wrote_session", id=entry["id"], branch=entry["branch"],
                status=t("status." + entry["status"]) if entry["status"] in ("in_progress", "finished") else entry["status"],
                entries=entry["audit_entries"]))
    print(t("bundle.wrote", count=len(manifest["sessions"]), path=args.output))
    return 0


def import_bundles(args: argparse.Namespace) -> int:
    from ..core.exchange.bundle import ADDED, MERGED, REFUSED, UNCHANGED, BundleError
    from ..core.exchange.importing import import_bundle, read_bundle

    bundles, bad = [], False
    for name in args.files:  # every file is verified before any is imported
        try:
            bundles.append(read_bundle(name))
        except BundleError as exc:
            print(f"inspect-tui: {t('cli.error')}: {t('bundle.nothing_imported', error=say(exc))}", file=sys.stderr)
            bad = True
    if bad:
        return 2
    repo = _repository(args)
    refused = 0
    totals = {ADDED: 0, MERGED: 0, UNCHANGED: 0, REFUSED: 0}
    for item in bundles:
        report = import_bundle(repo, item)
        print(t("bundle.file", path=item.path))
        for outcome in report.sessions:
            totals[outcome.kind] += 1
            _print_outcome(outcome)
        refused += report.count(REFUSED)
    print(t("bundle.summary", **totals))
    return 1 if refused else 0


def _print_outcome(outcome: Any) -> None:
    from ..core.exchange.bundle import MERGED, REFUSED

    names = {"id": outcome.id, "branch": outcome.branch}
    if outcome.kind == REFUSED:
        print(t("bundle.refused", reason=say(outcome.why) if outcome.why is not None else outcome.reason, **names))
        return
    if outcome.kind != MERGED:
        print(t(f"bundle.{outcome.kind}", **names))
        _print_selfcheck(outcome.selfcheck)
        return
    print(t("bundle.merged", changes=outcome.changes, conflicts=len(outcome.conflicts), **names))
    for conflict in outcome.conflicts:
        if conflict.kind == "item":
            print(t("bundle.item_conflict", item=conflict.item, local_side=t("bundle.side.local"),
                    bundle_side=t("bundle.side.bundle"), local=_fields(conflict.local.value),
                    bundle=_fields(conflict.bundle.value), local_by=conflict.local.inspector,
                    local_at=conflict.local.time, bundle_by=conflict.bundle.inspector, bundle_at=conflict.bundle.time))
            continue
        kept, lost = conflict.kept, conflict.lost
        kept_side = "local" if conflict.winner == "local" else "bundle"
        lost_side = "bundle" if kept_side == "local" else "local"
        print(t("bundle.conflict", field=conflict.field,
                kept=_show(kept.value), kept_by=kept.inspector, kept_at=kept.time, kept_side=t(f"bundle.side.{kept_side}"),
                lost=_show(lost.value), lost_by=lost.inspector, lost_at=lost.time, lost_side=t(f"bundle.side.{lost_side}")))
    sides = [t(f"bundle.side.{side}") for side, status in (("local", outcome.local_status), ("bundle", outcome.bundle_status))
             if status == "finished"]
    if sides:
        print(t("bundle.finished", sides=t("bundle.and").join(sides), status=t("status." + outcome.status)))
    _print_selfcheck(outcome.selfcheck)


def _print_selfcheck(outcome: Any) -> None:
    """One line when a session's self-assessment was added, replaced, or kept over the bundle's."""
    if outcome is None:
        return
    kept, other = outcome.kept, outcome.other
    names = {"name": kept.source_name or "—", "by": kept.attached_by, "at": kept.attached_at}
    if other is not None:
        names.update(other_name=other.source_name or "—", other_by=other.attached_by, other_at=other.attached_at)
    print(t(f"bundle.selfcheck.{outcome.kind}", **names))


def _fields(values: dict[str, Any]) -> str:
    """`state=fail, note=…`: the fields of an item one side contributed, each value cut short."""
    return ", ".join(f"{key}={_show(value)}" for key, value in values.items())


def _show(value: Any) -> str:
    """A value on one line, cut short: a conflict line must stay one line whatever a note holds."""
    if value is None:
        return "—"
    if isinstance(value, dict) and isinstance(value.get("sha256"), str) and "name" in value:
        return f"{value['name']} {value['sha256'][:12]}"  # an attachment: its name, not its record
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
