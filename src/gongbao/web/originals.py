"""Originals of issues on the web: the file itself, and its pages as images on request.

An issue read from a PDF, a scan, OFD, DOCX or HTML keeps its original in the archive
(``originals/<sha256>.<ext>``). Someone checking a document against the print wants that file and, more
often, one page of it. Pages are rendered from the PDF (or taken from the scan's frame) only when asked
for — an issue has dozens of pages and most are never looked at — and then kept on disk under
``<data>/cache/pages/<sha256>-<page>-<dpi>.png``: a render costs a tenth of a second or more, a cached page
a file read, and since the name carries the original's hash a re-ingested issue never meets a stale image.
The cache is derived data; deleting it is always safe. A data directory the server cannot write to only
means pages are rendered every time.

pdfium is not thread-safe, so every pdfium call holds :data:`gongbao.sources.pdf._PDFIUM`; the routes that
call in here are plain ``def``, so the work runs in the thread pool and never blocks the event loop.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.responses import FileResponse, Response

from gongbao.errors import NotFound
from gongbao.web.downloads import content_disposition, safe_filename
from gongbao.web.params import archive_of
from gongbao.web.render import FORM_LABELS, seg

log = logging.getLogger("gongbao.web")

SCREEN_DPI = 110
"""An A4 page at 110 dpi is 910×1286 pixels: body text of 10.5 pt is ~16 px high, readable on a screen at
full width; a text page renders in well under 0.1 s and its greyscale PNG is tens of kilobytes."""
MIN_DPI, MAX_DPI = 50, 200
"""Thumbnails to a sharp zoom. 200 dpi is what the OCR reads pages at; more would only make every render
and cached file bigger (the pixel count grows with the square of the dpi)."""
PAGE_CACHE = Path("cache") / "pages"
PAGED_FORMS = ("pdf", "image")
"""Forms whose pages can be shown as images (OFD, DOCX and HTML originals can only be downloaded)."""

Dpi = Annotated[int, Query(ge=MIN_DPI, le=MAX_DPI, description=f"分辨率（每英寸像素），默认 {SCREEN_DPI}")]
Version = Annotated[str | None, Query(max_length=64, pattern="^[0-9a-fA-F]*$",
                                      description="原件 SHA-256 的前缀；与当前原件相符时响应可长期缓存")]
IssueId = Annotated[str, PathParam(min_length=1, max_length=100)]
PageIndex = Annotated[int, PathParam(ge=0, le=100_000, description="原件中的页序号，从 1 开始")]

A4_WIDTH_INCHES = 210 / 25.4
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=3600"
# An original may be HTML or carry anything: never let the browser run or embed it under our origin.
ORIGINAL_CSP = "sandbox; default-src 'none'"

_MEDIA_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".tif": "image/tiff", ".tiff": "image/tiff", ".bmp": "image/bmp", ".ofd": "application/ofd",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html", ".htm": "text/html",
}
MEDIA_TYPES = (*dict.fromkeys(_MEDIA_TYPES.values()), "application/octet-stream")
"""Every media type an original may be sent as (a file of a kind not known here as octet-stream)."""
_MAGIC = ((b"%PDF", ".pdf"), (b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"),
          (b"MM\x00*", ".tif"), (b"BM", ".bmp"))


@dataclass(frozen=True, slots=True)
class Original:
    """An issue's original file as the web serves it."""

    issue_id: str
    path: Path
    format: str  # pdf | image | ofd | docx | html
    sha256: str
    page_count: int
    suffix: str  # ".pdf", ".png", …
    download_name: str  # 宁夏回族自治区人民政府公报-2022-19.pdf
    size: int

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES.get(self.suffix, "application/octet-stream")

    @property
    def paged(self) -> bool:
        """Whether its pages can be shown as images."""
        return self.format in PAGED_FORMS and self.page_count > 0

    @property
    def label(self) -> str:
        return FORM_LABELS.get(self.format, self.format.upper())

    @property
    def version(self) -> str:
        """Part of every URL the pages link to: a new original under the same issue gets new URLs, so the
        old ones may be cached for good."""
        return self.sha256[:12]

    def url(self, *, api: bool = False) -> str:
        return f"{'/api/v1' if api else ''}/issues/id/{seg(self.issue_id)}/original?v={self.version}"

    def image_url(self, page: int, *, dpi: int | None = None, api: bool = False) -> str:
        query = f"?v={self.version}" + (f"&dpi={dpi}" if dpi and dpi != SCREEN_DPI else "")
        return f"{'/api/v1' if api else ''}/issues/id/{seg(self.issue_id)}/pages/{page}.png{query}"

    def viewer_url(self, page: int) -> str:
        return f"/issues/id/{seg(self.issue_id)}/pages/{page}"


def _suffix(path: Path) -> str:
    """The original's extension; sniffed from its first bytes when the stored name has none we know
    (scans of unknown extension are stored as ``.img``)."""
    suffix = path.suffix.lower()
    if suffix in _MEDIA_TYPES:
        return suffix
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return suffix
    return next((ext for magic, ext in _MAGIC if head.startswith(magic)), suffix)


def download_name(issue: Mapping[str, Any], suffix: str) -> str:
    """宁夏回族自治区人民政府公报-2022-19.pdf from the masthead; a standalone document keeps the name of the
    file it came from (its stem), else the issue id."""
    if issue.get("gazette"):
        stem = "-".join(str(v) for v in (issue["gazette"], issue.get("year"), issue.get("number"))
                        if v not in (None, ""))
    else:
        source = str(issue.get("source_path") or "").replace("\\", "/").rsplit("/", 1)[-1]
        stem = source.rsplit(".", 1)[0] if "." in source else source
        stem = stem or str(issue.get("id") or "")
    return safe_filename(stem, suffix.lstrip(".") or "bin")


def original_of(archive: Any, issue: Mapping[str, Any]) -> Original | None:
    """The original of ``issue`` (as ``Archive.issue_by_id`` gives it), None when it was ingested as text
    or its copy is missing from ``originals/``."""
    source = issue.get("source") or {}
    if not source.get("original"):
        return None
    path = archive.original_path(str(issue["id"]))
    if path is None:
        return None
    suffix = _suffix(path)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return Original(
        issue_id=str(issue["id"]), path=path, format=str(source.get("format") or ""),
        sha256=Path(str(source["original"])).stem, page_count=int(source.get("pages") or 0), suffix=suffix,
        download_name=download_name(issue, suffix), size=size,
    )


def require(archive: Any, issue_id: str) -> tuple[dict[str, Any], Original]:
    """The issue and its original, or NotFound saying which of the two is missing."""
    issue = archive.issue_by_id(issue_id)
    if issue is None:
        raise NotFound("未找到该期公报 (issue not found)")
    original = original_of(archive, issue)
    if original is None:
        raise NotFound("本期公报没有保存原件：它是从文本收录的 (no original file: the issue was ingested as text)")
    return issue, original


def require_page(original: Original, page: int) -> None:
    """NotFound unless ``page`` is a page of ``original`` that can be shown as an image."""
    if not original.paged:
        raise NotFound(f"{original.label}原件不能按页显示，只能下载 (pages of a {original.format} original "
                       "cannot be shown: download it)")
    if not 1 <= page <= original.page_count:
        raise NotFound(f"原件没有第{page}页，共{original.page_count}页 "
                       f"(no page {page}: the original has {original.page_count})")


def cache_control(original: Original, version: str | None) -> str:
    """Cached for good when the URL names this very original (``v=`` a prefix of its hash, as every link
    the pages make does); otherwise for an hour, since the issue may be re-ingested from a new file."""
    v = (version or "").lower()
    return IMMUTABLE if len(v) >= 8 and original.sha256.startswith(v) else REVALIDATE


def _etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    return header.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in header.split(",")]


def file_response(request: Request, original: Original, version: str | None = None) -> Response:
    """The original as a download named after the issue, streamed from disk (ranges and HEAD included),
    with its hash as ETag; an If-None-Match naming it gets 304 without touching the file."""
    etag = f'"{original.sha256}"'
    cache = cache_control(original, version)
    if _etag_matches(request, etag):
        return Response(status_code=304, headers={"etag": etag, "cache-control": cache})
    headers = {"etag": etag, "cache-control": cache, "content-security-policy": ORIGINAL_CSP,
               "content-disposition": content_disposition(original.download_name)}
    return FileResponse(original.path, media_type=original.media_type, headers=headers)


# ------------------------------------------------------------------------------------------ page images

def cache_path(data_dir: Path, original: Original, page: int, dpi: int) -> Path:
    return Path(data_dir) / PAGE_CACHE / f"{original.sha256}-{page}-{dpi}.png"


def _pdf_page(path: Path, page: int, dpi: int) -> Any:
    from gongbao.sources.pdf import _PDFIUM, open_pdf, render

    data = path.read_bytes()
    with _PDFIUM:
        doc = open_pdf(data)
        try:
            pdf_page = doc[page - 1]
            try:
                # copied while the lock is held: pdfium's bitmap must not be touched after it is released
                return render(pdf_page, dpi).copy()
            finally:
                pdf_page.close()
        finally:
            doc.close()


def _image_frame(path: Path, page: int, dpi: int) -> Any:
    """Frame ``page`` of a scan, scaled to ``dpi`` from the resolution the file declares (a scan that
    declares none is taken to be A4 wide)."""
    from PIL import Image

    from gongbao.sources.image import frames

    pages = frames(path.read_bytes())
    if not 1 <= page <= len(pages):
        raise NotFound(f"原件没有第{page}页，共{len(pages)}页 (no page {page}: the original has {len(pages)})")
    frame = pages[page - 1]
    declared = frame.info.get("dpi")
    source_dpi = float(declared[0]) if declared and declared[0] else frame.width / A4_WIDTH_INCHES
    scale = dpi / source_dpi
    if abs(scale - 1) > 0.01:
        size = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
        frame = frame.resize(size, Image.Resampling.LANCZOS)
    return frame


def _keep(target: Path, data: bytes) -> None:
    """Write atomically (temp file in the same directory, then os.replace): a reader never sees half a
    PNG, and two requests rendering the same page at once both leave a whole one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:  # a read-only data directory: serve the render, keep nothing
        log.warning("page image not cached (%s): %s", target, exc)


def page_png(data_dir: Path, original: Original, page: int, dpi: int = SCREEN_DPI) -> bytes:
    """Page ``page`` (1-based) of the original as a greyscale PNG at ``dpi``, from the disk cache or
    rendered now and kept there. Call :func:`require_page` first."""
    target = cache_path(data_dir, original, page, dpi)
    with contextlib.suppress(FileNotFoundError):
        return target.read_bytes()
    image = _pdf_page(original.path, page, dpi) if original.format == "pdf" else _image_frame(
        original.path, page, dpi)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    data = buffer.getvalue()
    _keep(target, data)
    return data


def png_response(request: Request, data_dir: Path, original: Original, page: int, dpi: int,
                 version: str | None = None) -> Response:
    """A page image response: its ETag names the original, the page and the dpi, so it never changes."""
    require_page(original, page)
    etag = f'"{original.sha256[:32]}-{page}-{dpi}"'
    cache = cache_control(original, version)
    if _etag_matches(request, etag):
        return Response(status_code=304, headers={"etag": etag, "cache-control": cache})
    return Response(page_png(data_dir, original, page, dpi), media_type="image/png",
                    headers={"etag": etag, "cache-control": cache})


# ------------------------------------------------------------------------------------------ the routes

# The API (/api/v1/issues/id/…) and the pages (/issues/id/…) serve the same two things, GET and HEAD alike:
# both routers register these very functions, so the four URLs cannot drift apart.

def issue_original(request: Request, issue_id: IssueId, v: Version = None) -> Response:
    """The original file (PDF, scan, OFD, DOCX, HTML) as a download named after the issue."""
    _, original = require(archive_of(request), issue_id)
    return file_response(request, original, v)


def page_image(request: Request, issue_id: IssueId, page: PageIndex, dpi: Dpi = SCREEN_DPI,
               v: Version = None) -> Response:
    """One page of a PDF or scanned original as a PNG, rendered on first request and cached on disk."""
    archive = archive_of(request)
    _, original = require(archive, issue_id)
    return png_response(request, archive.data_dir, original, page, dpi, v)


# ------------------------------------------------------------------------------------------ page views

@dataclass(frozen=True, slots=True)
class PageView:
    """One page of an original as the pages link to it."""

    index: int
    printed: str | None
    ocr: bool
    confidence: float | None
    image_url: str | None  # None when the original cannot be shown (missing, or not a PDF or scan)
    viewer_url: str | None

    @property
    def printed_differs(self) -> bool:
        """The page carries a page number other than its place in the file (a gazette numbers its pages
        across the year or from its first text page)."""
        return bool(self.printed) and self.printed != str(self.index)


def page_views(source: Mapping[str, Any], original: Original | None,
               indexes: Sequence[int] | None = None) -> list[PageView]:
    """The pages of an issue's source (those in ``indexes``, else all) with their printed numbers, OCR and
    the URLs of their image and viewer (when the original can show them)."""
    known = {int(p["index"]): p for p in source.get("page_lines") or []}
    count = int(source.get("pages") or 0)
    wanted = list(indexes) if indexes is not None else list(range(1, count + 1))
    show = original is not None and original.paged
    out = []
    for index in wanted:
        info = known.get(index, {})
        out.append(PageView(
            index=index, printed=info.get("printed"), ocr=bool(info.get("ocr")), confidence=info.get("confidence"),
            image_url=original.image_url(index) if show and original else None,
            viewer_url=original.viewer_url(index) if show and original else None,
        ))
    return out


def page_of_line(source: Mapping[str, Any], line: int) -> int | None:
    """The page (1-based index) that printed source line ``line``, None for unpaginated sources."""
    for p in source.get("page_lines") or []:
        if p["first_line"] <= line <= p["last_line"]:
            return int(p["index"])
    return None


def page_marks(source: Mapping[str, Any], original: Original | None, first: int, last: int
               ) -> dict[int, PageView]:
    """For the original-lines view of lines ``first``–``last``: the page starting at each line that starts
    one, and the page the first line stands on (a document usually begins mid-page)."""
    views = {v.index: v for v in page_views(source, original)}
    marks: dict[int, PageView] = {}
    for p in source.get("page_lines") or []:
        start, end = int(p["first_line"]), int(p["last_line"])
        if end < start or not first <= start <= last:  # a page that gave no text has nothing to mark
            continue
        marks.setdefault(start, views[int(p["index"])])
    if first not in marks:
        index = page_of_line(source, first)
        if index is not None and index in views:
            marks[first] = views[index]
    return marks


def document_context(archive: Any, doc: Mapping[str, Any], *, marks: bool = False) -> dict[str, Any]:
    """What the document page shows of the original: the file (``original``), the document's pages
    (``doc_pages``) and, for the original-lines view (``marks``), where pages begin (``page_marks``).

    A document of a text source has neither pages nor an original: one cheap query says so, and the
    issue (with its page list) is read only for documents that have them."""
    out: dict[str, Any] = {"original": None, "doc_pages": [], "page_marks": {}}
    issue_id = (doc.get("issue") or {}).get("id")
    pages = doc.get("pages")
    if not issue_id or (not pages and archive.original_path(str(issue_id)) is None):
        return out
    issue = archive.issue_by_id(str(issue_id))
    if issue is None:
        return out
    original = original_of(archive, issue)
    source = issue.get("source") or {}
    out["original"] = original
    if pages and pages.get("first") is not None:
        first, last = int(pages["first"]), int(pages.get("last") or pages["first"])
        out["doc_pages"] = page_views(source, original, range(first, last + 1))
    span = doc.get("span") or {}
    if marks and span.get("start_line") is not None:
        out["page_marks"] = page_marks(source, original, int(span["start_line"]), int(span["end_line"]))
    return out
