"""Parse throughput (MB/s, one core) over the corpus repeated to >= 25 MB, beside the I/O floor.

The floor is what any parser must pay: reading the files and splitting them into lines. Both are timed
in the same run on the same bytes. Usage: .venv/bin/python bench/parse.py [--mb 25] [--extract]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gongbao.extract import enrich
from gongbao.parse import parse_lines
from gongbao.sources import read_source
from gongbao.sources.text import split_lines

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=25.0, help="total megabytes to parse (default 25)")
    ap.add_argument("--extract", action="store_true", help="also run the extractors (citations, tasks…)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # the corpus, copied as separate issue files until the total reaches --mb
        files: list[Path] = []
        total = 0
        n = 0
        while total < args.mb * 1e6:
            src = SAMPLES[n % len(SAMPLES)]
            dst = Path(tmp) / f"{n:05d}-{src.name}"
            dst.write_bytes(src.read_bytes())
            files.append(dst)
            total += dst.stat().st_size
            n += 1
        floor_times, parse_times = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            for f in files:
                split_lines(f.read_bytes().decode("utf-8"))
            floor_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            docs = 0
            for f in files:
                source, lines = read_source(f)
                issue = parse_lines(lines, source)
                if args.extract:
                    enrich(issue)
                docs += len(issue.documents)
            parse_times.append(time.perf_counter() - t0)
    mb = total / 1e6
    floor, parse = statistics.median(floor_times), statistics.median(parse_times)
    per_issue_ms = parse / len(files) * 1000
    print(f"corpus: {len(files)} issue files, {mb:.1f} MB, {docs} documents per pass (median of 3 passes)")
    print(f"floor  (read + split lines):  {mb / floor:8.1f} MB/s  {floor:6.2f} s")
    label = "parse + extract" if args.extract else "parse (read+decode+parse)"
    print(f"{label:<28} {mb / parse:8.1f} MB/s  {parse:6.2f} s  {per_issue_ms:.1f} ms per issue")
    if args.extract:
        print("(extraction included: the issue-2 target, >= 5 MB/s and < 50 ms per issue, is for parsing)")
    else:
        met = mb / parse >= 5 and per_issue_ms < 50
        print(f"target: >= 5 MB/s and < 50 ms per issue -> {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
