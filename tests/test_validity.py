"""Validity: against the hand-checked truth files of the three corpus issues, the date/rule grammar as
properties, and real-shaped repeal, amend and 清理 documents."""

from __future__ import annotations

import datetime as dt

import pytest
from extract_corpus import ISSUES, expected, parsed, report
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.extract.evaluate import score_validity
from gongbao.extract.validity import expiry_after, find_validity
from gongbao.model import Block, Document, Enclosure, Gazette, Span


@pytest.mark.parametrize("name", ISSUES)
def test_corpus_validity(name: str) -> None:
    issue = parsed(name)
    got = [(d.doc_number.canonical if d.doc_number else None, find_validity(d, issue.gazette))
           for d in issue.documents]
    score = score_validity(expected(name, "validity")["documents"], got)
    print(report(score))
    assert score.precision == 1.0 and score.recall == 1.0, report(score)


def test_every_fact_has_a_span_inside_its_document() -> None:
    for name in ISSUES:
        issue = parsed(name)
        for d in issue.documents:
            v = find_validity(d, issue.gazette)
            for s in [v.commences_span, v.expires_span, *(e.span for e in v.effects)]:
                if s is not None:
                    assert d.span.start_line <= s.start_line <= d.span.end_line
                    assert s.start_char is not None and s.end_char is not None
            for e in v.effects:
                assert e.target_doc_number or e.target_title


def _doc(*texts: str, title: str = "关于印发某办法的通知", signed: dt.date | None = dt.date(2022, 3, 1),
         enclosure: str | None = None) -> Document:
    blocks = [Block("paragraph", t, t, Span(10 + 2 * i, 10 + 2 * i)) for i, t in enumerate(texts)]
    doc = Document(title=title, title_printed=title, span=Span(1, 100), body=blocks, signed=signed)
    if enclosure:
        doc.enclosures = [Enclosure(enclosure, Span(5, 5))]
    return doc


GAZETTE = Gazette(name="某公报", published=dt.date(2022, 3, 20))


@pytest.mark.parametrize(("text", "commences", "rule"), [
    ("本办法自2022年3月1日起施行。", dt.date(2022, 3, 1), None),
    ("第三十条 本规定自二〇二二年五月一日起施行。", dt.date(2022, 5, 1), None),
    ("本意见自印发之日起实施。", dt.date(2022, 3, 1), "自印发之日起"),
    ("本办法自发布之日起施行，有效期5年。", dt.date(2022, 3, 20), "自发布之日起"),
    ("本通知自 2023 年 1 月 1 日起执行。", dt.date(2023, 1, 1), None),
    ("自2019年起，每年开展1次培训。", None, None),
    ("按照本规定自2020年1月1日起执行新的标准的单位，应当报告。", None, None),
    ("《某条例》自2019年3月1日起施行。", None, None),
])
def test_commencement(text: str, commences: dt.date | None, rule: str | None) -> None:
    v = find_validity(_doc(text), GAZETTE)
    assert (v.commences, v.commences_rule) == (commences, rule)
    if commences:
        assert v.commences_span is not None and v.commences_span.start_line == 10


@pytest.mark.parametrize(("text", "expires", "rule"), [
    ("本办法自2022年3月1日起施行，有效期至2024年12月22日。", dt.date(2024, 12, 22), None),
    ("本办法自2022年3月1日起施行，有效期5年。", dt.date(2027, 2, 28), "有效期5年"),
    ("有效期限至 2020 年 12 月 31 日。", dt.date(2020, 12, 31), None),
    ("本意见有效期为三年。", dt.date(2025, 2, 28), "有效期为三年"),
    ("化工园区认定有效期为3年，期满前重新认定。", None, None),
])
def test_expiry(text: str, expires: dt.date | None, rule: str | None) -> None:
    v = find_validity(_doc(text))
    assert (v.expires, v.expires_rule) == (expires, rule)


def test_trial_from_own_titles_only() -> None:
    assert find_validity(_doc("正文。", title="关于印发某某管理办法（试行）的通知")).trial
    assert find_validity(_doc("正文。", enclosure="某某暂行办法")).trial
    assert not find_validity(_doc("根据《某某办法（试行）》制定。", title="关于废止《某某暂行办法》的决定")).trial


@pytest.mark.parametrize(("text", "effects"), [
    ("自治区人民政府办公厅印发的《某某办法（试行）》（宁政办规发〔2020〕23号）同时废止。",
     [("repeals", "宁政办规发〔2020〕23号", "某某办法（试行）")]),
    ("本办法自2022年3月1日起施行，原《甲办法》和《乙规定》同时废止。",
     [("repeals", None, "甲办法"), ("repeals", None, "乙规定")]),
    ("本通知自印发之日起施行，同时废止《关于某事的通知》（宁政发〔2015〕20号）。",
     [("repeals", "宁政发〔2015〕20号", "关于某事的通知")]),
    ("原宁夏回族自治区某某管理办法（宁政发〔2015〕20号）停止执行。",
     [("repeals", "宁政发〔2015〕20号", "宁夏回族自治区某某管理办法")]),
    ("现决定对《某某办法》（宁夏回族自治区人民政府令第12号）作如下修改：", [("amends", "宁夏回族自治区人民政府令第12号", "某某办法")]),
    ("修订《自治区职工生育保险办法》，提高生育保险和职工医保合并实施成效。", []),
    ("根据《宁夏生态保护与建设“十三五”规划(修订本)》要求，制定本方案。", []),
    ("及时废止与上位法不一致的规范性文件。", []),
    # from the standalone development set: a proposal and a revision under way are not amendments
    ("请财政部提出对《国有资产评估管理办法》的修订建议，简化评估程序。", []),
    ("目前，环保总局正在对《规划》进行修订，同时研究你省制订的《方案》。", []),
    ("对《某某办法》予以修订。", [("amends", None, "某某办法")]),
])
def test_inline_effects(text: str, effects: list[tuple[str, str | None, str]]) -> None:
    v = find_validity(_doc(text))
    assert [(e.type, e.target_doc_number, e.target_title) for e in v.effects] == effects
    for e in v.effects:
        assert e.span.start_line == 10 and e.span.start_char is not None


def test_lists_of_a_decision() -> None:
    doc = _doc(
        "经自治区人民政府研究，决定：",
        "一、对下列规章予以废止：",
        "1.《宁夏回族自治区甲管理办法》（宁夏回族自治区人民政府令第12号）",
        "2.《宁夏回族自治区乙实施办法》（宁夏回族自治区人民政府令第34号）",
        "二、对下列规章作出修改：",
        "（一）《宁夏回族自治区丙办法》（宁夏回族自治区人民政府令第56号）",
        "1.将第五条中的《中华人民共和国丁法》修改为《中华人民共和国丁法（2021年修正）》。",
        "三、下列规范性文件继续有效：",
        "1.《关于戊工作的通知》（宁政发〔2016〕8号）",
        "本决定自公布之日起施行。",
        title="宁夏回族自治区人民政府关于废止和修改部分规章的决定",
    )
    v = find_validity(doc, GAZETTE)
    got = [(e.type, e.target_doc_number) for e in v.effects]
    assert got == [("repeals", "宁夏回族自治区人民政府令第12号"), ("repeals", "宁夏回族自治区人民政府令第34号"),
                   ("amends", "宁夏回族自治区人民政府令第56号"), ("continues", "宁政发〔2016〕8号")]
    assert v.commences == GAZETTE.published and v.commences_rule == "自公布之日起"


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
       st.sampled_from(["施行", "实施", "执行"]), st.sampled_from(["办法", "规定", "意见", "通知", "实施细则"]),
       st.booleans(), st.booleans())
def test_commencement_grammar(day: dt.date, verb: str, kind: str, spaced: bool, article: bool) -> None:
    sp = " " if spaced else ""
    label = "第二十条 " if article else ""
    text = f"{label}本{kind}自{sp}{day.year}{sp}年{sp}{day.month}{sp}月{sp}{day.day}{sp}日起{verb}。"
    v = find_validity(_doc(text))
    assert v.commences == day and v.commences_rule is None
    assert v.commences_span is not None and v.commences_span.start_char == len(label)


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)), st.integers(1, 10),
       st.sampled_from(["印发", "发布"]))
def test_validity_years_grammar(day: dt.date, years: int, rule: str) -> None:
    v = find_validity(_doc(f"本办法自{rule}之日起施行，有效期{years}年。", signed=day), Gazette(published=day))
    assert v.commences == day and v.commences_rule == f"自{rule}之日起"
    assert v.expires == expiry_after(day, years, "年")
    assert v.expires is not None and v.expires > day
    after = v.expires + dt.timedelta(days=1)  # the first day out of force: N years on, same month
    assert (after.year, after.month) == (day.year + years, day.month)
