"""File downloads: the right media type and a Content-Disposition that carries a Chinese file name.

Browsers read ``filename*=UTF-8''…`` (RFC 6266/5987); the ASCII ``filename=`` is the fallback for old
clients. Names are cleaned of path separators and control characters so a title cannot steer where a
browser saves the file.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.responses import Response

from gongbao.store.export import MEDIA_TYPES

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(name: str, fmt: str) -> str:
    stem = _UNSAFE.sub("_", name).strip(" ._") or "gongbao"
    return f"{stem[:80]}.{fmt}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header value for an already safe file name: ASCII fallback first, then the UTF-8 name."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(data: bytes, fmt: str, name: str, *, inline: bool = False) -> Response:
    return Response(
        content=data,
        media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
        headers={"content-disposition": content_disposition(safe_filename(name, fmt), inline=inline)},
    )
