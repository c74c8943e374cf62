"""`inspect-tui rectify`: the rectifications (整改事项) of the notice, followed until closed (销号).

    inspect-tui rectify list [--overdue] [--unit U] [--json]     the open ones, across the folder
    inspect-tui rectify SESSION [--json]                          one session's, closed ones too
    inspect-tui rectify SESSION ITEM --person … --deadline YYYY-MM-DD|+30 --report … [--report-date D]
                                     --close --by NAME [--note …] | --reopen --reason …
    inspect-tui rectify REINSPECTION ITEM --confirm [--inspector NAME]
                                     a re-inspection found it 符合: close it in the earlier session

Which rectifications exist is the core's to say (core/session/rectification.py); this parses,
writes through the session under its lock like every writing command, and prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any, Callable

from ..i18n import t
from .common import UsageError, parse_date, print_json

FINDING_WIDTH = 40  # characters of a finding in a list line; the whole of it is in --json


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("rectify", "rectify_command:rectify", "rectify.cmd")
    p.add_argument("target", metavar="list|SESSION", help=t("rectify.arg.target"))
    p.add_argument("item", nargs="?", metavar="ITEM", help=t("rectify.arg.item"))
    p.add_argument("--overdue", action="store_true", help=t("rectify.arg.overdue"))
    p.add_argument("--unit", metavar="UNIT", help=t("rectify.arg.unit"))
    p.add_argument("--today", metavar="YYYY-MM-DD", help=t("rectify.arg.today"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--person", metavar="NAME", help=t("rectify.arg.person"))
    p.add_argument("--deadline", metavar="YYYY-MM-DD|+DAYS", help=t("rectify.arg.deadline"))
    p.add_argument("--report", metavar="TEXT", help=t("rectify.arg.report"))
    p.add_argument("--report-date", metavar="YYYY-MM-DD", help=t("rectify.arg.report_date"))
    p.add_argument("--close", action="store_true", help=t("rectify.arg.close"))
    p.add_argument("--by", metavar="NAME", help=t("rectify.arg.by"))
    p.add_argument("--note", metavar="TEXT", help=t("rectify.arg.note"))
    p.add_argument("--reopen", action="store_true", help=t("rectify.arg.reopen"))
    p.add_argument("--reason", metavar="TEXT", help=t("rectify.arg.reason"))
    p.add_argument("--confirm", action="store_true", help=t("reinspect.arg.confirm"))
    p.add_argument("--inspector", metavar="NAME", help=t("cli.arg.inspector"))


_EDITS = ("person", "deadline", "report", "report_date", "close", "by", "note", "reopen", "reason")


def _usage(message: str) -> Exception:
    return UsageError(message)


def rectify(args: argparse.Namespace) -> int:
    today = parse_date(args.today) or dt.date.today()
    edits = {name: getattr(args, name) for name in _EDITS if getattr(args, name) not in (None, False)}
    if args.target == "list":
        if args.confirm:
            raise _usage(t("reinspect.confirm_item"))
        if args.item is not None:
            raise _usage(t("rectify.no_item_options"))
        if edits:
            raise _usage(t("rectify.list_only", option="--" + next(iter(edits)).replace("_", "-")))
        return _list_all(args, today)
    for option, value in (("--overdue", args.overdue), ("--unit", args.unit)):
        if value:
            raise _usage(t("rectify.list_only", option=option))
    if args.item is None:
        if edits or args.confirm:
            raise _usage(t("reinspect.confirm_item" if args.confirm else "rectify.no_item_options"))
        return _list_one(args, today)
    if args.confirm:
        if edits or args.today:
            raise _usage(t("reinspect.confirm_alone"))
        return _confirm(args)
    return _edit(args, edits, today)


def _confirm(args: argparse.Namespace) -> int:
    """The re-inspection found a carried item 符合: the earlier session's rectification is closed
    (core/session/reinspect_edits.py: both sessions written under their locks, audited)."""
    from .session_commands import inspector, opened

    args.session = args.target
    with opened(args, write=True) as session:
        who = inspector(args, session)
        done = session.confirm_carried(args.item, who)
        if args.json:
            print_json({"session": session.session.id, "previous": session.session.previous, "item": args.item,
                        "confirmed_by": done.by, "confirmed_at": done.at})
            return 0
        print(t("reinspect.confirmed", item=args.item, id=session.session.previous, date=done.at, by=done.by))
    return 0


def _edit(args: argparse.Namespace, edits: dict[str, Any], today: dt.date) -> int:
    from ..core.session.rectification import Request
    from .session_commands import inspector, opened

    args.session = args.target
    with opened(args, write=True) as session:
        # an edit is refused by the core for an unknown item or one without a rectification; so
        # is a mere look at one (an empty request), with the same one line
        session.set_rectification(args.item, inspector(args, session), Request(**edits))
        r = next(r for r in session.rectifications() if r.item == args.item)
        if args.json:
            print_json(_row(session.session, r, today))
            return 0
        person = t("rectify.person", name=r.entry.person) if r.entry.person else ""
        print(t("rectify.saved", item=r.item, status=_status(r, today), deadline=r.deadline.isoformat(), person=person))
    return 0


def _list_one(args: argparse.Namespace, today: dt.date) -> int:
    from .session_commands import opened

    args.session = args.target
    with opened(args, write=False) as session:
        rows = [_row(session.session, r, today) for r in session.rectifications()]
        if args.json:
            print_json({"session": session.session.id, "today": today.isoformat(), "rectifications": rows})
            return 0
        if not rows:
            print(t("rectify.none_here", id=session.session.id))
            return 0
        _print_table(rows, with_branch=False)
    return 0


def _list_all(args: argparse.Namespace, today: dt.date) -> int:
    """Served from the index's digest (core/session/rect_digest.py): no session loaded or scored
    unless its digest is missing or no longer matches it; 逾期 from the deadline and today."""
    from .session_commands import repository

    repo = repository(args)
    rows: list[dict[str, Any]] = []
    for listed in repo.listed():
        header = listed.summary.header
        if args.unit is not None and header.unit != args.unit:
            continue
        for r in listed.rectifications:
            overdue = r.overdue_days(today)
            if r.closed or (args.overdue and not overdue):
                continue
            rows.append(_listed_row(header, r, overdue))
    for line in repo.problems:
        print(line, file=sys.stderr)
    rows.sort(key=lambda row: (-row["overdue_days"], row["deadline"], row["branch"], row["item"]))
    if args.json:
        print_json({"folder": str(repo.folder), "today": today.isoformat(), "rectifications": rows})
        return 0
    if not rows:
        print(t("rectify.none_overdue" if args.overdue else "rectify.none"))
        return 0
    _print_table(rows, with_branch=True)
    return 0


def _listed_row(header: Any, r: Any, overdue: int) -> dict[str, Any]:
    """A row of the folder's list, from the digest: the same fields as `_row`."""
    return {
        "session": header.id, "branch": header.branch, "unit": header.unit, "date": header.date,
        "item": r.item, "text": r.text, "finding": r.finding, "requirement": r.requirement, "manual": r.manual,
        "person": r.person or None, "deadline": r.deadline, "status": r.status, "overdue_days": overdue,
        "report": r.report or None, "report_date": r.report_date or None, "closed_by": r.closed_by or None,
        "closed_at": r.closed_at or None, "close_note": r.close_note or None,
        "reopen_reason": r.reopen_reason or None,
    }


def _row(session: Any, r: Any, today: dt.date) -> dict[str, Any]:
    """One rectification as the JSON output has it (the list's line is drawn from this too)."""
    e = r.entry
    return {
        "session": session.id, "branch": session.branch.name, "unit": session.branch.unit,
        "date": session.date.isoformat(), "item": r.item, "text": r.text, "finding": r.finding,
        "requirement": r.requirement, "manual": r.manual, "person": e.person or None,
        "deadline": r.deadline.isoformat(), "status": r.status, "overdue_days": r.overdue_days(today),
        "report": e.report or None, "report_date": e.report_date or None, "closed_by": e.closed_by or None,
        "closed_at": e.closed_at or None, "close_note": e.close_note or None, "reopen_reason": e.reopen_reason or None,
    }


def _status(r: Any, today: dt.date) -> str:
    words = t(f"rectify.status.{r.status}")
    return t("rectify.status.overdue", status=words) if r.overdue_days(today) else words


def _print_table(rows: list[dict[str, Any]], with_branch: bool) -> None:
    from .text import table

    header = ([t("col.branch")] if with_branch else []) + [
        t("rectify.col.item"), t("rectify.col.finding"), t("rectify.col.deadline"), t("col.status"),
        t("rectify.col.overdue"), t("rectify.col.person")]
    lines = []
    for row in rows:
        finding = " ".join(row["finding"].split()) or "—"
        if len(finding) > FINDING_WIDTH:
            finding = finding[: FINDING_WIDTH - 1] + "…"
        status = t(f"rectify.status.{row['status']}")
        lines.append(([row["branch"]] if with_branch else []) + [
            row["item"], finding, row["deadline"], status, str(row["overdue_days"] or ""), row["person"] or ""])
    print(table(header, lines))
