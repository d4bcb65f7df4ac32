"""Organ names as responsibility notes print them: split, expanded to full names, matched through aliases.

A note says 〔自治区科技厅、财政厅负责〕 and means 自治区科技厅 + 自治区财政厅: a leading jurisdiction prefix is
shared by the bare names after it, and a name after a comma break that prints no prefix of its own is an
organ of the gazette's own jurisdiction. Some names carry their own place or system and never take the
prefix (宁夏气象局, 银川海关, 人民银行银川中心支行, 中国电信中卫分公司); collectives (各市、县（区）人民政府) are
one unit each, although they contain 、. A party prefix (自治区党委, 市委) is inherited only by party organs:
市委宣传部、网络安全与信息化办公室 is 市委网络安全与信息化办公室, but 市委宣传部、自然资源局 is 市自然资源局.

Names are kept as printed (expanded, brackets in full width); :func:`canonical` gives the alias-normalised
form (发展改革委 = 发展和改革委员会, 医保局 = 医疗保障局) used to match ``--unit`` queries. The alias table is
data (``gongbao/data/org_aliases.json``), scoped by level and by region, because a 厅 is provincial and a 局
municipal, and 宁东管委会 means something only in 宁夏.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

# --- the data -----------------------------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    text = resources.files("gongbao").joinpath("data/org_aliases.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _body_rules(level: str | None) -> tuple[tuple[str, str], ...]:
    """(abbreviation, full) pairs, longest abbreviation first, general rules plus the level's own."""
    rules = dict(_data()["body"])
    if level:
        rules.update(_data().get("levels", {}).get(level, {}))
    return tuple(sorted(rules.items(), key=lambda kv: -len(kv[0])))


# --- jurisdictions ------------------------------------------------------------------------------------

_LEVELS: tuple[tuple[str, str], ...] = (  # (region-name ending, prefix as printed in notes)
    ("自治区", "自治区"), ("自治州", "州"), ("省", "省"), ("市", "市"), ("县", "县"), ("区", "区"), ("州", "州"),
    ("盟", "盟"), ("旗", "旗"),
)
_PARTY = {"自治区": "自治区党委", "省": "省委", "市": "市委", "县": "县委", "区": "区委", "州": "州委", "盟": "盟委",
          "旗": "旗委"}
_SHORT_RE = re.compile(r"(?:回族自治区|壮族自治区|维吾尔自治区|自治区|省|市|县|区|自治州|州|盟|旗)$")


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """Whose gazette it is: the region's name, the prefix its notes print (自治区, 市) and its party prefix.

    ``places`` are place names whose organs name themselves (宁夏…, 银川海关, 宁东管委会); ``scopes`` are the
    keys of the region- and city-scoped tables of proper names.
    """

    name: str
    prefix: str
    party: str
    places: tuple[str, ...]
    scopes: tuple[str, ...]


_SPACE_RE = re.compile(r"\s+")
_GAZETTE_TAIL_RE = re.compile(r"(?:人民政府|政府)?(?:公报|公报.*)$")
_GOVERNMENT_TAIL_RE = re.compile(r"(?:人民政府|政府)$")
_PLACE_LEVEL_RE = re.compile(r"(?:回族自治区|壮族自治区|维吾尔自治区|自治区|市|县|区|旗)")


@lru_cache(maxsize=1024)
def jurisdiction_of(gazette_name: str | None) -> Jurisdiction | None:
    """The jurisdiction of a gazette from its name (宁夏回族自治区人民政府公报 → 自治区; 中卫市人民政府公报 → 市).

    Cached: every document and every ledger row asks, and a corpus has a handful of gazettes."""
    if not gazette_name:
        return None
    name = _SPACE_RE.sub("", gazette_name)
    name = _GAZETTE_TAIL_RE.sub("", name)
    name = _GOVERNMENT_TAIL_RE.sub("", name)
    for ending, prefix in _LEVELS:
        if name.endswith(ending) and len(name) > len(ending):
            short = _SHORT_RE.sub("", name) or name
            places: list[str] = []
            scopes = [short]
            for region, names in _data().get("places", {}).items():
                if short == region or short in names:
                    places.extend(names)
                    scopes.insert(0, region)
            places.append(short)
            return Jurisdiction(name, prefix, _PARTY[prefix], tuple(sorted(set(places), key=len, reverse=True)),
                                tuple(dict.fromkeys(scopes)))
    return None


# --- names --------------------------------------------------------------------------------------------

_ORG_END_RE = re.compile(
    r"(?:厅|局|委|办|部|院|会|政府|部门|单位|公司|集团|银行|支行|分行|处|室|社|校|大学|学院|队|监委|法院|海关|组|馆|台|站|"
    r"所|中心|协|联|市|县|区|旗|州|盟|镇|乡|办事处|机构|企业)$"
)
_TRAILING_PAREN_RE = re.compile(r"（[^（）]*）$")
_COLLECTIVE_RE = re.compile(
    r"^(?:(?:自治区|省|市|县|区|州)?(?:级|直|属)?(?:各|有关|相关|其他|其它)|所属|本级|同级|全市|全区|全省|全县|附件"
    r"|[市县区州](?:（[^）]*）)?、)")  # 市、县（区）人民政府: a group of governments, not one
_OWN_RE = re.compile(r"^(?:国家|中国|中央|国务院|全国|国网|民航|人民银行|中铁|武警|驻)")
_PARTY_ORGAN_RE = re.compile(
    r"(?:部|网信办|网络安全.{0,4}信息化.{0,5}办公室|编办|编委办|机构编制委员会办公室|政法委|工委|政研室|政策研究室|"
    r"党校|老干部局|台办|机要局|保密办|巡察办|督查室)$"
)
# departments that only a party committee has (宣传部 of a government does not exist)
_PARTY_DEPARTMENT_RE = re.compile(r"^(?:宣传部|组织部|统战部|统一战线工作部|政法委|政法委员会|政研室|政策研究室|老干部局|巡察办)$")
_PARTY_OF = {"自治区": "自治区党委", "省": "省委", "市": "市委", "县": "县委", "区": "区委", "州": "州委", "盟": "盟委",
             "旗": "旗委"}
_LEVEL_WORD_RE = re.compile(r"^(?:级|直|域|场|属|辖|县|区)")  # 市级, 市直, 区域, 市场, 区县: not a prefix
_GOV_PREFIXES = ("自治区", "省", "市", "县", "区", "州", "盟", "旗")
_PARTY_PREFIXES = tuple(sorted(set(_PARTY.values()), key=len, reverse=True))
_PUNCT_STRIP = " \t\r\n\u3000。，、；：:,;.·"

Kind = Literal["gov", "party", "own", "collective", "bare"]


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A name as printed, tidied: no spaces, full-width brackets, no stray punctuation at the ends.

    Cached (pure on a string): splitting and expanding ask for the same pieces many times per note."""
    s = _SPACE_RE.sub("", name)
    s = s.replace("(", "（").replace(")", "）").replace("［", "（").replace("］", "）")
    return s.strip(_PUNCT_STRIP)


def _main(name: str) -> str:
    """The name without trailing parenthesised parts (卫生健康委（中医药管理局） → 卫生健康委)."""
    s = name
    while True:
        t = _TRAILING_PAREN_RE.sub("", s)
        if t == s or not t:
            return s
        s = t


@lru_cache(maxsize=65536)
def is_org(name: str) -> bool:
    """Whether ``name`` reads as an organ or a collective of organs (not a phrase of running text).

    Cached (pure on a string): label values are checked piece by piece, and pieces repeat."""
    s = normalise(name)
    if not s or len(s) > 40 or "。" in s:
        return False
    main = _main(s)
    if _COLLECTIVE_RE.match(s) and len(s) <= 20:
        return True
    return bool(_ORG_END_RE.search(main)) and len(main) >= 2


@dataclass(frozen=True, slots=True)
class Parts:
    """A name split into its prefix and body. ``kind`` says how the prefix behaves for the names after it:
    ``gov``/``party`` prefixes are shared, ``own`` names and ``collective`` names stand alone, ``bare``
    names have no prefix and take one."""

    prefix: str
    body: str
    kind: Kind


@lru_cache(maxsize=65536)
def split_prefix(name: str, jurisdiction: Jurisdiction | None = None) -> Parts:
    """Split a (normalised) name into prefix and body and say what kind of name it is.

    Cached (pure: the jurisdiction is frozen): a corpus repeats the same few hundred organ names."""
    s = normalise(name)
    if _COLLECTIVE_RE.match(s):
        return Parts("", s, "collective")
    for p in _PARTY_PREFIXES:
        if s.startswith(p) and len(s) > len(p):
            return Parts(p, s[len(p):], "party")
    for place in (jurisdiction.places if jurisdiction else ()):
        if s.startswith(place):
            rest = s[len(place):]
            m = _PLACE_LEVEL_RE.match(rest)
            if m and not rest[m.end():]:
                return Parts("", s, "own")  # a place standing as a unit: 中卫市
            if m and not _LEVEL_WORD_RE.match(rest[m.end():]):
                return Parts(place + m.group(0), rest[m.end():], "gov")
            return Parts("", s, "own")
    if _OWN_RE.match(s) or _main(s) in _data().get("national", {}):
        return Parts("", s, "own")
    for p in _GOV_PREFIXES:
        if s.startswith(p) and len(s) > len(p):
            rest = s[len(p):]
            if p == "市" and rest.startswith("市"):  # 市市场监督管理局
                return Parts(p, rest, "gov")
            if _LEVEL_WORD_RE.match(rest) or (p == "市" and rest.startswith("政") and not rest.startswith("政府")):
                continue
            if len(p) == 1 and (jurisdiction is None or p != jurisdiction.prefix) and not is_org(rest):
                continue
            return Parts(p, rest, "gov")
    return Parts("", s, "bare")


def is_group(name: str, jurisdiction: Jurisdiction | None = None) -> bool:
    """Whether a unit name stands for a group of organs (各市、县（区）人民政府, 各有关部门, 市、县（区）人民政府),
    which a ledger lists as printed but never takes for one organ."""
    return split_prefix(name, jurisdiction).kind == "collective"


def is_party_organ(body: str) -> bool:
    """Whether a bare body names a party organ (宣传部, 网信办, 编办), which a party prefix applies to."""
    return bool(_PARTY_ORGAN_RE.search(_main(normalise(body))))


def _gov_of(party_prefix: str) -> str:
    return party_prefix.removesuffix("党委").removesuffix("委") or party_prefix


# --- splitting lists ----------------------------------------------------------------------------------

_OPENERS = "（(〔[【“‘《"
_CLOSERS = "）)〕]】”’》"
_SEPARATORS = "、，,；;"
_CONJ_RE = re.compile(r"以及|及|和|与")
_LEVEL_LIST_RE = re.compile(r"^(?:各|有关|相关)?(?:地级)?(?:[市县区省州旗](?:（[^）]*）)?、)*[市县区省州旗]$")
_ETC_RE = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位|机构|成员单位)?$")


def _org_end(text: str) -> bool:
    s = _main(normalise(text))
    return bool(s) and bool(_ORG_END_RE.search(s))


def split_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the unit names in a list such as ``自治区科技厅、财政厅，各市、县（区）人民政府``.

    Splits at 、，；(and their ASCII forms) and at 和/及/以及/与 after a complete organ name, never inside
    brackets or quotes, and never inside a list of levels (各市、县（区）…). "X、Y等部门" drops the 等部门.
    """
    return list(_split_spans(text))


# the only characters the splitter acts on: it jumps between them instead of walking every character
_SPLIT_POINT_RE = re.compile(f"[{re.escape(_OPENERS + _CLOSERS + _SEPARATORS)}以及和与]")


@lru_cache(maxsize=16384)
def _split_spans(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`split_spans`, cached as a tuple (a note's lists are split more than once while it is read)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    n = len(text)
    i = 0
    while (point := _SPLIT_POINT_RE.search(text, i)) is not None:
        i = point.start()
        ch = text[i]
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _SEPARATORS:
            token = normalise(text[start:i])
            if ch == "、" and _LEVEL_LIST_RE.match(token) and i + 1 < n and text[i + 1] in "市县区州旗乡镇":
                i += 1
                continue
            spans.append((start, i))
            start = i + 1
        elif depth == 0:
            m = _CONJ_RE.match(text, i)
            if m and m.end() < n and _org_end(text[start:i]) and text[m.end()] not in _SEPARATORS:
                spans.append((start, i))
                start = m.end()
                i = start
                continue
        i += 1
    spans.append((start, n))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        seg = text[s:e]
        m = _ETC_RE.search(seg.rstrip(_PUNCT_STRIP))
        if m and m.start() > 0:
            e = s + m.start()
            seg = text[s:e]
        lead = len(seg) - len(seg.lstrip(_PUNCT_STRIP))
        trail = len(seg) - len(seg.rstrip(_PUNCT_STRIP))
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return tuple(out)


def split_units(text: str) -> list[str]:
    """The unit names of a list, as printed (normalised), in order."""
    return [normalise(text[s:e]) for s, e in split_spans(text)]


# --- expanding prefixes -------------------------------------------------------------------------------

_PLACE_UNIT_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}(?:区|县|市|旗)$")
_SHARED_SUFFIX_RE = re.compile(r"(?<=[区县市旗])(人民政府|政府|党委|管委会)$")


class Expander:
    """Expands the names of one note in reading order, carrying the shared prefix.

    Call :meth:`new_group` at every comma break (，；) and role boundary: a bare name at the start of a
    group takes the jurisdiction's prefix; within a 、-run it takes the run's prefix.
    """

    def __init__(self, jurisdiction: Jurisdiction | None) -> None:
        self.jurisdiction = jurisdiction
        self._run: Parts | None = None
        self._last_gov: str | None = jurisdiction.prefix if jurisdiction else None

    def new_group(self) -> None:
        self._run = None

    def expand_run(self, names: list[str]) -> list[str]:
        """Expand one 、-run (names in order), distributing a shared suffix (沙坡头区、中宁县人民政府)."""
        names = [normalise(n) for n in names]
        for i, n in enumerate(names):
            if _PLACE_UNIT_RE.match(n) and not _COLLECTIVE_RE.match(n):
                for later in names[i + 1:]:
                    m = _SHARED_SUFFIX_RE.search(later)
                    if m:
                        names[i] = n + m.group(1)
                        break
        return [self.expand(n) for n in names]

    def expand(self, name: str) -> str:
        parts = split_prefix(name, self.jurisdiction)
        if parts.kind == "gov":
            self._run = parts
            if parts.prefix in _GOV_PREFIXES:
                self._last_gov = parts.prefix
            return parts.prefix + parts.body
        if parts.kind == "party":
            self._run = parts
            return parts.prefix + parts.body
        if parts.kind != "bare":
            return parts.body
        body = parts.body
        if body.startswith("党委") and len(body) > 2:  # 党委编办 after 自治区党委组织部: the party is printed
            gov = _gov_of(self._run.prefix) if self._run is not None and self._run.kind != "gov" else None
            gov = gov or (self._run.prefix if self._run is not None else None)
            return (gov or (self.jurisdiction.prefix if self.jurisdiction else "")) + body
        if _PARTY_DEPARTMENT_RE.search(body) and (self._run is None or self._run.kind != "party"):
            # 宣传部, 组织部 are departments of the party committee, never of the government
            party = self.jurisdiction.party if self.jurisdiction else None
            if self._run is not None and self._run.prefix in _PARTY_OF:
                party = _PARTY_OF[self._run.prefix]
            return (party or "") + body
        if self._run is not None:
            prefix = self._run.prefix
            if self._run.kind == "party" and not is_party_organ(parts.body):
                prefix = _gov_of(prefix)
            return prefix + parts.body
        if self.jurisdiction is not None:
            return self.jurisdiction.prefix + parts.body
        if self._last_gov:
            return self._last_gov + parts.body
        return parts.body


def expand_list(text: str, jurisdiction: Jurisdiction | None) -> list[str]:
    """Split and expand a whole list (comma groups and 、-runs): 自治区科技厅、财政厅 → both prefixed."""
    exp = Expander(jurisdiction)
    out: list[str] = []
    for group in re.split(r"[，,；;]", text):
        exp.new_group()
        out.extend(exp.expand_run(split_units(group)))
    return out


# --- canonical names and matching ---------------------------------------------------------------------


def _alias_body(body: str, level: str | None) -> str:
    for abbr, full in _body_rules(level):
        if body.endswith(abbr) and not body.endswith(full):
            return body[: len(body) - len(abbr)] + full
    return body


def _proper(name: str, jurisdiction: Jurisdiction | None) -> str | None:
    tables = _data().get("proper", {})
    scopes = jurisdiction.scopes if jurisdiction else tuple(tables)
    for scope in scopes:
        full = tables.get(scope, {}).get(name)
        if full:
            return full
    return None


def canonical(name: str, jurisdiction: Jurisdiction | None = None) -> str:
    """The alias-normalised full name used for matching (发展改革委 → 发展和改革委员会).

    With a jurisdiction, a bare name gets its prefix (财政厅 → 自治区财政厅); without one it stays bare, so a
    query such as ``发展和改革委员会`` can match the organ at any level. Parenthesised second names are kept
    and normalised too (卫生健康委（中医药管理局）).
    """
    s = normalise(name)
    proper = _proper(s, jurisdiction) or _data().get("national", {}).get(s)
    if proper:
        return proper
    parts = split_prefix(s, jurisdiction)
    prefix = parts.prefix
    if parts.kind == "bare" and jurisdiction is not None:
        prefix = jurisdiction.prefix
    level = prefix if prefix in _GOV_PREFIXES else (jurisdiction.prefix if jurisdiction else None)
    body = parts.body
    main = _main(body)
    tail = body[len(main):]
    main = _alias_body(main, level)
    tail = re.sub(r"（([^（）]*)）", lambda m: "（" + _alias_body(m.group(1), level) + "）", tail)
    return prefix + main + tail


def variants(name: str, jurisdiction: Jurisdiction | None = None) -> set[str]:
    """Canonical names a unit answers to: itself, without its parenthesised second name, and that name."""
    c = canonical(name, jurisdiction)
    out = {c, normalise(name)}
    main = _main(c)
    if main != c:
        parts = split_prefix(main, jurisdiction)
        out.add(main)
        for alt in re.findall(r"（([^（）]*)）", c[len(main):]):
            out.add(parts.prefix + _alias_body(alt, parts.prefix or None))
    return out


def unit_matches(query: str, unit: str, jurisdiction: Jurisdiction | None = None) -> bool:
    """Whether a ``--unit`` query names ``unit`` (a name as stored, from a gazette of ``jurisdiction``).

    A query with a prefix must match the whole name (自治区财政厅); a bare query matches the body at any
    level (发展和改革委员会 finds 自治区发展改革委 and 市发展和改革委员会).
    """
    q = canonical(query)
    if not q:
        return False
    names = variants(unit, jurisdiction)
    if q in names:
        return True
    qparts = split_prefix(q, jurisdiction)
    if qparts.prefix:
        return False
    return any(split_prefix(n, jurisdiction).body == q for n in names)
