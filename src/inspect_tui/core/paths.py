"""Every folder inspect-tui reads or writes, decided in one place.

Defaults come from the platform's user data folder (platformdirs); a command-line option or an
environment variable overrides each, so tests and scripted batches never touch a real user's data.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "inspect-tui"
SESSIONS_ENV = "INSPECT_TUI_SESSIONS"
CHECKLISTS_ENV = "INSPECT_TUI_CHECKLISTS"
CONFIG_ENV = "INSPECT_TUI_CONFIG"
EXPORTS_ENV = "INSPECT_TUI_EXPORTS"


def user_data_dir() -> Path:
    from platformdirs import user_data_path  # small, but only needed when a path is asked for

    return user_data_path(APP_NAME, appauthor=False)


def sessions_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Where sessions live: `--sessions DIR`, else $INSPECT_TUI_SESSIONS, else the user data folder."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(SESSIONS_ENV):
        return Path(os.environ[SESSIONS_ENV]).expanduser()
    return user_data_dir() / "sessions"


def exports_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Where exports go: `--exports DIR`, else $INSPECT_TUI_EXPORTS, else `inspect-tui` in the
    platform's documents folder (~/Documents/inspect-tui) — never the folder the app was started
    from, which the inspector would have to go looking for."""
    if option:
        return Path(option).expanduser()
    if os.environ.get(EXPORTS_ENV):
        return Path(os.environ[EXPORTS_ENV]).expanduser()
    return default_exports_dir()


def default_exports_dir() -> Path:
    from platformdirs import user_documents_path

    return user_documents_path() / APP_NAME


def exports_dir_is_default(option: str | os.PathLike[str] | None = None) -> bool:
    """True when no one named the exports folder: only then may it be created unasked (a folder
    the user named but that does not exist is more likely a typo than a wish)."""
    return not option and not os.environ.get(EXPORTS_ENV)


def ready_exports_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The exports folder, ready to write into: the default one is created if missing; one the
    user named must exist (NotADirectoryError naming it otherwise — never created for a typo)."""
    folder = exports_dir(option)
    if exports_dir_is_default(option):
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise NotADirectoryError(f"导出文件夹不存在或不是文件夹: {folder} (the exports folder is missing or not a folder: {folder})")
    return folder


def user_checklists_dir() -> Path:
    """The inspector's own checklists: $INSPECT_TUI_CHECKLISTS, else `checklists` in the data folder."""
    if os.environ.get(CHECKLISTS_ENV):
        return Path(os.environ[CHECKLISTS_ENV]).expanduser()
    return user_data_dir() / "checklists"


def config_file() -> Path:
    """The user's settings (remembered names and the like): $INSPECT_TUI_CONFIG, else
    `config.json` in the platform's user config folder. Never a session's business."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.json"


def bundled_checklists_dir() -> Path:
    """The standards shipped with the package (or, in a source checkout, the repo's checklists/)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "checklists"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "checklists"
