"""The metadata table of a government portal page, read from its cells: pure functions on strings.

Portals print what a document is (索引号, 发文机关, 发文字号, 成文日期, 发布日期, 主题分类, 标题) in a box
above the body, and that box is often the only place the 文号 appears. Every portal lays it out its own
way — a table of label and value cells, a ``<dl>``, ``<li>`` items holding ``发布机构：…``, labels spaced
out to a common width (``索 引 号``, ``文　　号``), with or without a colon — so the reader hands this module
the page's text cells in reading order and the labels are recognised by their characters alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from itertools import pairwise

from gongbao.dates import parse_date

# field → the labels portals use for it. Matching ignores spaces, full-width spaces and a trailing colon.
LABELS: dict[str, tuple[str, ...]] = {
    "doc_number": ("发文字号", "文号", "发文文号", "文件编号", "文件字号", "发文编号"),
    "issuer": ("发文机关", "发布机构", "发文机构", "发文单位", "发布机关", "发布单位", "制发机关", "成文机关",
               "发文部门", "发布部门"),
    "signed": ("成文日期", "成文时间", "印发日期", "发文日期", "发文时间", "签发日期"),
    "published": ("发布日期", "发布时间", "公开日期", "公开时间", "公布日期", "公布时间", "发文发布日期"),
    "index_number": ("索引号", "信息索引号", "索取号"),
    "topic": ("主题分类", "信息分类", "主题类别", "所属主题", "分类", "主题"),
    "title": ("标题", "文件名称", "公文标题", "名称", "文件标题"),
    # labels read only so that they are not taken for the value of the label before them, nor for a
    # longer label's prefix (主题词 is not 主题; 字号：大 中 小 is the font size, not the 文号)
    "_other": ("主题词", "关键词", "关键字", "有效性", "时效性", "效力状态", "生效日期", "实施日期", "废止日期",
               "失效日期", "来源", "信息来源", "文章来源", "体裁分类", "组配分类", "服务对象", "公文种类", "文种",
               "浏览次数", "访问量", "点击数", "字号", "字体", "分享", "打印"),
}
FIELDS = tuple(f for f in LABELS if not f.startswith("_"))
DATE_FIELDS = ("signed", "published")

_SPACE = "[ \t\u3000\u00a0\u2002\u2003\u2009]"
_COLON = "[:：]"


def _label_pattern(label: str) -> str:
    """A label with any spacing between its characters: 索引号 matches 索 引 号 and 索　引　号."""
    return f"{_SPACE}*".join(re.escape(ch) for ch in label)


# longest labels first, so 发文字号 is tried before 字号 and 主题分类 before 主题
_ALL = sorted(((lab, f) for f, labs in LABELS.items() for lab in labs), key=lambda x: len(x[0]), reverse=True)
_ALTERNATION = "|".join(f"(?P<f{i}>{_label_pattern(lab)})" for i, (lab, _) in enumerate(_ALL))
# a label opening a cell: 【发文字号】, [文号], 发文字号：, or the bare label
_CELL_RE = re.compile(rf"^{_SPACE}*[【\[［]?{_SPACE}*(?:{_ALTERNATION}){_SPACE}*[】\]］]?{_SPACE}*(?P<colon>{_COLON})?")
# a label further into a cell (发文机关：国务院 成文日期：2018年12月21日): only with a colon
_INNER_RE = re.compile(rf"(?<=[ \t\u3000\u00a0|｜丨])(?:{_ALTERNATION}){_SPACE}*{_COLON}")
_EMPTY_VALUES = {"", "无", "—", "--", "-", "/", "暂无", "空", "null", "none", "——"}


def _field_of(m: re.Match[str]) -> str:
    for name, value in m.groupdict().items():
        if value is not None and name.startswith("f") and name[1:].isdigit():
            return _ALL[int(name[1:])][1]
    raise AssertionError("a label group always matches")  # pragma: no cover


def label_of(cell: str) -> tuple[str, str] | None:
    """(field, rest of the cell) when ``cell`` opens with a metadata label, else None.

    Without a colon the label must stand alone (a label cell), be set off by a space (``文号 国发…``), or
    be one of the long labels (``发文机关国务院``): ``主题`` opening a sentence is not the 主题 label."""
    m = _CELL_RE.match(cell)
    if m is None:
        return None
    rest = cell[m.end():]
    if m.group("colon") is None and rest.strip():
        spaced = re.match(rf"{_SPACE}", m.group(0)[-1:]) is not None
        if not spaced and len(re.sub(rf"{_SPACE}", "", m.group(0))) < 4:
            return None
    return _field_of(m), rest


def split_cell(cell: str) -> list[str]:
    """One cell holding several labelled values (发文机关：国务院　成文日期：2018年12月21日) → one per label."""
    opening = _CELL_RE.match(cell)
    # a spaced-out label (发 文 字 号：) holds a shorter one (字 号：) after a space: cut only after it
    cuts = [m.start() for m in _INNER_RE.finditer(cell, opening.end() if opening else 0)]
    if not cuts:
        return [cell]
    bounds = [0, *cuts, len(cell)]
    return [cell[a:b] for a, b in pairwise(bounds) if cell[a:b].strip()]


def clean_value(text: str) -> str:
    """Spaces squeezed (full-width ones too: 国务院办公厅　中央军委办公厅 keeps one space between organs)."""
    return re.sub(rf"{_SPACE}+", " ", text).strip(" |｜丨")


def iso_date(text: str) -> str | None:
    """2018年12月21日, 2018-12-21, 2018/12/21, 2018.12.21 (a time may follow), 二〇一八年十二月二十一日."""
    m = re.search(r"((?:19|20)\d{2})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})", text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    d = parse_date(text)
    return d.isoformat() if d else None


def _accept(name: str, value: str) -> str | None:
    """The value as stored, or None when it cannot be this field (a placeholder, a stray sentence)."""
    if value.lower() in _EMPTY_VALUES or len(value) > 200:
        return None
    if name in DATE_FIELDS:
        return iso_date(value)
    if name == "doc_number" and "号" not in value:
        return None
    if name == "index_number" and not re.search(r"\d", value):
        return None
    if name == "issuer" and (len(value) > 80 or re.search(r"[。；;]", value)):
        return None
    if name == "title" and len(value) < 4:
        return None
    return value


def read_cells(cells: Iterable[str]) -> dict[str, str]:
    """The metadata fields found in ``cells`` (a page's text cells in reading order); the first wins.

    A label cell is followed by its value cell (tables, ``<dl>``), or holds its value after the colon
    (``<li>发布机构：国务院</li>``); a cell may hold several labelled values."""
    out: dict[str, str] = {}
    pending: str | None = None
    for raw in cells:
        for cell in split_cell(raw):
            found = label_of(cell)
            if found is not None:
                name, rest = found
                value = clean_value(rest)
                if name.startswith("_"):
                    pending = None
                elif value:
                    if name not in out and (accepted := _accept(name, value)) is not None:
                        out[name] = accepted
                    pending = None
                else:
                    pending = name
                continue
            if pending is not None:
                value = clean_value(cell)
                if value and pending not in out and (accepted := _accept(pending, value)) is not None:
                    out[pending] = accepted
                pending = None
    return out


# <meta name=…> tags of the CMSs portals run on (TRS, Hanweb …)
META_TAGS: dict[str, str] = {
    "articletitle": "title",
    "pubdate": "published",
    "firstpublishedtime": "published",
    "contentsource": "issuer",
    "source": "issuer",
}


def from_meta_tags(tags: dict[str, str]) -> dict[str, str]:
    """Fields from ``<meta name=… content=…>`` (names lower-cased). ContentSource names the organ that
    published the page; a website (中国政府网) is not an issuer and is left out."""
    out: dict[str, str] = {}
    for tag, name in META_TAGS.items():
        value = clean_value(tags.get(tag, ""))
        if not value or name in out:
            continue
        if name == "issuer" and re.search(r"网|网站|门户|新闻|日报|报社|客户端", value):
            continue
        if (accepted := _accept(name, value)) is not None:
            out[name] = accepted
    return out
