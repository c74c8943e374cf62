"""Self-assessment beside inspection (自查 vs 考核).

A branch fills in the same standard before the inspectors come; where the two disagree is where
an inspector looks first — above all items the branch judged 符合 and the inspection found
不符合. The branch's answers file is attached to a session and kept beside it:

    sessions/3f9a2c1b7d4e.json             the session (its format is the session file's own)
    sessions/3f9a2c1b7d4e.selfcheck.json   the self-assessment, owner-only, written durably

It lives in its own file so that attaching one never rewrites the inspection (nor its audit trail)
and never needs the session's lock. The stored copy is the *parsed* answers (as JSON), checked
against the session's frozen checklist when attached and again whenever it is read, since it is a
file like any other and may have been edited by hand. A second attachment replaces the first.

The self-assessment is scored with its own facts only: facts the branch did not report stay
unknown, so an item computed from them is "not answered" by the branch rather than silently
borrowing the inspector's figures. Its inspection date is the file's `inspection_date`, else the
session's date (terms of office are judged as of that day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..session.answers import Answer, AnswersFile
from ..session.model import Session
from ..errors import SelfCheckError
from .results import Scores, SessionHeader, header_of, scores_of
from .scoring import score

SUFFIX = ".selfcheck.json"
SCHEMA = 1
TABLE = "selfcheck"  # the store reads TinyDB's shape: {table: {doc id: document}}

# The kinds of disagreement, the most telling first.
CLAIMED_PASS = "claimed_pass"  # 自查符合,检查不符合
CLAIMED_FAIL = "claimed_fail"  # 自查不符合,检查符合
NA_DIFFERS = "na_differs"  # one side 不适用
SELF_BLANK = "self_blank"  # 自查未填
NOT_INSPECTED = "not_inspected"  # 检查未查
POINTS_DIFFER = "points_differ"  # both 不符合, different deductions
KINDS = (CLAIMED_PASS, CLAIMED_FAIL, NA_DIFFERS, SELF_BLANK, NOT_INSPECTED, POINTS_DIFFER)
LABELS = {
    CLAIMED_PASS: "自查符合,检查不符合", CLAIMED_FAIL: "自查不符合,检查符合", NA_DIFFERS: "不适用判断不一致",
    SELF_BLANK: "自查未填", NOT_INSPECTED: "检查未查", POINTS_DIFFER: "扣分不同",
}


@dataclass(frozen=True)
class SelfCheck:
    session_id: str
    attached_at: str
    attached_by: str
    source_name: str  # the file name it came from (no folders: the path may be personal)
    source_sha256: str
    inspection_date: dt.date | None
    facts: dict[str, Any]
    answers: dict[str, Answer]


@dataclass(frozen=True)
class Difference:
    id: str
    text: str
    section: str
    kind: str
    self_state: str | None
    inspection_state: str | None
    self_deducted: Decimal | None  # None when unscored
    inspection_deducted: Decimal | None
    self_note: str = ""
    inspection_note: str = ""


@dataclass(frozen=True)
class SelfComparison:
    header: SessionHeader  # the inspection's
    scored: bool
    attached_at: str
    source_name: str
    self_scores: Scores
    inspection: Scores
    differences: tuple[Difference, ...]
    agreeing: int  # leaf items on which both agree

    @property
    def delta(self) -> Decimal | None:
        """Self-assessed minus inspected (points, or percentage points when unscored)."""
        if self.scored:
            return self.self_scores.total - self.inspection.total
        if self.self_scores.percent is None or self.inspection.percent is None:
            return None
        return self.self_scores.percent - self.inspection.percent

    def of(self, kind: str) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.kind == kind)


def as_answers_file(selfcheck: SelfCheck) -> AnswersFile:
    return AnswersFile(dict(selfcheck.facts), dict(selfcheck.answers), selfcheck.inspection_date)


# -- comparison (pure) ----------------------------------------------------------------------------

def compare_selfcheck(session: Session, selfcheck: SelfCheck) -> SelfComparison:
    """Score the self-assessment and the inspection and list the leaf items where they differ."""
    checklist = session.checklist
    own = score(checklist, selfcheck.facts, selfcheck.answers, selfcheck.inspection_date or session.date)
    found = session.score()
    differences = []
    agreeing = 0
    for leaf in checklist.leaves():
        mine, theirs = own.items[leaf.id], found.items[leaf.id]
        a = mine.state.value if mine.state else None
        b = theirs.state.value if theirs.state else None
        kind = _kind(a, b, mine.deducted, theirs.deducted, found.scored)
        if kind is None:
            agreeing += 1
            continue
        self_answer, answer = selfcheck.answers.get(leaf.id), session.answers.get(leaf.id)
        differences.append(Difference(
            leaf.id, leaf.text, checklist.path_to(leaf.id)[0].text, kind, a, b,
            mine.deducted if found.scored else None, theirs.deducted if found.scored else None,
            self_answer.note if self_answer else "", answer.note if answer else "",
        ))
    differences.sort(key=lambda d: KINDS.index(d.kind))  # stable: document order within a kind
    return SelfComparison(
        header_of(session), found.scored, selfcheck.attached_at, selfcheck.source_name,
        scores_of(checklist, own), scores_of(checklist, found), tuple(differences), agreeing,
    )


def _kind(mine: str | None, found: str | None, my_lost: Decimal, lost: Decimal, scored: bool) -> str | None:
    if mine == found:
        return POINTS_DIFFER if scored and mine == "fail" and my_lost != lost else None
    if found is None:
        return NOT_INSPECTED
    if mine is None:
        return SELF_BLANK
    if "na" in (mine, found):
        return NA_DIFFERS
    return CLAIMED_PASS if mine == "pass" else CLAIMED_FAIL


__all__ = ["compare_selfcheck", "SelfCheck", "SelfComparison", "Difference",
           "SelfCheckError", "KINDS", "LABELS"]
