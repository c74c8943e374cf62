"""One gate for text coming in, one escape for text going out.

Every piece of text from outside — checklist files, facts, notes, names, evidence paths, session
files, bundles, answers files, command-line arguments, what is typed into the app — is checked by
`check` (refused, with the reason, for files and arguments) or cleaned by `clean` (removed as it
is typed, in the app). What no record needs and a terminal or a document would misread:

- C0 controls (below U+0020) but tab and, where the field is multi-line, newline; DEL; C1 controls
  (U+0080–U+009F); ESC is among the C0 controls (a terminal takes it as a command);
- bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text display
  in another order than it is stored (a branch name that reads differently than it sorts);
- lone surrogates (undecodable bytes smuggled through the file system or argv) and non-characters
  (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF).

Lengths are bounded per kind of field (`LIMITS`). `shown` is the one escape every output uses for
what remains (it makes any control visible as \\xNN, so even text that bypassed the gate cannot
reach a terminal or a document raw).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..texts import Message
from .errors import TextError

LIMITS = {
    "name": 100,  # branch, unit, inspector, place, person
    "line": 500,  # a reason, a report line, a fact's text value
    "note": 10_000,  # a note, the branch's report of what it did
    "path": 1_000,  # an evidence path
    "standard": 5_000,  # a checklist's texts (item text, guidance, clause, labels)
}

# Refused everywhere; \n is refused too unless the field is multi-line (below).
_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ud800-\udfff"
    "\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe"
    "\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff"
    "\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
_NEWLINE = re.compile("[\n\r]")


def _describe(char: str) -> Message:
    """The character refused, named (texts/core.py: err.char.*)."""
    code = ord(char)
    if char in "\n\r":
        return Message("err.char.newline")
    if code == 0x1B:
        return Message("err.char.esc")
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return Message("err.char.bidi", {"code": f"{code:04X}"})
    if 0xD800 <= code <= 0xDFFF:
        return Message("err.char.surrogate", {"code": f"{code:04X}"})
    return Message("err.char.control", {"code": f"{code:04X}"})


def check(value: str, kind: str = "line", multiline: bool = False) -> str:
    """`value` if it may be stored as a field of `kind`; TextError saying why not."""
    if not isinstance(value, str):
        raise TextError("err.text.not_text")
    bad = _BAD.search(value) or (None if multiline else _NEWLINE.search(value))
    if bad is not None:
        at = bad.start() + 1
        raise TextError("err.text.bad_char", column=at, char=_describe(bad.group()), at=at)
    limit = LIMITS[kind]
    if len(value) > limit:
        raise TextError("err.text.too_long", length=len(value), limit=limit)
    return value


def clean(value: str, multiline: bool = False) -> str:
    """What is typed, with the characters the gate refuses removed (the app's inputs)."""
    cleaned = _BAD.sub("", value)
    return cleaned if multiline else _NEWLINE.sub(" ", cleaned)


def is_clean(value: str, multiline: bool = False) -> bool:
    return _BAD.search(value) is None and (multiline or _NEWLINE.search(value) is None)


_SHOW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(value: object, multiline: bool = True) -> str:
    """The one escape for output: any control, bidi control or lone surrogate made visible as
    \\xNN / \\uNNNN, so nothing reaches a terminal or a document raw (tabs and, where allowed,
    newlines stay). A carriage return is a line break in a multi-line field (a note pasted from
    Windows) but, alone, moves a terminal's cursor back over what was printed: it becomes \n."""
    text = value if isinstance(value, str) else str(value)
    if multiline and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = _SHOW.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
    return out if multiline else out.replace("\r", "\\r").replace("\n", " ")


def needs_shown(value: str) -> bool:
    """Whether `shown` would change `value` (newlines aside): the fast path of `shown_all`."""
    return _SHOW.search(value) is not None


def shown_all(value: Any) -> Any:
    """`value` with `shown` applied to every string inside it — dataclasses (rebuilt with
    `dataclasses.replace`), tuples, lists and dicts (keys too), at any depth. Every renderer
    of a model (exports, reports, JSON on the terminal) draws what this returns, so one walk at
    its entry is the escape for everything it prints. Clean text comes back as the same object:
    the walk costs nothing for the text that passed the gate."""
    if isinstance(value, str):
        return shown(value) if needs_shown(value) else value
    if isinstance(value, (int, float, Decimal, dt.date, type(None))):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = shown_all(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, (tuple, list)):
        items = [shown_all(v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        return type(value)(items) if not hasattr(value, "_fields") else type(value)(*items)
    if isinstance(value, dict):
        pairs = [(shown_all(k), shown_all(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items())):
            return value
        return type(value)(pairs) if type(value) is dict else dict(pairs)
    return value
