"""Shared by the web tests: one real archive of the sample issues and one real server per test run.

Built on first use and cached for the whole process (pytest runs all test modules in one process), so
the API, page, export and browser tests share a single ingest and a single uvicorn server. Nothing here
is a mock: the archive is gongbao.store.Archive over samples/, the server is uvicorn on a free loopback
port serving gongbao.web.app.create_app.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
ARTIFACTS = ROOT / "test-artifacts"


@cache
def archive_dir() -> Path:
    """A data directory holding the sample issues, ingested once."""
    from gongbao.store import Archive

    tmp = Path(tempfile.mkdtemp(prefix="gongbao-webtest-"))
    atexit.register(shutil.rmtree, tmp, True)
    data = tmp / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES)
    return data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@cache
def live_server() -> str:
    """Base URL of a uvicorn server (own thread, free loopback port) serving the sample archive."""
    return serve(archive_dir())


@cache
def lifecycle_archive_dir() -> Path:
    """The sample issues plus the real-shaped repeal, amend and 清理 documents of tests/data/lifecycle."""
    from gongbao.store import Archive

    tmp = Path(tempfile.mkdtemp(prefix="gongbao-lifecycle-"))
    atexit.register(shutil.rmtree, tmp, True)
    data = tmp / "data"
    with Archive(data) as archive:
        archive.ingest([*SAMPLES, *sorted((ROOT / "tests" / "data" / "lifecycle").glob("*.txt"))])
    return data


@cache
def lifecycle_server() -> str:
    """Base URL of a server over :func:`lifecycle_archive_dir`."""
    return serve(lifecycle_archive_dir())


def serve(data: Path) -> str:
    """Start a uvicorn server (own thread, free loopback port) over the archive in ``data``."""
    import uvicorn

    from gongbao.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(data), host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="gongbao-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)

    atexit.register(stop)
    return f"http://127.0.0.1:{port}"


def doc_id(client: httpx.Client, number: str) -> str:
    """The id of the document with 文号 ``number`` (any spelling), through the API."""
    return client.get("/api/v1/resolve", params={"ref": number}).json()["id"]
