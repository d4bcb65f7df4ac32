"""Placing extracted facts on source lines: the fast text-to-source alignment must equal the plain walk.

``LineMap`` aligns a block's repaired text with its printed lines. For speed it takes whole runs that
the source prints identically in one step; these tests hold it to the character-by-character definition
(each non-space character found in the next 41 source characters, else kept in place) on arbitrary
text and on every block of the corpus.
"""

from __future__ import annotations

import pytest
from conftest import ISSUES, parsed
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.extract._blocks import LineMap, _align_text


def walk(text: str, original: str) -> list[int]:
    """The definition: a greedy subsequence walk, one character at a time."""
    pos: list[int] = []
    j = 0
    for ch in text:
        if ch.isspace():
            pos.append(j)
            continue
        k = original.find(ch, j, j + 41)
        if k < 0:
            pos.append(j)
            continue
        pos.append(k)
        j = k + 1
    return pos


# few distinct characters, so that runs match, break and resume often
_CHARS = st.sampled_from(list("政府发展规划，。 \n\t（）〔〕12"))


@settings(max_examples=400, deadline=None)
@given(st.text(_CHARS, max_size=120), st.text(_CHARS, max_size=120))
def test_alignment_equals_the_walk_on_arbitrary_text(text: str, original: str) -> None:
    assert _align_text(text, original) == walk(text, original)


@settings(max_examples=200, deadline=None)
@given(st.text(_CHARS, min_size=1, max_size=150), st.data())
def test_alignment_equals_the_walk_on_repaired_lines(original: str, data: st.DataObject) -> None:
    """The usual case: the text is the original with line breaks and some spaces taken out."""
    drop = data.draw(st.sets(st.integers(0, len(original) - 1)))
    text = "".join(ch for i, ch in enumerate(original) if not (i in drop and ch in " \n\t"))
    assert _align_text(text, original) == walk(text, original)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(_CHARS, min_size=1, max_size=6), st.integers(0, 60)), max_size=12))
def test_alignment_equals_the_walk_across_gaps(pieces: list[tuple[str, int]]) -> None:
    """Source characters the text lacks (a converter's page furniture) put the next match near or past the
    41-character window: both sides must give up, or find it, at the same distance."""
    text = "".join(piece for piece, _ in pieces)
    original = "".join("x" * gap + piece for piece, gap in pieces)
    assert _align_text(text, original) == walk(text, original)


@pytest.mark.parametrize("name", ISSUES)
def test_alignment_equals_the_walk_on_every_corpus_block(name: str) -> None:
    issue = parsed(name)
    blocks = [b for d in issue.documents for b in d.all_blocks() if "\n" in b.original]
    assert len(blocks) > 20
    for block in blocks:
        assert _align_text(block.text, block.original) == walk(block.text, block.original)


def test_line_of_a_character_in_a_block_broken_over_lines() -> None:
    issue = parsed("ningxia-2022-02")
    block = next(b for d in issue.documents for b in d.all_blocks()
                 if b.kind == "paragraph" and b.span.end_line > b.span.start_line)
    lines = LineMap(block)
    assert lines.line(0) == block.span.start_line
    assert lines.line(len(block.text) - 1) == block.span.end_line
    assert lines.breaks() and all(0 < k < len(block.text) for k in lines.breaks())
