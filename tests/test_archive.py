"""The archive's record: ingest (idempotent, replacing, atomic under kill -9), reading back, the index's
generation, extracted facts. Real SQLite files and tantivy indexes in temporary directories."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from storesupport import ROOT, SAMPLES, ingest_samples, make_issue_files, python

from gongbao import contract
from gongbao.errors import GongbaoError, NotFound
from gongbao.pipeline import load_issue
from gongbao.store import Archive, ReadOnlyArchive
from gongbao.store.search import SearchIndex

URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_samples(tmp_path_factory.mktemp("archive") / "data")


@pytest.fixture(scope="module")
def parsed() -> dict[str, object]:
    return {p.name: load_issue(p) for p in SAMPLES}


def record_digest(data: Path) -> str:
    """A hash of every row of every table of the record: equal digests mean nothing changed."""
    conn = sqlite3.connect(data / "archive.sqlite3")
    h = hashlib.sha256()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def test_ingest_stores_every_document_with_its_facts(archive_dir: Path, parsed: dict) -> None:
    with Archive(archive_dir, readonly=True) as archive:
        counts = archive.counts()
        assert counts["issues"] == len(SAMPLES)
        assert counts["documents"] == sum(len(i.documents) for i in parsed.values())
        assert counts["index_generation"] == counts["generation"] == len(SAMPLES)
        for issue in parsed.values():
            stored = archive.issue(issue.gazette.name, issue.gazette.year, issue.gazette.number)
            assert stored is not None
            assert stored["published"] == issue.gazette.published.isoformat()
            assert [d["title"] for d in stored["documents"]] == [d.title for d in issue.documents]
            assert len(stored["toc"]) == len(issue.toc)
            assert len(stored["problems"]) == len(issue.problems)
            linked = [e["document_id"] for e in stored["toc"]]
            assert all(linked), "every TOC entry of the samples has its document"
            assert stored == archive.issue_by_id(stored["id"])
        names = {g["name"]: g for g in archive.gazettes()}
        assert {i.gazette.name for i in parsed.values()} == set(names)
        assert sum(g["document_count"] for g in names.values()) == counts["documents"]


def test_document_round_trips_the_parse_contract(archive_dir: Path, parsed: dict) -> None:
    """What the archive hands out is what ``gongbao parse --json`` says, plus id/issue/source lines."""
    with Archive(archive_dir, readonly=True) as archive:
        for name, issue in parsed.items():
            stored = archive.issue(issue.gazette.name, issue.gazette.year, issue.gazette.number)
            for summary, doc in zip(stored["documents"], issue.documents, strict=True):
                got = archive.document(summary["id"])
                want = contract.document(doc)
                for key, value in want.items():
                    if key == "citations":
                        assert [{k: c[k] for k in value[0]} for c in got[key]] == value if value else not got[key]
                    else:
                        assert got[key] == value, (name, summary["id"], key)
                lines = (ROOT / "samples" / name).read_text("utf-8").splitlines()
                start, end = doc.span.start_line, doc.span.end_line
                assert got["source_lines"] == [(n, lines[n - 1]) for n in range(start, end + 1)]
                assert got["issue"]["gazette"] == issue.gazette.name


def test_ids_are_url_safe_and_resolvable(archive_dir: Path) -> None:
    with Archive(archive_dir, readonly=True) as archive:
        docs = list(archive.iter_documents())
        assert len({d["id"] for d in docs}) == len(docs)
        for doc in docs:
            assert URL_SAFE.match(doc["id"])
            assert archive.resolve(doc["id"]) == doc["id"]
            if doc["doc_number"]:
                assert doc["id"] in [d["id"] for d in archive.documents_by_number(doc["doc_number"])]
        assert archive.resolve("no-such-id-99") is None
        assert archive.document("no-such-id-99") is None
        assert archive.issue("no such gazette", 2022, 1) is None


def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES)
    with Archive(data) as archive:
        generation = archive.counts()["generation"]
        report = archive.ingest([*SAMPLES, *SAMPLES])
        assert (report.added, report.replaced, report.unchanged) == (0, 0, len(SAMPLES))
        assert archive.counts()["generation"] == generation
        # --force re-parses and rewrites the same issue: one replacement, same documents, same ids
        ids = [d["id"] for d in archive.latest_documents(100)]
        forced = archive.ingest(SAMPLES[:1], force=True)
        assert forced.replaced == 1 and archive.counts()["generation"] == generation + 1
        assert sorted(d["id"] for d in archive.latest_documents(100)) == sorted(ids)
        assert archive.search("", limit=1)["total"] == len(ids)


def test_unchanged_ingest_leaves_record_byte_identical(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES)
    before = record_digest(data)
    with Archive(data) as archive:
        report = archive.ingest(SAMPLES)
    assert report.unchanged == len(SAMPLES)
    assert record_digest(data) == before


def test_corrected_file_replaces_its_issue_and_keeps_ids(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = SAMPLES[0]
    with Archive(data) as archive:
        archive.ingest([source])
        first = archive.issues()[0]
        ids_before = [d["id"] for d in archive.issue_by_id(first["id"])["documents"]]
        body = archive.document(ids_before[0])["body"]
        sentence = next(b["text"] for b in body if len(b["text"]) > 20)
    corrected = tmp_path / "corrected.txt"
    marker = "更正后的校对标记文字"
    text = source.read_text("utf-8")
    # correct the first body paragraph of the first document (the file itself, not a parse product)
    probe = sentence[:12]
    assert probe in text
    corrected.write_text(text.replace(probe, marker + probe, 1), "utf-8")
    with Archive(data) as archive:
        report = archive.ingest([corrected])
        assert (report.added, report.replaced) == (0, 1)
        issues = archive.issues()
        assert len(issues) == 1 and issues[0]["id"] == first["id"]
        assert issues[0]["source_path"] == str(corrected)
        ids_after = [d["id"] for d in archive.issue_by_id(first["id"])["documents"]]
        assert ids_after == ids_before
        hit = archive.search(marker)
        assert hit["total"] == 1 and hit["hits"][0]["id"] == ids_before[0]
        assert archive.counts()["generation"] == 2


def test_two_versions_of_an_issue_in_one_batch_leave_the_later(tmp_path: Path) -> None:
    """A batch shares transactions and index commits between issues: an issue written and then replaced
    inside one of them must leave only the later version, in the record and in the index."""
    folder = tmp_path / "in"
    make_issue_files(folder, 10)  # enough files for the batch path (worker processes, shared transactions)
    source = SAMPLES[0]
    text = source.read_text("utf-8")
    probe = next(line.strip()[:10] for line in text.split("\n")[200:] if len(line.strip()) > 30)
    first, second = "初版校对标记文字", "二版校对标记文字"
    (folder / "a-first.txt").write_text(text.replace(probe, first + probe, 1), "utf-8")
    (folder / "z-second.txt").write_text(text.replace(probe, second + probe, 1), "utf-8")
    data = tmp_path / "data"
    with Archive(data) as archive:
        report = archive.ingest([folder], jobs=2)
        assert (report.added, report.replaced, report.failed) == (11, 1, [])
        outcomes = {path.name: outcome for path, _, outcome in report.issues}
        assert (outcomes["a-first.txt"], outcomes["z-second.txt"]) == ("added", "replaced")
        assert archive.search(first)["total"] == 0
        hit = archive.search(second)
        assert hit["total"] == 1
        issue = archive.issue_by_id(hit["hits"][0]["id"].rsplit("-", 1)[0])
        assert issue["source_path"] == str(folder / "z-second.txt")
        counts = archive.counts()
        assert archive.search("", limit=1)["total"] == counts["documents"]
        assert counts["index_generation"] == counts["generation"]


def test_unusable_files_are_reported_and_do_not_stop_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([empty, SAMPLES[1], binary, tmp_path / "missing.txt", folder,
                                 str(tmp_path / "nomatch-*.txt")])
        assert report.added == 1
        failed = {p.name: message for p, message in report.failed}
        assert set(failed) == {"empty.txt", "binary.txt", "missing.txt", "nothing-here", "nomatch-*.txt"}
        assert all("\n" not in m and m for m in failed.values())
        assert "failed 5" in report.summary()


def test_globs_and_directories_expand(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    nested = folder / "sub"
    nested.mkdir(parents=True)
    (nested / SAMPLES[0].name).write_bytes(SAMPLES[0].read_bytes())
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # a PDF cut after its header
    (folder / "readme.rst").write_text("not a supported form", encoding="utf-8")
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([folder, str(ROOT / "samples" / "ningxia-*.txt")])
    # the nested copy and the glob's first file are the same issue, same content: one added, one unchanged
    assert report.added + report.unchanged == 3
    assert report.added == 2
    # the damaged PDF is picked up by the directory walk and reported with its reason, never skipped
    # silently; a file of a form gongbao does not read (.rst) is not picked up from a directory
    assert [(p.name, "PDF 文件已损坏" in m) for p, m in report.failed] == [("notes.pdf", True)]


def test_readonly_archive_refuses_writes_and_missing_archive_is_clear(archive_dir: Path, tmp_path: Path) -> None:
    with Archive(archive_dir, readonly=True) as archive, pytest.raises(ReadOnlyArchive):
        archive.ingest(SAMPLES)
    with pytest.raises(NotFound) as info:
        Archive(tmp_path / "nowhere", readonly=True)
    assert "gongbao ingest" in str(info.value)


def test_index_lagging_behind_the_record_heals_on_next_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES)
        victim = archive.issues()[0]
        doc_id = victim["id"] + "-01"
        title = archive.document(doc_id)["title"]
        gen = archive.counts()["generation"]
        record_id = archive.record_id
    # simulate a crash after the record committed but before the index did: drop the issue from the
    # index and roll the index's recorded generation back to before that issue was written
    index = SearchIndex(data / "index")
    index.begin()
    index.delete_issue(victim["id"])
    conn = sqlite3.connect(data / "archive.sqlite3")
    victim_gen = conn.execute("SELECT max(generation) FROM changes WHERE issue_id = ?", (victim["id"],)).fetchone()[0]
    conn.close()
    index.commit(record_id, victim_gen - 1)
    index.end()
    with Archive(data, readonly=True) as archive:
        assert doc_id not in [h["id"] for h in archive.search(f'"{title}"')["hits"]]
    with Archive(data) as archive:  # a writable open heals
        assert archive.counts()["index_generation"] == gen
        assert archive.search(f'"{title}"')["hits"][0]["id"] == doc_id
    # a missing index is rebuilt from the record
    import shutil

    shutil.rmtree(data / "index")
    with Archive(data) as archive:
        assert archive.search(f'"{title}"')["hits"][0]["id"] == doc_id
        assert archive.reindex() == archive.counts()["documents"]


def _issue_rows(data: Path) -> tuple[list[tuple], dict[str, int]]:
    """(issues as (id, gazette, year, number, file name), documents per issue id that have their text)."""
    conn = sqlite3.connect(data / "archive.sqlite3")
    try:
        issues = [(i, g, y, n, Path(p).name) for i, g, y, n, p in
                  conn.execute("SELECT id, gazette, year, number, source_path FROM issues")]
        docs = dict(conn.execute("SELECT d.issue_id, count(*) FROM documents d JOIN document_text t "
                                 "ON t.document_id = d.id GROUP BY d.issue_id").fetchall())
    finally:
        conn.close()
    return issues, docs


def test_killed_ingest_leaves_no_partial_issue_and_resumes(tmp_path: Path) -> None:
    """Really run ``python -m gongbao ingest`` and kill -9 it at varying moments after the first issue
    committed; every issue present is whole, none twice; running ingest again completes the archive."""
    files = make_issue_files(tmp_path / "in", 48)
    per_file = {f.name: len(load_issue(f).documents) for f in files}
    data = tmp_path / "data"
    env = {**os.environ, "GONGBAO_JOBS": "2"}
    kills = interrupted = 0
    for delay in (0.0, 0.4, 0.9):
        proc = subprocess.Popen([python(), "-m", "gongbao", "ingest", str(tmp_path / "in"), "--data", str(data)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (data / "archive.sqlite3").exists():
                try:
                    issues, _ = _issue_rows(data)
                except sqlite3.OperationalError:
                    issues = []
                if issues:
                    break
            time.sleep(0.02)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        issues, docs = _issue_rows(data)
        interrupted += len(issues) < len(files)
        keys = [(g, y, n) for _, g, y, n, _ in issues]
        assert len(keys) == len(set(keys)), "no issue twice"
        assert set(docs) <= {row[0] for row in issues}
        for issue_id, *_, name in issues:
            assert docs.get(issue_id, 0) == per_file[name], "every stored issue is whole"
    assert kills >= 1 and interrupted >= 1, "the ingest was killed at least once before it finished"
    result = subprocess.run([python(), "-m", "gongbao", "ingest", str(tmp_path / "in"), "--data", str(data)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    issues, docs = _issue_rows(data)
    assert len(issues) == len(files)
    assert sum(docs.values()) == sum(per_file.values())
    with Archive(data) as archive:
        counts = archive.counts()
        assert counts["index_generation"] == counts["generation"]
        assert archive.search("", limit=1)["total"] == counts["documents"]


def test_searches_keep_working_while_an_ingest_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES[:1])
    make_issue_files(tmp_path / "in", 6)
    proc = subprocess.Popen([python(), "-m", "gongbao", "ingest", str(tmp_path / "in"), "--data", str(data)],
                            cwd=ROOT, env={**os.environ, "GONGBAO_JOBS": "2"}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    with Archive(data, readonly=True) as reader:
        while proc.poll() is None:
            seen.append(reader.search("规划")["total"])
            reader.issues()
            time.sleep(0.05)
        assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.6)  # readers pick up index commits at most every half second
        final = reader.search("规划")["total"]
    assert seen and seen == sorted(seen), "results only grow while issues are added"
    assert final > seen[0]


def test_a_second_writer_is_refused_clearly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive(data) as first:
        assert first.lock.acquire()
        try:
            with Archive(data) as second, pytest.raises(GongbaoError) as info:
                second.ingest(SAMPLES[:1])
            assert "another gongbao process" in str(info.value)
        finally:
            first.lock.release()


def test_extracted_facts_are_stored_and_linked(archive_dir: Path, parsed: dict) -> None:
    with Archive(archive_dir, readonly=True) as archive:
        counts = archive.counts()
        assert counts["tasks"] == sum(len(d.tasks) for i in parsed.values() for d in i.documents)
        assert counts["citations"] == sum(len(d.citations) for i in parsed.values() for d in i.documents)
        assert counts["indicators"] == sum(len(i.indicators) for i in parsed.values())
        tasks = archive.tasks()
        assert len(tasks) == counts["tasks"]
        for task in tasks[:50]:
            doc = archive.document(task["document_id"])
            assert doc is not None and task["doc_title"] == doc["title"] and task["doc_number"] == doc["doc_number"]
        if tasks:
            unit = next(t["leads"][0] for t in tasks if t["leads"])
            mine = archive.tasks(unit)
            assert mine and len(mine) < len(tasks)
            assert all(t.get("roles") for t in mine)
        for item in archive.indicators():
            assert archive.document(item["document_id"]) is not None
        if archive.indicators():
            name = archive.indicators()[0]["canonical_name"]
            assert all(i["canonical_name"] == name or i["name"] == name for i in archive.indicators(name))
        # none of the samples cites another sample's 文号 or title: every non-self citation is unresolved
        # (the edge itself is exercised by test_a_citation_of_an_archived_number_becomes_an_edge)
        edges = [(doc["id"], c["target_id"]) for doc in archive.iter_documents()
                 for c in archive.citations(doc["id"]) if c["target_id"] is not None]
        assert edges == []
        unresolved = archive.unresolved_citations()
        assert all(c["target_id"] is None and not c["self_reference"] for c in unresolved)
        total_non_self = sum(1 for d in archive.iter_documents() for c in archive.citations(d["id"])
                             if not c["self_reference"])
        assert len(unresolved) == total_non_self > 0
        assert all(archive.cited_by(d["id"]) == [] for d in archive.iter_documents())


def test_a_citation_of_an_archived_number_becomes_an_edge(tmp_path: Path) -> None:
    """One sample edited to cite another sample's 文号 (in the square-bracket spelling): the archive links
    the citing document to the cited one, in both directions, and nothing else."""
    source = ROOT / "samples" / "ningxia-2022-02.txt"
    anchor = "到2025年，残疾人事业发展基础更牢"
    text = source.read_text("utf-8")
    assert text.count(anchor) == 1
    edited = tmp_path / source.name
    edited.write_text(text.replace(anchor, "按照宁政办发[2022]68号要求，" + anchor), "utf-8")
    line = next(n for n, body in enumerate(edited.read_text("utf-8").split("\n"), 1) if anchor in body)
    others = [p for p in SAMPLES if p.name != source.name]
    assert len(others) == 2
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([edited, *others])
        assert report.added == 3 and not report.failed
        target = archive.resolve("宁政办发〔2022〕68号")
        assert target is not None and archive.document(target)["doc_number"] == "宁政办发〔2022〕68号"
        citer = next(d["id"] for d in archive.iter_documents()
                     if d["issue"]["gazette"] == "宁夏回族自治区人民政府公报"
                     and d["span"]["start_line"] <= line <= d["span"]["end_line"])
        assert archive.document(citer)["doc_number"] == "宁政发〔2021〕34号"
        edges = [(doc["id"], c["target_id"], c["doc_number"], c["span"]["start_line"])
                 for doc in archive.iter_documents() for c in archive.citations(doc["id"])
                 if c["target_id"] is not None]
        assert edges == [(citer, target, "宁政办发〔2022〕68号", line)]
        assert [c["id"] for c in archive.cited_by(target)] == [citer]
        assert archive.cited_by(target)[0]["citation"]["target_id"] == target
        assert target not in [c["target_id"] for c in archive.unresolved_citations()]


def test_latest_documents_and_counts(archive_dir: Path) -> None:
    with Archive(archive_dir, readonly=True) as archive:
        latest = archive.latest_documents(5)
        assert len(latest) == 5
        dates = [d["date"] for d in latest if d["date"]]
        assert dates == sorted(dates, reverse=True)
        assert archive.latest_documents(0) == []


def test_incomplete_copy_does_not_replace_a_complete_issue(tmp_path: Path) -> None:
    """A truncated copy of a stored issue is refused with a reason unless replace=True (issue #10)."""
    cut = tmp_path / "in" / "ningxia-2022-19-cut.txt"
    cut.parent.mkdir()
    cut.write_text("\n".join((ROOT / "samples" / "ningxia-2022-19.txt").read_text(encoding="utf-8").split("\n")[:400]),
                   encoding="utf-8")
    with Archive(tmp_path / "data") as archive:
        archive.ingest([ROOT / "samples" / "ningxia-2022-19.txt"], jobs=1)
        report = archive.ingest([cut], jobs=1)
        assert report.replaced == 0 and len(report.failed) == 1
        assert "--replace" in report.failed[0][1]
        assert len(archive._conn().execute("SELECT id FROM documents").fetchall()) == 4
        report = archive.ingest([cut], jobs=1, replace=True)
        assert report.replaced == 1 and not report.failed


def test_browsing_queries_read_by_index_and_agree_with_the_full_lists(tmp_path: Path) -> None:
    """The home page's and the API's lists at scale: the newest issues per gazette by a window query, the
    issue list paged by the database, the latest documents through the date index — each equal to what the
    whole list, sorted in Python, gives; and whole-archive counts recomputed as soon as a change commits."""
    files = make_issue_files(tmp_path / "in", 7)
    with Archive(tmp_path / "data") as archive:
        archive.ingest(files[:5])
        before = archive.counts()
        every = archive.issues()
        by_gazette: dict[str, list[dict]] = {}
        for issue in every:
            by_gazette.setdefault(issue["gazette"], []).append(issue)
        expected_latest = sorted(i["id"] for group in by_gazette.values() for i in group[:2])
        assert sorted(i["id"] for i in archive.latest_issues(2)) == expected_latest
        ordered = sorted(every, key=lambda r: (str(r.get("published") or ""), r.get("gazette") or ""),
                         reverse=True)
        for offset, limit in ((0, 50), (1, 2), (4, 3), (9, 5)):
            total, page = archive.issues_page(offset=offset, limit=limit)
            assert (total, page) == (len(every), ordered[offset:offset + limit])
        gazette = every[0]["gazette"]
        total, page = archive.issues_page(gazette=gazette, limit=50)
        assert page == [r for r in ordered if r["gazette"] == gazette] and total == len(page)
        docs = archive._summaries("1", (), "d.date IS NULL, d.date DESC, i.published DESC, d.issue_id, d.seq")
        assert [d["id"] for d in archive.latest_documents(12)] == [d["id"] for d in docs[:12]]

        archive.ingest(files[5:])
        after = archive.counts()
        assert after["issues"] == before["issues"] + 2
        assert after["documents"] > before["documents"]
        assert sum(g["issue_count"] for g in archive.gazettes()) == after["issues"]
