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
from collections.abc import Iterator
from dataclasses import dataclass

from gongbao import docnumber
from gongbao.extract._blocks import Context, LineMap, row_lines, sentence_bounds, with_context
from gongbao.model import Block, Document, Span, Target

# ---------------------------------------------------------------- vocabulary

_BASE_UNITS = (
    "个百分点|百分点|%|％|‰|万羊单位|平方公里|平方米|立方米|公里|千米|毫米|厘米|米|mg/kg|kg|千瓦时|千瓦|"
    "吨|人次|人|名|个|家|所|户|件|堂|节|次|项|台|座|处|条|辆|张|美元|元|周岁|岁|分钟|小时|天|周|年|月|"
    "分|倍|兆|门|期|批|种|类|套|间|床|株|头|只|亩|折"
)
UNIT_RE = rf"(?:[万亿千百]?(?:{_BASE_UNITS})|[万亿])"
_NUM = r"\d+(?:\.\d+)?"
_DASH = r"[—–\-~～至]"
_QTY_RE = re.compile(
    rf"(?P<range>(?P<lo>{_NUM})\s*(?P<u1>{UNIT_RE})?\s*{_DASH}+\s*(?P<hi>{_NUM}))"
    rf"|(?P<ratio>{_NUM}\s*[:：]\s*{_NUM})"
    rf"|(?P<num>{_NUM})"
)
_UNIT_AFTER_RE = re.compile(rf"\s*(?:[（(]\s*)?(?P<unit>{UNIT_RE})(?:\s*[）)])?")
_PAREN_UNIT_RE = re.compile(r"\s*[（(]\s*次\s*[）)]")

_CLAUSE_END = "，,；;。！？!?：:\n"
_LIST_SEP_RE = re.compile(r"^\s*(?:、|和|及|与|或)\s*$")

# comparators written before the number, longest first; "=" marks a level to reach
_PREFIX_BOUNDS = [
    ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("最少", "≥"),
    ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"), ("不多于", "≤"), ("最多", "≤"),
    ("超过", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"),
    ("低于", "<"), ("少于", "<"), ("小于", "<"),
    ("≥", "≥"), ("≤", "≤"), (">", ">"), ("<", "<"), ("＞", ">"), ("＜", "<"),
]
_LEVEL_RE = re.compile(
    r"(?:达到并稳定在|达到|提高到|提高至|提升至|提升到|增加到|增加至|增长到|增长至|扩大到|扩大至|下降至|下降到|"
    r"降低到|降低至|降至|降到|减少到|减少至|压减到|压减至|控制在|稳定在|保持在|维持在|调整到|调整为|突破|达)$")
_UP_RE = re.compile(r"(?:增加|提高|增长|提升|扩大|高)$")
_DOWN_RE = re.compile(r"(?:下降|降低|减少|压减|缩减|削减)$")
_SUFFIX_RE = re.compile(r"\s*(?:及以上|以上|以下|以内|左右|上下)")
_SUFFIX_AFTER_NOTE_RE = re.compile(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*(?P<w>及以上|以上|以下|以内|左右|上下)")
_SUFFIX_BOUNDS = {"及以上": "≥", "以上": "≥", "以下": "≤", "以内": "≤", "左右": "≈", "上下": "≈"}

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

# year markers: what follows is a target for that year
_YEAR_MARKERS = [
    re.compile(r"(?<![较比在和与])到\s*(?P<y>20\d\d)\s*年"),
    re.compile(r"自\s*(?P<y>20\d\d)\s*年起"),
    re.compile(r"(?P<y0>20\d\d)\s*年\s*(?:\d{1,2}\s*月)?\s*[—\-至]\s*(?:(?P<y>20\d\d)\s*年)?\s*(?P<m>\d{1,2})\s*月\s*[：:]"),
    re.compile(r"(?<![较比在和与\d])(?P<y0>20\d\d)\s*年?\s*[—\-至]\s*(?P<y>20\d\d)\s*年(?!\s*[)）])"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:力争)?\s*(?P<y>20\d\d)\s*年(?:\s*\d{1,2}\s*月)?\s*(?:年底|底|末|内)?\s*(?:前)?\s*[,，、:：]"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?:力争)?\s*(?P<y>20\d\d)\s*年(?:\s*\d{1,2}\s*月)?\s*(?:年底|底|末)\s*(?:前)?"),
    re.compile(r"(?:^|(?<=[。；;，,]))\s*(?P<y>20\d\d)\s*年(?![度以来的前后起初底末\d,，、:：—\-])"),
]
_PARAGRAPH_END_RE = re.compile(r"\n|[〕\]】](?=[\u4e00-\u9fff])")
_HORIZON_RE = re.compile(r"用\s*\d+\s*年(?:\s*[—\-至]\s*\d+\s*年)?\s*(?:左右)?\s*时间|(?:力争|通过)\s*\d+\s*年|\d+\s*年(?=新增|内|的努力|时间)")
_ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条$")
_MASK_RE = re.compile(r"《[^》]*》|〈[^〉]*〉|[“\"][^”\"]{1,12}[”\"]|[（(]\s*\d{1,2}\s*[）)]")
_YEAR_NUM_RE = re.compile(r"(?:19|20)\d\d")
_YEAR_AFTER_RE = re.compile(r"\s*年")
_FORMULA_RE = re.compile(r"[^，,。；;、\s“”\"《》]{0,6}[+＋]")
_BARE_OK_RE = re.compile(r"\s*(?:及以上|以上|以下|以内|左右|[、和或%％]|[，,；;。）)]|$)")
_DIGIT_RE = re.compile(r"\d")
_MAYBE_NUMBER_RE = re.compile(r"[〔\[［（(【〖{｛]\s*(?:19|20)\d\d")
_BASE_YEAR_RE = re.compile(r"(?:较|比|与|在)\s*(20\d\d)\s*年")


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # after the unit
    value: str
    unit: str | None
    is_range: bool


# ---------------------------------------------------------------- prose


def _masked(text: str) -> list[tuple[int, int]]:
    """Regions whose digits are not quantities: titles in 《》, short quoted names (“12369”), 文号."""
    spans = [(m.start(), m.end()) for m in _MASK_RE.finditer(text)]
    if _MAYBE_NUMBER_RE.search(text):
        spans += [(s, e) for _, s, e in docnumber.find(text)]
    return spans


def _tokens(text: str) -> list[_Token]:
    masked = _masked(text)
    out: list[_Token] = []
    for m in _QTY_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in masked):
            continue
        before = text[max(0, s - 6):s]
        if _NOT_BEFORE_RE.search(before) or (s > 0 and text[s - 1] in ".．+"):
            continue
        if e < len(text) and (text[e] in "+＋" or (text[e].isascii() and text[e].isalpha()
                                                  and not text.startswith(("mg", "kg"), e))):
            continue  # 5G, 3D, 10+N: names and formulas
        if m.group("num") and _YEAR_NUM_RE.fullmatch(m.group("num")) and _YEAR_AFTER_RE.match(text, e):
            continue  # a year
        if m.group("range") and _YEAR_NUM_RE.fullmatch(m.group("lo")):
            continue  # a year range
        # a list label: "1." or "2、" at the start of a clause
        if m.group("num") and text[e:e + 1] in ".．、" and not text[e + 1:e + 2].isdigit() and (
                s == 0 or text[s - 1] in _CLAUSE_END + " "):
            continue
        unit = None
        u = _UNIT_AFTER_RE.match(text, e)
        if u:
            unit = u.group("unit")
            e = u.end()
            p = _PAREN_UNIT_RE.match(text, e)
            if p:
                unit += "(次)"
                e = p.end()
        elif m.group("range") and m.group("u1"):
            unit = m.group("u1")
        if _FORMULA_RE.match(text, e):
            continue  # 1个数据中心+N个服务平台: a formula, not a quantity
        if unit is None and not (m.group("range") or m.group("ratio")) and not _BARE_OK_RE.match(text[e:e + 3]):
            continue  # a bare number glued to a word (120急救, 5G): a name, not a quantity
        if m.group("range"):
            value = f"{m.group('lo')}—{m.group('hi')}"
        elif m.group("ratio"):
            value = re.sub(r"\s+", "", m.group("ratio")).replace("：", ":")
        else:
            value = m.group("num")
        if unit and unit.endswith(_SKIP_UNITS) and not unit.endswith("个百分点"):
            continue  # dates, durations in years/months, ages, discounts
        out.append(_Token(s, e, value, unit, bool(m.group("range"))))
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


def _clause_start(text: str, pos: int) -> int:
    k = pos
    while k > 0 and text[k - 1] not in _CLAUSE_END:
        k -= 1
    return k


def _clause_end(text: str, pos: int) -> int:
    k = pos
    while k < len(text) and text[k] not in _CLAUSE_END:
        k += 1
    return k


def _prefix_comparator(prefix: str) -> tuple[str | None, str]:
    """(comparator, prefix without it) from the words just before a number."""
    p = prefix.rstrip()
    for word, sym in _PREFIX_BOUNDS:
        if p.endswith(word):
            return sym, p[: -len(word)]
    m = _LEVEL_RE.search(p)
    if m:
        return "=", p[: m.start()]
    m = re.search(r"(不低于|不少于|至少|不超过|最多)[^，。；、\d]{1,4}$", p)  # 至少安排1名, 不少于建设3个
    if m:
        return dict(_PREFIX_BOUNDS)[m.group(1)], p[: m.start()]
    # 达到 X 的 / 为 X: allow a few words between the verb and the number (实现 90%的教师…)
    m = re.search(r"(达到|提高到|提升至|控制在|稳定在|保持在|实现|为)[^，。；、]{0,3}$", p)
    if m and m.group(1) not in ("实现", "为"):
        return "=", p[: m.start()]
    for pattern, sym in ((_UP_RE, "+"), (_DOWN_RE, "-")):
        m = pattern.search(p)
        if m:
            return sym, p[: m.start()]
    m = re.search(r"(增加|提高|增长|提升|下降|降低|减少)[^，。；]{0,4}$", p)
    if m:
        return ("+" if m.group(1) in ("增加", "提高", "增长", "提升") else "-"), p[: m.start()]
    return None, p


def _year_markers(text: str) -> list[tuple[int, int, int]]:
    """(position, year, end of scope) of every target-year marker, in order.

    "到2025年，…" opening a sentence (or right after a run-in heading) and schedule markers ("2019年，…",
    "自2019年起", "2019年1月—3月：") govern the rest of the paragraph until the next marker; "到2025年"
    inside a sentence ("…，到2025年全区耗水总量控制在…") and "2019年达到…" govern only their sentence."""
    found: dict[int, tuple[int, int]] = {}
    for k, pattern in enumerate(_YEAR_MARKERS):
        for m in pattern.finditer(text):
            y = m.group("y") or m.groupdict().get("y0")
            if not y:
                continue
            sentence_start = sentence_bounds(text, m.start(), m.end())[0]
            opens_sentence = not re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?[^，。；]{0,12}。", "",
                                        text[sentence_start:m.start()]).strip(" （(")
            if k in (3, 6) or (k == 0 and not opens_sentence):
                # 到YYYY年 inside a sentence, YYYY年—YYYY年, "2019年达到…": this sentence only
                end = m.end()
                while end < len(text) and text[end] not in "。！？!?\n":
                    end += 1
            else:
                # until the end of the paragraph: a line break, or a responsibility note 〔…〕/[…] that
                # closes a measure and is followed by the next one (paragraphs the converter ran together)
                nxt = _PARAGRAPH_END_RE.search(text, m.end())
                end = nxt.start() if nxt else len(text)
            found.setdefault(m.end(), (int(y), end))
    return sorted((pos, y, end) for pos, (y, end) in found.items())


def _marker_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in _YEAR_MARKERS:
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += [(m.start(), m.end()) for m in _HORIZON_RE.finditer(text)]
    return spans


def _clean_indicator(s: str) -> str:
    s = re.sub(r"^[\s\d.．、（）()一二三四五六七八九十]*[.．、）)]\s*", "", s) if re.match(r"^\s*[（(]?[\d一二三四五六七八九十]+[.．、）)]", s) else s
    s = re.sub(r"(?:到|至)?\s*20\d\d\s*年(?:年底|底|末)?(?:前)?[,，]?", "", s)
    s = re.sub(r"^(?:力争|确保|争取|其中|全面|逐步|进一步|同时|并|要|使|实现|努力)+", "", s)
    s = re.sub(r"(?:分别|均|累计|要|的|将|持续|逐步|基本|全部|力争|达)+$", "", s.strip())
    return s.strip(" ，,：:、（(")


def unit_of(group: list[_Token]) -> str | None:
    return group[-1].unit


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
    markers = _year_markers(text)
    horizons = [m.start() for m in _HORIZON_RE.finditer(text)]
    marker_spans = _marker_spans(text)
    tokens = [t for t in tokens if not any(a <= t.start < b for a, b in marker_spans)]
    out: list[Target] = []
    lines: LineMap | None = None  # built on the first target: most blocks have none
    groups = _groups(text, tokens)
    for gi, group in enumerate(groups):
        first, last = group[0], group[-1]
        c_start, c_end = _clause_start(text, first.start), _clause_end(text, last.end)
        clause = text[c_start:c_end]
        if _RULE_RE.search(clause):
            continue
        prefix = text[c_start:first.start]
        prefix_wo_year = prefix
        for a, b in marker_spans:
            if c_start <= a and b <= first.start:
                prefix_wo_year = prefix_wo_year.replace(text[a:b], "")
        prev_clause = text[_clause_start(text, c_start - 1):max(0, c_start - 1)] if c_start else ""
        after_year = prefix_wo_year != prefix or bool(re.fullmatch(r"\s*(?:力争)?\s*20\d\d\s*年[^，,]{0,6}", prev_clause))
        if not prefix_wo_year.strip(" ，,、:：\t（(") and after_year:
            continue  # the number is the clause's subject: "2020年，3所学校根据自身实际…"
        if "给予" in prefix or ((unit_of(group) or "").endswith("元") and _PER_UNIT_RE.search(clause)):
            continue  # a benefit or funding standard
        if _MEASURE_QUALIFIER_RE.search(prefix):
            continue
        comparator, head = _prefix_comparator(prefix)
        if gi > 0 and groups[gi - 1][-1].end > c_start:  # 人工造林10.2万亩、封山育林10.8万亩: after the last value
            head = text[groups[gi - 1][-1].end:first.start]
            head = _prefix_comparator(re.sub(r"^[、，,\s]*(?:及以上|以上|以下|以内|左右)?[、，,\s]*", "", head))[1]
        suffix = _SUFFIX_AFTER_NOTE_RE.match(text, last.end)
        bound = _SUFFIX_BOUNDS[suffix.group("w")] if suffix else None
        a0 = suffix.end() if suffix else last.end
        after = text[a0:a0 + 12]
        unit = last.unit
        # N人以上的单位 / 6个月以上(以工资表证明)的: a scope qualifier, unless a share (80%以上的村卫生室)
        # or a count the clause's verb asks for (至少培育…1名以上的领跑者); 未超过3家的，…: a condition
        if unit not in ("%", "％") and re.match(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*的", after):
            if (bound in ("≥", "≤") and comparator is None) or (unit or "").endswith("元"):
                continue
            if re.match(r"\s*(?:[（(][^）)]{0,12}[）)])?\s*的\s*[，,；;]", after) and (bound or comparator not in (None, "=")):
                continue
        if comparator in ("+", "-") and bound:
            comparator = comparator + bound
        elif bound and comparator in (None, "="):
            comparator = bound
        # "由 X 提高到 Y": X is the base of the next group, not a target
        if gi + 1 < len(groups) and re.search(r"[由从][^，。；]{0,8}$", prefix):
            between = text[last.end:groups[gi + 1][0].start]
            if re.search(r"(?:提高|提升|下降|降低|增加|减少|增长)(?:到|至)", between):
                continue
        year = None
        for pos, y, end in markers:
            if pos <= first.start < end:
                year = y
        horizon = any(h <= first.start for h in horizons)
        any_range = any(t.is_range for t in group)
        if unit and unit.endswith(_TIME_UNITS) and not (comparator and comparator not in ("=", "+", "-")):
            continue  # durations (24小时监控, 20天—30天) unless bounded (提前量达到45分钟以上)
        if not (comparator or any_range or year or horizon or scope.goal or scope.year):
            continue
        base_value = None
        m_base = re.search(rf"[由从][^，。；]{{0,8}}?({_NUM})\s*{UNIT_RE}?[^，。；]{{0,6}}(?:提高|提升|下降|降低|增加|减少|增长)(?:到|至)\s*$",
                           prefix)
        if m_base:
            base_value = m_base.group(1)
        base_year_m = _BASE_YEAR_RE.search(clause)
        indicator = _clean_indicator(re.sub(rf"[由从][^，。；]{{0,12}}{_NUM}.*$", "", head) or head)
        if len(indicator) <= 4:  # 建设10个生态种植示范基地: the thing counted follows the number
            tail = text[(suffix.end() if suffix else last.end):c_end]
            tail = re.split(r"[、，,。；;（(]", tail.lstrip("的 "), maxsplit=1)[0][:24]
            indicator = (indicator + tail).strip()
        s_start, s_end = sentence_bounds(text, first.start, last.end)
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
                text=sentence, span=span))
    return out


# ---------------------------------------------------------------- tables

_YEAR_COL_RE = re.compile(r"^(?:到\s*)?(20\d\d)\s*年(?:底|末)?(?:目标值?|预期值?|值)?$")
_CELL_RE = re.compile(rf"^(?P<cmp>[>＞<＜≥≤])?\s*(?P<v>{_NUM}(?:\s*{_DASH}+\s*{_NUM})?)\s*(?P<pct>[%％])?\s*(?P<suf>以上|以下|以内|左右)?$")
_NAME_UNIT_RE = re.compile(r"\s*[（(]\s*([^（）()]{1,8})\s*[）)]\s*$")


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
    s = re.sub(r"\s+", "", cell)
    m = _CELL_RE.match(s)
    if not m:
        return None
    cmp = {"＞": ">", "＜": "<"}.get(m.group("cmp") or "", m.group("cmp"))
    if m.group("suf"):
        cmp = _SUFFIX_BOUNDS[m.group("suf")]
    value = re.sub(rf"{_DASH}+", "—", m.group("v"))
    if "—" in value:
        cmp = cmp or "range"
    return cmp or "=", value, "%" if m.group("pct") else None


def table_targets(block: Block, context: str, default_unit: str | None) -> list[Target] | None:
    """Targets of an indicator table, or None when the table is not an indicator table."""
    table = block.table
    if table is None or len(table.rows) < 2:
        return None
    header_n = max(1, table.header_rows)
    header = [re.sub(r"\s+", "", c.text) for c in table.rows[0]]
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
        name = re.sub(r"^\s*\d+\s*[.．、]\s*", "", name_cell).strip()
        m_unit = _NAME_UNIT_RE.search(name)
        name_unit = m_unit.group(1) if m_unit else None
        name = _NAME_UNIT_RE.sub("", name).strip()
        for col, year in targets_cols:
            if col >= len(cells):
                continue
            parsed = _cell_value(cells[col])
            if parsed is None:
                continue
            cmp, value, pct = parsed
            if cmp == "=" and re.search(r"以上", name):
                cmp = "≥"
            unit = pct or (None if name_unit in ("%", "％") and not pct else name_unit) or default_unit
            if name_unit in ("%", "％"):
                unit = "%"
            base = cells[base_col] if base_col is not None and base_col < len(cells) else None
            base = base if base and re.search(r"\d", base) else None
            line = lines[r] if r < len(lines) else block.span.start_line
            out.append(Target(
                indicator=re.sub(r"达到以上$|达到$", "", name) or name, comparator=cmp, value=value, unit=unit,
                year=year, base_value=base, base_year=base_year if base else None,
                nature=cells[attr_col] if attr_col is not None and attr_col < len(cells) else None,
                text="\t".join(cells), span=Span(line, line)))
    return out


def _cells_prose(block: Block, scope: _Scope) -> list[Target]:
    """Prose inside the cells of a non-indicator table, each cell under its column's year (到 2020 年)."""
    table = block.table
    if table is None or not table.rows:
        return []
    header = [re.sub(r"\s+", "", c.text) for c in table.rows[0]]
    years = {i: int(m.group(1)) for i, h in enumerate(header) if (m := _YEAR_COL_RE.match(h))}
    lines = row_lines(block)
    out: list[Target] = []
    for r, row in enumerate(table.rows[max(1, table.header_rows):], start=max(1, table.header_rows)):
        for i, cell in enumerate(row):
            text = re.sub(r"</?\w+>", " ", cell.text).strip()
            if len(text) < 6:
                continue
            line = lines[r] if r < len(lines) else block.span.start_line
            for t in prose_targets(text, None, _Scope(past=scope.past, goal=False, year=years.get(i))):
                t.span = Span(line, line)
                out.append(t)
    return out


# ---------------------------------------------------------------- document


def _parts(document: Document) -> Iterator[tuple[str, list[Block]]]:
    """(part title, blocks): the notice, each enclosure, each printed annex."""
    yield document.title, list(document.body)
    for e in document.enclosures:
        yield e.title, list(e.body)
    for a in document.attachments:
        yield a.title, list(a.body)


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
    for part_title, blocks in _parts(document):
        # a caption line (“十四五”时期主要指标与预期目标) governs the list or table after it, within its section
        caption: tuple[bool, bool] | None = None
        caption_year: int | None = None
        caption_path: tuple[str, ...] = ()
        for ctx in with_context(blocks):
            block = ctx.block
            if caption and (block.path[: len(caption_path)] != caption_path
                            or (block.kind == "heading" and len(block.path) <= len(caption_path))):
                caption, caption_year = None, None
            past = any(_PAST_TITLE_RE.search(t) for t in ctx.titles)
            goal = any(_GOAL_TITLE_RE.search(t) for t in ctx.titles)
            if caption:
                past, goal = past or caption[0], goal or caption[1]
            if block.kind == "table":
                context = " ".join(x for x in (part_title, _previous_text(ctx), *ctx.titles[-1:]) if x)
                unit = _unit_line(ctx)
                found = table_targets(block, context, unit)
                if found is None:
                    found = _cells_prose(block, _Scope(past=past))
                elif past and not re.search(r"目标", context + block.text[:80]):
                    found = []
                out += found
                continue
            if block.kind == "paragraph":
                cap = _caption_scope(block.text)
                if cap is not None:
                    caption, caption_year, caption_path = cap, _plan_year(block.text), block.path
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
