"""Which earlier inspection a session is compared with: domain rules, pure, no I/O.

A re-inspection names the session it follows (`Session.previous`); any other session is compared
with the branch's latest inspection of the same standard before it — same branch, unit and
checklist, earlier by date, ties broken by the last change. The home screen's 对比 asks this
(it was a helper of that screen: the rule is the inspection's, not the screen's).
"""

from __future__ import annotations

from .model import Summary


def earlier_inspection(summary: Summary, summaries: list[Summary]) -> str:
    """This branch's latest inspection of the same standard before `summary` (by date, then by
    last change), or ""."""
    earlier = [
        s for s in summaries
        if s.id != summary.id and (s.header.branch, s.header.unit, s.header.checklist_id) == (summary.header.branch, summary.header.unit, summary.header.checklist_id)
        and (s.header.date, s.updated) < (summary.header.date, summary.updated)
    ]
    return max(earlier, key=lambda s: (s.header.date, s.updated)).id if earlier else ""


def compared_with(previous: str, summary: Summary, summaries: list[Summary]) -> str:
    """The session `summary` is compared with: the one it re-inspects (`previous`, its own record's
    link), else the branch's latest earlier inspection of the same standard; "" when none."""
    return previous or earlier_inspection(summary, summaries)
