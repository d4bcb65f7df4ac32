"""Parsing and OCR on a Dask cluster: a LocalCluster on this machine (``--workers N``) or an existing
cluster (``--scheduler tcp://HOST:PORT``).

OCR is the expensive step (seconds per page per core; a province's back issues are tens of thousands of
pages), so the work is spread two ways: each file is a task, and a PDF task that needs OCR hands its pages
back to the cluster as tasks of their own (from inside the worker, with ``worker_client``, which secedes
from the worker's thread pool while it waits, so a one-thread worker can run page tasks meanwhile). The
client reads every file and ships its bytes, so workers on other machines need no shared file system; the
archive stays single-writer: workers only return rows, the client writes them, issue by issue, in order.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from gongbao.errors import GongbaoError, UnusableInput
from gongbao.sources import MAX_BYTES, read_file_bytes
from gongbao.store.ingest import Prepared, prepare


class ClusterError(GongbaoError):
    """The Dask cluster could not be started or reached."""

    exit_code = 1


def _ocr_pages(data: bytes, indexes: Sequence[int]) -> list[list[Any]]:
    from gongbao.sources.pdf import ocr_pages_here

    return ocr_pages_here(data, indexes)


def cluster_page_ocr(data: bytes, indexes: Sequence[int]) -> list[list[Any]]:
    """OCR a PDF's pages as separate cluster tasks; run inside a worker task. With one page, or outside a
    worker, the pages are read here."""
    if len(indexes) <= 1:
        return _ocr_pages(data, indexes)
    try:
        from distributed import worker_client

        with worker_client() as client:
            [shared] = client.scatter([data], hash=False)
            futures = [client.submit(_ocr_pages, shared, [index], pure=False) for index in indexes]
            return [runs for page in client.gather(futures) for runs in page]
    except ValueError:  # not running inside a worker
        return _ocr_pages(data, indexes)


def _prepare_remote(name: str, data: bytes, ocr: str) -> Prepared:
    return prepare(Path(name), ocr, data, page_ocr=cluster_page_ocr)


@contextlib.contextmanager
def client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A Dask client: of the cluster at ``scheduler``, or of a LocalCluster of ``workers`` processes that
    ends with the block."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ClusterError(f"未安装 Dask distributed (dask distributed is not installed: {exc})") from None
    if scheduler:
        try:
            c = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"无法连接 Dask 调度器 {scheduler} (cannot reach the Dask scheduler: {exc})") from None
        try:
            yield c
        finally:
            c.close()
        return
    n = max(1, workers or 1)
    # each worker's OCR gets its share of the cores, so n workers do not fight over them
    threads = str(max(1, (os.cpu_count() or 1) // n))
    env = {"GONGBAO_OCR_THREADS": threads, "OMP_NUM_THREADS": threads}
    try:
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR, env=env)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"无法启动 Dask 本地集群 (cannot start a Dask LocalCluster: {exc})") from None
    try:
        with Client(cluster) as c:
            yield c
    finally:
        cluster.close()


def prepared_on_cluster(paths: list[Path], ocr: str, *, workers: int | None = None,
                        scheduler: str | None = None, max_bytes: int = MAX_BYTES) -> Iterator[Prepared]:
    """``prepare`` every path on the cluster; results in the order of ``paths``.

    At most a few files per worker are in flight, so a slow writer never piles parsed issues (or the
    bytes of large PDFs) up in memory."""
    with client(workers, scheduler) as c:
        width = max(2, 2 * len(c.scheduler_info().get("workers", {})) or 2 * (workers or 1))
        window: deque[tuple[Path, Any]] = deque()
        todo = iter(paths)

        def submit(path: Path) -> None:
            try:
                data = read_file_bytes(path, max_bytes)
            except UnusableInput as exc:
                message = str(exc)
                prefix = f"{path}: "
                window.append((path, Prepared(path, None, message.removeprefix(prefix))))
                return
            window.append((path, c.submit(_prepare_remote, str(path), data, ocr, pure=False)))

        for path in todo:
            submit(path)
            if len(window) >= width:
                break
        while window:
            path, item = window.popleft()
            if isinstance(item, Prepared):
                result = item
            else:
                try:
                    result = item.result()
                except Exception as exc:  # a worker died (KilledWorker) or the task could not run
                    result = Prepared(path, None, f"集群任务失败 (cluster task failed: {type(exc).__name__}: {exc})"[:300])
            nxt = next(todo, None)
            if nxt is not None:
                submit(nxt)
            yield result
