"""Issue #11: extraction on the real-shaped issues of tests/realshaped_extract/ (truth written by reading,
before the extractors were changed) and the grammar added for them: task tables by their columns, caption
rows, 分别牵头, standing clauses as tasks, party organs, groups, self-references by genre, laws as works,
prose targets (突破, 新增, 累计, scope conditions), indicator parents and change kinds."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.extract import evaluate, orgs
from gongbao.extract.citations import find_citations, law_work
from gongbao.extract.indicators import change_kind, find_indicators
from gongbao.extract.targets import _Scope, find_targets, prose_targets, table_targets
from gongbao.extract.tasks import find_notes, find_tasks, parse_roles
from gongbao.model import Block, Cell, Document, Gazette, Issue, Span, Table
from gongbao.parse import parse_lines
from gongbao.sources import read_source

HERE = Path(__file__).resolve().parent / "realshaped_extract"
WRITTEN = ["ningxia-2023-15", "zhongwei-2023-04", "ningxia-2023-20", "shizuishan-2024-02"]
NINGXIA = orgs.jurisdiction_of("宁夏回族自治区人民政府公报")
ZHONGWEI = orgs.jurisdiction_of("中卫市人民政府公报")


@cache
def _issue(name: str) -> Issue:
    source, lines = read_source(HERE / f"{name}.txt")
    return parse_lines(lines, source)


def _truth(name: str, kind: str) -> list:
    path = HERE / "expected" / f"{name}.{kind}.json"
    if not path.exists():
        pytest.skip(f"{name} has no {kind} truth file")
    return json.loads(path.read_text(encoding="utf-8"))[kind]


@pytest.mark.parametrize("name", WRITTEN)
def test_written_tasks(name: str) -> None:
    issue = _issue(name)
    score = evaluate.score_tasks(_truth(name, "tasks"), [t for d in issue.documents for t in find_tasks(d, issue.gazette)])
    assert (score.fp, score.fn) == (0, 0), (score.missed, score.extra)
    assert score.exact["roles"] == score.tp, score.notes


@pytest.mark.parametrize("name", WRITTEN)
def test_written_citations(name: str) -> None:
    docs = _issue(name).documents
    by_number, by_title = evaluate.score_citations(_truth(name, "citations"), [c for d in docs for c in find_citations(d)])
    for s in (by_number, by_title):
        assert (s.fp, s.fn) == (0, 0), (s.missed, s.extra)
    assert by_title.exact["self_reference"] == by_title.exact["work"] == by_title.tp


@pytest.mark.parametrize("name", WRITTEN)
def test_written_targets(name: str) -> None:
    docs = _issue(name).documents
    score = evaluate.score_targets(_truth(name, "targets"), [t for d in docs for t in find_targets(d)])
    assert (score.fp, score.fn) == (0, 0), (score.missed, score.extra)
    assert score.exact["whole"] == score.tp, score.notes
    assert all("agrees" not in n or n.split(": ")[1].split("/")[0] == n.split("/")[1] for n in score.notes), score.notes


@pytest.mark.parametrize("name", WRITTEN)
def test_written_indicators(name: str) -> None:
    docs = _issue(name).documents
    score = evaluate.score_indicators(_truth(name, "indicators"), [i for d in docs for i in find_indicators(d)])
    assert (score.fp, score.fn) == (0, 0), (score.missed, score.extra)
    assert score.exact["parent"] == score.exact["change_kind"] == score.tp
    assert not [n for n in score.notes if "informational" not in n], score.notes


# --- tables -------------------------------------------------------------------------------------------


def _table_doc(rows: list[list[str]], header_rows: int = 1) -> Document:
    original = "\n".join("\t".join(r) for r in rows)
    table = Table([[Cell(c) for c in r] for r in rows], header_rows, Span(50, 49 + len(rows)))
    block = Block("table", original, original, Span(50, 49 + len(rows)), table=table,
                  lines=tuple(range(50, 50 + len(rows))))
    return Document(title="测试", title_printed="测试", span=Span(1, 100), body=[block])


NX = Gazette(name="宁夏回族自治区人民政府公报")


def test_owner_list_is_not_a_task_table() -> None:
    doc = _table_doc([["第六批自治区级非物质文化遗产代表性项目名录"] * 5,
                      ["序号", "项目编号", "项目名称", "申报地区或单位", "保护单位"],
                      ["1", "Ⅰ-31", "六盘山花儿传说", "泾源县", "泾源县文化馆"],
                      ["2", "Ⅸ-11", "回医汤瓶八诊疗法", "银川市", "宁夏医科大学（负责整理传承）"]], header_rows=1)
    assert find_tasks(doc, NX) == []
    doc = _table_doc([["序号", "项目名称", "建设内容", "项目单位", "建设单位"],
                      ["1", "数据中心", "新建机架", "自治区发展改革委", "宁夏西部云基地公司"]])
    assert find_tasks(doc, NX) == []


def test_caption_row_is_not_the_header_of_a_task_table() -> None:
    doc = _table_doc([["重点任务分工表", "", "", "", ""],
                      ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
                      ["1", "建设信用平台", "自治区发展改革委", "大数据局、财政厅", "2023年底"]], header_rows=1)
    tasks = find_tasks(doc, NX)
    assert [(t.measure, t.leads, t.partners, t.deadline, t.span.start_line) for t in tasks] == [
        ("建设信用平台", ["自治区发展改革委"], ["自治区大数据局", "自治区财政厅"], "2023年底", 52)]


def test_caption_row_of_a_column_table() -> None:
    rows = [["专栏1 “十四五”中小企业发展主要指标"] * 5,
            ["序号", "指标", "2020年", "2025年", "属性"],
            ["1", "中小企业数量（万户）", "8.6", "12", "预期性"]]
    table = Table([[Cell(c) for c in r] for r in rows], 1, Span(10, 12))
    block = Block("table", "", "", Span(10, 12), table=table, lines=(10, 11, 12))
    found = table_targets(block, "", None)
    assert found is not None
    assert [(t.indicator, t.value, t.unit, t.year, t.base_value, t.nature) for t in found] == [
        ("中小企业数量", "12", "万户", 2025, "8.6", "预期性")]


# --- notes and organs -----------------------------------------------------------------------------


def test_each_leads_its_part() -> None:
    note = parse_roles("自治区发展改革委、工业和信息化厅、大数据局分别牵头，财政厅配合，2023年底前完成", NINGXIA)
    assert note is not None
    assert note.leads == ("自治区发展改革委", "自治区工业和信息化厅", "自治区大数据局")
    assert note.partners == ("自治区财政厅",) and note.deadline == "2023年底前"


def test_standing_clause_is_a_task_and_gives_only_its_implementers() -> None:
    blocks = [Block("heading", "二、重点任务（市发展和改革委员会牵头，各县（区）人民政府、中卫工业园区管委会具体落实，以下不再一一列出）",
                    "", Span(10, 10), label="二、", title="重点任务", level=1, path=("二、",), lines=(10,)),
              Block("paragraph", "（一）优化准入。破除隐性壁垒。（市财政局负责）", "", Span(12, 12), lines=(12,))]
    doc = Document(title="测试", title_printed="测试", span=Span(1, 20), body=blocks)
    tasks = find_tasks(doc, Gazette(name="中卫市人民政府公报"))
    assert [(t.leads, t.implementers, t.span.start_line) for t in tasks] == [
        (["市发展和改革委员会"], ["各县（区）人民政府", "中卫工业园区管委会"], 10),
        (["市财政局"], ["各县（区）人民政府", "中卫工业园区管委会"], 12)]
    note = find_notes("（自治区发展改革委负责，各地级市人民政府、宁东管委会具体落实，以下任务不再列出）", NINGXIA)[0]
    assert note.standing and note.leads == ("自治区发展改革委",) and note.implementers == ("各地级市人民政府", "宁东管委会")


@pytest.mark.parametrize("text,jurisdiction,names", [
    ("自治区党委组织部、党委编办", NINGXIA, ["自治区党委组织部", "自治区党委编办"]),
    ("宣传部、财政厅", NINGXIA, ["自治区党委宣传部", "自治区财政厅"]),
    ("市委宣传部、统战部", ZHONGWEI, ["市委宣传部", "市委统战部"]),
    ("市委组织部、编办", ZHONGWEI, ["市委组织部", "市委编办"]),
    ("人民银行银川中心支行、宁夏证监局", NINGXIA, ["人民银行银川中心支行", "宁夏证监局"]),
    ("财政厅、国家税务总局宁夏回族自治区税务局", NINGXIA, ["自治区财政厅", "国家税务总局宁夏回族自治区税务局"]),
    ("财政厅、有关市、县（区）人民政府", NINGXIA, ["自治区财政厅", "有关市、县（区）人民政府"]),
])
def test_organ_names(text: str, jurisdiction: orgs.Jurisdiction, names: list[str]) -> None:
    assert orgs.expand_list(text, jurisdiction) == names


def test_groups_are_groups() -> None:
    for name in ("各市、县（区）人民政府", "各有关部门", "市、县（区）人民政府", "有关市、县（区）人民政府", "市直各有关部门"):
        assert orgs.is_group(name, NINGXIA), name
    for name in ("自治区财政厅", "宁东管委会", "人民银行银川中心支行", "中卫市"):
        assert not orgs.is_group(name, NINGXIA), name


ORGANS = ["发展改革委", "财政厅", "教育厅", "科技厅", "民政厅", "司法厅", "商务厅", "水利厅", "农业农村厅", "大数据局"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ORGANS), min_size=2, max_size=4, unique=True),
       st.lists(st.sampled_from(ORGANS), min_size=1, max_size=3, unique=True))
def test_fenbie_qiantou_property(leads: list[str], partners: list[str]) -> None:
    """A、B分别牵头，C配合: every unit before 分别牵头 leads, every unit after it helps, whatever the names."""
    partners = [p for p in partners if p not in leads] or ["统计局"]
    note = parse_roles("自治区" + "、".join(leads) + "分别牵头，" + "、".join(partners) + "配合", NINGXIA)
    assert note is not None
    assert note.leads == tuple("自治区" + n for n in leads)
    assert note.partners == tuple("自治区" + n for n in partners)


# --- targets, indicators, citations ------------------------------------------------------------------


def _targets(text: str) -> list[tuple]:
    return [(t.indicator, t.comparator, t.value, t.unit, t.year, t.condition)
            for t in prose_targets(text, None, _Scope())]


def test_prose_targets() -> None:
    assert _targets("到2025年，中小企业数量突破12万户。") == [("中小企业数量", ">", "12", "万户", 2025, None)]
    assert _targets("到2025年，营业收入年均增长8%以上。") == [("营业收入年均增长", "≥", "8", "%", 2025, None)]
    assert _targets("新增国家级“小巨人”企业10家。") == [("新增国家级“小巨人”企业", "=", "10", "家", None, None)]
    assert _targets("力争到2024年，累计培育规模以上工业企业300家。") == [
        ("累计培育规模以上工业企业", "=", "300", "家", 2024, None)]
    assert _targets("到2025年，建成入驻企业20户以上的特色产业集群超过30个。") == [
        ("特色产业集群", ">", "30", "个", 2025, "入驻企业20户以上")]
    assert _targets("到2025年，力争培育年产值超10亿元企业5家。") == [
        ("年产值超10亿元企业", "=", "5", "家", 2025, "年产值超10亿元")]
    assert _targets("全区每年至少培育示范合作社20家。") == [("全区每年培育示范合作社", "≥", "20", "家", None, None)]
    assert [t[0] for t in _targets("到2025年，每校至少建设1个人工智能教室和1个VR教室。")] == ["每校人工智能教室", "VR教室"]
    assert _targets("到2025年，个体工商户数量较2020年增长20%。")[0][:3] == ("个体工商户数量", "+", "20")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5000), st.sampled_from(["家", "个", "户", "万户"]), st.sampled_from(["突破", "超过"]))
def test_beyond_is_greater_than(n: int, unit: str, word: str) -> None:
    found = _targets(f"到2025年，全区中小企业数量{word}{n}{unit}。")
    assert found == [("全区中小企业数量", ">", str(n), unit, 2025, None)]


def test_change_kind() -> None:
    assert change_kind("6.1", "亿元") == "percent"
    assert change_kind("下降2.4个百分点", "上年=100") == "points"
    assert change_kind("-1.6", None, "居民消费价格指数（上年同期=100）") == "points"
    assert change_kind("—", "%") is None


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12), st.one_of(st.none(), st.text(max_size=8)), st.one_of(st.none(), st.text(max_size=12)))
def test_change_kind_never_raises(change: str, unit: str | None, name: str | None) -> None:
    assert change_kind(change, unit, name) in (None, "percent", "points")


def test_law_work() -> None:
    assert law_work("中华人民共和国安全生产法（2021年修正）") == "中华人民共和国安全生产法"
    assert law_work("中华人民共和国民法典") == "中华人民共和国民法典"
    assert law_work("宁夏回族自治区非物质文化遗产保护条例") is None
    assert law_work("宁夏回族自治区社会信用体系建设管理办法") is None


IMPLEMENTERS = ["各地级市人民政府", "宁东管委会", "各县（区）人民政府", "各有关部门", "中卫工业园区管委会"]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(ORGANS), st.lists(st.sampled_from(IMPLEMENTERS), min_size=1, max_size=3, unique=True),
       st.sampled_from(["以下任务不再列出", "以下不再一一列出", "以下各项任务不再重复列出"]))
def test_standing_clause_property(lead: str, implementers: list[str], tail: str) -> None:
    """（X负责，Y、Z具体落实，以下…不再列出）: X leads the clause, Y、Z implement, whatever the names and tail."""
    text = f"（自治区{lead}负责，{'、'.join(implementers)}具体落实，{tail}）"
    notes = find_notes(text, NINGXIA)
    assert len(notes) == 1 and notes[0].standing
    assert notes[0].leads == ("自治区" + lead,) and notes[0].implementers == tuple(implementers)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["保护单位", "申报单位", "项目单位", "建设单位", "申报地区或单位"]),
       st.lists(st.sampled_from(["泾源县文化馆", "自治区发展改革委", "银川市人民政府", "宁夏大学"]), min_size=1, max_size=4))
def test_owner_columns_never_make_tasks(column: str, owners: list[str]) -> None:
    rows = [["序号", "项目名称", column]] + [[str(k + 1), f"项目{k}", o] for k, o in enumerate(owners)]
    assert find_tasks(_table_doc(rows), NX) == []


def test_units_named_after_yixia_reach_every_later_task() -> None:
    """（以下各项任务均由X牵头，Y落实，不再列出）: X and Y are units of every later task, and the clause is no task
    of its own — unlike （X负责，Y具体落实，以下任务不再列出）, where X leads the clause and only Y reaches on."""
    blocks = [Block("paragraph", "（以下各项任务均由自治区发展改革委牵头，各地级市人民政府落实，不再列出）", "", Span(10, 10), lines=(10,)),
              Block("paragraph", "（一）优化准入。破除隐性壁垒。（自治区财政厅配合）", "", Span(12, 12), lines=(12,))]
    doc = Document(title="测试", title_printed="测试", span=Span(1, 20), body=blocks)
    tasks = find_tasks(doc, NX)
    assert [(t.leads, t.partners, t.implementers) for t in tasks] == [
        (["自治区发展改革委"], ["自治区财政厅"], ["各地级市人民政府"])]


def test_guiding_units_are_partners_not_names_with_a_verb() -> None:
    note = parse_roles("各市、县（区）人民政府负责，自治区有关部门指导", NINGXIA)
    assert note is not None
    assert (note.leads, note.partners) == (("各市、县（区）人民政府",), ("自治区有关部门",))


def test_two_row_header_splits_lead_and_partner_columns() -> None:
    doc = _table_doc([["序号", "重点任务", "责任单位", "", "完成时限"],
                      ["", "", "牵头", "配合", ""],
                      ["1", "建设信用平台", "自治区发展改革委", "大数据局、财政厅", "2023年底"]], header_rows=2)
    tasks = find_tasks(doc, NX)
    assert [(t.leads, t.partners, t.deadline) for t in tasks] == [
        (["自治区发展改革委"], ["自治区大数据局", "自治区财政厅"], "2023年底")]


def test_points_are_never_shown_as_a_yoy_percentage() -> None:
    from gongbao.web.queries import CHANGE_KIND_LABELS, growth_overview

    series = [{"name": "地区生产总值", "points": [{"change": 6.1, "change_kind": "percent"}]},
              {"name": "居民消费价格总指数", "points": [{"change": -2.4, "change_kind": "points"}]}]
    chart = str(growth_overview(series))
    assert "地区生产总值" in chart and "居民消费价格总指数" not in chart
    assert CHANGE_KIND_LABELS == {"percent": "同比增长(%)", "points": "百分点"}
