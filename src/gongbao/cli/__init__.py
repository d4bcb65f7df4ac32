"""The ``gongbao`` command line: one Typer app, one module per group of commands.

Every command turns a :class:`~gongbao.errors.GongbaoError` into a one-line message on stderr and its
exit code (2 for unusable input), never a traceback.
"""

from __future__ import annotations

import sys

import typer

from gongbao.errors import GongbaoError

app = typer.Typer(
    name="gongbao",
    help="gongbao 公报: Chinese government gazettes as a structured, searchable archive.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from gongbao.cli import parse_cmd

    for module in (parse_cmd,):
        module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gongbao`` script."""
    _register()
    try:
        app(args=argv, standalone_mode=False)
    except GongbaoError as exc:
        print(f"gongbao: {exc}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("gongbao: 已中止 (aborted)", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("gongbao: 已中止 (interrupted)", file=sys.stderr)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Exit):
            return exc.exit_code
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
