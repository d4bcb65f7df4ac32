"""Organ names: jurisdictions, list splitting, prefix expansion, aliases, ``--unit`` matching; and a
property test that no text, however odd, crashes the note parser."""

from __future__ import annotations

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


_NOTE_ALPHABET = st.sampled_from(list(
    "〔〕[]【】（）()［］、，,；;：:。 \n自治区市委党县区各有关部门单位局厅委办负责牵头配合落实责任单位配合单位"
    "落实单位完成时限以下不再列出由和及与等年月日底前2022持续推进发展改革财政卫生健康（区）“”政府"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NOTE_ALPHABET, max_size=120), st.sampled_from([NINGXIA, ZHONGWEI, None]))
def test_note_parser_never_crashes_on_note_like_text(text: str, jurisdiction: orgs.Jurisdiction | None) -> None:
    stops = frozenset(i for i, ch in enumerate(text) if ch == "\n")
    for note in find_notes(text, jurisdiction, stops):
        assert 0 <= note.start <= note.end <= len(text)
        assert note.units or note.deadline
        for unit in note.units:
            assert unit and unit == orgs.normalise(unit)
    parse_roles(text, jurisdiction)
    parse_roles(text, jurisdiction, strict=False)


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
@given(st.lists(st.text(alphabet=_NOTE_ALPHABET, max_size=80), max_size=5))
def test_find_tasks_never_crashes_on_odd_blocks(texts: list[str]) -> None:
    from gongbao.extract.tasks import find_tasks
    from gongbao.model import Block, Document, Gazette, Span

    blocks = [Block("paragraph", t, t, Span(1 + i, 1 + i), lines=(1 + i,)) for i, t in enumerate(texts)]
    doc = Document(title="t", title_printed="t", span=Span(1, 10), body=blocks)
    for task in find_tasks(doc, Gazette(name="中卫市人民政府公报")):
        assert task.leads or task.partners or task.implementers
        assert 1 <= task.span.start_line <= task.span.end_line
