"""Read a government portal page: the document's body as lines, the metadata box into ``metadata``.

A portal page wraps one document in navigation, a metadata box (索引号, 发文机关, 发文字号, 成文日期, 发布日期,
主题分类, 标题) and links. The body is the page's content block — found by the names portal CMSs give it
(gov.cn's ``UCAP-CONTENT``, TRS's ``TRS_Editor``, ``zoom`` …), else by text density, else by trafilatura
when it is installed — read a paragraph per line with tables as tab rows, as the parser reads converted
text. The metadata box is read from the rest of the page (:mod:`gongbao.sources.portal`): it is what the
portal says of the document, kept beside what the body prints. A 解读 (interpretation) page is read and
marked as such; a column's list page has no document and is refused.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from gongbao.errors import UnusableInput
from gongbao.sources import portal
from gongbao.sources.markup import (
    DROP,
    Element,
    body_lines,
    cells,
    clean_text,
    link_text_length,
    tag_of,
    text_length,
)
from gongbao.sources.reading import Reading
from gongbao.sources.text import decode
from gongbao.textnorm import match_key

# the content block of the CMSs portals run on, most specific first
CONTENT_IDS = ("UCAP-CONTENT", "zoom", "Zoom", "fontzoom", "zoomcon", "vsb_content", "ivs_content", "artibody",
               "article-content", "articleContent", "mainText", "NewsContent", "newsContent", "con_text",
               "info_content", "xxgk_content", "zwnr", "content")
CONTENT_CLASSES = ("pages_content", "TRS_Editor", "TRS_UEDITOR", "trs_editor_view", "article-content",
                   "article_content", "artContent", "content_text", "news_content", "wz_content", "zwnr", "zw",
                   "detail-content", "details-content", "main-txt", "view", "article", "content")
_TITLE_CLASS_RE = re.compile(r"(^|[-_ ])(title|tit|biaoti|bt)([-_ ]|$)", re.IGNORECASE)
_CRUMB_RE = re.compile(r"crumb|position|location|dqwz|weizhi|curpos|nav-path|bread", re.IGNORECASE)
_SITE_NAME_RE = re.compile(r"(人民政府|政府网|门户网站|政务网|网站)$")
_INTERPRETATION_RE = re.compile(r"解读|答记者问|图解|一图读懂|一图看懂|政策问答")
# a heading that names an interpretation: …解读 at its end (关于做好政策解读工作的通知 is a 公文), 答记者问,
# 图解：…, 一图读懂…
_INTERPRETATION_HEADING_RE = re.compile(r"解读[》」”]?\s*[（(]?[^（）()]{0,8}[）)]?$|答记者问|^图解|一图[读看]懂|政策问答")
_RELATED_LABEL_RE = re.compile(r"(相关文件|原文链接|政策原文|文件原文|相关政策|原文件|解读文件|相关链接)[:：]?")
_MIN_BODY = 30  # characters: a block with less is not a document's body


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page: BOM, then the charset it declares (gb2312/gbk read as their superset gb18030),
    then UTF-8 or GB18030 as for text files."""
    head = data[:4096]
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", head, re.IGNORECASE)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        encoding = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}.get(
            declared, declared)
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect as for text
    return decode(data)


def parse_tree(text: str) -> Element:
    """The page as an lxml tree, without scripts, styles and comments."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UnusableInput(f"网页无法解析 (the page cannot be parsed: {exc})") from None
    for el in list(root.iter()):
        tag = tag_of(el)
        if (tag is None or tag in DROP) and el.getparent() is not None and tag not in ("head", "title", "meta"):
            el.drop_tree()
    return root


def meta_tags(root: Element) -> dict[str, str]:
    """``<meta name=… content=…>`` by lower-cased name."""
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name and name not in out:
            out[name] = clean_text(meta.get("content") or "").strip()
    return out


def _classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


def find_content(root: Element) -> Element | None:
    """The content block: a known CMS container with text, else the block with the most paragraph text."""
    by_id = {el.get("id"): el for el in root.iter() if tag_of(el) and el.get("id")}
    for name in CONTENT_IDS:
        el = by_id.get(name)
        if el is not None and text_length(el) - link_text_length(el) >= _MIN_BODY:
            return el
    for name in CONTENT_CLASSES:
        for el in root.iter():
            if tag_of(el) and name in _classes(el) and text_length(el) - link_text_length(el) >= _MIN_BODY:
                return el
    return _densest(root)


def _own_text(el: Element) -> int:
    """Text an element holds in its own paragraphs (direct text, ``<p>``/``<span>`` children), not in
    links, lists or nested blocks: the measure of a body against navigation."""
    n = len(re.sub(r"\s+", "", el.text or ""))
    for child in el:
        tag = tag_of(child)
        if tag in ("p", "span", "font", "strong", "b", "br", "h1", "h2", "h3", "h4", "h5", "h6", "center", "u"):
            n += text_length(child) - link_text_length(child)
        n += len(re.sub(r"\s+", "", child.tail or ""))
    return n


def _densest(root: Element) -> Element | None:
    best, score = None, 0
    for el in root.iter("div", "td", "article", "section", "main", "body"):
        s = _own_text(el)
        if s > score:
            best, score = el, s
    return best if score >= _MIN_BODY else None


def _trafilatura_lines(text: str) -> list[str]:
    """Main text by trafilatura, when it is installed (an optional fallback for pages no rule reads)."""
    try:
        import trafilatura  # type: ignore[import-not-found]
    except ImportError:
        return []
    extracted = trafilatura.extract(text, include_tables=True, include_comments=False, favor_recall=True)
    return [ln.strip() for ln in (extracted or "").splitlines() if ln.strip()]


def _inside(el: Element, container: Element | None) -> bool:
    return container is not None and (el is container or any(a is container for a in el.iterancestors()))


def metadata_boxes(content: Element) -> list[Element]:
    """Metadata boxes printed inside the content block (a table or list with two labelled fields or more):
    read as metadata, left out of the body."""
    boxes: list[Element] = []
    for el in content.iter("table", "dl", "ul", "ol", "div"):
        if el is content or any(_inside(el, b) for b in boxes) or text_length(el) > 800:
            continue
        if len(portal.read_cells(cells(el))) >= 2:
            boxes.append(el)
    return boxes


def read_metadata(root: Element, content: Element | None, boxes: list[Element],
                  tags: dict[str, str]) -> dict[str, str]:
    """The metadata box's fields (outside the body), then what <meta> tags (:func:`meta_tags`) add."""

    def in_body(el: Element) -> bool:
        return content is not None and el is content

    found: dict[str, str] = {}
    for box in boxes:
        for key, value in portal.read_cells(cells(box)).items():
            found.setdefault(key, value)
    for every_tag in (False, True):
        for key, value in portal.read_cells(cells(root, in_body, every_tag=every_tag)).items():
            found.setdefault(key, value)
    for key, value in portal.from_meta_tags(tags).items():
        found.setdefault(key, value)
    return found


def page_heading(root: Element, content: Element | None, metadata: dict[str, str],
                 tags: dict[str, str]) -> str | None:
    """The document's title as the page shows it above the body (ArticleTitle, the box's 标题, an
    ``<h1>`` or a ``*title*`` block outside the body, the ``<title>`` before the site name)."""
    candidates = [tags.get("articletitle", ""), metadata.get("title", "")]
    for el in root.iter():
        tag = tag_of(el)
        if tag is None or _inside(el, content) or not (
            tag in ("h1", "h2") or any(_TITLE_CLASS_RE.search(c) for c in _classes(el))
        ):
            continue
        candidates.append(clean_text(el.text_content()).strip())
    title = root.find(".//title")
    if title is not None and title.text:
        candidates.append(re.split(r"\s*[_|｜]\s*|\s+-\s+|--", clean_text(title.text).strip())[0])
    for c in candidates:
        c = c.strip()
        if 6 <= len(c) <= 150 and not _SITE_NAME_RE.search(c) and "\n" not in c:
            return c
    return None


def _names_heading(lines: list[str], heading: str) -> bool:
    """Whether the body already prints the heading (whole, or split over its first lines)."""
    key = match_key(heading)
    head = [match_key(ln) for ln in lines[:12] if ln.strip()]
    joined = "".join(head)
    return key in joined or any(len(k) >= 6 and k in key for k in head)


def _breadcrumb(root: Element) -> str:
    parts = []
    for el in root.iter():
        if tag_of(el) and (_CRUMB_RE.search(el.get("class") or "") or _CRUMB_RE.search(el.get("id") or "")):
            parts.append(clean_text(el.text_content()))
    for text in cells(root):
        if text.startswith(("当前位置", "您的位置", "您现在的位置", "所在位置")):
            parts.append(text)
    return " ".join(parts)


def is_interpretation(root: Element, heading: str | None, metadata: dict[str, str],
                      tags: dict[str, str]) -> bool:
    """A 解读 page: its heading says so (…解读, 答记者问, 图解), or its column does (the breadcrumb, the CMS's
    ColumnName); never a page whose metadata box gives a 文号 of its own."""
    if metadata.get("doc_number"):
        return False
    if heading and _INTERPRETATION_HEADING_RE.search(heading.strip()):
        return True
    column = " ".join([_breadcrumb(root), *(tags.get(k, "") for k in ("columnname", "columntype"))])
    return bool(_INTERPRETATION_RE.search(column))


def interpreted_title(root: Element, heading: str | None) -> str | None:
    """What a 解读 page explains: the 《title》 its heading names, or the link under 相关文件/原文链接."""
    if heading and (m := re.search(r"《([^《》]{4,})》", heading)):
        return m.group(1)
    texts = cells(root)
    for i, text in enumerate(texts):
        m = _RELATED_LABEL_RE.match(text)
        if m is None:
            continue
        rest = text[m.end():].strip() or (texts[i + 1] if i + 1 < len(texts) else "")
        rest = rest.strip("《》 ")
        if len(rest) >= 6:
            return rest
    return None


def is_list_page(root: Element, content: Element | None) -> bool:
    """A column's list page: many links to documents, no body of its own."""
    links = [a for a in root.iter("a") if text_length(a) >= 8]
    if len(links) < 8:
        return False
    if content is None:
        return True
    body = text_length(content) - link_text_length(content)
    return body < 200 and link_text_length(content) > body


def read_html(data: bytes) -> Reading:
    """Read a portal page (or a saved document page) into lines and metadata."""
    text, encoding = decode_html(data)
    root = parse_tree(text)
    content = find_content(root)
    if content is not None and is_list_page(root, content):
        content = None
    boxes = metadata_boxes(content) if content is not None else []
    tags = meta_tags(root)  # walked once: the metadata, the heading and the 解读 test read them
    metadata = read_metadata(root, content, boxes, tags)
    if content is not None:
        lines = body_lines(content, lambda el: any(el is b for b in boxes))
    else:
        if is_list_page(root, None):
            raise UnusableInput("这是栏目列表页，不是公文 (a list page, not a document)")
        lines = _trafilatura_lines(text)
    if sum(len(ln) for ln in lines) < _MIN_BODY:
        raise UnusableInput("网页中没有正文 (an HTML page with no body text)")
    heading = page_heading(root, content, metadata, tags)
    if heading and not _names_heading(lines, heading):
        lines.insert(0, heading)
    if is_interpretation(root, heading, metadata, tags):
        metadata["page_kind"] = "解读"
        if explained := interpreted_title(root, heading):
            metadata["interprets"] = explained
    return Reading(format="html", lines=lines, encoding=encoding, metadata=metadata)
