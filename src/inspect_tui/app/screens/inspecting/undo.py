"""What `u` undoes: each edit made on the inspection screen, with its value before and after.

The core (`OpenSession.set_answer` / `set_fact`) made the change and audited it; this record only
remembers what to hand back to it. `after` is the session's value once the core had taken the
edit (its normalising included), so an undo restores exactly what was there before, never what
the screen believed it asked for.
"""

from __future__ import annotations

from ....quick_dataclass import dataclass
from typing import Any, Union

from ....core.session.answers import Answer


@dataclass(frozen=True)
class AnswerEdit:
    """An item's answer changed (a mark, a note burst, a count, evidence, an override)."""

    item_id: str
    before: Answer
    after: Answer

    def restore(self) -> dict[str, Any]:
        """The fields for `OpenSession.set_answer` that put `before` back."""
        old = self.before
        return {"state": old.state, "count": old.count, "note": old.note, "evidence": list(old.evidence),
                "override": old.override}


@dataclass(frozen=True)
class FactEdit:
    """A fact changed (typed, chosen, or last time's value confirmed); None: not entered."""

    fact_id: str
    before: Any
    after: Any


Edit = Union[AnswerEdit, FactEdit]


class UndoStack:
    """The screen's edits, last first. Not persisted: the audit trail keeps the history."""

    def __init__(self) -> None:
        self._edits: list[Edit] = []

    def push(self, edit: Edit) -> None:
        self._edits.append(edit)

    def pop(self) -> Edit | None:
        return self._edits.pop() if self._edits else None

    def __len__(self) -> int:
        return len(self._edits)
