"""`inspect-tui finish`, `reopen` and `review`: the sign-off (签字) of an inspection, reopening it
with a reason, and the team leader's review (组长审核). A thin shell over core/session/signoff.py."""

from __future__ import annotations

import argparse
from typing import Callable

from ..i18n import t
from .common import UsageError, count


def register(command: Callable[..., argparse.ArgumentParser],
             session_arg: Callable[[argparse.ArgumentParser], None],
             inspector_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    p = command("finish", "signoff_command:finish", "cli.cmd.finish")
    session_arg(p)
    p.add_argument("--inspectors", metavar="A,B", help=t("signoff.arg.inspectors"))
    p.add_argument("--received-by", metavar="NAME", help=t("signoff.arg.received_by"))
    p.add_argument("--force", action="store_true", help=t("cli.arg.force"))
    p.add_argument("--notice-days", type=count, metavar="DAYS", help=t("cli.arg.notice_days"))
    p.add_argument("--notice-date", metavar="YYYY-MM-DD", help=t("cli.arg.notice_date"))
    p.add_argument("--issuer", metavar="ORG", help=t("cli.arg.issuer"))
    inspector_arg(p)

    p = command("reopen", "signoff_command:reopen", "cli.cmd.reopen")
    session_arg(p)
    p.add_argument("--reason", metavar="TEXT", help=t("signoff.arg.reason"))
    inspector_arg(p)

    p = command("review", "signoff_command:review", "signoff.cmd.review")
    session_arg(p)
    p.add_argument("--by", metavar="NAME", required=True, help=t("signoff.arg.by"))
    p.add_argument("--comment", metavar="TEXT", default="", help=t("signoff.arg.comment"))
    inspector_arg(p)


def finish(args: argparse.Namespace) -> int:
    from .session_commands import inspector, opened

    if not (args.inspectors or "").replace(",", "").replace(",", "").replace("、", "").strip():
        raise UsageError(t("signoff.need_inspectors"))
    with opened(args, write=True) as session:
        session.finish(inspector(args, session), force=args.force, notice_days=args.notice_days,
                       notice_date=args.notice_date, issuer=args.issuer, inspectors=args.inspectors,
                       received_by=args.received_by)
        print(t("session.finished", id=session.session.id))
        print(t("signoff.signed", names="、".join(session.session.signers),
                receiver=session.session.received_by or "—", when=session.session.signed_at))
    return 0


def reopen(args: argparse.Namespace) -> int:
    from .session_commands import inspector, opened

    if not (args.reason or "").strip():
        raise UsageError(t("signoff.need_reason"))
    with opened(args, write=True) as session:
        session.reopen(inspector(args, session), args.reason)
        print(t("session.reopened", id=session.session.id))
    return 0


def review(args: argparse.Namespace) -> int:
    from .session_commands import inspector, opened

    with opened(args, write=True) as session:
        session.review(inspector(args, session), args.by, args.comment)
        print(t("signoff.reviewed", id=session.session.id, by=session.session.reviewed_by,
                when=session.session.reviewed_at))
    return 0
