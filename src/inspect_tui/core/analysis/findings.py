"""The words of a finding (发现问题) and of the requirement it breaks (标准要求), in one place.

The documents print them (core/export/model.py) and a rectification carries them
(core/session/rectification.py): both take them from here, so the branch reads the same finding
on the notice, in the list and in the 台账.
"""

from __future__ import annotations

from typing import Iterable

from .item_results import ItemResult


def item_findings(r: ItemResult) -> tuple[str, ...]:
    """What the facts showed: the scorer's findings, and any a fired rule carries beside them."""
    found = list(r.findings)
    found += [x.finding for x in r.reasons if x.finding and not x.manual and x.finding not in found]
    return tuple(found)


def finding_text(findings: Iterable[str], note: str, clauses: Iterable[str], override_reason: str) -> str:
    """发现问题: for an item the facts decided, what they showed, the inspector's note beside it;
    otherwise the note, or else the clauses that applied, or the reason of a manual deduction."""
    findings = tuple(findings)
    if findings:
        found = "；".join(findings)
        return f"{found}\n检查人员备注:{note}" if note else found
    return note or "；".join(clauses) or override_reason


def requirement_text(text: str, guidance: str) -> str:
    """标准要求: the item's text (blanks filled) and its guidance beside it."""
    return text + (f"（{guidance}）" if guidance else "")
