"""Lines as the parser sees them: Markdown noise stripped, stray spaces repaired, provenance kept.

PDF-to-text converters add Markdown (``#`` headings whose levels mean nothing, ``**bold**``, ``- ``
bullets, ``\\_`` escapes, two-space line breaks). None of it carries meaning for a gazette, so it is
removed here once, and every later stage works on :class:`Line` objects that still know their number.
"""

from __future__ import annotations

import html
import re

from gongbao.textnorm import match_key, repair_spaces

_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET_RE = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_BOLD_RE = re.compile(r"\*\*|__")
_ESCAPE_RE = re.compile(r"\\([_*#\[\]()`\\-])")
# Any character one of the four patterns above needs: most lines have none and skip them all.
_MD_ANY_RE = re.compile(r"[#*_\\]|^\s*[-+•]")
# HTML entities a portal page leaves in copied text (&nbsp;, and misspelt ones such as &sp;)
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


class Line:
    """One source line. ``no`` is 1-based; ``text`` has Markdown removed; ``clean`` also has stray
    spaces removed (tables keep their tabs in ``text``); ``key`` is the width-insensitive match key,
    computed on first use because most lines never need it."""

    __slots__ = ("_key", "clean", "no", "raw", "text")

    def __init__(self, no: int, raw: str, text: str, clean: str) -> None:
        self.no, self.raw, self.text, self.clean = no, raw, text, clean
        self._key: str | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = match_key(self.clean)
        return self._key

    @property
    def blank(self) -> bool:
        return not self.clean

    @property
    def is_pipe_row(self) -> bool:
        s = self.raw.strip()
        return s.startswith("|") and s.count("|") >= 2

    @property
    def is_tab_row(self) -> bool:
        return "\t" in self.raw.strip("\n\r ") and bool(self.raw.strip())

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.clean!r})"


def _entities(s: str) -> str:
    """Entities decoded; one that does not decode (a misspelt &sp;) is a space, not text."""
    return _ENTITY_RE.sub(" ", html.unescape(s)).replace("\xa0", " ") if "&" in s else s


def strip_markdown(raw: str) -> str:
    s = _entities(raw.rstrip())
    if s.lstrip().startswith("|"):
        return _ESCAPE_RE.sub(r"\1", s.strip())
    if _MD_ANY_RE.search(s) is None:
        return s.strip(" \u3000\ufeff")
    s = _MD_HEADING_RE.sub("", s)
    s = _MD_BULLET_RE.sub("", s)
    s = _BOLD_RE.sub("", s)
    s = _ESCAPE_RE.sub(r"\1", s)
    return s.strip(" \u3000\ufeff")


def make_lines(raw_lines: list[str]) -> list[Line]:
    out: list[Line] = []
    for i, raw in enumerate(raw_lines, start=1):
        text = strip_markdown(raw)
        clean = text if ("\t" in text or text.startswith("|")) else repair_spaces(text)
        out.append(Line(i, raw, text, clean))
    return out
