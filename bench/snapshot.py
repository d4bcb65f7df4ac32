"""Fingerprint everything ingest derives from a fixed set of issues, to prove a speed change changed nothing.

Speed work on the parser and the extractors must keep their output byte for byte. This script runs the
ingest pipeline short of the database (read → parse → extract → record rows and index fields) over the
corpus issues and every 25th issue of the generated search corpus (``bench/search.py`` makes it), and
writes one SHA-256 per issue of the JSON contract, the record rows (the issue row, which holds the
ingest time, aside) and the index fields. Run it before a change with ``--write``, after it with
``--check``:

    .venv/bin/python bench/snapshot.py --write /tmp/before.json
    .venv/bin/python bench/snapshot.py --check /tmp/before.json

``--check`` exits 1 and names the issues whose output differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from gongbao import contract
from gongbao.pipeline import load_issue
from gongbao.store.record import issue_record

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
GENERATED = ROOT / "bench" / "out" / "search" / "corpus" / "issues"


def issue_paths(step: int) -> list[Path]:
    generated = sorted(GENERATED.glob("*.txt"))[::step] if GENERATED.is_dir() else []
    return sorted(CORPUS.glob("*.txt")) + generated


def fingerprint(path: Path) -> str:
    issue = load_issue(path)
    record = issue_record(issue)
    digest = hashlib.sha256()
    digest.update(json.dumps(contract.issue(issue), ensure_ascii=False, sort_keys=True, default=str).encode())
    rows = {table: [list(r) for r in rs] for table, rs in record.rows.items() if table != "issues"}
    digest.update(json.dumps(rows, ensure_ascii=False, default=str).encode())
    digest.update(json.dumps([repr(d) for d in record.index_docs], ensure_ascii=False).encode())
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, metavar="FILE", help="write the fingerprints to FILE")
    mode.add_argument("--check", type=Path, metavar="FILE", help="compare with the fingerprints in FILE")
    parser.add_argument("--step", type=int, default=25, help="take every STEP-th generated issue (default 25)")
    args = parser.parse_args()
    paths = issue_paths(max(1, args.step))
    if not paths:
        print(f"no issues found in {CORPUS} or {GENERATED}", file=sys.stderr)
        return 2
    prints = {str(p.relative_to(p.parent.parent)): fingerprint(p) for p in paths}
    if args.write:
        args.write.write_text(json.dumps(prints, indent=0, sort_keys=True), "utf-8")
        print(f"{len(prints)} issues fingerprinted -> {args.write}")
        return 0
    try:
        before = json.loads(args.check.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.check}: {exc}", file=sys.stderr)
        return 2
    changed = sorted(k for k in prints.keys() & before.keys() if prints[k] != before[k])
    missing = sorted(before.keys() - prints.keys())
    for name in changed:
        print(f"changed: {name}")
    for name in missing:
        print(f"not checked (file gone): {name}")
    print(f"{len(prints) - len(changed)}/{len(prints)} issues identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
