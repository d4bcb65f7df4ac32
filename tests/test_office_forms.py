"""DOCX and OFD read as published: a gazette issue and standalone documents, made in the test run from the
corpus text (tests/docforms.py), give the same documents and key fields as the text itself; an OFD's pages
are recorded; what is not an official document, or not readable, is refused with one line saying why."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docforms
import pytest
from conftest import SAMPLES

from gongbao.errors import UnusableInput
from gongbao.model import Issue
from gongbao.parse import parse_text
from gongbao.pipeline import load_issue
from gongbao.sources import read_bytes, read_source
from gongbao.sources.docx import format_number
from gongbao.sources.ofd import non_document

CASES = [SAMPLES / "ningxia-2022-19.txt", docforms.STANDALONE / "govcn-58.txt",
         docforms.STANDALONE / "govcn-02.txt", docforms.STANDALONE / "govcn-20.txt"]
IDS = [p.stem for p in CASES]
SEAL = "★国务院办公厅★"


def facts(issue: Issue) -> dict:
    """What must not depend on the form: the masthead, the TOC, and per document its key fields.

    Addressees are left out: printed on a page, a long 主送 line wraps, and the parser reads addressees
    from one line (the same holds for PDF)."""
    g = issue.gazette
    return {
        "gazette": (g.name, g.year, g.number, g.total_number, g.published),
        "toc": [(e.title, e.doc_number.canonical if e.doc_number else None, e.page) for e in issue.toc],
        "documents": [(d.title, d.doc_number.canonical if d.doc_number else None, d.issuers, d.signed, d.kind,
                       [e.title for e in d.enclosures], len(d.attachments), d.toc_index)
                      for d in issue.documents],
    }


def text_of(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"corpus file missing: {path}")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_docx_gives_the_documents_of_its_text(path: Path) -> None:
    text = text_of(path)
    issue = load_issue(docforms.docx_from_lines(text.split("\n"), path.name))
    assert issue.source.format == "docx" and issue.source.encoding is None and issue.source.pages == []
    assert facts(issue) == facts(parse_text(text))
    assert issue.documents


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_ofd_gives_the_documents_of_its_text_on_its_pages(path: Path) -> None:
    text = text_of(path)
    ofd = docforms.ofd_from_lines(text.split("\n"), path.name, seal_text=SEAL)
    issue = load_issue(ofd)
    source = issue.source
    assert source.format == "ofd" and source.encoding is None
    assert facts(issue) == facts(parse_text(text))
    # every page recorded, its printed number (— N —) read off its foot, not left in the text
    with zipfile.ZipFile(ofd) as zf:
        n_pages = sum(1 for n in zf.namelist() if n.endswith("/Content.xml") and "/Pages/" in n)
        assert any(b"CompositeObject" in zf.read(n) for n in zf.namelist() if "/Pages/" in n)
    assert [p.index for p in source.pages] == list(range(1, n_pages + 1))
    assert [p.printed for p in source.pages] == [str(i) for i in range(1, n_pages + 1)]
    assert not any(line.strip().startswith("— ") for line in issue.lines)
    assert source.pages[-1].last_line == len(issue.lines)
    # documents are placed on the pages that print them, in order
    ranges = [d.pages for d in issue.documents]
    assert all(r is not None and 1 <= r.first <= r.last <= n_pages for r in ranges)
    assert [r.first for r in ranges] == sorted(r.first for r in ranges)
    # the seal is an annotation: its text is not read
    assert not any("★" in line for line in issue.lines)


def test_ofd_reads_text_drawn_through_composite_objects() -> None:
    lines = ["国务院办公厅关于测试复合对象的通知", "国办发〔2019〕99号", "各省、自治区、直辖市人民政府：",
             "现将有关事项通知如下。", "国务院办公厅", "2019年3月1日"]
    source, read = read_source(docforms.ofd_from_lines(lines, "composite", seal_text=SEAL))
    # line 2 (the 文号) and every ninth line are drawn only through a CompositeGraphicUnit in DocumentRes
    assert "国办发〔2019〕99号" in read and "现将有关事项通知如下。" in read
    assert source.metadata.get("creator") == "OFD Writer"


def test_ofd_gaps_on_aligned_lines_become_table_cells() -> None:
    lines = ["国务院办公厅关于报送统计表的通知", "国办函〔2019〕12号", "各有关单位：", "现将统计表印发。",
             "地区\t人数\t金额", "北京\t12\t300", "上海\t9\t250", "国务院办公厅", "2019年3月1日"]
    _, read = read_source(docforms.ofd_from_lines(lines, "table"))
    assert [ln for ln in read if "\t" in ln] == ["地区\t人数\t金额", "北京\t12\t300", "上海\t9\t250"]


def _docx_read(body: list[str]) -> list[str]:
    _, lines = read_bytes(docforms.docx_with_body(body), "t.docx")
    return [ln for ln in lines if ln.strip()]


def _p(text: str, *, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    ppr = ""
    if num or style:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else "") + "</w:pPr>"
    return f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def test_docx_word_numbering_is_written_into_the_text_and_styles_are_ignored() -> None:
    body = [_p("关于推进测试工作的意见", style="Heading1"),
            _p("总体要求", num=(90, 0), style="Heading2"), _p("指导思想", num=(90, 1)), _p("第一段正文。"),
            _p("基本原则", num=(90, 1)), _p("坚持问题导向", num=(90, 2)), _p("坚持系统观念", num=(90, 2)),
            _p("要点", num=(90, 3)),
            _p("重点任务", num=(90, 0)), _p("完善制度", num=(90, 1))]
    assert _docx_read(body) == ["关于推进测试工作的意见", "一、总体要求", "（一）指导思想", "第一段正文。", "（二）基本原则",
                                "1.坚持问题导向", "2.坚持系统观念", "要点", "二、重点任务", "（一）完善制度"]
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 99, 100, 105)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五"]
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(2, "ideographTraditional") == "乙"


def test_docx_text_boxes_revisions_breaks_and_tables() -> None:
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
           '<a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>国务院办公厅文件</w:t></w:r></w:p>'
           "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
           '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>国务院办公厅文件</w:t></w:r>'
           "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    body = [f"<w:p>{box}</w:p>",
            "<w:p><w:r><w:t>第一行</w:t></w:r><w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>续</w:t></w:r></w:p>",
            '<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>删掉的</w:delText></w:r>'
            '</w:del><w:ins w:id="2" w:author="x"><w:r><w:t>插入的</w:t></w:r></w:ins>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>地区</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>人数</w:t></w:r>"
            "</w:p><w:p><w:r><w:t>（人）</w:t></w:r></w:p></w:tc></w:tr>"
            '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc></w:tr>'
            "<w:tr><w:tc><w:p><w:r><w:t>北京</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"]
    assert _docx_read(body) == ["国务院办公厅文件", "第一行", "第二行 续", "保留插入的", "地区\t人数 （人）", "合计",
                                "北京\t"]


def test_e_invoices_and_receipts_are_refused_as_such() -> None:
    for tagged in (True, False):  # with the invoice's CustomData, and with its printed page alone
        with pytest.raises(UnusableInput, match="电子发票"):
            read_source(docforms.invoice_ofd(tagged=tagged))
    receipt = ["非税收入一般缴款书（电子）", "票据代码：11060120  票据号码：0012345678", "交款人：张三",
               "校验码：ab12cd", "收款单位（章）：某某局", "复核人：李四"]
    assert non_document("\n".join(receipt)).startswith("这是电子票据")
    # a 公文 about invoices names the fields without filling them in
    policy = ("关于推行增值税电子发票的通知\n纳税人开具电子发票，应当填写发票代码、发票号码、开票日期、校验码，"
              "价税合计和税额应当准确。购买方、销售方信息应当完整。")
    assert non_document(policy) is None


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True, timeout=120)


def _rezip(data: bytes, *, drop: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if not (drop and info.filename.endswith(drop)):
                zout.writestr(info.filename, zin.read(info.filename))
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The package with every entry flagged as encrypted (bit 0 of the general purpose flags, in the local
    headers and the central directory), as a password-protected OFD's entries are."""
    buf = bytearray(_rezip(data))
    with zipfile.ZipFile(io.BytesIO(bytes(buf))) as zf:
        for info in zf.infolist():
            buf[info.header_offset + 6] |= 0x1
    start = 0
    while (i := buf.find(b"PK\x01\x02", start)) >= 0:
        buf[i + 8] |= 0x1
        start = i + 4
    return bytes(buf)


def test_bad_office_files_give_one_line_and_exit_2(tmp_path: Path) -> None:
    good = docforms.ofd_from_lines(text_of(docforms.STANDALONE / "govcn-02.txt").split("\n"), "govcn-02.txt")
    data = good.read_bytes()
    files = {
        "damaged.ofd": (b"PK\x03\x04" + b"\x14\x00garbage" * 200, "ZIP 容器已损坏"),
        "truncated.ofd": (data[: len(data) * 3 // 5], "ZIP 容器已损坏"),
        "page-missing.ofd": (_rezip(data, drop="Page_1/Content.xml"), "OFD 文件不完整"),
        "encrypted.ofd": (_encrypted(data), "已加密"),
        "invoice.ofd": (docforms.invoice_ofd().read_bytes(), "这是电子发票，不是公文"),
        "encrypted.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                           + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000, "已加密"),
        "sheet.docx": (_xlsx(), "Excel"),
        "empty.docx": (docforms.docx_with_body([]), "没有文字"),
    }
    for name, (content, words) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = run("parse", str(path))
        assert result.returncode == 2, (name, result.stdout[-300:], result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and words in result.stderr and name in result.stderr, (name, result.stderr)


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def test_forms_are_recognised_by_content_not_by_name(tmp_path: Path) -> None:
    text = text_of(docforms.STANDALONE / "govcn-58.txt")
    swapped = tmp_path / "really-a-docx.ofd"
    swapped.write_bytes(docforms.docx_from_lines(text.split("\n"), "govcn-58.txt").read_bytes())
    named_txt = tmp_path / "really-an-ofd.txt"
    named_txt.write_bytes(docforms.ofd_from_lines(text.split("\n"), "govcn-58.txt").read_bytes())
    assert load_issue(swapped).source.format == "docx"
    assert load_issue(named_txt).source.format == "ofd"


def test_ingest_takes_a_directory_of_mixed_forms_and_skips_non_documents_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "issue.txt").write_bytes((SAMPLES / "ningxia-2022-19.txt").read_bytes())
    (folder / "a.docx").write_bytes(docforms.docx_from_lines(text_of(CASES[2]).split("\n"), "a").read_bytes())
    (folder / "b.ofd").write_bytes(docforms.ofd_from_lines(text_of(CASES[1]).split("\n"), "b").read_bytes())
    (folder / "c.html").write_bytes((docforms.STANDALONE / "govcn-16.html").read_bytes())
    (folder / "invoice.ofd").write_bytes(docforms.invoice_ofd().read_bytes())
    result = run("ingest", str(folder), "--data", str(tmp_path / "data"))
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert "invoice.ofd: 这是电子发票，不是公文" in out
    assert "新增 4 期" in out and "失败 1 个文件" in out


def _with_part(data: bytes, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for n in zin.namelist():
            zout.writestr(n, change(zin.read(n)) if n == name else zin.read(n))
    return out.getvalue()


def test_macro_enabled_word_files_are_read_and_broken_xml_is_refused() -> None:
    data = docforms.docx_with_body(["<w:p><w:r><w:t>宏文档正文</w:t></w:r></w:p>"])
    docm = _with_part(data, "[Content_Types].xml", lambda d: d.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"))
    assert read_bytes(docm, "x.docm")[1] == ["宏文档正文"]
    broken = _with_part(data, "word/document.xml", lambda d: d[: len(d) // 2])
    with pytest.raises(UnusableInput, match=r"broken\.docx: DOCX 文件已损坏"):
        read_bytes(broken, "broken.docx")
