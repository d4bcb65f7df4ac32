"""Extraction quality on the three corpus issues: an alias of ``bench/evaluate.py --set training
--per-issue``, which scores them (and the written documents) against the hand-checked truth files, with
issue 5's figures and each extractor's time per issue.

Usage: .venv/bin/python bench/extract.py [--verbose]
"""

from __future__ import annotations

import sys

from evaluate import main

if __name__ == "__main__":
    sys.exit(main(["--set", "training", "--per-issue", *sys.argv[1:]]))
