"""Highlighted snippets: the passage of a document where the query's terms are, with whole terms marked.

tantivy's snippet generator marks the tokens it matched, which here are single characters and n-grams;
a reader wants 残疾人保障 marked as one phrase. Every term is a substring (see
:mod:`gongbao.store.tokens`), so the terms are found again in the stored text with a pattern that
tolerates the punctuation and spaces the index ignores, and the densest window is cut out. Output is
HTML-safe: source text escaped, hits wrapped in ``<mark>`` and nothing else.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache

from gongbao.store.tokens import find_term, loose_pattern

WIDTH = 120
LEAD = 24
MAX_HITS = 400


@lru_cache(maxsize=1024)
def _pattern(squeezed: str) -> re.Pattern[str]:
    return loose_pattern(squeezed)


def find_hits(text: str, terms: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every occurrence of the squeezed ``terms`` in ``text``."""
    hits: list[tuple[int, int, int]] = []
    for i, term in enumerate(dict.fromkeys(terms)):
        loose, pos = _pattern(term), 0
        while (m := find_term(text, loose, pos)) is not None:
            hits.append((m.start(), m.end(), i))
            pos = m.end()
            if len(hits) >= MAX_HITS:
                break
    hits.sort()
    return hits


def _merge(hits: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end, _ in hits:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    """``text`` escaped, with ``spans`` (absolute offsets, merged) wrapped in <mark>."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        s, e = max(start - offset, 0), min(end - offset, len(text))
        if e <= pos or s >= len(text):
            continue
        s = max(s, pos)
        out.append(html.escape(text[pos:s], quote=False))
        out.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _flat(text: str) -> str:
    r"""Every run of whitespace as one space (what ``re.sub(r"\s+", " ", text)`` gives, at a third of the
    cost: ``str.split`` and ``\s`` agree on what whitespace is; only the ends need putting back)."""
    if not text:
        return text
    inner = " ".join(text.split())
    if not inner:
        return " "
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


def snippet(text: str, terms: list[str], width: int = WIDTH) -> str:
    """The window of ``text`` (about ``width`` characters) holding the most distinct terms, marked."""
    text = _flat(text)
    hits = find_hits(text, terms)
    if not hits:
        cut = text[:width]
        return html.escape(cut, quote=False) + ("…" if len(text) > width else "")
    # two pointers: the window starting at hit i holds hits[i:j]; keep the one with most distinct terms
    best, best_key = 0, (-1, -1)
    counts: Counter[int] = Counter()
    j = 0
    for i, (start, _, term) in enumerate(hits):
        window_end = start + width - LEAD
        while j < len(hits) and (j <= i or hits[j][1] <= window_end):
            counts[hits[j][2]] += 1
            j += 1
        key = (len(counts), j - i)
        if key > best_key:
            best, best_key = i, key
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    first = hits[best][0]
    begin = max(0, first - LEAD)
    end = min(len(text), begin + width)
    begin = max(0, min(begin, end - width))
    merged = _merge(hits)
    for s, e in merged:  # never cut a term in half at either edge
        if s < begin < e:
            begin = s
        if s < end < e:
            end = e
    spans = [(s, e) for s, e in merged if s < end and e > begin]
    body = mark(text[begin:end], spans, begin)
    return ("…" if begin > 0 else "") + body + ("…" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> str:
    """All of a short text (a title) escaped, every term occurrence marked."""
    return mark(text, _merge(find_hits(text, terms)))
