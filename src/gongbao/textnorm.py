"""Text normalisation shared by the parser, the extractors and the archive.

Converted gazettes print the same thing in several ways: （）vs (), —— vs -- vs -, “” vs "", stray
spaces inside Chinese text. ``repair_spaces`` fixes what should be fixed in displayed text;
``match_key`` erases every such difference so two spellings of a title compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014-\u2026"

# A run of spaces with a Chinese character or Chinese punctuation on one side and a Chinese character,
# punctuation or digit on the other was put there by the PDF converter, not by the author.
_STRAY_SPACE_RE = re.compile(
    rf"(?<=[{HAN}{CJK_PUNCT}])[ \t\u3000\u00a0]+(?=[{HAN}{CJK_PUNCT}0-9])"
    rf"|(?<=[0-9])[ \t\u3000\u00a0]+(?=[{HAN}{CJK_PUNCT}])"
    rf"|(?<=[(\[])[ \t]+|[ \t]+(?=[)\]])"
    rf"|(?<=[{HAN}])[ \t\u3000]+(?=[(\[])|(?<=[)\]])[ \t\u3000]+(?=[{HAN}])"
)

_KEY_TRANSLATE = str.maketrans({
    "（": "(", "）": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "［": "(", "］": ")",
    "〈": "<", "〉": ">", "《": "<", "》": ">",
    "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "—": "-", "–": "-", "－": "-", "―": "-", "─": "-", "~": "-", "～": "-", "〜": "-",
    "，": ",", "：": ":", "；": ";", "、": ",", "。": ".", "！": "!", "？": "?", "·": ".", "•": ".",
})
_WS_RE = re.compile(r"\s+")
_DASHES_RE = re.compile(r"-+")


def repair_spaces(text: str) -> str:
    """Remove spaces the PDF converter put inside Chinese text; keep spaces between Latin words."""
    if " " not in text and "\t" not in text and "\u3000" not in text and "\u00a0" not in text:
        return text.strip()
    return _STRAY_SPACE_RE.sub("", text).strip()


@lru_cache(maxsize=8192)  # pure, and the same titles and headings recur across an issue's documents
def match_key(text: str) -> str:
    """A key under which two printings of the same title compare equal.

    Whitespace is removed; brackets, quotes, dashes and punctuation are reduced to one width and style;
    letters are case-folded. 《》 and 〈〉 are kept (as < >) because they change what a title names.
    """
    s = unicodedata.normalize("NFKC", text)
    s = s.translate(_KEY_TRANSLATE)
    s = _WS_RE.sub("", s)
    s = _DASHES_RE.sub("-", s)
    return s.casefold()


def title_key(text: str) -> str:
    """Like :func:`match_key` but also ignores 《》〈〉 and quotes, for matching a title across citations."""
    return re.sub(r"[<>\"']", "", match_key(text))


def is_subsequence(short: str, long: str) -> bool:
    """Whether the characters of ``short`` stand in ``long`` in the same order (not necessarily adjacent):
    how an abbreviation keeps its full name's characters (国令 in 中华人民共和国国务院令)."""
    it = iter(long)
    return all(ch in it for ch in short)
