"""The data model of gongbao, in one place.

Everything the parser recovers from an issue, and everything the extractors add to it, is one of these
dataclasses. They are plain data: no parsing, no I/O. Every fact keeps a :class:`Span` (1-based line
numbers in the source file) so a reader can always go back to what was printed.

The JSON contract of ``gongbao parse --json`` is produced from these classes by :mod:`gongbao.contract`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Span:
    """Where a fact came from: inclusive 1-based line range in the source file.

    ``start_char``/``end_char`` optionally narrow the span to characters of the *repaired* text of the
    block the fact was found in (used by citations, tasks and targets).
    """

    start_line: int
    end_line: int
    start_char: int | None = None
    end_char: int | None = None


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number (文号) such as 宁政办发〔2022〕68号.

    ``canonical`` follows GB/T 9704: 〔〕 brackets, no spaces. ``printed`` is the text as it appeared.
    """

    canonical: str
    printed: str
    prefix: str  # 宁政办发 — the issuing organ's code and the document series
    year: int | None  # None for an order number (…人民政府令第123号), which has no year
    serial: int

    @property
    def is_order(self) -> bool:
        """An order (令) number: 宁夏回族自治区人民政府令第123号."""
        return self.year is None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a paginated source (PDF, scan, OFD) and the text lines it gave.

    Line numbers are those of the text the parser read (``gongbao parse --text``), so any fact's
    :class:`Span` can be put on the page of the file it was printed on."""

    index: int  # 1-based page index in the file
    first_line: int  # 1-based, inclusive; a page that gave no text has last_line == first_line - 1
    last_line: int
    printed: str | None = None  # the page number printed on the page (footer or header), as read
    ocr: bool = False  # the lines came from OCR, not from a text layer
    confidence: float | None = None  # mean OCR confidence of the page's lines


@dataclass(frozen=True, slots=True)
class PageRange:
    """The pages of the file a document stands on (1-based indexes) and the page numbers printed there."""

    first: int
    last: int
    printed_first: str | None = None
    printed_last: str | None = None


SourceFormat = Literal["text", "pdf", "image", "docx", "ofd", "html"]


@dataclass(slots=True)
class Source:
    """The file an issue was read from, and how its text was obtained.

    ``encoding`` is the text encoding for text files (None for PDF, images and other binary forms).
    ``pages`` is empty for forms without pages (text, DOCX, HTML). ``low_confidence`` lists OCR'd lines
    (line number, confidence) an editor should check. ``metadata`` keeps what the file says about itself
    beside the body: a portal page's metadata table (发文字号, 发文机关, 成文日期 …), a PDF's title."""

    path: str
    sha256: str
    encoding: str | None
    size: int
    line_count: int
    format: SourceFormat = "text"
    pages: list[Page] = field(default_factory=list)
    low_confidence: list[tuple[int, float]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def ocr_pages(self) -> list[int]:
        """1-based indexes of the pages whose text came from OCR."""
        return [p.index for p in self.pages if p.ocr]

    def page_of(self, line: int) -> Page | None:
        """The page that printed source line ``line`` (None for unpaginated sources). Pages that gave no
        text share their first line with the next page; the last of them, the one that printed it, wins."""
        if not self.pages:
            return None
        i = bisect_right([p.first_line for p in self.pages], line) - 1
        return self.pages[max(0, i)]


@dataclass(slots=True)
class Gazette:
    """Masthead facts of an issue (年第N期, 总第N期, publication date)."""

    name: str | None = None
    year: int | None = None
    number: int | None = None
    total_number: int | None = None
    published: dt.date | None = None
    span: Span | None = None


@dataclass(slots=True)
class TocEntry:
    """One item of the table of contents (目录), as printed."""

    title: str
    category: str | None
    doc_number: DocNumber | None
    page: int | None
    span: Span
    printed: str = ""  # the entry's lines as printed


@dataclass(slots=True)
class Cell:
    """A table cell. ``merged`` marks an empty cell that belongs to a merged (spanning) cell."""

    text: str
    merged: bool = False


@dataclass(slots=True)
class Table:
    """A table as rows of cells; ``header_rows`` leading rows are the header."""

    rows: list[list[Cell]]
    header_rows: int
    span: Span
    caption: str | None = None


BlockKind = Literal["heading", "paragraph", "table", "box"]


@dataclass(slots=True)
class Block:
    """A unit of a document's body: a heading, a paragraph, a table or a 专栏 box title.

    ``text`` is repaired (lines broken mid-sentence rejoined, stray spaces removed); ``original`` keeps
    the lines as printed. For headings, ``label`` is the numbering (一、 （一） 1. （1） 第一章 第一条 专栏1),
    ``level`` the depth in the outline (1 = top) and ``title`` the heading text (for a run-in heading,
    the part before the first 。). ``path`` lists the labels of the enclosing headings, this one last.
    """

    kind: BlockKind
    text: str
    original: str
    span: Span
    label: str | None = None
    style: str | None = None
    level: int = 0
    title: str | None = None
    path: tuple[str, ...] = ()
    table: Table | None = None
    # source line number of each line of ``original`` (which keeps the blank lines between printed
    # lines); lets the extractors put a fact found at a character of ``text`` on its exact source line
    lines: tuple[int, ...] = ()


@dataclass(slots=True)
class Annex:
    """An annex (附件): listed in the 附件 line, printed after the document, or marked 略 (omitted)."""

    number: int | None
    title: str
    omitted: bool
    span: Span  # where it is listed (or printed, if it is not listed)
    printed_span: Span | None = None
    body: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Enclosure:
    """A document enclosed by an 印发/转发 notice (the plan, measures or rules it issues)."""

    title: str
    span: Span
    kind: str | None = None
    body: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Citation:
    """A reference to another document, by 文号 and/or 《title》, with the sentence it stands in."""

    doc_number: str | None
    title: str | None
    sentence: str
    span: Span
    self_reference: bool = False
    # the law a 《》 names, as a work (《中华人民共和国安全生产法（2021年修正）》 → 中华人民共和国安全生产法):
    # a law is cited by title alone, with no 文号, and every citation of it links to the same work
    work: str | None = None


@dataclass(slots=True)
class Task:
    """A responsibility note turned into a task: who leads, who helps, who implements, by when."""

    text: str
    measure: str
    path: tuple[str, ...]
    leads: list[str]
    partners: list[str]
    implementers: list[str]
    deadline: str | None
    note: str
    span: Span


@dataclass(slots=True)
class Target:
    """A quantitative target (到2025年…达到85%以上, or a row of an indicator table)."""

    indicator: str
    comparator: str | None
    value: str
    unit: str | None
    year: int | None
    base_value: str | None
    base_year: int | None
    nature: str | None  # 预期性 / 约束性
    text: str
    span: Span
    # a scope the value holds for, as printed (入驻企业20户以上: 建成入驻企业20户以上的集群超过30个)
    condition: str | None = None


@dataclass(slots=True)
class Indicator:
    """One row of an economic data section (经济数据)."""

    name: str
    canonical_name: str
    parent: str | None
    period: str | None
    unit: str | None
    value: float | None
    value_text: str
    change: float | None
    change_text: str
    note: str | None
    span: Span
    # what the change measures: "percent" (同比增长 X%) or "points" (个百分点, an index on 上年=100)
    change_kind: str | None = None


EffectType = Literal["repeals", "amends", "continues", "declares_expired"]


@dataclass(slots=True)
class Effect:
    """What a document does to another one: repeals (废止, 同时废止, 停止执行), amends (修改, 修订, 修正),
    continues (继续有效) or declares expired (宣布失效). The target is kept as printed (文号 and/or
    《title》, and the organ named as its issuer, 自治区人民政府办公厅印发的《…》): the archive resolves it."""

    type: EffectType
    target_doc_number: str | None
    target_title: str | None
    span: Span
    target_issuer: str | None = None
    sentence: str = ""


@dataclass(slots=True)
class Validity:
    """Whether a document is in force: when it takes effect, until when, on trial, and its effects.

    ``commences`` is a date even when the document prints a rule (自印发之日起 → the signing date,
    自发布之日起 → the publication date); ``commences_rule`` then keeps the rule as printed. ``expires`` is
    the last day in force (有效期至…, or 有效期N年 counted from commencement, with ``expires_rule``).
    ``span`` is where the first of these facts is printed."""

    commences: dt.date | None = None
    commences_rule: str | None = None
    commences_span: Span | None = None
    expires: dt.date | None = None
    expires_rule: str | None = None
    expires_span: Span | None = None
    trial: bool = False
    trial_span: Span | None = None
    effects: list[Effect] = field(default_factory=list)
    span: Span | None = None

    @property
    def empty(self) -> bool:
        """Nothing printed about validity (the status of such a document is 未知 unless others say)."""
        return (self.commences is None and self.commences_rule is None and self.expires is None
                and not self.trial and not self.effects)


@dataclass(slots=True)
class Document:
    """One item of an issue: a document (公文) or a data section, with its facts."""

    title: str
    title_printed: str
    span: Span
    doc_number: DocNumber | None = None
    kind: str | None = None
    category: str | None = None
    page: int | None = None
    toc_index: int | None = None
    issuers: list[str] = field(default_factory=list)
    organ_line: str | None = None  # organs printed above the title (自治区党委 人民政府)
    # the issuers as printed, when a short name was expanded from the document's own text (else empty)
    issuers_printed: list[str] = field(default_factory=list)
    # for an interpretation (kind 解读): the title of the document it explains, and its 文号 if printed
    explains: str | None = None
    explains_number: str | None = None
    signed: dt.date | None = None
    signature_span: Span | None = None
    addressees: list[str] = field(default_factory=list)
    public: bool | None = None
    public_note: str | None = None
    body: list[Block] = field(default_factory=list)
    enclosures: list[Enclosure] = field(default_factory=list)
    attachments: list[Annex] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    pages: PageRange | None = None  # for paginated sources: the pages of the file it stands on
    validity: Validity = field(default_factory=Validity)  # in force when, until when, effects on others

    def parts(self) -> Iterator[tuple[str, list[Block]]]:
        """(title, body blocks) of the notice, each enclosure and each printed annex, in reading order:
        the extractors walk them one by one, since a caption or a standing note (以下…不再列出) reaches
        no further than its own part."""
        yield self.title, self.body
        for enclosure in self.enclosures:
            yield enclosure.title, enclosure.body
        for annex in self.attachments:
            yield annex.title, annex.body

    def all_blocks(self) -> list[Block]:
        """Body blocks of the notice, its enclosures and its printed annexes, in reading order."""
        return [block for _, blocks in self.parts() for block in blocks]


ProblemKind = Literal[
    "toc_entry_without_document",
    "document_not_in_toc",
    "toc_title_mismatch",
    "toc_doc_number_mismatch",
    "toc_category_mismatch",
    "nonstandard_doc_number",
    "unbalanced_brackets",
    "missing_masthead",
    "missing_signature",
    "truncated",
    "low_confidence_ocr",
    "metadata_mismatch",
]


@dataclass(slots=True)
class Problem:
    """Something an editor should look at: the proof-reading report of an issue."""

    kind: ProblemKind
    message: str  # in Chinese, for the editor
    span: Span | None = None
    document: int | None = None  # index into Issue.documents


@dataclass(slots=True)
class Issue:
    """A whole gazette issue (or a single standalone document, with no masthead and no TOC)."""

    source: Source
    gazette: Gazette
    toc: list[TocEntry]
    documents: list[Document]
    problems: list[Problem]
    lines: list[str] = field(default_factory=list, repr=False)  # the source lines, for provenance
    # the file lacks part of the issue: TOC items without a body, or a last document cut off mid-text
    incomplete: bool = False
    missing: list[str] = field(default_factory=list)  # the titles of what is missing or cut off

    @property
    def indicators(self) -> list[Indicator]:
        return [ind for doc in self.documents for ind in doc.indicators]
