"""The ``gongbao`` command line: one Typer app, one module per group of commands.

Every command turns a :class:`~gongbao.errors.GongbaoError` into a one-line message on stderr and its
exit code (2 for unusable input), never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from gongbao.errors import GongbaoError, UnusableInput

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


@app.callback()
def _root() -> None:
    """gongbao 公报: Chinese government gazettes as a structured, searchable archive."""


def _register() -> None:
    from gongbao.cli import archive_cmd, parse_cmd, tasks_cmd, web_cmd

    for module in (parse_cmd, web_cmd, tasks_cmd, archive_cmd):
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
    except KeyboardInterrupt:
        print("gongbao: 已中止 (interrupted)", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
