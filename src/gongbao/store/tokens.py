"""The one tokenizer of the search index, used both to index documents and to read queries.

Why characters and bigrams: Chinese has no spaces and users search for any substring (一网通办, 残疾,
水), so recall must equal a substring scan. Every Han character is a token and every run of Latin
letters or digits is a token; a query term then matches exactly where its token sequence occurs.
Matching a phrase of single characters is slow on a large archive (每个常用字 has a posting list in
every document), so the index also holds *overlapping bigrams* of that token stream, with positions:
a term of n ≥ 2 tokens becomes a phrase of bigrams (a single term for n = 2), which touches far
shorter posting lists. One-token terms use the unigram field. Both fields are filled here, in
Python, and tantivy only splits on spaces, so index and query can never disagree.

Punctuation and spaces are not tokens: 十四五”规划 and 十四五规划 are the same token sequence, as the
converted text scatters spaces and punctuation widths arbitrarily.
"""

from __future__ import annotations

import operator
import re
import unicodedata

# Han (CJK unified + extension A + compatibility, folded by NFKC), 〇; Latin/Greek/Cyrillic/digit runs.
# Runs are cut at 32 characters so that no token exceeds tantivy's limits; queries are cut the same way.
_TOKEN_RE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]"
    r"|[0-9a-z\u00df-\u00ff\u0100-\u024f\u03b1-\u03c9\u0430-\u045f]{1,32}"
)


def tokens(text: str) -> list[str]:
    """The token stream of ``text``: one token per Han character, one per Latin/digit run, lower case."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).lower())


def bigrams(toks: list[str]) -> list[str]:
    """Overlapping pairs of adjacent tokens; pair *i* stands at position *i*."""
    return list(map(operator.add, toks, toks[1:]))


def index_fields(text: str) -> tuple[str, str]:
    """(unigram field value, bigram field value) for tantivy's whitespace analyzer."""
    toks = tokens(text)
    return " ".join(toks), " ".join(map(operator.add, toks, toks[1:]))


def phrase_plan(toks: list[str]) -> list[tuple[int, str]]:
    """The bigrams (offset, bigram) that pin down a phrase of ``toks`` (len ≥ 3) exactly.

    Bigrams at even offsets plus the last one cover every token, so the phrase matches exactly where
    the whole sequence occurs, with about half the posting lists of the full overlapping chain.
    """
    pairs = bigrams(toks)
    offsets = list(range(0, len(pairs), 2))
    if offsets[-1] != len(pairs) - 1:
        offsets.append(len(pairs) - 1)
    return [(i, pairs[i]) for i in offsets]
