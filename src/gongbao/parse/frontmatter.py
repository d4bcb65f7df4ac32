"""A document's front and back matter: title block, 文号, addressees, signature, date, public note.

GB/T 9704 fixes the order (title, 文号 above or below it, addressees ending in ：, body, signing
organ(s), date, 此件公开发布), but where the signature stands depends on the kind: an 印发 notice signs
right after its one-paragraph body and the enclosed document follows; an 意见 signs at its very end; some
documents print the date in parentheses under the title instead. These functions recognise the pieces
wherever they stand.
"""

from __future__ import annotations

import re

from gongbao.dates import full_date
from gongbao.parse.lines import Line

KIND_WORDS = (
    "实施意见", "指导意见", "意见", "通知", "通报", "通告", "公告", "决定", "决议", "命令", "批复", "函", "复函",
    "报告", "请示", "纪要", "规定", "办法", "细则", "条例", "规则", "方案", "规划", "纲要", "计划", "措施",
    "制度", "标准", "目录", "清单", "指南", "章程", "守则", "要点", "意见书", "答复", "解读",
)
ORGAN_SUFFIXES = (
    "人民政府", "政府", "办公厅", "办公室", "委员会", "常委会", "党委", "委", "厅", "局", "部", "院", "署", "会",
    "中心", "处", "所", "办", "行", "公司", "集团", "联合会", "总队", "支队", "监狱", "研究院", "学校", "大学",
    "小组", "指挥部", "银行", "分行", "管委会", "管理委员会", "联", "协", "海关", "军区", "站", "队",
)
# kinds are reported by genre: an 实施意见 is an 意见, a 复函 a 函
_KIND_BASE = {"实施意见": "意见", "指导意见": "意见", "复函": "函", "意见书": "意见"}
_PUBLIC_RE = re.compile(r"^[（(]\s*此\s*件\s*(?P<what>[^（）()]{1,20})\s*[）)]$")
_PAREN_DATE_RE = re.compile(r"^[（(](?P<d>[^（）()]{6,30})[）)]$")
_TITLE_LEADS = ("关于", "印发", "转发", "批转")
_KIND_WORDS_LONGEST_FIRST = sorted(KIND_WORDS, key=len, reverse=True)  # 实施意见 before 意见


def public_note(line: Line) -> tuple[bool, str] | None:
    """(public?, note) for a line like （此件公开发布） / (此件不公开) / （此件依申请公开）."""
    m = _PUBLIC_RE.match(line.clean)
    if not m:
        return None
    what = m.group("what")
    public = "公开" in what and "不" not in what and "依申请" not in what
    return public, line.clean


def paren_date(line: Line):
    """The date of a line that is only a date in parentheses: (2021年3月23日)."""
    m = _PAREN_DATE_RE.match(line.clean)
    return full_date(m.group("d")) if m else None


def is_organ_name(text: str) -> bool:
    """A signing organ's name: short, no sentence punctuation, ends like an organ."""
    s = text.strip()
    if not (2 <= len(s) <= 40) or re.search(r"[。，；：:,;！？、“”《》]", s):
        return False
    return s.endswith(ORGAN_SUFFIXES)


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
    return any(lead in text[:40] for lead in _TITLE_LEADS)


def addressees(text: str) -> list[str]:
    """各市、县（区）人民政府，自治区政府各部门、各直属机构： → two addressee groups."""
    s = text.strip().rstrip("：:").strip()
    return [p.strip() for p in re.split(r"[，,；;]", s) if p.strip()]


def is_addressee_line(line: Line) -> bool:
    c = line.clean
    return bool(c) and c[-1] in "：:" and len(c) <= 200 and "。" not in c
