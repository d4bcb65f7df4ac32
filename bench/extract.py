"""Extraction quality: precision and recall per kind of fact on the three corpus issues.

Compares what the extractors find with the hand-checked files in tests/expected/extract/ (citations by
文号, citations by 《》, targets, economic indicator rows, tasks), counting the way the tests do
(gongbao.extract.evaluate) on the issues the tests parse (tests/extract_corpus.py, so the two cannot
drift apart). Also times each extractor.

Usage: .venv/bin/python bench/extract.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from extract_corpus import ISSUES, expected, parsed

from gongbao.extract import evaluate
from gongbao.extract.citations import find_citations
from gongbao.extract.indicators import find_indicators
from gongbao.extract.targets import find_targets
from gongbao.extract.tasks import find_tasks

# issue 5's figures: (precision, recall) floors; None = no figure set, reported only
TARGETS = {"citations by 文号": (1.0, 1.0), "citations by 《》": (0.95, 0.95), "indicator rows": (1.0, 1.0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--verbose", action="store_true", help="list missed and extra records and field notes")
    args = ap.parse_args()
    totals: dict[str, evaluate.Score] = {}
    timing: dict[str, float] = {}
    for name in ISSUES:
        issue = parsed(name)
        found: dict[str, list] = {}
        for kind, fn in (("citations", find_citations), ("targets", find_targets),
                         ("indicators", find_indicators), ("tasks", lambda d, g=issue.gazette: find_tasks(d, g))):
            t0 = time.perf_counter()
            try:
                found[kind] = [x for d in issue.documents for x in fn(d)]  # type: ignore[operator]
            except Exception:  # a broken extractor is reported, not fatal for the others
                print(f"{name}: {kind} extractor failed:\n{traceback.format_exc(limit=3)}")
                found[kind] = []
            timing[kind] = timing.get(kind, 0.0) + time.perf_counter() - t0
        scores = [
            *evaluate.score_citations(expected(name, "citations")["citations"], found["citations"]),
            evaluate.score_targets(expected(name, "targets")["targets"], found["targets"]),
            evaluate.score_indicators(expected(name, "indicators")["indicators"], found["indicators"]),
            evaluate.score_tasks(expected(name, "tasks")["tasks"], found["tasks"]),
        ]
        print(f"\n{name}")
        print(f"  {'kind':<20} {'expected':>8} {'found':>6} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
        for s in scores:
            print(f"  {s.kind:<20} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.tp:>5} {s.fp:>4} {s.fn:>4} "
                  f"{s.precision:>9.3f} {s.recall:>7.3f}")
            if args.verbose:
                for m in s.missed:
                    print(f"      missed {m}")
                for x in s.extra:
                    print(f"      extra  {x}")
                for n in s.notes:
                    print(f"      note   {n}")
            totals.setdefault(s.kind, evaluate.Score(s.kind)).add(s)
    print("\nall three issues")
    print(f"  {'kind':<20} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}  issue-5 figure")
    for kind, s in totals.items():
        floor = TARGETS.get(kind)
        verdict = ("—" if floor is None else
                   "met" if s.precision >= floor[0] and s.recall >= floor[1] else "NOT MET")
        want = "" if floor is None else f"≥ {floor[1]:.0%} "
        print(f"  {kind:<20} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.precision:>9.3f} {s.recall:>7.3f}  {want}{verdict}")
    per_issue = {k: v / len(ISSUES) * 1000 for k, v in timing.items()}
    print("\ntime per issue (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in per_issue.items()))


if __name__ == "__main__":
    main()
