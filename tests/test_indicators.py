"""Economic indicators: every row of the corpus 经济数据 table, and the row grammar on variants."""

from __future__ import annotations

import pytest
from extract_corpus import ISSUES, expected, parsed, report
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.extract.evaluate import score_indicators
from gongbao.extract.indicators import canonical_name, find_indicators, parse_number, period_of
from gongbao.model import Block, Cell, Document, Span, Table


@pytest.mark.parametrize("name", ISSUES)
def test_corpus_indicator_rows(name: str) -> None:
    issue = parsed(name)
    got = [i for d in issue.documents for i in find_indicators(d)]
    score = score_indicators(expected(name, "indicators")["indicators"], got)
    print(report(score))
    # issue 5: economic indicator rows 100%, with parent, period, unit, values and line right
    assert score.precision == 1.0 and score.recall == 1.0, report(score)
    assert [n for n in score.notes if "informational" not in n] == []


@pytest.mark.parametrize(("label", "name", "qualifier"), [
    ("一、地区生产总值", "地区生产总值", None), ("十二、工业生产者出厂价格指数", "工业生产者出厂价格指数", None),
    ("#房地产开发投资", "房地产开发投资", None), ("＃ 住户存款", "住户存款", None), ("进 口", "进口", None),
    ("五、进出口总额 (1月—11月)", "进出口总额", "1—11月"), ("六、外商直接投资情况（1-10月）", "外商直接投资情况", "1—10月"),
    ("其中：民间投资", "民间投资", None), ("1. 粮食产量", "粮食产量", None),
])
def test_canonical_names_align_across_issues(label: str, name: str, qualifier: str | None) -> None:
    assert canonical_name(label) == (name, qualifier)


@pytest.mark.parametrize(("text", "value"), [
    ("4522.31", 4522.31), ("—", None), ("", None), ("* 3.7", 3.7), ("-1.0", -1.0),
    ("下降0.1个百分点", -0.1), ("上升23.0个百分点", 23.0), ("1,335.12", 1335.12),
])
def test_values_kept_as_text_and_parsed(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_period_from_title() -> None:
    assert period_of("2021年1月—12月宁夏主要经济指标完成情况") == "2021年1—12月"
    assert period_of("2022年1-10月全区主要经济指标") == "2022年1—10月"
    assert period_of("2022年9月宁夏主要经济指标") == "2022年9月"
    assert period_of("2022年一季度主要经济指标") == "2022年一季度"


def _econ(rows: list[list[str]], *notes: str) -> Document:
    table = Table([[Cell(c) for c in r] for r in rows], 1, Span(10, 10 + len(rows) - 1))
    text = "\n".join("\t".join(r) for r in rows)
    blocks = [Block("table", text, text, Span(10, 10 + len(rows) - 1), table=table,
                    lines=tuple(range(10, 10 + len(rows))))]
    blocks += [Block("paragraph", n, n, Span(40 + k, 40 + k)) for k, n in enumerate(notes)]
    return Document("2022年1月—10月宁夏主要经济指标完成情况", "", Span(1, 50), kind="经济数据", body=blocks)


def test_rows_parents_and_period_qualifiers() -> None:
    doc = _econ([["指 标", "单 位", "绝对值", "同比增长(%)"],
                 ["一、进出口总额(1月—9月)", "亿元", "150.2", "40.1"],
                 ["进 口", "亿元", "30.0", "-2.0"],
                 ["二、固定资产投资", "%", "—", "2.2"],
                 ["#房地产开发投资", "亿元", "400.5", "* 7.8"],
                 ["三、居民消费价格总指数", "上年=100", "101.4"]],  # a row missing its last cell
                "注：1. 固定资产投资为累计数据。")
    got = [(i.span.start_line, i.canonical_name, i.parent, i.period, i.unit, i.value, i.change_text, i.note)
           for i in find_indicators(doc)]
    assert got == [
        (11, "进出口总额", None, "2022年1—9月", "亿元", 150.2, "40.1", None),
        (12, "进口", "进出口总额", "2022年1—9月", "亿元", 30.0, "-2.0", None),
        (13, "固定资产投资", None, "2022年1—10月", "%", None, "2.2", "固定资产投资为累计数据。"),
        (14, "房地产开发投资", "固定资产投资", "2022年1—10月", "亿元", 400.5, "* 7.8", "固定资产投资为累计数据。"),
        (15, "居民消费价格总指数", None, "2022年1—10月", "上年=100", 101.4, "", None)]


def test_other_documents_have_no_indicators() -> None:
    doc = _econ([["指标", "单位", "绝对值", "同比增长"], ["一、地区生产总值", "亿元", "1", "2"]])
    doc.kind, doc.title = "通知", "关于印发某方案的通知"
    assert find_indicators(doc) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_labels_and_values_never_crash(text: str) -> None:
    canonical_name(text)
    parse_number(text)
    period_of(text)
    find_indicators(_econ([["指标", "单位", "绝对值", "同比增长"], [text, text[:3], text, text[::-1]]], text))
