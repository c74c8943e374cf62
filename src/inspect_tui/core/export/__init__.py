"""Exporting findings. `export_session(session, fmt, target)` writes one file and returns its path.

Every format is drawn from the one `Summary` model (`build_summary`); `render(summary, fmt, what)`
returns the file's bytes. Each format lives in its own module, imported only when that format is
asked for, so the heavy libraries (openpyxl, python-docx) cost nothing to anyone who does not use
them. With a folder as `target`, the file is named from the branch and date, made safe for every
OS, and never overwrites an existing file (a number is added instead).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import unicodedata
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ...texts import words
from ..session.model import Session
from ..text import shown_all
from .model import Summary, build_summary

if TYPE_CHECKING:
    from ..analysis.selfcheck import SelfCheck

# format → the module that renders it (each has `render(summary, what) -> bytes`)
_MODULES = {"md": "markdown", "csv": "csv_", "json": "json_", "xlsx": "xlsx", "docx": "docx", "html": "html"}
FORMATS = tuple(_MODULES)
WHATS = ("summary", "rectification")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(text: str, max_length: int = 80, max_bytes: int = 150) -> str:
    """A file name from user text, safe on Windows, macOS and Linux (Chinese kept).

    Path separators, `..`, the characters Windows forbids and control characters cannot survive;
    a Chinese character is three bytes in UTF-8, so the length is capped in bytes as well as in
    characters (80 Chinese characters are already 240 of the 255 bytes most file systems allow,
    and the date, the label, a "-2" and the temporary ".NAME.partial-PID" must fit as well)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if (ch.isprintable() and ch not in '<>:"/\\|?*') else "_" for ch in text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"_+", "_", text).strip("_") or "inspection"
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    text = text[:max_length]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip(" .") or "inspection"


def default_name(session: Session, what: str, fmt: str, lang: str = "zh") -> str:
    return name_for(session.branch.name, session.date.isoformat(), what, fmt, lang)


def name_for(branch: str, date: str, what: str, fmt: str, lang: str = "zh") -> str:
    """`幸福社区第一网格党支部_2026-06-15_检查汇总.xlsx`: the branch, the date and what it is
    (`…_summary.xlsx`, `…_rectification.xlsx`, `…_ledger.xlsx` in English)."""
    w = words(lang)
    label = {"rectification": w("doc.file.notice"), "ledger": w("ledger.file")}.get(what) or w("doc.file.summary")
    return f"{safe_filename(branch)}_{safe_filename(date)}_{label}.{fmt}"


def _candidates(path: Path) -> Iterator[Path]:
    yield path
    for number in range(2, 10_000):
        yield path.with_name(f"{path.stem}-{number}{path.suffix}")


def unused_path(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … whichever does not exist yet (a dangling link
    counts as existing: writing there would follow it)."""
    for candidate in _candidates(path):
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(path)


def render(summary: Summary, fmt: str, what: str = "summary", lang: str = "zh") -> bytes:
    """The file's bytes: `fmt` one of FORMATS, `what` "summary" or "rectification" (整改), `lang`
    the language of the document's own words ("zh" or "en"; the standard's text stays as written)."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if what not in WHATS:
        raise ValueError(f"unknown document {what!r} (known: {', '.join(WHATS)})")
    # the one escape for every format: a control, bidi control or lone surrogate that slipped
    # past the gate (an old session file, a hand-edited bundle) is drawn as \xNN / \uNNNN
    return import_module(f"{__name__}.{_MODULES[fmt]}").render(shown_all(summary), what, lang)


def export_session(session: Session, fmt: str, target: Path, what: str = "summary",
                   selfcheck: "SelfCheck | None" = None, lang: str = "zh", files: Path | None = None) -> Path:
    """Write the export; `target` is a folder (a safe, unused name is chosen) or a file path
    (replaced if it exists: the caller named it). With `selfcheck` (the branch's self-assessment,
    see `selfcheck.load`) the summary shows it beside the inspection (自查与检查对照)."""
    data = render(build_summary(session, selfcheck=selfcheck, files=files), fmt, what, lang)  # files: the photos
    if target.is_dir():
        return write_unused(target / default_name(session, what, fmt, lang), data)
    write_new(target, data)
    return target


def write_unused(path: Path, data: bytes) -> Path:
    """Write `data` at `path` or the first `name-N.ext` free, never replacing a file, even one
    that appears between the check and the write; returns where it went."""
    for candidate in _candidates(path):
        if os.path.lexists(candidate):
            continue
        try:
            write_new(candidate, data, replace=False)
        except FileExistsError:
            continue  # someone took the name in the meantime: the next number
        return candidate
    raise FileExistsError(path)


def write_new(path: Path, data: bytes, replace: bool = True) -> None:
    """Write a whole file at once (temp file, fsync, then rename), so a reader never sees half
    of it. With `replace=False` an existing file is never replaced: FileExistsError instead."""
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}-{secrets.token_hex(3)}")  # per writer
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if that name is free (a hard link cannot replace)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # not FileExistsError
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # a file system without hard links (FAT, some network shares): check, then rename
        if path.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        os.replace(tmp, path)
