"""``gongbao serve``, ``gongbao demo`` and ``gongbao export``: the web site and whole-archive exports.

``demo`` is the first command a new user runs: it builds an archive from the sample issues shipped with
gongbao (the repository's ``samples/``, or the copy inside the package when installed from a wheel) and
serves it, so the site is on screen with real gazettes within seconds.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from gongbao.cli.archive_cmd import DEFAULT_DATA, DataOption, require_archive
from gongbao.errors import GongbaoError, StorageError, UnusableInput

SAMPLE_PREFIX = "sample-"
HostOption = Annotated[str, typer.Option(help="监听地址 (address to listen on)")]
PortOption = Annotated[int, typer.Option(min=1, max=65535, help="端口 (port)")]


def find_samples() -> list[Path]:
    """The sample issues: the repository's samples/ (editable install, checkout) or the packaged copy."""
    here = Path(__file__).resolve()
    candidates = [here.parents[3] / "samples", Path.cwd() / "samples"]
    for folder in candidates:
        files = sorted(p for p in folder.glob("*.txt") if p.is_file()) if folder.is_dir() else []
        if files:
            return files
    packaged = resources.files("gongbao") / "data"
    files = []
    if packaged.is_dir():
        for entry in packaged.iterdir():
            if entry.name.startswith(SAMPLE_PREFIX) and entry.name.endswith(".txt"):
                files.append(Path(str(entry)))
    return sorted(files)


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message before uvicorn prints a traceback-like error for a busy port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise GongbaoError(f"端口 {port} 已被占用，请用 --port 换一个端口 (port {port} is in use)") from exc
            raise GongbaoError(f"无法监听 {host}:{port}：{exc.strerror} (cannot listen)") from exc




def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def _needs_repair(data: Path) -> bool:
    """Whether start-up has something to mend: the index behind the record (or missing, or another
    record's), a killed writer's leftovers, or an archive a read-only open refuses (a schema to upgrade)."""
    from gongbao.store import Archive

    try:
        with Archive(data, readonly=True) as archive:
            return not archive.index_current() or bool(archive.index.leftovers())
    except GongbaoError:
        return True  # the writable open upgrades what it can, and a damaged record stops there


def prepare_archive(data: Path) -> None:
    """Before serving: when the index lags the record or a killed writer left files behind, a writable open
    repairs what it safely can when nobody else writes; a current archive is only opened read-only. On
    read-only media, or when the repair fails, the archive is served as it is and /api/v1/health says
    whether the index is behind. A damaged record stops here."""
    from gongbao.store import Archive

    if not _needs_repair(data):
        return
    try:
        Archive(data).close()
    except StorageError as exc:
        if "损坏" in str(exc) or "corrupt" in str(exc):
            raise
    except GongbaoError:
        pass
    Archive(data, readonly=True).close()  # one clear line now rather than errors on every page


def run_server(data: Path, host: str, port: int, *, cache: bool = True, log_level: str = "warning",
               workers: int = 1, base_url: str | None = None) -> None:
    """Serve the archive in ``data`` until interrupted (SIGINT/SIGTERM: requests in flight finish).

    uvicorn is given the app *factory* (:func:`gongbao.web.app.serve_app`), so ``workers`` processes each
    build their own app over the same archive; settings travel in the environment."""
    import uvicorn

    from gongbao import lifeline
    from gongbao.web import app as web_app

    _check_port(host, port)
    prepare_archive(data)
    shown = f"[{host}]" if ":" in host else host
    if base_url is None and host not in ("0.0.0.0", "::"):
        base_url = f"http://{shown}:{port}"
    os.environ[web_app.ENV_DATA] = str(Path(data).resolve())
    os.environ[web_app.ENV_CACHE] = "1" if cache else "0"
    os.environ[web_app.ENV_BASE_URL] = base_url or ""
    os.environ[lifeline.ENV_OWNER] = str(os.getpid())
    print(f"公报档案已启动：http://{shown}:{port}/  （{workers} 个进程；按 Ctrl+C 停止）", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print("注意：服务监听在非本机地址，局域网内的其他机器也能访问。", file=sys.stderr)
        if not base_url:
            print("注意：未设置 --base-url，订阅与导出中的链接将指向监听地址。", file=sys.stderr)
    uvicorn.run("gongbao.web.app:serve_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False, server_header=False, timeout_graceful_shutdown=10)


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UnusableInput(f"--base-url 应为 http(s)://主机[:端口][/路径] (not a base URL: {value!r})")
    return value.strip().rstrip("/")


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        data: DataOption = DEFAULT_DATA,
        host: HostOption = "127.0.0.1",
        port: PortOption = 8000,
        no_cache: Annotated[bool, typer.Option("--no-cache", help="不缓存页面 (no response cache)")] = False,
        workers: Annotated[int | None, typer.Option(
            "--workers", "-w", min=1, max=64, help="服务进程数，默认为 CPU 核数 (server processes; default: cores)")
        ] = None,
        base_url: Annotated[str | None, typer.Option(
            "--base-url", help="对外地址，订阅与导出中的绝对链接以此为准，如 https://gongbao.example.org "
                               "(public base URL for absolute links)")] = None,
    ) -> None:
        """Serve the archive as a web site and HTTP API (read-only). 启动网站与接口。"""
        require_archive(data, " 或 gongbao demo")
        run_server(data, host, port, cache=not no_cache, workers=workers or default_workers(),
                   base_url=_base_url(base_url))

    @app.command()
    def demo(
        data: DataOption = DEFAULT_DATA,
        host: HostOption = "127.0.0.1",
        port: PortOption = 8000,
        no_serve: Annotated[bool, typer.Option("--no-serve", help="只建档，不启动网站 (build only)")] = False,
    ) -> None:
        """Build an archive from the bundled sample issues and serve it. 载入示例公报并启动网站。"""
        samples = find_samples()
        if not samples:
            raise UnusableInput("找不到示例公报 (no sample issues found: samples/ or the packaged copy)")
        from gongbao.store import Archive

        data.mkdir(parents=True, exist_ok=True)
        print(f"载入 {len(samples)} 期示例公报到 {data} …", flush=True)
        with Archive(data) as archive:
            report = archive.ingest(samples)
            counts = archive.counts()
        print(report.summary())
        print(f"档案中共有 {counts['gazettes']} 种公报、{counts['issues']} 期、{counts['documents']} 件文件"
              f"（{counts['tasks']} 项任务、{counts['indicators']} 项经济指标）", flush=True)
        if not no_serve:
            run_server(data, host, port)

    @app.command()
    def export(
        format: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | xlsx")] = "jsonl",
        data: DataOption = DEFAULT_DATA,
        output: Annotated[Path | None, typer.Option("--output", "-o",
                                                    help="输出文件；jsonl/csv 缺省时写到标准输出")] = None,
    ) -> None:
        """Export the whole archive: one record per document. 导出整个档案。"""
        from gongbao.store.export import ARCHIVE_FORMATS, export_archive

        if format not in ARCHIVE_FORMATS:
            raise UnusableInput(f"不支持的格式 {format!r}，可用：{', '.join(ARCHIVE_FORMATS)} (unknown format)")
        require_archive(data)
        if output is None and format == "xlsx":
            output = Path("gongbao-export.xlsx")
        from gongbao.store import Archive

        with Archive(data, readonly=True) as archive:
            if output is None:
                count = export_archive(archive, format, sys.stdout.buffer)
                sys.stdout.flush()
            else:
                count = export_archive(archive, format, output)
        target = "标准输出" if output is None else str(output)
        print(f"已导出 {count} 件文件到 {target}", file=sys.stderr)
