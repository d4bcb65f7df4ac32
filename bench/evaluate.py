"""Precision and recall per kind of extracted fact, over every truth file in the repository.

Two sets, reported apart because they mean different things:

- **training** — the three corpus issues (samples/, truth in tests/expected/extract/). The extractors were
  tuned on them, so their score is a training score.
- **written** — real-shaped issues written for issue #11 (tests/realshaped_extract/, truth in its
  expected/), with truth files written by reading before the extractors were changed: held-out-ish (the
  failure kinds were known, the documents were not fitted to).

Kinds: tasks (by line), leads / partners / implementers / deadlines exact on matched tasks, citations by
文号 and by 《》, targets (by line and value) and targets right in indicator, comparator, value, unit and
year, indicator rows and rows right with their parent and change kind. Counting is
gongbao.extract.evaluate's, the same as the tests'. The training set's totals are also held to issue 5's
figures (precision and recall floors), and each set's time per issue is given per extractor; ``--per-issue``
adds a table (tp, fp, fn) for every issue. A broken extractor is reported and scored as finding nothing.

Usage: .venv/bin/python bench/evaluate.py [--set training|written] [--per-issue] [--verbose]
(bench/extract.py is ``--set training --per-issue``.)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongbao.extract import evaluate
from gongbao.extract.citations import find_citations
from gongbao.extract.indicators import find_indicators
from gongbao.extract.targets import find_targets
from gongbao.extract.tasks import find_tasks
from gongbao.parse import parse_lines
from gongbao.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "training": (ROOT / "samples", ROOT / "tests" / "expected" / "extract"),
    "written": (ROOT / "tests" / "realshaped_extract", ROOT / "tests" / "realshaped_extract" / "expected"),
}
KINDS = ("tasks", "citations", "targets", "indicators")
# issue 5's figures for the corpus (training set): (precision, recall) floors; other kinds are reported only
FIGURES = {"citations by 文号": (1.0, 1.0), "citations by 《》": (0.95, 0.95), "indicator rows": (1.0, 1.0)}


def issues(name: str) -> list[tuple[str, Path, Path]]:
    """(issue, source file, truth directory) of a set: every issue with at least one truth file."""
    texts, truth = SETS[name]
    names = sorted({p.name.split(".")[0] for p in truth.glob("*.json")})
    return [(n, texts / f"{n}.txt", truth) for n in names if (texts / f"{n}.txt").exists()]


def score_issue(source: Path, truth: Path, issue_name: str,
                timing: dict[str, float] | None = None) -> list[evaluate.Score]:
    """The scores of one issue; ``timing`` (kind → seconds) gathers each extractor's time."""
    src, lines = read_source(source)
    issue = parse_lines(lines, src)
    docs = issue.documents

    def want(kind: str) -> list | None:
        p = truth / f"{issue_name}.{kind}.json"
        return json.loads(p.read_text(encoding="utf-8"))[kind] if p.exists() else None

    def run(kind: str, fn: Callable[[Any], list[Any]]) -> list[Any]:
        t0 = time.perf_counter()
        try:
            return [x for d in docs for x in fn(d)]
        except Exception:  # a broken extractor is reported, not fatal for the others
            print(f"{issue_name}: {kind} extractor failed:\n{traceback.format_exc(limit=3)}")
            return []
        finally:
            if timing is not None:
                timing[kind] = timing.get(kind, 0.0) + time.perf_counter() - t0

    truth_of = {kind: want(kind) for kind in KINDS}
    # run in this order, as the times in docs/benchmarks.md were taken (the first pays the shared caches)
    extractors: dict[str, Callable[[Any], list[Any]]] = {
        "citations": find_citations, "targets": find_targets, "indicators": find_indicators,
        "tasks": lambda d: find_tasks(d, issue.gazette)}
    got = {kind: run(kind, fn) for kind, fn in extractors.items() if truth_of[kind] is not None}
    out: list[evaluate.Score] = []
    if (t := truth_of["tasks"]) is not None:
        out.append(evaluate.score_tasks(t, got["tasks"]))
    if (c := truth_of["citations"]) is not None:
        out += evaluate.score_citations(c, got["citations"])
    if (g := truth_of["targets"]) is not None:
        out.append(evaluate.score_targets(g, got["targets"]))
    if (i := truth_of["indicators"]) is not None:
        out.append(evaluate.score_indicators(i, got["indicators"]))
    return out


def issue_table(scores: list[evaluate.Score]) -> list[str]:
    rows = [f"  {'kind':<20} {'expected':>8} {'found':>6} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]
    for s in scores:
        rows.append(f"  {s.kind:<20} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.tp:>5} {s.fp:>4} {s.fn:>4} "
                    f"{s.precision:>9.3f} {s.recall:>7.3f}")
    return rows


def figure(kind: str, s: evaluate.Score) -> str:
    """Issue 5's figure for a kind of the training set, and whether it is met."""
    floor = FIGURES.get(kind)
    if floor is None:
        return "—"
    return f"≥ {floor[1]:.0%} " + ("met" if s.precision >= floor[0] and s.recall >= floor[1] else "NOT MET")


def table(totals: dict[str, evaluate.Score], *, figures: bool = False) -> list[str]:
    rows = [f"  {'kind':<20} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}  "
            + ("issue-5 figure; " if figures else "") + "exact on matched"]
    for kind, s in totals.items():
        exact = ", ".join(f"{k} {v}/{s.tp}" for k, v in s.exact.items())
        shown = "; ".join(x for x in (figure(kind, s), exact) if x) if figures else exact
        rows.append(f"  {kind:<20} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.precision:>9.3f} {s.recall:>7.3f}  {shown}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="which set (default: both)")
    ap.add_argument("--per-issue", action="store_true", help="a table (tp, fp, fn) for every issue")
    ap.add_argument("--verbose", action="store_true", help="list missed and extra records and field notes")
    args = ap.parse_args(argv)
    for set_name in args.set or ["training", "written"]:
        totals: dict[str, evaluate.Score] = {}
        timing: dict[str, float] = {}
        found = issues(set_name)
        for issue_name, source, truth in found:
            scores = score_issue(source, truth, issue_name, timing)
            if args.per_issue:
                print(f"\n{set_name} {issue_name}")
                print("\n".join(issue_table(scores)))
            for s in scores:
                if args.verbose:
                    print(f"{set_name} {issue_name} {s.kind}: P {s.precision:.3f} R {s.recall:.3f}")
                    for m in s.missed:
                        print(f"    missed {m}")
                    for x in s.extra:
                        print(f"    extra  {x}")
                    for n in s.notes:
                        print(f"    note   {n}")
                totals.setdefault(s.kind, evaluate.Score(s.kind)).add(s)
        label = "training score (corpus)" if set_name == "training" else "written documents (held-out-ish)"
        print(f"\n{set_name}: {label}, {len(found)} issue(s): {', '.join(n for n, _, _ in found)}")
        print("\n".join(table(totals, figures=set_name == "training")))
        if found:
            print("  time per issue (ms): " + ", ".join(f"{k} {v / len(found) * 1000:.1f}" for k, v in timing.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
