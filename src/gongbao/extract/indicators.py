"""Economic indicators: the 经济数据 table of an issue as a series of rows that line up across issues.

Each issue prints the same table (指标 | 单位 | 绝对值 | 同比增长) with numbering that shifts from issue
to issue (五、进出口总额 one month, 六、 the next), sub-rows without numbering, and "#" for "of which". So
a row's identity is its ``canonical_name`` — the label without numbering, spaces, "#" and a trailing
period qualifier — and its ``parent`` is the enclosing numbered row. Values are kept as printed
(``value_text``: "—", "* 3.7", "下降0.1个百分点") with the number parsed where there is one.
"""

from __future__ import annotations

import re

from gongbao.extract._blocks import row_lines
from gongbao.model import Block, Document, Indicator, Span
from gongbao.textnorm import is_subsequence

_NUMBERED_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[）)])\s*")
_OF_WHICH_RE = re.compile(r"^\s*(?:#|＃|其中[:：]?)\s*")
_MONTHS = r"(\d{1,2})\s*月?\s*(?:份)?\s*[—–\-~～至到]+\s*(\d{1,2})\s*月(?:份)?"
_PERIOD_QUALIFIER_RE = re.compile(rf"\s*[（(]\s*(?:(\d{{4}})\s*年\s*)?{_MONTHS}\s*[）)]\s*$")
_TITLE_RANGE_RE = re.compile(rf"(\d{{4}})\s*年\s*{_MONTHS}")
_TITLE_MONTH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_TITLE_QUARTER_RE = re.compile(r"(\d{4})\s*年\s*(?:第?\s*([一二三四1-4])\s*季度|(上|下)半年|全年)")
_TITLE_YEAR_RE = re.compile(r"(\d{4})\s*年")
_NUMBER_RE = re.compile(r"[-+−－]?\d+(?:\.\d+)?")
_DOWN = ("下降", "减少", "回落", "降低")
_DATA_TITLE_RE = re.compile(r"经济(?:指标|数据)|统计数据")


def period_of(title: str) -> str | None:
    """The reporting period printed in a section title: '2021年1月—12月…' → '2021年1—12月'."""
    m = _TITLE_RANGE_RE.search(title)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}—{int(m.group(3))}月"
    m = _TITLE_QUARTER_RE.search(title)
    if m:
        return re.sub(r"\s+", "", m.group(0))
    m = _TITLE_MONTH_RE.search(title)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}月"
    m = _TITLE_YEAR_RE.search(title)
    return f"{m.group(1)}年" if m else None


def canonical_name(label: str) -> tuple[str, str | None]:
    """(canonical name, period qualifier 'a—b月' or None) of a row label.

    '五、进出口总额 (1月—11月)' → ('进出口总额', '1—11月'); '#住户存款' → ('住户存款', None)."""
    s = label.strip()
    qualifier = None
    m = _PERIOD_QUALIFIER_RE.search(s)
    if m:
        qualifier = f"{int(m.group(2))}—{int(m.group(3))}月"
        s = s[: m.start()]
    s = _NUMBERED_RE.sub("", s)
    s = _OF_WHICH_RE.sub("", s)
    s = re.sub(r"\s+", "", s)
    return s, qualifier


def parse_number(text: str) -> float | None:
    """The number in a printed value: '4522.31' → 4522.31, '* 3.7' → 3.7, '下降0.1个百分点' → -0.1,
    '—' or '' → None."""
    m = _NUMBER_RE.search(text.replace(",", "").replace("，", ""))
    if not m:
        return None
    value = float(m.group(0).replace("−", "-").replace("－", "-"))
    if value > 0 and any(w in text[: m.start()] for w in _DOWN):
        value = -value
    return value


_INDEX_UNIT_RE = re.compile(r"=\s*100|指数")


_INDEX_NAME_RE = re.compile(r"=\s*100|价格(?:总)?指数$|价格(?:总)?指数[（(]")


def change_kind(change_text: str, unit: str | None, name: str | None = None) -> str | None:
    """What the change of a row measures: "points" when it is printed in 个百分点 or the row is an index
    (上年=100: 居民消费价格总指数 100.2, 下降2.4个百分点 is 2.4 points of the index), else "percent" (同比增长
    X% of a quantity); None when no change is printed."""
    if parse_number(change_text) is None:
        return None
    if "百分点" in change_text or (unit and _INDEX_UNIT_RE.search(unit)) or (name and _INDEX_NAME_RE.search(name)):
        return "points"
    return "percent"


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column indexes of name/unit/value/change in a header row, or None if it is not such a header."""
    keys = [re.sub(r"\s+", "", h) for h in header]
    cols: dict[str, int] = {}
    for i, h in enumerate(keys):
        if "name" not in cols and ("指标" in h or "项目" in h or "名称" in h):
            cols["name"] = i
        elif "unit" not in cols and "单位" in h:
            cols["unit"] = i
        elif "change" not in cols and any(w in h for w in ("同比", "增长", "增速", "比上年", "增减")):
            cols["change"] = i
        elif "value" not in cols and (any(w in h for w in ("绝对值", "本期", "累计", "数值", "总量", "完成", "本月"))
                                      or re.fullmatch(r"\d{1,2}(?:[-—–~至]\d{1,2})?月(?:份)?|[一二三]?季度|上半年|全年", h)):
            cols["value"] = i
    if "name" not in cols or ("value" not in cols and "change" not in cols):
        return None
    return cols


def _notes(blocks: list[Block]) -> list[str]:
    """The 注 items printed after the table: '注：1. A。 2. B。' → ['A。', 'B。']."""
    items: list[str] = []
    started = False
    for b in blocks:
        if b.kind == "table":
            continue
        text = b.text.strip()
        if re.match(r"^注\s*[:：]", text):
            started = True
            text = re.sub(r"^注\s*[:：]\s*", "", text)
        elif not started:
            continue
        for part in re.split(r"(?:^|\s)(?=\d+\s*[.．、](?!\d))", text):
            part = re.sub(r"^\d+\s*[.．、]\s*", "", part).strip()
            if part:
                items.append(part)
    return items


def _subjects(note: str) -> list[str]:
    """What a note speaks of: the names before its verb, split on 、 及 和."""
    head = re.split(r"为|来源于|来自|按|是|指|系|不含|含|均", note, maxsplit=1)[0]
    out = []
    for s in re.split(r"[、及和与,，]", head):
        s = re.sub(r"(数据|指标)$", "", s.strip())
        if len(s) < 2:
            continue
        # statistical shorthands: 城乡居民 = 城镇居民 + 农村居民; 财政收支 = the 公共预算 rows
        s = s.replace("财政收支", "公共预算").replace("财政", "公共预算")
        out += [s.replace("城乡", "城镇"), s.replace("城乡", "农村")] if "城乡" in s else [s]
    return out


def _cell(cells: list[str], cols: dict[str, int], key: str) -> str:
    """The cell of column ``key`` (name, unit, value, change) in a row; empty when the table has no such
    column or the row is too short for it."""
    i = cols.get(key)
    return cells[i] if i is not None and i < len(cells) else ""


def find_indicators(document: Document) -> list[Indicator]:
    """Rows of the economic-data tables of a 经济数据 section (empty for any other document)."""
    is_data_section = document.kind == "经济数据" or bool(_DATA_TITLE_RE.search(document.title))
    if not is_data_section:  # nearly every document: decided before walking its blocks
        return []
    blocks = document.all_blocks()
    tables = [b for b in blocks if b.kind == "table" and b.table is not None]
    period = period_of(document.title)
    year = period[:5] if period and re.match(r"\d{4}年", period) else ""  # the year of a row qualifier (1—11月)
    out: list[Indicator] = []
    cols: dict[str, int] | None = None
    parent: str | None = None
    parent_period: str | None = None
    marked = False  # the current group's rows are marked (#, 其中): unmarked rows no longer belong to it
    parent_numbered = False  # the current group was opened by a numbered row
    for block in tables:
        rows = block.table.rows  # type: ignore[union-attr]
        lines = row_lines(block)
        for r, row in enumerate(rows):
            cells = [c.text.strip() for c in row]
            header = _columns(cells)
            if header is not None:
                cols = header
                continue
            if cols is None or not any(cells):
                continue
            label = _cell(cells, cols, "name")
            if not label:
                continue
            name, qualifier = canonical_name(label)
            numbered = bool(_NUMBERED_RE.match(label))
            of_which = bool(_OF_WHICH_RE.match(label))
            row_period = f"{year}{qualifier}" if qualifier else None
            if numbered or (not of_which and (parent is None or marked or not parent_numbered)):
                # a row has a parent only where the table marks it: by "#"/其中, or by following a numbered
                # row unmarked (第一产业 under 一、地区生产总值). An unmarked row after "#" rows (一般公共预算支出
                # after #地方一般公共预算收入) or in a table without numbering stands alone, and may open a
                # group for the "#" rows after it
                parent, parent_period, parent_numbered = name, row_period, numbered
                marked = False
                this_parent, this_period = None, row_period or period
            else:
                marked = marked or of_which
                this_parent, this_period = parent, row_period or parent_period or period
            value_text, change_text = _cell(cells, cols, "value"), _cell(cells, cols, "change")
            line = lines[r]  # row_lines gives every row its line
            out.append(Indicator(
                name=re.sub(r"\s+", " ", label), canonical_name=name, parent=this_parent, period=this_period,
                unit=_cell(cells, cols, "unit") or None, value=parse_number(value_text), value_text=value_text,
                change=parse_number(change_text), change_text=change_text, note=None,
                span=Span(line, line), change_kind=change_kind(change_text, _cell(cells, cols, "unit"), label)))
    notes = _notes(blocks[blocks.index(tables[-1]):]) if tables else []
    subjects = [(n, s) for n in notes for s in _subjects(n)]  # the same for every row
    for ind in out:
        hits = [n for n, s in subjects
                if is_subsequence(s, ind.canonical_name)
                or (ind.parent is not None and is_subsequence(s, ind.parent))]
        ind.note = " ".join(dict.fromkeys(hits)) or None
    return out
