"""Quantitative targets: 到2025年，全区灌溉水利用系数提升至0.6以上 — and the rows of indicator tables.

A target is a forward-looking quantity written in digits that is bound by a comparator (以上, 不低于,
控制在…以内, 左右, a range N—M) or by a target year or horizon (到2025年; a leading "2019年," that governs
what follows until the next year; 用5年—10年时间; a year or 目标 column of an indicator table), or that
stands under a heading naming goals (主要目标, 发展目标). Not targets: facts about the past (sections
on 发展基础/成就/现状, "完成情况" lists), scope qualifiers (编制50人以上的单位, 50周岁以下), money and
benefit standards (补贴, 每人…元, 起付标准), prohibitions (不得超过), dates and durations.

Prose is read clause by clause ("，；。" end a clause, "、" joins list members that share a verb and
a unit: 分别不低于25%、30%和55%). Indicator tables are recognised by a 属性 (预期性/约束性) or 目标 column,
or by year columns under a caption that names 目标/指标; a table with two year columns has a base year
and a target year (2020年 | 2025年), three or more are yearly targets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from gongbao import docnumber
from gongbao.extract._blocks import (
    MAYBE_DOC_NUMBER_RE,
    SENTENCE_END,
    Context,
    LineMap,
    header_rows,
    row_lines,
    with_context,
)
from gongbao.model import Block, Document, Span, Target

# ---------------------------------------------------------------- vocabulary

_BASE_UNITS = (
    "个百分点|百分点|%|％|‰|万羊单位|平方公里|平方米|立方米|公里|千米|毫米|厘米|米|mg/kg|kg|千瓦时|千瓦|"
    "吨|人次|场次|人|名|个|家|所|户|件|堂|节|场|次|项|台|座|处|条|辆|张|美元|元|周岁|岁|分钟|小时|天|周|年|月|"
    "分|倍|兆|门|期|批|种|类|套|间|床|株|头|只|亩|折"
)
UNIT_RE = rf"(?:[万亿千百]?(?:{_BASE_UNITS})|[万亿])"
_NUM = r"\d+(?:\.\d+)?"
_DASH = r"[—–\-~～至]"
# _NUM made possessive: what follows a number in each branch (space, unit, dash, colon) never starts with a
# digit or ".", so giving digits back cannot help a branch match; it only cost a unit scan per digit
_NUM_WHOLE = r"\d++(?:\.\d+)?+"
_QTY_RE = re.compile(
    rf"(?P<range>(?P<lo>{_NUM_WHOLE})\s*(?P<u1>{UNIT_RE})?\s*{_DASH}+\s*(?P<hi>{_NUM_WHOLE}))"
    rf"|(?P<ratio>{_NUM_WHOLE}\s*[:：]\s*{_NUM_WHOLE})"
    rf"|(?P<num>{_NUM_WHOLE})"
)
# a year: four digits that are the whole number (a space or 年 follows). _QTY_RE matches it alone (then
# skipped as "a year"; no digit before 年) or, when a dash and a number follow 年, up to that number (then
# skipped as "a year range"): either way the next number to look at starts after this match
_YEAR_SKIP_RE = re.compile(rf"(?:19|20)\d\d\s*年(?:\s*{_DASH}+\s*{_NUM_WHOLE})?")
_UNIT_AFTER_RE = re.compile(rf"\s*(?:[（(]\s*)?(?P<unit>{UNIT_RE})(?:\s*[）)])?")
_PAREN_UNIT_RE = re.compile(r"\s*[（(]\s*次\s*[）)]")

_CLAUSE_END = "，,；;。！？!?：:\n"
_CLAUSE_END_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_END)}\n]")  # as _blocks.sentence_bounds
_SENTENCE_STOP_RE = re.compile(r"[。！？!?\n]")  # where a year marker that governs one sentence stops
_LIST_SEP_RE = re.compile(r"^\s*(?:、|和|及|与|或)\s*$")

# comparators written before the number, longest first; "=" marks a level to reach
_PREFIX_BOUNDS = [
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("最少", "≥"),
    ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"), ("不多于", "≤"), ("最多", "≤"),
    ("超过", ">"), ("突破", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"), ("超", ">"),
    ("低于", "<"), ("少于", "<"), ("小于", "<"),
    ("≥", "≥"), ("≤", "≤"), (">", ">"), ("<", "<"), ("＞", ">"), ("＜", "<"),
]
_LEVEL_RE = re.compile(
    r"(?:达到并稳定在|达到|提高到|提高至|提升至|提升到|增加到|增加至|增长到|增长至|扩大到|扩大至|下降至|下降到|"
    r"降低到|降低至|降至|降到|减少到|减少至|压减到|压减至|控制在|稳定在|保持在|维持在|调整到|调整为|达)$")
# a rate named by its verb: 营业收入年均增长8%以上 is the growth rate at ≥ 8%, not the income up by 8%
_RATE_RE = re.compile(r"(?:年均|年平均|平均每年|同比)(?:增长|增速|增幅|提高|提升)率?$")
# 新增…N家 / 累计培育…N家: a count to reach, bound as a goal even with no comparator or year
_FRAGMENT_EDGE_RE = re.compile(r"^[的和及与、，,]+|(?:[和及与、，,]|较|相较|相比)+$")
# 至少/不少于 a few words before the thing counted: 每年至少培育省级示范合作社20家 is ≥ 20
_AT_LEAST_FAR_RE = re.compile(r"(至少|不少于|不低于)(?=[^，。；、\d]{5,16}$)")
# a bound quantity run straight into the noun a later number counts: 年产值超10亿元企业5家
_QUALIFIES_NEXT_RE = re.compile(r"^[\u4e00-\u9fff“”]{2,12}(?<![和及与或])$")  # not a list: …教室和1个…
_CONDITION_HEAD_RE = re.compile(r"(?:力争)?(?:到20\d\d年)?(?:全区|全市|全县)?(?:建成|建设|培育|打造|发展|形成|认定|扶持|支持)?")
_COUNT_GOAL_RE = re.compile(r"^(?:[^，。；]{0,6})?(?:新增|累计)|新增$")
_UP_RE = re.compile(r"(?:增加|提高|增长|提升|扩大|高)$")
_DOWN_RE = re.compile(r"(?:下降|降低|减少|压减|缩减|削减)$")
_SUFFIX_AFTER_NOTE_RE = re.compile(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*(?P<w>及以上|以上|以下|以内|左右|上下)")
_SUFFIX_BOUNDS = {"及以上": "≥", "以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈", "上下": "≈"}
_PREFIX_WORDS = tuple(word for word, _ in _PREFIX_BOUNDS)
_PREFIX_SYMBOLS = dict(_PREFIX_BOUNDS)
_AT_LEAST_NEAR_RE = re.compile(r"(不低于|不少于|至少|不超过|最多)[^，。；、\d]{1,4}$")
_LEVEL_NEAR_RE = re.compile(r"(达到|提高到|提升至|控制在|稳定在|保持在|实现|为)[^，。；、]{0,3}$")
_CHANGE_NEAR_RE = re.compile(r"(增加|提高|增长|提升|下降|降低|减少)[^，。；]{0,4}$")
_UP_WORDS = ("增加", "提高", "增长", "提升")

# a clause about rules, standards and benefits rather than goals
_RULE_RE = re.compile(r"补贴|补助|慰问金|收费|起付|限额|加价|每人|元/|/亩|/人|不得|学时|公示期|分担|有效期|比例给予")
# a money amount per year/month/unit is a funding standard (经费每年不低于20万元), not a goal
_PER_UNIT_RE = re.compile(r"每(?:年|月|人|户|个|家|所|次|位)")
# numbers that are not quantities: labels, references, codes
_NOT_BEFORE_RE = re.compile(r"(?:第|附件|附表|表|专栏|编号|序号|以上|上述|No\.?|[A-Za-z])\s*$")
_MEASURE_QUALIFIER_RE = re.compile(r"(?:厚度|长度|宽度|直径|重量|体积|高度|深度|年龄)(?:大于|小于|在|为|达)?\s*$")
_TIME_UNITS = ("分钟", "小时", "天", "周")
_SKIP_UNITS = ("年", "月", "周岁", "岁", "折")

_PAST_TITLE_RE = re.compile(r"(?:发展|工作|现实)基础$|成就|现状|回顾|背景|完成情况|实现情况|进展情况|取得的|主要成效|工作成效")
_GOAL_TITLE_RE = re.compile(r"目标")
_PLAN_PERIODS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}

# year markers: what follows is a target for that year. A lookbehind that guards a literal is written after
# it (到(?<![较比…]到) is (?<![较比…])到), so that the regex engine can skip ahead to the literal
_YEAR_MARKERS = [
    re.compile(r"到(?<![较比在和与]到)\s*(?P<y>20\d\d)\s*年"),
    re.compile(r"自\s*(?P<y>20\d\d)\s*年起"),
    re.compile(r"(?P<y0>20\d\d)\s*年\s*(?:\d{1,2}\s*月)?\s*[—\-至]\s*(?:(?P<y>20\d\d)\s*年)?\s*(?P<m>\d{1,2})\s*月\s*[：:]"),
    re.compile(r"(?P<y0>20(?<![较比在和与\d]20)\d\d)\s*年?\s*[—\-至]\s*(?P<y>20\d\d)\s*年(?!\s*[)）])"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:力争)?\s*(?P<y>20\d\d)\s*年(?:\s*\d{1,2}\s*月)?\s*(?:年底|底|末|内)?\s*(?:前)?\s*[,，、:：]"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:力争)?\s*(?P<y>20\d\d)\s*年(?:\s*\d{1,2}\s*月)?\s*(?:年底|底|末)\s*(?:前)?"),
    re.compile(r"(?:^|(?<=[。；;，,]))\s*(?P<y>20\d\d)\s*年(?![度以来的前后起初底末\d,，、:：—\-])"),
]
# words each marker above cannot match without (any one of them): a scan that cannot succeed is skipped
_MARKER_NEEDS = [re.compile(f"[{chars}]") for chars in ("到", "自", "月", "—\\-至", ",，、:：", "底末", "年")]
_YEAR20_RE = re.compile(r"20\d\d")
_PARAGRAPH_END_RE = re.compile(r"\n|[〕\]】](?=[\u4e00-\u9fff])")
_HORIZON_RE = re.compile(r"用\s*\d+\s*年(?:\s*[—\-至]\s*\d+\s*年)?\s*(?:左右)?\s*时间|(?:力争|通过)\s*\d+\s*年|\d+\s*年(?=新增|内|的努力|时间)")
_HORIZON_NEEDS = ("时间", "力争", "通过", "年新增", "年内", "年的努力")  # one of them is in every match
_ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条$")
# each branch opens with one literal character (not a class), so the regex engine can skip ahead to them
_MASK_RE = re.compile(r"《[^》]*》|〈[^〉]*〉|“[^”\"]{1,12}[”\"]|\"[^”\"]{1,12}[”\"]|（\s*\d{1,2}\s*[）)]|\(\s*\d{1,2}\s*[）)]")
_YEAR_NUM_RE = re.compile(r"(?:19|20)\d\d")
_YEAR_AFTER_RE = re.compile(r"\s*年")
_FORMULA_RE = re.compile(r"[^，,。；;、\s“”\"《》]{0,6}[+＋]")
_BARE_OK_RE = re.compile(r"\s*(?:及以上|以上|以下|以内|左右|[、和或%％]|[，,；;。）)]|$)")
_DIGIT_RE = re.compile(r"\d")
# the only digits of a 文号 are its year and serial, and from either of them to its closing 号 there are only
# digits, spaces, the closing bracket and 第 (〔2019〕第6号): a number not followed so is in no 文号
_IN_DOC_NUMBER_RE = re.compile(rf"[\d\s{re.escape(docnumber.CLOSE)}第]*号")
_BASE_YEAR_RE = re.compile(r"(?:较|比|与|在)\s*(20\d\d)\s*年")
_SPACES_RE = re.compile(r"\s+")
_RUN_IN_LABEL_RE = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?[^，。；]{0,12}。")
_YEAR_CLAUSE_RE = re.compile(r"\s*(?:力争)?\s*20\d\d\s*年[^，,]{0,6}")
_QUALIFIER_OF_RE = re.compile(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*的")
_CONDITION_OF_RE = re.compile(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*的\s*[，,；;]")
_FROM_RE = re.compile(r"[由从][^，。；]{0,8}$")
_CHANGE_TO_RE = re.compile(r"(?:提高|提升|下降|降低|增加|减少|增长)(?:到|至)")
_BASE_VALUE_RE = re.compile(
    rf"[由从][^，。；]{{0,8}}?({_NUM})\s*{UNIT_RE}?[^，。；]{{0,6}}(?:提高|提升|下降|降低|增加|减少|增长)(?:到|至)\s*$")
_FROM_VALUE_RE = re.compile(rf"[由从][^，。；]{{0,12}}{_NUM}.*$")
_AFTER_LAST_VALUE_RE = re.compile(r"^[、，,\s]*(?:及以上|以上|以下|以内|左右)?[、，,\s]*")
_TAIL_STOP_RE = re.compile(r"[、，,。；;（(]|(?:和|及|与|或)(?=\s*\d)")
_LIST_NUMBER_RE = re.compile(r"^\s*[（(]?[\d一二三四五六七八九十]+[.．、）)]")
_LIST_NUMBER_PREFIX_RE = re.compile(r"^[\s\d.．、（）()一二三四五六七八九十]*[.．、）)]\s*")
_INDICATOR_YEAR_RE = re.compile(r"(?:到|至)?\s*20\d\d\s*年(?:年底|底|末)?(?:前)?[,，]?")
_INDICATOR_LEAD_RE = re.compile(r"^(?:力争|确保|争取|其中|全面|逐步|进一步|同时|并|要|使|实现|努力)+")
_INDICATOR_TRAIL_WORDS = ("分别", "均", "累计", "要", "的", "将", "持续", "逐步", "基本", "全部", "力争", "达")
_INDICATOR_TRAIL_RE = re.compile(f"(?:{'|'.join(_INDICATOR_TRAIL_WORDS)})+$")


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # after the unit
    value: str
    unit: str | None
    is_range: bool


# ---------------------------------------------------------------- prose


def _masked(text: str) -> list[tuple[int, int]]:
    """Regions whose digits are not quantities: titles in 《》, short quoted names (“12369”)."""
    return [(m.start(), m.end()) for m in _MASK_RE.finditer(text)]


def _doc_numbers(text: str) -> list[tuple[int, int]]:
    """Regions whose digits are not quantities: 文号 (宁政发〔2019〕6号)."""
    if MAYBE_DOC_NUMBER_RE.search(text):
        return [(s, e) for _, s, e in docnumber.find(text)]
    return []


def _tokens(text: str) -> list[_Token]:
    """Quantities written in digits, with their units.

    The tests that reject a number all say "skip", so the cheap ones on the characters around it run
    first, and the masked regions are found only for the first number that survives them (and the 文号,
    whose scan is the costliest step, for the first that could be in one): most numbers in a gazette are
    dates and labels that never get that far."""
    masked: list[tuple[int, int]] | None = None
    doc_numbers: list[tuple[int, int]] | None = None
    out: list[_Token] = []
    n = len(text)
    pos = 0
    # _QTY_RE.finditer(text), stepping from digit to digit: every match starts at a digit and one always
    # matches there (a bare number), and the regex has no literal the engine could skip ahead to
    while digit := _DIGIT_RE.search(text, pos):
        year = _YEAR_SKIP_RE.match(text, digit.start())
        if year:  # the commonest number, rejected below as "a year" or "a year range": skip it at once
            pos = year.end()
            continue
        m = _QTY_RE.match(text, digit.start())
        if m is None:  # not reached: a digit is at least a bare number
            pos = digit.start() + 1
            continue
        s, e = m.span()
        pos = e
        if s and text[s - 1] in ".．+":
            continue
        if _NOT_BEFORE_RE.search(text, s - 6 if s > 6 else 0, s):  # the 6 characters before it
            continue
        if e < n and (text[e] in "+＋" or (text[e].isascii() and text[e].isalpha()
                                          and not text.startswith(("mg", "kg"), e))):
            continue  # 5G, 3D, 10+N: names and formulas
        kind = m.lastgroup  # "range", "ratio" or "num": the outer group closes last
        if kind == "num":
            if _YEAR_NUM_RE.fullmatch(m.group()) and _YEAR_AFTER_RE.match(text, e):
                continue  # a year
            # a list label: "1." or "2、" at the start of a clause
            if text[e:e + 1] in ".．、" and not text[e + 1:e + 2].isdigit() and (
                    s == 0 or text[s - 1] in _CLAUSE_END + " "):
                continue
        elif kind == "range" and _YEAR_NUM_RE.fullmatch(m.group("lo")):
            continue  # a year range
        unit = None
        u = _UNIT_AFTER_RE.match(text, e)
        if u:
            unit = u.group("unit")
            e = u.end()
            p = _PAREN_UNIT_RE.match(text, e)
            if p:
                unit += "(次)"
                e = p.end()
        elif kind == "range" and m.group("u1"):
            unit = m.group("u1")
        if _FORMULA_RE.match(text, e):
            continue  # 1个数据中心+N个服务平台: a formula, not a quantity
        if unit is None and kind == "num" and not _BARE_OK_RE.match(text[e:e + 3]):
            continue  # a bare number glued to a word (120急救, 5G): a name, not a quantity
        if unit and unit.endswith(_SKIP_UNITS) and not unit.endswith("个百分点"):
            continue  # dates, durations in years/months, ages, discounts
        if masked is None:
            masked = _masked(text)
        if masked and any(a <= s < b for a, b in masked):
            continue
        if _IN_DOC_NUMBER_RE.match(text, s):
            if doc_numbers is None:
                doc_numbers = _doc_numbers(text)
            if any(a <= s < b for a, b in doc_numbers):
                continue
        if kind == "range":
            value = f"{m.group('lo')}—{m.group('hi')}"
        elif kind == "ratio":
            value = _SPACES_RE.sub("", m.group()).replace("：", ":")
        else:
            value = m.group()
        out.append(_Token(s, e, value, unit, kind == "range"))
    return out


def _groups(text: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Tokens joined by 、/和 (a list sharing one verb and one unit) form a group."""
    groups: list[list[_Token]] = []
    for t in tokens:
        if groups and _LIST_SEP_RE.match(text[groups[-1][-1].end:t.start]):
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


class _Bounds:
    """Clause and sentence boundaries of one text, found in one regex pass each and looked up by
    bisection: walking character by character from every number to the nearest "，" or "。" was a
    Python step per character, several times per number."""

    __slots__ = ("_clause_ends", "_n", "_sentence_ends", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._n = len(text)
        self._clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(text)]
        self._sentence_ends: list[int] | None = None  # found on the first sentence asked for

    def clause_start(self, pos: int) -> int:
        """Just after the last clause end before ``pos`` (0 if none)."""
        i = bisect_left(self._clause_ends, pos)
        return self._clause_ends[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        """The first clause end at or after ``pos`` (the text's length if none)."""
        i = bisect_left(self._clause_ends, pos)
        return self._clause_ends[i] if i < len(self._clause_ends) else self._n

    def sentence_start(self, pos: int) -> int:
        """As ``sentence_bounds(text, pos, …)[0]``."""
        ends = self._sentence_positions()
        i = bisect_left(ends, pos)
        return ends[i - 1] + 1 if i else 0

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """As ``_blocks.sentence_bounds(text, start, end)``: the closing 。！？； is included, a line break not."""
        ends = self._sentence_positions()
        i = bisect_left(ends, end)
        e = ends[i] if i < len(ends) else self._n
        if e < self._n and self._text[e] != "\n":
            e += 1
        return self.sentence_start(start), e

    def _sentence_positions(self) -> list[int]:
        if self._sentence_ends is None:
            self._sentence_ends = [m.start() for m in _SENTENCE_END_RE.finditer(self._text)]
        return self._sentence_ends


def _prefix_comparator(prefix: str) -> tuple[str | None, str]:
    """(comparator, prefix without it) from the words just before a number."""
    p = prefix.rstrip()
    if p.endswith(_PREFIX_WORDS):  # one test for the whole list below, which most prefixes fail
        for word, sym in _PREFIX_BOUNDS:  # longest first
            if p.endswith(word):
                return sym, p[: -len(word)]
    m = _LEVEL_RE.search(p)
    if m:
        return "=", p[: m.start()]
    if _RATE_RE.search(p):
        return "=", p
    m = _AT_LEAST_NEAR_RE.search(p)  # 至少安排1名, 不少于建设3个
    if m:
        return _PREFIX_SYMBOLS[m.group(1)], p[: m.start()]
    # 达到 X 的 / 为 X: allow a few words between the verb and the number (实现 90%的教师…)
    m = _LEVEL_NEAR_RE.search(p)
    if m and m.group(1) not in ("实现", "为"):
        return "=", p[: m.start()]
    for pattern, sym in ((_UP_RE, "+"), (_DOWN_RE, "-")):
        m = pattern.search(p)
        if m:
            return sym, p[: m.start()]
    m = _CHANGE_NEAR_RE.search(p)
    if m:
        return ("+" if m.group(1) in _UP_WORDS else "-"), p[: m.start()]
    return None, p


def _year_markers(text: str, bounds: _Bounds) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """(position, year, end of scope) of every target-year marker, in order; and the spans of all
    marker matches (in pattern order), whose numbers are not quantities.

    "到2025年，…" opening a sentence (or right after a run-in heading) and schedule markers ("2019年，…",
    "自2019年起", "2019年1月—3月：") govern the rest of the paragraph until the next marker; "到2025年"
    inside a sentence ("…，到2025年全区耗水总量控制在…") and "2019年达到…" govern only their sentence.

    Each pattern is a scan of the text in Python's regex engine, which has no literal to skip ahead
    to, so the scans start where a marker could begin at the earliest: every marker names a year
    20xx, preceded at most by 到/自/力争 and spaces (lookbehinds still see the text before the start)."""
    found: dict[int, tuple[int, int]] = {}
    spans: list[tuple[int, int]] = []
    first_year = _YEAR20_RE.search(text)
    if first_year:
        lo = first_year.start()
        while lo > 0 and text[lo - 1].isspace():  # \s, as in the patterns
            lo -= 1
        lo = max(0, lo - len("力争"))
        for k, (pattern, needs) in enumerate(zip(_YEAR_MARKERS, _MARKER_NEEDS, strict=True)):
            if not needs.search(text):
                continue
            for m in pattern.finditer(text, lo):
                spans.append(m.span())
                y = m.group("y") or m.groupdict().get("y0")
                if not y or m.end() in found:  # the first pattern to end here wins
                    continue
                if k in (3, 6) or (k == 0 and _RUN_IN_LABEL_RE.sub("", text[bounds.sentence_start(m.start()):m.start()])
                                   .strip(" （(")):
                    # 到YYYY年 inside a sentence, YYYY年—YYYY年, "2019年达到…": this sentence only
                    nxt = _SENTENCE_STOP_RE.search(text, m.end())
                else:
                    # until the end of the paragraph: a line break, or a responsibility note 〔…〕/[…] that
                    # closes a measure and is followed by the next one (paragraphs the converter ran together)
                    nxt = _PARAGRAPH_END_RE.search(text, m.end())
                found[m.end()] = (int(y), nxt.start() if nxt else len(text))
    return sorted((pos, y, end) for pos, (y, end) in found.items()), spans


def _clean_indicator(s: str) -> str:
    s = _LIST_NUMBER_PREFIX_RE.sub("", s) if _LIST_NUMBER_RE.match(s) else s
    if "20" in s:  # the patterns below scan every position; most indicators have no year and no tail word
        s = _INDICATOR_YEAR_RE.sub("", s)
    s = _INDICATOR_LEAD_RE.sub("", s).strip()
    if s.endswith(_INDICATOR_TRAIL_WORDS):
        s = _INDICATOR_TRAIL_RE.sub("", s)
    return s.strip(" ，,：:、（(")


@dataclass(slots=True)
class _Scope:
    past: bool = False
    goal: bool = False
    year: int | None = None  # a year that governs the whole block (table column)
    default_year: int | None = None  # the plan period of a caption (“十四五”时期主要指标) when no year is printed


def prose_targets(text: str, block: Block | None, scope: _Scope) -> list[Target]:
    """Targets in one piece of prose; spans point into ``block`` (source lines) when it is given."""
    if scope.past or not text or not _DIGIT_RE.search(text):
        return []
    tokens = _tokens(text)
    if not tokens:
        return []
    bounds = _Bounds(text)
    markers, marker_spans = _year_markers(text, bounds)
    horizons = [m.span() for m in _HORIZON_RE.finditer(text)] if any(w in text for w in _HORIZON_NEEDS) else []
    marker_spans += horizons  # their numbers are years, not quantities
    if marker_spans:
        tokens = [t for t in tokens if not any(a <= t.start < b for a, b in marker_spans)]
    out: list[Target] = []
    lines: LineMap | None = None  # built on the first target: most blocks have none
    groups = _groups(text, tokens)
    condition: tuple[int, str] | None = None  # (end, text) of the last scope condition skipped
    for gi, group in enumerate(groups):
        first, last = group[0], group[-1]
        c_start, c_end = bounds.clause_start(first.start), bounds.clause_end(last.end)
        clause = text[c_start:c_end]
        if _RULE_RE.search(clause):
            continue
        prefix = text[c_start:first.start]
        prefix_wo_year = prefix
        for a, b in marker_spans:
            if c_start <= a and b <= first.start:
                prefix_wo_year = prefix_wo_year.replace(text[a:b], "")
        if not prefix_wo_year.strip(" ，,、:：\t（(") and (
                prefix_wo_year != prefix
                or (c_start and _YEAR_CLAUSE_RE.fullmatch(text, bounds.clause_start(c_start - 1), c_start - 1))):
            continue  # the number is the clause's subject: "2020年，3所学校根据自身实际…"
        if "给予" in prefix or ((last.unit or "").endswith("元") and _PER_UNIT_RE.search(clause)):
            continue  # a benefit or funding standard
        if _MEASURE_QUALIFIER_RE.search(prefix):
            continue
        comparator, head = _prefix_comparator(prefix)
        if comparator is None and (far := _AT_LEAST_FAR_RE.search(prefix)):
            comparator, head = _PREFIX_SYMBOLS[far.group(1)], prefix[: far.start()] + prefix[far.end():]
        if comparator is None and _COUNT_GOAL_RE.search(prefix_wo_year.strip(" ，,、")) and not (last.unit or "").endswith("元"):
            comparator = "="  # 新增国家级“小巨人”企业10家: a count to reach
        if gi > 0 and groups[gi - 1][-1].end > c_start:  # 人工造林10.2万亩、封山育林10.8万亩: after the last value
            head = text[groups[gi - 1][-1].end:first.start]
            head = _prefix_comparator(_AFTER_LAST_VALUE_RE.sub("", head))[1]
            if head.rstrip().endswith(("和", "及", "与", "或")):  # 1个人工智能教室和1个VR教室: the noun follows
                head = ""
        suffix = _SUFFIX_AFTER_NOTE_RE.match(text, last.end)
        bound = _SUFFIX_BOUNDS[suffix.group("w")] if suffix else None
        a0 = suffix.end() if suffix else last.end
        after = text[a0:a0 + 12]
        unit = last.unit
        # N人以上的单位 / 6个月以上(以工资表证明)的: a scope qualifier, unless a share (80%以上的村卫生室)
        # or a count the clause's verb asks for (至少培育…1名以上的领跑者); 未超过3家的，…: a condition
        if unit not in ("%", "％") and _QUALIFIER_OF_RE.match(after):
            if (bound in ("≥", "≤") and comparator is None) or (unit or "").endswith("元"):
                # 入驻企业20户以上的(集群): a scope condition of what follows, kept with it
                words = _CONDITION_HEAD_RE.sub("", head.strip(" ，,、"), count=1)
                condition = (a0, words + text[first.start:a0].strip())
                continue
            if _CONDITION_OF_RE.match(after) and (bound or comparator not in (None, "=")):
                continue
        if (gi + 1 < len(groups) and (comparator in (">", "≥") or bound in (">", "≥"))
                and groups[gi + 1][0].start < c_end
                and _QUALIFIES_NEXT_RE.match(text[a0:groups[gi + 1][0].start].strip())):
            # 培育年产值超10亿元企业5家: the first quantity says which 企业 the second counts
            lead = len(prefix) - len(prefix.lstrip(" ，,、"))
            verbs = _CONDITION_HEAD_RE.match(prefix, lead)
            cond = text[c_start + (verbs.end() if verbs else lead):a0].strip()
            condition = (groups[gi + 1][0].start, cond + "\0" + text[a0:groups[gi + 1][0].start].strip())
            continue
        if comparator in ("+", "-") and bound:
            comparator = comparator + bound
        elif bound and comparator in (None, "="):
            comparator = bound
        # "由 X 提高到 Y": X is the base of the next group, not a target
        if gi + 1 < len(groups) and _FROM_RE.search(prefix):
            between = text[last.end:groups[gi + 1][0].start]
            if _CHANGE_TO_RE.search(between):
                continue
        year = None
        for pos, y, end in markers:
            if pos <= first.start < end:
                year = y
        horizon = bool(horizons) and horizons[0][0] <= first.start
        any_range = any(t.is_range for t in group)
        if unit and unit.endswith(_TIME_UNITS) and not (comparator and comparator not in ("=", "+", "-")):
            continue  # durations (24小时监控, 20天—30天) unless bounded (提前量达到45分钟以上)
        if not (comparator or any_range or year or horizon or scope.goal or scope.year):
            continue
        m_base = _BASE_VALUE_RE.search(prefix)
        base_value = m_base.group(1) if m_base else None
        base_year_m = _BASE_YEAR_RE.search(clause)
        indicator = _clean_indicator(_FROM_VALUE_RE.sub("", head) or head)
        this_condition = None
        if condition is not None and c_start <= condition[0] <= first.start and indicator.startswith("的"):
            indicator, this_condition = indicator[1:].strip(), condition[1]  # never a fragment 的…
        elif condition is not None and condition[0] == first.start:  # 年产值超10亿元企业5家
            this_condition, thing = condition[1].split("\0")
            indicator = this_condition + thing
        if len(indicator) <= 4:  # 建设10个生态种植示范基地: the thing counted follows the number
            tail = text[(suffix.end() if suffix else last.end):c_end]
            tail = _TAIL_STOP_RE.split(tail.lstrip("的 "), maxsplit=1)[0][:24]
            indicator = (indicator + tail).strip()
        indicator = _FRAGMENT_EDGE_RE.sub("", indicator)  # never a fragment: 的教师…, 人工智能教室和
        if not indicator:  # 取水总量由现状的5.32亿立方米提高到6.61: the name is before 由, not after the base
            indicator = _clean_indicator(_FROM_VALUE_RE.sub("", _prefix_comparator(prefix)[1]))
            indicator = _FRAGMENT_EDGE_RE.sub("", indicator)
        if not indicator and gi > 0 and out:  # …配备率达到95%以上,2019年达到100%: the indicator before it
            indicator = out[-1].indicator
        s_start, s_end = bounds.sentence_bounds(first.start, last.end)
        sentence = text[s_start:s_end].strip()
        for t in group:
            t_unit = t.unit or unit
            t_comp = "range" if t.is_range and comparator in (None, "=", "+", "-") else comparator or "="
            if lines is None and block is not None:
                lines = LineMap(block)
            span = lines.span(t.start, t.end) if lines else Span(0, 0, t.start, t.end)
            out.append(Target(
                indicator=indicator, comparator=t_comp, value=t.value, unit=t_unit,
                year=year or scope.year or scope.default_year, base_value=base_value,
                base_year=int(base_year_m.group(1)) if base_year_m else None, nature=None,
                text=sentence, span=span, condition=this_condition))
    return out


# ---------------------------------------------------------------- tables

_YEAR_COL_RE = re.compile(r"^(?:到\s*)?(20\d\d)\s*年(?:底|末)?(?:目标值?|预期值?|值)?$")
_CELL_RE = re.compile(rf"^(?P<cmp>[>＞<＜≥≤])?\s*(?P<v>{_NUM}(?:\s*{_DASH}+\s*{_NUM})?)\s*(?P<pct>[%％])?\s*(?P<suf>以上|以下|以内|左右)?$")
_NAME_UNIT_RE = re.compile(r"\s*[（(]\s*([^（）()]{1,8})\s*[）)]\s*$")
_ROW_NUMBER_RE = re.compile(r"^\s*\d+\s*[.．、]\s*")
_REACH_SUFFIX_RE = re.compile(r"达到以上$|达到$")
_DASHES_RE = re.compile(rf"{_DASH}+")
_TAG_RE = re.compile(r"</?\w+>")


def _plan_year(text: str) -> int | None:
    m = re.search(r"到\s*(20\d\d)\s*年", text)
    if m:
        return int(m.group(1))
    for name, year in _PLAN_PERIODS.items():
        if name in text:
            return year
    return None


def _cell_value(cell: str) -> tuple[str | None, str, str | None] | None:
    """(comparator, value, '%' or None) of a table cell, or None when it holds no number."""
    s = _SPACES_RE.sub("", cell)
    m = _CELL_RE.match(s)
    if not m:
        return None
    cmp = {"＞": ">", "＜": "<"}.get(m.group("cmp") or "", m.group("cmp"))
    if m.group("suf"):
        cmp = _SUFFIX_BOUNDS[m.group("suf")]
    value = _DASHES_RE.sub("—", m.group("v"))
    if "—" in value:
        cmp = cmp or "range"
    return cmp or "=", value, "%" if m.group("pct") else None


def table_targets(block: Block, context: str, default_unit: str | None) -> list[Target] | None:
    """Targets of an indicator table, or None when the table is not an indicator table."""
    table = block.table
    if table is None or len(table.rows) < 2:
        return None
    first, header_n = header_rows(table)  # a caption row (专栏1 …主要指标) is not the header
    caption = " ".join(c.text for r in table.rows[:first] for c in r if c.text.strip())
    context = f"{context} {caption}" if caption else context
    header = [_SPACES_RE.sub("", c.text) for c in table.rows[first]]
    attr_col = next((i for i, h in enumerate(header) if "属性" in h), None)
    goal_col = next((i for i, h in enumerate(header) if "目标" in h and "属性" not in h), None)
    year_cols = [(i, int(m.group(1))) for i, h in enumerate(header) if (m := _YEAR_COL_RE.match(h))]
    base_col = next((i for i, h in enumerate(header) if re.search(r"现状|基期|基数", h)), None)
    named = re.search(r"目标|指标", context + "".join(header))
    if attr_col is None and goal_col is None and not (year_cols and named):
        return None
    if re.search(r"情况", context) and not (attr_col is not None or goal_col is not None or "目标" in context):
        return None
    name_col = next((i for i, h in enumerate(header) if "指标" in h or "项目" in h or "名称" in h), None)
    if name_col is None:
        name_col = next((i for i, h in enumerate(header) if i not in {c for c, _ in year_cols} | {attr_col, goal_col}), 0)
    targets_cols: list[tuple[int, int | None]] = []
    if goal_col is not None:
        targets_cols = [(goal_col, _plan_year(header[goal_col]) or _plan_year(context))]
    elif len(year_cols) == 2:
        base_col = year_cols[0][0]
        targets_cols = [year_cols[1]]
    else:
        targets_cols = list(year_cols)
    base_year = next((y for i, y in year_cols if i == base_col), None)
    lines = row_lines(block)
    out: list[Target] = []
    for r, row in enumerate(table.rows[header_n:], start=header_n):
        cells = [c.text.strip() for c in row]
        if len(cells) < len(header):  # a row missing its leading (merged) cell
            cells = [""] * (len(header) - len(cells)) + cells
        name_cell = cells[name_col] if name_col < len(cells) else ""
        name = _ROW_NUMBER_RE.sub("", name_cell).strip()
        m_unit = _NAME_UNIT_RE.search(name)
        name_unit = m_unit.group(1) if m_unit else None
        name = _NAME_UNIT_RE.sub("", name).strip()
        base = cells[base_col] if base_col is not None and base_col < len(cells) else None
        base = base if base and _DIGIT_RE.search(base) else None
        nature = cells[attr_col] if attr_col is not None and attr_col < len(cells) else None
        indicator = _REACH_SUFFIX_RE.sub("", name) or name
        row_text = "\t".join(cells)
        line = lines[r]  # row_lines gives every row its line
        for col, year in targets_cols:
            if col >= len(cells):
                continue
            parsed = _cell_value(cells[col])
            if parsed is None:
                continue
            cmp, value, pct = parsed
            if cmp == "=" and "以上" in name:
                cmp = "≥"
            unit = pct or (None if name_unit in ("%", "％") and not pct else name_unit) or default_unit
            if name_unit in ("%", "％"):
                unit = "%"
            out.append(Target(
                indicator=indicator, comparator=cmp, value=value, unit=unit, year=year, base_value=base,
                base_year=base_year if base else None, nature=nature, text=row_text, span=Span(line, line)))
    return out


def _cells_prose(block: Block, scope: _Scope) -> list[Target]:
    """Prose inside the cells of a non-indicator table, each cell under its column's year (到 2020 年)."""
    table = block.table
    if table is None or not table.rows:
        return []
    first, body = header_rows(table)
    header = [_SPACES_RE.sub("", c.text) for c in table.rows[first]]
    years = {i: int(m.group(1)) for i, h in enumerate(header) if (m := _YEAR_COL_RE.match(h))}
    lines = row_lines(block)
    out: list[Target] = []
    for r, row in enumerate(table.rows[body:], start=body):
        line = lines[r]  # row_lines gives every row its line
        for i, cell in enumerate(row):
            text = _TAG_RE.sub(" ", cell.text).strip()
            if len(text) < 6:
                continue
            for t in prose_targets(text, None, _Scope(past=scope.past, goal=False, year=years.get(i))):
                t.span = Span(line, line)
                out.append(t)
    return out


# ---------------------------------------------------------------- document


def _caption_scope(text: str) -> tuple[bool, bool] | None:
    """(past, goal) for a short caption line that introduces a list or table, else None."""
    if len(text) > 40 or text.endswith(("。", "；")):
        return None
    if re.search(r"完成情况|实现情况|情况$", text):
        return True, False
    if re.search(r"目标|指标", text):
        return False, True
    return None


def find_targets(document: Document) -> list[Target]:
    """Targets in a document's prose and indicator tables, in reading order."""
    if document.kind == "经济数据":
        return []
    out: list[Target] = []
    for part_title, blocks in document.parts():
        # a caption line (“十四五”时期主要指标与预期目标) governs the list or table after it, within its section
        caption: tuple[bool, bool] | None = None
        caption_year: int | None = None
        caption_path: tuple[str, ...] = ()
        title_scopes: dict[tuple[str, ...], tuple[bool, bool]] = {}  # (past, goal) of the headings above
        for ctx in with_context(blocks):
            block = ctx.block
            if caption and (block.path[: len(caption_path)] != caption_path
                            or (block.kind == "heading" and len(block.path) <= len(caption_path))):
                caption, caption_year = None, None
            above = caption  # the caption governing this block (before it may become one itself)
            if block.kind == "paragraph":
                cap = _caption_scope(block.text)
                if cap is not None:
                    caption, caption_year, caption_path = cap, _plan_year(block.text), block.path
            if block.kind != "table" and not _DIGIT_RE.search(block.text):
                continue  # prose without a digit holds no target: most blocks end here
            titles = ctx.titles
            flags = title_scopes.get(titles)
            if flags is None:
                flags = title_scopes[titles] = (any(_PAST_TITLE_RE.search(t) for t in titles),
                                                any(_GOAL_TITLE_RE.search(t) for t in titles))
            past, goal = flags
            if above:
                past, goal = past or above[0], goal or above[1]
            if block.kind == "table":
                context = " ".join(x for x in (part_title, _previous_text(ctx), *ctx.titles[-1:]) if x)
                unit = _unit_line(ctx)
                found = table_targets(block, context, unit)
                if found is None:
                    found = _cells_prose(block, _Scope(past=past))
                elif past and "目标" not in context + block.text[:80]:
                    found = []
                out += found
                continue
            if any(_ARTICLE_RE.match(label) for label in block.path):
                continue  # articles of a 办法/条例 set rules and criteria, not targets
            scope = _Scope(past=past, goal=goal, default_year=caption_year)
            out += prose_targets(block.text, block, scope)
    return out


def _previous_text(ctx: Context) -> str:
    prev = ctx.previous
    if prev is None:
        return ""
    if prev.kind != "table" and re.match(r"^\s*单位\s*[:：]", prev.text):
        return ""
    return prev.title or prev.text[:60] if prev.kind != "table" else ""


def _unit_line(ctx: Context) -> str | None:
    prev = ctx.previous
    if prev is not None and prev.kind != "table":
        m = re.match(r"^\s*单位\s*[:：]\s*(\S{1,6})", prev.text)
        if m:
            return m.group(1)
    return None
