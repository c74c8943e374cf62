"""Where a command may write a file the user asked for with `-o`: the rules shared by export,
report, diff and bundle.

- A folder named with `-o` (or the folder of a file named with `-o`) must exist: a missing one is
  more often a typo than a wish, so it is named in one line (exit 2) and nothing is created.
- A file that exists is never replaced unless `--force` says so; without it, one line (exit 2).
- Only the default exports folder (~/Documents/inspect-tui) is created unasked.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..i18n import t
from .common import UsageError

def check_folder(folder: Path) -> None:
    """`folder` exists and is a folder, or one line naming it."""
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise UsageError(t("targets.not_folder", path=folder))
    raise UsageError(t("targets.no_folder", path=folder))


def check_file(path: Path, force: bool) -> None:
    """`path` may be written: its folder exists, and it does not exist unless `force`."""
    check_folder(path.parent if str(path.parent) else Path("."))
    if path.is_dir():
        return  # a folder target: the caller names it as such
    if os.path.lexists(path) and not force:
        raise UsageError(t("targets.exists", path=path))


def write_file(path: Path, data: bytes, force: bool) -> None:
    """Write `data` at `path` in one piece; an existing file only with `force` (a file that appears
    between the check and the write is not replaced either)."""
    from ..core.export import write_new

    check_file(path, force)
    try:
        write_new(path, data, replace=force)
    except FileExistsError:
        raise UsageError(t("targets.exists", path=path)) from None


def exports_folder(option: str | None) -> Path:
    """The exports folder for a command given no `-o`: the default one is created; one the user
    named (`--exports`, $INSPECT_TUI_EXPORTS) must exist, or one line naming it."""
    from ..core import paths

    try:
        return paths.ready_exports_dir(option)
    except NotADirectoryError:
        check_folder(paths.exports_dir(option))  # raises the one line that names it
        raise
    except OSError as exc:
        from ..store import StorageError
        from ..store.durable import os_reason

        raise StorageError(paths.exports_dir(option), f"cannot create the exports folder ({os_reason(exc)})",
                           errno=exc.errno) from None
