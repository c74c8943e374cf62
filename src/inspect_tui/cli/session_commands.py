"""Sub-commands over stored sessions: new, mark, fact, import-answers, list, show, log, and the rest.

Each opens the repository, does one thing through the core, prints, and returns an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from typing import Any, Iterator

from ..core.checklist import catalog
from ..core import paths
from ..core.exchange import serialize
from ..core.numbers import points_text
from ..core.session.answers import fact_to_json, load_answers_file, parse_override
from ..core.checklist.model import State
from ..core.session.editing import OpenSession
from ..core.errors import SessionError
from ..core.session.repository import SessionRepository, default_inspector
from ..core.analysis.score_line import grade_words, words
from ..i18n import lang, t
from . import attach_command
from .commands import print_result
from .common import UsageError, parse_date, print_json
from .text import table


def repository(args: argparse.Namespace) -> SessionRepository:
    return SessionRepository(paths.sessions_dir(args.sessions))


@contextmanager
def opened(args: argparse.Namespace, write: bool) -> Iterator[OpenSession]:
    session = repository(args).open(args.session, write=write, owner=getattr(args, "inspector", None))
    try:
        if write and session.read_only and session.lock_problem:
            session._check_writable(editing=False)  # says why the lock cannot be used and what to do
        if write and session.read_only:
            raise UsageError(f"{session.session.id}: {session.holder.describe() if session.holder else ''} ({t('session.locked')})")
        yield session
    finally:
        session.close()


def inspector(args: argparse.Namespace, session: OpenSession | None = None) -> str:
    if getattr(args, "inspector", None):
        return args.inspector
    if session is not None and session.session.inspectors:
        return session.session.inspectors[0]
    return default_inspector()


def new(args: argparse.Namespace) -> int:
    checklist = catalog.find(args.checklist, args.checklists)
    repo = repository(args)
    inspectors = [name for group in (args.inspector or []) for name in group.split(",")]
    created = repo.create(
        checklist, args.branch, args.unit or "", inspectors, parse_date(args.date), args.place or "",
    )
    created.close()
    if args.open:
        from .launch import open_app

        args.inspector = inspectors[0] if inspectors else None
        return open_app(args, created.session.id)
    print(created.session.id)
    return 0


def mark(args: argparse.Namespace) -> int:
    with opened(args, write=True) as session:
        try:
            state = None if args.state in ("clear", "清除") else State.parse(args.state)
        except ValueError:
            raise UsageError(t("session.bad_state", state=args.state)) from None
        changes: dict[str, Any] = {"state": state.value if state else None}
        if args.count is not None:
            changes["count"] = args.count
        if args.note is not None:
            changes["note"] = args.note
        if args.override is not None:
            try:
                changes["override"] = parse_override({"points": args.override, "reason": args.reason or ""})
            except ValueError as exc:
                raise SessionError("err.about", name=args.item, reason=exc) from None
        session.set_answer(args.item, inspector(args, session), **changes)
        result = session.session.score()
        item = result.items[args.item]
        line = f"{args.item}: {t('state.' + (state.value if state else 'none'))}"
        if result.scored:
            line += f"  {t('col.lost')} {points_text(item.deducted)}"
        print(line)
    return 0


def fact(args: argparse.Namespace) -> int:
    confirming = args.confirm_previous is not None
    if confirming and args.value is not None or not confirming and args.value is None:
        raise UsageError(t("session.fact_usage"))
    with opened(args, write=True) as session:
        if not confirming:
            value = session.set_fact(args.fact, args.value, inspector(args, session))
            print(f"{args.fact} = {fact_to_json(value)}")
            return 0
        if not session.session.previous:
            raise UsageError(t("session.not_reinspection", id=session.session.id))
        named = ([args.fact] if args.fact else []) + list(args.confirm_previous)
        entered = session.confirm_previous(inspector(args, session), named)
        for fact_id in entered:
            print(f"{fact_id} = {fact_to_json(session.session.facts.get(fact_id))}")
        print(t("session.confirmed", count=len(entered)))
    return 0


def import_answers(args: argparse.Namespace) -> int:
    with opened(args, write=True) as session:
        answers = load_answers_file(args.file, session.checklist)
        count = session.import_answers(answers, inspector(args, session))
        print(t("session.imported", count=count, id=session.session.id))
    return 0


def list_sessions(args: argparse.Namespace) -> int:
    repo = repository(args)
    summaries = repo.list()
    for line in repo.problems:
        print(line, file=sys.stderr)
    if args.json:
        print_json({"folder": str(repo.folder), "sessions": [s.to_json() for s in summaries]})
        return 0
    print(t("session.folder", folder=repo.folder))
    if not summaries:
        print(t("session.none"))
        return 0
    rows = []
    for s in summaries:
        score = words(s.scores.line, lang(), grade=False, open_part=False) if s.scores.max is not None else "—"
        rows.append([
            s.id, s.header.branch, s.header.checklist_id, s.header.date, f"{s.scores.answered}/{s.scores.leaves}", score,
            grade_words(s.scores.line, lang()), t("status." + s.header.status), s.updated[:16].replace("T", " "),
        ])
    header = [t("col.id"), t("col.branch"), t("col.checklist"), t("col.date"), t("col.progress"),
              t("col.score"), t("col.grade"), t("col.status"), t("col.updated")]
    print(table(header, rows))
    return 0


def show(args: argparse.Namespace) -> int:
    with opened(args, write=False) as opened_session:
        session = opened_session.session
        checklist = session.checklist
        result = session.score()
        newer = _newer_version(args, session.checklist_id, session.checklist_version)
        if args.json:
            data = serialize.result(checklist, result)
            data["session"] = serialize.session_data(session, result, newer)
            data["attachments"] = attach_command.show_json(opened_session)
            print_json(data)
            return 0
        print(f"{session.branch.name}  {session.branch.unit}".rstrip())
        print(t("session.meta", id=session.id, date=session.date.isoformat(), status=t("status." + session.status),
                inspectors="、".join(session.inspectors) or "—"))
        if newer:
            print(t("session.newer", version=newer))
        print_result(checklist, result, session.facts)
        for line in attach_command.show_lines(opened_session):
            print(line)
    return 0


def _newer_version(args: argparse.Namespace, checklist_id: str, version: str) -> str | None:
    """The version of the installed checklist with this id, when it differs from the frozen one."""
    try:
        current = catalog.find(checklist_id, args.checklists)
    except Exception:  # the checklist may have been removed; the frozen copy still works
        return None
    return current.version if current.version != version else None


def log(args: argparse.Namespace) -> int:
    with opened(args, write=False) as session:
        entries = session.audit()
        if args.json:
            print_json([e.__dict__ for e in entries])
            return 0
        for e in entries:
            print(f"{e.time}  {e.inspector}  {e.field}: {_show(e.old)} → {_show(e.new)}")
    return 0


def _show(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def delete(args: argparse.Namespace) -> int:
    target = repository(args).delete(args.session)
    print(t("session.deleted", path=target))
    return 0


def restore(args: argparse.Namespace) -> int:
    session_id = repository(args).restore(args.session)
    print(t("session.restored", id=session_id))
    return 0


def reinspect(args: argparse.Namespace) -> int:
    repo = repository(args)
    old = repo.open(args.session, write=False)
    checklist_id = old.session.checklist_id
    old.close()
    checklist = catalog.find(checklist_id, args.checklists)
    inspectors = [name for group in (args.inspector or []) for name in group.split(",")]
    created = repo.reinspect(args.session, checklist, inspectors, parse_date(args.date))
    created.close()
    print(created.session.id)
    return 0

