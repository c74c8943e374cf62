"""`inspect-tui attach SESSION ITEM FILE…`: evidence copied into the session, listed, removed.

A thin shell over core/session/attaching.py. All or nothing: every file is checked before any is
copied, and each refused file is one line on stderr (exit 2, nothing attached).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from ..i18n import localize, register as register_messages, t
from .common import UsageError, print_json

register_messages({
    "attach.cmd": ("把照片、扫描件等佐证材料复制进检查记录,附在检查项上;或列出、移除",
                   "copy photos and scans into the session as evidence on an item; or list or remove them"),
    "attach.arg.files": ("要附加的文件(图片、PDF、常用办公文件)", "files to attach (images, PDF, common office files)"),
    "attach.arg.list": ("列出本项的附件", "list the item's attachments"),
    "attach.arg.remove": ("移除校验和以此开头的附件", "remove the attachment whose sha256 starts with this"),
    "attach.need_files": ("请给出要附加的文件,或使用 --list / --remove", "give files to attach, or use --list or --remove"),
    "attach.one_action": ("文件、--list 与 --remove 只能选一种", "files, --list and --remove do not go together"),
    "attach.json_list_only": ("--json 只用于 --list", "--json goes with --list only"),
    "attach.added": ("已附加 {line}", "attached {line}"),
    "attach.already": ("已有,未重复添加 {line}", "already attached {line}"),
    "attach.removed": ("已移除 {line}", "removed {line}"),
    "attach.none": ("{item}: 没有附件", "{item}: no attachments"),
    "attach.refused": ("未附加任何文件", "nothing attached"),
    "attach.missing": ("(文件缺失)", "(file missing)"),
    "attach.heading": ("附件:", "attachments:"),
})


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("attach", "attach_command:attach", "attach.cmd")
    p.add_argument("session", metavar="SESSION", help=t("cli.arg.session"))
    p.add_argument("item", metavar="ITEM", help=t("cli.arg.item"))
    p.add_argument("files", nargs="*", metavar="FILE", help=t("attach.arg.files"))
    p.add_argument("--list", action="store_true", help=t("attach.arg.list"))
    p.add_argument("--remove", metavar="SHA_PREFIX", help=t("attach.arg.remove"))
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
                return _list(session, args.item, args.json)
        with opened(args, write=True) as session:
            if args.remove is not None:
                gone = session.detach(args.item, args.remove, inspector(args, session))
                print(t("attach.removed", line=gone.describe()))
                return 0
            added, already = session.attach(args.item, args.files, inspector(args, session))
            for attachment in added:
                print(t("attach.added", line=attachment.describe()))
            for attachment in already:
                print(t("attach.already", line=attachment.describe()))
            return 0
    except AttachmentRefused as exc:
        for line in exc.lines:
            print(f"inspect-tui: {t('cli.error')}: {localize(line)}", file=sys.stderr)
        print(f"inspect-tui: {t('attach.refused')}", file=sys.stderr)
        return 2
    except AttachmentError as exc:
        print(f"inspect-tui: {t('cli.error')}: {localize(str(exc))}", file=sys.stderr)
        return 2


def _list(session: Any, item_id: str, as_json: bool) -> int:
    from ..core.session.attaching import check_leaf, attachments_of, store_of

    check_leaf(session, item_id)
    found = attachments_of(session, item_id)
    if as_json:
        print_json({"session": session.session.id, "item": item_id, "attachments": attachment_rows(session, found)})
        return 0
    if not found:
        print(t("attach.none", item=item_id))
        return 0
    store = store_of(session)
    for attachment in found:
        missing = "" if store.has(attachment.sha256) else "  " + t("attach.missing")
        print(f"{attachment.describe()}  {attachment.added[:16].replace('T', ' ')}  {attachment.by}{missing}")
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
            lines.append(f"  {item_id}  {attachment.describe()}")
    return [t("attach.heading"), *lines] if lines else []


def show_json(session: Any) -> dict[str, list[dict[str, Any]]]:
    return {item_id: attachment_rows(session, attachments)
            for item_id, attachments in sorted(session.session.attachments.items())}
