"""A document's body as blocks: headings with an outline built from Chinese numbering, paragraphs with
conversion damage repaired, tables, and 专栏 boxes.

The outline comes from the numbering (第X章 一、 （一） 1. （1） 第X条 专栏N), never from Markdown ``#``
levels, which converters assign at random. Levels are assigned by order of appearance: a numbering style
seen for the first time nests under the current heading; a style already open closes everything below
it. This handles (一) running through a whole document as well as restarting under each 一、.
"""

from __future__ import annotations

import itertools
import re

from gongbao.dates import cn_to_int
from gongbao.model import Block, Span
from gongbao.parse.lines import Line
from gongbao.parse.tables import build_pipe_table, build_tab_table
from gongbao.textnorm import repair_spaces

_CN = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第[{_CN}\d]+章(?=\s|$|[\u4e00-\u9fff])")),
    ("section", re.compile(rf"^第[{_CN}\d]+节(?=\s|$|[\u4e00-\u9fff])")),
    ("article", re.compile(rf"^第[{_CN}\d]+条(?=\s|$|[\u4e00-\u9fff])")),
    ("box", re.compile(r"^专栏\s*\d*(?:[:：\s]|$|(?=[\u4e00-\u9fff]))")),
    ("cn", re.compile(rf"^[{_CN}]+[、，,．.](?!\d)")),
    ("cn_paren", re.compile(rf"^[（(][{_CN}]+[）)][、，,]?")),
    ("num_paren", re.compile(r"^[（(]\d{1,2}[）)][、，,．.]?")),
    ("num_dot", re.compile(r"^\d{1,2}(?:[.．](?!\d)|、)")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
_TERMINAL = "。！？；：!?;:"
_CLOSERS = "”’」』)）》〉"
_NO_JOIN_START_RE = re.compile(r"^(附件|附表|专栏|注[:：]|——|\d+[.．、](?!\d)|（\d+）|\(\d+\))")


_LIST_STYLES = {"num_dot", "num_paren", "circled"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _ordinal(label: str) -> int | None:
    """1 for 一、 （一） 1. （1） ①, and so on; None when the label has no number."""
    core = re.sub(r"[（()）、，,．.\s]|^第|[章节条]$", "", label)
    if core and core[0] in _CIRCLED:
        return _CIRCLED.index(core[0]) + 1
    return cn_to_int(core) if core else None


def heading_style(text: str) -> tuple[str, str] | None:
    """(style, label) when ``text`` starts with a numbering, else None."""
    for style, pattern in HEADING_PATTERNS:
        m = pattern.match(text)
        if m:
            return style, m.group(0).strip()
    return None


_NOTE_WORDS = ("负责", "牵头", "配合", "完成", "推进", "单位", "落实")
_OPENERS = {"〕": "〔[［【", "]": "〔[［【", "】": "〔[［【", "］": "〔[［【", "）": "（(", ")": "（("}


def _ends_with_note(text: str) -> bool:
    """True when ``text`` ends with a bracketed responsibility note or deadline: 〔X负责〕, [牵头单位:…],
    （X牵头，Y配合，2022年完成）. Such a note closes its measure, so the next line starts a new one."""
    openers = _OPENERS.get(text[-1:])
    if not openers:
        return False
    start = max(text.rfind(ch) for ch in openers)
    if start < 0 or len(text) - start > 200:
        return False
    return any(word in text[start:] for word in _NOTE_WORDS)


def _ends_sentence(text: str) -> bool:
    # a responsibility note in brackets closes its measure: 〔自治区教育厅负责〕, [X牵头…], （…2022年完成）
    if _ends_with_note(text):
        return True
    s = text.rstrip(_CLOSERS) if text.endswith(tuple(_CLOSERS)) else text
    if not s:
        return True
    return s[-1] in _TERMINAL or (text[-1] in "”’」』" and s[-1] in _TERMINAL)


def _is_heading_line(text: str) -> bool:
    hs = heading_style(text)
    if hs is None:
        return False
    # a bare heading (一、发展基础) has no sentence end and is short; a line as long as a printed line
    # that pauses mid-sentence (，；) after its label is prose a line break cut (第二十八条 未通过认定
    # 的化工园区，不得新建…), while a short heading may hold a comma ((一)以富硒基地建设为重点,推进产业规模)
    # a heading that leaves a quote or bracket open (医保电子凭证“一证) was cut by the line end too
    rest = text[len(hs[1]):]
    cut_prose = (len(text) >= 30 and any(p in rest for p in "，；,;")) or _unclosed(rest)
    return len(text) <= 40 and "。" not in text and not cut_prose


_PAIRS = (("〔[［【", "〕]］】"), ("“", "”"), ("《", "》"), ("（(", "）)"))


def _unclosed(text: str, pairs: tuple[tuple[str, str], ...] = _PAIRS) -> bool:
    """True when ``text`` ends inside a bracket, quote or 《》 it opened (within its last 200 characters)."""
    tail = text[-200:]
    for openers, closers in pairs:
        opened = max(tail.rfind(ch) for ch in openers)
        if opened >= 0 and opened > max(tail.rfind(ch) for ch in closers):
            return True
    return False


def _open_note(text: str) -> bool:
    """True when ``text`` ends inside a bracketed note it opened: 〔责任单位：… broken by the line end.

    A PDF wraps wherever the type area ends, so a note's label (〔牵头单位:) can close a printed line;
    the colon there does not end anything."""
    return _unclosed(text, _PAIRS[:1])


def should_join(prev: str, nxt: str) -> bool:
    """True when ``prev`` was broken mid-sentence by a page or line break and ``nxt`` continues it."""
    if prev and nxt and _open_note(prev) and not heading_style(nxt) and not _NO_JOIN_START_RE.match(nxt):
        return True
    if not prev or not nxt or _ends_sentence(prev):
        return False
    if _is_heading_line(prev) or heading_style(nxt) or _NO_JOIN_START_RE.match(nxt):
        return False
    if prev.endswith(("，", "、", ",", "（", "(", "“", "《", "〔", "和", "的", "及", "与")):
        return True
    return len(prev) >= 12


def _heading_title(text: str, label: str) -> str:
    rest = text[len(label):].strip() if text.startswith(label) else text
    for stop in ("。", "：", ":"):
        k = rest.find(stop)
        if 0 < k <= 40:
            return rest[:k]
    rest = rest.rstrip("；;，,、")
    return rest if len(rest) <= 50 else rest[:30] + "…"


class OutlineBuilder:
    """Assigns levels and paths to headings by the order in which numbering styles open."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, str]] = []  # (style, label)

    def place(self, style: str, label: str = "") -> int:
        """Close what ``style`` ends and return the level the new heading takes.

        A 专栏 box is a numbering scope of its own: inside it, a first item (1. （1） 一、) nests in the
        box even if the same style is open outside; a later item of a style open outside closes it."""
        styles = [s for s, _ in self.stack]
        box_at = max((i for i, s in enumerate(styles) if s == "box"), default=-1)
        if style == "box":
            # a box belongs to its section, not to the list item before it
            while self.stack and self.stack[-1][0] in _LIST_STYLES | {"box"}:
                self.stack.pop()
        elif style in styles[box_at + 1:] and not self._continues_outside(style, label, box_at):
            del self.stack[styles.index(style, box_at + 1):]
        elif box_at >= 0 and _ordinal(label) == 1:
            pass  # a list starting inside the box
        elif style in styles:
            del self.stack[styles.index(style):]
        elif style == "chapter":
            self.stack.clear()
        return len(self.stack) + 1

    def _continues_outside(self, style: str, label: str, box_at: int) -> bool:
        """True when ``label`` continues the numbering of the same style outside the box (四、 after a
        box whose items ran 一、二、), not the numbering inside it."""
        n = _ordinal(label)
        inside = next(lbl for s, lbl in self.stack[box_at + 1:] if s == style)
        outside = [lbl for s, lbl in self.stack[:box_at] if s == style]
        if n is None or not outside or n == (_ordinal(inside) or 0) + 1:
            return False
        return n == (_ordinal(outside[-1]) or 0) + 1

    def push(self, style: str, label: str) -> tuple[str, ...]:
        self.stack.append((style, label))
        return tuple(lbl for _, lbl in self.stack)

    def close(self, style: str) -> None:
        """Close the open heading of ``style`` and everything under it (a 专栏 box whose table ended)."""
        styles = [s for s, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(lbl for _, lbl in self.stack)


def _units(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Group non-blank lines into ('line', [l]) and ('pipe'|'tab', [rows…]) units."""
    units: list[tuple[str, list[Line]]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.blank:
            i += 1
            continue
        kind = "pipe" if line.is_pipe_row else "tab" if line.is_tab_row else None
        if kind is None:
            units.append(("line", [line]))
            i += 1
            continue
        rows = [line]
        j = i + 1
        while j < n:
            nxt = lines[j]
            if nxt.blank:
                j += 1
                continue
            if (kind == "pipe" and nxt.is_pipe_row) or (kind == "tab" and nxt.is_tab_row):
                rows.append(nxt)
                j += 1
                continue
            break
        # trailing blanks are not part of the table
        units.append((kind, rows))
        i = rows[-1].no - lines[0].no + 1
    return units


def build_blocks(lines: list[Line], outline: OutlineBuilder | None = None) -> list[Block]:
    """Blocks of a run of body lines (no title, no signature). Pure: lines in, blocks out."""
    outline = outline or OutlineBuilder()
    blocks: list[Block] = []
    units = _units(lines)
    # 1. rejoin lines broken mid-sentence (only between line units)
    merged: list[tuple[str, list[Line]]] = []
    joined = ""  # the clean text of merged[-1] so far (a long run must not be re-joined at every line)
    for kind, group in units:
        if kind == "line" and merged and merged[-1][0] == "line" and should_join(joined, group[0].clean):
            merged[-1][1].extend(group)
            joined += "".join(ln.clean for ln in group)
            continue
        merged.append((kind, list(group)))
        joined = "".join(ln.clean for ln in group)
    # 2. classify. A 专栏 box has no end marker: its content is a table or numbered items, so plain
    # prose after the box's table returns to the enclosing section.
    box_table_seen = False
    for kind, group in merged:
        span = Span(group[0].no, group[-1].no)
        original = _original(group)
        numbers = tuple(range(span.start_line, span.end_line + 1))
        if kind in ("pipe", "tab"):
            box_table_seen = True
            table = (build_pipe_table if kind == "pipe" else build_tab_table)(group)
            blocks.append(Block("table", _table_text(table), original, span, path=outline.path, table=table,
                                lines=numbers))
            continue
        text = repair_spaces("".join(ln.clean for ln in group))
        hs = heading_style(text)
        if hs is None and box_table_seen:
            outline.close("box")
            box_table_seen = False
        if hs is None:
            blocks.append(Block("paragraph", text, original, span, path=outline.path, lines=numbers))
            continue
        style, label = hs
        if style == "box":
            box_table_seen = False
        level = outline.place(style, label)
        path = outline.push(style, label)
        kind_out = "box" if style == "box" else "heading"
        blocks.append(Block(kind_out, text, original, span, label=label, style=style, level=level,
                            title=_heading_title(text, label), path=path, lines=numbers))
    return blocks


def _original(group: list[Line]) -> str:
    """The printed lines of a block, with the blank lines between them, as they stand in the file."""
    parts = [group[0].raw]
    for prev, line in itertools.pairwise(group):
        parts.extend([""] * (line.no - prev.no - 1))
        parts.append(line.raw)
    return "\n".join(parts)


def _table_text(table) -> str:
    return "\n".join("\t".join(c.text for c in row) for row in table.rows)
