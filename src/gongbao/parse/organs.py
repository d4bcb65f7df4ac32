"""Short organ names expanded to the full name the document itself prints (江西省市场监管局 →
江西省市场监督管理局).

Signatures and organ lines of provincial documents often use the short form of an organ's name while the
title or the body spells it out. The full name is taken only from the document's own text, never from a
list: a short name is expanded when the text holds a longer organ name that begins with the same place,
ends with the same character and contains the short name's characters in order (a subsequence). The
printed form is kept beside the full one (``Document.issuers_printed``).
"""

from __future__ import annotations

import re

from gongbao.parse.frontmatter import is_organ_name
from gongbao.textnorm import is_subsequence

_STOP_RE = re.compile(r"[^\u4e00-\u9fff]")


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is a shortening of ``full``: same last character, its characters in order, and not a
    name that merely stands inside a longer compound (国务院办公厅 in 国务院办公厅中央军委办公厅)."""
    return (len(full) > len(short) and full[-1] == short[-1] and short not in full
            and is_subsequence(short, full) and is_organ_name(full))


def full_name(short: str, text: str, named: list[str] = ()) -> str | None:
    """The longer organ name that ``short`` abbreviates: one of ``named`` (the organs the title opens
    with), else the one name in ``text`` that begins like it."""
    if len(short) < 4 or not is_organ_name(short):
        return None
    by_title = [f for f in named if _abbreviates(short, f)]
    if len(by_title) == 1:
        return by_title[0]
    head, last = short[:3], short[-1]
    found: set[str] = set()
    start = text.find(head)
    while start >= 0:
        limit = min(len(text), start + len(short) + 12)
        for end in range(start + len(short) + 1, limit + 1):
            candidate = text[start:end]
            if _STOP_RE.search(candidate):
                break
            if candidate[-1] == last and _abbreviates(short, candidate):
                found.add(candidate)
                break
        start = text.find(head, start + 1)
    # the shortest reading per start was taken; two different expansions leave the name as printed
    return found.pop() if len(found) == 1 else None


def expand_issuers(issuers: list[str], text: str, named: list[str] = ()) -> tuple[list[str], list[str]]:
    """(full names, printed names): the printed list is empty when nothing was expanded."""
    full = [full_name(name, text, named) or name for name in issuers]
    return full, (list(issuers) if full != issuers else [])
