"""Stable, URL-safe identifiers for issues and documents.

An issue is *the same issue* when it has the same gazette, year and number, whatever file it came from,
so a corrected file replaces it and its documents keep their ids (and their URLs, bookmarks and
citations). Gazette names are Chinese; a short hash of the name keeps ids ASCII and URL-safe.
Documents are numbered by their position in the issue.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gongbao.model import Issue

_ID_RE = re.compile(r"^[0-9a-z]+-[0-9a-z]+(?:-[0-9a-z]+)?(?:-\d{2,})?$")


def gazette_code(name: str | None) -> str:
    """Six hex digits naming a gazette (``x`` + hash of nothing when the masthead has no name)."""
    return hashlib.sha1((name or "").encode("utf-8")).hexdigest()[:6]


def issue_id(issue: Issue) -> str:
    """``{gazette}-{year}-{number}``, or ``{gazette}-f{hash of the file name}`` without a masthead."""
    g = issue.gazette
    if g.year is not None and g.number is not None:
        return f"{gazette_code(g.name)}-{g.year}-{g.number:02d}"
    stem = Path(issue.source.path).name
    return f"{gazette_code(g.name)}-f{hashlib.sha1(stem.encode('utf-8')).hexdigest()[:10]}"


def document_id(issue_key: str, position: int) -> str:
    """The id of the document at 1-based ``position`` of its issue."""
    return f"{issue_key}-{position:02d}"


def looks_like_id(ref: str) -> bool:
    return bool(_ID_RE.match(ref))
