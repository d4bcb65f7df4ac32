"""Fault injection: kill -9 ingest and reindex at random moments, then prove the archive whole.

    .venv/bin/python bench/faults.py                  # 30 kills, figures for docs/benchmarks.md
    .venv/bin/python bench/faults.py --rounds 3       # a quick run (the test suite runs a few)

Setup: ``--issues`` distinct issues (the sample texts renumbered) and a reference archive of all of them,
ingested without interruption. Each round starts ``gongbao ingest`` (new issues, some re-ingested with
``--force`` so replacements write index delete files) or ``gongbao reindex`` as a separate process, kills
it with SIGKILL after a random delay within its measured run time (a third of the kills are aimed at the
end of the run, where the index commit happens), then checks:

1. ``gongbao check`` finds nothing that cannot be repaired (the record is sound); ``check --repair`` leaves
   it passing ``check``;
2. the record holds exactly the issues whose ingest finished: every stored issue is identical (document
   ids and text) to the reference, and every issue of an ingest that ran to its end is there;
3. search equals a substring scan of the record for a set of terms (every hit, no other);
4. no process of the killed command is left.

Prints one line per round and a summary; ``--json`` the same as JSON. Exit 1 on any violation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
TERMS = ["宁夏", "规划", "中卫", "医疗保障", "实施方案", "十四五", "数据", "指标", "责任单位", "通知"]
_ISSUE_NUMBER_RE = re.compile(r"(?<!总)(第\s*)(\d+)(\s*期)")


def make_issues(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        text = SAMPLES[i % len(SAMPLES)].read_text("utf-8")
        lines = text.split("\n")
        head = _ISSUE_NUMBER_RE.sub(lambda m, n=31 + i: f"{m.group(1)}{n}{m.group(3)}", "\n".join(lines[:60]))
        path = folder / f"{SAMPLES[i % len(SAMPLES)].stem}-n{31 + i}.txt"
        path.write_text("\n".join([head, *lines[60:]]), "utf-8")
        out.append(path)
    return out


def env() -> dict[str, str]:
    src = str(ROOT / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


def gongbao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True, env=env(),
                          timeout=600)


def issues_of(data: Path) -> dict[str, str]:
    """Issue id → digest of its documents (ids and searchable text), read from the record."""
    conn = sqlite3.connect(f"file:{data / 'archive.sqlite3'}?mode=ro", uri=True)
    try:
        out: dict[str, hashlib._Hash] = {}
        for issue in conn.execute("SELECT id FROM issues"):
            out[issue[0]] = hashlib.sha256()
        for issue_id, doc_id, text in conn.execute(
                "SELECT d.issue_id, d.id, t.text FROM documents d JOIN document_text t ON t.document_id = d.id "
                "ORDER BY d.issue_id, d.seq"):
            out[issue_id].update(f"{doc_id}\n{text}\n".encode())
        return {k: v.hexdigest() for k, v in out.items()}
    finally:
        conn.close()


def scan(data: Path, term: str) -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from gongbao.store.tokens import squeeze

    conn = sqlite3.connect(f"file:{data / 'archive.sqlite3'}?mode=ro", uri=True)
    try:
        want = squeeze(term)
        return {doc_id for doc_id, title, text in conn.execute(
            "SELECT d.id, d.title, t.text FROM documents d JOIN document_text t ON t.document_id = d.id")
            if want in squeeze(f"{title}\n{text}")}
    finally:
        conn.close()


def searched(data: Path, terms: list[str]) -> dict[str, set[str]]:
    """Every hit of each term, through the archive's search (read-only, as ``gongbao search`` opens it)."""
    sys.path.insert(0, str(ROOT / "src"))
    from gongbao.store import Archive

    out: dict[str, set[str]] = {}
    with Archive(data, readonly=True) as archive:
        for term in terms:
            found: set[str] = set()
            page = 1
            while True:
                result = archive.search(term, page=page, limit=100)
                found |= {h["id"] for h in result["hits"]}
                if page * 100 >= result["total"]:
                    break
                page += 1
            out[term] = found
    return out


def descendants(pid: int) -> list[int]:
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except Exception:
        return []


def still_alive(pids: list[int], wait: float = 5.0) -> list[int]:
    import psutil

    deadline = time.monotonic() + wait
    while True:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def run(rounds: int, issues: int, seed: int, quiet: bool = False) -> dict[str, object]:
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="gongbao-faults-"))
    try:
        files = make_issues(tmp / "in", issues)
        reference = tmp / "reference"
        started = time.perf_counter()
        r = gongbao("ingest", "-d", str(reference), "--jobs", "2", *map(str, files))
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        full_run = time.perf_counter() - started
        started = time.perf_counter()
        gongbao("ingest", "-d", str(tmp / "one"), str(files[0]))
        one_run = time.perf_counter() - started  # start-up, one issue, the final commit
        per_file = max(0.05, (full_run - one_run) / max(1, len(files) - 1))
        shutil.rmtree(tmp / "one", ignore_errors=True)
        expected = issues_of(reference)
        data = tmp / "data"
        finished: set[str] = set()  # issues of ingests that ran to their end
        stored_file_issue = {}  # file → issue id (from the reference)
        for line in json.loads(gongbao("ingest", "-d", str(reference), "--json", *map(str, files)).stdout)["issues"]:
            stored_file_issue[line["path"]] = line["id"]
        rows = []
        violations = []
        n = 0
        while sum(r["killed"] for r in rows) < rounds and n < 3 * rounds:  # until ``rounds`` kills
            n += 1
            have = issues_of(data) if (data / "archive.sqlite3").exists() else {}
            if have and rng.random() < 0.25:
                op, args, chosen = "reindex", ["reindex", "-d", str(data)], []
            else:
                new = [f for f in files if stored_file_issue[str(f)] not in have]
                old = [f for f in files if stored_file_issue[str(f)] in have]
                # new issues while there are any, and always a few stored ones again (--force: replacements,
                # whose index commit writes delete files), so every run lasts long enough to be killed
                chosen = (rng.sample(new, min(len(new), rng.randint(2, 6)))
                          + rng.sample(old, min(len(old), rng.randint(2, 6) if new else rng.randint(5, 9))))
                if not chosen:
                    chosen = rng.sample(files, 3)
                op = "ingest"
                args = ["ingest", "-d", str(data), "--force", "--jobs", str(rng.choice([1, 2])), *map(str, chosen)]
            # a third of the kills aimed at the end of the run (the index commit), the rest anywhere in it
            expected_run = one_run * 1.2 + per_file * len(chosen) * 2 if chosen else one_run + per_file * 6
            delay = expected_run * (rng.uniform(0.8, 1.3) if rng.random() < 0.34 else rng.uniform(0.2, 1.0))
            proc = subprocess.Popen([sys.executable, "-m", "gongbao", *args], env=env(),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            kids = descendants(proc.pid)
            killed = proc.poll() is None
            if killed:
                proc.send_signal(signal.SIGKILL)
            code = proc.wait()
            if not killed and code == 0 and op == "ingest":
                finished |= {stored_file_issue[str(f)] for f in chosen}
            orphans = still_alive(kids)
            check = gongbao("check", "-d", str(data), "--json")
            findings = json.loads(check.stdout)["findings"] if check.stdout.strip() else [
                {"repairable": False, "message": check.stderr}]
            unrepairable = [f["message"] for f in findings if not f["repairable"]]
            repair = gongbao("check", "-d", str(data), "--repair") if findings else check
            after = gongbao("check", "-d", str(data)) if findings else check
            stored = issues_of(data)
            wrong = [i for i, digest in stored.items() if expected.get(i) != digest]
            lost = sorted(finished - set(stored))
            hits = searched(data, TERMS)
            mismatched = [t for t in TERMS if hits[t] != scan(data, t)]
            row = {"round": n, "op": op, "delay_s": round(delay, 2), "killed": killed, "issues": len(stored),
                   "check_findings": len(findings), "findings": sorted({f["message"][:40] for f in findings}),
                   "unrepairable": len(unrepairable), "repaired_ok": repair.returncode == 0 and after.returncode == 0,
                   "partial_issues": len(wrong), "lost_issues": len(lost), "search_mismatches": mismatched,
                   "orphans": len(orphans)}
            rows.append(row)
            bad = unrepairable or not row["repaired_ok"] or wrong or lost or mismatched or orphans
            if bad:
                violations.append({**row, "check": unrepairable, "repair": repair.stderr[-300:]})
            if not quiet:
                print(f"{n:3d} {op:8s} kill at {delay:5.2f}s{'' if killed else ' (had finished)'}: "
                      f"{row['issues']} issues, check {row['check_findings']} findings "
                      f"({row['unrepairable']} unrepairable), repair {'ok' if row['repaired_ok'] else 'FAILED'}, "
                      f"partial {len(wrong)}, lost {len(lost)}, search mismatches {len(mismatched)}, "
                      f"orphans {len(orphans)}" + (f"; found: {' | '.join(row['findings'])}" if findings else ""),
                      flush=True)
        return {"rounds": len(rows), "kills": sum(r["killed"] for r in rows),
                "kills_ingest": sum(r["killed"] and r["op"] == "ingest" for r in rows),
                "kills_reindex": sum(r["killed"] and r["op"] == "reindex" for r in rows),
                "findings_before_repair": sum(r["check_findings"] for r in rows),
                "violations": violations, "rows": rows}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=30, help="kills to make (runs that finish first do not count)")
    ap.add_argument("--issues", type=int, default=24)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = run(min(args.rounds, 200), min(args.issues, 200), args.seed, quiet=args.json)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "rows"}, ensure_ascii=False, indent=2))
    else:
        print(f"{result['kills']} kills ({result['kills_ingest']} ingest, {result['kills_reindex']} reindex) in "
              f"{result['rounds']} rounds; {result['findings_before_repair']} findings repaired; "
              f"{len(result['violations'])} violations")
    return 1 if result["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
