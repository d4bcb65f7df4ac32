"""One writer per archive: a lock file that the operating system releases when the process dies.

SQLite serialises writes itself, but the search index allows a single writer and the archive's
"record, then index" sequence must not interleave with another process's. The lock is ``filelock``'s
(flock on POSIX, ``msvcrt.locking`` on Windows): a killed ingest leaves no stale lock behind, so the next
run can always start. The lock file itself stays (deleting it would race with another process opening it).
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class WriteLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        # process-wide (not per thread), never a "soft" lock (a stale soft lock would outlive a crash)
        self._lock = FileLock(str(path), thread_local=False, fallback_to_soft=False, preserve_lock_file=True)

    def acquire(self) -> bool:
        """True when this process now holds the lock (re-entrant); False when another process holds it.

        Raises OSError (PermissionError, read-only file system) when the lock file cannot be opened."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
