"""Assemble one document from its region of lines: front matter, body, signature, enclosures, annexes."""

from __future__ import annotations

import re

from gongbao.dates import full_date
from gongbao.model import Annex, Block, Document, Enclosure, Span
from gongbao.parse.annexes import _LABEL_RE, find_annexes
from gongbao.parse.body import OutlineBuilder, build_blocks
from gongbao.parse.frontmatter import (
    addressees,
    edit_note,
    is_addressee_line,
    is_organ_name,
    kind_of,
    paren_date,
    public_note,
    split_joint,
    split_organs,
    title_like,
    title_prefix_organs,
)
from gongbao.parse.lines import Line
from gongbao.parse.segment import Anchor, similarity
from gongbao.textnorm import match_key, repair_spaces, title_key

_TRANSMIT_RE = re.compile(r"(印发|转发|批转|颁布|发布)")
_ENCLOSED_NAME_RE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")


def _next_nonblank(lines: list[Line], i: int, hi: int) -> int | None:
    while i < hi and lines[i].blank:
        i += 1
    return i if i < hi else None


_SIGNER_RE = re.compile(
    r"^(代理)?(代)?(国务院)?(总理|主席|省长|市长|州长|盟长|县长|区长|旗长|部长|主任|局长|署长|行长|院长|书记|组长)"
    r"\s*[\u4e00-\u9fff]{2,4}$")


def order_issuer(printed: str) -> str:
    """The organ an order is issued by, from its printed number: 中华人民共和国国务院令第706号 → 国务院.

    The state's name before a ministry's or the State Council's name is the series' heading, not part
    of the organ's name as signed; a 主席令 keeps it (中华人民共和国主席)."""
    compact = re.sub(r"\s+", "", printed)
    head = re.split(r"令[（(〔\[]?(?:第|(?:19|20)\d{2})", compact, maxsplit=1)[0]
    if head.startswith("中华人民共和国") and not head.endswith("主席"):
        head = head.removeprefix("中华人民共和国")
    return head


def _find_signature(lines: list[Line], lo: int, hi: int) -> tuple[int, int, list[str]] | None:
    """(first organ line, date line, issuers) of the first signature block in [lo, hi).

    An order (令) is signed by a person (主席 张三): that block is found with no organ names."""
    for i in range(lo, hi):
        line = lines[i]
        if line.blank or len(line.clean) > 20:
            continue
        if full_date(line.clean) is None:
            continue
        organs: list[str] = []
        first = i
        j = i - 1
        while j >= lo and len(organs) < 4:
            if lines[j].blank:
                j -= 1
                continue
            text = lines[j].clean
            if not organs and _SIGNER_RE.match(re.sub(r"\s+", "", lines[j].text)):
                first = j
                organs = [""]
                break
            names = split_joint(lines[j].text) or (
                [text] if is_organ_name(text) else split_organs(lines[j].text))
            if not names:
                break
            organs = names + organs
            first = j
            j -= 1
        if organs:
            return first, i, organs
    return None


_CLOSING_RE = re.compile(r"^(附\s*件|抄\s*送|联系人|[（(]\s*联系人)")


def _bare_date(lines: list[Line], lo: int, hi: int, transmittal: bool) -> int | None:
    """A date line with no organ above it that closes the text: what follows is nothing, a note, the
    annex list, the 抄送 line or (for a 转发/印发 notice) the enclosed document."""
    for i in range(lo, hi):
        line = lines[i]
        if line.blank or len(line.clean) > 20 or full_date(line.clean) is None:
            continue
        k = _next_nonblank(lines, i + 1, hi)
        if k is None or public_note(lines[k]) or edit_note(lines[k]) or _CLOSING_RE.match(lines[k].clean):
            return i
        if transmittal and title_like(lines[k]):
            return i
    return None


def enclosed_names(text: str) -> list[str]:
    """Top-level 《…》 names in a notice's text (nested 《》 kept inside)."""
    return [repair_spaces(m.group(1)) for m in _ENCLOSED_NAME_RE.finditer(text)]


def _title_window(lines: list[Line], start: int, hi: int, names: list[str]) -> list[int]:
    """The title lines of an enclosure that begins at ``start``: 1–3 title-like lines, name-guided."""
    idx = [start]
    j = start + 1
    while len(idx) < 3:
        k = _next_nonblank(lines, j, hi)
        if k is None or not title_like(lines[k]) or len(lines[k].clean) > 40:
            break
        idx.append(k)
        j = k + 1
    if not names:
        return idx[:1]
    keys = [title_key(n) for n in names]
    best = max(
        (max(similarity(title_key("".join(lines[i].clean for i in idx[:k])), key) for key in keys), -k)
         for k in range(1, len(idx) + 1)
    )
    return idx[: -best[1]]


def _find_named(lines: list[Line], name: str, lo: int, hi: int) -> int | None:
    key = title_key(name)
    best: tuple[float, int] | None = None
    for i in range(lo, hi):
        line = lines[i]
        if line.blank or not title_like(line) or len(line.clean) > 60:
            continue
        joined = title_key(line.clean)
        k = _next_nonblank(lines, i + 1, hi)
        joined2 = joined + title_key(lines[k].clean) if k is not None and title_like(lines[k]) else joined
        score = max(similarity(joined, key), similarity(joined2, key))
        if score >= 0.85 and (best is None or score > best[0]):
            best = (score, i)
            if score > 0.99:
                break
    return best[1] if best else None


def _region_blocks(lines: list[Line], lo: int, hi: int, outline: OutlineBuilder | None = None) -> list[Block]:
    return build_blocks(lines[lo:hi], outline) if hi > lo else []


def assemble(lines: list[Line], anchor: Anchor, end: int) -> Document:
    """Build the document whose title block starts at ``anchor`` and whose region ends before ``end``."""
    title_text = repair_spaces("".join(lines[i].clean for i in anchor.title))
    printed = "\n".join(lines[i].raw for i in anchor.title)
    start = anchor.start
    doc = Document(title=title_text, title_printed=printed, span=_trimmed(lines, start, end),
                   doc_number=anchor.number, kind=kind_of(title_text))
    if anchor.organ_line is not None:
        doc.organ_line = re.sub(r"\s+", " ", lines[anchor.organ_line].text.strip())
    cursor = max([*anchor.title, anchor.number_line or 0]) + 1
    # date in parentheses under the title
    k = _next_nonblank(lines, cursor, end)
    if k is not None and (d := paren_date(lines[k])):
        doc.signed = d
        cursor = k + 1
    # addressees
    k = _next_nonblank(lines, cursor, end)
    if k is not None and k - cursor <= 3 and is_addressee_line(lines[k]):
        doc.addressees = addressees(lines[k].clean)
        cursor = k + 1
    body_start = cursor
    # annexes first: their printed part is cut off the end of the region
    layout = find_annexes(lines, body_start, end)
    content_end = layout.printed_starts[0] if layout.printed_starts else end
    signature = _find_signature(lines, body_start, content_end)
    order = bool(anchor.number and anchor.number.is_order)
    if order:
        doc.kind = "命令"
    transmittal = order or (
        bool(_TRANSMIT_RE.search(title_text)) and doc.kind in ("通知", "通报", "决定", "命令", "函"))
    after_sig = None
    if signature:
        first, date_i, organs = signature
        doc.issuers = [o for o in organs if o]
        if not doc.issuers and order and anchor.number:
            doc.issuers = [order_issuer(anchor.number.printed)]
        doc.signed = doc.signed or full_date(lines[date_i].clean)
        doc.signature_span = Span(lines[first].no, lines[date_i].no)
        after_sig = date_i + 1
        k = _next_nonblank(lines, after_sig, content_end)
        if k is not None and (note := public_note(lines[k])):
            doc.public, doc.public_note = note
            after_sig = k + 1
    elif (bare := _bare_date(lines, body_start, content_end, transmittal)) is not None:
        # a date line closing the text with no organ above it: the signing date; the issuer is the
        # title's or the organ line's
        doc.signed = doc.signed or full_date(lines[bare].clean)
        doc.signature_span = Span(lines[bare].no, lines[bare].no)
        signature = (bare, bare, [])
        after_sig = bare + 1
        k = _next_nonblank(lines, after_sig, content_end)
        if k is not None and (note := public_note(lines[k])):
            doc.public, doc.public_note = note
            after_sig = k + 1
    else:
        for i in range(body_start, content_end):
            if note := public_note(lines[i]):
                doc.public, doc.public_note = note
                # a signature printed without its organ line: the date just above the public note
                k = i - 1
                while k > body_start and lines[k].blank:
                    k -= 1
                if date := full_date(lines[k].clean):
                    doc.signed = doc.signed or date
                    doc.signature_span = Span(lines[k].no, lines[k].no)
                    signature = (k, k, [])
                    after_sig = i + 1
                break
    if after_sig is not None:
        # a portal's （本文有删减） under the signature belongs to neither the notice nor an enclosure
        k = _next_nonblank(lines, after_sig, content_end)
        if k is not None and edit_note(lines[k]):
            after_sig = k + 1
    if not doc.issuers:
        if doc.organ_line:
            doc.issuers = split_organs(doc.organ_line) or [doc.organ_line]
        elif organs := title_prefix_organs(lines[anchor.title[0]].text if anchor.title else ""):
            doc.issuers = organs
        elif "关于" in title_text and is_organ_name(title_text.split("关于")[0]):
            doc.issuers = [title_text.split("关于")[0]]
    outline = OutlineBuilder()
    if signature and after_sig is not None and transmittal:
        notice_end = signature[0]
        doc.body = _region_blocks(lines, body_start, notice_end, outline)
        names = enclosed_names(" ".join(b.text for b in doc.body))
        enc_starts: list[tuple[int, list[int]]] = []
        first = _next_nonblank(lines, after_sig, content_end)
        if first is not None:
            enc_starts.append((first, _title_window(lines, first, content_end, names)))
            lo = enc_starts[0][1][-1] + 1
            for name in names:
                if any(similarity(title_key("".join(lines[i].clean for i in t)), title_key(name)) >= 0.85
                       for _, t in enc_starts):
                    continue
                found = _find_named(lines, name, lo, content_end)
                if found is not None:
                    enc_starts.append((found, _title_window(lines, found, content_end, [name])))
                    lo = found + 1
        enc_starts.sort()
        for n, (s, tlines) in enumerate(enc_starts):
            e = enc_starts[n + 1][0] if n + 1 < len(enc_starts) else content_end
            etitle = repair_spaces("".join(lines[i].clean for i in tlines))
            enc = Enclosure(title=etitle, span=_trimmed(lines, s, e), kind=kind_of(etitle))
            enc.body = _region_blocks(lines, tlines[-1] + 1, e, OutlineBuilder())
            doc.enclosures.append(enc)
    else:
        sig_start = signature[0] if signature else content_end
        doc.body = _region_blocks(lines, body_start, sig_start, outline)
        if signature and after_sig is not None and after_sig < content_end:
            doc.body.extend(_region_blocks(lines, after_sig, content_end, outline))
    if order and doc.enclosures:
        # the order carries a regulation: the TOC and readers know the item by the regulation's name
        doc.title = doc.enclosures[0].title
        doc.kind = doc.enclosures[0].kind or "命令"
    doc.attachments = _printed_annexes(lines, layout.annexes, layout.printed_starts, end)
    return doc


def _printed_annexes(lines: list[Line], listed: list[Annex], starts: list[int], end: int) -> list[Annex]:
    annexes = list(listed)
    for n, s in enumerate(starts):
        e = starts[n + 1] if n + 1 < len(starts) else end
        body_from = s + 1
        label = _LABEL_RE.match(lines[s].clean)
        number = int(label.group("n")) if label and label.group("n") else None
        title = ""
        if label:
            k = _next_nonblank(lines, s + 1, e)
            if k is not None and title_like(lines[k]) and len(lines[k].clean) <= 60:
                title = lines[k].clean
                body_from = k + 1
        else:
            title = lines[s].clean
        target = None
        for a in annexes:
            if a.printed_span is None and (
                (number is not None and a.number == number)
                or (title and match_key(a.title) == match_key(title))
                or (number is None and not title)
            ):
                target = a
                break
        if target is None and len(annexes) == 1 and annexes[0].printed_span is None and n == 0:
            target = annexes[0]
        if target is None:
            target = Annex(number=number, title=title, omitted=False, span=Span(lines[s].no, lines[s].no))
            annexes.append(target)
        if not target.title:
            target.title = title
        target.printed_span = _trimmed(lines, s, e)
        target.body = _region_blocks(lines, body_from, e, OutlineBuilder())
    return annexes


def _trimmed(lines: list[Line], start: int, end: int) -> Span:
    """The span of lines[start:end] without trailing blank lines."""
    last = end - 1
    while last > start and lines[last].blank:
        last -= 1
    return Span(lines[start].no, lines[last].no)


def data_section(lines: list[Line], anchor: Anchor, end: int, kind: str) -> Document:
    """An item without a 文号 (economic data and the like): title and body."""
    title_text = repair_spaces("".join(lines[i].clean for i in anchor.title))
    doc = Document(title=title_text, title_printed="\n".join(lines[i].raw for i in anchor.title),
                   span=_trimmed(lines, anchor.start, end), kind=kind)
    doc.body = _region_blocks(lines, anchor.title[-1] + 1, end)
    return doc
