"""Read a DOCX 公文: paragraphs and tables in document order, as the parser reads converted text.

Word's heading styles say nothing reliable about a 公文's outline (drafters style titles as Heading 1 or
as Normal, bold or not); the Chinese numbering printed in the text does, and the parser reads it as it
does for any text. So styles are ignored, except that numbering Word generates (a list style rendering
"一、" or "（一）") is written into the text, since without it the outline's labels would be lost. Tables
become tab-separated rows; text boxes (a red header drawn as a shape) are read before their paragraph;
headers, footers, comments and deleted revisions are not part of the body.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from gongbao.errors import UnusableInput
from gongbao.sources.reading import Reading

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {f"{W}delText", f"{W}instrText", f"{W}del", f"{W}moveFrom", f"{W}rPr", f"{W}pPr", MC_FALLBACK,
         f"{W}footnoteReference", f"{W}endnoteReference", f"{W}commentReference"}


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return el.get(f"{W}val", default) if el is not None else default


_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (numbering rarely runs past a hundred)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else ("一" if rest < 20 else "") + _chinese(rest))
    return _CN_DIGITS[hundreds % 10] + "百" + tail


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographDigital", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return _chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """Word's list numbering (numbering.xml), rendered as the labels Word would print."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._style_num: dict[str, tuple[str, int]] = {}
        if numbering is not None:
            for a in numbering.iter(f"{W}abstractNum"):
                self._abstract[a.get(f"{W}abstractNumId", "")] = a
            for num in numbering.iter(f"{W}num"):
                overrides = {int(o.get(f"{W}ilvl", "0")): int(_val(o.find(f"{W}startOverride"), "1") or 1)
                             for o in num.iter(f"{W}lvlOverride") if o.find(f"{W}startOverride") is not None}
                self._nums[num.get(f"{W}numId", "")] = (_val(num.find(f"{W}abstractNumId"), "") or "", overrides)
        if styles is not None:
            based: dict[str, str] = {}
            own: dict[str, tuple[str, int]] = {}
            for style in styles.iter(f"{W}style"):
                sid = style.get(f"{W}styleId", "")
                if (b := _val(style.find(f"{W}basedOn"))) is not None:
                    based[sid] = b
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None and (num_id := _val(num_pr.find(f"{W}numId"))):
                    own[sid] = (num_id, int(_val(num_pr.find(f"{W}ilvl"), "0") or 0))
            for sid in {*based, *own}:
                seen, s = set(), sid
                while s and s not in own and s not in seen:
                    seen.add(s)
                    s = based.get(s, "")
                if s in own:
                    self._style_num[sid] = own[s]

    def label(self, p: etree._Element) -> str:
        """The label Word prints before paragraph ``p`` ('' when it is not numbered or is a bullet)."""
        ppr = p.find(f"{W}pPr")
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id, ilvl = None, 0
        style = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        if style and style in self._style_num:
            num_id, ilvl = self._style_num[style]
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId"), num_id)
            ilvl = int(_val(num_pr.find(f"{W}ilvl"), str(ilvl)) or 0)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = {int(lv.get(f"{W}ilvl", "0")): lv for lv in self._abstract.get(abstract_id, etree.Element("x"))
                  .iter(f"{W}lvl")}
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})

        def start(level: int) -> int:
            return overrides.get(level, int(_val(levels[level].find(f"{W}start"), "1") or 1)) if level in levels else 1

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        fmt = _val(lvl.find(f"{W}numFmt"), "decimal") or "decimal"
        if fmt in ("bullet", "none"):
            return ""
        text = _val(lvl.find(f"{W}lvlText"), "") or ""
        for level in range(9):
            if f"%{level + 1}" in text:
                n = counters.get(level, start(level))
                lfmt = _val(levels[level].find(f"{W}numFmt"), "decimal") if level in levels else "decimal"
                text = text.replace(f"%{level + 1}", format_number(n, lfmt or "decimal"))
        suffix = _val(lvl.find(f"{W}suff"), "tab")
        joiner = "" if suffix == "nothing" or text[-1:] in "、．.)）】" else " "
        return text + joiner if text else ""


def _runs_text(el: etree._Element, boxes: list[etree._Element]) -> Iterator[str]:
    """The text of a paragraph's content in order; text boxes met on the way are collected in ``boxes``."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{W}t":
            yield child.text or ""
        elif tag in (f"{W}tab", f"{W}ptab"):
            yield " "
        elif tag in (f"{W}br", f"{W}cr"):
            yield "\n"
        elif tag == f"{W}noBreakHyphen":
            yield "-"
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        else:
            yield from _runs_text(child, boxes)


def _paragraph_lines(p: etree._Element, numbering: Numbering) -> list[str]:
    boxes: list[etree._Element] = []
    text = numbering.label(p) + "".join(_runs_text(p, boxes))
    lines: list[str] = []
    for box in boxes:
        lines.extend(_block_lines(box, numbering))
    lines.extend(ln.rstrip() for ln in text.split("\n"))
    return lines


def _cell_text(tc: etree._Element, numbering: Numbering) -> str:
    parts = [ln.strip() for ln in _block_lines(tc, numbering) if ln.strip()]
    return " ".join(parts).replace("\t", " ")


def _table_lines(tbl: etree._Element, numbering: Numbering) -> list[str]:
    """One tab-separated line per row; a cell spanning columns is one cell, a vertically merged
    continuation an empty one (the parser marks empty cells as merged)."""
    lines: list[str] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells = [_cell_text(tc, numbering) for tc in tr.iter(f"{W}tc")
                 if next((a for a in tc.iterancestors(f"{W}tbl")), None) is tbl]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _block_lines(container: etree._Element, numbering: Numbering) -> list[str]:
    """Lines of the paragraphs and tables directly in ``container`` (body, cell, text box, content control)."""
    lines: list[str] = []
    for child in container:
        if child.tag == f"{W}p":
            lines.extend(_paragraph_lines(child, numbering))
        elif child.tag == f"{W}tbl":
            lines.extend(_table_lines(child, numbering))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            lines.extend(_block_lines(child, numbering))
    return lines


_XML = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _parts(data: bytes) -> tuple[etree._Element, etree._Element | None, etree._Element | None]:
    """(body, numbering, styles) of a DOCX: through python-docx, or straight from the package's parts
    for Word files python-docx will not open by their content type (.docm, .dotx)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = document.part.numbering_part.element
        styles = document.styles.element
        return document.element.body, numbering, styles
    except ValueError as exc:
        if "content type" not in str(exc):
            raise
    except PackageNotFoundError:
        pass
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())

        def part(name: str) -> etree._Element | None:
            return etree.fromstring(zf.read(name), _XML) if name in names else None

        root = part("word/document.xml")
        body = root.find(f"{W}body") if root is not None else None
        if body is None:
            raise KeyError("word/document.xml has no body")
        return body, part("word/numbering.xml"), part("word/styles.xml")


def read_docx(data: bytes) -> Reading:
    """Read a .docx file's body into lines. Damaged files are refused; a password-protected one never gets
    here (Office wraps it in an OLE file, refused by the sniffer as encrypted)."""
    try:
        body, numbering, styles = _parts(data)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, OSError,
            NotImplementedError) as exc:
        raise UnusableInput(f"DOCX 文件已损坏，无法读取 (damaged DOCX: {exc})") from None
    lines = _block_lines(body, Numbering(numbering, styles))
    if not any(ln.strip() for ln in lines):
        raise UnusableInput("DOCX 文件没有文字 (a DOCX with no text)")
    return Reading(format="docx", lines=lines)
