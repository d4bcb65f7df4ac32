"""The one path from a file to an enriched :class:`~gongbao.model.Issue`: read → parse → extract.

Readers do the I/O; parsing and extraction are pure. The CLI, the archive and the benchmarks all load
issues through here, so they see the same facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gongbao.errors import UnusableInput
from gongbao.extract import enrich
from gongbao.model import Issue
from gongbao.parse import parse_lines
from gongbao.sources.text import read_source


def load_issue(path: str | Path) -> Issue:
    """Read, parse and enrich one file. Raises UnusableInput with a one-line message."""
    source, lines = read_source(path)
    try:
        issue = parse_lines(lines, source)
    except UnusableInput as exc:
        raise UnusableInput(f"{path}: {exc}") from None
    return enrich(issue)


def load_each(paths: Iterable[str | Path], on_unusable: Callable[[Path, UnusableInput], None]) -> Iterator[Issue]:
    """Load several files in order; an unusable one is passed to ``on_unusable`` and the rest go on.

    The batch commands (parse, tasks) share this so that one bad file never stops the others."""
    for path in paths:
        try:
            yield load_issue(path)
        except UnusableInput as exc:
            on_unusable(Path(path), exc)
