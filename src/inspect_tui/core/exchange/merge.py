"""Merging two copies of one session (this laptop's and a bundle's) from their audit trails.

Why from the trails: a session's answers, facts and status are, by construction, the replay of its
audit trail: every edit appends (time, inspector, field, old, new) in the same save as the edit. Two
copies of a session carried to two laptops share the beginning of their trails; what each laptop
did afterwards is the entries only it has. Merging the trails and replaying the result gives one
session holding both laptops' work, and since the trail keeps every value ever entered, a conflict
costs no data: the losing value stays in the trail, and in the report.

The rule, precisely:

1. An entry is identified by (time, inspector, field, old, new). The merged trail is the multiset
   union of the two trails: an entry both copies have is kept once (twice if both have it twice).
2. Order: each trail keeps its own order; entries only one side has are interleaved with the other
   side's by time (as an instant, so time zones compare correctly), then inspector, then the
   entry's JSON text. The rule looks at content only, never at which side is "local", so both
   laptops build the same trail and end with the same session.
3. The merged answers, facts, rectification entries, status and notice fields are the replay of the merged trail: each field takes the
   `new` of its last entry. A field no entry touches keeps its value (both copies must agree).
4. A field that both sides edited after their common history, ending with different values, is a
   conflict. By rule 2 the later edit (time, then inspector) is replayed last and wins; both
   values, who and when are reported.
5. An item whose answer (or rectification entry) both sides edited after their common history, and whose merged answer is
   neither side's answer (say this laptop changed its state and the bundle its note), is listed
   too, as a conflict of the item: each field keeps its own later value, so both edits are kept,
   and the report says which fields came from which side, so that nobody trusts unseen a
   combination no inspector ever looked at. It changes nothing in the merged session.
6. Attachments are fields too, one per (item, file): `attachment:<item>/<sha256>`, whose value is
   the attachment's record (None once detached). So the attachments of an item merge as a set by
   hash: what either side attached is kept (the union). A file one side detached while the other
   kept it is replayed like any edit (the detach is the later edit) and listed as a conflict, so
   nobody loses a photo unseen: re-attaching it from the laptop that kept it is one command.

Plain JSON in, plain JSON out: no Textual, no TinyDB, nothing evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import MergeRefused
from ..session.model import IN_PROGRESS
from ...texts import Message
from ..session.checks import ANSWER_FIELDS, META_ID
from ..session.rectification import FIELDS as RECT_FIELDS

from .trail import (
    ANSWER_PREFIX, BUNDLE, CONFIRMED_PREFIX, FACT_PREFIX, LOCAL, META_FIELDS, RECORDS, RECT_PREFIX, STATUS, attachments, audit_trail,
    canon, check_consistent, is_attachment_field, replay, state, tracked,
)

THIS_LAPTOP = Message("err.side.local")
IN_BUNDLE = Message("err.side.bundle")


@dataclass(frozen=True)
class Edit:
    """One side's last edit of a field: the value it left, who made it and when."""

    value: Any
    inspector: str
    time: str


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed differently; `kept` is what the merged session holds."""

    field: str
    local: Edit
    bundle: Edit
    winner: str  # LOCAL or BUNDLE
    kind = "field"

    @property
    def kept(self) -> Edit:
        return self.local if self.winner == LOCAL else self.bundle

    @property
    def lost(self) -> Edit:
        return self.bundle if self.winner == LOCAL else self.local


@dataclass(frozen=True)
class ItemConflict:
    """An item both sides edited, merged field by field into an answer neither side had (rule 5).

    `local` and `bundle` hold, as their `value`, the fields (name -> value) the merged answer took
    from that side, and who made that side's last edit of the item, and when.
    """

    field: str  # "answer:<item id>"
    local: Edit
    bundle: Edit
    kind = "item"

    @property
    def item(self) -> str:
        """The item id of an answer; the whole field name of a rectification (says which record)."""
        return self.field[len(ANSWER_PREFIX):] if self.field.startswith(ANSWER_PREFIX) else self.field


@dataclass
class Merged:
    """The merged session as the tables of a session file, and what the merge did."""

    meta: dict[str, Any]
    facts: dict[str, Any]
    answers: dict[str, dict[str, Any]]
    trail: list[dict[str, Any]]
    taken: int  # entries the bundle brought that this laptop did not have
    conflicts: list[Conflict | ItemConflict] = field(default_factory=list)  # by field name
    rectifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    local_status: str = IN_PROGRESS
    bundle_status: str = IN_PROGRESS
    attachments: list[dict[str, Any]] = field(default_factory=list)  # the attachments table's documents


def _detach_conflicts(trail: list[dict[str, Any]], local_only: list[dict[str, Any]], bundle_only: list[dict[str, Any]],
                      l_values: dict[str, Any], b_values: dict[str, Any], merged: dict[str, Any]) -> list[Conflict]:
    """Files one side detached while the other side kept them (rule 6): one conflict each."""
    conflicts = []
    for detached, kept, side in ((local_only, b_values, LOCAL), (bundle_only, l_values, BUNDLE)):
        last = {e["field"]: e for e in detached if is_attachment_field(e["field"])}
        for name, entry in sorted(last.items()):
            if entry["new"] is not None or kept.get(name) is None or merged.get(name) is not None:
                continue
            added = next((e for e in reversed(trail) if e["field"] == name and e["new"] is not None), entry)
            gone, still = Edit(None, entry["inspector"], entry["time"]), Edit(kept[name], added["inspector"], added["time"])
            conflicts.append(Conflict(name, gone if side == LOCAL else still, still if side == LOCAL else gone, side))
    return conflicts




# -- merging -------------------------------------------------------------------------------------


def entry_key(entry: dict[str, Any]) -> str:
    return canon([entry["time"], entry["inspector"], entry["field"], entry["old"], entry["new"]])


def instant(stamp: str) -> tuple[int, float, str]:
    """A sortable instant; a stamp without a zone is read as UTC (the same on every laptop)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return (1, 0.0, str(stamp))  # unreadable stamps sort last, by their text
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return (0, when.timestamp(), "")


def _order(entry: dict[str, Any]) -> tuple[Any, ...]:
    return (instant(entry["time"]), entry["inspector"], entry_key(entry))


def _tokens(trail: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(key, n): the n-th occurrence of an entry in its trail, so repeats are matched one by one."""
    seen: Counter[str] = Counter()
    tokens = []
    for entry in trail:
        key = entry_key(entry)
        tokens.append((key, seen[key]))
        seen[key] += 1
    return tokens


def merge_trails(local: list[dict[str, Any]], bundle: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(merged trail, entries only local has, entries only the bundle has), by rules 1 and 2."""
    tl, tb = _tokens(local), _tokens(bundle)
    in_l, in_b = set(tl), set(tb)
    emitted: set[tuple[str, int]] = set()
    merged: list[dict[str, Any]] = []
    i = j = 0
    while True:
        while i < len(tl) and tl[i] in emitted:
            i += 1
        while j < len(tb) and tb[j] in emitted:
            j += 1
        if i == len(tl) and j == len(tb):
            break
        if j == len(tb) or (i < len(tl) and tl[i] == tb[j]):
            take_local = True
        elif i == len(tl):
            take_local = False
        elif (tl[i] in in_b) != (tb[j] in in_l):
            # one head is shared history the other side has not reached yet: its own entries go first
            take_local = tb[j] in in_l
        else:
            take_local = _order(local[i]) <= _order(bundle[j])
        if take_local:
            emitted.add(tl[i])
            merged.append(local[i])
        else:
            emitted.add(tb[j])
            merged.append(bundle[j])
    local_only = [e for e, tok in zip(local, tl) if tok not in in_b]
    bundle_only = [e for e, tok in zip(bundle, tb) if tok not in in_l]
    return merged, local_only, bundle_only


def merge(local: dict[str, Any], bundle: dict[str, Any]) -> Merged | None:
    """Merge a bundle's copy of a session into this laptop's; None when it brings nothing new.

    Both arguments are session-file tables ({meta, facts, answers, audit}) already checked for
    their shape and checklist. The result's meta still needs its summary recomputed.
    """
    l_trail, b_trail = audit_trail(local, THIS_LAPTOP), audit_trail(bundle, IN_BUNDLE)
    l_values, b_values = state(local), state(bundle)
    check_consistent(l_values, l_trail, THIS_LAPTOP)
    check_consistent(b_values, b_trail, IN_BUNDLE)
    trail, local_only, bundle_only = merge_trails(l_trail, b_trail)
    if not bundle_only:
        return None
    touched = {e["field"] for e in trail if tracked(e["field"])}
    base: dict[str, Any] = {}
    for name in sorted((set(l_values) | set(b_values)) - touched):
        if canon(l_values.get(name)) != canon(b_values.get(name)):
            raise MergeRefused("err.merge.untracked_difference", name=name)
        if l_values.get(name) is not None:
            base[name] = l_values[name]
    base.setdefault(STATUS, IN_PROGRESS)
    values = replay(trail, base)
    conflicts = _conflicts(local_only, bundle_only, l_values, b_values, values)
    conflicts = sorted(conflicts + _detach_conflicts(trail, local_only, bundle_only, l_values, b_values, values),
                       key=lambda c: c.field)
    l_meta, b_meta = local["meta"][str(META_ID)], bundle["meta"][str(META_ID)]
    meta = dict(l_meta)
    meta["status"] = values[STATUS]
    meta.update({name: values.get(name, default) for name, default in META_FIELDS.items()})
    confirmed = {name[len(CONFIRMED_PREFIX):]: v for name, v in sorted(values.items()) if name.startswith(CONFIRMED_PREFIX)}
    meta.pop("confirmed", None)
    if confirmed:  # a re-inspection's confirmations: fields of the trail like any other
        meta["confirmed"] = confirmed
    meta["updated"] = max(l_meta.get("updated", ""), b_meta.get("updated", ""), key=lambda s: (instant(s), s))
    # derived, not audited (core/session/signoff.py): the later amendment of the two copies
    amended = [m["amended_at"] for m in (l_meta, b_meta) if m.get("amended_at")]
    meta["amended_at"] = max(amended, key=lambda s: (instant(s), s)) if amended else ""
    meta["inspectors"] = list(dict.fromkeys([*l_meta.get("inspectors", []), *b_meta.get("inspectors", [])]))
    return Merged(
        meta=meta,
        facts={name[len(FACT_PREFIX):]: v for name, v in sorted(values.items()) if name.startswith(FACT_PREFIX)},
        answers=_answers(values, trail, local, bundle),
        rectifications=_answers(values, trail, local, bundle, RECT_PREFIX, "rectifications"),
        trail=trail,
        taken=len(bundle_only),
        conflicts=conflicts,
        local_status=l_values[STATUS],
        bundle_status=b_values[STATUS],
        attachments=attachments(values),
    )


def _conflicts(local_only: list[dict[str, Any]], bundle_only: list[dict[str, Any]], l_values: dict[str, Any],
               b_values: dict[str, Any], merged: dict[str, Any]) -> list[Conflict | ItemConflict]:
    """Fields both sides changed after their common history and left with different values (rule
    4), and items merged from both sides' fields (rule 5); sorted by field name."""
    last_l = {e["field"]: e for e in local_only if tracked(e["field"])}
    last_b = {e["field"]: e for e in bundle_only if tracked(e["field"])}
    conflicts = []
    for name in sorted(set(last_l) & set(last_b)):
        mine, theirs = l_values.get(name), b_values.get(name)
        if canon(mine) == canon(theirs):
            continue  # both laptops made the same change: nothing to choose
        if is_attachment_field(name) and mine is not None and theirs is not None:
            continue  # the same file attached on both laptops: kept once, whoever attached it last
        winner = LOCAL if canon(merged.get(name)) == canon(mine) else BUNDLE
        conflicts.append(Conflict(
            name,
            Edit(mine, last_l[name]["inspector"], last_l[name]["time"]),
            Edit(theirs, last_b[name]["inspector"], last_b[name]["time"]),
            winner,
        ))
    return sorted(conflicts + _item_conflicts(last_l, last_b, l_values, b_values, merged), key=lambda c: c.field)


def _item_of(name: str) -> str | None:
    """The record a per-item field belongs to, named with its prefix ("answer:1.2", "rectification.1.2")."""
    for prefix, _ in RECORDS:
        if name.startswith(prefix):
            return prefix + name[len(prefix):].rpartition(".")[0]
    return None


def _item_conflicts(last_l: dict[str, dict[str, Any]], last_b: dict[str, dict[str, Any]], l_values: dict[str, Any],
                    b_values: dict[str, Any], merged: dict[str, Any]) -> list[ItemConflict]:
    """Items both sides edited whose merged answer is neither side's answer (rule 5).

    `last_l` and `last_b` are each side's last entry per field after the common history. Every
    merged field holds one side's value (it is the `new` of one side's last entry), so an answer
    that is neither side's took at least one field from each side: those are listed.
    """
    def last_by_item(last: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for name, entry in last.items():
            item = _item_of(name)
            if item is not None and (item not in out or _order(entry) > _order(out[item])):
                out[item] = entry
        return out

    by_l, by_b = last_by_item(last_l), last_by_item(last_b)
    conflicts = []
    for item in sorted(set(by_l) & set(by_b)):
        keys = ANSWER_FIELDS if item.startswith(ANSWER_PREFIX) else RECT_FIELDS
        names = [f"{item}.{key}" for key in keys]
        from_l = {n: merged.get(n) for n in names if canon(merged.get(n)) != canon(b_values.get(n))}
        from_b = {n: merged.get(n) for n in names if canon(merged.get(n)) != canon(l_values.get(n))}
        if not (from_l and from_b):
            continue  # the merged answer is one side's own: a same-field conflict says the rest
        conflicts.append(ItemConflict(
            item,
            Edit({n.rpartition(".")[2]: v for n, v in from_l.items()}, by_l[item]["inspector"], by_l[item]["time"]),
            Edit({n.rpartition(".")[2]: v for n, v in from_b.items()}, by_b[item]["inspector"], by_b[item]["time"]),
        ))
    return conflicts


def _answers(values: dict[str, Any], trail: list[dict[str, Any]], local: dict[str, Any],
             bundle: dict[str, Any], prefix: str = ANSWER_PREFIX, table: str = "answers") -> dict[str, dict[str, Any]]:
    """Answer (or rectification) documents from the replayed fields; `changed_at` is the item's
    last entry's time."""
    changed: dict[str, str] = {}
    for entry in trail:
        if entry["field"].startswith(prefix):
            changed[entry["field"][len(prefix):].rpartition(".")[0]] = entry["time"]
    for copy in (local, bundle):  # an item no entry touches keeps its stamp (both copies agree)
        for doc in copy.get(table, {}).values():
            if doc.get("changed_at") and doc["item"] not in changed:
                changed[doc["item"]] = doc["changed_at"]
    answers: dict[str, dict[str, Any]] = {}
    for name, value in sorted(values.items()):
        if name.startswith(prefix):
            item, _, key = name[len(prefix):].rpartition(".")
            answers.setdefault(item, {})[key] = value
    for item, doc in answers.items():
        if item in changed:
            doc["changed_at"] = changed[item]
    return answers


__all__ = [
    "Conflict", "Edit", "ItemConflict", "Merged", "MergeRefused", "audit_trail", "canon", "check_consistent", "merge", "merge_trails",
    "replay", "state",
]
