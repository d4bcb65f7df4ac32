"""The task ledger: every responsibility note of a document becomes a :class:`~gongbao.model.Task`.

Plans assign each measure to organs in a note, and gazettes print the note in many forms:

- a bracket at the end of the measure: 〔自治区教育厅、发展改革委负责〕, [宁夏气象局牵头，…按职责分工负责],
  （市农业农村局牵头，市财政局配合，2022年完成）, or bare names closing it (…。（工信部、应急管理部））—
  brackets of any kind, even mismatched (〔…]);
- labelled: 〔责任单位：自治区发展改革委〕, [责任单位:X;配合单位:Y], 〔牵头单位:X,配合单位:Y,落实单位:Z〕,
  【牵头单位】X, 责任单位：X（牵头）、Y;
- label lines after the measure: 牵头单位:X / 配合单位:Y / 落实单位:Z / 完成时限:…;
- a 责任单位 column of a table (one task per row);
- a standing note, 以下…均由X落实，不再列出, that makes X a unit of every later task.

Notes break across lines and the parser may glue a label line to the next paragraph, so label values are
cut at the source line break where the unit list is complete. Who is who follows the government
convention: units before 牵头 lead and units after it (…配合, …按职责分工负责) are partners; with no 牵头,
every unit of 〔…负责〕 or 责任单位 is responsible, i.e. a lead; 落实单位 are implementers. Names are expanded by
:mod:`gongbao.extract.orgs` (自治区科技厅、财政厅 → 自治区财政厅) in the gazette's jurisdiction.

The note parser (:func:`find_notes`, :func:`parse_roles`) is pure text → data, so it can be tested on
single lines and fuzzed; :func:`find_tasks` walks a document's blocks and adds the measure and the span.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from gongbao.extract import orgs
from gongbao.extract._blocks import LineMap, header_rows, row_lines
from gongbao.model import Block, Cell, Document, Gazette, Span, Task

# --- the grammar --------------------------------------------------------------------------------------

_OPEN = "[〔【（(［"
_CLOSE = "]〕】）)］"
# jump from bracket to bracket instead of walking the text char by char: most of a block is plain text
_OPEN_RE = re.compile(f"[{re.escape(_OPEN)}]")
_BRACKET_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE)}。]")
_ANY_BRACKET_RE = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")
_SPACE_RE = re.compile(r"\s+")
_LABELS: dict[str, str] = {
    "责任单位": "resp", "责任部门": "resp", "负责单位": "resp", "主责单位": "resp", "责任主体": "resp",
    "牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead",
    "配合单位": "partner", "配合部门": "partner", "协办单位": "partner", "参与单位": "partner",
    "协同单位": "partner",
    "落实单位": "impl", "实施单位": "impl", "承办单位": "impl",
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "时限要求": "deadline",
    "完成期限": "deadline",
    # people and contacts: not units, skipped
    "责任领导": "skip", "牵头领导": "skip", "分管领导": "skip", "责任人": "skip", "联系人": "skip",
}
_LABEL_ALT = "|".join(sorted(_LABELS, key=len, reverse=True))
_LABEL_FIRST = "".join(sorted({label[0] for label in _LABELS}))
# the lookahead lets the scan skip characters that cannot start a label instead of trying every branch
_LABEL_RE = re.compile(rf"(?=[【{_LABEL_FIRST}])(?:【\s*({_LABEL_ALT})\s*】[:：]?|({_LABEL_ALT})\s*[:：])")
_MARKER_RE = re.compile(r"负责|牵头|会同|配合|参与|落实|不再列出|" + _LABEL_ALT)
_ROLE_RE = re.compile(
    r"(?P<lead>(?:分别|共同|联合)?(?:牵头|会同))(?!单位|部门|领导)"
    r"|(?P<impl>(?:组织|负责|具体)?落实)(?!单位)"
    r"|(?P<resp>(?:按照?|根据|依据?|依照)?(?:各自)?(?:职责|职能)?(?:分工)?(?:分别|共同|具体|各自)?负责)(?!单位|人)"
    r"|(?P<partner>(?:积极|共同)?(?:配合|参与|协助|协同|指导|督导|督促))(?!单位|部门)"
)
_Y4 = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_YEAR = rf"{_Y4}\s*年"
_DATE = (
    rf"(?:(?:{_Y4}\s*年?\s*[—–\-－~～至到]\s*)?{_YEAR}|每年|每半年|每季度|每月|年内|当年|年底|年末)?"
    r"(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"(?:底|末|上半年|下半年|第[一二三四]季度|上旬|中旬|下旬)?(?:前|以前|之前|起|开始)?"
)
_DEADLINE_RE = re.compile(
    rf"^(?:于|在|从)?(?=[^，；]*[年月底末内季]){_DATE}"
    r"(?:完成|前完成|基本完成|全面完成|见效|落实|推进|实施)?$"
    r"|^(?:长期坚持|长期|持续推进|持续实施|持续开展|持续|常态化推进|常态化|逐年推进|按年度推进|按年度落实)$"
)
_STANDING_RE = re.compile(r"以下[^。；]{0,80}?不再(?:一一|重复|单独|逐一|逐项)?列出")
_STANDING_HEAD_RE = re.compile(
    r"^以下(?:各项|各|所有|的)?(?:任务|工作|措施|事项|内容)?(?:均|都|皆)?(?:需要?|由|要|须)?")

ROLES = ("leads", "partners", "implementers")


def _label_role(m: re.Match[str]) -> str:
    """The role a label match stands for (its name is in group 1 for 【…】, group 2 for '…：')."""
    return _LABELS[m.group(1) or m.group(2)]


@dataclass(frozen=True, slots=True)
class Note:
    """A responsibility note found in a text: character offsets, units by role, deadline.

    ``standing`` notes (以下…不再列出) are not tasks: their units apply to every later task.
    """

    start: int
    end: int
    text: str
    leads: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    deadline: str | None = None
    standing: bool = False
    # a standing clause that names its units before 以下 (（X负责，Y具体落实，以下任务不再列出）): X leads the
    # clause's own task and only Y reaches the later notes; units named after 以下 reach them all
    clause: bool = False

    @property
    def units(self) -> tuple[str, ...]:
        return self.leads + self.partners + self.implementers


@dataclass(slots=True)
class _Roles:
    """Units collected by role while a note is read, in printed order."""

    leads: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    implementers: list[str] = field(default_factory=list)
    deadline: str | None = None

    def add(self, role: str, names: list[str]) -> None:
        target = {"lead": self.leads, "partner": self.partners, "impl": self.implementers}[role]
        for n in names:
            if n and n not in target:
                target.append(n)

    def empty(self) -> bool:
        return not (self.leads or self.partners or self.implementers)


def _ascii_to_full(text: str) -> str:
    return text.replace(",", "，").replace(";", "；").replace(":", "：").replace("(", "（").replace(")", "）")


_DONE_TAIL_RE = re.compile(r"(?<=[年月日底末前度])(?:基本|全面)?完成$")


def _deadline_text(clause: str) -> str:
    s = _SPACE_RE.sub("", clause).strip("。，；")
    return _DONE_TAIL_RE.sub("", s) or s


_TOP_OPEN = "（〔[【“"
_TOP_CLOSE = "）〕]】”"


@cache
def _split_points(seps: str) -> re.Pattern[str]:
    """The characters :func:`_split_top` acts on, so that it can jump between them."""
    return re.compile(f"[{re.escape(_TOP_OPEN + _TOP_CLOSE + seps)}]")


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators outside brackets."""
    out, depth, start = [], 0, 0
    for m in _split_points(seps).finditer(text):
        i = m.start()
        ch = text[i]
        if ch in _TOP_OPEN:
            depth += 1
        elif ch in _TOP_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:  # one of seps
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _depth_at(text: str, index: int) -> int:
    """How many brackets are open at ``index`` of ``text``."""
    depth = 0
    for m in _ANY_BRACKET_RE.finditer(text, 0, index):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth


_LEAD_MARK_RE = re.compile(r"（牵头(?:单位|部门)?）$")
_ANY_LEAD_MARK_RE = re.compile(r"（牵头(?:单位|部门)?）")
_ADVERB_TAIL_RE = re.compile(r"(?:均|都|需|须|要|应|应当|负有|承担|主要|切实|具体)+$")


def _add_group(roles: _Roles, role: str, text: str, expander: orgs.Expander, strict: bool) -> bool:
    """Expand the units of one role group into ``roles``. False if a piece is not an organ (strict)."""
    if "由" in text:  # 37项数据由附件2的责任单位、… : the preamble before 由 is not a unit
        text = text[text.rfind("由") + 1:]
    text = _ADVERB_TAIL_RE.sub("", text)  # …人民政府均负有(落实责任): adverbs before the role word
    ok = True
    any_mark = bool(_ANY_LEAD_MARK_RE.search(text))
    for sub in _split_top(text, "，；"):
        expander.new_group()
        names = orgs.split_units(sub)
        good = [n for n in names if orgs.is_org(n)]
        if len(good) != len(names):
            ok = False
            if strict:
                return False
        # 市发展改革委（牵头）、市财政局: the marked unit leads, the others in its list help
        marked = [bool(_LEAD_MARK_RE.search(n)) for n in good]
        expanded = expander.expand_run([_LEAD_MARK_RE.sub("", n) for n in good])
        for name, lead in zip(expanded, marked, strict=True):
            roles.add("lead" if lead else ("partner" if any_mark and role == "lead" else role), [name])
    return ok


def _plain_roles(text: str, roles: _Roles, expander: orgs.Expander, default: str, strict: bool) -> bool:
    """Read 'X、Y牵头，Z配合，2022年完成' style text into ``roles``; ``default`` is the role of units with
    no role word (leads for 〔…〕 and 责任单位)."""
    clauses = _split_top(text, "，；")
    kept: list[str] = []
    for clause in clauses:
        c = clause.strip(" 。")
        if c and _DEADLINE_RE.match(_SPACE_RE.sub("", c)):
            roles.deadline = roles.deadline or _deadline_text(c)
        else:
            kept.append(clause)
    body = "，".join(kept).strip(" 。，；")
    if not body:
        return True
    prev = 0
    saw_lead = False
    for m in _ROLE_RE.finditer(body):
        if _depth_at(body, m.start()):
            continue  # a role word inside brackets belongs to a name: 市发展改革委（牵头）
        group = body[prev:m.start()].strip(" ，；、")
        prev = m.end()
        kind = m.lastgroup or "resp"
        if not group:
            continue
        if kind == "lead":
            role = "lead"
            saw_lead = True
        elif kind == "resp":
            role = "partner" if saw_lead else default
        else:
            role = kind
        if not _add_group(roles, role, group, expander, strict) and strict:
            return False
    rest = body[prev:].strip(" ，；、。")
    if rest:
        role = "partner" if saw_lead else default  # X牵头，Y: the units after 牵头 help
        if not _add_group(roles, role, rest, expander, strict) and strict:
            return False
    return True


def parse_roles(content: str, jurisdiction: orgs.Jurisdiction | None = None, *,
                strict: bool = True) -> Note | None:
    """Parse the inside of a note (without its brackets) into units by role and a deadline.

    ``strict``: every piece must read as an organ name, else the text is not a note (None). Label values
    are parsed recursively (责任单位：X牵头，Y按职责分工负责).
    """
    return _parse_roles(content, jurisdiction, strict)


@lru_cache(maxsize=8192)
def _parse_roles(content: str, jurisdiction: orgs.Jurisdiction | None, strict: bool) -> Note | None:
    """:func:`parse_roles`, cached: the result is immutable, and plans repeat their notes (the same
    〔X负责〕 closes many measures, and a table cell is read twice)."""
    text = _ascii_to_full(content)
    roles = _Roles()
    expander = orgs.Expander(jurisdiction)
    labels = list(_LABEL_RE.finditer(text))
    if labels:
        head = text[: labels[0].start()].strip(" ，；。、")
        if head and strict:
            return None
        has_lead_label = any(_label_role(m) == "lead" for m in labels)
        for k, m in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
            value = text[m.end():end].strip(" ，；。、")
            role = _label_role(m)
            if role == "skip":
                continue
            if role == "deadline":
                roles.deadline = roles.deadline or _deadline_text(value) or None
                continue
            if not value:
                continue
            expander.new_group()
            if role == "resp":  # after a 牵头单位 label, 责任单位 are the units that carry it out with the lead
                ok = _plain_roles(value, roles, expander, "partner" if has_lead_label else "lead", strict)
            else:
                ok = _plain_roles(value, roles, expander, role, strict)
            if not ok:
                return None
    elif not _plain_roles(text, roles, expander, "lead", strict):
        return None
    if roles.empty() and not (labels and roles.deadline):  # a lone 完成时限 line completes a label note
        return None
    return Note(0, len(content), content, tuple(roles.leads), tuple(roles.partners),
                tuple(roles.implementers), roles.deadline)


def _with_offsets(note: Note, start: int, end: int, text: str) -> Note:
    return Note(start, end, text, note.leads, note.partners, note.implementers, note.deadline, note.standing,
                note.clause)


def _matching_close(text: str, i: int) -> int:
    """Index of the bracket closing the one at ``i`` (any kind: PDFs mix 〔…]); len(text) if none."""
    depth = 0
    n = len(text)
    for m in _BRACKET_RE.finditer(text, i):
        j = m.start()
        ch = text[j]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
        elif depth == 1 and j + 1 < n and text[j + 1] not in _CLOSE:  # ch is 。
            return -1  # a sentence ends inside: running text in brackets, not a note
    return n


def _bracket_notes(text: str, jurisdiction: orgs.Jurisdiction | None) -> list[Note]:
    notes: list[Note] = []
    i = 0
    while (opener := _OPEN_RE.search(text, i)) is not None:
        i = opener.start()
        j = _matching_close(text, i)
        if j < 0:
            i += 1
            continue
        content = text[i + 1: j]
        if content.strip() in _LABELS:  # 【牵头单位】… : a label, read with the label notes
            i = j + 1
            continue
        # a bracket of bare organ names closing a measure (…。（工信部、应急管理部）) is a note too
        closing = i > 0 and text[i - 1] in "。；;" and j >= len(text) - 1 and not text[j + 1:].strip()
        if ((_MARKER_RE.search(content) or closing) and len(content) <= 600 and "不再" not in content
                and not (j == len(text) and len(content) > 300)):
            note = parse_roles(content.strip(), jurisdiction)
            if note is not None:
                end = min(j + 1, len(text))
                notes.append(_with_offsets(note, i, end, text[i:end]))
                i = end
                continue
        i += 1
    return notes


_ROLE_TAIL_RE = re.compile(r"[^，。；、]{0,12}?(?:负责|配合|落实|参与|协助)")


def _stops_between(stops: list[int], start: int, end: int) -> list[int]:
    """The line breaks strictly inside (start, end), in order (``stops`` sorted)."""
    return stops[bisect_right(stops, start):bisect_left(stops, end)]


def _cut_value(text: str, start: int, limit: int, stops: list[int]) -> int:
    """End of a label's value: at the first piece that is not an organ name, at 。, or at a source line
    break where the list so far is complete (the parser may have glued the next paragraph on).
    ``stops`` are the line breaks, sorted."""
    end = limit
    stop_at = text.find("。", start, limit)
    if stop_at >= 0:
        end = stop_at
    for s in _stops_between(stops, start, end):
        before = text[start:s].rstrip()
        units = orgs.split_units(before)
        if units and before[-1] not in "、，,；;：:" and orgs.is_org(units[-1]):
            end = s
            break
    value = text[start:end]
    good_end = start
    for s, e in orgs.split_spans(value):
        piece = value[s:e]
        if not orgs.is_org(piece) and not _ROLE_RE.search(piece) and not _DEADLINE_RE.match(piece):
            break
        good_end = start + e
    if good_end == start:
        return start
    # keep a closing role word or deadline that follows the last unit (…按职责分工负责)
    tail = text[good_end:end]
    m = _ROLE_TAIL_RE.match(tail)
    if m and _ROLE_RE.search(m.group(0)):
        good_end += m.end()
    return good_end


def _may_have_labels(text: str) -> bool:
    """Whether ``text`` can hold a label at all: every label is set in 【】 or followed by a colon, and
    most blocks have neither, so they skip the scan with the long label alternation."""
    return "：" in text or ":" in text or "【" in text


def _label_notes(text: str, taken: list[tuple[int, int]], jurisdiction: orgs.Jurisdiction | None,
                 line_breaks: Callable[[], frozenset[int]]) -> list[Note]:
    """Label notes outside the ``taken`` spans. ``line_breaks`` gives the source line breaks; it is called
    only when there is a label, since finding them means aligning the block with its source."""
    if not _may_have_labels(text):
        return []
    labels = [m for m in _LABEL_RE.finditer(text) if not any(s <= m.start() < e for s, e in taken)]
    if not labels:
        return []
    stops = sorted(line_breaks())
    notes: list[Note] = []
    k = 0
    while k < len(labels):
        start = labels[k].start()
        end = start
        last = k
        while True:
            m = labels[last]
            limit = labels[last + 1].start() if last + 1 < len(labels) else len(text)
            limit = min([limit, *[s for s, _ in taken if s >= m.end()]])  # a note may open right after
            end = _cut_value(text, m.end(), limit, stops) if _label_role(m) not in ("deadline", "skip") \
                else _deadline_end(text, m.end(), limit, stops)
            if last + 1 < len(labels) and end >= labels[last + 1].start() - 2 and \
                    not text[end:labels[last + 1].start()].strip(" ，,；;。\n"):
                last += 1
                continue
            break
        raw = text[start:end]
        note = parse_roles(raw, jurisdiction, strict=False)
        if note is not None:
            notes.append(_with_offsets(note, start, end, raw))
        k = last + 1
    return notes


_CLAUSE_RE = re.compile(r"[^，。；]*")


def _deadline_end(text: str, start: int, limit: int, stops: list[int]) -> int:
    inside = _stops_between(stops, start, limit)
    end = inside[0] if inside else limit
    m = _CLAUSE_RE.match(text, start, end)  # always matches (possibly empty); pos/endpos keep offsets absolute
    return m.end() if m else start


def _clause_open(text: str, end: int) -> int:
    """Where the clause ending at ``end`` opens: the last 。；; or unmatched opening bracket before it (the
    brackets of 各县（区） inside the clause are matched, so they do not count)."""
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            if depth == 0:
                return i
            depth -= 1
        elif ch in "。；;" and depth == 0:
            return i
    return -1


_STANDING_TAIL_RE = re.compile(r"[，,；;]?\s*不再\w{0,2}列出$")
_COPULA_RE = re.compile(r"均为|是|为|作为")
_LEADING_WORD_RE = re.compile(r"负责(?!落实)|牵头|配合")


def _standing_notes(text: str, taken: list[tuple[int, int]],
                    jurisdiction: orgs.Jurisdiction | None) -> list[Note]:
    notes: list[Note] = []
    for m in _STANDING_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        start, end = m.start(), m.end()
        inner = _STANDING_HEAD_RE.sub("", m.group(0))
        inner = _STANDING_TAIL_RE.sub("", inner)
        read, clause = inner, False
        note = parse_roles(inner, jurisdiction, strict=False) if inner.strip(" ，,") else None
        if note is None:  # 各地区、各部门为各项任务的落实主体，以下不再列出: the units come first
            # （X负责，Y、Z具体落实，以下任务不再列出）: the clause before 以下 names who leads and who implements
            bound = _clause_open(text, start)
            before = _COPULA_RE.split(text[bound + 1:start])[0].strip(" ，,")
            note = parse_roles(before, jurisdiction, strict=False) if before else None
            if note is None:
                continue
            start, read, clause = bound + 1, before, True
        leads, partners, impl = note.leads, note.partners, note.implementers
        if not _LEADING_WORD_RE.search(read):  # 以下…均需X落实: X implements
            impl, leads = impl + leads, ()
        if start > 0 and end < len(text) and text[start - 1] in _OPEN and text[end] in _CLOSE:
            start, end = start - 1, end + 1  # the brackets around it belong to the note
        notes.append(Note(start, end, text[start:end], leads, partners, impl, note.deadline, True, clause))
    return notes


def find_notes(text: str, jurisdiction: orgs.Jurisdiction | None = None,
               stops: frozenset[int] = frozenset()) -> list[Note]:
    """Every responsibility note of ``text`` in order (bracketed, labelled, standing).

    ``stops`` are offsets where a source line began: a label line's value ends there when its unit list
    is complete. Never raises on arbitrary text.
    """
    return _find_notes(text, jurisdiction, lambda: stops)


def _find_notes(text: str, jurisdiction: orgs.Jurisdiction | None,
                line_breaks: Callable[[], frozenset[int]]) -> list[Note]:
    """:func:`find_notes` with the line breaks asked for only when a label needs them."""
    bracketed = _bracket_notes(text, jurisdiction)
    taken = [(n.start, n.end) for n in bracketed]
    standing = _standing_notes(text, taken, jurisdiction)
    taken += [(n.start, n.end) for n in standing]
    labelled = _label_notes(text, taken, jurisdiction, line_breaks)
    return sorted([*bracketed, *standing, *labelled], key=lambda n: n.start)


# --- documents ----------------------------------------------------------------------------------------


_SENTENCE_RE = re.compile(r"^.*?[。；]")


def _measure_of(heading: Block | None, text: str) -> str:
    if heading is not None and heading.title:
        return heading.title
    m = _SENTENCE_RE.match(text)
    return (m.group(0) if m else text)[:80].rstrip("。；")


def _apply_standing(task: Task, standing: list[Note]) -> None:
    """Add the units of standing notes to a later task: only the implementers of a clause that names
    them (（X负责，Y具体落实，以下任务不再列出）: X leads the clause's own task, not every later one), else all."""
    for note in standing:
        for role in (("implementers",) if note.clause and note.implementers else ROLES):
            target: list[str] = getattr(task, role)
            present = {u for r in ROLES for u in getattr(task, r)}
            target.extend(u for u in getattr(note, role) if u not in present)


_UNIT_COL_RE = re.compile(r"责任单位|责任部门|牵头单位|牵头部门|负责单位|主责单位|责任主体")
_PARTNER_COL_RE = re.compile(r"配合单位|配合部门|协办单位|参与单位")
_IMPL_COL_RE = re.compile(r"落实单位|实施单位")
_DEADLINE_COL_RE = re.compile(r"完成时限|完成时间|时间节点|完成期限|时限|建设周期|实施期限|完成年限")
_NUMBER_COL_RE = re.compile(r"^(?:序号|编号|序)$")
_SUB_ROLE_RE = re.compile(r"(?:责任|牵头|负责)(?:单位|部门)(牵头|配合|协办|参与|落实)(?:单位|部门)?$")
_OWNER_COL_RE = re.compile(r"保护单位|申报(?:地区|单位)|项目(?:单位|业主)|建设单位|业主单位|主管单位|所属单位|承担单位|"
                           r"传承人|申报地区")


def _table_tasks(block: Block, jurisdiction: orgs.Jurisdiction | None, standing: list[Note]) -> list[Task]:
    """One task per data row of a table with a 责任单位 (or 牵头/配合/落实) column."""
    table = block.table
    if table is None or not table.rows:
        return []
    first, body = header_rows(table)  # a caption row above the column names is not the header
    header = table.rows[first:body]
    width = max(len(r) for r in table.rows)
    names = _header_names(header, width)
    cols: dict[str, int] = {}
    for c, name in enumerate(names):
        key = _SPACE_RE.sub("", name)
        if _OWNER_COL_RE.search(key):
            continue  # 保护单位, 申报单位, 项目单位, 建设单位: a list naming who owns each row, not who must act
        # a two-row header (责任单位 over 牵头 | 配合) names a column 责任单位牵头 / 责任单位配合: the finer word wins
        sub = _SUB_ROLE_RE.search(key) if _UNIT_COL_RE.search(key) else None
        if sub is not None:
            role = "partner" if sub.group(1) in ("配合", "协办", "参与") else "impl" if sub.group(1) == "落实" else "resp"
            cols.setdefault(role, c)
            continue
        for role, rx in (("resp", _UNIT_COL_RE), ("partner", _PARTNER_COL_RE), ("impl", _IMPL_COL_RE),
                         ("deadline", _DEADLINE_COL_RE)):
            if rx.search(key) and role not in cols:
                cols[role] = c
    owners = {c for c, n in enumerate(names) if _OWNER_COL_RE.search(_SPACE_RE.sub("", n))}
    special = set(cols.values()) | owners | {c for c, n in enumerate(names) if _NUMBER_COL_RE.match(n.strip())}
    # a task table says so by its columns: a role column and a column that says what is to be done
    if not ({"resp", "partner", "impl"} & cols.keys()) or not any(
            names[c].strip() for c in range(width) if c not in special):
        return _cell_note_tasks(block, names, jurisdiction, standing, body)
    desc = [c for c in range(width) if c not in special]
    lines = row_lines(block)
    carry: dict[int, str] = {}
    tasks: list[Task] = []
    for r, row in enumerate(table.rows[body:], start=body):
        cells = [c.text.strip() for c in row] + [""] * (width - len(row))
        if not any(cells):
            continue
        roles = _Roles()
        expander = orgs.Expander(jurisdiction)
        printed: list[str] = []
        for role in ("resp", "partner", "impl"):
            if role not in cols:
                continue
            value = cells[cols[role]]
            if not value or parse_roles(value, jurisdiction) is None:
                # a row shifted by the converter: the unit list is the last cell that reads as one
                value = next((v for v in reversed(cells) if v and parse_roles(v, jurisdiction) is not None),
                             carry.get(cols[role], "")) if role == "resp" else value
            if value:
                carry[cols[role]] = value
                printed.append(value)
                expander.new_group()
                _plain_roles(_ascii_to_full(value), roles, expander, "lead" if role == "resp" else role, False)
        if roles.empty():
            continue
        if "deadline" in cols and cells[cols["deadline"]]:
            roles.deadline = _deadline_text(cells[cols["deadline"]])
        values = []
        for n, c in enumerate(desc):
            v = cells[c]
            if not v and n < 2:
                v = carry.get(-1 - c, "")
            elif n < 2:
                carry[-1 - c] = v
            values.append(v)
        measure = " ".join(v for v in values[:2] if v) or " ".join(v for v in values if v)
        line = lines[r]  # row_lines gives every row its line
        task = Task(text=" ".join(v for v in values if v), measure=measure, path=block.path,
                    leads=roles.leads, partners=roles.partners, implementers=roles.implementers,
                    deadline=roles.deadline, note="；".join(printed), span=Span(line, line))
        _apply_standing(task, standing)
        tasks.append(task)
    return tasks


def _header_names(header: list[list[Cell]], width: int) -> list[str]:
    """Column names of a header of one or more rows. A cell spanning columns in an upper row (责任单位 over
    牵头 | 配合) is printed once: its text is carried right over the empty cells that have a name below."""
    grid = [[r[c].text.strip() if c < len(r) else "" for c in range(width)] for r in header]
    for k in range(len(grid) - 1):
        for c in range(1, width):
            if not grid[k][c] and grid[k][c - 1] and any(grid[j][c] for j in range(k + 1, len(grid))):
                grid[k][c] = grid[k][c - 1]
    return ["".join(row[c] for row in grid) for c in range(width)]


def _cell_note_tasks(block: Block, names: list[str], jurisdiction: orgs.Jurisdiction | None,
                     standing: list[Note], header: int) -> list[Task]:
    """Notes printed inside the cells of a table that has no unit column (任务 | 内容〔X负责〕)."""
    table = block.table
    assert table is not None
    numbered = {c for c, n in enumerate(names) if _NUMBER_COL_RE.match(n.strip())}
    lines = row_lines(block)
    tasks: list[Task] = []
    for r, row in enumerate(table.rows[header:], start=header):
        label = next((c.text.strip() for k, c in enumerate(row) if c.text.strip() and k not in numbered), "")
        line = lines[r]  # row_lines gives every row its line
        for cell in row:
            for note in find_notes(cell.text, jurisdiction):
                if note.standing or not note.units:
                    continue
                text = (cell.text[: note.start] + cell.text[note.end:]).strip()
                task = Task(text=text, measure=label[:80], path=block.path, leads=list(note.leads),
                            partners=list(note.partners), implementers=list(note.implementers),
                            deadline=note.deadline, note=note.text, span=Span(line, line))
                _apply_standing(task, standing)
                tasks.append(task)
    return tasks


def find_tasks(document: Document, gazette: Gazette | None) -> list[Task]:
    """Every responsibility note of ``document`` as a task, in reading order.

    The measure of a note is the text before it since the previous note or heading (the paragraph it
    closes, or the paragraphs that label lines follow) and the title of its nearest heading; ``path`` is
    the outline path of the block the note stands in. A task's span gives the note's source lines and its
    characters in the block's repaired text (label lines spread over two blocks keep the first block's
    start character and no end character).
    """
    jurisdiction = orgs.jurisdiction_of(gazette.name if gazette else None)
    tasks: list[Task] = []
    for _, blocks in document.parts():  # a standing note (以下…不再列出) reaches the end of its part
        standing: list[Note] = []
        heading: Block | None = None
        context: list[str] = []
        open_label: tuple[Task, int] | None = None  # a label task that may continue in the next block
        for index, block in enumerate(blocks):
            if block.kind == "table":
                tasks.extend(_table_tasks(block, jurisdiction, standing))
                open_label = None
                continue
            text = block.text
            if block.kind in ("heading", "box"):
                heading = block
                context = []
            linemap = LineMap(block)
            pos = 0
            for note in _find_notes(text, jurisdiction, linemap.breaks):
                before = text[pos:note.start].strip()
                pos = note.end
                if note.standing:
                    standing.append(note)
                    if note.clause and note.leads:  # （X负责，Y具体落实，以下任务不再列出）: X's own task
                        text_of = before or (heading.text if heading is not None else "")
                        tasks.append(Task(text=text_of, measure=_measure_of(heading, text_of), path=block.path,
                                          leads=list(note.leads), partners=list(note.partners),
                                          implementers=list(note.implementers), deadline=note.deadline,
                                          note=note.text, span=linemap.span(note.start, note.end)))
                    continue
                is_label = bool(_LABEL_RE.match(note.text))
                if (is_label and open_label is not None and open_label[1] == index - 1 and not before
                        and _continues(open_label[0], note)):
                    _merge(open_label[0], note, linemap.line(max(note.start, note.end - 1)))
                    open_label = (open_label[0], index)
                    continue
                if not note.units:
                    continue  # a deadline with nothing to attach to
                if before:
                    context.append(before)
                measure_text = "".join(context) or (heading.text if heading is not None else "")
                span = linemap.span(note.start, note.end)
                task = Task(text=measure_text, measure=_measure_of(heading, measure_text), path=block.path,
                            leads=list(note.leads), partners=list(note.partners),
                            implementers=list(note.implementers), deadline=note.deadline, note=note.text,
                            span=span)
                _apply_standing(task, standing)
                tasks.append(task)
                context = []
                open_label = (task, index) if is_label and not text[note.end:].strip(" 。；，") else None
            rest = text[pos:].strip(" 。；，")
            if rest and pos > 0:
                context.append(rest)
                open_label = None
            elif pos == 0 and block.kind == "paragraph" and text.strip():
                context.append(text.strip())
                open_label = None
    return tasks


def _continues(task: Task, note: Note) -> bool:
    """Whether label lines in the next block complete ``task`` (配合单位 after 牵头单位, …) rather than
    start a new one: no role may be given twice."""
    return not any(getattr(task, r) and getattr(note, r) for r in ROLES) and not (task.deadline and note.deadline)


def _merge(task: Task, note: Note, end_line: int) -> None:
    for role in ROLES:
        getattr(task, role).extend(u for u in getattr(note, role) if u not in getattr(task, role))
    task.deadline = task.deadline or note.deadline
    task.note = task.note + "\n" + note.text
    task.span = Span(task.span.start_line, max(end_line, task.span.end_line), task.span.start_char, None)
