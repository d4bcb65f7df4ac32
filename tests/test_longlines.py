"""A megabyte-long line is ingested in bounded memory, and its text is recorded and searchable.

The full measurement (three 50 MB lines, under 500 MB each) is ``bench/longline.py``; this runs a smaller
line through ``gongbao ingest`` as a child process and bounds the child's peak RSS in proportion.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = str(ROOT / "src")
SAMPLE = ROOT / "samples" / "ningxia-2022-02.txt"
LINE_MB = 12
PEAK_MB = 300
"""The bound for a 12 MB line (155 MB measured; 200 MB before long texts were kept in pieces). The ingest
took 601 MB before long texts were indexed in parts (2.2 GB for a 50 MB line); the pipeline's fixed cost
(interpreter, tantivy, SQLite's cache) is ~150 MB."""

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="reads the child's peak RSS with os.wait4")


# The child is started by this small interpreter, not by pytest: a process forked from pytest starts with
# pytest's resident pages (hundreds of MB once OCR models were loaded by earlier tests), and ru_maxrss
# counts them, so the bound would measure the test runner rather than the ingest.
_MEASURE = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def gongbao(*args: str) -> tuple[int, int, str]:
    """(exit status, peak RSS in MB, output) of a fresh ``gongbao`` process."""
    import tempfile

    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "peak"
        done = subprocess.run([sys.executable, "-c", _MEASURE, str(report), sys.executable, "-m", "gongbao", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        kb = int(report.read_text())
    peak = kb // 1024 if sys.platform != "darwin" else kb // 2**20
    return done.returncode, peak, done.stdout.decode("utf-8", errors="replace")


@posix_only
def test_a_12_mb_line_is_ingested_in_bounded_memory_and_found(tmp_path: Path) -> None:
    rng = random.Random(13)
    # common characters in random order, no sentence end: the line is cut at 4,000 characters, and
    # nearly every 4-gram is new (the hardest case for the index)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    unit = "".join(rng.choice(chars) for _ in range(100_000))
    line = unit * (LINE_MB * 2**20 // len(unit.encode("utf-8")))
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "long.txt"
    path.write_text("\n".join([*lines[:210], line, *lines[210:]]) + "\n", encoding="utf-8")
    middle = len(line) // 2
    phrase = line[middle:middle + 10]
    assert line.count(phrase) > 1 and unit.count(phrase) == 1  # in every copy of the unit, once

    status, peak, out = gongbao("ingest", str(path), "--data", str(tmp_path / "data"), "--jobs", "1")
    assert status == 0, out
    assert peak < PEAK_MB, f"peak RSS {peak} MB for a {LINE_MB} MB line"

    status, _, out = gongbao("search", f'"{phrase}"', "--data", str(tmp_path / "data"), "--json")
    assert status == 0, out
    result = json.loads(out)
    assert result["total"] == 1 and len(result["hits"]) == 1  # one document, however many parts match
    assert f"<mark>{phrase}</mark>" in result["hits"][0]["snippet"]
    status, _, out = gongbao("check", "--data", str(tmp_path / "data"))
    assert status == 0, out


QUERIES = ["的", "残疾人", "残疾人服务", "宁夏回族自治区人民政府", "发展 -残疾人", "中药材 OR 残疾人",
           '"加强中药注册申请指导"', "标题:通知", "zzzz不存在的词"]


def test_documents_indexed_in_parts_search_like_whole_ones(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With parts of 300 characters every long document of the samples is indexed in parts: search
    gives the same totals, hits, pages and facets as with whole documents, and check passes."""
    from gongbao.store import record, search, tokens
    from gongbao.store.archive import Archive
    from gongbao.store.check import check_archive

    samples = sorted((ROOT / "samples").glob("*.txt"))
    with Archive(tmp_path / "whole") as whole:
        whole.ingest(samples, jobs=1)
    for module in (tokens, record):
        monkeypatch.setattr(module, "PART", 300)
    monkeypatch.setattr(tokens, "PART_OVERLAP", 40)
    monkeypatch.setattr(search, "INTERIM_CHARS", 5_000)
    with Archive(tmp_path / "parted") as parted:
        parted.ingest(samples, jobs=1)
        assert parted.index.num_docs() == whole.index.num_docs() > 0
        assert parted.index._searcher().num_docs > 3 * whole.index.num_docs()  # really in parts
        for query in QUERIES:
            for sort in ("relevance", "date"):
                for page, limit in ((1, 20), (2, 3)):
                    a = whole.search(query, sort=sort, page=page, limit=limit)
                    b = parted.search(query, sort=sort, page=page, limit=limit)
                    assert b["total"] == a["total"], query
                    assert {k: dict(v) for k, v in b["facets"].items()} == \
                        {k: dict(v) for k, v in a["facets"].items()}, query
                    ids = [h["id"] for h in b["hits"]]
                    assert len(ids) == len(set(ids)) == min(limit, max(0, a["total"] - (page - 1) * limit))
                    if sort == "date":
                        assert [h["date"] for h in b["hits"]] == [h["date"] for h in a["hits"]], query
                    else:
                        assert set(ids) <= {h["id"] for h in whole.search(query, limit=100)["hits"]}
    report = check_archive(tmp_path / "parted")
    assert report.ok, report
