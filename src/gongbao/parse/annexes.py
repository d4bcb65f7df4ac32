"""Annexes (附件): the 附件 list after a document's body, and the annexes printed after it.

The list comes as ``附件：1. 标题（略）`` with the next items on following lines, or as a single
``附件：标题``. A printed annex begins at a ``附件2`` label line or, when the label was lost, at a line that
repeats a listed title. An annex marked 略 is listed, not printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongbao.model import Annex, Span
from gongbao.parse.lines import Line
from gongbao.textnorm import match_key, repair_spaces

_LIST_RE = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
_ITEM_RE = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<title>\S.*)$")
_LABEL_RE = re.compile(r"^附\s*件\s*(?P<n>\d{1,2})?\s*$")
_OMITTED_RE = re.compile(r"\s*[（(]\s*略\s*[）)]\s*$")


@dataclass(slots=True)
class AnnexLayout:
    annexes: list[Annex]
    printed_starts: list[int]  # indices where printed annexes begin (ascending)


def _item(number: int | None, text: str, line: Line) -> Annex:
    title = repair_spaces(text)
    omitted = bool(_OMITTED_RE.search(title))
    title = _OMITTED_RE.sub("", title).strip()
    return Annex(number=number, title=title, omitted=omitted, span=Span(line.no, line.no))


def find_annexes(lines: list[Line], lo: int, hi: int) -> AnnexLayout:
    """Annexes listed or printed between indices ``lo`` and ``hi`` (a document's region)."""
    annexes: list[Annex] = []
    list_at, rest = None, ""
    for i in range(lo, hi):
        m = _LIST_RE.match(lines[i].clean)
        if m and m.group("rest"):
            list_at, rest = i, m.group("rest")
            break
    search_from = lo  # printed annexes follow the list
    if list_at is not None:
        search_from = list_at + 1
        first = _ITEM_RE.match(rest)
        if first:
            annexes.append(_item(int(first.group("n")), first.group("title"), lines[list_at]))
            j = list_at + 1
            while j < hi:
                if lines[j].blank:
                    j += 1
                    continue
                m = _ITEM_RE.match(lines[j].clean)
                if not m or int(m.group("n")) != (annexes[-1].number or 0) + 1:
                    break
                annexes.append(_item(int(m.group("n")), m.group("title"), lines[j]))
                j += 1
                search_from = j
        else:
            annexes.append(_item(None, rest, lines[list_at]))
    starts: list[int] = []
    by_key = {match_key(a.title): a for a in annexes if not a.omitted}
    for i in range(search_from, hi):
        line = lines[i]
        if line.blank:
            continue
        label = _LABEL_RE.match(line.clean)
        if label:
            starts.append(i)
            continue
        if by_key and line.key in by_key:
            # a listed title printed without its 附件 label (a title right under its label is no new start)
            prev = i - 1
            while prev > search_from and lines[prev].blank:
                prev -= 1
            if not _LABEL_RE.match(lines[prev].clean):
                starts.append(i)
    if list_at is None and starts:
        # no list: the labels themselves define the annexes
        for n, i in enumerate(starts, start=1):
            m = _LABEL_RE.match(lines[i].clean)
            num = int(m.group("n")) if m and m.group("n") else n
            annexes.append(Annex(number=num, title="", omitted=False, span=Span(lines[i].no, lines[i].no)))
    return AnnexLayout(annexes, starts)
