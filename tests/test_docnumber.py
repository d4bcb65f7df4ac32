"""文号 grammar: every printed spelling parses to one canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongbao import docnumber

SPELLINGS = ["宁政办发[2022]68号", "宁政办发（2022）68号", "宁政办发〔2022〕 68 号", "宁政办发(2022)68号",
             "宁政办发【2022】68号", "宁政办发 〔 2022 〕 68号", "宁政办发［2022］68 号"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_any_spelling_is_canonical(spelling: str) -> None:
    number = docnumber.parse(spelling)
    assert number is not None
    assert number.canonical == "宁政办发〔2022〕68号"
    assert (number.prefix, number.year, number.serial) == ("宁政办发", 2022, 68)
    assert number.printed == spelling.strip()


def test_standard_form_is_recognised() -> None:
    assert docnumber.is_standard("卫政办发〔2019〕1 号")
    assert not docnumber.is_standard("宁政发[2021]34号")


@pytest.mark.parametrize("text", ["", "2022年第2期", "宁政办发", "〔2022〕68号", "第一条 本办法", "宁政办发〔22〕68号"])
def test_not_a_number(text: str) -> None:
    assert docnumber.parse(text) is None


def test_find_in_running_text_with_offsets() -> None:
    text = "根据《国务院关于印发…的通知》（国发〔2021〕10号）和按照宁政发[2021]1号要求"
    found = list(docnumber.find(text))
    assert [n.canonical for n, _, _ in found] == ["国发〔2021〕10号", "宁政发〔2021〕1号"]
    for number, start, end in found:
        assert text[start:end].replace(" ", "") == number.printed.replace(" ", "")


@given(
    prefix=st.sampled_from(["国发", "宁政办发", "卫政办规发", "工信部联原", "宁党办发"]),
    year=st.integers(1990, 2030),
    serial=st.integers(1, 9999),
    brackets=st.sampled_from(["〔〕", "[]", "（）", "()", "【】", "［］"]),
    spaces=st.lists(st.sampled_from(["", " ", "  "]), min_size=4, max_size=4),
)
def test_property_round_trip(prefix: str, year: int, serial: int, brackets: str, spaces: list[str]) -> None:
    printed = f"{prefix}{spaces[0]}{brackets[0]}{spaces[1]}{year}{brackets[1]}{spaces[2]}{serial}{spaces[3]}号"
    number = docnumber.parse(printed)
    assert number is not None and number.canonical == f"{prefix}〔{year}〕{serial}号"
    assert docnumber.normalize_query(printed) == number.canonical


# Random text around a 文号: arbitrary unicode, or text made of the very characters a 文号 is made of.
NOISE = st.one_of(st.text(max_size=80),
                  st.text(alphabet=st.sampled_from(list("宁政办发国号年第〔〕[]()（）【】2019068 \t\u3000，。根据")),
                          max_size=40))
# What may stand between the noise and the 文号: punctuation no 文号 contains (a Han character or a space
# there would rightly be read as part of the prefix), optionally followed by a lead-in word.
SEPARATORS = ["，", "。", "：", "；", "、", "\n", "《", "“", "》"]
LEAD_INS = ["", "根据", "按照", "依据", "印发", "见"]


@given(
    before=NOISE, after=NOISE,
    separator=st.sampled_from(SEPARATORS), lead_in=st.sampled_from(LEAD_INS),
    prefix=st.sampled_from(["国发", "宁政办发", "卫政办规发", "工信部联原", "宁党办发"]),
    year=st.integers(1990, 2030),
    serial=st.integers(1, 9999),
    brackets=st.sampled_from(["〔〕", "[]", "（）", "()", "【】", "［］"]),
    spaces=st.lists(st.sampled_from(["", " ", "  "]), min_size=4, max_size=4),
)
def test_property_find_a_number_in_running_text(before: str, after: str, separator: str, lead_in: str,
                                                 prefix: str, year: int, serial: int, brackets: str,
                                                 spaces: list[str]) -> None:
    printed = f"{prefix}{spaces[0]}{brackets[0]}{spaces[1]}{year}{brackets[1]}{spaces[2]}{serial}{spaces[3]}号"
    text = before + separator + lead_in + printed + after
    found = list(docnumber.find(text))
    start = len(before) + len(separator) + len(lead_in)
    assert (f"{prefix}〔{year}〕{serial}号", start, start + len(printed)) in [
        (n.canonical, s, e) for n, s, e in found]
    for number, s, e in found:  # whatever else the noise holds is a well-formed find
        assert 0 <= s < e <= len(text)
        assert "".join(text[s:e].split()) == "".join(number.printed.split())
        assert number.canonical.endswith("号") and docnumber.normalize_query(text[s:e]) == number.canonical


def test_subsequence_is_characters_in_order() -> None:
    from gongbao.textnorm import is_subsequence

    assert is_subsequence("国令", "中华人民共和国国务院令")
    assert is_subsequence("宁政办", "宁夏回族自治区人民政府办公厅") and is_subsequence("", "任何")
    assert not is_subsequence("令国", "中华人民共和国国务院令")  # order matters
    assert not is_subsequence("国国国", "中华人民共和国国务院令")  # each character used once
    assert not is_subsequence("宁政办发", "宁政办")


@given(st.text(max_size=8), st.text(max_size=8))
def test_subsequence_agrees_with_a_direct_search(short: str, long: str) -> None:
    from gongbao.textnorm import is_subsequence

    def direct(i: int, j: int) -> bool:  # does short[i:] fit in long[j:]
        if i == len(short):
            return True
        return any(long[k] == short[i] and direct(i + 1, k + 1) for k in range(j, len(long)))

    assert is_subsequence(short, long) == direct(0, 0)
