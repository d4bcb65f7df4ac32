"""The archive, the CLI and the web app use no POSIX-only module, so they run on Windows, where most of our
users work. Checked here on Linux by importing every module of the package in a fresh interpreter in
which the POSIX-only modules cannot be imported (as on Windows), and by the start method of ingest's
worker processes when the platform has no forkserver."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap

# Not posix itself: os is built on it here, so blocking it would break os.
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "resource", "pwd", "grp", "crypt", "syslog")


def test_every_module_imports_without_posix_only_modules() -> None:
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys
        for name in {POSIX_ONLY!r}:
            sys.modules[name] = None  # import fails as on Windows
        import gongbao
        failed = []
        for info in pkgutil.walk_packages(gongbao.__path__, "gongbao."):
            if info.name == "gongbao.__main__":
                continue
            try:
                importlib.import_module(info.name)
            except ImportError as exc:
                failed.append(f"{{info.name}}: {{exc}}")
        print("\\n".join(failed))
        sys.exit(1 if failed else 0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


def test_ingest_workers_start_without_forkserver(monkeypatch) -> None:
    from gongbao.store import ingest

    assert ingest.start_method() == "forkserver"  # here (Linux)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # Windows offers only spawn
    assert ingest.start_method() == "spawn"
    multiprocessing.get_context(ingest.start_method())  # a context that exists on Windows
