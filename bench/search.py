"""Search benchmark: gongbao against the peer's approach (SQLite FTS5 trigram + LIKE) and a LIKE scan.

    .venv/bin/python bench/search.py                 # 250,000 documents (≈ 15–25 min on 2 cores)
    .venv/bin/python bench/search.py --docs 20000    # a quick run

1. Generates a reproducible corpus (seeded) of gazette *issues* in the printed layout — masthead, TOC,
   documents with 文号, addressees, body, signature — by recombining paragraphs, headings and titles of
   the real issues in samples/. Written to bench/out/ (git-ignored), reused when the parameters match.
2. gongbao: ``Archive.ingest`` of the corpus directory, i.e. reading, parsing, extracting, the SQLite record
   and the search index: documents/s and characters/s *including parsing*.
3. Baselines get the documents' text from gongbao's record (so they are timed without parsing): SQLite
   FTS5 trigram with a LIKE fallback for 1–2-character terms (the peer's design), and a plain LIKE scan.
4. A fixed set of queries (1- and 2-character terms, words, phrases, 文号 in several spellings, filters,
   AND/OR/NOT) runs against each system: p50/p95/p99 latency (warm, each query several times; gongbao
   through ``Archive.search`` in a fresh process, with snippets and facets, reporting its peak RSS), and
   recall of every single-term query against the LIKE scan (the exact substring answer).

Nothing here is committed output: figures are printed and, with ``--markdown``, written as a table.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OUT = ROOT / "bench" / "out" / "search"
GENERATOR_VERSION = 3

# Generic place names for synthetic gazettes (the real corpus has only two gazettes; a realistic archive
# holds many, and each (gazette, year, number) must be a distinct issue).
PLACES = (
    "银川市", "石嘴山市", "吴忠市", "固原市", "中卫市", "兰州市", "西宁市", "呼和浩特市", "太原市", "西安市",
    "郑州市", "济南市", "合肥市", "南京市", "杭州市", "福州市", "南昌市", "长沙市", "武汉市", "成都市",
    "贵阳市", "昆明市", "南宁市", "广州市", "海口市", "拉萨市", "哈尔滨市", "长春市", "沈阳市", "石家庄市",
)
KINDS = ("通知", "意见", "办法", "决定", "方案", "规定", "通报", "批复")
ADDRESSEES = ("各县（区）人民政府，市政府各部门、各直属机构：", "各区人民政府，市直各部门：",
              "各县（市、区）人民政府，市政府各工作部门：")


# ----------------------------------------------------------------------------------------------------
# corpus generation
@dataclass
class Material:
    paragraphs: list[str]
    headings: list[str]
    topics: list[str]


def material() -> Material:
    """Paragraphs, headings and topic phrases of the real corpus, as the parser recovered them."""
    from gongbao.pipeline import load_issue

    paragraphs: list[str] = []
    headings: list[str] = []
    topics: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        issue = load_issue(path)
        for doc in issue.documents:
            for enclosure in doc.enclosures:
                topics.append(enclosure.title)
            for block in doc.all_blocks():
                text = block.text.strip()
                if block.kind == "paragraph" and 30 <= len(text) <= 600 and "|" not in text:
                    paragraphs.append(text)
                elif block.kind == "heading" and block.label and 4 <= len(text) <= 40:
                    headings.append(text)
                    if block.title and 6 <= len(block.title) <= 24:
                        topics.append(block.title.rstrip("。；;，,"))
    return Material(sorted(set(paragraphs)), sorted(set(headings)), sorted(set(topics)))


def _prefix(place: str, office: bool) -> str:
    return place[0] + ("政办发" if office else "政发")


def generate(out: Path, docs: int, seed: int) -> dict[str, Any]:
    """Write the corpus; returns its manifest (files, documents, characters, some 文号 for queries)."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest.get("docs") == docs and manifest.get("seed") == seed and \
                manifest.get("version") == GENERATOR_VERSION:
            return manifest
    shutil.rmtree(out, ignore_errors=True)
    (out / "issues").mkdir(parents=True)
    rng = random.Random(seed)
    m = material()
    written = 0
    files = 0
    chars = 0
    numbers: list[str] = []
    slots = [(place, year, number) for place in PLACES for year in range(2000, 2025) for number in range(1, 25)]
    rng.shuffle(slots)
    serials: dict[tuple[str, int], int] = {}
    while written < docs:
        place, year, number = slots[files]
        files += 1
        count = min(rng.randint(10, 30), docs - written)
        published = f"{year}年{(number + 1) // 2}月{15 if number % 2 else 28}日"
        entries: list[tuple[str, str, str, str, list[str], str, str]] = []
        for _ in range(count):
            office = rng.random() < 0.6
            issuer = f"{place}人民政府办公室" if office else f"{place}人民政府"
            kind = rng.choice(KINDS)
            title = f"{issuer}关于{rng.choice(m.topics)}的{kind}"
            key = (_prefix(place, office), year)
            serials[key] = serials.get(key, 0) + 1
            number_text = f"{key[0]}〔{year}〕{serials[key]}号"
            category = f"{place}人民政府办公室文件" if office else f"{place}人民政府文件"
            body: list[str] = []
            for _ in range(rng.randint(2, 14)):
                if rng.random() < 0.15:
                    body.append(rng.choice(m.headings))
                body.append(rng.choice(m.paragraphs))
            month = rng.randint(1, 12)
            signed = f"{year}年{month}月{rng.randint(1, 28)}日"
            entries.append((title, number_text, category, issuer, body, signed, kind))
            if len(numbers) < 400 and rng.random() < 0.05:
                numbers.append(number_text)
        lines = [f"{place}人民政府公报", "", "（半月刊）", "", f"{year} 年 第 {number} 期", "",
                 f"（总第 {(year - 2000) * 24 + number} 期）", "", f"{published}出版", "", "目 录", ""]
        page = 3
        last_category = None
        for title, number_text, category, *_ in entries:
            if category != last_category:
                lines += [f"【{category}】", ""]
                last_category = category
            bracketed = number_text.replace("〔", "[").replace("〕", "]")
            lines += [title, f"({bracketed})…………… ({page})", ""]
            page += 2
        lines += ["主 编:张 三", "", f"主办:{place}人民政府办公室", ""]
        for title, number_text, _category, issuer, body, signed, _kind in entries:
            lines += [title, "", number_text, "", rng.choice(ADDRESSEES), ""]
            for paragraph in body:
                lines += [paragraph, ""]
            lines += [issuer, signed, "", "（此件公开发布）", ""]
        text = "\n".join(lines) + "\n"
        chars += len(text)
        (out / "issues" / f"{place}-{year}-{number:02d}.txt").write_text(text, "utf-8")
        written += count
    manifest = {"version": GENERATOR_VERSION, "docs": docs, "seed": seed, "files": files, "characters": chars,
                "numbers": numbers}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return manifest


# ----------------------------------------------------------------------------------------------------
# queries: each has the gongbao query string and a structured form for the SQL baselines
@dataclass
class Query:
    label: str  # the class of query
    q: str  # as a user types it into gongbao
    all: tuple[str, ...] = ()  # terms that must all occur (substrings)
    any: tuple[str, ...] = ()  # at least one of these
    none: tuple[str, ...] = ()  # none of these
    kind: str | None = None
    year: int | None = None
    gazette: str | None = None

    @property
    def single(self) -> bool:
        return len(self.all) == 1 and not self.any and not self.none and not (self.kind or self.year or
                                                                               self.gazette)


def queries(numbers: list[str]) -> list[Query]:
    """The fixed query set (≥ 50): the 文号 come from the seeded corpus, everything else is literal."""
    out: list[Query] = []
    for t in ("水", "粮", "医", "湖", "税", "矿", "林", "桥", "药", "旅"):
        out.append(Query("1-char", t, (t,)))
    for t in ("发展", "健全", "规划", "救助", "养老", "信用", "气象", "脱贫", "园区", "监测"):
        out.append(Query("2-char", t, (t,)))
    for t in ("残疾人", "十四五", "医疗保障", "中药材", "用水权", "互联网", "硒砂瓜", "高质量发展", "人民政府",
              "乡村振兴"):
        out.append(Query("word", t, (t,)))
    for t in ("残疾人保障和发展", "基本医疗保险", "自治区人民政府", "重特大疾病医疗保险", "信用信息共享",
              "职业技能培训", "生态保护与建设", "农业水价综合改革"):
        out.append(Query("phrase", f'"{t}"', (t,)))
    rng = random.Random(7)
    picked = rng.sample(numbers, min(5, len(numbers)))
    spellings = (lambda n: n, lambda n: n.replace("〔", "[").replace("〕", "]"),
                 lambda n: n.replace("〔", "（").replace("〕", "）"), lambda n: n.replace("〕", "〕 ").replace("号", " 号"),
                 lambda n: n.replace("〔", "(").replace("〕", ")"))
    for number, spell in zip(picked, spellings, strict=False):
        out.append(Query("文号", spell(number), (number,)))
    out += [
        Query("filtered", "水 kind:通知", ("水",), kind="通知"),
        Query("filtered", "发展 year:2020", ("发展",), year=2020),
        Query("filtered", "残疾人 kind:意见", ("残疾人",), kind="意见"),
        Query("filtered", "医疗保障 year:2015", ("医疗保障",), year=2015),
        Query("filtered", "规划 gazette:银川市", ("规划",), gazette="银川市人民政府公报"),
        Query("filtered", "高质量发展 kind:办法 year:2022", ("高质量发展",), kind="办法", year=2022),
        Query("filtered", "救助 gazette:西安市 year:2010", ("救助",), gazette="西安市人民政府公报", year=2010),
        Query("filtered", "园 kind:决定", ("园",), kind="决定"),
        Query("boolean", "医疗 AND 救助", ("医疗", "救助")),
        Query("boolean", "硒砂瓜 OR 中药材", any=("硒砂瓜", "中药材")),
        Query("boolean", "养老 NOT 医疗", ("养老",), none=("医疗",)),
        Query("boolean", "乡村振兴 脱贫 -残疾人", ("乡村振兴", "脱贫"), none=("残疾人",)),
    ]
    return out


def gongbao_query(q: Query) -> tuple[str, dict[str, Any]]:
    """The query string and keyword filters for ``Archive.search``."""
    text = " ".join(part for part in q.q.split() if ":" not in part)
    return text, {"kind": q.kind, "year": q.year, "gazette": q.gazette}


# ----------------------------------------------------------------------------------------------------
# measurement helpers
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def gongbao_ingest(corpus: Path, data: Path) -> dict[str, Any]:
    from gongbao.store import Archive

    shutil.rmtree(data, ignore_errors=True)
    done = [0]

    def progress(n: int, total: int, path: Path, outcome: str) -> None:
        done[0] = n
        if n % 500 == 0 or n == total:
            print(f"  gongbao ingest {n}/{total}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    with Archive(data) as archive:
        report = archive.ingest([corpus], progress=progress)
        counts = archive.counts()
    seconds = time.perf_counter() - started
    if report.failed:
        print(f"  {len(report.failed)} files failed, e.g. {report.failed[0]}", file=sys.stderr)
    return {"seconds": seconds, "documents": counts["documents"], "characters": report.characters,
            "index_bytes": dir_size(data / "index"), "record_bytes": dir_size(data) - dir_size(data / "index"),
            "failed": len(report.failed)}


def gongbao_queries(data: Path, qs: list[Query], repeat: int) -> dict[str, Any]:
    """Runs in a fresh process (``--child``): latencies of Archive.search and the process's peak RSS."""
    from gongbao.store import Archive

    out: dict[str, Any] = {"latency": {}, "ids": {}}
    with Archive(data, readonly=True) as archive:
        for q in qs:  # warm-up: page cache and tokenizer state, as on a running server
            text, filters = gongbao_query(q)
            archive.search(text, **filters)
        for q in qs:
            text, filters = gongbao_query(q)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = archive.search(text, limit=20, **filters)
                times.append(time.perf_counter() - started)
            out["latency"][q.q] = times
            out.setdefault("totals", {})[q.q] = result["total"]
        # memory of the process that served the searches, before the recall check below loads every id;
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec from the (large) parent
        out["memory"] = _memory()
        out["rss_bytes"] = out["memory"].get("VmHWM", 0)
        # recall needs every matching id, not a page: ask the index directly (outside the timing)
        from gongbao.store.query import parse_query
        from gongbao.store.search import Filters

        searcher = archive.index._searcher()
        for q in qs:
            if not q.single:
                continue
            text, _ = gongbao_query(q)
            query = archive.index.compile(parse_query(text))
            total = archive.index.search(parse_query(text), Filters(), sort="relevance", offset=0, limit=1).total
            hits = searcher.search(query, max(total, 1), count=False).hits
            out["ids"][q.q] = [searcher.doc(addr)["id"][0] for _, addr in hits]
    return out


def _memory() -> dict[str, int]:
    """Resident memory split: anonymous (the heap) and file-backed (mmap'd index pages, shared with the
    page cache and dropped by the kernel under pressure)."""
    out: dict[str, int] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def stage_costs(corpus: Path, files: int = 60) -> dict[str, float]:
    """CPU milliseconds per document of each ingest stage, on one core, over a sample of the corpus."""
    import tempfile

    from gongbao.extract import enrich
    from gongbao.parse import parse_lines
    from gongbao.sources import read_source
    from gongbao.store import Archive
    from gongbao.store.record import issue_record

    paths = sorted(corpus.glob("*.txt"))[:files]
    cost = dict.fromkeys(("read", "parse", "extract", "record", "store", "index"), 0.0)
    docs = 0
    records = []
    for path in paths:
        t0 = time.process_time()
        source, lines = read_source(path)
        t1 = time.process_time()
        issue = parse_lines(lines, source)
        t2 = time.process_time()
        enrich(issue)
        t3 = time.process_time()
        records.append(issue_record(issue))
        t4 = time.process_time()
        cost["read"] += t1 - t0
        cost["parse"] += t2 - t1
        cost["extract"] += t3 - t2
        cost["record"] += t4 - t3
        docs += len(issue.documents)
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "data") as archive, \
            archive._writing(heap_mb=256):
        for record in records:
            t0 = time.process_time()
            archive._store(record)
            t1 = time.process_time()
            archive.index.add(record.index_docs)
            t2 = time.process_time()
            cost["store"] += t1 - t0
            cost["index"] += t2 - t1
        t0 = time.process_time()
        archive.index.commit(archive.record_id, archive.generation())
        cost["index"] += time.process_time() - t0  # tantivy's own threads count as process time
    return {stage: seconds * 1000 / docs for stage, seconds in cost.items()}


def build_baselines(data: Path, out: Path) -> dict[str, Any]:
    """The documents (title + text, as gongbao stores them) into two SQLite files: a plain table (LIKE)
    and the same table with an FTS5 trigram index (the peer)."""
    source = sqlite3.connect(data / "archive.sqlite3")
    rows = source.execute(
        "SELECT d.id, d.title, t.text, coalesce(d.kind, ''), coalesce(d.year, 0), coalesce(i.gazette, ''), "
        "coalesce(d.date, '') FROM documents d JOIN document_text t ON t.document_id = d.id "
        "JOIN issues i ON i.id = d.issue_id ORDER BY d.rowid").fetchall()
    source.close()
    chars = sum(len(r[1]) + len(r[2]) for r in rows)
    result: dict[str, Any] = {"documents": len(rows), "characters": chars}
    for name, fts in (("like", False), ("fts5", True)):
        path = out / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE docs (id TEXT, title TEXT, text TEXT, kind TEXT, year INTEGER, gazette TEXT, "
                     "date TEXT)")
        if fts:
            conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, text, content='docs', content_rowid='rowid', "
                         "tokenize='trigram')")
        with conn:
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            if fts:
                conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
        conn.execute("CREATE INDEX docs_filters ON docs(kind, year)")
        conn.close()
        seconds = time.perf_counter() - started
        result[name] = {"seconds": seconds, "bytes": path.stat().st_size}
    return result


def _like_condition(term: str) -> tuple[str, list[str]]:
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return "(title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\')", [pattern, pattern]


def _fts_condition(term: str) -> tuple[str, list[str]]:
    """The peer: MATCH on the trigram index for terms of ≥ 3 characters, LIKE on the table otherwise."""
    if len(term) >= 3:
        return "rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)", ['"' + term.replace('"', '""') + '"']
    return _like_condition(term)


def sql_query(q: Query, fts: bool) -> tuple[str, list[Any]]:
    cond = _fts_condition if fts else _like_condition
    where: list[str] = []
    params: list[Any] = []
    for t in q.all:
        c, p = cond(t)
        where.append(c)
        params += p
    if q.any:
        parts = [cond(t) for t in q.any]
        where.append("(" + " OR ".join(c for c, _ in parts) + ")")
        params += [x for _, p in parts for x in p]
    for t in q.none:
        c, p = cond(t)
        where.append("NOT " + c)
        params += p
    for column in ("kind", "year", "gazette"):
        value = getattr(q, column)
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(where) or "1", params


def baseline_queries(path: Path, qs: list[Query], fts: bool, repeat: int) -> dict[str, Any]:
    """Per query: total count + top 20 (by bm25 for FTS5 matches, else by date)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA cache_size = -262144")
    out: dict[str, Any] = {"latency": {}, "ids": {}}
    for q in qs:
        where, params = sql_query(q, fts)
        ranked = fts and any(len(t) >= 3 for t in q.all)
        if ranked:
            first = next(t for t in q.all if len(t) >= 3)
            top_sql = (f"SELECT docs.id FROM fts JOIN docs ON docs.rowid = fts.rowid WHERE fts MATCH ? AND "
                       f"docs.rowid IN (SELECT rowid FROM docs WHERE {where}) ORDER BY bm25(fts) LIMIT 20")
            top_params = ['"' + first + '"', *params]
        else:
            top_sql = f"SELECT id FROM docs WHERE {where} ORDER BY date DESC LIMIT 20"
            top_params = params
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
            conn.execute(top_sql, top_params).fetchall()
            times.append(time.perf_counter() - started)
        out["latency"][q.q] = times
        if q.single:
            out["ids"][q.q] = [r[0] for r in conn.execute(f"SELECT id FROM docs WHERE {where}", params)]
    conn.close()
    return out


def summarize(latency: dict[str, list[float]]) -> dict[str, float]:
    values = [t * 1000 for ts in latency.values() for t in ts]
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "p99": percentile(values, 99),
            "max": max(values), "mean": statistics.fmean(values)}


def recall(found: dict[str, list[str]], truth: dict[str, list[str]]) -> tuple[float, float, int]:
    """(min, mean) recall over single-term queries, and how many queries had a hit missing."""
    values = []
    for q, ids in truth.items():
        expected = set(ids)
        if not expected:
            continue
        got = set(found.get(q, []))
        values.append(len(expected & got) / len(expected))
    return min(values), statistics.fmean(values), sum(v < 1 for v in values)


# ----------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=250_000, help="documents to generate (default 250,000)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (gongbao, FTS5)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--reuse", action="store_true", help="reuse an existing gongbao archive in --out")
    parser.add_argument("--child", nargs=2, metavar=("DATA", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        data, result_path = Path(args.child[0]), Path(args.child[1])
        manifest = json.loads((data.parent / "corpus" / "manifest.json").read_text("utf-8"))
        result = gongbao_queries(data, queries(manifest["numbers"]), args.repeat)
        result_path.write_text(json.dumps(result), "utf-8")
        return 0

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    manifest = generate(out / "corpus", args.docs, args.seed)
    print(f"corpus: {manifest['docs']:,} documents in {manifest['files']:,} issues, "
          f"{manifest['characters']:,} characters ({time.perf_counter() - t0:.0f} s)", flush=True)
    qs = queries(manifest["numbers"])
    data = out / "gongbao"
    if args.reuse and (data / "archive.sqlite3").exists():
        ingest = json.loads((out / "ingest.json").read_text("utf-8"))
    else:
        ingest = gongbao_ingest(out / "corpus" / "issues", data)
        (out / "ingest.json").write_text(json.dumps(ingest), "utf-8")
    print(f"gongbao ingest: {ingest['documents']:,} documents in {ingest['seconds']:.0f} s", flush=True)
    stages = stage_costs(out / "corpus" / "issues")

    result_path = out / "gongbao-queries.json"
    subprocess.run([sys.executable, __file__, "--repeat", str(args.repeat), "--child", str(data),
                    str(result_path)], check=True)
    g = json.loads(result_path.read_text("utf-8"))
    print("gongbao queries done", flush=True)

    base = build_baselines(data, out)
    print(f"baselines built: FTS5 {base['fts5']['seconds']:.0f} s, LIKE {base['like']['seconds']:.0f} s", flush=True)
    fts = baseline_queries(out / "fts5.sqlite3", qs, True, max(1, args.repeat // 2))
    print("FTS5 queries done", flush=True)
    like = baseline_queries(out / "like.sqlite3", qs, False, 1)
    print("LIKE queries done", flush=True)

    rows = []
    for name, lat, ids, rate_docs, rate_chars, size in (
        ("gongbao (tantivy n-grams)", g["latency"], g["ids"], ingest["documents"] / ingest["seconds"],
         ingest["characters"] / ingest["seconds"], ingest["index_bytes"]),
        ("SQLite FTS5 trigram + LIKE", fts["latency"], fts["ids"], base["documents"] / base["fts5"]["seconds"],
         base["characters"] / base["fts5"]["seconds"], base["fts5"]["bytes"]),
        ("SQLite LIKE scan", like["latency"], like["ids"], base["documents"] / base["like"]["seconds"],
         base["characters"] / base["like"]["seconds"], base["like"]["bytes"]),
    ):
        s = summarize(lat)
        r_min, r_mean, r_missed = recall(ids, like["ids"])
        rows.append((name, rate_docs, rate_chars, size, s, r_min, r_mean, r_missed))

    per_class: dict[str, list[float]] = {}
    for q in qs:
        per_class.setdefault(q.label, []).extend(t * 1000 for t in g["latency"][q.q])
    lines = [
        f"Corpus: {manifest['docs']:,} documents in {manifest['files']:,} generated issues, "
        f"{manifest['characters']:,} characters (seed {args.seed}); {len(qs)} queries, "
        f"{sum(q.single for q in qs)} of them single-term.",
        "",
        "| system | ingest docs/s | ingest chars/s | index size | p50 ms | p95 ms | p99 ms | max ms | recall (min / mean) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rd, rc, size, s, r_min, r_mean, _ in rows:
        lines.append(f"| {name} | {rd:,.0f} | {rc:,.0f} | {mb(size)} | {s['p50']:.1f} | {s['p95']:.1f} | "
                     f"{s['p99']:.1f} | {s['max']:.1f} | {r_min:.3f} / {r_mean:.3f} |")
    lines += [
        "",
        f"gongbao: ingest includes reading, parsing and extraction ({ingest['failed']} files failed); record "
        f"(SQLite) {mb(ingest['record_bytes'])}, index {mb(ingest['index_bytes'])}. Baselines are timed from "
        "already-parsed text.",
        "",
        f"gongbao search process after the timed queries: peak RSS {g['rss_bytes'] / 2**20:,.0f} MiB, of which "
        f"anonymous {g['memory'].get('RssAnon', 0) / 2**20:,.0f} MiB and file-backed (mmap'd index pages) "
        f"{g['memory'].get('RssFile', 0) / 2**20:,.0f} MiB.",
        "",
        "gongbao ingest CPU per document, one core (ms): " + ", ".join(
            f"{stage} {ms:.2f}" for stage, ms in stages.items()) + f"; total {sum(stages.values()):.2f}.",
        "",
        "gongbao latency by query class (ms, p50 / p95 / max): " + "; ".join(
            f"{label} {percentile(v, 50):.1f} / {percentile(v, 95):.1f} / {max(v):.1f}"
            for label, v in per_class.items()),
    ]
    report = "\n".join(lines)
    print()
    print(report)
    (out / "report.md").write_text(report + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
