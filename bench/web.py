"""Load check of the web site: N concurrent keep-alive clients on loopback for a bounded time.

    .venv/bin/python bench/web.py                    # 50 clients, 30 s, cached then uncached, demo archive
    .venv/bin/python bench/web.py --no-cache         # only uncached (no in-memory response cache)
    .venv/bin/python bench/web.py --workers 2 --data DIR   # an existing archive, 2 server processes
    .venv/bin/python bench/web.py --clients 10 --duration 5

It builds the demo archive (samples/) in a temporary directory unless ``--data`` names one, starts
``gongbao serve`` as a separate process on a free 127.0.0.1 port, discovers the URLs to hit (home, issue
pages, every document page, searches with and without filters, the search and document API), warms
them once, then runs closed-loop clients (no think time) and prints requests/s, p50/p95/p99 and errors
per kind of page. Traffic never leaves loopback; duration and clients are capped.

The client is a minimal HTTP/1.1 keep-alive reader on asyncio streams: an HTTP library would spend
more CPU than the server on this 2-core machine and measure itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, by design
MAX_DURATION = 120.0
MAX_CLIENTS = 200
QUERIES = ["规划", "用水权", "医疗保障", "中小微企业 融资", "残疾人", "化工园区", "生态保护", "信用信息",
           "气象", "中医药", "救助", "指标", "十四五", "实施方案", "责任单位", "乡村振兴", "数据", "安全"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def build_archive(target: Path) -> None:
    samples = sorted((ROOT / "samples").glob("*.txt"))
    cmd = [sys.executable, "-m", "gongbao", "demo", "--data", str(target), "--no-serve"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    print(f"archive: {len(samples)} sample issues ingested into {target}")


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, int]:
    """One GET on an open keep-alive connection; returns (status, body bytes)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, chunked = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, total
    await reader.readexactly(length)
    return status, length


def get_json(port: int, path: str) -> dict:
    async def run() -> dict:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        data = await reader.read()
        writer.close()
        return json.loads(data.split(b"\r\n\r\n", 1)[1])

    return asyncio.run(run())


def discover(port: int) -> dict[str, list[str]]:
    """The URL mix: every document page, search pages (plain, filtered, sorted, paged), the API."""
    docs = get_json(port, "/api/v1/search?sort=date&limit=100")["hits"]
    issues = get_json(port, "/api/v1/issues?limit=200")["issues"]
    doc_urls = [f"/documents/{quote(str(d['id']), safe='')}" for d in docs]
    search = []
    for q in QUERIES:
        search.append("/search?" + urlencode({"q": q}))
        search.append("/search?" + urlencode({"q": q, "sort": "date"}))
    if docs:
        kinds = sorted({d["kind"] for d in docs if d.get("kind")})
        for k in kinds:
            search.append("/search?" + urlencode({"q": QUERIES[0], "kind": k}))
        search.append("/search?" + urlencode({"q": "", "page": 2}))
    issue_urls = [f"/issues/{quote(i['gazette'], safe='')}/{i['year']}/{i['number']}" for i in issues
                  if i.get("gazette") and i.get("number") is not None]
    api = ["/api/v1/search?" + urlencode({"q": q, "limit": 10}) for q in QUERIES[:8]]
    api += [f"/api/v1/documents/{quote(str(d['id']), safe='')}" for d in docs[:10]]
    return {"document": doc_urls, "search": search, "other": ["/", *issue_urls], "api": api}


async def client(port: int, mix: list[tuple[str, str]], deadline: float, seed: int,
                 results: dict[str, list[float]], errors: dict[str, int]) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < deadline:
            kind, path = mix[rng.randrange(len(mix))]
            start = time.perf_counter()
            try:
                status, _ = await fetch(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[kind] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            elapsed = time.perf_counter() - start
            if status >= 400:
                errors[kind] += 1
            results[kind].append(elapsed)
    finally:
        writer.close()


async def load(port: int, urls: dict[str, list[str]], clients: int, duration: float) -> tuple[dict, dict, float]:
    # weights: what readers do most — open documents and search
    mix = ([("document", u) for u in urls["document"]] * 4 + [("search", u) for u in urls["search"]] * 2
           + [("other", u) for u in urls["other"]] * 2 + [("api", u) for u in urls["api"]])
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(*(client(port, mix, deadline, i, results, errors) for i in range(clients)))
    return results, errors, time.perf_counter() - started


async def warm(port: int, urls: dict[str, list[str]]) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    bad = 0
    for group in urls.values():
        for path in group:
            status, _ = await fetch(reader, writer, path)
            bad += status >= 400
    writer.close()
    return bad


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def measure(data: Path, *, cache: bool, workers: int, clients: int, duration: float) -> tuple[dict, dict, float]:
    """Start ``gongbao serve`` (cache on or off, ``workers`` processes), warm, load; (results, errors, s)."""
    port = free_port()
    cmd = [sys.executable, "-m", "gongbao", "serve", "--data", str(data), "--host", HOST, "--port", str(port),
           "--workers", str(workers)]
    if not cache:
        cmd.append("--no-cache")
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(600):
            try:
                with socket.create_connection((HOST, port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(server.stderr.read().decode() if server.stderr else "server died") from None
                time.sleep(0.05)
        urls = discover(port)
        n_urls = sum(len(v) for v in urls.values())
        bad = asyncio.run(warm(port, urls))
        print(f"server: gongbao serve --workers {workers} on {HOST}:{port} "
              f"({'response cache on: cached figures' if cache else 'no cache: uncached figures'}); "
              f"{n_urls} distinct URLs, warm-up errors {bad}")
        print(f"load: {clients} concurrent keep-alive clients, closed loop, {duration:.0f} s ...", flush=True)
        return asyncio.run(load(port, urls, clients, duration))
    finally:
        server.terminate()  # SIGTERM: uvicorn shuts its workers down gracefully
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def report(results: dict, errors: dict, elapsed: float, label: str) -> bool:
    total = sum(len(v) for v in results.values())
    total_errors = sum(errors.values())
    print(f"\n[{label}]\n{'kind':<10}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"
          f"{'max ms':>10}{'errors':>8}")
    for kind in ("search", "document", "other", "api"):
        v = results.get(kind, [])
        print(f"{kind:<10}{len(v):>10}{len(v) / elapsed:>10.0f}{pct(v, 50):>10.1f}{pct(v, 95):>10.1f}"
              f"{pct(v, 99):>10.1f}{(max(v) * 1000 if v else 0):>10.1f}{errors.get(kind, 0):>8}")
    allv = [x for v in results.values() for x in v]
    print(f"{'all':<10}{total:>10}{total / elapsed:>10.0f}{pct(allv, 50):>10.1f}{pct(allv, 95):>10.1f}"
          f"{pct(allv, 99):>10.1f}{(max(allv) * 1000 if allv else 0):>10.1f}{total_errors:>8}")
    mean = statistics.fmean(allv) * 1000 if allv else 0
    print(f"requests/s {total / elapsed:.0f}  mean {mean:.1f} ms  errors {total_errors}  ({elapsed:.1f} s)")
    search = results.get("search", [])
    pages = results.get("document", []) + results.get("other", [])
    ok = (pct(search, 95) <= 100 and len(search) / elapsed >= 300 and pct(pages, 95) <= 150
          and total_errors == 0)
    print(f"goal (search p95 <= 100 ms and >= 300/s, pages p95 <= 150 ms, no errors): {'met' if ok else 'NOT met'}")
    return total_errors == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="an existing archive (default: demo archive in a temp dir)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes (default: cores)")
    ap.add_argument("--no-cache", action="store_true", help="only the uncached run")
    ap.add_argument("--cache-only", action="store_true", help="only the cached run")
    args = ap.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    workers = max(1, min(args.workers, 16))

    tmp = None
    data = args.data
    if data is None:
        tmp = Path(tempfile.mkdtemp(prefix="gongbao-bench-"))
        data = tmp / "data"
        build_archive(data)
    ok = True
    try:
        modes = [True] if args.cache_only else [False] if args.no_cache else [True, False]
        for cache in modes:
            results, errors, elapsed = measure(data, cache=cache, workers=workers, clients=clients,
                                               duration=duration)
            ok = report(results, errors, elapsed, "cached (response cache hits)" if cache
                        else "uncached (every request searches and renders)") and ok
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
