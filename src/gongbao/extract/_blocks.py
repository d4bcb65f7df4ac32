"""Shared helpers for the extractors: where a character of a block's text came from, which source line
a table row was printed on, sentence bounds, and the heading titles a block stands under.

Facts are found in ``Block.text`` (repaired: broken lines rejoined, stray spaces removed) but must be
reported on the *source* line they were printed on, so a reader can go back to the page. ``text`` is a
subsequence of ``original`` (modulo whitespace and Markdown noise), so a greedy walk aligns the two.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from gongbao.model import Block, Document, Span, Table
from gongbao.textnorm import match_key

SENTENCE_END = "。！？；!?;"
# an opening bracket and a year: a text without one holds no 文号 with a year, so the costly
# ``docnumber.find`` scan is skipped (citations and targets both look for 文号)
MAYBE_DOC_NUMBER_RE = re.compile(r"[〔\[［（(【〖{｛]\s*(?:19|20)\d\d")


def _source_lines(block: Block) -> list[int]:
    """Source line number of each line of ``block.original``.

    Uses ``block.lines`` when the parser provides it; otherwise spreads the original's lines evenly over
    the block's span (exact when no blank lines or one blank between each, the usual layouts)."""
    n = block.original.count("\n") + 1
    if len(block.lines) == n:
        return list(block.lines)
    start, end = block.span.start_line, block.span.end_line
    if n <= 1 or end <= start:
        return [start] * n
    return [start + round(k * (end - start) / (n - 1)) for k in range(n)]


_NEWLINE_RE = re.compile("\n")
_WORD_RE = re.compile(r"\S+")


def _align_text(text: str, original: str) -> list[int]:
    """For each character of ``text``, its position in ``original`` (a greedy subsequence walk).

    A non-space character is looked up in the 41 characters after the previous match (kept in place if it
    is not found: normalised by the cleaner); a space keeps the position. Runs that ``original``
    prints identically up to its next line break (nearly all of a block) are taken in one step; that
    gives the positions the character walk would, since each character is then found where it is."""
    pos: list[int] = []
    j = 0
    t = 0
    no_run_until = -1  # after a run that did not match, walk to the end of that source line
    for word in _WORD_RE.finditer(text):
        a, b = word.span()
        pos.extend([j] * (a - t))  # spaces between words
        t = a
        while t < b:
            if j > no_run_until:
                nl = original.find("\n", j)
                if nl < 0:
                    nl = len(original)
                size = min(b - t, nl - j)
                if size > 0 and original.startswith(text[t:t + size], j):
                    pos.extend(range(j, j + size))
                    j += size
                    t += size
                    continue
                no_run_until = nl
            k = original.find(text[t], j, j + 41)
            if k < 0:
                pos.append(j)
            else:
                pos.append(k)
                j = k + 1
            t += 1
    pos.extend([j] * (len(text) - t))  # trailing spaces
    return pos


class LineMap:
    """Maps character offsets of ``block.text`` to source line numbers.

    The alignment is built on the first lookup: every extractor makes a map per block, but most blocks
    have no fact to place (and a one-line span has no line breaks to report)."""

    def __init__(self, block: Block) -> None:
        self.block = block
        self._pos: list[int] = []
        self._newlines: list[int] = []
        self._lines: list[int] = []
        self._aligned = False

    def _align(self) -> None:
        self._aligned = True
        block = self.block
        lines = _source_lines(block)
        original = block.original
        self._lines = lines
        if "\n" not in original:  # a one-line block: every character is on its line
            self._pos = [0]
            return
        self._newlines = [m.start() for m in _NEWLINE_RE.finditer(original)]
        self._pos = _align_text(block.text, original)

    def line(self, char: int) -> int:
        """Source line of character ``char`` of the block's text."""
        if not self._aligned:
            self._align()
        if not self._pos:
            return self.block.span.start_line
        char = max(0, min(char, len(self._pos) - 1))
        idx = bisect_right(self._newlines, self._pos[char])
        return self._lines[min(idx, len(self._lines) - 1)]

    def breaks(self) -> frozenset[int]:
        """Character offsets of ``text`` where a new source line begins (one pass over the newlines,
        not one lookup per character: ``_pos`` only grows)."""
        if self.block.span.start_line == self.block.span.end_line:
            return frozenset()
        if not self._aligned:
            self._align()
        if not self._pos:
            return frozenset()
        out = set()
        for nl in self._newlines:
            i = bisect_right(self._pos, nl)
            if 0 < i < len(self._pos) and self.line(i) != self.line(i - 1):
                out.add(i)
        return frozenset(out)

    def span(self, start: int, end: int) -> Span:
        """Span of the characters [start, end) of the block's text."""
        return Span(self.line(start), self.line(max(start, end - 1)), start, end)


def row_lines(block: Block) -> list[int]:
    """Source line of each row of a table block (rows are matched to the original lines they print)."""
    table = block.table
    if table is None:
        return []
    src = _source_lines(block)
    orig = [match_key(x) for x in block.original.split("\n")]
    out: list[int] = []
    j = 0
    for row in table.rows:
        probe = [match_key(c.text) for c in row if c.text.strip()]
        probe = [p for p in probe if len(p) >= 1][:2]
        found = None
        for k in range(j, len(orig)):
            if all(p in orig[k] for p in probe):
                found = k
                break
        if found is None:
            found = min(j, len(orig) - 1)
        else:
            j = found + 1
        out.append(src[min(found, len(src) - 1)])
    return out


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from after the previous 。！？； to the next one, inclusive."""
    s = max(text.rfind(ch, 0, start) for ch in SENTENCE_END + "\n") + 1
    ends = [k for k in (text.find(ch, end) for ch in SENTENCE_END + "\n") if k >= 0]
    e = min(ends) if ends else len(text)
    if e < len(text) and text[e] in SENTENCE_END:
        e += 1
    return s, e


@dataclass(frozen=True, slots=True)
class Context:
    """A block with the titles of the headings it stands under (outermost first) and the block before."""

    block: Block
    titles: tuple[str, ...]
    previous: Block | None


def with_context(blocks: list[Block]) -> Iterator[Context]:
    """Blocks in order, each with the titles of its enclosing headings.

    ``Block.path`` holds only labels (一、 （二）), so the titles are remembered from the heading blocks
    as they pass; a heading's own title is included for the heading block itself (run-in headings carry
    their content: 「（二）主要目标。在富硒…」)."""
    by_path: dict[tuple[str, ...], str] = {}
    previous: Block | None = None
    for block in blocks:
        if block.kind in ("heading", "box") and block.path:
            by_path[block.path] = block.title or block.text
            # forget deeper headings of an earlier branch with the same prefix
            for key in [k for k in by_path if len(k) > len(block.path) and k[: len(block.path)] == block.path]:
                del by_path[key]
        titles = tuple(by_path[block.path[:i]] for i in range(1, len(block.path) + 1) if block.path[:i] in by_path)
        yield Context(block, titles, previous)
        previous = block


_NUM_LABEL_RE = re.compile(r"^\s*(?:附件\s*)?[\d一二三四五六七八九十]+\s*[.．、]\s*")
_OMITTED_RE = re.compile(r"[（(]\s*略\s*[）)]\s*$")


def title_of_annex(title: str) -> str:
    """An annex title without its list number and 略 mark: '1. 宁夏…指标表(略)' → '宁夏…指标表'."""
    return _OMITTED_RE.sub("", _NUM_LABEL_RE.sub("", title)).strip()


def own_titles(document: Document) -> list[str]:
    """Titles that name parts of the document itself: the document, its enclosures, its annexes."""
    out = [document.title, document.title_printed]
    out += [e.title for e in document.enclosures]
    out += [title_of_annex(a.title) for a in document.attachments]
    return [t for t in out if t]


def is_caption_row(cells: list[str], width: int) -> bool:
    """A row that captions a table rather than naming its columns: one text spread over the row (a merged
    cell, 专栏1 “十四五”主要指标 / 重点任务分工表) in a table of three or more columns."""
    texts = {c.strip() for c in cells if c.strip()}
    return width >= 3 and len(texts) == 1 and not any(ch.isdigit() for ch in next(iter(texts))[:1])


def header_rows(table: Table) -> tuple[int, int]:
    """(first, end) row indexes of a table's header: caption rows before it are skipped, so a caption the
    converter counted as the header is never taken for the column names."""
    width = max((len(r) for r in table.rows), default=0)
    first = 0
    while first < len(table.rows) - 1 and is_caption_row([c.text for c in table.rows[first]], width):
        first += 1
    return first, first + max(1, table.header_rows - first)
