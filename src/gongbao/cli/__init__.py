"""The ``gongbao`` command line: one Typer app, one module per group of commands.

Every command turns a :class:`~gongbao.errors.GongbaoError` into a one-line message on stderr and its
exit code (2 for unusable input), never a traceback.
"""

from __future__ import annotations

import enum
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import typer

from gongbao.errors import GongbaoError, StorageError, UnusableInput, storage_message

app = typer.Typer(
    name="gongbao",
    help="gongbao 公报: Chinese government gazettes as a structured, searchable archive.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def report_unusable(failed: list[Path]) -> Callable[[Path, UnusableInput], None]:
    """A callback for :func:`gongbao.pipeline.load_each`: one line on stderr, the path remembered."""

    def report(path: Path, exc: UnusableInput) -> None:
        print(f"gongbao: {exc}", file=sys.stderr)
        failed.append(path)

    return report


class OcrBar:
    """A progress bar for OCR'd pages with pages/s, on stderr, only when stderr is a terminal.

    OCR takes seconds a page, so a user reading a scanned issue must see that work goes on."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self._bar = Progress(TextColumn("OCR 识别"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[rate]} 页/秒"), TimeRemainingColumn(),
                             console=console, transient=True, disable=not console.is_terminal)
        self._task = self._bar.add_task("ocr", total=None, rate="—")

    def __enter__(self) -> OcrBar:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(None, None, None)

    def __call__(self, done: int, total: int) -> None:
        if done == 1:
            self._bar.reset(self._task, total=total, rate="—")
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 0.0
        rate = f"{done / elapsed:.2f}" if elapsed > 0 else "—"
        self._bar.update(self._task, completed=done, total=total, rate=rate)


class OcrMode(enum.StrEnum):
    """``--ocr``: decide per page (auto), OCR every page (always), or read text layers only (never)."""

    auto = "auto"
    always = "always"
    never = "never"


OCR_HELP = "扫描页识别：auto 按页判断，always 全部识别，never 不识别 (OCR: auto per page, always, never)"


@app.callback()
def _root() -> None:
    """gongbao 公报: Chinese government gazettes as a structured, searchable archive."""


def _register() -> None:
    from gongbao.cli import archive_cmd, check_cmd, parse_cmd, tasks_cmd, web_cmd

    for module in (parse_cmd, web_cmd, tasks_cmd, archive_cmd, check_cmd):
        module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gongbao`` script. Usage errors are reported by Typer (exit 2)."""
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except GongbaoError as exc:
        print(f"gongbao: {exc}", file=sys.stderr)
        return exc.exit_code
    except (OSError, sqlite3.Error, MemoryError) as exc:  # disk full, permission, damaged database …
        print(f"gongbao: {storage_message(exc)}", file=sys.stderr)
        return StorageError.exit_code
    except KeyboardInterrupt:
        print("gongbao: 已中止 (interrupted)", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
