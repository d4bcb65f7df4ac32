"""Peak memory and time of ``gongbao parse`` and ``gongbao ingest`` on files made of one huge line.

    .venv/bin/python bench/longline.py                 # four 50 MB lines, figures for docs/benchmarks.md
    .venv/bin/python bench/longline.py --mb 10         # a quicker run
    .venv/bin/python bench/longline.py --keep DIR      # build the inputs in DIR and leave them there

Builds four inputs in a temporary directory (nothing is committed). The first three are a real issue
(``samples/ningxia-2022-02.txt``) with one line of ``--mb`` MB of UTF-8 put inside a document's body:

* ``prose``: the issue's body lines joined into one line, repeated until it is long enough;
* ``han``: Han characters with no sentence punctuation at all (no 。；！？);
* ``digits``: ASCII digits;
* ``whole``: the whole issue joined into one line, repeated to ``--mb`` MB: the file is that one line.

Each command runs as a fresh process; its peak RSS is the child's ``ru_maxrss``, taken with ``os.wait4``.
After each ingest a phrase from the middle of the line is searched for (``gongbao search``) to show that
the text was recorded and indexed, not dropped. Prints one line per input and command; ``--json`` the same
as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ningxia-2022-02.txt"
BODY = 150  # the sample's documents start after its masthead and contents
AT = 210  # the long line goes here, inside the body of a document


def build(kind: str, size: int, dest: Path) -> str:
    """Write input ``kind`` to ``dest``: a real issue with one line of ``size`` bytes put in the middle of
    a document's body (``whole``: the whole issue joined into one line of ``size`` bytes). Returns a phrase
    from the middle of the long line."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    rng = random.Random(13)
    if kind in ("prose", "whole"):
        unit = "".join(line.strip() for line in (lines if kind == "whole" else lines[BODY:]))
    elif kind == "han":
        # common characters of government prose in random order: no sentence ends, no recurring phrase
        chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
        unit = "".join(rng.choice(chars) for _ in range(200_000))
    elif kind == "digits":
        unit = "".join(rng.choice("0123456789") for _ in range(200_000))
    else:
        raise ValueError(kind)
    data = unit.encode("utf-8")
    with dest.open("wb") as fh:
        if kind != "whole":
            fh.write("\n".join(lines[:AT]).encode("utf-8") + b"\n")
        start = fh.tell()
        written = 0
        while written < size:
            chunk = data[: size - written].decode("utf-8", errors="ignore").encode("utf-8")  # whole characters
            if not chunk:
                break
            fh.write(chunk)
            written += len(chunk)
        if kind != "whole":
            fh.write(b"\n" + "\n".join(lines[AT:]).encode("utf-8") + b"\n")
    if kind in ("prose", "whole"):
        # where one copy of the text meets the next: found only in the long line
        return unit[-4:] + unit[:4]
    with dest.open("rb") as fh:
        fh.seek(start + size // 2)
        piece = fh.read(64).decode("utf-8", errors="ignore")
    # a phrase search can find: 8 characters (digits: a 12-digit run, one token)
    return piece[2:10] if kind == "han" else piece[:12]


def run(cmd: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    """(exit status, seconds, peak RSS in MB, last stderr/stdout line) of ``cmd`` as a fresh process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        tail = out.read()[-4000:].decode("utf-8", errors="replace").strip().splitlines()
    return proc.returncode, seconds, usage.ru_maxrss // 1024, tail[-1][:160] if tail else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="size of each line in MB (default 50)")
    parser.add_argument("--kinds", default="prose,han,digits,whole", help="inputs to build (default all four)")
    parser.add_argument("--commands", default="parse,ingest", help="commands to run (default both)")
    parser.add_argument("--keep", type=Path, help="build the inputs in this directory and keep them")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    gongbao = [sys.executable, "-m", "gongbao"]
    results = []
    with tempfile.TemporaryDirectory(prefix="longline-") as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for kind in args.kinds.split(","):
            path = base / f"longline-{kind}.txt"
            phrase = build(kind, int(args.mb * 2**20), path)
            data = base / f"data-{kind}"
            shutil.rmtree(data, ignore_errors=True)
            commands = (("parse", [*gongbao, "parse", str(path)]),
                        ("ingest", [*gongbao, "ingest", str(path), "--data", str(data), "--jobs", "1"]))
            for name, cmd in commands:
                if name not in args.commands.split(","):
                    continue
                status, seconds, rss, tail = run(cmd, env)
                row = {"input": kind, "MB": round(path.stat().st_size / 2**20, 1), "command": name,
                       "exit": status, "seconds": round(seconds, 1), "peak_rss_mb": rss, "last_line": tail}
                if name == "ingest" and status == 0:
                    found = subprocess.run([*gongbao, "search", f'"{phrase}"', "--data", str(data), "--json"],
                                           env=env, capture_output=True, text=True)
                    hits = json.loads(found.stdout)["hits"] if found.returncode == 0 else []
                    row["search"] = phrase
                    row["found"] = any("<mark>" in hit["snippet"] for hit in hits)
                results.append(row)
                if not args.json:
                    extra = f"  search {row['search']!r}: {'found' if row['found'] else 'NOT FOUND'}" \
                        if "found" in row else ""
                    print(f"{kind:7} {row['MB']:6} MB  {name:6}  exit {status}  {seconds:7.1f} s  "
                          f"peak RSS {rss:5} MB{extra}  | {tail}", flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
