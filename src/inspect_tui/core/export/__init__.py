"""Exporting findings. `export_session(session, fmt, target)` writes one file and returns its path.

With a folder as `target`, the file is named from the branch and date, made safe for every OS,
and never overwrites an existing file (a number is added instead).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from ..session import Session
from .model import Summary, build_summary

FORMATS = ("md",)
WHATS = ("summary", "rectification")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(text: str, max_length: int = 80) -> str:
    """A file name from user text, safe on Windows, macOS and Linux (Chinese kept)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if (ch.isprintable() and ch not in '<>:"/\\|?*') else "_" for ch in text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"_+", "_", text).strip("_") or "inspection"
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text[:max_length].rstrip(" .")


def default_name(session: Session, what: str, fmt: str) -> str:
    label = "整改通知书" if what == "rectification" else "检查汇总"
    return f"{safe_filename(session.branch.name)}_{session.date.isoformat()}_{label}.{fmt}"


def unused_path(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext` … whichever does not exist yet."""
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def render(summary: Summary, fmt: str, what: str = "summary") -> bytes:
    if fmt == "md":
        from .markdown import render_rectification, render_summary

        text = render_rectification(summary) if what == "rectification" else render_summary(summary)
        return text.encode("utf-8")
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def export_session(session: Session, fmt: str, target: Path, what: str = "summary") -> Path:
    """Write the export; `target` is a folder (a safe, unused name is chosen) or a file path."""
    data = render(build_summary(session), fmt, what)
    path = unused_path(target / default_name(session, what, fmt)) if target.is_dir() else target
    write_new(path, data)
    return path


def write_new(path: Path, data: bytes) -> None:
    """Write a whole file at once (temp file + replace), so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
