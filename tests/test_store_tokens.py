"""The index's text analysis: squeezing is NFKC + lower case + dropping non-content characters (the fast
path must agree with that definition everywhere), and a term's 4-gram plan pins the whole term."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongbao.store.tokens import _DROP_RE, QUAD, highlight_pattern, quad_plan, squeeze


def reference(text: str) -> str:
    return _DROP_RE.sub("", unicodedata.normalize("NFKC", text).lower())


def test_squeeze_fast_path_equals_the_definition_on_every_code_point() -> None:
    ranges = [range(0, 0x3400), range(0x9f00, 0xa000), range(0xf900, 0x10000), range(0x1d400, 0x1d800)]
    for cp in (cp for r in ranges for cp in r):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        for text in (ch, f"a{ch}b", f"水{ch}电", f"{ch}\u0301"):
            assert squeeze(text) == reference(text), hex(cp)


@given(st.text(max_size=80))
def test_squeeze_equals_the_definition_on_any_text(text: str) -> None:
    assert squeeze(text) == reference(text)
    assert squeeze(squeeze(text)) == squeeze(text)  # what tokens.joined_index_fields relies on


def test_a_squeezed_character_squeezes_to_itself() -> None:
    kept = {ch for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF for ch in squeeze(chr(cp))}
    assert [hex(ord(ch)) for ch in kept if squeeze(ch) != ch] == []


def test_squeeze_ignores_printing_differences() -> None:
    assert squeeze("“十四五” 规划") == squeeze("十四五规划") == "十四五规划"
    assert squeeze("宁政办发〔2022〕 68 号") == squeeze("宁政办发[2022]68号") == "宁政办发202268号"
    assert squeeze("ＩＳＳＮ１００８") == "issn1008"


@given(st.text(alphabet="水电规划人民政府一二三", min_size=QUAD + 1, max_size=40))
def test_quad_plan_covers_every_character(term: str) -> None:
    plan = quad_plan(term)
    covered = set()
    for offset, gram in plan:
        assert term[offset:offset + QUAD] == gram
        covered.update(range(offset, offset + QUAD))
    assert covered == set(range(len(term)))
    assert len(plan) <= len(term) // QUAD + 1


def test_highlight_pattern_finds_the_printed_form() -> None:
    import re

    text = "推进“十四五” 规划落实，宁政办发〔2022〕 68 号"
    assert re.search(highlight_pattern(squeeze("十四五规划")), text).group(0) == "十四五” 规划"
    assert re.search(highlight_pattern(squeeze("宁政办发[2022]68号")), text).group(0) == "宁政办发〔2022〕 68 号"


_ALPHABET = [*list("医疗保障规划十四五年AaBbＡａ０0１1 \u3000\n，。“”〔〕-_·号"), "\u4e00", "\u9fff", "\xe9"]


@settings(max_examples=400, deadline=None)
@example("医A医疗，医 疗", "医疗")  # a loose match with a kept character in its gap hides a true one inside it
@example("十四五” 规划与十四五规划", "十四五规划")
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=80),
       st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=6))
def test_find_term_equals_the_reference_pattern(text: str, term: str) -> None:
    """Snippets find terms with a cheap loose pattern and a check of its gaps; every span must be the one
    the reference regex (``highlight_pattern``, slow to compile) finds, in the same order."""
    import re

    from gongbao.store.tokens import find_term, loose_pattern

    squeezed = squeeze(term)
    if not squeezed:
        return
    expected = [m.span() for m in re.finditer(highlight_pattern(squeezed), text)]
    got, pos, loose = [], 0, loose_pattern(squeezed)
    while (m := find_term(text, loose, pos)) is not None:
        got.append(m.span())
        pos = m.end()
    assert got == expected
