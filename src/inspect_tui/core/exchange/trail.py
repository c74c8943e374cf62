"""One copy of a session read as its audit trail: the entries, checked (what is tracked, in order,
consistent with the stored values), and the state they replay to. The merge (merge.py) compares
two copies this way — a laptop's and a bundle's or the server's.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import MergeRefused
from ..session.model import IN_PROGRESS
from ..session.attachments import SHA_RE
from ...texts import Message
from ..session.checks import ANSWER_FIELDS, META_ID
from ..session.rectification import FIELDS as RECT_FIELDS, NOTICE_DAYS
from ..session.carried import CONFIRMED_PREFIX  # confirmed.<item>: a re-inspection's confirmation of a carried one
from ..session.signoff import REOPENED, SIGNOFF_FIELDS

ANSWER_PREFIX = "answer:"
ATTACHMENT_PREFIX = "attachment:"  # as core/session/attachments.py names the field
FACT_PREFIX = "fact:"
RECT_PREFIX = "rectification."  # rectification.<item>.<field>: what was entered for an item's 整改
NOTICE_FIELDS = {"notice_days": NOTICE_DAYS, "notice_date": "", "issuer": ""}  # meta fields, and their defaults
META_FIELDS = {**NOTICE_FIELDS, **SIGNOFF_FIELDS}  # the meta fields the trail replays (the sign-off's too)
RECORDS = ((ANSWER_PREFIX, ANSWER_FIELDS), (RECT_PREFIX, RECT_FIELDS))  # per-item records, merged per field
STATUS = "status"
CREATED = "created"
ENTRY_KEYS = frozenset({"time", "inspector", "field", "old", "new"})
LOCAL, BUNDLE = "local", "bundle"


# The two sides of a merge, as the errors name them.


def canon(value: Any) -> str:
    """JSON text that compares exactly (1 and True and 1.0 stay different, unlike Python's ==).
    Text, None and whole numbers (most audited values, a pull checks 200 per session) are spelled
    directly, as json.dumps spells them; anything else goes through it."""
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if value is None or kind is bool:
        return _CONSTANTS[value]
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_quoted = json.encoder.encode_basestring  # json.dumps(text, ensure_ascii=False) without the rest of it
_CONSTANTS = {None: "null", True: "true", False: "false"}


def audit_trail(data: dict[str, Any], side: Message | str) -> list[dict[str, Any]]:
    """The audit entries of a session file in the order appended, each checked for its shape."""
    entries = []
    for doc_id, doc in sorted(data.get("audit", {}).items(), key=lambda kv: _doc_number(kv[0], side)):
        if not isinstance(doc, dict) or set(doc) != ENTRY_KEYS or not all(
            isinstance(doc[k], str) for k in ("time", "inspector", "field")
        ):
            raise MergeRefused("err.merge.malformed", side=side, id=doc_id)
        tracked(doc["field"], side)
        entries.append(dict(doc))
    return entries


def _doc_number(doc_id: str, side: Message | str) -> int:
    if not (isinstance(doc_id, str) and doc_id.isdigit() and len(doc_id) <= 9):
        raise MergeRefused("err.merge.bad_id", side=side, id=repr(doc_id))
    return int(doc_id)


def tracked(name: str, side: Message | str = "") -> bool:
    """Whether an audit field is replayed into the session (False: 'created', a record only).

    An unknown field (written by a newer version, say) refuses the merge rather than being
    carried along unreplayed, which would drop whatever it changed. The answer for a name is
    remembered (a pull asks it for 200 entries a session, of the same few hundred names); a
    refusal is not, so it is raised, with its side, every time.
    """
    known = _TRACKED.get(name)
    if known is None:
        known = _tracked(name, side)
        if len(_TRACKED) < 50_000:  # bounded: names are items' ids and keys, a few thousand in all
            _TRACKED[name] = known
    return known


_TRACKED: dict[str, bool] = {}


def _tracked(name: str, side: Message | str) -> bool:
    if name in (CREATED, REOPENED):
        return False
    if name == STATUS or name in META_FIELDS or (name.startswith(FACT_PREFIX) and len(name) > len(FACT_PREFIX)):
        return True
    if is_attachment_field(name) or (name.startswith(CONFIRMED_PREFIX) and len(name) > len(CONFIRMED_PREFIX)):
        return True
    for prefix, keys in RECORDS:
        if name.startswith(prefix):
            item, _, key = name[len(prefix):].rpartition(".")
            if item and key in keys:
                return True
    raise MergeRefused("err.merge.unknown_field", side=side, name=repr(name))


def state(data: dict[str, Any]) -> dict[str, Any]:
    """The replayable values of a session file, keyed by audit field name (absent = None)."""
    meta = data["meta"][str(META_ID)]
    values: dict[str, Any] = {STATUS: meta.get("status", IN_PROGRESS)}
    # a notice field at its default is absent, as an unset answer field is: a file written
    # before these fields and one written after agree until someone sets one
    values.update({name: meta[name] for name in META_FIELDS if _present(name, meta.get(name)) is not None})
    for doc in data.get("facts", {}).values():
        if doc.get("value") is not None:
            values[FACT_PREFIX + doc["fact"]] = doc["value"]
    for (prefix, keys), table in zip(RECORDS, ("answers", "rectifications")):
        for doc in data.get(table, {}).values():
            for key in keys:
                if doc.get(key) is not None:
                    values[f"{prefix}{doc['item']}.{key}"] = doc[key]
    confirmed = meta.get("confirmed")
    for item, doc in (confirmed.items() if isinstance(confirmed, dict) else ()):
        values[CONFIRMED_PREFIX + item] = doc
    for doc in data.get("attachments", {}).values():
        values[f"{ATTACHMENT_PREFIX}{doc['item']}/{doc['sha256']}"] = dict(doc)
    return values


def is_attachment_field(name: str) -> bool:
    item, _, sha = name[len(ATTACHMENT_PREFIX):].rpartition("/")
    return name.startswith(ATTACHMENT_PREFIX) and bool(item) and SHA_RE.match(sha) is not None


def attachments(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The attachment records of replayed values, by item then time attached (rule 6)."""
    docs = [v for name, v in values.items() if name.startswith(ATTACHMENT_PREFIX) and isinstance(v, dict)]
    return sorted(docs, key=lambda d: (str(d.get("item")), str(d.get("added")), str(d.get("sha256"))))


def _present(name: str, value: Any) -> Any:
    """`value` as the state holds it: None for a notice field at its default."""
    if name in META_FIELDS and canon(value) == canon(META_FIELDS[name]):
        return None
    return value


def replay(trail: list[dict[str, Any]], base: dict[str, Any]) -> dict[str, Any]:
    """Apply each entry's `new` in order to `base`: the values the trail leaves behind."""
    values = dict(base)
    for entry in trail:
        if tracked(entry["field"]):
            if _present(entry["field"], entry["new"]) is None:
                values.pop(entry["field"], None)
            else:
                values[entry["field"]] = entry["new"]
    return values


def check_consistent(values: dict[str, Any], trail: list[dict[str, Any]], side: Message | str) -> None:
    """A copy whose data is not what its own trail says cannot be merged from trails: refuse it."""
    last: dict[str, Any] = {}
    for entry in trail:
        if tracked(entry["field"]):
            last[entry["field"]] = _present(entry["field"], entry["new"])
    for name, value in last.items():
        if canon(values.get(name)) != canon(value):
            raise MergeRefused("err.merge.inconsistent", side=side, name=name)
