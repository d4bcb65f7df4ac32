"""Helpers for the archive and search tests: real archives of the sample corpus in temporary directories.

Nothing here fakes a component: archives are built by ``Archive.ingest`` from samples/, and "truth" for
search tests is computed by brute force from the record's own text.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
_ISSUE_NUMBER_RE = re.compile(r"(?<!总)(第\s*)(\d+)(\s*期)")


def renumbered(text: str, number: int) -> str:
    """The same issue text, its masthead (first 60 lines) claiming another issue number: a distinct issue."""
    lines = text.split("\n")
    head = "\n".join(lines[:60])
    head = _ISSUE_NUMBER_RE.sub(lambda m: f"{m.group(1)}{number}{m.group(3)}", head)
    return "\n".join([head, *lines[60:]])


def ingest_samples(data: Path) -> Path:
    """``data`` made an archive of the sample issues (each one added, none failed); returns ``data``."""
    from gongbao.store import Archive

    with Archive(data) as archive:
        report = archive.ingest(SAMPLES)
    assert report.added == len(SAMPLES) and not report.failed, report.failed
    return data


def make_issue_files(folder: Path, count: int) -> list[Path]:
    """``count`` distinct issues (sample texts renumbered 31, 32, …) written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        source = SAMPLES[i % len(SAMPLES)]
        path = folder / f"{source.stem}-n{31 + i}.txt"
        path.write_text(renumbered(source.read_text("utf-8"), 31 + i), "utf-8")
        out.append(path)
    return out


def record_texts(data: Path) -> dict[str, str]:
    """Document id → title + searchable text, straight from the record."""
    conn = sqlite3.connect(data / "archive.sqlite3")
    try:
        rows = conn.execute("SELECT d.id, d.title, t.text FROM documents d JOIN document_text t "
                            "ON t.document_id = d.id").fetchall()
    finally:
        conn.close()
    return {doc_id: f"{title}\n{text}" for doc_id, title, text in rows}


@cache
def squeezed_texts(data: Path) -> dict[str, str]:
    from gongbao.store.tokens import squeeze

    return {doc_id: squeeze(text) for doc_id, text in record_texts(data).items()}


def python() -> str:
    return sys.executable
