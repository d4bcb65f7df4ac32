"""Splitting an issue into its items: where each document starts and ends.

Two kinds of anchor start a document: a line that is nothing but a 文号, with the title above it (every
公文 printed in a gazette has one), and, for items without a 文号 (economic data, documents whose 文号
line is damaged), the body line that repeats a TOC title. The title above a 文号 is recovered line by
line, guided by the TOC title when the TOC lists the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from gongbao import docnumber
from gongbao.model import DocNumber, TocEntry
from gongbao.parse.frontmatter import (
    is_organ_lead,
    is_title_lead,
    kind_of,
    split_joint,
    split_organs,
    title_like,
)
from gongbao.parse.lines import Line
from gongbao.parse.toc import COLOPHON_RE
from gongbao.textnorm import match_key

# 赣市监建字〔2021〕12号　签发人：王建国 — the signer of an 上行文 or a 答复 stands on the 文号 line
SIGNER_NOTE_RE = re.compile(r"\s*签\s*发\s*人\s*[:：].*$")
_ORDER_SERIAL_RE = re.compile(r"^[（(]?第[\d一二三四五六七八九十百零〇]{1,8}号[）)]?$")


@dataclass(slots=True)
class Anchor:
    """Where a document starts: its title lines (indices), the 文号 line (index) if any, its TOC entry."""

    title: list[int]
    number_line: int | None
    number: DocNumber | None
    toc: int | None = None
    organ_line: int | None = None

    @property
    def start(self) -> int:
        first = self.title[0] if self.title else (self.number_line or 0)
        return min(first, self.organ_line) if self.organ_line is not None else first


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _title_candidates(lines: list[Line], above: int, floor: int) -> list[int]:
    """Up to four title-like non-blank lines just above index ``above`` (nearest first)."""
    out: list[int] = []
    j = above - 1
    blanks = 0
    while j >= floor and len(out) < 4:
        line = lines[j]
        if line.blank:
            blanks += 1
            if blanks > 3:
                break
            j -= 1
            continue
        blanks = 0
        if not title_like(line) or COLOPHON_RE.match(line.text) or docnumber.parse(line.clean):
            break
        out.append(j)
        j -= 1
    return out


def choose_title(lines: list[Line], candidates: list[int], guide: str | None) -> tuple[list[int], int | None]:
    """Pick the title lines among ``candidates`` (nearest first); returns (indices ascending, organ line)."""
    if not candidates:
        return [], None
    if guide:
        key = match_key(guide)
        scores = []
        for k in range(1, len(candidates) + 1):
            joined = "".join(lines[i].key for i in reversed(candidates[:k]))
            scores.append((similarity(joined, key), -k))
        best_k = -max(scores)[1]
    else:
        # the fewest lines that read as a title (关于…, 印发…); with no such reading, the nearest line alone
        best_k = next((k for k in range(1, len(candidates) + 1)
                       if is_title_lead("".join(lines[i].clean for i in reversed(candidates[:k])))), 1)
    if not guide:
        best_k = _with_organ_above(lines, candidates, best_k)
    chosen = sorted(candidates[:best_k])
    organ_line = None
    # organs printed on their own line above the title (自治区党委 人民政府)
    if len(candidates) > best_k:
        above = candidates[best_k]
        if split_organs(lines[above].text) and not is_title_lead(lines[above].clean):
            organ_line = above
    if guide and chosen and len(chosen) > 1 and split_organs(lines[chosen[0]].text) and not is_title_lead(
        lines[chosen[0]].clean
    ):
        organ_line = chosen[0]
        chosen = chosen[1:]
    return chosen, organ_line


def _with_organ_above(lines: list[Line], candidates: list[int], k: int) -> int:
    """Take the line above the title into it when it opens the title with the issuing organ.

    An organ printed on its own line (or its own Markdown heading) above 关于…的通知 is the first line of
    the title (国务院办公厅 / 关于…; 国务院办公厅转发国家地震局 / 关于…的通知). A line of several organs
    set apart by a blank line is the 版头 of a joint document (自治区党委 人民政府), not title."""
    while k < len(candidates):
        joined = "".join(lines[i].clean for i in reversed(candidates[:k]))
        if is_organ_lead(joined):
            return k
        above = candidates[k]
        text = lines[above].clean
        if not is_organ_lead(text + joined):
            return k
        joint = len(split_organs(lines[above].text)) > 1 or bool(split_joint(lines[above].text))
        gap = any(lines[j].blank for j in range(above + 1, candidates[k - 1])) if k else False
        if joint and gap:
            return k
        k += 1
    return k


def find_number_anchors(lines: list[Line], begin: int, toc: list[TocEntry]) -> list[Anchor]:
    """Documents introduced by a 文号 line with a title above it."""
    by_number = {e.doc_number.canonical: i for i, e in enumerate(toc) if e.doc_number}
    anchors: list[Anchor] = []
    floor = begin
    for idx in range(begin, len(lines)):
        line = lines[idx]
        if line.blank or len(line.clean) > 60:
            continue
        number_text = SIGNER_NOTE_RE.sub("", line.clean)
        if len(number_text) > 30:
            continue
        number = docnumber.parse(number_text)
        order_line = None
        if number is None and _ORDER_SERIAL_RE.match(line.clean):
            # 宁夏回族自治区人民政府令 / 第 123 号 on two lines
            j = idx - 1
            while j >= floor and lines[j].blank:
                j -= 1
            if j >= floor and lines[j].clean.endswith("令"):
                number = docnumber.parse(lines[j].clean + line.clean)
                order_line = j
        if number is None:
            continue
        if number.is_order:
            toc_i = by_number.get(number.canonical)
            first = order_line if order_line is not None else idx
            anchors.append(Anchor([first], idx, number, toc_i, None))
            floor = idx + 1
            continue
        toc_i = by_number.get(number.canonical)
        guide = toc[toc_i].title if toc_i is not None else None
        candidates = _title_candidates(lines, idx, floor)
        title, organ = choose_title(lines, candidates, guide)
        if not title:
            continue
        joined = "".join(lines[i].clean for i in title)
        if not (is_title_lead(joined) or kind_of(joined) or toc_i is not None):
            continue
        if toc and toc_i is None and not _opens_document(lines, idx + 1):
            # a title and 文号 listed inside a document (废止文件目录, 参考文件), not a document of its own
            continue
        anchors.append(Anchor(title, idx, number, toc_i, organ))
        floor = idx + 1
    return anchors


def _opens_document(lines: list[Line], i: int) -> bool:
    """After a 文号 line, a document goes on with its addressees or a date in parentheses."""
    while i < len(lines) and lines[i].blank:
        i += 1
    if i >= len(lines):
        return False
    c = lines[i].clean
    return (c.endswith(("：", ":")) and len(c) <= 200) or bool(re.match(r"^[（(].{6,20}[）)]$", c))


def find_title_anchor(lines: list[Line], entry: TocEntry, lo: int, hi: int) -> Anchor | None:
    """The body line(s) that repeat a TOC title, between indices lo and hi."""
    key = match_key(entry.title)
    if not key:
        return None
    best: tuple[float, list[int]] | None = None
    for i in range(lo, hi):
        if lines[i].blank or not title_like(lines[i]):
            continue
        joined_idx = [i]
        joined = lines[i].key
        for k in range(3):
            score = similarity(joined, key)
            if score >= 0.9 and (best is None or score > best[0]):
                best = (score, list(joined_idx))
            if len(joined) >= len(key) or k == 2:
                break
            j = i + 1
            while j < hi and lines[j].blank:
                j += 1
            if j >= hi or not title_like(lines[j]):
                break
            joined_idx.append(j)
            joined += lines[j].key
        if best and best[0] >= 0.999:
            break
    if best is None:
        return None
    return Anchor(best[1], None, None)


_BACK_MATTER_RE = re.compile(r"公报.{0,4}简介$|^简介$|^本刊简介$")


def back_matter_start(lines: list[Line], after: int) -> int | None:
    """Where the back matter (《…公报》简介, colophon) begins after the last document, if any."""
    for i in range(after, len(lines)):
        if _BACK_MATTER_RE.search(lines[i].clean):
            return i
    return None
