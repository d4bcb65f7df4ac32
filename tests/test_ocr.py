"""Scans and broken text layers through OCR (RapidOCR on onnxruntime, models from the wheel), and OCR
spread over a real Dask LocalCluster.

The input is a real document of the corpus (中卫市 卫政办发〔2019〕36号, two printed pages), printed by
tests/forms.py and rasterised at 150 dpi, clean and with scanner noise and skew. OCR takes seconds per
page, so these tests read a few pages only; bench/ocr.py measures whole issues.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import forms
import pytest
from conftest import SAMPLES

from gongbao.model import Issue, Source
from gongbao.parse import parse_text
from gongbao.parse.pages import ocr_problems
from gongbao.pipeline import load_issue
from gongbao.sources import read_source
from gongbao.sources.reading import LOW_CONFIDENCE, PageText, join_pages

forms.skip_if_unavailable()
pytest.importorskip("rapidocr")

HEADER = "中卫市人民政府公报"
LINES = (SAMPLES / "zhongwei-2019-03.txt").read_text(encoding="utf-8").split("\n")[1618:1665]


def key_fields(issue: Issue) -> list[tuple[object, ...]]:
    return [(d.doc_number.canonical if d.doc_number else None, d.title, d.kind, tuple(d.issuers), d.signed,
             tuple(e.title for e in d.enclosures)) for d in issue.documents]


@pytest.fixture(scope="module")
def printed() -> Path:
    return forms.pdf_with_layout(LINES, header=HEADER)


@pytest.fixture(scope="module")
def truth() -> list[tuple[object, ...]]:
    return key_fields(parse_text("\n".join(LINES)))


def accuracy(pdf: Path, source: Source, lines: list[str]) -> list[float]:
    """Per page: characters matched (difflib ratio, whitespace removed) against what the printer put on
    it, running head and folio excluded."""
    layout = forms.page_layout(pdf)
    out = []
    for page in source.pages:
        want = "".join("".join(forms.printed(ln["text"])[0] for ln in layout[page.index - 1]["lines"]).split())
        got = "".join("".join(lines[page.first_line - 1:page.last_line]).split())
        out.append(difflib.SequenceMatcher(None, want, got, autojunk=False).ratio())
    return out


def test_clean_scan_reads_98_percent_and_the_same_document(printed: Path, truth: list, tmp_path: Path) -> None:
    scan = forms.scanned_pdf(forms.scan_pages(printed, dpi=150))
    source, lines = read_source(scan)
    assert source.format == "pdf" and source.ocr_pages == [1, 2]
    assert all(p.ocr and p.confidence is not None and p.confidence > 0.9 for p in source.pages)
    assert min(accuracy(printed, source, lines)) >= 0.98
    # the running head is gone from the text, as from a text layer
    assert all(line.strip() != HEADER for line in lines)
    issue = load_issue(scan)
    assert key_fields(issue) == truth
    assert issue.documents[0].pages is not None and issue.documents[0].pages.first == 1
    # without OCR a scan has nothing to read: one line, exit 2
    result = subprocess.run([sys.executable, "-m", "gongbao", "parse", "--ocr", "never", str(scan)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "OCR" in result.stderr


def test_noisy_skewed_tiff_pages_read_95_percent(printed: Path, truth: list, tmp_path: Path) -> None:
    pages = forms.scan_pages(printed, dpi=150, noise=0.15, skew=0.8, fmt="tiff", seed=3)
    from PIL import Image

    frames = [Image.open(p) for p in pages]
    tiff = tmp_path / "scan.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    source, lines = read_source(tiff)
    assert source.format == "image" and source.ocr_pages == [1, 2]
    assert min(accuracy(printed, source, lines)) >= 0.95
    assert key_fields(load_issue(tiff)) == truth


def test_broken_text_layer_is_ocrd_in_auto_mode(printed: Path, truth: list) -> None:
    garbled = forms.garbled_pdf(LINES, mode="rare", header=HEADER)
    source, lines = read_source(garbled)
    assert source.ocr_pages == [1, 2]
    assert min(accuracy(printed, source, lines)) >= 0.98
    assert key_fields(load_issue(garbled)) == truth


def test_low_confidence_lines_become_problems_on_their_page() -> None:
    """The editor's report lists OCR lines below the threshold with the page to compare them with."""
    pages = [PageText(["卫政办发〔2019〕36号", "正文第一行。"], ocr=True, confidences=[0.99, 0.42]),
             PageText(["第二页", ""], ocr=True, confidences=[0.61, 0.1]),
             PageText(["文字层的一页"])]
    reading = join_pages("pdf", pages)
    assert reading.low_confidence == [(2, 0.42), (3, 0.61)]  # the blank line is not listed
    assert [(p.index, p.first_line, p.last_line, p.ocr) for p in reading.pages] == [
        (1, 1, 2, True), (2, 3, 4, True), (3, 5, 5, False)]
    source = Source("x.pdf", "0" * 64, None, 1, len(reading.lines), "pdf", reading.pages, reading.low_confidence)
    problems = ocr_problems(source, reading.lines, [])
    assert [(p.kind, p.span.start_line if p.span else None) for p in problems] == [
        ("low_confidence_ocr", 2), ("low_confidence_ocr", 3)]
    assert "原件第1页" in problems[0].message and "0.42" in problems[0].message
    assert all(c < LOW_CONFIDENCE for _, c in reading.low_confidence)


def test_ingest_spreads_ocr_over_a_dask_local_cluster(printed: Path, truth: list, tmp_path: Path) -> None:
    """A real LocalCluster with 2 worker processes: a scanned PDF (its two pages OCR'd as tasks of their
    own) and a text issue go in; the archive holds both with the facts the serial path gives."""
    from gongbao.store import Archive

    folder = tmp_path / "in"
    folder.mkdir()
    scan = folder / "scan.pdf"
    scan.write_bytes(forms.scanned_pdf(forms.scan_pages(printed, dpi=150, seed=7)).read_bytes())
    text = folder / "zhongwei.txt"
    text.write_bytes((SAMPLES / "zhongwei-2019-03.txt").read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([folder], workers=2)
        assert report.added == 2
        assert [(p.name, "PDF 文件已损坏" in m) for p, m in report.failed] == [("broken.pdf", True)]
        ids = {p.name: issue_id for p, issue_id, _ in report.issues}
        scanned = archive.issue_by_id(ids["scan.pdf"])
        assert scanned is not None and scanned["source"]["ocr_pages"] == [1, 2]
        doc = archive.document(scanned["documents"][0]["id"])
        assert doc is not None and doc["ocr"] is True
        got = (doc["doc_number"], doc["title"], doc["kind"], tuple(doc["issuers"]), doc["signed"])
        want = truth[0]
        assert got == (want[0], want[1], want[2], want[3], want[4].isoformat())
        issue = archive.issue_by_id(ids["zhongwei.txt"])
        assert issue is not None and len(issue["documents"]) == 12


def test_one_300_dpi_jpeg_page(printed: Path, truth: list) -> None:
    """A page photographed or scanned at 300 dpi and saved as JPEG reads as well as the 150 dpi scan."""
    [page] = forms.scan_pages(printed, dpi=300, pages=[0], fmt="jpeg", noise=0.05, skew=0.4, seed=5)
    source, lines = read_source(page)
    assert source.format == "image" and len(source.pages) == 1
    assert accuracy(printed, source, lines)[0] >= 0.97
    issue = load_issue(page)
    # the first page carries the notice: its 文号, title and issuer, signature and date
    assert key_fields(issue)[0][:5] == truth[0][:5]


def test_ingest_sends_work_to_an_existing_dask_scheduler(tmp_path: Path) -> None:
    """``--scheduler tcp://…``: the work goes to a cluster someone else started; an address where no
    scheduler answers is one line and exit 1, not a traceback, and the archive is untouched."""
    from distributed import LocalCluster

    from gongbao.store import Archive

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with Archive(tmp_path / "data") as archive:
            report = archive.ingest([SAMPLES / "ningxia-2022-19.txt", SAMPLES / "ningxia-2022-02.txt"],
                                    scheduler=cluster.scheduler_address)
        assert report.added == 2 and not report.failed
        # the files were parsed by that cluster's worker, not here
        prefixes = cluster.scheduler.task_prefixes
        assert any("prepare_remote" in name for name in prefixes), sorted(prefixes)
    result = subprocess.run([sys.executable, "-m", "gongbao", "ingest", "--data", str(tmp_path / "other"),
                             "--scheduler", "tcp://127.0.0.1:9", str(SAMPLES / "ningxia-2022-19.txt")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Dask" in result.stderr
