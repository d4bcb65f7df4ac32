"""Validity: when a document takes effect, until when, whether it is on trial, and what it does to others.

Gazettes print the answer in a few fixed shapes, scattered over the document:

- commencement: 本办法自2022年3月1日起施行 / 本制度自印发之日起实施 / 自发布之日起施行;
- expiry: 有效期至2024年12月22日 / 有效期限至2020年12月31日 / 有效期5年 (counted from commencement);
- trial: 试行 / 暂行 in the document's own title or in the title of the document it issues;
- effects on other documents: 《…》（宁政发〔2015〕20号）同时废止, 废止《…》, 对《…》作如下修改, and lists
  introduced by a header (决定废止下列规章：, 继续有效的规范性文件目录) — repeals, amends, continues,
  declares expired — each target kept as printed (文号 and/or 《title》, and the issuer when named).

Why the grammar insists on a subject: 自2019年起，每年开展… starts a task, 认定有效期为3年 is the validity
of a certificate, 修订《…办法》 in a plan is a task, not an amendment. A commencement or expiry counts only
when it speaks of the document itself (本办法…, or a sentence that opens with 有效期), and an amendment or
repeal by a verb before its target only when the document decides it (决定, 现, 同时, 予以) or its title says
so (关于废止《…》的决定).

Pure: find (regexes over each block's repaired text) → resolve (dates from rules, years from
commencement) → annotate (spans into the block text, as citations do). Resolution of targets against
stored documents belongs to the archive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongbao.dates import DATE_RE, _date_from, cn_to_int
from gongbao.docnumber import ORDER_RE, _order_from_match
from gongbao.extract._blocks import LineMap, row_lines, sentence_bounds
from gongbao.extract.citations import RawCitation, find_in_text
from gongbao.model import Block, Document, Effect, EffectType, Gazette, Span, Validity
from gongbao.textnorm import repair_spaces

_DATE = DATE_RE.pattern
_SP = r"[ \t\u3000]*"
# what a document calls itself: 本办法, 本实施意见, 本通知, 本规定 (short: 本地区 is not a document)
_SELF = r"本(?:[\u4e00-\u9fff]{1,6}?)(?:[（(][^）)]{1,6}[）)])?"
_TAKES_EFFECT = r"(?:施行|实施|执行|生效|试行)"

# 本办法自2022年3月1日起施行 / 本意见自印发之日起实施 / 本规定自发布之日起30日后施行 (rule only)
COMMENCE_RE = re.compile(
    rf"(?P<subject>{_SELF})?{_SP}(?:[，,]{_SP})?(?:自|从|于){_SP}"
    rf"(?:(?P<date>{_DATE})|(?P<rule>印发|发布|公布|签发|下发|发文|颁布|公告|发出|通过)之日){_SP}起{_SP}"
    rf"(?P<verb>{_TAKES_EFFECT})"
)
# 有效期至2024年12月22日 / 有效期限至 2020 年 12 月 31 日 / 有效期5年 / 有效期为三年 / 试行期2年
EXPIRE_RE = re.compile(
    rf"(?P<what>有效期限?|试行期|执行期限?|实施期限?){_SP}(?:为|是)?{_SP}"
    rf"(?:(?:至|到|截至|截止到?){_SP}(?P<date>{_DATE})|(?P<n>\d{{1,2}}|[一二两三四五六七八九十]{{1,2}}){_SP}(?P<unit>年|个月))"
)
# the sentence (clause) opens with the document's expiry: 有效期… / 本办法有效期… / 本意见的有效期…
_EXPIRE_OPENS_RE = re.compile(rf"^(?:{_SELF}(?:的)?)?(?:有效期|试行期|执行期|实施期)")
_TRIAL_RE = re.compile(r"试行|暂行")
_QUOTED_RE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")

# effect words, by type; a list header names one of them with 下列/以下/如下 or ends in a colon
_TRIGGERS: list[tuple[EffectType, str]] = [
    ("declares_expired", r"宣布(?:失效|废止失效)|(?:同时|予以|自行)失效"),
    ("continues", r"继续有效|继续执行|继续施行"),
    ("repeals", r"废止|停止执行|不再执行|停止施行"),
    ("amends", r"修改|修订|修正"),
]
TRIGGER_RE = re.compile("|".join(f"(?P<{t}>{p})" for t, p in _TRIGGERS))
# what may stand between targets and a postfix trigger: 《A》（号）同时废止, 《A》和《B》予以废止
_POSTFIX_GAP_RE = re.compile(r"^[\s，,、和及与等件份个项此上述以下文规章范性同时一并予以即行自行相应均亦也作出的（）()]{0,12}$")
# what a prefix trigger needs before it to be a decision: 决定废止, 现将…废止, 同时废止
_PREFIX_LEAD_RE = re.compile(r"(?:决定|现|同时|并|予以|一并|宣布|即行|拟|将|对)\s*(?:予以)?\s*$")
_PREFIX_GAP_RE = re.compile(r"^[\s：:，,下列以如的了部分规章文件规范性和]{0,10}$")
# 对《X》作如下修改 / 对《X》部分条款予以修改 / 将《X》第五条修改为
# decided, not planned or under way: 作如下修改 / 予以修订 (not 进行修订, 的修订建议)
_AMEND_AROUND_RE = re.compile(r"^[^。；《]{0,20}?(?:(?:作|做)出?(?:如下|以下)|予以)(?:修改|修订|修正)")
_AMEND_TO_RE = re.compile(r"^[^。；《]{0,20}?(?:修改|修正)为")
_LIST_HEADER_RE = re.compile(r"(?:下列|以下|如下|目录|清单|名单|一览表|：|:)\s*$|(?:下列|以下|如下)")
_ITEM_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]|"
                      r"[一二三四五六七八九十]{1,3}\s*、|\d{1,3}\s)?\s*(?=《|[^\s]{0,30}[〔\[［（(【]\s*(?:19|20)\d\d)")
_KIND_END_RE = re.compile(r"(?:办法|规定|通知|意见|方案|细则|规则|决定|条例|制度|标准|目录|规划|计划|纲要|通告|公告|批复|函)"
                          r"(?:[（(](?:试行|暂行|修订|修订稿)[）)])?$")
_ISSUER_BEFORE_RE = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|厅|局|委|部))"
                               r"(?:印发|发布|制定|转发)的?$")


_OPEN_PAREN_RE = re.compile(r"\s*[（(]\s*")
_CLOSE_PAREN_RE = re.compile(r"\s*[）)]")


@dataclass(slots=True)
class _Found:
    """An effect found in one text, before spans: offsets of its first target and the end of the trigger."""

    type: EffectType
    targets: list[RawCitation]
    start: int
    end: int


def _trigger_type(m: re.Match[str]) -> EffectType:
    return m.lastgroup  # type: ignore[return-value]


def _title_before(text: str, number_start: int) -> str | None:
    """The title of a target printed without 《》 before its bracketed 文号: 原宁夏…办法（宁政发〔2015〕20号）.
    Kept only when it ends like a document name (办法, 通知 …)."""
    head = text[:number_start].rstrip(" （(")
    cut = max(head.rfind(ch) for ch in "，,。；;：:、\n")
    piece = head[cut + 1:]
    for lead in ("印发的", "制定的", "发布的", "原"):
        k = piece.rfind(lead)
        if k >= 0:
            piece = piece[k + len(lead):]
    piece = piece.strip()
    return piece if 4 <= len(piece) <= 80 and _KIND_END_RE.search(piece) else None


def _issuer_before(text: str, start: int) -> str | None:
    """The organ a target is attributed to: 自治区人民政府办公厅印发的《…》 → 自治区人民政府办公厅."""
    head = text[max(0, start - 40):start]
    head = head[max(head.rfind(ch) for ch in "，,。；;：:、\n") + 1:]
    m = _ISSUER_BEFORE_RE.search(head)
    return m.group(1) if m else None


def _targets(text: str) -> list[RawCitation]:
    """Documents named in ``text`` (《title》, 《title》（文号）, bare 文号), bare numbers given the title
    printed before them when there is one."""
    out = find_in_text(text)
    for raw in out:
        if raw.title is not None and raw.number is None and "令" in text:
            # an order number in parentheses after the title: 《…办法》（宁夏回族自治区人民政府令第12号）
            paren = _OPEN_PAREN_RE.match(text, raw.end)
            m = ORDER_RE.match(text, paren.end()) if paren else None
            number = _order_from_match(m) if m else None
            if m and number is not None:
                raw.number = number.canonical
                close = _CLOSE_PAREN_RE.match(text, m.end())
                raw.end = close.end() if close else m.end()
        if raw.title is None and raw.number is not None:
            raw.title = _title_before(text, raw.start)
    return out


def _effects_in(text: str, *, titled: bool = False) -> list[_Found]:
    """Effects stated inline in one text (a paragraph or a title): each trigger takes the targets just
    before it (postfix: 《A》同时废止) or, when decided, just after it (prefix: 决定废止《A》、《B》)."""
    if not TRIGGER_RE.search(text):
        return []
    targets = _targets(text)
    if not targets:
        return []
    out: list[_Found] = []
    used: set[int] = set()
    for m in TRIGGER_RE.finditer(text):
        kind = _trigger_type(m)
        s0, e0 = sentence_bounds(text, m.start(), m.end())
        # postfix: the targets of this sentence before the trigger, the last one close to it
        before = [t for t in targets if s0 <= t.start and t.end <= m.start() and id(t) not in used]
        if before and _POSTFIX_GAP_RE.match(text[before[-1].end:m.start()]):
            chosen = _chain(text, before)
            if kind == "amends" and not re.search(r"予以|作出|进行|已", text[chosen[-1].end:m.start()]):
                chosen = []  # 《X》修订 alone is a noun phrase (修订本), not a decision
            if chosen:
                out.append(_Found(kind, chosen, chosen[0].start, m.end()))
                used.update(id(t) for t in chosen)
                continue
        # 对《X》作如下修改 / 将《X》第五条修改为
        if kind == "amends":
            for t in before:
                lead = text[max(s0, t.start - 3):t.start]
                rest = text[t.end:m.end() + 1]
                decided = ((lead.endswith("对") and _AMEND_AROUND_RE.match(rest))
                           or (lead.endswith("将") and _AMEND_TO_RE.match(rest)))
                if id(t) not in used and decided and not re.search(r"正在|拟|建议|将要", text[s0:t.start]):
                    out.append(_Found(kind, [t], t.start, m.end()))
                    used.add(id(t))
                    break
            if out and out[-1].end == m.end():
                continue
        # prefix: 决定废止《A》（号）、《B》 / 同时废止《A》 / (a title) 关于废止《A》的决定
        after = [t for t in targets if m.end() <= t.start and t.end <= e0 and id(t) not in used]
        decided = titled or _PREFIX_LEAD_RE.search(text[s0:m.start()]) is not None
        if after and decided and _PREFIX_GAP_RE.match(text[m.end():after[0].start]):
            chosen = _chain(text, after, forward=True)
            out.append(_Found(kind, chosen, m.start(), chosen[-1].end))
            used.update(id(t) for t in chosen)
    return out


def _chain(text: str, targets: list[RawCitation], *, forward: bool = False) -> list[RawCitation]:
    """The run of targets joined by 、/和/及 next to the trigger (the last ones for a postfix trigger, the
    first ones for a prefix trigger)."""
    seq = targets if forward else list(reversed(targets))
    chain = [seq[0]]
    for t in seq[1:]:
        a, b = (chain[-1], t) if forward else (t, chain[-1])
        if re.fullmatch(r"[\s、，,和及与以并]{0,3}", text[a.end:b.start]):
            chain.append(t)
        else:
            break
    return chain if forward else list(reversed(chain))


def _list_type(text: str) -> EffectType | None:
    """The effect a list header introduces (决定废止下列规章：, 继续有效的规范性文件目录), or None."""
    found = list(TRIGGER_RE.finditer(text))
    m = found[-1] if found else None
    if m is None or not _LIST_HEADER_RE.search(text[m.start():]):
        return None
    if find_in_text(text):
        return None  # the targets are inline (对《X》作如下修改：): not a header
    return _trigger_type(m)


def _is_item(text: str) -> bool:
    return _ITEM_RE.match(text) is not None


def _row_target(cells: list[str]) -> tuple[str | None, str | None]:
    """(title, 文号) of a table row listing a document: a 《》 or name cell and a 文号 cell."""
    number = None
    title = None
    for cell in cells:
        raws = find_in_text(cell)
        for raw in raws:
            number = number or raw.number
            title = title or raw.title
        if not raws and cell and title is None and _KIND_END_RE.search(re.sub(r"\s+", "", cell)):
            title = repair_spaces(cell.strip())
    return title, number


def _parts(document: Document) -> Iterator[tuple[str, list[Block]]]:
    yield from document.parts()


def _effects(document: Document) -> list[Effect]:
    out: list[Effect] = []
    # the title decides too: 关于废止《…》的决定, 关于修改《…》的决定
    title = document.title
    if title:
        for f in _effects_in(title, titled=True):
            line = document.span.start_line
            for t in f.targets:
                out.append(Effect(f.type, t.number, t.title, Span(line, line, t.start, f.end),
                                  sentence=title))
    for part_title, blocks in _parts(document):
        mode: EffectType | None = _list_type(part_title) if part_title != document.title else None
        for block in blocks:
            text = block.text
            if block.kind == "table" and block.table is not None:
                if mode is None:
                    continue
                lines = row_lines(block)
                for r, row in enumerate(block.table.rows):
                    if r < block.table.header_rows:
                        continue
                    name, number = _row_target([c.text for c in row])
                    if name or number:
                        line = lines[r] if r < len(lines) else block.span.start_line
                        out.append(Effect(mode, number, name, Span(line, line),
                                          sentence=" ".join(c.text for c in row if c.text).strip()))
                continue
            header = _list_type(text)
            if header is not None:
                mode = header
                continue
            found = _effects_in(text)
            lines = LineMap(block) if found or mode else None
            for f in found:
                s, e = sentence_bounds(text, f.start, f.end)
                for t in f.targets:
                    assert lines is not None
                    out.append(Effect(f.type, t.number, t.title, lines.span(t.start, max(t.end, f.end)),
                                      target_issuer=_issuer_before(text, t.start), sentence=text[s:e].strip()))
            if found or mode is None:
                continue
            if _is_item(text):
                raws = _targets(text)
                if raws and raws[0].start <= _label_length(text) + 1:
                    t = raws[0]
                    assert lines is not None
                    s, e = sentence_bounds(text, t.start, t.end)
                    out.append(Effect(mode, t.number, t.title, lines.span(t.start, t.end),
                                      sentence=text[s:e].strip()))
            elif ((block.kind == "heading" or not text.lstrip().startswith(("“", "‘", "\"")))
                  and len(text) > 60 and not re.search(r"(?:修改|修订|修正|删除|增加)", text)):
                mode = None  # prose again: the list is over
    return _dedupe(out)


def _dedupe(effects: list[Effect]) -> list[Effect]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out = []
    for e in effects:
        key = (e.type, e.target_doc_number, re.sub(r"\s+", "", e.target_title or "") or None)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def _add_years(d: dt.date, years: int = 0, months: int = 0) -> dt.date:
    total = d.year * 12 + d.month - 1 + years * 12 + months
    y, m = divmod(total, 12)
    day = d.day
    while True:
        try:
            return dt.date(y, m + 1, day)
        except ValueError:
            day -= 1


def expiry_after(start: dt.date, n: int, unit: str) -> dt.date:
    """The last day of a validity of ``n`` years (or months) from ``start``: 2022-03-01 + 5年 → 2027-02-28."""
    end = _add_years(start, years=n) if unit == "年" else _add_years(start, months=n)
    return end - dt.timedelta(days=1)


def rule_date(rule: str, document: Document, gazette: Gazette | None) -> dt.date | None:
    """The date a commencement rule points at: 印发/签发/下发/通过 → signing date; 发布/公布/颁布/公告 →
    the publication date (the issue's, else the signing date)."""
    if rule in ("发布", "公布", "颁布", "公告"):
        published = gazette.published if gazette else None
        return published or document.signed
    return document.signed


_LABEL_RE = re.compile(r"^\s*(?:第[\d一二三四五六七八九十百零〇]{1,5}条|[一二三四五六七八九十]{1,3}、|"
                       r"[（(][\d一二三四五六七八九十]{1,3}[）)]|\d{1,3}[.．、])?\s*")


def _label_length(text: str) -> int:
    """Length of the article or list label a clause opens with (第三十三条 本办法自…起施行)."""
    m = _LABEL_RE.match(text)
    return m.end() if m else 0


def _own_title(title: str) -> str:
    """A title without the titles it quotes: 关于废止《…暂行办法》的决定 is not itself 暂行."""
    return _QUOTED_RE.sub("", title)


def find_validity(document: Document, gazette: Gazette | None = None) -> Validity:
    """The validity of one document: commencement, expiry, trial, effects — each with its span."""
    v = Validity()
    n_years: tuple[int, str, Span, str] | None = None
    for _, blocks in _parts(document):
        for block in blocks:
            if block.kind == "table":
                continue
            text = block.text
            lines: LineMap | None = None
            if v.commences_span is None and ("起" in text):
                for m in COMMENCE_RE.finditer(text):
                    s, _ = sentence_bounds(text, m.start(), m.end())
                    s += _label_length(text[s:])
                    opens = not text[s:m.start()].strip(" ，,")
                    if not (m.group("subject") or opens):
                        continue
                    if m.group("subject") and text[s:m.start("subject")].strip(" ，,"):
                        # 本办法 must open its clause: 按照本规定自…起执行新标准 is a rule inside
                        clause = text[s:m.start("subject")]
                        if not re.search(r"[，,]\s*$", clause):
                            continue
                    lines = lines or LineMap(block)
                    if m.group("date"):
                        v.commences = _date_from(re.match(_DATE, m.group("date")))  # type: ignore[arg-type]
                    else:
                        rule = m.group("rule")
                        v.commences_rule = f"自{rule}之日起"
                        v.commences = rule_date(rule, document, gazette)
                    v.commences_span = lines.span(m.start(), m.end())
                    break
            if v.expires_span is None and ("期" in text):
                for m in EXPIRE_RE.finditer(text):
                    s, _ = sentence_bounds(text, m.start(), m.end())
                    clause_start = max(s, *(text.rfind(ch, 0, m.start()) + 1 for ch in "，,"))
                    same_as_commence = (v.commences_span is not None and lines is not None
                                        and v.commences_span.start_char is not None
                                        and s <= v.commences_span.start_char < m.start())
                    if not (same_as_commence or _EXPIRE_OPENS_RE.match(text[clause_start:m.end()])
                            or _EXPIRE_OPENS_RE.match(text[s:m.end()])):
                        continue
                    lines = lines or LineMap(block)
                    span = lines.span(m.start(), m.end())
                    if m.group("what") == "试行期":
                        v.trial = True
                        v.trial_span = v.trial_span or span
                    if m.group("date"):
                        v.expires = _date_from(re.match(_DATE, m.group("date")))  # type: ignore[arg-type]
                        v.expires_span = span
                    else:
                        n = cn_to_int(m.group("n"))
                        if n:
                            n_years = (n, m.group("unit"), span, m.group(0))
                            v.expires_span = span
                    break
    if n_years is not None:
        n, unit, span, printed = n_years
        v.expires_rule = re.sub(r"\s+", "", printed)
        start = v.commences or document.signed
        v.expires = expiry_after(start, n, unit) if start else None
    # trial: the document's own title, else the title of a document it issues
    for title, span in [(document.title, Span(document.span.start_line, document.span.start_line))] + [
            (e.title, e.span) for e in document.enclosures]:
        m = _TRIAL_RE.search(_own_title(title or ""))
        if m:
            v.trial = True
            v.trial_span = v.trial_span or span
            break
    v.effects = _effects(document)
    spans = [s for s in (v.commences_span, v.expires_span) if s is not None] + [e.span for e in v.effects]
    v.span = min(spans, key=lambda s: (s.start_line, s.start_char or 0)) if spans else v.trial_span
    return v
