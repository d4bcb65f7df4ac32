"""The one text analysis of the search index, shared by indexing, querying and highlighting.

Why characters and n-grams: Chinese has no spaces and users search for any substring (一网通办, 残疾,
水), so recall must equal a substring scan. Text is *squeezed*: NFKC-folded, lower-cased, and reduced to
its Han characters, letters and digits (punctuation and the spaces a PDF converter scatters are not
content: 十四五”规划 and 十四五 规划 both squeeze to 十四五规划). A query term matches exactly where its
squeezed form is a substring of the document's squeezed text.

The index holds two views of the squeezed text (measured in ``bench/search.py``; see docs/benchmarks.md):

* ``*_g``: every 1-, 2- and 3-character gram (tantivy's n-gram tokenizer, in Rust; no positions): a term
  of 1–3 characters is one term query, however common, with no position checks;
* ``*_q``: every overlapping 4-character gram at its offset, *with* positions (built here: tantivy's
  n-gram tokenizer gives every gram position 0): a 4-character term is one term query, a longer one a
  phrase of the 4-grams at offsets 0, 4, 8, … and n−4, which pins the whole term down exactly while
  reading the shortest posting lists a phrase can have.

A phrase of single characters (the obvious design) was 5–10× slower on common words at 250,000
documents, because every 常用字 posting list and its positions must be read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from gongbao.store.longtext import Joined

# What survives squeezing: Han (unified, extension A, compatibility), 〇, Latin/Greek/Cyrillic letters,
# digits. NFKC has already folded full-width letters and digits to ASCII.
_KEPT = (
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
    r"0-9a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f\u03b1-\u03c9\u0430-\u045f"
)
_DROP_RE = re.compile(f"[^{_KEPT}]+")

GRAM_MAX = 3  # grams of 1..GRAM_MAX characters go to the *_g fields
QUAD = 4
PART = 200_000
"""A text longer than this (squeezed characters) is indexed as several index entries of this many
characters each (a megabyte-long line): tantivy holds a whole entry's postings in memory, and the 4-grams
of a 50 MB text as one string and one entry took gigabytes."""
PART_OVERLAP = 1_000
"""Consecutive parts overlap by this many characters, so that a term up to this long (a query holds at
most ``MAX_QUERY_CHARS``) lies whole in one part wherever it is."""


# Spaces and punctuation that NFKC maps only to spaces and punctuation: dropped *before* normalising, so
# that what remains (mostly Han) is usually NFKC already and the costly normalisation can be skipped.
_PUNCT_RE = re.compile(
    r"[\s!-/:-@\[-`{-~\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u2010-\u2027\u2030-\u205e\u3000-\u3006\u3008-\u3037\u303b-\u303f"
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)


SQUEEZE_CHUNK = 1 << 20
"""Texts longer than this are squeezed a piece at a time: each step copies its input (a 10-million-character
text took 160 MB at once)."""
# Where a text may be cut without changing its squeezed form: before a Han character or an ASCII digit,
# which NFKC never composes with what precedes them, which end any run of punctuation or dropped
# characters, and which are neither cased nor case-ignorable (so lower-casing a final sigma before them
# is the same with or without the rest).
_SAFE_CUT_RE = re.compile(r"[0-9\u4e00-\u9fff]")


def squeeze(text: str) -> str:
    """The searchable characters of ``text``, folded: what index and query compare.

    Equal to dropping every non-kept character of ``NFKC(text).lower()``."""
    if len(text) <= SQUEEZE_CHUNK:
        return _squeeze(text)
    return "".join(squeeze_joined(Joined([text])).pieces)


def squeeze_joined(text: Joined) -> Joined:
    """``squeeze(str(text))`` as squeezed pieces, made without joining ``text``: the pieces of a long
    text are cut into runs of about :data:`SQUEEZE_CHUNK` characters, each ending at the first safe
    place past that many (a run of ASCII digits inside Han prose then squeezes to ASCII pieces, one byte
    a character, where the joined squeezed text would take two). :func:`squeeze` cuts a long string
    here too."""
    out: list[str] = []
    run: list[str] = []
    size = 0
    for segment in text.segments:
        pos = 0
        while size + len(segment) - pos > SQUEEZE_CHUNK:
            cut = _SAFE_CUT_RE.search(segment, max(pos, pos + SQUEEZE_CHUNK - size))
            if cut is None:
                break
            run.append(segment[pos:cut.start()])
            out.append(_squeeze("".join(run)))
            run, size, pos = [], 0, cut.start()
        run.append(segment[pos:] if pos else segment)
        size += len(segment) - pos
    out.append(_squeeze("".join(run)))
    return Joined([piece for piece in out if piece])


def _squeeze(text: str) -> str:
    rest = _PUNCT_RE.sub("", text)
    if not unicodedata.is_normalized("NFKC", rest):
        rest = unicodedata.normalize("NFKC", rest)
    return _DROP_RE.sub("", rest.lower())


def quads(squeezed: str) -> str:
    """Every overlapping 4-gram of a squeezed text, space-separated: gram *i* at position *i*."""
    return " ".join([squeezed[i:i + QUAD] for i in range(len(squeezed) - QUAD + 1)])


def index_fields(text: str) -> tuple[str, str]:
    """(value of the *_g field, value of the *_q field) for ``text``. The *_q value of a text longer than
    :data:`PART` is left empty: :func:`parts` makes it part by part when the text is indexed."""
    s = squeeze(text)
    return s, quads(s) if len(s) <= PART else ""


def joined_index_fields(text: Joined) -> tuple[str | Joined, str]:
    """:func:`index_fields` of a long text given as pieces; its squeezed form stays in pieces when it is
    longer than :data:`PART` (as it then is indexed part by part)."""
    pieces = squeeze_joined(text)
    if len(pieces) > PART:
        return pieces, ""
    squeezed = str(pieces)  # already squeezed (squeezing it again gives it back): only its 4-grams to make
    return squeezed, quads(squeezed)


def parts(squeezed: str | Joined) -> Iterator[tuple[str, str]]:
    """The (*_g, *_q) values of the index entries of a long squeezed text: windows of :data:`PART`
    characters plus :data:`PART_OVERLAP`, made one at a time so only one window's 4-grams exist at once."""
    start = 0
    while True:
        window = squeezed[start:start + PART + PART_OVERLAP]
        yield window, quads(window)
        start += PART
        if start + PART_OVERLAP >= len(squeezed):
            return


def quad_plan(squeezed: str) -> list[tuple[int, str]]:
    """The 4-grams (offset, gram) that match a term of ≥ 5 squeezed characters exactly, as a phrase."""
    last = len(squeezed) - QUAD
    offsets = list(range(0, last + 1, QUAD))
    if offsets[-1] != last:
        offsets.append(last)
    return [(i, squeezed[i:i + QUAD]) for i in offsets]


def _char_class(ch: str) -> str:
    """A regex for every printed form of a squeezed character (case and full width)."""
    forms = {ch}
    if "a" <= ch <= "z" or "0" <= ch <= "9":
        forms.add(ch.upper())
        forms.update(chr(ord(c) + 0xFEE0) for c in (ch, ch.upper()))
    if len(forms) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"


_GAP_CLASS = f"[^{_KEPT}A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
MAX_GAP = 6
_GAP_RE = re.compile(f"{_GAP_CLASS}+")


def highlight_pattern(squeezed: str) -> str:
    """A regex matching ``squeezed`` in the *original* text, allowing dropped characters in between.

    The reference definition; :func:`find_term` finds the same spans without compiling it (the negated
    class costs ~1 ms to compile per gap, and every new query would pay that for every character)."""
    gap = f"{_GAP_CLASS}{{0,{MAX_GAP}}}"
    return gap.join(_char_class(ch) for ch in squeezed)


def loose_pattern(squeezed: str) -> re.Pattern[str]:
    """The term's characters with up to ``MAX_GAP`` characters of any kind between them, each gap a
    group: cheap to compile; :func:`find_term` keeps the matches whose gaps hold only dropped characters."""
    return re.compile(f"(.{{0,{MAX_GAP}}}?)".join(_char_class(ch) for ch in squeezed), re.DOTALL)


def find_term(text: str, loose: re.Pattern[str], pos: int = 0) -> re.Match[str] | None:
    """The first match of :func:`highlight_pattern` in ``text`` at or after ``pos``.

    Why this equals the reference: a gap may not hold a kept character, and every term character is
    kept, so from a given start the only valid alignment puts each gap on the run of dropped characters
    that follows a term character. The lazy loose pattern tries the shortest gaps first, so if it finds
    an alignment with a kept character in a gap, no valid one starts there, and the search goes on from
    the next character."""
    while True:
        m = loose.search(text, pos)
        if m is None:
            return None
        if all(not gap or _GAP_RE.fullmatch(gap) for gap in m.groups()):
            return m
        pos = m.start() + 1
