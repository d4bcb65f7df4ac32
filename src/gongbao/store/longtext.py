"""Megabyte-long texts kept as their pieces, and written to SQLite a piece at a time.

An issue with a 50 MB line holds that line in several texts of its record: the issue's source (its
lines joined), the document's text (its blocks joined) and the document's squeezed text (the index's).
Joined into one Python string, each costs one, two or four bytes a character by its widest character: a
line of ASCII digits inside an issue of Han text costs 100 MB per copy, while its lines or blocks alone
cost 50 MB together and are already held by the issue. So a text over :data:`LONG_JOIN` characters stays
a :class:`Joined` of its pieces; :func:`insert_joined` writes it as the same TEXT value a bound string
would have made, without a joined string or its UTF-8 copy ever existing in Python.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["LONG_JOIN", "Joined", "insert_joined", "join_long", "read_text"]

LONG_JOIN = 1 << 20
"""Texts longer than this many characters are kept as :class:`Joined` pieces (no real issue has one)."""
WRITE_CHUNK = 1 << 20
"""Characters encoded and written to SQLite at a time."""


class Joined:
    """``sep.join(pieces)`` not yet joined. Sliceable and sized like the string it stands for; ``str()``
    joins it."""

    __slots__ = ("_ends", "pieces", "segments", "sep")

    def __init__(self, pieces: Sequence[str], sep: str = "") -> None:
        self.pieces = tuple(pieces)
        self.sep = sep
        # the pieces with the separators between them (what the text is made of, in order), and where
        # each of those ends in the joined text
        self.segments = [s for n, p in enumerate(self.pieces) for s in ((sep, p) if n and sep else (p,))]
        self._ends = list(itertools.accumulate(len(s) for s in self.segments))

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to and from worker processes without the offsets
        return (Joined, (self.pieces, self.sep))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __str__(self) -> str:
        return self.sep.join(self.pieces)

    def __repr__(self) -> str:  # what bench/snapshot.py fingerprints: the text itself
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Joined | str):
            return str(self) == str(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, index: slice) -> str:
        """``str(self)[start:stop]`` (step 1 only), copying only the pieces it covers."""
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Joined supports slices with step 1 only")
        start, stop, _ = index.indices(len(self))
        out: list[str] = []
        i = bisect.bisect_right(self._ends, start)
        while start < stop:
            segment, end = self.segments[i], self._ends[i]
            begin = end - len(segment)
            out.append(segment[start - begin:min(stop, end) - begin])
            start, i = end, i + 1
        return "".join(out)

    def utf8(self, chunk: int = WRITE_CHUNK) -> Iterator[bytes]:
        """The UTF-8 encoding of the text, a piece (or ``chunk`` characters of a longer piece) at a time."""
        for segment in self.segments:
            yield from _encoded(segment, chunk)

    def utf8_size(self) -> int:
        """Bytes of the text's UTF-8 encoding (ASCII pieces are counted without encoding them, the others
        encoded a chunk at a time: a long block's text is one piece)."""
        return sum(len(s) if s.isascii() else sum(map(len, _encoded(s, WRITE_CHUNK))) for s in self.segments)


def _encoded(text: str, chunk: int) -> Iterator[bytes]:
    """The UTF-8 encoding of ``text``, ``chunk`` characters at a time."""
    for at in range(0, len(text), chunk):
        yield text[at:at + chunk].encode("utf-8")


def join_long(pieces: Sequence[str], sep: str) -> str | Joined:
    """``sep.join(pieces)``, or a :class:`Joined` of them when that is over :data:`LONG_JOIN` characters."""
    if sum(len(p) for p in pieces) + len(sep) * max(0, len(pieces) - 1) <= LONG_JOIN:
        return sep.join(pieces)
    return Joined(pieces, sep)


def insert_joined(conn: sqlite3.Connection, table: str, columns: Sequence[str], row: Sequence[Any]) -> None:
    """Insert ``row`` into ``table``, each :class:`Joined` value of it as one TEXT value.

    The row goes in with a TEXT of zero bytes as long as the text's UTF-8 (``CAST(zeroblob(n) AS TEXT)``:
    SQLite's own copy, freed when the statement ends), then the text is written into it through SQLite's
    incremental blob I/O, a megabyte at a time. Binding the joined string instead held it, its UTF-8 copy
    and SQLite's on top. The stored value is the same TEXT either way. ``table`` must have rowids; a
    database not in UTF-8 gets the joined strings bound as usual."""
    names = ", ".join(columns)
    if conn.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
        marks = ", ".join("?" * len(row))
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                     [str(v) if isinstance(v, Joined) else v for v in row])
        return
    long = [i for i, value in enumerate(row) if isinstance(value, Joined)]
    marks = ", ".join("CAST(zeroblob(?) AS TEXT)" if i in long else "?" for i in range(len(row)))
    values = [v.utf8_size() if isinstance(v, Joined) else v for v in row]
    rowid = conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", values).lastrowid
    assert rowid is not None
    for i in long:
        text = row[i]
        assert isinstance(text, Joined)
        with conn.blobopen(table, columns[i], rowid) as blob:
            for chunk in text.utf8():
                blob.write(chunk)


def read_text(conn: sqlite3.Connection, table: str, column: str, rowid: int) -> str | Joined:
    """The TEXT value of ``column`` in row ``rowid`` of ``table``: a string, or a :class:`Joined` of
    megabyte pieces when its UTF-8 is over :data:`LONG_JOIN` bytes.

    Why through SQLite's blob I/O: the blob handle tells the value's size without loading it, and a long
    value is then read and decoded a megabyte at a time (an incremental decoder carries a character cut
    between two reads), so rebuilding the index from a 50 MB text never holds it as one string, nor its
    UTF-8 copy beside it. The database must be in UTF-8 (the archive's always is)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with conn.blobopen(table, column, rowid, readonly=True) as blob:
        if len(blob) <= LONG_JOIN:
            return blob.read().decode("utf-8")
        pieces = []
        while data := blob.read(WRITE_CHUNK):
            pieces.append(decoder.decode(data))
    pieces.append(decoder.decode(b"", final=True))
    return Joined([piece for piece in pieces if piece])
