"""The user's settings, kept in the user config folder (not in any session): the inspectors'
names last used, so the new-inspection dialog offers them instead of the login name.

A small JSON file written atomically; a damaged or unreadable one is treated as empty (it holds
conveniences, never a record). No password or secret is ever stored here.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .paths import config_file

MAX_NAMES = 10
MAX_NAME = 100


def load() -> dict[str, Any]:
    try:
        with open(config_file(), "rb") as handle:
            data = json.loads(handle.read(64 * 1024))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(data: dict[str, Any]) -> None:
    """Write the settings atomically, owner-only; an error is left to the caller to report."""
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".config.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def recent_inspectors() -> list[str]:
    """The names entered for the last inspection, in order (empty when none were remembered)."""
    names = load().get("recent_inspectors", [])
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and n.strip() and len(n) <= MAX_NAME][:MAX_NAMES]


def remember_inspectors(names: list[str]) -> None:
    """Keep these names for the next new inspection. Best effort: a read-only config folder
    loses a convenience, not a record, so it is not an error."""
    data = load()
    data["recent_inspectors"] = [n for n in names if n.strip()][:MAX_NAMES]
    try:
        save(data)
    except OSError:
        pass
