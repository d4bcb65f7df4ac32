"""OCR of scanned gazette pages: pages/s on 1 worker (in process) and on a Dask LocalCluster of 2 workers,
characters read correctly on clean and noisy 150 dpi scans, peak memory per worker.

Input: body pages of a corpus issue printed as a gazette and rasterised by tests/forms.py (cached by
hash); "noisy" adds grain, specks, 0.8° skew and a slight blur. Accuracy is difflib's ratio between the
characters the printer put on a page (running head and folio excluded) and those read, whitespace removed.
The Dask run sends the scanned PDF as one ingest task whose pages become OCR tasks of their own, as
``gongbao ingest --workers 2`` does, and includes starting the cluster.

Usage: .venv/bin/python bench/ocr.py [--issue ningxia-2022-19] [--pages 6]
"""

from __future__ import annotations

import argparse
import difflib
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import forms  # noqa: E402

from gongbao.sources import read_bytes  # noqa: E402


def accuracy(layout: list, first_page: int, source, lines: list[str]) -> list[float]:
    out = []
    for page in source.pages:
        truth = layout[first_page + page.index - 1]
        want = "".join("".join(forms.printed(ln["text"])[0] for ln in truth["lines"]).split())
        got = "".join("".join(lines[page.first_line - 1:page.last_line]).split())
        out.append(difflib.SequenceMatcher(None, want, got, autojunk=False).ratio())
    return out


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would count a forked parent's too)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_local(data: bytes) -> tuple[float, object, list[str], float]:
    start = time.perf_counter()
    source, lines = read_bytes(data, "scan.pdf")
    return time.perf_counter() - start, source, lines, _peak_mib()


def run_dask(data: bytes, workers: int) -> tuple[float, int, list[float]]:
    from gongbao.store.cluster import _prepare_remote, client

    start = time.perf_counter()
    with client(workers, None) as c:
        prepared = c.submit(_prepare_remote, "scan.pdf", data, "auto", pure=False).result()
        peaks = list(c.run(_peak_mib).values())
    seconds = time.perf_counter() - start
    if prepared.record is None:
        raise SystemExit(f"dask run failed: {prepared.error}")
    return seconds, prepared.record.document_count, peaks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--issue", default="ningxia-2022-19")
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--first", type=int, default=3, help="first page (0-based) to scan: skip cover and TOC")
    args = ap.parse_args()
    pdf = forms.issue_pdf(ROOT / "samples" / f"{args.issue}.txt")
    layout = forms.page_layout(pdf)
    pages = list(range(args.first, min(len(layout), args.first + args.pages)))
    clean = forms.scanned_pdf(forms.scan_pages(pdf, dpi=150, pages=pages)).read_bytes()
    noisy = forms.scanned_pdf(forms.scan_pages(pdf, dpi=150, pages=pages, noise=0.15, skew=0.8, blur=0.4,
                                               seed=11)).read_bytes()
    n = len(pages)
    print(f"{args.issue}: {n} pages at 150 dpi (pages {pages[0] + 1}–{pages[-1] + 1} of the printed issue)")
    seconds, source, lines, peak = run_local(clean)
    acc = accuracy(layout, args.first, source, lines)
    print(f"clean, 1 worker (in process): {n / seconds:.3f} pages/s ({seconds / n:.1f} s/page); "
          f"characters {min(acc):.4f} min, {sum(acc) / len(acc):.4f} mean; peak RSS {peak:.0f} MiB")
    seconds, source, lines, peak = run_local(noisy)
    acc = accuracy(layout, args.first, source, lines)
    print(f"noisy, 1 worker (in process): {n / seconds:.3f} pages/s; characters {min(acc):.4f} min, "
          f"{sum(acc) / len(acc):.4f} mean; low-confidence lines {len(source.low_confidence)}")
    seconds, docs, peaks = run_dask(clean, 2)
    print(f"clean, Dask LocalCluster 2 workers: {n / seconds:.3f} pages/s including cluster start "
          f"({seconds:.1f} s, {docs} documents); peak RSS per worker "
          + ", ".join(f"{p:.0f}" for p in peaks) + " MiB")


if __name__ == "__main__":
    main()
