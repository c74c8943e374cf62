"""What a stored session must look like before anything is built from it: the meta record's types
and texts, its list entry (the Summary), the tables' shapes. A file that fails is damaged
(DamagedFileError, one line naming it and what is wrong), never an internal error; a bundle's
sessions are checked the same way (exchange/importing.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ...store import DamagedFileError
from .rectification import MAX_DAYS, NOTICE_DAYS
from .model import FINISHED, IN_PROGRESS, SCHEMA_VERSION, SUMMARY_FIELDS, SUMMARY_REQUIRED
from ..text import TextError, check as check_text

META_ID = 1
TABLES = ("meta", "facts", "answers", "audit", "rectifications", "attachments")  # a session file's TinyDB tables
MAX_DOCS = 200_000  # per table of one session
ANSWER_FIELDS = ("state", "count", "note", "evidence", "override")


def summary_problem(summary: dict[str, Any]) -> str | None:
    """Why a stored summary (a list entry in the index) cannot be a `Summary`, or None."""
    try:
        check_summary(Path("index"), summary, summary.get("id", ""))
    except DamagedFileError as exc:
        return exc.reason
    return None


def check_meta(path: Path, meta: Any) -> None:
    if not isinstance(meta, dict):
        raise DamagedFileError(path, "not a session file (no meta record)")
    schema = meta.get("schema")
    if schema != SCHEMA_VERSION:
        raise DamagedFileError(path, f"unsupported session schema version {schema!r} (this version reads {SCHEMA_VERSION})")
    check_texts(path, meta)
    if isinstance(meta.get("summary"), dict):
        check_texts(path, meta["summary"], "summary.")


# The text fields of a session's meta record (and of its summary) and the gate's kind for each
# (core/text.py): a file or a bundle whose text would not pass the gate when typed is damage,
# quarantined or refused like any other — an old file, or one edited by hand, cannot smuggle an
# escape sequence into a list or an export. (The frozen checklist is gated by the loader.)
TEXT_FIELDS = {
    "id": "line", "branch": "name", "unit": "name", "place": "name", "date": "line", "status": "line",
    "checklist_id": "line", "checklist_version": "line", "checklist_title": "standard", "created": "line",
    "updated": "line", "previous": "line", "grade": "line", "notice_date": "line", "issuer": "name",
    "received_by": "name", "signed_at": "line", "reviewed_by": "name", "reviewed_at": "line", "review_comment": "note",
    "amended_at": "line",
}


def check_texts(path: Path, record: dict[str, Any], prefix: str = "") -> None:
    """DamagedFileError naming the first text field of `record` that fails the gate (a field of
    the wrong type is left to the type checks, which name it)."""
    fields = [(key, record.get(key), kind) for key, kind in TEXT_FIELDS.items()]
    for list_field in ("inspectors", "signers"):
        names = record.get(list_field)
        if isinstance(names, list):
            fields += [(f"{list_field}[{n}]", name, "name") for n, name in enumerate(names)]
    for key, value, kind in fields:
        if not isinstance(value, str):
            continue
        try:
            check_text(value, kind)
        except TextError as exc:
            raise DamagedFileError(path, f"bad text in {prefix}{key}: {exc}") from None


SESSION_ID = re.compile(r"^[0-9a-f]{12}$")  # as the repository names its files
META_TEXT = ("id", "branch", "date", "checklist_source", "checklist_id", "checklist_version", "created", "updated")


def file_id(path: Path) -> str | None:
    """The session id a stored file's name promises (`3f9a2c1b7d4e.json`)."""
    return path.name[: -len(".json")] if path.name.endswith(".json") else None


def check_fields(path: Path, meta: dict[str, Any], file_id: str | None = None) -> None:
    """The meta record's fields have the types and values a session has (DamagedFileError
    naming them otherwise), so that a hand-edited or hostile file is quarantined when it is read,
    not half-printed before a KeyError. `file_id`: the id its file name promises (a bundle has
    none); an id with path characters could send a write elsewhere."""
    wrong = [k for k in META_TEXT if not isinstance(meta.get(k), str)]
    wrong += [k for k in ("unit", "place", "previous", "issuer", "notice_date", "received_by", "signed_at", "reviewed_by",
                          "reviewed_at", "review_comment", "amended_at") if not isinstance(meta.get(k, ""), str)]
    days = meta.get("notice_days", NOTICE_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS:
        wrong.append("notice_days")
    if isinstance(meta.get("notice_date"), str) and meta["notice_date"] and not _is_date(meta["notice_date"]):
        wrong.append("notice_date")
    if meta.get("status", IN_PROGRESS) not in (IN_PROGRESS, FINISHED):
        wrong.append("status")
    for list_field in ("inspectors", "signers"):
        names = meta.get(list_field, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            wrong.append(list_field)
    position = meta.get("position", {})
    if not isinstance(position, dict) or set(position) - {"item", "filter"} or not all(isinstance(v, str) for v in position.values()):
        wrong.append("position")
    if isinstance(meta.get("id"), str) and not SESSION_ID.match(meta["id"]):
        wrong.append("id")
    if wrong:
        raise DamagedFileError(path, f"bad meta fields: {', '.join(wrong)}")
    if file_id is not None and meta["id"] != file_id:
        raise DamagedFileError(path, f"its id {meta['id']} is not the one in its file name")


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_SUMMARY_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "branch": (str,), "unit": (str,), "checklist_id": (str,), "checklist_title": (str,),
    "checklist_version": (str,), "date": (str,), "status": (str,), "updated": (str,), "answered": (int,),
    "leaves": (int,), "total": (int, float, type(None)), "max": (int, float, type(None)),
    "percent": (int, float, type(None)), "grade": (str,), "scored": (bool,), "inspectors": (list,),
    "open_points": (int, float, type(None)),
}


_SUMMARY_FIELDS = frozenset(SUMMARY_FIELDS)
_SUMMARY_REQUIRED = SUMMARY_REQUIRED


def check_summary(path: Path, summary: dict[str, Any], session_id: str) -> None:
    """The list entry stored in the file fits `Summary` (the list builds one from it)."""
    wrong = sorted(set(summary) - _SUMMARY_FIELDS)
    wrong += [k for k, types in _SUMMARY_TYPES.items()
              if k in summary and (not isinstance(summary[k], types) or (isinstance(summary[k], bool) and bool not in types))]
    wrong += [k for k in _SUMMARY_REQUIRED if k not in summary]
    if summary.get("status") not in (IN_PROGRESS, FINISHED):
        wrong.append("status")
    names = summary.get("inspectors", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        wrong.append("inspectors")  # a number there is damage, not an internal error
    if summary.get("id") != session_id:
        wrong.append("id")
    # numbers from a file: bounded like every number from outside (10**400 is an int JSON reads)
    wrong += [k for k in ("total", "max", "percent", "open_points")
              if isinstance(summary.get(k), (int, float)) and not abs(summary[k]) < 1e12]
    if wrong:
        raise DamagedFileError(path, f"bad summary fields: {', '.join(dict.fromkeys(wrong))}")


def check_tables(data: dict[str, Any]) -> str | None:
    """Why session-file tables are malformed, or None: the shapes TinyDB and the merge rely on."""
    if set(data) - set(TABLES) or "meta" not in data:
        return "not session file tables"
    for table in TABLES:
        docs = data.get(table, {})
        if not isinstance(docs, dict) or len(docs) > MAX_DOCS:
            return f"table {table} is not a table of at most {MAX_DOCS} documents"
        for doc_id, doc in docs.items():
            # isascii: "²".isdigit() is true, and int("²") fails
            if not (doc_id.isascii() and doc_id.isdigit() and len(doc_id) <= 9 and isinstance(doc, dict)):
                return f"bad document {table}/{doc_id[:20]}"
    if set(data["meta"]) != {str(META_ID)}:
        return "no single meta record"
    if not all(isinstance(d.get("fact"), str) and "value" in d for d in data.get("facts", {}).values()):
        return "a fact without its id or value"
    if not all(isinstance(d.get("item"), str) for d in data.get("answers", {}).values()):
        return "an answer without its item"
    if not all(isinstance(d.get("item"), str) and isinstance(d.get("sha256"), str)
               for d in data.get("attachments", {}).values()):
        return "an attachment without its item or sha256"
    items = [d.get("item") for d in data.get("rectifications", {}).values()]
    if not all(isinstance(i, str) for i in items) or len(set(items)) != len(items):
        return "a rectification without its item, or two for one item"
    return None
