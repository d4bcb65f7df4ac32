"""The one path from a file to an enriched :class:`~gongbao.model.Issue`: read → parse → extract.

Readers do the I/O; parsing and extraction are pure. The CLI, the archive and the benchmarks all load
issues through here, so they see the same facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gongbao.errors import UnusableInput
from gongbao.extract import enrich
from gongbao.model import Issue, Source
from gongbao.parse import parse_lines
from gongbao.sources import read_bytes, read_source
from gongbao.sources.reading import PageOcr, Progress


def load_issue(path: str | Path, *, ocr: str = "auto", progress: Progress | None = None) -> Issue:
    """Read, parse and enrich one file. Raises UnusableInput with a one-line message."""
    return parse_source(*read_source(path, ocr=ocr, progress=progress))


def load_bytes(data: bytes, name: str, *, ocr: str = "auto", page_ocr: PageOcr | None = None) -> Issue:
    """:func:`load_issue` for content already in memory (a file shipped to a remote Dask worker)."""
    return parse_source(*read_bytes(data, name, ocr=ocr, page_ocr=page_ocr))


def parse_source(source: Source, lines: list[str]) -> Issue:
    """Parse and enrich what a reader gave."""
    try:
        issue = parse_lines(lines, source)
    except UnusableInput as exc:
        raise UnusableInput(f"{source.path}: {exc}") from None
    return enrich(issue)


def load_each(paths: Iterable[str | Path], on_unusable: Callable[[Path, UnusableInput], None], *,
              ocr: str = "auto", progress: Progress | None = None) -> Iterator[Issue]:
    """Load several files in order; an unusable one is passed to ``on_unusable`` and the rest go on.

    The batch commands (parse, tasks) share this so that one bad file never stops the others."""
    for path in paths:
        try:
            yield load_issue(path, ocr=ocr, progress=progress)
        except UnusableInput as exc:
            on_unusable(Path(path), exc)
