"""The corpus issues parsed once and run through one extractor at a time, for the extraction tests.

The tests of citations, targets and indicators call their own extractor on parsed documents rather than
the whole ``enrich`` pipeline, so a failure points at one extractor.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from gongbao.extract.evaluate import Score
from gongbao.model import Issue
from gongbao.parse import parse_lines
from gongbao.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "expected" / "extract"
ISSUES = ["ningxia-2022-02", "ningxia-2022-19", "zhongwei-2019-03"]


@cache
def parsed(name: str) -> Issue:
    source, lines = read_source(ROOT / "samples" / f"{name}.txt")
    return parse_lines(lines, source)


@cache
def expected(name: str, kind: str) -> dict:
    return json.loads((EXPECTED / f"{name}.{kind}.json").read_text(encoding="utf-8"))


def report(score: Score) -> str:
    lines = [f"{score.kind}: precision {score.precision:.3f} recall {score.recall:.3f} "
             f"(tp {score.tp}, fp {score.fp}, fn {score.fn})"]
    lines += [f"  missed {m}" for m in score.missed] + [f"  extra  {x}" for x in score.extra]
    return "\n".join(lines)
