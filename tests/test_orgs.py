"""Organ names: jurisdictions, list splitting, prefix expansion, aliases, ``--unit`` matching; and a
property test that no text, however odd, crashes the note parser."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.extract import orgs
from gongbao.extract.tasks import find_notes, parse_roles

NINGXIA = orgs.jurisdiction_of("宁夏回族自治区人民政府公报")
ZHONGWEI = orgs.jurisdiction_of("中卫市人民政府公报")


@pytest.mark.parametrize("name,prefix,party", [
    ("宁夏回族自治区人民政府公报", "自治区", "自治区党委"),
    ("中卫市人民政府公报", "市", "市委"),
    ("广东省人民政府公报", "省", "省委"),
    ("北京市人民政府公报", "市", "市委"),
    ("海原县人民政府公报", "县", "县委"),
])
def test_jurisdiction_from_gazette_name(name: str, prefix: str, party: str) -> None:
    j = orgs.jurisdiction_of(name)
    assert j is not None and (j.prefix, j.party) == (prefix, party)


def test_no_jurisdiction_without_a_name() -> None:
    assert orgs.jurisdiction_of(None) is None
    assert orgs.jurisdiction_of("") is None
    assert orgs.jurisdiction_of("公报") is None


def test_city_gazette_knows_its_region_places() -> None:
    assert ZHONGWEI is not None and "中卫" in ZHONGWEI.places and "宁夏" in ZHONGWEI.places
    assert ZHONGWEI.scopes == ("宁夏", "中卫")


@pytest.mark.parametrize("text,units", [
    ("自治区科技厅、财政厅，各市、县（区）人民政府", ["自治区科技厅", "财政厅", "各市、县（区）人民政府"]),
    ("各有关部门（单位）和各市、县（区）人民政府", ["各有关部门（单位）", "各市、县（区）人民政府"]),
    ("林草局及各市、县（区）", ["林草局", "各市、县（区）"]),
    ("工业和信息化厅、人力资源和社会保障局、文化和旅游厅", ["工业和信息化厅", "人力资源和社会保障局", "文化和旅游厅"]),
    ("市发展和改革委员会、财政局等部门", ["市发展和改革委员会", "财政局"]),
    ("卫生健康委(中医药管理局),各县(市、区)人民政府", ["卫生健康委（中医药管理局）", "各县（市、区）人民政府"]),
    ("自治区推进“数字政府”建设领导小组成员单位", ["自治区推进“数字政府”建设领导小组成员单位"]),
])
def test_split_units(text: str, units: list[str]) -> None:
    assert orgs.split_units(text) == units


@pytest.mark.parametrize("text,jurisdiction,units", [
    ("自治区科技厅、财政厅", NINGXIA, ["自治区科技厅", "自治区财政厅"]),
    ("自治区党委宣传部，自然资源厅", NINGXIA, ["自治区党委宣传部", "自治区自然资源厅"]),
    ("自治区党委宣传部、网信办", NINGXIA, ["自治区党委宣传部", "自治区党委网信办"]),
    ("宁夏大学、林草局及中卫市", NINGXIA, ["宁夏大学", "自治区林草局", "中卫市"]),
    ("宁东管委会、贺兰山东麓园区管委会、科协", NINGXIA, ["宁东管委会", "贺兰山东麓园区管委会", "自治区科协"]),
    ("人民银行银川中心支行、宁夏银保监局，民航宁夏监管局", NINGXIA,
     ["人民银行银川中心支行", "宁夏银保监局", "民航宁夏监管局"]),
    ("市农业农村局、市场监督管理局、公安局", ZHONGWEI, ["市农业农村局", "市市场监督管理局", "市公安局"]),
    ("市中级人民法院、人民检察院,生态环境局", ZHONGWEI, ["市中级人民法院", "市人民检察院", "市生态环境局"]),
    ("市委宣传部、自然资源局", ZHONGWEI, ["市委宣传部", "市自然资源局"]),
    ("沙坡头区、中宁县人民政府", ZHONGWEI, ["沙坡头区人民政府", "中宁县人民政府"]),
    ("中国电信中卫分公司、中国移动中卫分公司", ZHONGWEI, ["中国电信中卫分公司", "中国移动中卫分公司"]),
    ("银川市财政局、住房城乡建设局", NINGXIA, ["银川市财政局", "银川市住房城乡建设局"]),
    ("省发展改革委、财政厅", None, ["省发展改革委", "省财政厅"]),
    ("发展改革委、财政厅", None, ["发展改革委", "财政厅"]),
])
def test_expand_list(text: str, jurisdiction: orgs.Jurisdiction | None, units: list[str]) -> None:
    assert orgs.expand_list(text, jurisdiction) == units


@pytest.mark.parametrize("name,jurisdiction,full", [
    ("自治区发展改革委", NINGXIA, "自治区发展和改革委员会"),
    ("发展改革委", NINGXIA, "自治区发展和改革委员会"),
    ("发展和改革委员会", None, "发展和改革委员会"),
    ("市医保局", ZHONGWEI, "市医疗保障局"),
    ("市场监督管理局", ZHONGWEI, "市市场监督管理局"),
    ("自治区卫生健康委(中医药管理局)", NINGXIA, "自治区卫生健康委员会（中医药管理局）"),
    ("市委网信办", ZHONGWEI, "市委网络安全和信息化委员会办公室"),
    ("市委网络安全与信息化办公室", ZHONGWEI, "市委网络安全和信息化委员会办公室"),
    ("自治区人民政府办公厅", NINGXIA, "自治区人民政府办公厅"),
    ("宁东管委会", NINGXIA, "宁夏宁东能源化工基地管理委员会"),
    ("中卫工业园区管委会", ZHONGWEI, "市工业园区管理委员会"),
    ("市工业园区管委会", ZHONGWEI, "市工业园区管理委员会"),
    ("人力资源社会保障部", NINGXIA, "人力资源和社会保障部"),
    ("市人民检察院", ZHONGWEI, "市人民检察院"),
])
def test_canonical(name: str, jurisdiction: orgs.Jurisdiction | None, full: str) -> None:
    assert orgs.canonical(name, jurisdiction) == full


@pytest.mark.parametrize("query,unit,jurisdiction,hit", [
    ("发展和改革委员会", "自治区发展改革委", NINGXIA, True),
    ("发展改革委", "市发展和改革委员会", ZHONGWEI, True),
    ("自治区发展和改革委员会", "自治区发展改革委", NINGXIA, True),
    ("自治区发展和改革委员会", "市发展和改革委员会", ZHONGWEI, False),
    ("财政厅", "自治区财政厅", NINGXIA, True),
    ("财政厅", "市财政局", ZHONGWEI, False),
    ("卫生健康委员会", "自治区卫生健康委（中医药管理局）", NINGXIA, True),
    ("中医药管理局", "自治区卫生健康委（中医药管理局）", NINGXIA, True),
    ("市场监督管理局", "市市场监管局", ZHONGWEI, True),
    ("医疗保障局", "市医疗保障局", ZHONGWEI, True),
    ("宁东管委会", "宁东管委会", NINGXIA, True),
    ("网信办", "市委网络安全与信息化办公室", ZHONGWEI, True),
    ("教育厅", "自治区党委教育工委", NINGXIA, False),
    ("", "自治区财政厅", NINGXIA, False),
])
def test_unit_matches(query: str, unit: str, jurisdiction: orgs.Jurisdiction | None, hit: bool) -> None:
    assert orgs.unit_matches(query, unit, jurisdiction) is hit


def test_is_org() -> None:
    assert orgs.is_org("各市、县（区）人民政府")
    assert orgs.is_org("自治区卫生健康委（中医药管理局）")
    assert not orgs.is_org("开展调查")
    assert not orgs.is_org("")


# Note-like text is built from the vocabulary of notes, not from single characters (which almost never
# spell a note): organ names, role words, labels, deadlines, brackets, and whole well-formed notes.
_UNITS = ["自治区发展改革委", "财政厅", "科技厅", "市农业农村局", "市财政局", "各市、县（区）人民政府",
          "卫生健康委（中医药管理局）", "市委宣传部", "宁东管委会", "各有关部门（单位）", "市场监督管理局",
          "人民银行银川中心支行"]
_DATES = ["2022年底前", "2023年6月底前", "2025年"]
_DEADLINES = [*_DATES, "持续推进", "长期坚持"]
_BRACKETS = [("〔", "〕"), ("（", "）"), ("[", "]"), ("【", "】"), ("(", ")"), ("〔", "]")]
_MEASURES = ["加快推进数字政府建设。", "完善医疗救助制度。", "开展调查。", ""]
_TOKENS = [*_UNITS, *_DEADLINES, *_MEASURES, "牵头", "配合", "负责", "落实", "按职责分工负责", "参与", "责任单位：",
           "牵头单位：", "配合单位:", "落实单位：", "完成时限：", "【牵头单位】", "以下各项任务均由", "不再列出", "由",
           "和", "等", "、", "，", "；", "。", "\n", "〔", "〕", "（", "）", "[", "]", "【", "】", " ", "：", "各", "市", "区"]
BRACKETED, STANDING = (0, 1, 2, 3), 5


@st.composite
def _note(draw: st.DrawFn) -> tuple[int, str, str, str]:
    """(form, lead units, partner units, text): a measure and a well-formed note in one of six forms."""
    units = draw(st.lists(st.sampled_from(_UNITS), min_size=2, max_size=5, unique=True))
    k = draw(st.integers(1, len(units) - 1))
    leads, partners = "、".join(units[:k]), "、".join(units[k:])
    o, c = draw(st.sampled_from(_BRACKETS))
    deadline = draw(st.sampled_from(_DEADLINES))
    form = draw(st.integers(0, 5))
    note = [
        f"{o}{leads}牵头，{partners}配合，{draw(st.sampled_from(_DATES))}完成{c}",
        f"{o}{leads}负责{c}",
        f"{o}责任单位：{leads}；完成时限：{deadline}{c}",
        f"{o}牵头单位：{leads}，配合单位：{partners}{c}",
        f"\n牵头单位：{leads}\n配合单位：{partners}\n完成时限：{deadline}\n",
        f"以下各项任务均由{leads}落实，不再列出。",
    ][form]
    return form, leads, partners, draw(st.sampled_from(_MEASURES)) + note


_NOTE_LIKE = st.lists(st.one_of(st.sampled_from(_TOKENS), _note().map(lambda n: n[3])), max_size=25).map("".join)
_JURISDICTIONS = st.sampled_from([NINGXIA, ZHONGWEI, None])


def _breaks(text: str) -> frozenset[int]:
    return frozenset(i for i, ch in enumerate(text) if ch == "\n")


def _expanded(units: str, jurisdiction: orgs.Jurisdiction | None) -> tuple[str, ...]:
    return tuple(orgs.expand_list(units, jurisdiction))


@settings(max_examples=300, deadline=None)
@given(_NOTE_LIKE, _JURISDICTIONS)
def test_note_parser_never_crashes_on_note_like_text(text: str, jurisdiction: orgs.Jurisdiction | None) -> None:
    notes = find_notes(text, jurisdiction, _breaks(text))
    assert [n.start for n in notes] == sorted(n.start for n in notes)
    assert all(a.end <= b.start for a, b in itertools.pairwise(notes)), "notes never overlap"
    for note in notes:
        assert 0 <= note.start < note.end <= len(text)
        assert note.text == text[note.start:note.end]
        assert note.units or note.deadline
        for unit in note.units:
            assert unit and unit == orgs.normalise(unit)
    parse_roles(text, jurisdiction)
    parse_roles(text, jurisdiction, strict=False)


@settings(max_examples=300, deadline=None)
@given(_NOTE_LIKE, _note(), _NOTE_LIKE, _JURISDICTIONS)
def test_a_well_formed_note_is_read_whatever_surrounds_it(before: str, note: tuple[int, str, str, str], after: str,
                                                         jurisdiction: orgs.Jurisdiction | None) -> None:
    """A note closing its own paragraph is found, whole and alone, with its units in their roles, however
    odd the paragraphs around it."""
    form, leads, partners, printed = note
    text = before + "。\n" + printed + "\n开展调查。\n" + after
    start = len(before) + 2
    end = start + len(printed)
    [found] = [n for n in find_notes(text, jurisdiction, _breaks(text)) if start <= n.start < end]
    assert found.end <= end
    if form == STANDING:
        assert found.standing and not found.leads
        assert found.implementers == _expanded(leads, jurisdiction)
    else:
        assert not found.standing and found.leads == _expanded(leads, jurisdiction)
        if form in (0, 3, 4):  # names carry the prefix of the list before them: 自治区科技厅、财政厅
            both = _expanded(f"{leads}，{partners}", jurisdiction)
            assert found.partners == both[len(found.leads):]
        if form == 0:
            assert found.deadline in _DATES


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_names_never_crash_on_arbitrary_text(text: str) -> None:
    find_notes(text, NINGXIA)
    spans = orgs.split_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert spans == sorted(spans)
    orgs.expand_list(text, ZHONGWEI)
    orgs.canonical(text, NINGXIA)
    orgs.unit_matches(text, "自治区财政厅", NINGXIA)


@settings(max_examples=100, deadline=None)
@given(st.lists(_NOTE_LIKE, max_size=5), _note().filter(lambda n: n[0] in BRACKETED), st.lists(_NOTE_LIKE, max_size=5))
def test_find_tasks_never_crashes_on_odd_blocks(before: list[str], note: tuple[int, str, str, str],
                                                after: list[str]) -> None:
    """Paragraphs of note-like text around one paragraph closed by a bracketed note: every task has units
    and lines of the document, and the note's paragraph is a task led by the note's lead units."""
    from gongbao.extract.tasks import find_tasks
    from gongbao.model import Block, Document, Gazette, Span

    _, leads, _, printed = note
    texts = [*before, printed, *after]
    blocks = [Block("paragraph", t, t, Span(1 + i, 1 + i), lines=(1 + i,)) for i, t in enumerate(texts)]
    doc = Document(title="t", title_printed="t", span=Span(1, len(texts)), body=blocks)
    tasks = find_tasks(doc, Gazette(name="中卫市人民政府公报"))
    for task in tasks:
        assert task.leads or task.partners or task.implementers
        assert 1 <= task.span.start_line <= task.span.end_line <= len(texts)
        assert task.note
    line = len(before) + 1
    mine = [t for t in tasks if t.span.start_line == line and t.note and t.note in printed]
    assert mine, [(t.span, t.note) for t in tasks]
    expected = _expanded(leads, ZHONGWEI)
    assert mine[-1].leads[:len(expected)] == list(expected)
