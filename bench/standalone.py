"""Score the parser on the standalone State Council documents of ``../shared/corpus/standalone``.

Each ``govcn-NN.txt`` (the body of a gov.cn page, as a reader copying it would get it) is parsed as a file
of its own, and its first document is compared with the facts of the page's own metadata table in
``expected.json``: 文号, title, issuers, signing date and kind, each only where ``*_printed`` says the fact
is printed in the text (a parser of the text cannot be expected to find the others). The signing date
counts as right when it is the metadata's 成文日期 or ``signature_date_in_text``: for a 转发 notice the
latter is the forwarded report's date (printed at the end), while the notice's own date, printed under
its signature, is the metadata's (govcn-20, govcn-52).

The 30 files are split by a fixed rule, decided before any of them was read: sorted by name, the third of
each consecutive three (index % 3 == 2: govcn-06, -12, -18, …, -60) is held out; the other 20 are the
development set. Develop on ``--set dev``; score ``--set held`` only to report.

    PYTHONPATH=src .venv/bin/python bench/standalone.py --set dev [--verbose]

Comparisons: titles by width-insensitive match key (spaces, bracket and quote widths ignored); issuers as
the list of full names, in order; a 令 (kind 令 on the portal) counts as right when the parser found an
order number (its ``kind`` is the promulgated regulation's, 条例/办法).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gongbao.errors import UnusableInput
from gongbao.pipeline import load_issue
from gongbao.textnorm import match_key

ROOT = Path(__file__).resolve().parent.parent
STANDALONE = ROOT.parent / "shared" / "corpus" / "standalone"
FIELDS = ("doc_number", "title", "issuers", "signed", "kind")


def split(names: list[str], which: str) -> list[str]:
    """The fixed split: sorted names, index % 3 == 2 held out."""
    names = sorted(names)
    if which == "all":
        return names
    held = [n for i, n in enumerate(names) if i % 3 == 2]
    return held if which == "held" else [n for n in names if n not in held]


def facts(path: Path) -> dict | None:
    """The first document's facts as the scorer compares them; None when the file is refused."""
    try:
        issue = load_issue(path)
    except UnusableInput:
        return None
    if not issue.documents:
        return None
    doc = issue.documents[0]
    return {
        "doc_number": doc.doc_number.canonical if doc.doc_number else None,
        "title": doc.title,
        "issuers": list(doc.issuers),
        "signed": doc.signed.isoformat() if doc.signed else None,
        "kind": "令" if doc.doc_number and doc.doc_number.is_order else doc.kind,
    }


def expected_value(want: dict, field: str):
    """What the text prints for ``field`` (None when it does not print it)."""
    if field in ("doc_number", "issuers", "signed") and not want.get(f"{field}_printed", False):
        return None
    if field == "signed":
        return {want["signed"], want.get("signature_date_in_text") or want["signed"]}
    return want[field]


def same(field: str, got, want) -> bool:
    if field == "signed":
        return got in want
    if field == "title":
        return bool(got) and match_key(got) == match_key(want)
    return got == want


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("dev", "held", "all"), default="dev")
    parser.add_argument("--dir", type=Path, default=STANDALONE)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    expected = json.loads((args.dir / "expected.json").read_text(encoding="utf-8"))
    names = split(list(expected), args.set)
    accepted = 0
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    for name in names:
        want = expected[name]
        got = facts(args.dir / f"{name}.txt")
        if got is not None:
            accepted += 1
        elif args.verbose:
            print(f"{name}: refused")
        for field in FIELDS:
            value = expected_value(want, field)
            if value is None or got is None:
                continue
            total[field] += 1
            if same(field, got[field], value):
                right[field] += 1
            elif args.verbose:
                print(f"{name} {field}: got {got[field]!r}, want {value!r}")
    print(f"set {args.set}: {len(names)} files, accepted {accepted}/{len(names)} ({accepted / len(names):.0%})")
    for field in FIELDS:
        n = total[field]
        print(f"  {field:<10} {right[field]:>3}/{n:<3} {right[field] / n if n else 0:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
