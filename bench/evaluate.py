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
gongbao.extract.evaluate's, the same as the tests'.

Usage: .venv/bin/python bench/evaluate.py [--set training|written] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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


def issues(name: str) -> list[tuple[str, Path, Path]]:
    """(issue, source file, truth directory) of a set: every issue with at least one truth file."""
    texts, truth = SETS[name]
    names = sorted({p.name.split(".")[0] for p in truth.glob("*.json")})
    return [(n, texts / f"{n}.txt", truth) for n in names if (texts / f"{n}.txt").exists()]


def score_issue(source: Path, truth: Path, issue_name: str) -> list[evaluate.Score]:
    src, lines = read_source(source)
    issue = parse_lines(lines, src)
    docs = issue.documents

    def want(kind: str) -> list | None:
        p = truth / f"{issue_name}.{kind}.json"
        return json.loads(p.read_text(encoding="utf-8"))[kind] if p.exists() else None

    out: list[evaluate.Score] = []
    if (t := want("tasks")) is not None:
        out.append(evaluate.score_tasks(t, [x for d in docs for x in find_tasks(d, issue.gazette)]))
    if (c := want("citations")) is not None:
        out += evaluate.score_citations(c, [x for d in docs for x in find_citations(d)])
    if (g := want("targets")) is not None:
        out.append(evaluate.score_targets(g, [x for d in docs for x in find_targets(d)]))
    if (i := want("indicators")) is not None:
        out.append(evaluate.score_indicators(i, [x for d in docs for x in find_indicators(d)]))
    return out


def table(totals: dict[str, evaluate.Score]) -> list[str]:
    rows = [f"  {'kind':<20} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}  exact on matched"]
    for kind, s in totals.items():
        exact = ", ".join(f"{k} {v}/{s.tp}" for k, v in s.exact.items())
        rows.append(f"  {kind:<20} {s.tp + s.fn:>8} {s.tp + s.fp:>6} {s.precision:>9.3f} {s.recall:>7.3f}  {exact}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="which set (default: both)")
    ap.add_argument("--verbose", action="store_true", help="list missed and extra records and field notes")
    args = ap.parse_args(argv)
    for set_name in args.set or ["training", "written"]:
        totals: dict[str, evaluate.Score] = {}
        found = issues(set_name)
        for issue_name, source, truth in found:
            for s in score_issue(source, truth, issue_name):
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
        print("\n".join(table(totals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
