"""The search language: words, "phrases", AND / OR / NOT, -exclusion, (groups), 文号 in any spelling and
``title:`` (or ``标题:``) before a word or phrase to look in titles only.

User text never reaches tantivy's own query parser: it is read here into a small tree, so no input can
raise a syntax error deep inside the engine. Everything that is not understood as an operator is text;
text that has no searchable characters (``*``, ``:``, ``^``) is dropped. Unbalanced quotes close at the
end, dangling operators are ignored, and what cannot be searched at all is refused with one clear line.

Every term is matched as a substring of the document (see :mod:`gongbao.store.tokens`), so a quoted
phrase differs from a bare word only in that it may contain spaces: ``残疾人 保障`` is two terms
(both must occur), ``"残疾人 保障"`` is one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gongbao import docnumber
from gongbao.errors import GongbaoError
from gongbao.store.tokens import squeeze

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32


class QueryError(GongbaoError):
    """A query that cannot be searched; the message says why, in Chinese and English."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Term:
    """A substring to find. ``doc_number`` is the canonical 文号 when the term is one."""

    text: str  # as typed (for messages)
    squeezed: str
    doc_number: str | None = None
    title_only: bool = False  # title:… / 标题:… — match the title, not the text


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class All:
    """Every document (an empty query: browse by filters)."""


Node = Term | And | Or | Not | All

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "|": "OR", "NOT": "NOT"}
_QUOTES = {'"': '"', "“": "”", "”": "”", "＂": "＂"}
# a field prefix: title:规划, 标题：规划, title:"十四五 规划"
_TITLE_PREFIX_RE = re.compile(r"(?:title|标题)[:：]", re.IGNORECASE)
_TITLE_BEFORE_QUOTE_RE = re.compile(r"(?:^|(?<=\s))(?:title|标题)[:：]$", re.IGNORECASE)


def _clean(query: str) -> str:
    return _CONTROL_RE.sub(" ", query).strip()


def _lex(query: str) -> list[tuple[str, str]]:
    """Tokens (kind, value): kind is TEXT, PHRASE, TITLE, TITLE_PHRASE, NUMBER, AND, OR, NOT, NEG, LPAREN,
    RPAREN."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(query)
    plain_start = 0

    def flush_plain(end: int) -> None:
        segment = query[plain_start:end]
        if segment.strip():
            out.extend(_lex_plain(segment))

    while i < n:
        ch = query[i]
        if ch in _QUOTES:
            prefix = _TITLE_BEFORE_QUOTE_RE.search(query, plain_start, i)
            flush_plain(prefix.start() if prefix else i)
            close = _QUOTES[ch]
            j = query.find(close, i + 1)
            if j < 0 and close == "”":
                j = query.find('"', i + 1)
            end = n if j < 0 else j
            out.append(("TITLE_PHRASE" if prefix else "PHRASE", query[i + 1:end]))
            i = end + 1
            plain_start = i
            continue
        i += 1
    flush_plain(n)
    return out


def _lex_plain(segment: str) -> list[tuple[str, str]]:
    """Unquoted text: 文号 first (they may contain spaces), then words, operators and parentheses."""
    out: list[tuple[str, str]] = []
    pos = 0
    matches = sorted([*docnumber.DOC_NUMBER_RE.finditer(segment), *docnumber.ORDER_RE.finditer(segment)],
                     key=lambda m: m.start())
    for m in matches:
        if m.start() < pos:
            continue
        prefix = m.group("prefix") or ""
        # the prefix may have swallowed earlier words: the 文号 starts after the last space in it
        cut = max(prefix.rfind(" "), prefix.rfind("\t"), prefix.rfind("\u3000"))
        start = m.start("prefix") + cut + 1 if prefix else m.start()
        number = docnumber.parse(segment[start:m.end()])
        if number is None:
            continue
        out.extend(_lex_words(segment[pos:start]))
        out.append(("NUMBER", number.canonical))
        pos = m.end()
    out.extend(_lex_words(segment[pos:]))
    return out


def _lex_words(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for word in text.split():
        if word in _OPERATORS:
            out.append((_OPERATORS[word], word))
            continue
        opens = 0
        while word.startswith("(") and len(word) > 1:
            out.append(("LPAREN", "("))
            word = word[1:]
            opens += 1
        closes = 0
        while word.endswith(")") and len(word) > 1:
            word = word[:-1]
            closes += 1
        if word == "(":
            out.append(("LPAREN", "("))
        elif word == ")":
            out.append(("RPAREN", ")"))
        elif word.startswith("-") and len(word) > 1:
            out.append(("NEG", "-"))
            m = _TITLE_PREFIX_RE.match(word, 1)
            out.append(("TITLE", word[m.end():]) if m and len(word) > m.end() else ("TEXT", word[1:]))
        elif (m := _TITLE_PREFIX_RE.match(word)) and len(word) > m.end():
            out.append(("TITLE", word[m.end():]))
        elif word.startswith("+") and len(word) > 1:
            out.append(("TEXT", word[1:]))
        else:
            out.append(("TEXT", word))
        out.extend([("RPAREN", ")")] * closes)
    return out


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary (AND? unary)* ; unary := (NOT|-) unary | atom."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.or_()
        while self.i < len(self.tokens):  # stray ')' or leftovers: skip and go on
            self.i += 1
            more = self.or_()
            if more is not None:
                node = more if node is None else And((node, more))
        return node

    def or_(self) -> Node | None:
        parts: list[Node] = []
        node = self.and_()
        if node is not None:
            parts.append(node)
        while self.peek() == "OR":
            self.i += 1
            node = self.and_()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Node | None:
        parts: list[Node] = []
        while True:
            kind = self.peek()
            if kind is None or kind in ("OR", "RPAREN"):
                break
            if kind == "AND":
                self.i += 1
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        kind = self.peek()
        if kind in ("NOT", "NEG"):
            self.i += 1
            if self.peek() in (None, "OR", "RPAREN", "AND"):
                return None
            child = self.unary()
            return Not(child) if child is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "LPAREN":
            self.depth += 1
            node = self.or_() if self.depth < 16 else None
            self.depth -= 1
            if self.peek() == "RPAREN":
                self.i += 1
            return node
        if kind == "RPAREN":
            return None
        if kind == "NUMBER":
            return Term(value, squeeze(value), doc_number=value)
        s = squeeze(value)
        if not s:
            return None
        if kind in ("TITLE", "TITLE_PHRASE"):
            return Term(value.strip(), s, title_only=True)
        number = docnumber.normalize_query(value) if kind == "PHRASE" else None
        return Term(value.strip(), s, doc_number=number)


def terms(node: Node | None, *, positive: bool = True) -> list[Term]:
    """The terms of a query that a hit contains (those under NOT excluded): what snippets highlight."""
    if node is None or isinstance(node, All):
        return []
    if isinstance(node, Term):
        return [node] if positive else []
    if isinstance(node, Not):
        return terms(node.child, positive=not positive)
    out: list[Term] = []
    for child in node.children:
        out.extend(terms(child, positive=positive))
    return out


def _count_terms(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Not):
        return _count_terms(node.child)
    if isinstance(node, All):
        return 0
    return sum(_count_terms(c) for c in node.children)


def parse_query(query: str) -> Node:
    """Read a user's query. Empty → :class:`All`. Raises :class:`QueryError` for what cannot be searched."""
    if not isinstance(query, str):
        raise QueryError("检索式必须是文本 (the query must be text)")
    q = _clean(unicodedata.normalize("NFC", query))
    if not q:
        if query.strip():  # only control or invisible characters: not "everything"
            raise QueryError("检索式中没有可检索的文字或数字 (the query has no searchable characters)")
        return All()
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(
            f"检索式过长，最多 {MAX_QUERY_CHARS} 字 (query too long: {len(q)} characters, at most "
            f"{MAX_QUERY_CHARS})"
        )
    tokens = _lex(q)
    node = _Parser(tokens).parse()
    if node is None:
        if any(kind in ("AND", "OR", "NOT", "NEG") for kind, _ in tokens):
            raise QueryError("检索式只有运算符，没有检索词 (the query has operators but no search terms)")
        raise QueryError("检索式中没有可检索的文字或数字 (the query has no searchable characters)")
    if _count_terms(node) > MAX_TERMS:
        raise QueryError(f"检索词过多，最多 {MAX_TERMS} 个 (too many terms: at most {MAX_TERMS})")
    return node
