"""Turning files into issue records: which files a command line names, and parsing them in parallel.

Parsing is pure and the bulk of the work, so it runs in worker processes that return ready rows and index
fields (:class:`~gongbao.store.record.IssueRecord`); the archive's one writer only stores them. Workers
never touch the data directory, so killing an ingest at any moment can only lose work, never write half.
"""

from __future__ import annotations

import glob
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gongbao.errors import GongbaoError
from gongbao.sources import MAX_BYTES
from gongbao.sources.reading import PageOcr
from gongbao.store.longtext import LONG_JOIN
from gongbao.store.memory import trim_memory
from gongbao.store.record import IssueRecord, issue_record

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
                      ".ofd", ".docx", ".html", ".htm", ".shtml"})
"""What a directory walk picks up. A file named on the command line is read whatever its name: its form
is decided by content."""
_GLOB_CHARS = frozenset("*?[")

Progress = Callable[[int, int, Path, str], None]
"""``progress(done, total, path, outcome)``: called after each file; outcome is added, replaced,
unchanged or failed."""


@dataclass(slots=True)
class IngestReport:
    """What an ingest did. ``failed`` lists (path, one-line reason); the others count issues."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    documents: int = 0  # documents written (added or replaced issues)
    characters: int = 0  # characters of the files parsed
    seconds: float = 0.0
    issues: list[tuple[Path, str, str]] = field(default_factory=list)  # (path, issue id, outcome)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """One line for people: 新增 2 期，替换 0 期，未变 1 期，失败 0 个文件；写入 16 件文件，用时 1.2 秒."""
        rate = f"，{self.documents / self.seconds:.0f} 件/秒" if self.seconds > 0 and self.documents else ""
        return (f"新增 {self.added} 期，替换 {self.replaced} 期，未变 {self.unchanged} 期，失败 {len(self.failed)} "
                f"个文件；写入 {self.documents} 件文件，用时 {self.seconds:.1f} 秒{rate} "
                f"(added {self.added}, replaced {self.replaced}, unchanged {self.unchanged}, "
                f"failed {len(self.failed)})")


def expand(paths: Sequence[Path | str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files named by ``paths`` (files, directories searched recursively, glob patterns), in order,
    without duplicates; and the names that match nothing, with the reason."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    def add_dir(d: Path) -> None:
        found = sorted(f for f in d.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()
                       and not any(part.startswith(".") for part in f.relative_to(d).parts))
        if not found:
            missing.append((d, "目录中没有可读取的文件 (no .txt/.md/.pdf/image/.ofd/.docx/.html files in this directory)"))
        for f in found:
            add(f)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            add_dir(p)
        elif p.exists():
            add(p)
        elif _GLOB_CHARS & set(str(raw)):
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                missing.append((p, "没有匹配的文件 (no files match this pattern)"))
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    add_dir(mp)
                elif mp.suffix.lower() in SUFFIXES or len(matches) == 1:
                    add(mp)
        else:
            missing.append((p, "文件不存在 (no such file)"))
    return files, missing


def file_problem(path: Path, max_bytes: int) -> str | None:
    """Why ``path`` is refused before anything reads it (a FIFO or device would block the reader while
    it holds the archive's lock; /dev/zero never ends), or None."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        return "文件不存在 (no such file)"
    except OSError as exc:
        return f"无法读取 ({exc.strerror or exc})"
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件（设备、管道或套接字），未读取 (not a regular file: not read)"
    if st.st_size > max_bytes:
        return (f"文件过大（{st.st_size / 2**20:.1f} MB，上限 {max_bytes / 2**20:g} MB，可用 --max-size 调整） "
                f"(larger than the {max_bytes / 2**20:g} MB limit)")
    return None


def file_sha256(path: Path) -> str | None:
    """The content hash the reader will record, or None when the file cannot be read (the parse reports
    why)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


@dataclass(slots=True)
class Prepared:
    path: Path
    record: IssueRecord | None
    error: str | None
    characters: int = 0


def prepare(path: Path, ocr: str = "auto", data: bytes | None = None, page_ocr: PageOcr | None = None,
            max_bytes: int | None = None) -> Prepared:
    """Read, parse, extract and turn into rows; any failure becomes a one-line message, never a crash.

    ``data`` is the file's content when it was read elsewhere (a Dask worker on another machine does not
    see the client's files); ``page_ocr`` spreads a PDF's OCR over a cluster."""
    from gongbao.pipeline import load_bytes, load_issue

    try:
        if data is None and max_bytes is not None:
            from gongbao.sources import read_file_bytes

            data = read_file_bytes(path, max_bytes)
        if data is None:
            issue = load_issue(path, ocr=ocr)
        else:
            issue = load_bytes(data, str(path), ocr=ocr, page_ocr=page_ocr)
            data = None  # the issue has what it needs: the file's bytes (50 MB) need not outlive the parse
        chars = sum(len(line) for line in issue.lines)
        if chars > LONG_JOIN:  # the parse of a huge text left millions of freed objects in the C heap
            trim_memory()
        record = issue_record(issue)
        if record.long_text:
            del issue
            trim_memory()
        return Prepared(path, record, None, chars)
    except GongbaoError as exc:
        message = str(exc)
        prefix = f"{path}: "
        return Prepared(path, None, message[len(prefix):] if message.startswith(prefix) else message)
    except RecursionError:
        return Prepared(path, None, "文件结构过深，无法解析 (nesting too deep to parse)")
    except MemoryError:
        return Prepared(path, None, "文件过大，内存不足 (out of memory)")
    except Exception as exc:  # a parser bug must not stop the rest of the batch
        return Prepared(path, None, f"解析出错 (parser error: {type(exc).__name__}: {exc})"[:300])


def default_jobs() -> int:
    env = os.environ.get("GONGBAO_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(os.cpu_count() or 1, 4))


def start_method() -> str:
    """forkserver where the platform has it (Linux, macOS), else spawn (Windows)."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def prepared(paths: list[Path], jobs: int, ocr: str = "auto", *, workers: int | None = None,
             scheduler: str | None = None, max_bytes: int | None = None) -> Iterator[Prepared]:
    """``prepare`` every path, in order; in ``jobs`` worker processes when that pays off.

    At most ``2 × jobs`` files are in flight so a slow writer never piles parsed issues up in memory.
    Workers are started with *forkserver*: the parent may already run tantivy's threads (forking a
    threaded process is unsafe), and forked workers would inherit the archive's lock file descriptor and
    outlive a killed parent holding it. Windows has no forkserver; there *spawn* (its only method) serves.
    A few files are parsed in-process: starting workers costs more.
    With ``workers`` or ``scheduler`` the work goes to a Dask cluster instead (:mod:`gongbao.store.cluster`).
    """
    if workers or scheduler:
        from gongbao.store.cluster import prepared_on_cluster

        yield from prepared_on_cluster(paths, ocr, workers=workers, scheduler=scheduler,
                                       max_bytes=MAX_BYTES if max_bytes is None else max_bytes)
        return
    if jobs <= 1 or len(paths) < 4:
        for p in paths:
            yield prepare(p, ocr, max_bytes=max_bytes)
        return
    from gongbao import lifeline

    ctx = multiprocessing.get_context(start_method())
    # each worker leaves when this process dies (kill -9 included), so nothing is orphaned
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=lifeline.watch,
                             initargs=(os.getpid(),)) as pool:
        window: deque[Future[Prepared]] = deque()
        todo = iter(paths)
        for p in todo:
            window.append(pool.submit(prepare, p, ocr, max_bytes=max_bytes))
            if len(window) >= 2 * jobs:
                break
        while window:
            result = window.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                window.append(pool.submit(prepare, nxt, ocr, max_bytes=max_bytes))
            yield result
