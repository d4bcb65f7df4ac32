"""The JSON bodies of ``/api/v1`` as pydantic models, for the OpenAPI document only.

The routes answer with the archive's dicts as they are (:func:`gongbao.web.api._json`); nothing here runs
on a request. These models say what those dicts hold, field by field, so ``/openapi.json`` describes the
200 bodies and schemathesis can check every answer against them (tests/test_openapi_schemathesis.py);
tests/test_web_schemas.py validates real answers of every route against them, rejecting any key a model
does not name, so a renamed or added field shows up as a failing test rather than a silently wrong document.

The models allow extra keys (the document tells clients to ignore keys they do not know, and a field added
to the archive is no breaking change); :class:`Open` marks the bodies whose keys are open-ended by nature
(facet values, a source's metadata table). A field that is present only in some answers has a default and
is not listed as required; a field that is always present but may be null is ``X | None`` with no default.
Dates are ISO strings (YYYY-MM-DD), as the CLI's ``--json`` gives them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["尚未施行", "现行有效", "已失效", "已废止", "已修改", "未知"]
EffectType = Literal["repeals", "amends", "continues", "declares_expired"]
EventType = Literal["signed", "commences", "expires", "repealed_by", "amended_by", "continued_by",
                    "declared_expired_by", "repeals", "amends", "continues", "declares_expired"]
IsoDate = str


def _iso_date(description: str) -> Any:
    return Field(description=description, json_schema_extra={"format": "date"})


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _sometimes(description: str) -> Any:
    """A key present only in some answers (said in ``description``); absent, not null, otherwise."""
    return Field(default=None, description=description, json_schema_extra=_no_default)


class Model(BaseModel):
    """A JSON object of the API: the fields below are always described; unknown keys are allowed."""

    model_config = ConfigDict(extra="allow", defer_build=True)  # built when /openapi.json is first asked for


class Open(Model):
    """An object whose keys are open-ended by nature (facet values, metadata tables)."""


# ------------------------------------------------------------------------------------------ shared parts

class Span(Model):
    """行范围（1 起，含首尾），可精确到字符 (lines of the source text, 1-based and inclusive)."""

    start_line: int
    end_line: int
    start_char: int | None = Field(None, description="起始字符（仅在精确到字符时出现）")
    end_char: int | None = Field(None, description="结束字符（仅在精确到字符时出现）")


class PageRange(Model):
    """文件在原件中的起止页（文件中的页序）及其印刷页码 (pages of the original file)."""

    first: int = Field(description="首页在原件中的页序，从 1 开始")
    last: int = Field(description="末页在原件中的页序")
    printed_first: str | None = Field(description="首页的印刷页码")
    printed_last: str | None = Field(description="末页的印刷页码")


class IssueRef(Model):
    """文件所在的一期 (the issue a document appeared in); 单独收录的文件 gazette/year/number 为 null."""

    id: str
    gazette: str | None
    year: int | None
    number: int | None
    published: IsoDate | None = _iso_date("出版日期")


class DocumentSummary(Model):
    """列表中的文件摘要 (a document in lists): 身份与归档信息，不含正文."""

    id: str
    title: str
    doc_number: str | None = Field(description="规范文号 (canonical 文号)")
    kind: str | None = Field(description="文种（通知、意见……）")
    category: str | None = Field(description="目录中的栏目")
    page: int | None = Field(description="目录所列的页码")
    issuers: list[str] = Field(description="发文机关")
    signed: IsoDate | None = _iso_date("成文日期")
    date: IsoDate | None = _iso_date("归档日期：成文日期，无则为出版日期")
    gazette: str | None
    issue: IssueRef
    issue_id: str
    position: int = Field(description="在本期中的序号，从 1 开始")
    pages: PageRange | None = Field(description="在原件中的页（仅 PDF 与扫描件）")
    ocr: bool = Field(description="文字部分经 OCR 识别")


class StatusActor(Model):
    """决定效力状态的文件 (a document that repeals, amends, continues or declares this one expired)."""

    id: str
    title: str | None
    doc_number: str | None
    type: EffectType
    date: IsoDate | None = _iso_date("该文件生效之日")


class DocumentStatus(Model):
    """效力状态 (status on a date)."""

    status: Status
    as_of: IsoDate = _iso_date("状态所对应的日期")
    since: IsoDate | None = _iso_date("该状态开始之日（已知时）")
    by: list[StatusActor]


# ------------------------------------------------------------------------------------------ search

class SearchHit(Model):
    """一条检索结果 (a search hit)."""

    id: str
    doc_number: str | None
    title: str
    title_html: str = Field(description="标题，检索词以 <mark> 标出（HTML 安全）")
    issuers: list[str]
    signed: IsoDate | None = _iso_date("成文日期")
    date: IsoDate | None = _iso_date("归档日期")
    kind: str | None
    category: str | None
    snippet: str = Field(description="摘要，检索词以 <mark> 标出（HTML 安全）")
    score: float | None = Field(description="相关度；按日期排序时为 null")
    gazette: str | None
    issue: IssueRef
    page: int | None
    pages: PageRange | None
    ocr: bool
    status: Status = _sometimes("效力状态（仅在按 status 筛选时出现）")


class Facets(Open):
    """各筛选项的取值及其文件数 (value → count for each filter)."""

    gazette: dict[str, int]
    issuer: dict[str, int]
    kind: dict[str, int]
    category: dict[str, int]
    year: dict[str, int]


class SearchResult(Model):
    """检索结果 (a page of search results)."""

    total: int = Field(description="相符文件总数")
    hits: list[SearchHit]
    facets: Facets
    page: int
    limit: int
    sort: Literal["relevance", "date"] = Field(description="实际采用的排序；检索式为空时总是 date")


class DocumentPage(Model):
    """最新文件的一页 (documents newest first)."""

    total: int
    page: int
    limit: int
    documents: list[SearchHit]


class DocumentsByNumber(Model):
    """带某文号的文件 (documents carrying a 文号)."""

    number: str = Field(description="规范文号")
    total: int
    documents: list[DocumentSummary]


# ------------------------------------------------------------------------------------------ a document

class Cell(Model):
    text: str
    merged: bool = Field(description="被合并的单元格")


class Table(Model):
    """表格 (a table)."""

    header_rows: int
    caption: str | None
    span: Span
    rows: list[list[Cell]]


class Block(Model):
    """正文的一段、一个标题、一张表或一个框 (a block of text)."""

    kind: Literal["heading", "paragraph", "table", "box"]
    text: str
    original: str = Field(description="原文（印刷的行）")
    span: Span
    label: str | None = _sometimes("序号（一、（一）、1. ……；仅 heading 与 box）")
    style: str | None = _sometimes("序号样式（仅 heading 与 box）")
    level: int = _sometimes("层级（仅 heading 与 box）")
    title: str | None = _sometimes("标题（仅 heading 与 box）")
    path: list[str] = Field(description="所在的各级标题")
    table: Table = _sometimes("表格（仅 table）")


class Enclosure(Model):
    """随文印发的文件 (a document enclosed: 印发的办法、方案……)."""

    title: str
    kind: str | None
    span: Span
    body: list[Block]


class Annex(Model):
    """附件 (an annex)."""

    number: int | None
    title: str
    omitted: bool = Field(description="公报未刊登附件正文")
    span: Span
    printed_span: Span | None
    body: list[Block]


class Citation(Model):
    """本文件对另一文件的引用 (a citation), 能对应到档案中的文件时附 target_id."""

    doc_number: str | None
    title: str | None
    sentence: str
    span: Span | None
    self_reference: bool = Field(description="引用的是本文件自身（或其所印发的文件）")
    target_id: str | None = Field(description="被引用文件的编号（档案中有时）")
    seq: int
    work: str | None = Field(description="所引法律、法规等（无文号者）")
    document_id: str = Field(description="引用方文件的编号")


class Task(Model):
    """任务（责任分工）(a task with its responsible units)."""

    text: str
    measure: str
    path: list[str]
    leads: list[str] = Field(description="牵头单位")
    partners: list[str] = Field(description="配合单位")
    implementers: list[str] = Field(description="落实单位")
    deadline: str | None = Field(description="完成时限（原文）")
    note: str
    span: Span


class Target(Model):
    """量化目标 (a quantitative target)."""

    indicator: str
    comparator: str | None
    value: str
    unit: str | None
    year: int | None
    base_value: str | None
    base_year: int | None
    nature: str | None = Field(description="预期性 / 约束性")
    condition: str | None
    text: str
    span: Span


class Indicator(Model):
    """经济指标的一个值 (an economic indicator)."""

    name: str
    canonical_name: str
    parent: str | None
    period: str | None
    unit: str | None
    value: float | None
    value_text: str
    change: float | None
    change_text: str
    change_kind: str | None = Field(description="percent（同比 %）或 points（百分点）")
    note: str | None
    span: Span


class EffectTarget(Model):
    id: str
    title: str | None
    doc_number: str | None


class Effect(Model):
    """本文件对另一文件的效力（废止、修改、继续有效、宣布失效）(an effect on another document)."""

    type: EffectType
    target_doc_number: str | None
    target_title: str | None
    target_issuer: str | None
    sentence: str
    span: Span
    target_ids: list[str] = _sometimes("档案中对应的文件编号")
    targets: list[EffectTarget] = _sometimes("档案中对应的文件")


class Validity(Model):
    """施行日期、有效期与对其他文件的效力 (validity)."""

    commences: IsoDate | None = _iso_date("施行日期")
    commences_rule: str | None
    commences_span: Span | None
    expires: IsoDate | None = _iso_date("有效期最后一日")
    expires_rule: str | None
    expires_span: Span | None
    trial: bool = Field(description="试行")
    trial_span: Span | None
    effects: list[Effect]
    span: Span | None


class LifecycleEvent(Model):
    """文件的一个有日期的事件 (a dated lifecycle event)."""

    date: IsoDate | None = _iso_date("日期；未知时为 null")
    type: EventType
    label: str = Field(description="事件名称（印发、施行、被废止……）")
    document_id: str | None = _sometimes("相关文件的编号")
    title: str | None = _sometimes("相关文件的标题")
    doc_number: str | None = _sometimes("相关文件的文号")


class Explains(Model):
    """本文件所解读的文件 (the document a 解读 explains)."""

    title: str | None
    doc_number: str | None


class Document(Model):
    """完整文件（与 `gongbao parse --json` 的文件结构相同，另含 id、issue 等）(a whole document)."""

    id: str
    title: str
    title_printed: str
    doc_number: str | None = Field(description="规范文号")
    doc_number_printed: str | None = Field(description="印刷的文号")
    kind: str | None
    category: str | None
    page: int | None
    pages: PageRange | None
    toc_index: int | None
    issuers: list[str]
    issuers_printed: list[str] = _sometimes("印刷的发文机关（与规范名称不同时）")
    organ_line: str | None = Field(description="标题上方印刷的机关")
    signed: IsoDate | None = _iso_date("成文日期")
    date: IsoDate | None = _iso_date("归档日期")
    signature_span: Span | None
    addressees: list[str] = Field(description="主送机关")
    public: bool | None = Field(description="公开属性")
    public_note: str | None
    explains: Explains = _sometimes("解读的文件（仅解读）")
    body: list[Block]
    enclosures: list[Enclosure]
    attachments: list[Annex]
    span: Span
    citations: list[Citation]
    tasks: list[Task]
    targets: list[Target]
    indicators: list[Indicator]
    validity: Validity
    position: int
    issue: IssueRef
    ocr: bool
    status: DocumentStatus = _sometimes("于 as_of 日的效力状态")
    events: list[LifecycleEvent] = _sometimes("有日期的事件，按日期排列")
    source_lines: list[tuple[int, str]] = _sometimes("原文行 [行号, 文字]（仅 source=true）")


class CitingDocument(DocumentSummary):
    """引用本文件的文件及其引用 (a document citing this one)."""

    citation: Citation


class Citations(Model):
    """文件的引用关系 (what a document cites, and what cites it)."""

    id: str
    cites: list[Citation]
    cited_by: list[CitingDocument]


class Resolved(Model):
    """文号或编号对应的文件 (a reference resolved to a document)."""

    ref: str
    canonical: str | None = Field(description="规范文号（ref 是文号时）")
    id: str
    url: str = Field(description="文件页面的地址")
    api_url: str = Field(description="文件在 API 中的地址")


# ------------------------------------------------------------------------------------------ service

class Health(Model):
    """服务与档案状态 (service health)."""

    status: Literal["ok", "degraded"]
    record_generation: int
    index_generation: int | None
    index_behind: bool = Field(description="检索索引落后于档案记录")
    readonly_media: bool = Field(description="档案位于只读介质")


class Stats(Model):
    """档案统计 (archive counts)."""

    gazettes: int
    issues: int
    standalone: int = Field(description="单独收录的文件数")
    documents: int
    problems: int
    citations: int
    tasks: int
    targets: int
    indicators: int
    generation: int
    index_generation: int | None


# ------------------------------------------------------------------------------------------ gazettes, issues

class Gazette(Model):
    name: str
    issue_count: int
    document_count: int
    latest_published: IsoDate | None = _iso_date("最近一期的出版日期")


class Gazettes(Model):
    """公报列表 (the gazettes)."""

    gazettes: list[Gazette]


class IssueFacts(Model):
    """一期的刊头与档案信息 (an issue's masthead and record)."""

    id: str
    gazette: str | None = Field(description="公报名；单独收录的文件为 null")
    year: int | None
    number: int | None = Field(description="期号")
    total_number: int | None = Field(description="总期号")
    published: IsoDate | None = _iso_date("出版日期")
    document_count: int
    problem_count: int
    source_path: str
    sha256: str
    masthead_span: Span | None
    ingested_at: str = Field(description="收录时间（ISO 8601）")


class IssuePage(Model):
    """期刊列表的一页 (a page of issues)."""

    total: int
    page: int
    limit: int
    issues: list[IssueFacts]


class SourcePage(Model):
    """原件的一页及其文本行 (a page of the original and its text lines)."""

    index: int = Field(description="页序，从 1 开始")
    first_line: int
    last_line: int
    printed: str | None = Field(description="印刷页码")
    ocr: bool
    confidence: float | None = Field(description="OCR 平均置信度")


class LowConfidence(Model):
    line: int
    confidence: float


class IssueSource(Model):
    """本期的来源形式 (how the issue's text was obtained)."""

    format: str = Field(description="text、pdf、image、ofd、docx、html")
    pages: int = Field(description="页数（不分页的来源为 0）")
    ocr_pages: list[int] = Field(description="经 OCR 识别的页")
    original: str | None = Field(description="档案中原件的文件名；从文本收录时为 null")
    page_lines: list[SourcePage] = _sometimes("每页对应的文本行（分页的来源）")
    low_confidence: list[LowConfidence] = _sometimes("OCR 置信度低、应核对的行")
    metadata: dict[str, str] = _sometimes("文件自述的元数据（网页的信息表、PDF 的标题……）")


class TocEntry(Model):
    """目录的一条 (a TOC entry)."""

    category: str | None
    title: str
    doc_number: str | None
    doc_number_printed: str | None
    page: int | None
    span: Span | None
    printed: str | None = Field(description="印刷的目录行")
    document_id: str | None = Field(description="对应文件的编号")


class Problem(Model):
    """校对问题 (a problem found while parsing)."""

    kind: str
    message: str
    span: Span | None
    document: int | None = Field(description="所涉文件在本期中的序号（从 0 开始）")
    document_id: str | None


class Issue(IssueFacts):
    """一期公报 (an issue): 刊头、来源、目录、文件摘要和校对问题."""

    source: IssueSource
    toc: list[TocEntry]
    documents: list[DocumentSummary]
    problems: list[Problem]


# ------------------------------------------------------------------------------------------ facts

class TaskRow(Task):
    """任务台账的一行 (a task with its document)."""

    document_id: str
    seq: int
    doc_title: str
    title: str
    doc_number: str | None
    signed: IsoDate | None = _iso_date("成文日期")
    date: IsoDate | None = _iso_date("归档日期")
    gazette: str | None
    source: str = Field(description="来源文件（收录时的路径）")
    issue: IssueRef
    roles: list[Literal["牵头", "配合", "落实"]] = _sometimes("该单位的角色（仅给出 unit 时）")


class Tasks(Model):
    """任务列表的一页 (a page of tasks)."""

    unit: str | None
    total: int
    page: int
    limit: int
    tasks: list[TaskRow]


class Unit(Model):
    """责任单位 (a responsible unit)."""

    name: str
    variants: list[str] = Field(description="同一单位的其他写法")
    total: int
    lead: int = Field(description="牵头的任务数")
    partner: int = Field(description="配合的任务数")
    implement: int = Field(description="落实的任务数")
    documents: int = Field(description="涉及的文件数")


class Units(Model):
    units: list[Unit]


class IndicatorPoint(Indicator):
    """指标的一个值及其文件 (one value of a series)."""

    document_id: str
    doc_title: str
    seq: int
    issue: IssueRef


class IndicatorSeries(Model):
    """一个指标的时间序列 (a series)."""

    name: str
    unit: str | None
    parent: str | None
    measure: Literal["value", "change"] = Field(description="序列画的是绝对值还是增减")
    points: list[IndicatorPoint]


class Indicators(Model):
    indicators: list[IndicatorSeries]


class ExpiringDocument(DocumentSummary):
    """即将到期的文件 (a document about to expire)."""

    expires: IsoDate = _iso_date("有效期最后一日")
    days_left: int
    status: DocumentStatus


class Expiring(Model):
    """即将到期的文件 (documents expiring within `days`)."""

    days: int
    as_of: IsoDate | None = _iso_date("起算日期；未给出时为 null（今天）")
    total: int
    documents: list[ExpiringDocument]


def ok(model: type[BaseModel], description: str = "OK") -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a JSON route: its 200 body described by ``model`` (documentation only; the route
    still answers with its dict as it is)."""
    return {200: {"model": model, "description": description}}
