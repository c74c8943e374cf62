"""Attaching files to an item and detaching them: edits of an open session, audited, one save each.

All or nothing: every file is checked (attachments.check_file) and the limits counted before any
is copied; then the contents go into the store (content-addressed, so a copy left by a save the
disk refused later is simply found again), then the session records them in one durable save
whose audit entries carry each hash (`attachment:<item>/<sha256>`, old None, new the record).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable

from .attachments import (
    MAX_PER_ITEM, MAX_SESSION_BYTES, RECTIFICATION, Attachment, AttachmentError, AttachmentStore, Checked, check_file,
    session_limit_refusal, total_size,
)
from .file import Change, SessionFile, audit_entry

if TYPE_CHECKING:
    from .editing import OpenSession


class AttachmentRefused(AttachmentError):
    """Files refused, nothing attached: one line per file in `lines`."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(lines[0] if len(lines) == 1 else "; ".join(lines))


def store_of(opened: "OpenSession") -> AttachmentStore:
    return AttachmentStore.beside(opened.file.path)


def attachments_of(opened: "OpenSession", item_id: str) -> list[Attachment]:
    return list(opened.session.attachments.get(item_id, []))


def check_leaf(opened: "OpenSession", item_id: str) -> None:
    checklist = opened.checklist
    if not checklist.has_item(item_id):
        raise AttachmentError(f"{item_id}: 检查表中没有这个检查项 (no such item in checklist {checklist.id})")
    if not checklist.item(item_id).is_leaf:
        raise AttachmentError(f"{item_id}: 附件只能添加到末级检查项 (attachments go on leaf items only)")


def check_files(paths: Iterable[str | os.PathLike[str]]) -> list[Checked]:
    """Every file checked; AttachmentRefused listing each one refused (and why) if any is."""
    checked, refused = [], []
    for path in paths:
        try:
            checked.append(check_file(path))
        except AttachmentError as exc:
            refused.append(str(exc))
    if refused:
        raise AttachmentRefused(refused)
    return checked


def check_rectification(opened: "OpenSession", item_id: str) -> None:
    """Evidence of the fix goes on an item that has a rectification now (any depth: a manual
    deduction on a group gives one too)."""
    from .rectification import gives_rectification

    if not opened.checklist.has_item(item_id):
        raise AttachmentError(f"{item_id}: 检查表中没有这个检查项 (no such item in checklist {opened.checklist.id})")
    if not gives_rectification(opened.result, opened.session, item_id):
        raise AttachmentError(f"{item_id}: 本项没有整改事项,不能添加整改佐证 "
                              f"(no rectification for this item: nothing to attach evidence of the fix to)")


def attach(opened: "OpenSession", item_id: str, paths: Iterable[str | os.PathLike[str]],
           inspector: str, rectification: bool = False) -> tuple[list[Attachment], list[Attachment]]:
    """Attach files to an item: (attached now, already there). Nothing is attached unless all are.
    With `rectification` they are the branch's evidence of the fix (整改佐证, `purpose`), which
    comes after the inspection is finished: allowed then, as the rectification's entries are."""
    opened._check_writable(editing=not rectification)
    if rectification:
        check_rectification(opened, item_id)
    else:
        check_leaf(opened, item_id)
    checked = check_files(list(paths))
    if not checked:
        raise AttachmentError("没有要添加的文件 (no files given)")
    session = opened.session
    purpose = RECTIFICATION if rectification else ""
    present = {a.sha256: a for a in session.attachments.get(item_id, [])}
    for file in checked:  # one record per (item, file): a file cannot be both kinds of evidence
        if file.sha256 in present and present[file.sha256].purpose != purpose:
            zh, en = ("检查佐证", "finding") if purpose else ("整改佐证", "fix")
            raise AttachmentError(f"{file.source}: 已作为{zh}附在 {item_id} 上,未添加任何文件 "
                                  f"(already attached to {item_id} as evidence of the {en}; nothing attached)")
    stamp = opened.repo.clock()
    new: dict[str, Attachment] = {}
    for file in checked:
        if file.sha256 not in present and file.sha256 not in new:
            new[file.sha256] = Attachment(item_id, file.sha256, file.name, len(file.content), file.type,
                                          file.width, file.height, stamp, inspector, purpose)
    if len(present) + len(new) > MAX_PER_ITEM:
        raise AttachmentError(f"{item_id}: 每个检查项最多 {MAX_PER_ITEM} 个附件,未添加任何文件 "
                              f"(at most {MAX_PER_ITEM} attachments per item; nothing attached)")
    everything = [a for items in session.attachments.values() for a in items]
    if total_size([*everything, *new.values()]) > MAX_SESSION_BYTES:
        raise session_limit_refusal(session.id, total_size([*everything, *new.values()]))
    store = store_of(opened)
    contents = {file.sha256: file.content for file in checked}
    for sha in new:
        store.put(contents[sha], sha)  # before the session names it: a record never outruns its file
    if new:
        session.attachments.setdefault(item_id, []).extend(new.values())
        _touched(opened, stamp, purpose)
        change = Change(
            attachments={a.key: a.to_data() for a in new.values()},
            audit=[audit_entry(inspector, stamp, a.field, None, a.to_data()) for a in new.values()],
            meta=SessionFile.meta(session, opened.result),  # the score does not change
        )
        opened._write(change)
    kept = [present[f.sha256] for f in checked if f.sha256 in present]
    return list(new.values()), list(dict.fromkeys(kept))


def _touched(opened: "OpenSession", stamp: str, purpose: str) -> None:
    """A finding's file changes the signed record (已修改); the branch's evidence of the fix is the
    follow-up the notice asks for, not an amendment: it only moves `updated`."""
    if purpose:
        opened.session.updated = stamp
    else:
        opened._edited(stamp)


def find(opened: "OpenSession", item_id: str, prefix: str) -> Attachment:
    """The item's attachment whose sha256 starts with `prefix` (AttachmentError: none, or several)."""
    prefix = prefix.strip().lower()
    found = [a for a in opened.session.attachments.get(item_id, []) if prefix and a.sha256.startswith(prefix)]
    if not found:
        raise AttachmentError(f"{item_id}: 没有校验和以 {prefix} 开头的附件 (no attachment whose sha256 starts with {prefix})")
    if len(found) > 1:
        raise AttachmentError(f"{item_id}: {prefix} 对应多个附件,请多写几位 (several attachments start with {prefix}; give more digits)")
    return found[0]


def detach(opened: "OpenSession", item_id: str, prefix: str, inspector: str) -> Attachment:
    """Detach one file from an item, audited with its hash. The content is deleted from the store
    once no item of the session uses it (the trail keeps its hash, name and size)."""
    target = find(opened, item_id, prefix)
    opened._check_writable(editing=not target.purpose)  # the fix's evidence: after finishing too
    if not target.purpose:
        check_leaf(opened, item_id)
    session = opened.session
    remaining = [a for a in session.attachments.get(item_id, []) if a.sha256 != target.sha256]
    if remaining:
        session.attachments[item_id] = remaining
    else:
        session.attachments.pop(item_id, None)
    stamp = opened.repo.clock()
    _touched(opened, stamp, target.purpose)
    opened._write(Change(
        attachments={target.key: None},
        audit=[audit_entry(inspector, stamp, target.field, target.to_data(), None)],
        meta=SessionFile.meta(session, opened.result),
    ))
    if not any(a.sha256 == target.sha256 for items in session.attachments.values() for a in items):
        store_of(opened).remove(target.sha256)
    return target


__all__ = ["AttachmentRefused", "attach", "attachments_of", "check_files", "detach", "find", "store_of"]
