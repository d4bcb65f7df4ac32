"""One writer per archive: an advisory lock file that the kernel releases when the process dies.

SQLite serialises writes itself, but the search index allows a single writer and the archive's
"record, then index" sequence must not interleave with another process's. A killed ingest leaves no
stale lock behind (flock is released with the process), so the next run can always start.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class WriteLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0

    def acquire(self) -> bool:
        """True when this process now holds the lock (re-entrant)."""
        if self._fd is not None:
            self._depth += 1
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        self._depth = 1
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth == 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
