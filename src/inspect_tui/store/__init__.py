"""Storage layer under the session repository: crash-safe files and locks.

Standard library + TinyDB only (no UI imports), so the core can be used and
tested headless.
"""

from .durable import DamagedFileError, DurableJSONStorage, StorageError, clean_temp_files
from .lock import SessionLock
from .lock_info import LockedError, LockInfo, read_lock

__all__ = [
    "DamagedFileError",
    "DurableJSONStorage",
    "LockInfo",
    "LockedError",
    "SessionLock",
    "StorageError",
    "clean_temp_files",
    "read_lock",
]
