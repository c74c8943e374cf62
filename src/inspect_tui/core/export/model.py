"""One summary model of an inspection, built from the scoring result; every renderer draws it.

Nothing in here formats: numbers stay Decimal, text stays as typed. A renderer decides how to
escape and lay it out, so the same findings read the same in Markdown, CSV, JSON, Excel, Word
and HTML. The one exception is the standard's own text: its blanks are filled from the facts
here (`blanks.fill`), once, so that no renderer can print "___" where a value is known.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal

from ..checklist.blanks import FactLine, fact_lines, fill
from ..checklist.model import Checklist, Item
from ..analysis.findings import finding_text, item_findings, requirement_text
from ..analysis.results import Scores, SectionScore, SessionHeader, header_of, scores_of, section_score
from ..analysis.score_line import words
from ..analysis.item_results import Result
from ..analysis.selfcheck import SelfCheck, SelfComparison, compare_selfcheck
from ..session.model import Session
from ..session.signoff import SignOff, signoff_of
from ..session.rectification import NOTICE_DAYS, derive, notice_date, report_by
from ..session.rectification import Rectification as Derived

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ReasonRow:
    clause: str
    amount: Decimal
    detail: str
    manual: bool
    finding: str = ""  # a rule decided by facts: what was found (the facts and the threshold)


@dataclass(frozen=True)
class ItemRow:
    """One item (any depth) with its result; `path` names its section and parents."""

    id: str
    text: str
    path: tuple[str, ...]
    depth: int
    leaf: bool
    state: str | None  # pass | fail | na | None
    max: Decimal | None
    deducted: Decimal
    score: Decimal | None
    reasons: tuple[ReasonRow, ...]
    note: str
    evidence: tuple[str, ...]
    override_points: Decimal | None
    override_reason: str
    guidance: str
    source: str
    warnings: tuple[str, ...]
    pending: tuple[str, ...] = ()  # labels of the facts still needed to decide it
    capped: bool = False  # the clauses asked for more than the item's points allow
    auto: bool = False  # computed: the state follows the facts, not a mark
    findings: tuple[str, ...] = ()  # an item the facts decided: what they showed, passed or failed


@dataclass(frozen=True)
class AttachmentRow:
    """A file attached to an item (core/session/attachments.py), as a document names it; `path`
    is where its content is stored on this laptop ("" when the caller gave no store: listed only)."""

    item: str
    name: str
    type: str
    type_name: str
    size: int
    size_text: str
    width: int | None
    height: int | None
    sha256: str
    path: str = ""

    @property
    def is_image(self) -> bool:
        return self.type.startswith("image/")


@dataclass(frozen=True)
class Rectification:
    """One thing for the branch to put right (整改): what was found, what the standard requires."""

    id: str
    text: str
    path: tuple[str, ...]
    found: str  # what the facts showed (with the inspector's note beside), or the note, or the clause
    requirement: str  # the clause and guidance of the standard
    deducted: Decimal
    deadline: str = ""


@dataclass(frozen=True)
class Notice:
    """What the 整改通知书 says besides its rows: who issues it (blank: a line to fill by hand),
    its date, the notice period, and the date the branch reports back by (core/session/rectification.py)."""

    issuer: str = ""
    date: str = ""
    days: int = NOTICE_DAYS
    report_by: str = ""


@dataclass(frozen=True)
class Summary:
    """The document's model: the session's header and scores (core/analysis/results.py) and what
    only a document shows — the standard's completeness, every item, what to put right."""

    header: SessionHeader
    checklist_complete: bool
    checklist_note: str  # why a standard is cut off (complete: false)
    scores: Scores
    sections: tuple[SectionScore, ...]  # titles with the standard's blanks filled
    items: tuple[ItemRow, ...]
    warnings: tuple[tuple[str, str], ...]
    rectification: tuple[Rectification, ...] = field(default=())
    facts: tuple[FactLine, ...] = field(default=())  # 基本情况 as entered, blank ones 未填
    # the branch's self-assessment (自查) beside this inspection, only when one is attached: both
    # scores, the difference and the leaf items on which the two disagree (selfcheck.KINDS order)
    selfcheck: SelfComparison | None = None
    # the score in words (core/analysis/score_line.py): 暂定, with what is still open, until every
    # applicable item is decided — the total flatters before
    score_text: str = ""
    attachments: tuple[AttachmentRow, ...] = ()  # every item's files, in the checklist's order
    notice: Notice = field(default_factory=Notice)
    evidence: tuple[AttachmentRow, ...] = ()  # the branch's evidence of the fix (整改佐证), as attachments
    signoff: SignOff = field(default_factory=SignOff)  # who signed, received, reviewed; 已修改 (signature.py)

    def attachments_of(self, item_id: str) -> tuple[AttachmentRow, ...]:
        return tuple(a for a in self.attachments if a.item == item_id)

    def evidence_of(self, item_id: str) -> tuple[AttachmentRow, ...]:
        return tuple(a for a in self.evidence if a.item == item_id)

    @property
    def failed(self) -> tuple[ItemRow, ...]:
        return tuple(i for i in self.items if i.leaf and i.state == "fail")

    @property
    def not_applicable(self) -> tuple[ItemRow, ...]:
        return tuple(i for i in self.items if i.leaf and i.state == "na")

    @property
    def unanswered(self) -> tuple[ItemRow, ...]:
        return tuple(i for i in self.items if i.leaf and i.state is None)


def build_summary(session: Session, result: Result | None = None, selfcheck: SelfCheck | None = None,
                  files: str | os.PathLike[str] | None = None) -> Summary:
    """The summary of `session`; with `selfcheck` (the branch's self-assessment, already read, see
    `selfcheck.load`) it carries the comparison of the two as well; with `files` (the session's
    attachment folder) the documents can embed its photos. Reads no file."""
    checklist = session.checklist
    result = result or session.score()
    items = tuple(_item_row(checklist, item, result, session) for item in checklist.walk())
    facts = fact_lines(checklist, session.facts)
    sections = tuple(section_score(checklist, result, s.id, fill(checklist.item(s.id).text, checklist, session.facts))
                     for s in result.sections)
    # which rows the notice has, and their deadlines, are the session's rectifications (derived
    # from this result), so the notice, the list and the 台账 name the same things
    derived = derive(session, result)
    by_item = {r.item: r for r in derived}
    rectification = tuple(_rectification(row, by_item[row.id]) for row in items if row.id in by_item)
    notice = Notice(session.issuer, notice_date(session).isoformat(), session.notice_days,
                    report_by(session, derived).isoformat())
    scores = scores_of(checklist, result)
    return Summary(
        header=header_of(session),
        checklist_complete=checklist.complete,
        checklist_note=checklist.incomplete_note,
        scores=scores,
        sections=sections,
        items=items,
        warnings=tuple(result.warnings),
        rectification=rectification,
        facts=facts,
        selfcheck=compare_selfcheck(session, selfcheck) if selfcheck is not None else None,
        score_text=words(scores.line),
        attachments=_attachments(session, items, files),
        notice=notice,
        evidence=_attachments(session, items, files, evidence=True),
        signoff=signoff_of(session),
    )


def _attachments(session: Session, items: tuple[ItemRow, ...], files: str | os.PathLike[str] | None,
                 evidence: bool = False) -> tuple[AttachmentRow, ...]:
    """The files of the findings, or (`evidence`) the branch's evidence of the fix."""
    rows = []
    for row in items:
        for a in session.attachments.get(row.id, []):
            if bool(a.purpose) != evidence:
                continue
            path = os.path.join(files, a.sha256) if files is not None else ""
            rows.append(AttachmentRow(a.item, a.name, a.type, a.type_name, a.size, a.size_text(), a.width, a.height,
                                      a.sha256, path))
    return tuple(rows)


def _item_row(checklist: Checklist, item: Item, result: Result, session: Session) -> ItemRow:
    r = result.items[item.id]
    answer = session.answers.get(item.id)
    chain = checklist.path_to(item.id)
    facts = session.facts
    return ItemRow(
        id=item.id,
        text=fill(item.text, checklist, facts),
        path=tuple(fill(i.text, checklist, facts) for i in chain[:-1]),
        depth=len(chain) - 1,
        leaf=item.is_leaf,
        state=r.state.value if r.state else None,
        max=r.max,
        deducted=r.deducted,
        score=r.score,
        reasons=tuple(ReasonRow(x.clause, x.amount, x.detail, x.manual, x.finding) for x in r.reasons),
        note=answer.note if answer else "",
        evidence=answer.evidence if answer else (),
        override_points=answer.override.points if answer and answer.override else None,
        override_reason=answer.override.reason if answer and answer.override else "",
        guidance=fill(item.guidance, checklist, facts),
        source=item.source,
        warnings=tuple(r.warnings),
        pending=tuple(_fact_label(checklist, fact) for fact in r.pending),
        capped=r.capped,
        auto=r.auto,
        findings=item_findings(r) if r.auto else (),
    )


def _fact_label(checklist: Checklist, fact_id: str) -> str:
    try:
        return checklist.fact(fact_id).label
    except KeyError:
        return fact_id


def found_text(row: ItemRow) -> str:
    """发现问题: for an item the facts decided, what they showed, the inspector's note beside it;
    otherwise the note, or else the clause that applied, or the reason of a manual deduction."""
    clauses = (reason.clause for reason in row.reasons if not reason.manual)
    return finding_text(row.findings, row.note, clauses, row.override_reason)


def _rectification(row: ItemRow, derived: Derived) -> Rectification:
    found = found_text(row)
    requirement = requirement_text(row.text, row.guidance)
    return Rectification(row.id, row.text, row.path, found, requirement, row.deducted, derived.deadline.isoformat())
