"""PDF text extraction: gongbao's reader (pypdfium2 text runs, layout, running heads removed, ruled tables
by pdfplumber) against poppler's ``pdftotext`` on the same files, in the same run.

The PDFs are the corpus issues printed as a gazette by tests/forms.py (cached by hash). Three figures per
issue: pages/s in process (warm: the library already imported), a cold ``gongbao parse --text`` (what a
user waits for: interpreter start, imports, reading), and ``pdftotext`` as a process, plain and -layout.
The issue's documents and key fields are checked against its converted text, so speed is never bought
with wrong output.

Usage: .venv/bin/python bench/pdf.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import forms  # noqa: E402

from gongbao.pipeline import load_issue  # noqa: E402
from gongbao.sources.pdf import read_pdf  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def key_fields(issue) -> list[tuple[object, ...]]:
    return [(d.doc_number.canonical if d.doc_number else None, d.title, tuple(d.issuers), d.signed)
            for d in issue.documents]


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    pdftotext = shutil.which("pdftotext")
    print(f"{'issue':<18} {'pages':>5} {'gongbao p/s':>11} {'cold CLI s':>10} {'pdftotext p/s':>13} "
          f"{'-layout p/s':>11} {'same facts':>10}")
    totals = {"pages": 0, "ours": 0.0, "cli": 0.0, "poppler": 0.0, "layout": 0.0}
    for sample in SAMPLES:
        pdf = forms.issue_pdf(sample)
        data = pdf.read_bytes()
        pages = len(forms.page_layout(pdf))
        ours = timed(lambda: read_pdf(data, ocr="never"), args.repeat)  # noqa: B023
        cli_args = [sys.executable, "-m", "gongbao", "parse", "--text", str(pdf)]
        cli = timed(lambda: subprocess.run(cli_args, capture_output=True, check=True),  # noqa: B023
                    max(1, args.repeat // 2))
        poppler = layout = float("nan")
        if pdftotext:
            poppler = timed(lambda: subprocess.run([pdftotext, str(pdf), "-"], capture_output=True,  # noqa: B023
                                                   check=True), args.repeat)
            layout = timed(lambda: subprocess.run([pdftotext, "-layout", str(pdf), "-"],  # noqa: B023
                                                  capture_output=True, check=True), args.repeat)
        same = key_fields(load_issue(pdf, ocr="never")) == key_fields(load_issue(sample))
        print(f"{sample.stem:<18} {pages:>5} {pages / ours:>11.0f} {cli:>10.2f} {pages / poppler:>13.0f} "
              f"{pages / layout:>11.0f} {'yes' if same else 'NO':>10}")
        totals["pages"] += pages
        totals["ours"] += ours
        totals["cli"] += cli
        totals["poppler"] += poppler
        totals["layout"] += layout
    n = totals["pages"]
    print(f"{'all':<18} {n:>5} {n / totals['ours']:>11.0f} {totals['cli']:>10.2f} "
          f"{n / totals['poppler']:>13.0f} {n / totals['layout']:>11.0f}")
    if not pdftotext:
        print("pdftotext not found: install Debian's poppler-utils for the baseline")


if __name__ == "__main__":
    main()
