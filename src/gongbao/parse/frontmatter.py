"""A document's front and back matter: title block, 文号, addressees, signature, date, public note.

GB/T 9704 fixes the order (title, 文号 above or below it, addressees ending in ：, body, signing
organ(s), date, 此件公开发布), but where the signature stands depends on the kind: an 印发 notice signs
right after its one-paragraph body and the enclosed document follows; an 意见 signs at its very end; some
documents print the date in parentheses under the title instead. These functions recognise the pieces
wherever they stand.
"""

from __future__ import annotations

import re

from gongbao.dates import DATE_RE, full_date, parse_date
from gongbao.parse.lines import Line

KIND_WORDS = (
    "实施意见", "指导意见", "意见", "通知", "通报", "通告", "公告", "决定", "决议", "命令", "批复", "函", "复函",
    "报告", "请示", "纪要", "规定", "办法", "细则", "条例", "规则", "方案", "规划", "纲要", "计划", "措施",
    "制度", "标准", "目录", "清单", "指南", "章程", "守则", "要点", "意见书", "答复", "解读", "公示",
)
ORGAN_SUFFIXES = (
    "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "党委", "委", "厅", "局", "部", "院", "署", "会",
    "中心", "处", "所", "办", "行", "公司", "集团", "联合会", "总队", "支队", "监狱", "研究院", "学校", "大学",
    "小组", "指挥部", "银行", "分行", "管委会", "管理委员会", "联", "协", "海关", "军区", "站", "队", "党组",
)
# kinds are reported by genre: an 实施意见 is an 意见, a 复函 a 函
_KIND_BASE = {"实施意见": "意见", "指导意见": "意见", "复函": "函", "意见书": "意见"}
_PUBLIC_RE = re.compile(r"^[（(]\s*此\s*件\s*(?P<what>[^（）()]{1,20})\s*[）)]$")
_PAREN_DATE_RE = re.compile(r"^[（(](?P<d>[^（）()]{6,30})[）)]$")
_TITLE_LEADS = ("关于", "印发", "转发", "批转")
# an organ's name opening a title, then the verb: 国务院办公厅对…的答复, 国务院办公厅转发民政部…
_ORGAN_LEAD_RE = re.compile(
    r"^[\u4e00-\u9fff、 \u3000]{2,40}?(?:人民政府|政府|办公厅|办公室|委员会|国务院|党组|党委|部|局|厅|委|署|院|会)"
    r"[ \u3000]*(?:关于|对|转发|印发|批转|致)"
)
_KIND_WORDS_LONGEST_FIRST = sorted(KIND_WORDS, key=len, reverse=True)  # 实施意见 before 意见


def public_note(line: Line) -> tuple[bool, str] | None:
    """(public?, note) for a line like （此件公开发布） / (此件不公开) / （此件依申请公开）."""
    m = _PUBLIC_RE.match(line.clean)
    if not m:
        return None
    what = m.group("what")
    public = "公开" in what and "不" not in what and "依申请" not in what
    return public, line.clean


_PAREN_NOTE_RE = re.compile(r"^[（(](?P<d>[^（）()]{6,120})[）)]$")


def paren_date(line: Line):
    """The date of a line in parentheses under a title: (2021年3月23日), (2021年3月23日国务院第128次常务会议
    通过), (民政部　一九九七年一月二十八日). Such a line is the document's date, never part of its title."""
    m = _PAREN_DATE_RE.match(line.clean)
    if m and (d := full_date(m.group("d"))):
        return d
    m = _PAREN_NOTE_RE.match(line.clean)
    if not m:
        return None
    inner = m.group("d")
    found = DATE_RE.search(re.sub(r"\s+", "", inner))
    if found is None:
        return None
    compact = re.sub(r"\s+", "", inner)
    before, after = compact[: found.start()], compact[found.end():]
    # the date opens the note (…通过/发布/公布) or closes it after an organ's name
    if (not before and (not after or re.search(r"(通过|发布|公布|施行|修订|修正|批准|印发)", after))) or (
            before and not after and is_organ_name(before)):
        return parse_date(found.group(0))
    return None


def is_organ_name(text: str) -> bool:
    """A signing organ's name: short, no sentence punctuation, ends like an organ."""
    s = text.strip()
    if not (2 <= len(s) <= 40) or re.search(r"[。，；：:,;！？、“”《》]", s):
        return False
    return s.endswith(ORGAN_SUFFIXES)


def split_joint(text: str) -> list[str]:
    """Organs of a joint signature or heading, separated by a full-width space, a tab or two spaces
    (国务院办公厅　中央军委办公厅); [] when the line has no such separator or a part is not an organ."""
    parts = [p for p in re.split(r"\u3000+| {2,}|\t+", text.strip()) if p.strip()]
    parts = [re.sub(r"\s+", "", p) for p in parts]
    if len(parts) > 1 and all(is_organ_name(p) for p in parts):
        return parts
    return []


def split_organs(text: str) -> list[str]:
    """Organs printed on one line (自治区党委 人民政府 / A  B) → names; [] if the line is not organs."""
    parts = [p for p in re.split(r"[ \t\u3000]+", text.strip()) if p]
    if parts and all(is_organ_name(p) for p in parts):
        return parts
    return []


def title_like(line: Line) -> bool:
    """Could this line be (part of) a document title?"""
    c = line.clean
    if not c or len(c) > 90 or line.is_pipe_row or line.is_tab_row:
        return False
    return not (c[-1] in "。；，,;：:" or full_date(c) or public_note(line))


def kind_of(title: str) -> str | None:
    """The kind of document named by its title: 通知, 意见, 方案, 办法…"""
    t = re.sub(r"[（(][^（）()]*[）)]$", "", title.strip())
    t = re.sub(r"[（(]试行[）)]|（草案）|\(草案\)", "", t)
    for word in _KIND_WORDS_LONGEST_FIRST:
        if t.endswith(word):
            return _KIND_BASE.get(word, word)
    return None


def is_title_lead(text: str) -> bool:
    return any(lead in text[:40] for lead in _TITLE_LEADS) or bool(_ORGAN_LEAD_RE.match(text))


def is_organ_lead(text: str) -> bool:
    """Does ``text`` open with an organ's name and the verb of a title (国务院办公厅关于…, 民政部对…)?"""
    return bool(_ORGAN_LEAD_RE.match(text))


def title_prefix_organs(first_line: str) -> list[str]:
    """The organs a title opens with (国务院办公厅　中央军委办公厅关于… → both), from its printed first line."""
    m = _ORGAN_LEAD_RE.match(first_line.strip())
    if not m:
        return []
    head = re.sub(r"[ \u3000]*(?:关于|对|转发|印发|批转|致)$", "", m.group(0))
    joint = split_joint(head)
    if joint:
        return joint
    name = re.sub(r"\s+", "", head)
    return [name] if is_organ_name(name) else []


_EDIT_NOTE_RE = re.compile(r"^[（(]\s*本\s*文\s*有\s*删\s*[减节]\s*[）)]$")


def edit_note(line: Line) -> bool:
    """（本文有删减）: a portal's note that the text is abridged; it closes the signature, like a public note."""
    return bool(_EDIT_NOTE_RE.match(line.clean))


def addressees(text: str) -> list[str]:
    """各市、县（区）人民政府，自治区政府各部门、各直属机构： → two addressee groups."""
    s = text.strip().rstrip("：:").strip()
    return [p.strip() for p in re.split(r"[，,；;]", s) if p.strip()]


def is_addressee_line(line: Line) -> bool:
    c = line.clean
    return bool(c) and c[-1] in "：:" and len(c) <= 200 and "。" not in c
