"""`inspect-tui attach SESSION ITEM FILE…`: evidence copied into the session, listed, removed.
With `--rectification` the files are the branch's evidence of the fix (整改佐证), on an item that
has a rectification, allowed after the inspection is finished.

A thin shell over core/session/attaching.py. All or nothing: every file is checked before any is
copied, and each refused file is one line on stderr (exit 2, nothing attached).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..i18n import localize, t
from .common import UsageError, print_json

def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("attach", "attach_command:attach", "attach.cmd")
    p.add_argument("session", metavar="SESSION", help=t("cli.arg.session"))
    p.add_argument("item", metavar="ITEM", help=t("cli.arg.item"))
    p.add_argument("files", nargs="*", metavar="FILE", help=t("attach.arg.files"))
    p.add_argument("--list", action="store_true", help=t("attach.arg.list"))
    p.add_argument("--remove", metavar="SHA_PREFIX", help=t("attach.arg.remove"))
    p.add_argument("--rectification", action="store_true", help=t("ledger.arg.rectification"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--inspector", metavar="NAME", help=t("cli.arg.inspector"))


def attach(args: argparse.Namespace) -> int:
    from ..core.session.attachments import AttachmentError
    from ..core.session.attaching import AttachmentRefused
    from .session_commands import inspector, opened

    actions = sum([bool(args.files), args.list, args.remove is not None])
    if actions > 1:
        raise UsageError(t("attach.one_action"))
    if actions == 0:
        raise UsageError(t("attach.need_files"))
    if args.json and not args.list:
        raise UsageError(t("attach.json_list_only"))
    try:
        if args.list:
            with opened(args, write=False) as session:
                return _list(session, args.item, args.json, args.rectification)
        with opened(args, write=True) as session:
            if args.remove is not None:
                gone = session.detach(args.item, args.remove, inspector(args, session))
                print(t("attach.removed", line=listing(gone)))
                return 0
            added, already = session.attach(args.item, args.files, inspector(args, session), args.rectification)
            for attachment in added:
                print(t("attach.added", line=listing(attachment)))
            for attachment in already:
                print(t("attach.already", line=listing(attachment)))
            return 0
    except AttachmentRefused as exc:
        for line in exc.lines:
            print(f"inspect-tui: {t('cli.error')}: {localize(line)}", file=sys.stderr)
        print(f"inspect-tui: {t('attach.refused')}", file=sys.stderr)
        return 2
    except AttachmentError as exc:
        print(f"inspect-tui: {t('cli.error')}: {localize(str(exc))}", file=sys.stderr)
        return 2


def listing(attachment: Any) -> str:
    """Its listing line, the evidence of the fix marked as such."""
    return attachment.describe() + (t("ledger.evidence_tag") if attachment.purpose else "")


def _list(session: Any, item_id: str, as_json: bool, rectification: bool = False) -> int:
    from ..core.session.attaching import check_leaf, check_rectification, attachments_of, store_of

    if rectification:  # the evidence of the fix only
        check_rectification(session, item_id)
    else:
        check_leaf(session, item_id)
    found = [a for a in attachments_of(session, item_id) if a.purpose or not rectification]
    if as_json:
        print_json({"session": session.session.id, "item": item_id, "attachments": attachment_rows(session, found)})
        return 0
    if not found:
        print(t("attach.none", item=item_id))
        return 0
    store = store_of(session)
    for attachment in found:
        missing = "" if store.has(attachment.sha256) else "  " + t("attach.missing")
        print(f"{listing(attachment)}  {attachment.added[:16].replace('T', ' ')}  {attachment.by}{missing}")
    return 0


def attachment_rows(session: Any, attachments: list[Any]) -> list[dict[str, Any]]:
    """The JSON of attachments: their record, its short type name, and whether the file is there."""
    from ..core.session.attaching import store_of

    store = store_of(session)
    return [{**a.to_data(), "type_name": a.type_name, "stored": store.has(a.sha256)} for a in attachments]


def show_lines(session: Any) -> list[str]:
    """`inspect-tui show`: each item's attachments, one line each (none: no lines)."""
    lines = []
    for item_id, attachments in sorted(session.session.attachments.items()):
        for attachment in attachments:
            lines.append(f"  {item_id}  {listing(attachment)}")
    return [t("attach.heading"), *lines] if lines else []


def show_json(session: Any) -> dict[str, list[dict[str, Any]]]:
    return {item_id: attachment_rows(session, attachments)
            for item_id, attachments in sorted(session.session.attachments.items())}
