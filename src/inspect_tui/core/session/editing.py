"""Editing one open session (OpenSession): answers, facts, notes typed in bursts, rectifications,
finishing and reopening — each change one durable save with its audit entries.

The repository (repository.py) finds, creates, opens, lists and moves sessions; what is done to
one session once it is open is here. Nothing is written without the session's lock (read-only
when another writer holds it); every change goes through `_write` as one `Change` to the session
file (file.py): one journal line and one fsync (store/journal.py).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ...store import LockInfo, SessionLock
from .answers import Answer, AnswersFile, answer_from_data, answer_to_data, fact_to_json, parse_fact_value
from ..checklist.model import Checklist, State
from .model import Position, Session
from ..analysis.item_results import Result
from ..analysis.rescore import Rescorer
from .file import AMENDS, Change, SessionFile, audit_entry
from .checks import ANSWER_FIELDS
from ..errors import SessionError
from .rectification_edits import RectificationEdits
from .reinspect_edits import ReinspectEdits
from .signoff import SIGNOFF_FIELDS, SignOffEdits
from ...texts import Line


if TYPE_CHECKING:
    from .repository import SessionRepository

TYPING_PAUSE = 1.0  # seconds without a keystroke that end a typing burst (one audit entry each)


class OpenSession(RectificationEdits, ReinspectEdits, SignOffEdits):
    """A session open in this process.

    Each edit is checked, applied to the in-memory `session` and turned into a `Change` (plain
    data), which `writer` makes durable. By default the writer is the session file's `commit`,
    so the change is on disk when the call returns; the app swaps in a background writer so a
    keystroke never waits for the disk.
    """

    def __init__(self, repo: SessionRepository, session: Session, file: SessionFile,
                 lock: SessionLock | None, holder: LockInfo | None) -> None:
        self.repo = repo
        self.session = session
        self.file = file
        self.lock = lock
        self.holder = holder  # who has it, when we could only open it read-only
        self.lock_problem = ""  # why not, when no one holds it but its lock file cannot be used
        self.writer: Callable[[Change], None] = file.commit
        self.result: Result = session.score()  # kept current by every edit (see _meta)
        self._rescore = Rescorer()
        self._collecting: Change | None = None
        self.ticks: Callable[[], float] = time.monotonic  # measures typing pauses
        self._burst: _Burst | None = None
        self._previous_facts: dict[str, Any] | None = None  # read once, when first asked for

    @property
    def read_only(self) -> bool:
        return self.lock is None

    @property
    def checklist(self) -> Checklist:
        return self.session.checklist

    @property
    def dirty(self) -> bool:
        """A change is in memory that the disk refused; `retry()` writes it."""
        return self.file.dirty

    def _check_writable(self, editing: bool = True) -> None:
        if self.lock is None:
            if self.lock_problem:
                raise SessionError("err.session.read_only_because", id=self.session.id, why=Line(self.lock_problem))
            who = self.holder.describe() if self.holder else ""
            raise SessionError("err.session.read_only_by", id=self.session.id, who=who) if who else SessionError("err.session.read_only", id=self.session.id)
        if editing and self.session.finished:
            raise SessionError("err.session.finished", id=self.session.id)

    def _meta(self) -> dict[str, Any]:
        """The session's meta record after an edit. The score it needs is kept as `result`, so the
        interface redraws from it instead of scoring the same session a second time. Rescored
        incrementally: an answer redoes its item and the item's ancestors only (scoring.Rescorer)."""
        session = self.session
        self.result = self._rescore(session.checklist, session.facts, session.answers, session.date)
        return SessionFile.meta(self.session, self.result)

    def typing_continues(self, item_id: str) -> bool:
        """Would a note typed into `item_id` now belong to the burst already open (no new undo
        step, no new audit entry)?"""
        burst = self._burst
        return burst is not None and burst.item == item_id and self.ticks() - burst.last < TYPING_PAUSE

    def _write(self, change: Change, keeps_burst: bool = False) -> None:
        if not keeps_burst:
            self._burst = None  # any other edit ends a typing burst
        if self._collecting is not None:
            self._collecting.merge(change)
        else:
            self.writer(change)

    def set_answer(self, item_id: str, inspector: str, typing: bool = False, **changes: Any) -> Answer:
        """Change one item's answer (state, count, note, evidence, override) and save it.

        `typing`: the note is being typed; it is saved now like any edit, but saves of one burst
        (the same item, each less than `TYPING_PAUSE` after the one before, nothing else edited
        in between) make one audit entry, from the text before the burst to the latest text.
        """
        self._check_writable()
        old = self.session.answers.get(item_id, Answer())
        data = answer_to_data(old)
        for key, value in changes.items():
            if key == "override" and value is not None and not isinstance(value, dict):
                value = {"points": fact_to_json(value.points), "reason": value.reason}
            if key == "state" and isinstance(value, State):
                value = value.value
            if key == "evidence" and value is not None:
                value = list(value)
            data[key] = value
        data = {k: v for k, v in data.items() if v not in (None, "", [])}
        data.pop("changed_at", None)
        item = self.checklist.item(item_id) if self.checklist.has_item(item_id) else None
        if changes.get("override") is not None and item is not None and not item.computed:
            data["state"] = State.FAIL.value  # a manual deduction is a finding: the item fails
        try:
            new = answer_from_data(self.checklist, item_id, data)
        except ValueError as exc:
            raise SessionError("err.about", name=item_id, reason=exc) from None
        before = answer_to_data(old)
        after = answer_to_data(new)
        before.pop("changed_at", None)
        if before == after:
            return old  # nothing changed: nothing to save or record
        stamp = self.repo.clock()
        new = new.with_(changed_at=stamp)
        if new.is_empty():
            self.session.answers.pop(item_id, None)
        else:
            self.session.answers[item_id] = new
        self._edited(stamp)
        audit = [
            audit_entry(inspector, stamp, f"answer:{item_id}.{key}", before.get(key), after.get(key))
            for key in ANSWER_FIELDS
            if before.get(key) != after.get(key)
        ]
        if typing and [e["field"] for e in audit] == [f"answer:{item_id}.note"]:
            audit = [self._typed(item_id, audit[0], before.get("note"))]
        else:
            typing = False
        doc = None if new.is_empty() else answer_to_data(new)
        self._write(Change(answers={item_id: doc}, audit=audit, meta=self._meta()), keeps_burst=typing)
        return new

    def _typed(self, item_id: str, entry: dict[str, Any], old_note: Any) -> dict[str, Any]:
        """The audit entry of a typed note, opening a burst or amending the open one."""
        now = self.ticks()
        if not self.typing_continues(item_id):
            self._burst = _Burst(item_id, f"{item_id}@{now!r}", old_note, now)
        burst = self._burst
        assert burst is not None
        burst.last = now
        return {**entry, "old": burst.old, AMENDS: burst.key}

    def set_fact(self, fact_id: str, raw: Any, inspector: str) -> Any:
        """Enter one of the branch's facts (typed by the checklist) and save it."""
        self._check_writable()
        try:
            fact = self.checklist.fact(fact_id)
        except KeyError:
            known = ", ".join(self.checklist.fact_ids)
            raise SessionError("err.session.no_such_fact", id=fact_id, known=known) from None
        try:
            value = parse_fact_value(fact, raw)
        except ValueError as exc:
            raise SessionError("err.about", name=fact_id, reason=exc) from None
        old = self.session.facts.get(fact_id)
        if fact_to_json(old) == fact_to_json(value):
            return value
        stamp = self.repo.clock()
        if value is None:
            self.session.facts.pop(fact_id, None)
        else:
            self.session.facts[fact_id] = value
        self._edited(stamp)
        entry = audit_entry(inspector, stamp, f"fact:{fact_id}", fact_to_json(old), fact_to_json(value))
        self._write(Change(facts={fact_id: fact_to_json(value)}, audit=[entry], meta=self._meta()))
        return value

    def previous_facts(self) -> dict[str, Any]:
        """Last time's facts (上次) of a re-inspection, typed by this checklist; only those it
        still asks for and whose value still fits. {} when there is no earlier inspection, or it
        cannot be read."""
        if self._previous_facts is None:
            found: dict[str, Any] = {}
            if self.session.previous:
                try:
                    earlier = self.repo.open(self.session.previous, write=False)
                except SessionError:
                    earlier = None
                if earlier is not None:
                    try:
                        for fact in self.checklist.facts:
                            if fact.id in earlier.session.facts:
                                try:
                                    found[fact.id] = parse_fact_value(fact, fact_to_json(earlier.session.facts[fact.id]))
                                except ValueError:
                                    continue  # the fact's type or bounds changed with the version
                    finally:
                        earlier.close()
            self._previous_facts = found
        return dict(self._previous_facts)

    def confirm_previous(self, inspector: str, fact_ids: Iterable[str] = ()) -> list[str]:
        """Enter last time's value of each fact named (all not yet entered today when none are
        named), audited like any fact edit, in one save. Returns the facts entered."""
        self._check_writable()
        previous = self.previous_facts()
        wanted = list(fact_ids) or [f for f in previous if f not in self.session.facts]
        missing = [f for f in wanted if f not in previous]
        if missing:
            raise SessionError("err.session.no_previous_value", ids=", ".join(missing))
        if not wanted:
            return []
        with self._one_save():
            for fact_id in wanted:
                self.set_fact(fact_id, fact_to_json(previous[fact_id]), inspector)
        return wanted

    def set_position(self, item: str, filter: str = "all") -> None:
        """Remember where the inspector is; not an edit, so no audit entry and allowed when finished."""
        self._check_writable(editing=False)
        position = Position(item, filter)
        if position != self.session.position:
            self.session.position = position
            # The cursor moving is not an edit: no rescoring, and an open typing burst goes on.
            self._write(Change(meta=SessionFile.meta(self.session, self.result)), keeps_burst=True)

    def import_answers(self, answers: AnswersFile, inspector: str) -> int:
        """Bring in an answers file (or a branch's self-assessment) in one durable save."""
        self._check_writable()
        count = 0
        with self._one_save():
            for fact_id, value in answers.facts.items():
                self.set_fact(fact_id, value, inspector)
                count += 1
            for item_id, answer in answers.answers.items():
                fields = {k: v for k, v in asdict(answer).items() if k != "changed_at"}
                fields["override"] = answer.override
                self.set_answer(item_id, inspector, **fields)
                count += 1
        return count

    @contextmanager
    def _one_save(self) -> Iterator[None]:
        """The edits made inside as one durable save, all or nothing: on an error the in-memory
        session goes back to what is on disk."""
        self._collecting = Change()
        s = self.session
        saved = {name: getattr(s, name) for name in _SAVED}
        saved.update(facts=dict(s.facts), answers=dict(s.answers), rectifications=dict(s.rectifications),
                     signers=list(s.signers))
        try:
            yield
        except BaseException:
            for name, value in saved.items():
                setattr(s, name, value)
            self.result = self.session.score()
            self._collecting = None
            raise
        collected, self._collecting = self._collecting, None
        self.writer(collected)

    def attach(self, item_id: str, paths: Iterable[str | os.PathLike[str]], inspector: str,
               rectification: bool = False) -> Any:
        """Copy files into the session's attachment store and record them on the item
        (core/session/attaching.py): (attached now, already there); all or nothing. With
        `rectification`: the branch's evidence of the fix."""
        from .attaching import attach

        return attach(self, item_id, paths, inspector, rectification)

    def detach(self, item_id: str, sha_prefix: str, inspector: str) -> Any:
        from .attaching import detach

        return detach(self, item_id, sha_prefix, inspector)

    def audit(self) -> list[Any]:
        return self.file.audit()

    def retry(self) -> None:
        """Write a change the disk refused earlier (StorageError again if it still refuses)."""
        self.file.flush()

    def close(self) -> None:
        self.file.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> "OpenSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# what a failed _one_save puts back: everything an edit inside it may change
_SAVED = ("facts", "answers", "updated", "status", "rectifications", "notice_days", "notice_date", "issuer",
          "amended_at", *SIGNOFF_FIELDS)


class _Burst:
    """A note being typed: which item, its audit key, the note before, the last keystroke."""

    def __init__(self, item: str, key: str, old: Any, last: float) -> None:
        self.item, self.key, self.old, self.last = item, key, old, last


__all__ = ["OpenSession"]
