"""PDF issues through the text layer: a gazette printed from a real corpus issue gives the same documents
and key fields as its converted text, each document on the pages it was printed on, running heads and
folios gone, ruled tables read row by row; broken files are refused in one line.

The PDFs are printed in the test run from the corpus by tests/forms.py (cached by hash): A4, CJK serif,
running head with the gazette's name and issue, folio in three styles, ruled tables that wrap their cells.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import forms
import pytest
from conftest import ROOT, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.errors import UnusableInput
from gongbao.model import Issue
from gongbao.pipeline import load_issue
from gongbao.sources import read_bytes
from gongbao.sources.layout import Run, lines_of, page_number, strip_running
from gongbao.sources.pdf import text_quality

forms.skip_if_unavailable()

BY_NAME = {p.stem: p for p in sorted(SAMPLES.glob("*.txt"))}


def key_fields(issue: Issue) -> list[tuple[object, ...]]:
    """What a user relies on per document: 文号, title, kind, issuers, signing date, enclosures, annexes,
    TOC item."""
    return [(d.doc_number.canonical if d.doc_number else None, d.title, d.kind, tuple(d.issuers), d.signed,
             tuple(e.title for e in d.enclosures), len(d.attachments), d.toc_index) for d in issue.documents]


def masthead(issue: Issue) -> tuple[object, ...]:
    g = issue.gazette
    return g.name, g.year, g.number, g.total_number, g.published


def toc(issue: Issue) -> list[tuple[object, ...]]:
    return [(e.title, e.category, e.doc_number.canonical if e.doc_number else None, e.page) for e in issue.toc]


def problems(issue: Issue) -> list[tuple[str, str]]:
    return sorted((p.kind, p.message) for p in issue.problems)


@pytest.mark.parametrize(("name", "folio"), [("ningxia-2022-02", "dash"), ("ningxia-2022-19", "dot"),
                                             ("zhongwei-2019-03", "plain")])
def test_printed_issue_gives_the_same_documents_as_its_text(name: str, folio: forms.FolioStyle) -> None:
    text = load_issue(BY_NAME[name])
    pdf = load_issue(forms.issue_pdf(BY_NAME[name], folio=folio), ocr="never")
    assert pdf.source.format == "pdf" and pdf.source.encoding is None
    assert masthead(pdf) == masthead(text)
    assert toc(pdf) == toc(text)
    assert key_fields(pdf) == key_fields(text)
    # the same proof-reading report: ruled tables whose cells wrap, and notes whose 〔牵头单位: label ends a
    # printed line, would otherwise add broken-bracket problems the text does not have
    assert problems(pdf) == problems(text)
    assert pdf.source.ocr_pages == [] and all(not p.ocr for p in pdf.source.pages)


@pytest.mark.parametrize("name", ["ningxia-2022-19", "zhongwei-2019-03"])
def test_each_document_is_placed_on_the_pages_it_was_printed_on(name: str) -> None:
    pdf_path = forms.issue_pdf(BY_NAME[name])
    layout = forms.page_layout(pdf_path)
    page_of_source_line = {ln["source"]: page["index"] + 1 for page in layout for ln in page["lines"]}
    text = load_issue(BY_NAME[name])
    pdf = load_issue(pdf_path, ocr="never")
    assert len(pdf.source.pages) == len(layout)
    for t, p in zip(text.documents, pdf.documents, strict=True):
        # the page that printed the document's first and last source lines, by the printer's own record
        first = min(page_of_source_line[n] for n in range(t.span.start_line, t.span.end_line + 1)
                    if n in page_of_source_line)
        last = max(page_of_source_line[n] for n in range(t.span.start_line, t.span.end_line + 1)
                   if n in page_of_source_line)
        assert p.pages is not None and (p.pages.first, p.pages.last) == (first, last), t.title
        # the folio printed on those pages was read (forms number physical pages)
        assert (p.pages.printed_first, p.pages.printed_last) == (str(first), str(last))


def test_running_heads_and_folios_are_removed_and_folios_read() -> None:
    pdf_path = forms.issue_pdf(BY_NAME["ningxia-2022-02"], folio="dot")
    layout = forms.page_layout(pdf_path)
    source, lines = read_bytes(pdf_path.read_bytes(), str(pdf_path), ocr="never")
    text_lines = BY_NAME["ningxia-2022-02"].read_text(encoding="utf-8").split("\n")
    header = layout[1]["header"]
    assert header and all(line.strip() != header for line in lines)
    for page, truth in zip(source.pages, layout, strict=True):
        folio = truth["folio"]
        assert page.printed == ("".join(ch for ch in str(folio) if ch.isdigit()) if folio is not None else None)
        printed = "".join("".join(lines[page.first_line - 1:page.last_line]).split())
        # every line the printer put on the page is there (table rows cut by the page break move to the
        # page where their row began)
        for ln in truth["lines"]:
            if forms.table_cells(text_lines[ln["source"] - 1]) is not None:
                continue
            assert "".join(forms.printed(ln["text"])[0].split())[:6] in printed


def test_ruled_table_rows_come_back_whole() -> None:
    """附件 2 of 宁政办发〔2022〕68号 is a ruled table whose cells wrap onto several printed lines: each row
    must come back as one row with its cells, as in the converted text."""
    text = load_issue(BY_NAME["ningxia-2022-19"])
    pdf = load_issue(forms.issue_pdf(BY_NAME["ningxia-2022-19"]), ocr="never")

    def rows(issue: Issue) -> list[list[str]]:
        doc = issue.documents[1]
        tables = [b.table for b in doc.all_blocks() if b.table is not None]
        return [["".join(c.text.split()) for c in row] for t in tables for row in t.rows]

    text_rows, pdf_rows = rows(text), rows(pdf)
    assert len(pdf_rows) >= 20
    text_cells = {c for row in text_rows for c in row if len(c) >= 6}
    pdf_cells = {c for row in pdf_rows for c in row if len(c) >= 6}
    # wrapped cells are whole again: every long cell of the text is a cell of the PDF's table
    assert len(text_cells - pdf_cells) <= len(text_cells) // 20, sorted(text_cells - pdf_cells)[:5]


def test_parse_text_prints_the_lines_spans_refer_to(tmp_path: Path) -> None:
    pdf_path = forms.issue_pdf(BY_NAME["ningxia-2022-19"])
    run = [sys.executable, "-m", "gongbao", "parse"]
    text = subprocess.run([*run, "--text", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    as_json = subprocess.run([*run, "--json", "--no-body", str(pdf_path)], capture_output=True, text=True,
                             check=True).stdout
    data = json.loads(as_json)
    lines = text.split("\n")[:-1]
    assert data["source"]["format"] == "pdf" and data["source"]["line_count"] == len(lines)
    assert data["source"]["pages"] == len(data["source"]["page_lines"]) == len(forms.page_layout(pdf_path))
    for doc in data["documents"]:
        span = doc["span"]
        assert doc["doc_number"] in "".join(lines[span["start_line"] - 1:span["end_line"]]).replace(" ", "")
        assert 1 <= doc["pages"]["first"] <= doc["pages"]["last"] <= data["source"]["pages"]


def test_form_is_decided_by_content_not_name(tmp_path: Path) -> None:
    pdf_as_txt = tmp_path / "issue.txt"
    pdf_as_txt.write_bytes(forms.issue_pdf(BY_NAME["ningxia-2022-19"]).read_bytes())
    text_as_pdf = tmp_path / "issue.pdf"
    text_as_pdf.write_bytes(BY_NAME["ningxia-2022-19"].read_bytes())
    assert load_issue(pdf_as_txt, ocr="never").source.format == "pdf"
    assert load_issue(text_as_pdf).source.format == "text"
    assert key_fields(load_issue(pdf_as_txt, ocr="never")) == key_fields(load_issue(text_as_pdf))


def _encrypted_pdf(tmp_path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="confidential")
    out = tmp_path / "locked.pdf"
    pdf.output(str(out))
    return out


def test_broken_pdfs_are_refused_in_one_line(tmp_path: Path) -> None:
    whole = forms.issue_pdf(BY_NAME["ningxia-2022-19"]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    cases = [(_encrypted_pdf(tmp_path), "已加密"), (garbage, "PDF 文件已损坏")]
    for path, words in cases:
        result = subprocess.run([sys.executable, "-m", "gongbao", "parse", str(path)], capture_output=True,
                                text=True)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1 and words in result.stderr and str(path) in result.stderr
    # a PDF cut short loses its cross-reference table; pdfium rebuilds what it can, so it is either read
    # (a part of the issue) or refused with a reason, never a crash
    result = subprocess.run([sys.executable, "-m", "gongbao", "parse", str(cut)], capture_output=True, text=True)
    assert "Traceback" not in result.stderr and result.returncode in (0, 2)
    if result.returncode == 2:
        assert result.stderr.count("\n") == 1


def test_ingest_reports_broken_pdf_and_keeps_the_original(tmp_path: Path) -> None:
    from gongbao.store import Archive

    folder = tmp_path / "in"
    folder.mkdir()
    pdf_path = forms.issue_pdf(BY_NAME["ningxia-2022-19"])
    (folder / "issue.pdf").write_bytes(pdf_path.read_bytes())
    _encrypted_pdf(folder)
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([folder], ocr="never")
        assert [(p.name, "已加密" in m) for p, m in report.failed] == [("locked.pdf", True)]
        assert report.added == 1
        issue_id = report.issues[0][1]
        original = archive.original_path(issue_id)
        assert original is not None and original.read_bytes() == pdf_path.read_bytes()
        facts = archive.issue_by_id(issue_id)
        assert facts is not None and facts["source"]["format"] == "pdf"
        assert facts["source"]["pages"] == len(forms.page_layout(pdf_path))
        doc = archive.document(facts["documents"][0]["id"])
        assert doc is not None and doc["pages"]["first"] >= 2 and doc["ocr"] is False


@pytest.mark.parametrize("mode", ["pua", "rare", "none"])
def test_text_layer_with_broken_glyph_map_is_detected(mode: forms.GarbleMode) -> None:
    lines = BY_NAME["zhongwei-2019-03"].read_text(encoding="utf-8").split("\n")[1618:1665]
    good = forms.pdf_with_layout(lines, header="中卫市人民政府公报")
    bad = forms.garbled_pdf(lines, mode=mode, header="中卫市人民政府公报")
    import pypdfium2 as pdfium

    def page_text(path: Path) -> str:
        doc = pdfium.PdfDocument(str(path))
        try:
            return doc[0].get_textpage().get_text_range()
        finally:
            doc.close()

    assert text_quality(page_text(good)) is None
    assert text_quality(page_text(bad)) is not None
    # without OCR the garbage is all there is: the parser refuses it instead of inventing documents
    with pytest.raises(UnusableInput):
        load_issue(bad, ocr="never")


# ---- layout rules (pure) ------------------------------------------------------------------------------

_HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_HAN, min_size=1, max_size=4), min_size=1, max_size=25), st.booleans())
def test_lines_keep_every_run_in_reading_order(rows: list[list[str]], shuffle: bool) -> None:
    """Runs laid out as rows (any order given) come back one line per row, top to bottom, left to right."""
    runs: list[Run] = []
    for r, cells in enumerate(rows):
        top = 0.15 + r * 0.025
        x = 0.1
        for text in cells:
            width = 0.015 * len(text)
            runs.append(Run(text, x, top, x + width, top + 0.015))
            x += width + 0.02
    if shuffle:
        runs.reverse()
    lines = lines_of(runs)
    assert [ln.text.replace(" ", "").replace("\t", "") for ln in lines] == ["".join(c) for c in rows]


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["— {} —", "·{}·", "{}", "- {} -", "第{}页",
                                                                    "第 {} 页 共 120 页", "{}/120"]))
def test_folio_styles_read_as_page_numbers(n: int, style: str) -> None:
    assert page_number(style.format(n)) == str(n)


@given(st.text(alphabet="年月日第期号条款，。", min_size=1, max_size=8), st.integers(1, 99))
def test_prose_is_not_a_folio(words: str, n: int) -> None:
    assert page_number(f"{n}{words}") is None


def test_running_head_removed_only_in_the_margin() -> None:
    head = "某某市人民政府公报\u30002023年第1期"

    def page(n: int, body_top: str) -> list:
        return lines_of([Run(head, 0.3, 0.05, 0.7, 0.07), Run(body_top, 0.1, 0.12, 0.9, 0.14),
                         Run("正文第二行。", 0.1, 0.5, 0.5, 0.52), Run(f"— {n} —", 0.45, 0.94, 0.55, 0.96)])

    # the body repeats the head's words in its first line on every page: it is not in the margin, so it stays
    pages = strip_running([page(n, head + "的通知") for n in range(1, 6)])
    for n, p in enumerate(pages, start=1):
        assert p.lines == [head + "的通知", "正文第二行。"] and p.printed == str(n)


def test_text_sources_have_no_pages_and_load_no_pdf_or_ocr_library() -> None:
    issue = load_issue(ROOT / "samples" / "ningxia-2022-19.txt")
    assert issue.source.format == "text" and issue.source.pages == [] and issue.documents[0].pages is None
    # a cold `gongbao parse` of text must not pay for pdfium, pdfplumber or the OCR models
    code = ("import sys; from gongbao.pipeline import load_issue; load_issue(sys.argv[1]); "
            "print(sorted(m for m in ('pypdfium2', 'pdfplumber', 'rapidocr', 'onnxruntime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "samples" / "ningxia-2022-19.txt")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", ["ningxia-2022-19", "zhongwei-2019-03"])
def test_chromium_printed_issue_gives_the_same_documents(name: str) -> None:
    """A second producer: Chromium's text layer has overlapping rectangles and no space glyphs."""
    try:
        pdf_path = forms.chromium_pdf(BY_NAME[name])
    except forms.FormUnavailable as exc:
        pytest.skip(str(exc))
    text = load_issue(BY_NAME[name])
    pdf = load_issue(pdf_path, ocr="never")
    assert masthead(pdf) == masthead(text) and toc(pdf) == toc(text)
    # titles compared without spaces: HTML collapses the converted text's stray spaces
    assert [(*k[:1], k[1].replace(" ", ""), *k[2:]) for k in key_fields(pdf)] == [
        (*k[:1], k[1].replace(" ", ""), *k[2:]) for k in key_fields(text)]
    assert problems(pdf) == problems(text)


def test_two_columns_are_read_one_after_the_other_and_a_centred_head_is_not_a_gutter() -> None:
    left = [f"左栏第{n}行的文字内容。" for n in range(12)]
    right = [f"右栏第{n}行的文字内容。" for n in range(12)]
    runs = [Run("某某市人民政府公报", 0.3, 0.03, 0.47, 0.045), Run("2023年第1期", 0.53, 0.03, 0.65, 0.045)]
    for n, (a, b) in enumerate(zip(left, right, strict=True)):
        top = 0.1 + n * 0.03
        runs += [Run(a, 0.08, top, 0.46, top + 0.018), Run(b, 0.54, top, 0.92, top + 0.018)]
    lines = [ln.text for ln in lines_of(runs)]
    assert lines[1:] == left + right
    # the head's halves stand on both sides of the middle too, but one row is no gutter: one line
    assert lines[0].replace("\t", " ").split() == ["某某市人民政府公报", "2023年第1期"]
    head_only = lines_of([*runs[:2], Run("正文一行横跨两半，没有栏间空白。", 0.08, 0.2, 0.92, 0.218)])
    assert len(head_only) == 2
