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
from gongbao.extract._blocks import MAYBE_DOC_NUMBER_RE, LineMap, own_titles, sentence_bounds
from gongbao.model import Block, Citation, Document
from gongbao.textnorm import match_key, repair_spaces, title_key

_BRACKETS_RE = re.compile(r"[《》〈〉\n]")
_CLOSE_PAREN_RE = re.compile(r"\s*[）)]")
# a 文号 printed right after a title: optional spaces, an opening paren, the number, a closing paren
_FOLLOWING_NUMBER_RE = re.compile(r"\s*[（(]\s*")
# permit and serial numbers that look like 文号 but do not cite a document
_NOT_A_CITATION_BEFORE = ("准印证号", "刊号", "许可证号", "证号", "登记号", "备案号")


@dataclass(slots=True)
class RawCitation:
    """A citation found in one text: character offsets of the whole reference, its title and 文号."""

    start: int
    end: int
    title: str | None
    number: str | None


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
    numbers = list(docnumber.find(flat)) if MAYBE_DOC_NUMBER_RE.search(flat) else []
    for t_start, t_end, inner in _titles(text):
        taken.append((t_start, t_end))
        if inner is None:
            continue  # open at the end of the text: handled by the caller (stitching)
        title = _clean_title(inner)
        if not title:
            continue
        rec = RawCitation(t_start, t_end, title, None)
        m = _FOLLOWING_NUMBER_RE.match(text, t_end)
        if m:
            for number, n_start, n_end in numbers:
                if n_start == m.end() or (m.end() <= n_start <= m.end() + 2 and not text[m.end():n_start].strip()):
                    close = _CLOSE_PAREN_RE.match(text, n_end)
                    rec.number = number.canonical
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
        found.append(RawCitation(n_start, n_end, None, number.canonical))
    found.sort(key=lambda r: r.start)
    return found


_LEADING_CLOSE_RE = re.compile(r"^([^《》〈〉。；！？\n]{1,80}?)》")


@dataclass(frozen=True, slots=True)
class _Stitched:
    """A title split by a displaced paragraph: opened at ``start`` of one block's text, closed in block
    ``tail``, whose text has the title's 》 just before ``close``. Kept so that the offsets found while
    pairing the halves are not looked for again when the citation is reported."""

    start: int
    tail: int
    close: int
    title: str


def _stitch(blocks: list[Block]) -> dict[int, _Stitched]:
    """Titles split by a displaced paragraph: block A ends inside an open 《, block B (elsewhere in the
    document) starts with the rest of a title and its 》. Returns {index of A: the stitched title}.
    """
    out: dict[int, _Stitched] = {}
    heads: dict[int, re.Match[str]] = {}
    for j, b in enumerate(blocks):
        if b.kind == "paragraph":
            m = _LEADING_CLOSE_RE.match(b.text)
            if m:
                heads[j] = m
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
            candidates = [j for j in heads if j != i and j not in (x.tail for x in out.values())]
            if candidates:
                j = min(candidates, key=lambda k: abs(k - i))
                out[i] = _Stitched(titles[-1][0], j, heads[j].end(), _clean_title(head + heads[j].group(1)))
    return out


_LAW_RE = re.compile(r"^(?:中华人民共和国|全国人民代表大会常务委员会关于)?[^《》〈〉]{1,40}?(?:法|法典)$")
_VERSION_RE = re.compile(r"\s*[（(][^（）()]*(?:修正|修订|修改|试行)[^（）()]*[）)]\s*$")


def law_work(title: str | None) -> str | None:
    """The law a 《》 title names, as a work: 《中华人民共和国…法》 or a 法典, without a version note
    ((2021年修正)); None for anything else (regulations, plans, notices are documents found by 文号/title)."""
    if not title:
        return None
    t = _VERSION_RE.sub("", title.strip())
    if not _LAW_RE.match(t) or t.endswith(("办法", "方法", "做法", "立法", "执法", "司法", "守法", "普法")):
        return None
    if not t.startswith("中华人民共和国") and not t.endswith("法典"):
        return None
    return t


_GENRE_RE = re.compile(
    r"(?:实施意见|指导意见|意见|总体规划|专项规划|规划|实施方案|工作方案|行动方案|方案|三年行动计划|行动计划|计划|"
    r"实施细则|细则|实施办法|管理办法|办法|纲要|规定|名录|清单|目录|标准|若干措施|若干意见|若干规定|若干政策|措施|"
    r"政策措施)$")


def _own_genres(titles: list[str]) -> set[str]:
    """Short titles a document gives itself or its enclosure: the genre its title ends with. A 实施意见
    says 按照《实施意见》要求 and a plan 《规划》 of itself; such a 《》 names no other document."""
    out: set[str] = set()
    for t in titles:
        m = _GENRE_RE.search(re.sub(r"[（(][^（）()]*[）)]$", "", t.strip()))
        if m:
            out.add(title_key(m.group(0)))
            if m.group(0).startswith(("实施", "总体", "专项", "工作", "行动", "管理", "指导", "若干", "政策")):
                out.add(title_key(m.group(0)[2:]))
    return out


def find_citations(document: Document) -> list[Citation]:
    """Citations of a document's body, enclosures and annexes, in reading order, each with its sentence
    and span (source lines; characters into the block's repaired text)."""
    own_number = document.doc_number.canonical if document.doc_number else None
    titles = own_titles(document)
    own_keys = {title_key(t) for t in titles} | _own_genres(titles)
    own_block_keys = {match_key(t) for t in titles}
    blocks = document.all_blocks()
    stitched = _stitch(blocks)
    stitched_heads = {s.tail: s.close for s in stitched.values()}  # block index: end of its leading 》
    out: list[Citation] = []
    for i, block in enumerate(blocks):
        text = block.text
        raws = find_in_text(text)
        if not raws and i not in stitched:
            continue  # nothing to report: most blocks end here, before the own-title test below
        if block.kind != "table" and len(text) <= 200 and match_key(text) in own_block_keys:
            continue  # a document's or enclosure's own title repeated as a heading
        if i in stitched_heads:
            # the citation that closes at the start of this block was reported with its first half
            cut = stitched_heads[i]
            raws = [r for r in raws if r.start >= cut and not (r.title is None and _follows_close(text, r.start, cut))]
        lines: LineMap | None = None
        for raw in raws:
            if raw.number is not None and raw.title is None and raw.number == own_number:
                continue
            lines = lines or LineMap(block)
            s, e = sentence_bounds(text, raw.start, raw.end)
            self_ref = raw.title is not None and title_key(raw.title) in own_keys and raw.number is None
            out.append(Citation(raw.number, raw.title, text[s:e].strip(), lines.span(raw.start, raw.end),
                                self_reference=self_ref, work=None if self_ref else law_work(raw.title)))
        if i in stitched:
            st = stitched[i]
            lines = lines or LineMap(block)
            tail = blocks[st.tail].text
            number = None
            sentence = text[sentence_bounds(text, st.start, len(text))[0]:] + tail[: st.close]
            after = _FOLLOWING_NUMBER_RE.match(tail, st.close)
            if after:
                for num, n_start, n_end in docnumber.find(tail[after.end(): after.end() + 40]):
                    if n_start == 0:
                        number = num.canonical
                        sentence += tail[st.close: after.end() + n_end + 1]
                    break
            self_ref = title_key(st.title) in own_keys and number is None
            out.append(Citation(number, st.title, sentence.strip(), lines.span(st.start, len(text)),
                                self_reference=self_ref, work=None if self_ref else law_work(st.title)))
    return out


def _follows_close(text: str, start: int, cut: int) -> bool:
    """True when the 文号 at ``start`` is the one printed right after the title's closing 》 at ``cut``."""
    return cut > 0 and not text[cut:start].strip(" （(〔[")
