"""Put documents on the pages of a paginated source, and list OCR lines an editor should check.

Pure: the reader recorded which lines each page gave (:class:`~gongbao.model.Page`); a document's span
then says which pages of the file it stands on, and which page numbers were printed there.
"""

from __future__ import annotations

from gongbao.model import Document, PageRange, Problem, Source, Span


def page_range(source: Source, span: Span) -> PageRange | None:
    """The pages whose lines overlap ``span`` (None when the source has no pages)."""
    first, last = source.page_of(span.start_line), source.page_of(span.end_line)
    if first is None or last is None:
        return None
    return PageRange(first.index, last.index, first.printed, last.printed)


def place_documents(documents: list[Document], source: Source) -> None:
    """Set ``Document.pages`` from the source's pages."""
    for doc in documents:
        doc.pages = page_range(source, doc.span)


def ocr_problems(source: Source, lines: list[str], documents: list[Document]) -> list[Problem]:
    """One problem per OCR'd line whose confidence is low, with the page to compare it with."""
    out: list[Problem] = []
    for line, confidence in source.low_confidence:
        page = source.page_of(line)
        text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        where = f"原件第{page.index}页" if page else ""
        doc = next((i for i, d in enumerate(documents) if d.span.start_line <= line <= d.span.end_line), None)
        out.append(Problem("low_confidence_ocr",
                           f"{where}识别置信度 {confidence:.2f}，请对照原件核对：{text[:40]}",
                           Span(line, line), doc))
    return out
