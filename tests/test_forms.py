"""The test-form generators (tests/forms.py) make what they claim: a printed issue whose text layer holds the
header, folios and 文号 of the real issue; scans at the asked dpi with no text; PDFs that render right but
extract garbage; and a cache that is reused. Other tests trust these forms, so they are checked here."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import forms
import pytest
from conftest import SAMPLES, expected

forms.skip_if_unavailable()

import numpy as np  # noqa: E402  (after the skip: the generators' own dependencies)
import pypdfium2 as pdfium  # noqa: E402

NAME = "ningxia-2022-02"
ISSUE = SAMPLES / f"{NAME}.txt"
HEADER = "宁夏回族自治区人民政府公报\u30002022年第2期"
A4_PT = (595.28, 841.89)
DOCNO_LINE = re.compile(r"^[\u4e00-\u9fff]{1,15}〔\d{4}〕\d+号$")


def texts(pdf: Path, pages: list[int] | None = None) -> list[str]:
    """Text of pages as pypdfium2 extracts it (what a PDF reader built on pdfium sees)."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        indices = range(len(doc)) if pages is None else pages
        return [doc[i].get_textpage().get_text_range() for i in indices]
    finally:
        doc.close()


def render(pdf: Path, index: int, scale: float = 0.5) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[index].render(scale=scale, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def issue() -> Path:
    return forms.issue_pdf(ISSUE)


def test_issue_pdf_has_header_folios_and_doc_numbers_as_text(issue: Path) -> None:
    pages = texts(issue)
    layout = forms.page_layout(issue)
    assert len(pages) == len(layout) >= 20
    # the cover carries neither header nor folio; every other page both, folios numbering physical pages
    assert HEADER not in pages[0] and "—" not in pages[0] and "2022年第2期" in squash(pages[0])
    assert layout[0]["folio"] is None
    for index, text in enumerate(pages[1:], start=1):
        assert HEADER in text, index
        assert f"— {index + 1} —" in text, index
        assert layout[index]["folio"] == f"— {index + 1} —"
    # the TOC starts page 2 and the first document a page of its own after the TOC
    assert squash(pages[1]).startswith(squash(HEADER) + "—2—目录")
    source = ISSUE.read_text(encoding="utf-8").split("\n")
    first_doc = next(i for i, line in enumerate(source, 1) if DOCNO_LINE.match(line.strip()))
    first_page = next(p for p in layout if any(line["source"] == first_doc for line in p["lines"]))
    assert first_page["lines"][0]["source"] == first_doc - 2  # its title, on top of the page
    # every 文号 of the issue is real text, on the page the layout says its line is printed on
    numbers = [d["doc_number"] for d in expected(NAME)["documents"] if d["doc_number"]]
    printed_at = {source[line["source"] - 1].strip(): page["index"]
                  for page in layout for line in page["lines"] if DOCNO_LINE.match(line["text"])}
    assert set(numbers) <= set(printed_at)
    for number in numbers:
        assert number in squash(pages[printed_at[number]])
    # the layout is the truth of what each page shows: every printed body line is in that page's text
    wrapped = 0
    for page in layout:
        page_text = squash(pages[page["index"]])
        for line in page["lines"]:
            if forms.table_cells(source[line["source"] - 1]) is None:
                assert squash(line["text"]) in page_text, (page["index"], line)
        sources = [line["source"] for line in page["lines"]]
        wrapped += len(sources) - len(set(sources))
    assert wrapped > 100  # long source lines wrap onto several printed lines


def test_small_documents_folio_styles_tables_and_markdown() -> None:
    body = "各县（区）人民政府，市政府各部门：" + "为进一步加强政务公开工作，现就有关事项通知如下。" * 6
    lines = ["# 某市人民政府关于加强政务公开工作的通知", "", "某政发〔2024〕7号", "", body,
             "**第一条** 本办法自印发之日起施行。", "指标\t单位\t数值\t增长（%）", "#房地产开发投资\t亿元\t466.95\t7.8",
             "| 序号 | 名称 |", "|---|---|", "| 1 | 营业执照信息 |", "\f", "附件：某某表"]
    dot = forms.pdf_with_layout(lines, header="某市人民政府公报\u30002024年第1期", folio="dot", folio_start=7)
    plain = forms.pdf_with_layout(lines, header="某市人民政府公报", folio="plain")
    dot_pages, plain_pages = texts(dot), texts(plain)
    assert len(dot_pages) == 2  # the form feed starts a page
    assert "·7·" in dot_pages[0] and "·8·" in dot_pages[1]
    assert re.search(r"(?m)^1\s*$", plain_pages[0]) and "·" not in plain_pages[0]
    text = squash(dot_pages[0])
    assert "某市人民政府关于加强政务公开工作的通知" in text and "**" not in text and "#某市" not in text
    assert "第一条本办法" in text and "#房地产开发投资" in text and "|" not in text and "---" not in text
    layout = forms.page_layout(dot)[0]["lines"]
    assert sum(line["source"] == 5 for line in layout) >= 3  # the long paragraph wraps
    rows = {line["source"]: line["text"] for line in layout if line["source"] >= 7}
    assert rows[8] == "#房地产开发投资 亿元 466.95 7.8"  # a table row fits on one printed line
    assert rows[11] == "1 营业执照信息" and 10 not in rows  # the pipe separator prints nothing


def test_scans_are_images_at_the_dpi_and_scanned_pdf_has_no_text(issue: Path) -> None:
    from PIL import Image

    clean = forms.scan_pages(issue, pages=[3], dpi=100)
    noisy = forms.scan_pages(issue, pages=[3], dpi=100, noise=0.2, skew=0.8, seed=1)
    again = forms.scan_pages(issue, pages=[3], dpi=100, noise=0.2, skew=0.8, seed=2)
    with Image.open(clean[0]) as a, Image.open(noisy[0]) as b, Image.open(again[0]) as c:
        assert a.mode == b.mode == "L" and a.size == b.size == (827, 1170)  # A4 at 100 dpi
        assert round(b.info["dpi"][0]) == 100
        pixels_a, pixels_b, pixels_c = np.asarray(a), np.asarray(b), np.asarray(c)
    assert (pixels_a != pixels_b).mean() > 0.1 and (pixels_b != pixels_c).mean() > 0.05  # seed matters
    assert pixels_a.min() == 0 and pixels_a.mean() > 200  # black print on white paper
    jpeg = forms.scan_pages(issue, pages=[0], dpi=72, fmt="jpeg")
    scanned = forms.scanned_pdf(noisy + jpeg)
    doc = pdfium.PdfDocument(str(scanned))
    try:
        assert len(doc) == 2
        for index in range(2):
            page = doc[index]
            assert page.get_textpage().count_chars() == 0
            width, height = page.get_size()
            assert abs(width - A4_PT[0]) < 3 and abs(height - A4_PT[1]) < 3
    finally:
        doc.close()


@pytest.mark.parametrize(("mode", "block"), [("pua", (0xE000, 0xF8FF)), ("rare", (0x3400, 0x4DBF))])
def test_garbled_pdf_renders_the_same_and_extracts_garbage(issue: Path, mode: forms.GarbleMode,
                                                           block: tuple[int, int]) -> None:
    garbled = forms.garbled_pdf(ISSUE, mode=mode)
    assert forms.page_layout(garbled) == forms.page_layout(issue)
    text = "".join(texts(garbled, [1, 3]))
    chars = [ch for ch in text if not ch.isspace()]
    share = sum(block[0] <= ord(ch) <= block[1] for ch in chars) / len(chars)
    assert len(chars) > 500 and share > 0.95, share
    assert "宁政发" not in text and "公报" not in text
    if mode == "pua":
        assert all(unicodedata.category(ch) == "Co" for ch in chars)
    # the glyphs are untouched: OCR would read the page as printed
    assert np.array_equal(render(garbled, 3), render(issue, 3))


def test_cache_is_reused_and_keyed_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGBAO_TEST_CACHE", str(tmp_path))
    lines = ["某市人民政府公报", "某政发〔2024〕7号", "本办法自印发之日起施行。"]
    before = forms.CACHE_STATS.copy()
    first = forms.pdf_with_layout(lines, header="某市人民政府公报")
    stamp = first.stat().st_mtime_ns
    second = forms.pdf_with_layout(lines, header="某市人民政府公报")
    other = forms.pdf_with_layout([*lines, "（此件公开发布）"], header="某市人民政府公报")
    scans = [forms.scan_pages(first, dpi=72, noise=0.1) for _ in range(2)]
    stats = forms.CACHE_STATS - before
    assert first == second and first.parent == tmp_path and first.stat().st_mtime_ns == stamp
    assert other != first and scans[0] == scans[1]
    assert stats == {"pdf miss": 2, "pdf hit": 1, "scan miss": 1, "scan hit": 1}
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # atomic writes left no temp files
