"""Shared by the web tests: one real archive of the sample issues and one real server per test run.

Built on first use and cached for the whole process (pytest runs all test modules in one process), so
the API, page, export and browser tests share a single ingest and a single uvicorn server. Nothing here
is a mock: the archive is gongbao.store.Archive over samples/, the server is uvicorn on a free loopback
port serving gongbao.web.app.create_app.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import httpx
import pytest
from storesupport import ROOT, SAMPLES, ingest_samples

ARTIFACTS = ROOT / "test-artifacts"

# ------------------------------------------------------------------------------------ real Chromium

CHROMIUM = Path(os.environ.get("GONGBAO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium; see .ci/apt-packages.txt)")


def chromium() -> Iterator[object]:
    """Playwright driving Debian's chromium, for a module-scoped ``browser`` fixture to ``yield from``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser: object, viewport: dict, **options: object) -> tuple[object, object, list[str]]:
    """A new context and page (zh-CN, downloads accepted) and the list its script errors and console
    errors (CSP violations among them) are collected in."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True, **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


@cache
def archive_dir() -> Path:
    """A data directory holding the sample issues, ingested once."""
    tmp = Path(tempfile.mkdtemp(prefix="gongbao-webtest-"))
    atexit.register(shutil.rmtree, tmp, True)
    return ingest_samples(tmp / "data")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@cache
def live_server() -> str:
    """Base URL of a uvicorn server (own thread, free loopback port) serving the sample archive."""
    return serve(archive_dir())


@cache
def lifecycle_archive_dir() -> Path:
    """The sample issues plus the real-shaped repeal, amend and 清理 documents of tests/data/lifecycle."""
    from gongbao.store import Archive

    tmp = Path(tempfile.mkdtemp(prefix="gongbao-lifecycle-"))
    atexit.register(shutil.rmtree, tmp, True)
    data = tmp / "data"
    with Archive(data) as archive:
        archive.ingest([*SAMPLES, *sorted((ROOT / "tests" / "data" / "lifecycle").glob("*.txt"))])
    return data


@cache
def lifecycle_server() -> str:
    """Base URL of a server over :func:`lifecycle_archive_dir`."""
    return serve(lifecycle_archive_dir())


def serve(data: Path) -> str:
    """Start a uvicorn server (own thread, free loopback port) over the archive in ``data``."""
    import uvicorn

    from gongbao.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(data), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="gongbao-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)

    atexit.register(stop)
    return f"http://127.0.0.1:{port}"


def doc_id(client: httpx.Client, number: str) -> str:
    """The id of the document with 文号 ``number`` (any spelling), through the API."""
    return client.get("/api/v1/resolve", params={"ref": number}).json()["id"]


# ------------------------------------------------------------------------------------ paginated originals

ISSUE_HEADER = "宁夏回族自治区人民政府公报\u30002022年第19期"
ONE_DOCUMENT = (508, 593)  # lines of 宁政办规发〔2022〕12号 in samples/ningxia-2022-19.txt (0-based, end excluded)
ONE_DOCUMENT_FOLIO = 26  # printed page number of its first page, as in the gazette
SCAN_LINES = (1618, 1631)  # the notice of 卫政办发〔2019〕36号 in samples/zhongwei-2019-03.txt
SCAN_DPI = 120


@dataclass(frozen=True)
class Originals:
    """The archive of paginated originals and the files it was made from."""

    data: Path
    issue_pdf: Path  # the whole of 2022年第19期, printed: cover, TOC, documents; folios number physical pages
    document_pdf: Path  # one document printed on its own with the gazette's folios (26–29)
    scan: Path  # one page of a notice, scanned (PNG, 120 dpi, worn): read by OCR
    text: Path  # an issue ingested as text: no original


@cache
def originals() -> Originals:
    """A data directory holding an issue printed as a PDF, one document printed with its gazette page
    numbers, a scanned page (OCR) and a text issue; made with tests/forms.py (cached between runs) and
    ingested once. Skips (with the reason) where no CJK font or PDF library is available."""
    import forms

    from gongbao.store import Archive

    forms.skip_if_unavailable()
    issue_pdf = forms.issue_pdf(ROOT / "samples" / "ningxia-2022-19.txt")
    lines = (ROOT / "samples" / "ningxia-2022-19.txt").read_text(encoding="utf-8").split("\n")
    document_pdf = forms.pdf_with_layout(lines[slice(*ONE_DOCUMENT)], header=ISSUE_HEADER,
                                         folio_start=ONE_DOCUMENT_FOLIO)
    notice = (ROOT / "samples" / "zhongwei-2019-03.txt").read_text(encoding="utf-8").split("\n")
    # a worn page: noisy and a little blurred, so the OCR reads it but is unsure of some lines
    printed = forms.pdf_with_layout(notice[slice(*SCAN_LINES)], header="中卫市人民政府公报\u30002019年第3期",
                                    folio_start=40)
    scan = forms.scan_pages(printed, dpi=SCAN_DPI, noise=0.8, blur=0.9)[0]
    text = ROOT / "samples" / "ningxia-2022-02.txt"
    tmp = Path(tempfile.mkdtemp(prefix="gongbao-originals-"))
    atexit.register(shutil.rmtree, tmp, True)
    data = tmp / "data"
    with Archive(data) as archive:
        # OCR only where there is no text layer: the PDFs are read from theirs, the scan needs OCR
        report = archive.ingest([issue_pdf, document_pdf, scan, text], ocr="auto")
    assert not report.failed, report.failed
    return Originals(data, issue_pdf, document_pdf, scan, text)


@cache
def originals_server() -> str:
    """Base URL of a server over :func:`originals`."""
    return serve(originals().data)
