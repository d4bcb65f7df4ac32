"""Give freed memory back to the system after a huge text, so the next stage starts low.

Parsing a 50 MB line makes millions of small objects; once freed, glibc keeps their pages in its heap and
the process's resident size stays at its high-water mark while tantivy and SQLite take theirs on top.
``malloc_trim`` returns the free pages. A no-op where glibc is not the C library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # musl has no malloc_trim
        return None


def trim_memory() -> None:
    """Return the C heap's free pages to the system (glibc only)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
