"""Test inputs in the forms documents are published in, made in the test run from the corpus text.

No binary is committed: each builder writes its file once into the test-forms cache that tests/forms.py
keeps for the PDF forms (``<repo>/.cache/test-forms``, gitignored, or $GONGBAO_TEST_CACHE), named by the
hash of what it was built from and of this module's source, and later runs reuse it.

- :func:`docx_from_lines` — python-docx: a paragraph per line, tab rows as Word tables (a short row's
  last cell spans the rest, as Word merges them), a centred title in a Heading style, a footer with the
  page number field.
- :func:`ofd_from_lines` — a GB/T 33190 package assembled here (ofdkit reads, it does not write): OFD.xml
  with DocInfo, Document.xml with CommonData (PageArea, PublicRes, DocumentRes, a TemplatePage), pages laid
  out as GB/T 9704 prints a 公文 (A4, 28 characters × 22 lines, 三号 type, — N — at the foot), each line a
  TextObject split into several TextCodes with DeltaX; 文号 lines and every ninth line drawn through a
  CompositeObject whose CompositeGraphicUnit lives in DocumentRes; embedded font files; a seal: an
  ImageObject on the page, a Stamp annotation whose appearance carries the seal's own text, and Signs/
  with Signatures.xml, the signed value and the .esl seal; written to a non-seekable stream, so every
  entry has a data descriptor and the ZIP directory is found only at the end.
- :func:`invoice_ofd` — an e-invoice: the same package with the invoice's CustomData and page.
- :func:`province_page_*` — portal pages shaped like provincial portals (TRS and Hanweb CMS layouts).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import unicodedata
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from forms import cache_dir

from gongbao import docnumber

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
STANDALONE = CORPUS / "standalone"
# the builders' own source is part of every cache key: changing a builder rebuilds its files
BUILDER_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def cached(suffix: str, parts: list[str], build: Callable[[], bytes]) -> Path:
    """The file built by ``build`` from ``parts``, written once into the test-forms cache and reused."""
    digest = hashlib.sha256("\x00".join([BUILDER_VERSION, suffix, *parts]).encode()).hexdigest()[:20]
    path = cache_dir() / f"office-{digest}.{suffix}"
    if not path.exists():
        tmp = path.with_suffix(f".{suffix}.{os.getpid()}.tmp")
        tmp.write_bytes(build())
        tmp.replace(path)
    return path


# --------------------------------------------------------------------------- DOCX


def _table_runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Lines grouped into ('p', [line]) and ('table', [rows…])."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        if "\t" in line:
            if out and out[-1][0] == "table":
                out[-1][1].append(line)
            else:
                out.append(("table", [line]))
        else:
            out.append(("p", [line]))
    return out


def docx_bytes(lines: list[str]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    first = True
    for kind, group in _table_runs(lines):
        if kind == "p":
            text = group[0]
            if first and text.strip():
                # a title styled as a heading: the reader must not care
                p = document.add_paragraph(text, style="Heading 1")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                first = False
            else:
                p = document.add_paragraph(text)
            continue
        rows = [ln.split("\t") for ln in group]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for row, cells in zip(table.rows, rows, strict=True):
            if len(cells) < width:
                row.cells[len(cells) - 1].merge(row.cells[width - 1])
            for k, text in enumerate(cells):
                row.cells[k].text = text
    # a footer with a PAGE field: not part of the body
    footer = document.sections[0].footer.paragraphs[0]
    run = footer.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    run._r.addnext(fld)
    footer.add_run(" —")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_from_lines(lines: list[str], name: str) -> Path:
    return cached("docx", [name, *lines], lambda: docx_bytes(lines))


NUMBERING_XML = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>"""
NUM_XML = """<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">
<w:abstractNumId w:val="90"/></w:num>"""
W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


def docx_with_body(body_xml: list[str]) -> bytes:
    """A DOCX whose body is the given ``<w:p>``/``<w:tbl>`` elements (written with the ``w:`` prefix,
    namespaces supplied here), with a Chinese multilevel list (numId 90: 一、 / （一） / 1. / bullet)."""
    import docx
    from lxml import etree

    document = docx.Document()
    body = document.element.body
    sect = body[-1]
    for xml in body_xml:
        wrapped = etree.fromstring(f"<w:root {W_NS}>{xml}</w:root>")
        for el in wrapped:
            sect.addprevious(el)
    numbering = document.part.numbering_part.element
    numbering.insert(0, etree.fromstring(NUMBERING_XML))
    numbering.append(etree.fromstring(NUM_XML))
    document.sections[0].header.paragraphs[0].text = "页眉：不属于正文"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- OFD

NS = "http://www.ofdspec.org/2016"
SIZE = 5.64  # 三号 (16 pt) in mm
PITCH = 10.2  # 22 lines in a 225 mm type area
LEFT, TOP, WIDTH = 28.0, 37.0, 156.0
LINES_PER_PAGE = 22


def _advance(ch: str, size: float = SIZE) -> float:
    return size if unicodedata.east_asian_width(ch) in ("W", "F") else size / 2


_NO_LINE_START = "，。、；：？！）》」』”’%…—"


def wrap(line: str, width: float = WIDTH) -> list[str]:
    """A paragraph broken into printed lines of at most ``width`` mm; closing punctuation hangs at the
    end of a line instead of opening the next (the typesetting rule every 公文 follows)."""
    out, cur, used = [], "", 0.0
    for ch in line:
        if used + _advance(ch) > width + 0.01 and cur and ch not in _NO_LINE_START:
            out.append(cur)
            cur, used = "", 0.0
        cur += ch
        used += _advance(ch)
    out.append(cur)
    return out


class _Ids:
    def __init__(self) -> None:
        self.n = 100

    def __call__(self) -> int:
        self.n += 1
        return self.n


def _text_object(ids: _Ids, text: str, x: float, y: float, *, font: int = 3, size: float = SIZE,
                 chunk: int = 7) -> str:
    """One printed line as a TextObject: several TextCodes (producers split lines), DeltaX per char."""
    codes, cx = [], 0.0
    for start in range(0, len(text), chunk):
        part = text[start:start + chunk]
        deltas = " ".join(f"{_advance(ch, size):.2f}" for ch in part[:-1])
        delta_attr = f' DeltaX="{deltas}"' if deltas else ""
        codes.append(f'<ofd:TextCode X="{cx:.2f}" Y="{size:.2f}"{delta_attr}>{xml_escape(part)}</ofd:TextCode>')
        cx += sum(_advance(ch, size) for ch in part)
    return (f'<ofd:TextObject ID="{ids()}" Boundary="{x:.2f} {y:.2f} {WIDTH:.2f} {size * 1.4:.2f}" '
            f'Font="{font}" Size="{size:.2f}"><ofd:FillColor Value="0 0 0"/>{"".join(codes)}</ofd:TextObject>')


def _layout(lines: list[str]) -> list[list[tuple[str, float, float]]]:
    """Printed lines placed on pages: (text, x, y) per page; a blank source line leaves a blank line."""
    placed: list[tuple[str, float]] = []
    for line in lines:
        if "\t" in line:
            # a table row: cells at fixed columns, as wide as the row allows
            cells = line.split("\t")
            col = WIDTH / max(len(cells), 1)
            placed.extend((f"\x00{k}\x00{cell}", col) for k, cell in enumerate(cells) if cell)
            placed.append(("\x01", 0))
            continue
        text = line.strip()
        if not text:
            placed.append(("", 0))
            continue
        indent = 2 * SIZE if len(text) > 27 else 0.0
        first, *rest = wrap(text, WIDTH - indent) if indent else wrap(text)
        placed.append((first, indent))
        for more in wrap("".join(rest)) if rest else []:
            placed.append((more, 0.0))
    pages: list[list[tuple[str, float, float]]] = [[]]
    row = 0
    for text, x in placed:
        if row >= LINES_PER_PAGE:
            pages.append([])
            row = 0
        y = TOP + row * PITCH
        if text.startswith("\x00"):
            _, k, cell = text.split("\x00", 2)
            pages[-1].append((cell, LEFT + float(x) * int(k), y))
            continue
        if text == "\x01":
            row += 1
            continue
        if text:
            pages[-1].append((text, LEFT + x, y))
        row += 1
    return [p for p in pages if p] or [[]]


def ofd_bytes(lines: list[str], *, title: str = "", seal_text: str = "国务院办公厅",
              custom_data: dict[str, str] | None = None) -> bytes:
    ids = _Ids()
    pages = _layout(lines)
    units: list[str] = []
    page_xml: list[str] = []
    for number, placed in enumerate(pages, start=1):
        objects = []
        for k, (text, x, y) in enumerate(placed):
            if docnumber.parse(text) is not None or k % 9 == 4:
                # drawn through a composite object from the document's resources
                unit = ids()
                units.append(f'<ofd:CompositeGraphicUnit ID="{unit}" Width="{WIDTH}" Height="8"><ofd:Content>'
                             + _text_object(ids, text, 0.0, 0.0) + "</ofd:Content></ofd:CompositeGraphicUnit>")
                objects.append(f'<ofd:CompositeObject ID="{ids()}" Boundary="{x:.2f} {y:.2f} {WIDTH} 8" '
                               f'ResourceID="{unit}"/>')
            else:
                # some lines sit in a PageBlock, as layout programs group them
                obj = _text_object(ids, text, x, y, chunk=7 if k % 2 else 50)
                objects.append(f'<ofd:PageBlock ID="{ids()}">{obj}</ofd:PageBlock>' if k % 5 == 1 else obj)
        # the page number at the foot, a rule drawn as a path, the seal's image
        foot = f"— {number} —"
        objects.append(_text_object(ids, foot, 105 - 10, 297 - 25, font=4, size=4.94))
        objects.append(f'<ofd:PathObject ID="{ids()}" Boundary="{LEFT} 30 {WIDTH} 1" LineWidth="0.5">'
                       f'<ofd:AbbreviatedData>M 0 0 L {WIDTH} 0</ofd:AbbreviatedData></ofd:PathObject>')
        if number == len(pages):
            objects.append(f'<ofd:ImageObject ID="{ids()}" Boundary="120 200 42 42" ResourceID="20" '
                           f'CTM="42 0 0 42 0 0"/>')
        page_xml.append(
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Template TemplateID="9"/>'
            f'<ofd:Content><ofd:Layer ID="{ids()}" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content>'
            "</ofd:Page>")
    seal_words = "".join(
        _text_object(ids, ch, 130 + 14 * math.cos(i), 210 + 14 * math.sin(i), font=4, size=4.0)
        for i, ch in enumerate(seal_text))
    custom = "".join(f'<ofd:CustomData Name="{xml_escape(k)}">{xml_escape(v)}</ofd:CustomData>'
                     for k, v in (custom_data or {}).items())
    files: dict[str, bytes] = {
        "Doc_0/Pages/" + f"Page_{i}/Content.xml": xml.encode() for i, xml in enumerate(page_xml)
    }
    files |= {
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f"<ofd:MaxUnitID>{ids.n + 10}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
            "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
            "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
            '<ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages>'
            + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
            + "</ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>"
        ).encode(),
        "Doc_0/Tpls/Tpl_0/Content.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="7">'
            f'<ofd:PathObject ID="8" Boundary="{LEFT} 287 {WIDTH} 1"><ofd:AbbreviatedData>M 0 0 L {WIDTH} 0'
            "</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>").encode(),
        "Doc_0/PublicRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="3" FontName="仿宋_GB2312" FamilyName="仿宋"><ofd:FontFile>font_3.ttf</ofd:FontFile>'
            '</ofd:Font><ofd:Font ID="4" FontName="宋体" FamilyName="宋体"><ofd:FontFile>font_4.ttf'
            "</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>").encode(),
        "Doc_0/DocumentRes.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias>'
            '<ofd:MultiMedia ID="20" Type="Image"><ofd:MediaFile>seal_20.png</ofd:MediaFile></ofd:MultiMedia>'
            f"</ofd:MultiMedias><ofd:CompositeGraphicUnits>{''.join(units)}</ofd:CompositeGraphicUnits>"
            "</ofd:Res>").encode(),
        # embedded font subsets and the seal's picture: opaque binaries as far as text is concerned
        "Doc_0/Res/font_3.ttf": b"\x00\x01\x00\x00\x00\x0c" + hashlib.sha256(b"fangsong").digest() * 64,
        "Doc_0/Res/font_4.ttf": b"\x00\x01\x00\x00\x00\x0c" + hashlib.sha256(b"songti").digest() * 64,
        "Doc_0/Res/seal_20.png": b"\x89PNG\r\n\x1a\n" + hashlib.sha256(b"seal").digest() * 16,
        "Doc_0/Annots/Annotations.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations xmlns:ofd="{NS}"><ofd:Page '
            f'PageID="{len(pages)}"><ofd:FileLoc>Page_{len(pages) - 1}/Annotation.xml</ofd:FileLoc></ofd:Page>'
            "</ofd:Annotations>").encode(),
        f"Doc_0/Annots/Page_{len(pages) - 1}/Annotation.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot xmlns:ofd="{NS}"><ofd:Annot ID="{ids()}" '
            'Type="Stamp" Creator="seal" LastModDate="2019-01-22"><ofd:Appearance Boundary="110 190 50 50">'
            f"{seal_words}</ofd:Appearance></ofd:Annot></ofd:PageAnnot>").encode(),
        "Doc_0/Signs/Signatures.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{NS}"><ofd:MaxSignId>1'
            '</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/>'
            "</ofd:Signatures>").encode(),
        "Doc_0/Signs/Sign_0/Signature.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo>'
            '<ofd:Provider ProviderName="SealSystem" Version="2.0"/><ofd:SignatureMethod>1.2.156.10197.1.501'
            "</ofd:SignatureMethod><ofd:SignatureDateTime>20190122103000Z</ofd:SignatureDateTime>"
            '<ofd:References CheckMethod="1.2.156.10197.1.401"><ofd:Reference FileRef="/Doc_0/Document.xml">'
            "<ofd:CheckValue>AAAA</ofd:CheckValue></ofd:Reference></ofd:References>"
            f'<ofd:StampAnnot ID="1" PageRef="{len(pages)}" Boundary="120 200 42 42"/>'
            "<ofd:Seal><ofd:BaseLoc>/Doc_0/Signs/Sign_0/Seal.esl</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo>"
            "<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>").encode(),
        "Doc_0/Signs/Sign_0/Seal.esl": b"0\x82\x05\x00" + hashlib.sha256(seal_text.encode()).digest() * 20,
        "Doc_0/Signs/Sign_0/SignedValue.dat": b"0\x82\x02\x00" + hashlib.sha256(b"value").digest() * 10,
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.1" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6f1c2a9e4b7d4e0f9a3b5c6d7e8f9a0b</ofd:DocID>"
            f"<ofd:Title>{xml_escape(title)}</ofd:Title><ofd:CreationDate>2019-01-22</ofd:CreationDate>"
            "<ofd:Creator>OFD Writer</ofd:Creator><ofd:CreatorVersion>3.0</ofd:CreatorVersion>"
            f"{'<ofd:CustomDatas>' + custom + '</ofd:CustomDatas>' if custom else ''}</ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>").encode(),
    }
    return _streamed_zip(files)


class _Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors, as streaming producers do."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[override]
        self.buffer.extend(b)
        return len(b)

    def seekable(self) -> bool:
        return False


def _streamed_zip(files: dict[str, bytes]) -> bytes:
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        # the package's entry point last, as streaming writers put it
        for name in sorted(files, key=lambda n: n == "OFD.xml"):
            zf.writestr(name, files[name])
    return bytes(stream.buffer)


def ofd_from_lines(lines: list[str], name: str, **kwargs: str) -> Path:
    return cached("ofd", [name, *lines, repr(sorted(kwargs.items()))], lambda: ofd_bytes(lines, **kwargs))


INVOICE_LINES = [
    "电子发票（普通发票）",
    "发票代码：011001900111      发票号码：12345678",
    "开票日期：2019年01月22日      校验码：12345 67890 12345 67890",
    "购买方  名称：某某科技有限公司",
    "纳税人识别号：91110108MA01ABCD1X",
    "项目名称   规格型号   单位   数量   单价   金额   税率   税额",
    "*信息技术服务*技术服务费      项   1   943.40   943.40   6%   56.60",
    "合计   ¥943.40   ¥56.60",
    "价税合计（大写）   壹仟圆整   （小写）¥1000.00",
    "销售方  名称：某某信息服务有限公司",
    "收款人：张三   复核：李四   开票人：王五",
]


def invoice_ofd(*, tagged: bool = True) -> Path:
    """An e-invoice; ``tagged`` gives it the CustomData e-invoices carry, else only its printed page."""
    custom = {"发票代码": "011001900111", "发票号码": "12345678", "开票日期": "2019年01月22日",
              "合计税额": "56.60", "价税合计": "1000.00"} if tagged else {}
    return cached("ofd", ["invoice", str(tagged)],
                  lambda: ofd_bytes(INVOICE_LINES, title="电子发票", seal_text="发票专用章", custom_data=custom))


# --------------------------------------------------------------------------- portal pages


def _paragraphs(lines: list[str]) -> str:
    out = []
    for line in lines:
        if "\t" in line:
            cells = "".join(f"<td><p>{escape(c)}</p></td>" for c in line.split("\t"))
            out.append(f'<table border="1" class="MsoTableGrid"><tbody><tr>{cells}</tr></tbody></table>')
        elif line.strip():
            out.append(f'<p style="text-indent:2em;">{escape(line.strip())}</p>')
    return "\n".join(out)


def province_page_trs(lines: list[str], facts: dict[str, str]) -> bytes:
    """A provincial portal on the TRS CMS: <meta> tags, a breadcrumb, the metadata as <li> items with
    spaced labels in <span>s, the title in an <h1> above a TRS_Editor body, UTF-8."""
    meta = facts
    items = [("索 引 号", meta.get("index_number", "")), ("发布机构", meta.get("issuer", "")),
             ("主题分类", meta.get("topic", "")), ("文　　号", meta.get("doc_number", "")),
             ("成文日期", meta.get("signed_cn", "")), ("发布日期", meta.get("published", ""))]
    li = "\n".join(f'<li><span class="lab">{escape(k)}：</span><span class="val">{escape(v)}</span></li>'
                   for k, v in items)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{escape(meta['title'])}_省政府文件_某省人民政府门户网站</title>
<meta name="SiteName" content="某省人民政府门户网站">
<meta name="ColumnName" content="省政府文件">
<meta name="ArticleTitle" content="{escape(meta['title'])}">
<meta name="PubDate" content="{escape(meta.get('published', ''))} 09:30">
<meta name="ContentSource" content="某省人民政府门户网站">
<script>var _hmt = _hmt || []; document.write("发布机构：不是这里");</script>
<style>.lab{{color:#666}}</style></head>
<body>
<div class="header"><a href="/">首页</a><a href="/col/zwgk/">政务公开</a><a href="/col/zcjd/">政策解读</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/zwgk/">政务公开</a> &gt; 省政府文件</div>
<div class="xxgk_box"><ul class="xxgk_table">
{li}
</ul></div>
<div class="article">
<h1 class="article-title">{escape(meta['title'])}</h1>
<div class="article-info">来源：某省人民政府门户网站　　字号：<a>大</a> <a>中</a> <a>小</a>　　<a href="javascript:window.print()">打印</a></div>
<div class="TRS_Editor" id="zoom">
{_paragraphs(lines)}
</div>
<div class="related">相关解读：<a href="/art/jd1.html">图解：一图读懂某某工作方案</a></div>
</div>
<div class="footer">主办：某省人民政府办公厅　网站标识码：3300000001　<a href="/wzdt">网站地图</a></div>
</body></html>""".encode()


def province_page_hanweb(lines: list[str], facts: dict[str, str]) -> bytes:
    """A provincial portal on the Hanweb CMS, in GB2312 as many still are: the metadata in a <table> of
    label cells without colons, the body's paragraphs as <br>-separated lines in one cell, nbsp indents."""
    meta = facts
    rows = [("索引号", meta.get("index_number", ""), "主题分类", meta.get("topic", "")),
            ("发文机关", meta.get("issuer", ""), "成文日期", meta.get("signed", "")),
            ("标　　题", meta["title"], "", ""),
            ("发文字号", meta.get("doc_number", ""), "发布日期", meta.get("published", ""))]
    table = "\n".join(
        f'<tr><td class="t1">{escape(a)}</td><td>{escape(b)}</td>'
        + (f'<td class="t1">{escape(c)}</td><td>{escape(d)}</td>' if c else "") + "</tr>"
        for a, b, c, d in rows)
    body = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{escape(ln.strip())}" for ln in lines if ln.strip())
    page = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(meta['title'])}</title>
</head><body>
<table width="1000" align="center"><tr><td><img src="/images/banner.jpg"></td></tr>
<tr><td class="nav"><a href="/">网站首页</a> | <a href="/zwgk/">政府信息公开</a> | <a href="/hdjl/">互动交流</a></td></tr></table>
<table width="1000" align="center" class="xxgk_info">
{table}
</table>
<table width="1000" align="center"><tr><td id="ivs_content" class="bt_content">
<div id="ivs_title" style="display:none">{escape(meta['title'])}</div>
{body}
</td></tr>
<tr><td align="right">【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>
</body></html>"""
    return page.encode("gb18030")


def interpretation_page(explained: str, paragraphs: list[str]) -> bytes:
    """A 解读 page: heading 《…》政策解读, the column 政策解读 in the breadcrumb, a link to the original."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>《{escape(explained)}》政策解读_政策解读_某省人民政府</title>
<meta name="ColumnName" content="政策解读"></head><body>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政策解读</div>
<div class="article"><h1 class="title">《{escape(explained)}》政策解读</h1>
<div class="info">发布时间：2019-02-15 10:00　来源：省政府办公厅</div>
<div class="TRS_Editor">{body}</div>
<div class="xgwj">相关文件：<a href="/art/wj.html">{escape(explained)}</a></div></div>
</body></html>""".encode()


def list_page(titles: list[str]) -> bytes:
    """A column's list page: links with dates, a pager, no body."""
    items = "\n".join(f'<li><a href="/art/{i}.html" title="{escape(t)}">{escape(t)}</a><span>2019-01-{i % 28 + 1:02d}'
                      "</span></li>" for i, t in enumerate(titles))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>省政府文件_某省人民政府</title></head>
<body><div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 省政府文件</div>
<div class="list"><ul>{items}</ul></div>
<div class="pager">共 12 页 <a href="?p=2">下一页</a> <a href="?p=12">尾页</a></div></body></html>""".encode()
