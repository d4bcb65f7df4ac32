"""Citations: every reference a document makes to another document, by 文号 and/or by 《title》.

A gazette cites in three shapes: 《title》 alone (laws, regulations, plans), 《title》（文号） (a notice by
its title and number — ONE citation, not two), and a bare 文号. Titles nest (《…实施〈…法〉办法》), 文号
come in any bracket style with stray spaces, and both can be split across lines (the parser rejoins
broken lines; a title whose paragraph the converter displaced is stitched back from its two halves).

An 印发 notice's 《》 naming the plan it encloses, or a document's 《》 naming its own annex, is a
self-reference: kept (it is printed) but flagged, so the archive does not link a document to itself.
The document's own 文号 (front matter) and its title are not citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongbao import docnumber
from gongbao.extract._blocks import LineMap, own_titles, sentence_bounds
from gongbao.model import Block, Citation, Document
from gongbao.textnorm import match_key, repair_spaces, title_key

_BRACKETS_RE = re.compile(r"[《》〈〉\n]")
_CLOSE_PAREN_RE = re.compile(r"\s*[）)]")
_MAYBE_NUMBER_RE = re.compile(r"[〔\[［（(【〖{｛]\s*(?:19|20)\d\d")
# a 文号 printed right after a title: optional spaces, an opening paren, the number, a closing paren
_FOLLOWING_NUMBER_RE = re.compile(r"\s*[（(]\s*")
# permit and serial numbers that look like 文号 but do not cite a document
_NOT_A_CITATION_BEFORE = ("准印证号", "刊号", "许可证号", "证号", "登记号", "备案号")


@dataclass(slots=True)
class RawCitation:
    """A citation found in one text: character offsets of the whole reference and its parts."""

    start: int
    end: int
    title: str | None
    title_start: int | None
    number: str | None
    number_start: int | None


def _titles(text: str) -> list[tuple[int, int, str | None]]:
    """Every outermost 《…》 of ``text`` as (start, end, inner title); nested 《》/〈〉 stay inside.

    An 《 left open at the end of the text is returned with end = len(text) and title None (its other
    half may be in a displaced paragraph); a 》 with no opening is ignored."""
    out: list[tuple[int, int, str | None]] = []
    if "《" not in text:
        return out
    depth, start = 0, -1
    for m in _BRACKETS_RE.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch == "《" or (ch == "〈" and depth > 0):
            if depth == 0:
                start = i
            depth += 1
        elif (ch == "》" or ch == "〉") and depth > 0:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1, text[start + 1 : i]))
        elif ch == "\n" and depth > 0 and i - start > 200:
            depth = 0  # a runaway bracket: give up on it
    if depth > 0 and start >= 0:
        out.append((start, len(text), None))
    return out


def _clean_title(title: str) -> str:
    return repair_spaces(re.sub(r"\s*\n\s*", "", title))


def find_in_text(text: str) -> list[RawCitation]:
    """All citations in one piece of repaired text (pure; no document context).

    A 《title》 followed at once by a bracketed 文号 becomes one citation holding both. Every other 文号
    (not inside a title, not a permit number) is a citation of its own."""
    found: list[RawCitation] = []
    taken: list[tuple[int, int]] = []
    # a line break inside a 文号 (卫政办发〔2017〕⏎140 号) is a space to the grammar; offsets are kept
    flat = text.replace("\r", " ").replace("\n", " ")
    numbers = list(docnumber.find(flat)) if _MAYBE_NUMBER_RE.search(flat) else []
    for t_start, t_end, inner in _titles(text):
        taken.append((t_start, t_end))
        if inner is None:
            continue  # open at the end of the text: handled by the caller (stitching)
        title = _clean_title(inner)
        if not title:
            continue
        rec = RawCitation(t_start, t_end, title, t_start, None, None)
        m = _FOLLOWING_NUMBER_RE.match(text, t_end)
        if m:
            for number, n_start, n_end in numbers:
                if n_start == m.end() or (m.end() <= n_start <= m.end() + 2 and not text[m.end():n_start].strip()):
                    close = _CLOSE_PAREN_RE.match(text, n_end)
                    rec.number, rec.number_start = number.canonical, n_start
                    rec.end = close.end() if close else n_end
                    taken.append((n_start, n_end))
                    break
        found.append(rec)
    for number, n_start, n_end in numbers:
        if any(a <= n_start < b for a, b in taken):
            continue
        before = text[max(0, n_start - 8):n_start]
        if any(w in before for w in _NOT_A_CITATION_BEFORE):
            continue
        found.append(RawCitation(n_start, n_end, None, None, number.canonical, n_start))
    found.sort(key=lambda r: r.start)
    return found


_LEADING_CLOSE_RE = re.compile(r"^([^《》〈〉。；！？\n]{1,80}?)》")


def _stitch(blocks: list[Block]) -> dict[int, tuple[int, str]]:
    """Titles split by a displaced paragraph: block A ends inside an open 《, block B (elsewhere in the
    document) starts with the rest of a title and its 》. Returns {index of A: (index of B, full title)}.
    """
    out: dict[int, tuple[int, str]] = {}
    heads = {}
    for j, b in enumerate(blocks):
        if b.kind == "paragraph":
            m = _LEADING_CLOSE_RE.match(b.text)
            if m:
                heads[j] = m.group(1)
    if not heads:
        return out
    for i, b in enumerate(blocks):
        if b.kind not in ("paragraph", "heading"):
            continue
        titles = _titles(b.text)
        if titles and titles[-1][2] is None:
            head = b.text[titles[-1][0] + 1:]
            if len(head) > 60:
                continue
            candidates = [j for j in heads if j != i and j not in (x for x, _ in out.values())]
            if candidates:
                j = min(candidates, key=lambda k: abs(k - i))
                out[i] = (j, _clean_title(head + heads[j]))
    return out


def find_citations(document: Document) -> list[Citation]:
    """Citations of a document's body, enclosures and annexes, in reading order, each with its sentence
    and span (source lines; characters into the block's repaired text)."""
    own_number = document.doc_number.canonical if document.doc_number else None
    own_keys = {title_key(t) for t in own_titles(document)}
    own_block_keys = {match_key(t) for t in own_titles(document)}
    blocks = document.all_blocks()
    stitched = _stitch(blocks)
    stitched_heads = {j for j, _ in stitched.values()}
    out: list[Citation] = []
    for i, block in enumerate(blocks):
        if block.kind != "table" and len(block.text) <= 200 and match_key(block.text) in own_block_keys:
            continue  # a document's or enclosure's own title repeated as a heading
        text = block.text
        raws = find_in_text(text)
        if i in stitched_heads:
            # the citation that closes at the start of this block was reported with its first half
            m = _LEADING_CLOSE_RE.match(text)
            cut = m.end() if m else 0
            raws = [r for r in raws if r.start >= cut and not (r.title is None and _follows_close(text, r.start, cut))]
        lines: LineMap | None = None
        for raw in raws:
            if raw.number is not None and raw.title is None and raw.number == own_number:
                continue
            lines = lines or LineMap(block)
            s, e = sentence_bounds(text, raw.start, raw.end)
            self_ref = raw.title is not None and title_key(raw.title) in own_keys and raw.number is None
            out.append(Citation(raw.number, raw.title, text[s:e].strip(), lines.span(raw.start, raw.end),
                                self_reference=self_ref))
        if i in stitched:
            j, title = stitched[i]
            lines = lines or LineMap(block)
            t_start = _titles(text)[-1][0]
            tail = blocks[j].text
            m = _LEADING_CLOSE_RE.match(tail)
            number = None
            sentence = text[sentence_bounds(text, t_start, len(text))[0]:] + (tail[: m.end()] if m else "")
            if m:
                after = _FOLLOWING_NUMBER_RE.match(tail, m.end())
                if after:
                    for num, n_start, n_end in docnumber.find(tail[after.end(): after.end() + 40]):
                        if n_start == 0:
                            number = num.canonical
                            sentence += tail[m.end(): after.end() + n_end + 1]
                        break
            out.append(Citation(number, title, sentence.strip(), lines.span(t_start, len(text)),
                                self_reference=title_key(title) in own_keys and number is None))
    return out


def _follows_close(text: str, start: int, cut: int) -> bool:
    """True when the 文号 at ``start`` is the one printed right after the title's closing 》 at ``cut``."""
    return cut > 0 and not text[cut:start].strip(" （(〔[")
