"""Comparing two inspections of a branch: what was put right, what still fails, what is new.

A re-inspection may follow a newer version of the standard than the inspection it follows. Each
session carries its own frozen copy of the checklist, so both are scored against the version they
were made with and their leaf items are then matched **by id**:

- an id in both versions is compared state against state (fixed, still failing, …); if its text,
  points or clauses changed between the versions it is flagged, since "still failing" against a
  reworded requirement is worth a second look;
- an id only in the old version is *removed*, one only in the new version *added*. There is no
  rename map in the checklist format, so an item whose id was renamed is reported as removed and
  added; when the two carry the same text the pair is pointed out (`same_text_as`), never merged,
  because guessing that two items are "the same" would silently carry a finding across.

Pure: no I/O, no clock. The renderers (export/report_*.py) and the CLI draw on `Comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..checklist.model import Checklist, Item, OneOf
from .score_changes import ScoreChange, score_changes, total_change
from .results import ScoredSession, SectionScore, scored_session, section_score
from .item_results import Result
from .reinspection import Outcome, counts as carried_counts, outcomes
from ...texts import Message
from ..session.model import Session

FIXED = "fixed"  # 已整改: failed last time, passes now
STILL_FAILING = "still_failing"  # 仍不符合
NEWLY_FAILING = "newly_failing"  # 新发现不符合: passed (or was N/A) last time, fails now
NOT_CHECKED = "not_checked"  # 未检查: unanswered in either inspection
UNCHANGED_PASS = "unchanged_pass"  # 两次均符合
NOT_APPLICABLE = "na"  # 不适用 in either inspection
REMOVED = "removed"  # only in the old version of the checklist
ADDED = "added"  # only in the new version

# What the reader of a comparison must know, as flags with their values (`Comparison.notes`)
OTHER_CHECKLIST = "note.comparison.other_checklist"  # {old}, {new}: the checklists' ids
OTHER_VERSION = "note.comparison.other_version"  # {old}, {new}: the versions of one checklist
OTHER_BRANCH = "note.comparison.other_branch"  # another branch name or unit, and not linked
EARLIER = "note.comparison.earlier"  # the later inspection is dated before the earlier one

CATEGORIES = (FIXED, STILL_FAILING, NEWLY_FAILING, NOT_CHECKED, UNCHANGED_PASS, NOT_APPLICABLE, REMOVED, ADDED)
LABELS = {
    FIXED: "已整改", STILL_FAILING: "仍不符合", NEWLY_FAILING: "新发现不符合", NOT_CHECKED: "未检查",
    UNCHANGED_PASS: "两次均符合", NOT_APPLICABLE: "不适用", REMOVED: "新版已删除", ADDED: "新版新增",
}


@dataclass(frozen=True)
class ItemChange:
    """One leaf item across the two inspections. A side that does not have the item has state None
    and deducted None; `old_state`/`new_state` None on a side that has it means unanswered."""

    id: str
    text: str  # the new version's text (the old one's for a removed item)
    section: str
    category: str
    old_state: str | None
    new_state: str | None
    old_deducted: Decimal | None
    new_deducted: Decimal | None
    old_note: str = ""
    new_note: str = ""
    changed: tuple[str, ...] = ()  # what differs between the versions: "text", "points", "clauses"
    old_text: str = ""  # set when the text changed
    same_text_as: str = ""  # a removed item with the text of an added one (or the reverse)


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str
    old: SectionScore | None  # None: the section is not in that version
    new: SectionScore | None

    @property
    def delta(self) -> Decimal | None:
        """The change in the section's score; None when either side has no score to compare."""
        if self.old is None or self.new is None or self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score


@dataclass(frozen=True)
class Comparison:
    old: ScoredSession
    new: ScoredSession
    items: tuple[ItemChange, ...]
    sections: tuple[SectionChange, ...]
    linked: bool  # the new session names the old one as the inspection it follows
    notes: tuple[Message, ...] = field(default=())  # what the reader must know: OTHER_CHECKLIST, …
    # where the score change comes from, line by line; they add up to `delta` (score_changes.py)
    changes: tuple[ScoreChange, ...] = field(default=())
    delta: Decimal | None = None  # points when scored, items passed when not; None: not comparable
    # a linked re-inspection: what it found of each rectification it carried (reinspection.py)
    carried: tuple[Outcome, ...] = field(default=())

    @property
    def carried_counts(self) -> dict[str, int]:
        return carried_counts(self.carried)

    @property
    def same_checklist(self) -> bool:
        return self.old.header.checklist_id == self.new.header.checklist_id

    @property
    def same_version(self) -> bool:
        return self.same_checklist and self.old.header.checklist_version == self.new.header.checklist_version

    def of(self, category: str) -> tuple[ItemChange, ...]:
        return tuple(item for item in self.items if item.category == category)

    @property
    def changed_items(self) -> tuple[ItemChange, ...]:
        """Items in both versions whose wording or points changed."""
        return tuple(item for item in self.items if item.changed)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for item in self.items:
            counts[item.category] += 1
        return counts


def compare(old: Session, new: Session) -> Comparison:
    """Compare inspection `old` with the later inspection `new`, item by item and section by section."""
    old_list, new_list = old.checklist, new.checklist
    old_result, new_result = old.score(), new.score()
    old_leaves = {item.id: item for item in old_list.leaves()}
    new_leaves = {item.id: item for item in new_list.leaves()}
    removed_text = _unique_texts(old_leaves, set(old_leaves) - set(new_leaves))
    added_text = _unique_texts(new_leaves, set(new_leaves) - set(old_leaves))

    items: list[ItemChange] = []
    for item_id, item in new_leaves.items():
        now = new_result.items[item_id]
        now_state = now.state.value if now.state else None
        before = old_leaves.get(item_id)
        if before is None:
            items.append(ItemChange(
                item_id, item.text, _section(new_list, item_id), ADDED, None, now_state, None,
                _lost(new_result, item_id), "", _note(new, item_id),
                same_text_as=removed_text.get(item.text, ""),
            ))
            continue
        then = old_result.items[item_id]
        then_state = then.state.value if then.state else None
        changed = _changes(before, item)
        items.append(ItemChange(
            item_id, item.text, _section(new_list, item_id), _category(then_state, now_state),
            then_state, now_state, _lost(old_result, item_id), _lost(new_result, item_id),
            _note(old, item_id), _note(new, item_id), changed,
            old_text=before.text if "text" in changed else "",
        ))
    for item_id, item in old_leaves.items():
        if item_id not in new_leaves:
            state = old_result.items[item_id].state
            items.append(ItemChange(
                item_id, item.text, _section(old_list, item_id), REMOVED, state.value if state else None, None,
                _lost(old_result, item_id), None, _note(old, item_id), "",
                same_text_as=added_text.get(item.text, ""),
            ))

    notes = []  # flags with their values; the CLI, the app and the documents say them (texts/core.py)
    if old.checklist_id != new.checklist_id:
        notes.append(Message(OTHER_CHECKLIST, {"old": old.checklist_id, "new": new.checklist_id}))
    elif old.checklist_version != new.checklist_version:
        notes.append(Message(OTHER_VERSION, {"old": old.checklist_version, "new": new.checklist_version}))
    if (old.branch.name, old.branch.unit) != (new.branch.name, new.branch.unit) and new.previous != old.id:
        notes.append(Message(OTHER_BRANCH))
    if new.date < old.date:
        notes.append(Message(EARLIER))
    return Comparison(
        old=scored_session(old, old_result), new=scored_session(new, new_result), items=tuple(items),
        sections=_sections(old_list, old_result, new_list, new_result),
        linked=new.previous == old.id, notes=tuple(notes),
        changes=score_changes(old_list, old_result, new_list, new_result), delta=total_change(old_result, new_result),
        carried=outcomes(new, new_result) if new.previous == old.id else (),
    )


def _category(old: str | None, new: str | None) -> str:
    """fail→pass fixed; fail→fail still; pass→fail new. Unanswered on either side is "not checked"
    even when the other side failed: without an answer nobody knows whether it was put right."""
    if old is None or new is None:
        return NOT_CHECKED
    if old == "na" or new == "na":
        return NOT_APPLICABLE
    if old == "fail":
        return STILL_FAILING if new == "fail" else FIXED
    return NEWLY_FAILING if new == "fail" else UNCHANGED_PASS


def _changes(old: Item, new: Item) -> tuple[str, ...]:
    changes = []
    if old.text.strip() != new.text.strip():
        changes.append("text")
    if old.points != new.points:
        changes.append("points")
    if _clauses(old) != _clauses(new):
        changes.append("clauses")
    return tuple(changes)


def _clauses(item: Item) -> tuple[tuple[str, Decimal | None, Decimal | None], ...]:
    """What a rule says and costs (its expressions are compared through their clause text)."""
    rules = []
    for rule in item.rules:
        for case in (rule.cases if isinstance(rule, OneOf) else (rule,)):
            rules.append((case.clause.strip(), case.points, case.per))
    return tuple(rules)


def _unique_texts(leaves: dict[str, Item], ids: set[str]) -> dict[str, str]:
    """text → id for the given items whose text is not shared by another of them."""
    seen: dict[str, list[str]] = {}
    for item_id in ids:
        seen.setdefault(leaves[item_id].text, []).append(item_id)
    return {text: found[0] for text, found in seen.items() if len(found) == 1}


def _section(checklist: Checklist, item_id: str) -> str:
    return checklist.path_to(item_id)[0].text


def _lost(result: Result, item_id: str) -> Decimal | None:
    return result.items[item_id].deducted if result.scored else None


def _note(session: Session, item_id: str) -> str:
    answer = session.answers.get(item_id)
    return answer.note if answer else ""


def _sections(old_list: Checklist, old_result: Result, new_list: Checklist, new_result: Result) -> tuple[SectionChange, ...]:
    """Sections by id, in the new version's order, then any the new version dropped."""
    rows = []
    old_ids = {s.id for s in old_list.sections}
    new_ids = {s.id for s in new_list.sections}
    for section in new_list.sections:
        before = section_score(old_list, old_result, section.id) if section.id in old_ids else None
        rows.append(SectionChange(section.id, section.text, before, section_score(new_list, new_result, section.id)))
    for section in old_list.sections:
        if section.id not in new_ids:
            rows.append(SectionChange(section.id, section.text, section_score(old_list, old_result, section.id), None))
    return tuple(rows)


__all__ = ["compare", "Comparison", "ItemChange", "SectionChange", "SectionScore", "CATEGORIES", "LABELS"]
