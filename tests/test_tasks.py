"""The task ledger against the hand-checked expected files, the note grammar on every printed form, the
ledger rows, and ``gongbao tasks``.

Expected files (tests/expected/extract/<issue>.tasks.json) were written by reading every candidate line of
the three issues, independently of the extractor; a task matches when its start line lies within the
expected note's lines, and counts as right only when leads, partners, implementers (each unit expanded
and named exactly, in printed order) and the deadline are all equal.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import ISSUES, ROOT, SAMPLES, parsed
from extract_corpus import expected, report

from gongbao.cli import main
from gongbao.extract import ledger, orgs
from gongbao.extract.evaluate import score_tasks
from gongbao.extract.tasks import find_notes, find_tasks, parse_roles
from gongbao.model import Block, Document, Gazette, Span

EXPECTED = ROOT / "tests" / "expected" / "extract"
NINGXIA = orgs.jurisdiction_of("宁夏回族自治区人民政府公报")
ZHONGWEI = orgs.jurisdiction_of("中卫市人民政府公报")


@pytest.mark.parametrize("name", ISSUES)
def test_expected_files_are_complete_and_well_formed(name: str) -> None:
    data = json.loads((EXPECTED / f"{name}.tasks.json").read_text(encoding="utf-8"))
    assert data["notes"].startswith("Hand-checked")
    lines = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    for e in data["tasks"]:
        assert e["kind"] in ("note", "table_row")
        assert 1 <= e["line"] <= e["end_line"] <= len(lines)
        assert e["leads"] or e["partners"] or e["implementers"]
        for unit in e["leads"] + e["partners"] + e["implementers"]:
            assert unit == orgs.normalise(unit) and "(" not in unit


@pytest.mark.parametrize("name", ISSUES)
def test_tasks_match_expected(name: str) -> None:
    """Every hand-checked note and table row found, nothing else, every role and deadline exactly right."""
    tasks = [t for d in parsed(name).documents for t in d.tasks]
    score = score_tasks(expected(name, "tasks")["tasks"], tasks)
    print(report(score))
    assert score.precision == 1.0 and score.recall == 1.0, report(score)
    assert score.notes == [f"roles exactly right: {score.tp}/{score.tp}"], score.notes


def test_every_task_keeps_its_span_and_measure() -> None:
    for name in ISSUES:
        issue = parsed(name)
        for doc in issue.documents:
            for t in doc.tasks:
                assert doc.span.start_line <= t.span.start_line <= t.span.end_line <= doc.span.end_line
                assert t.measure and t.note
        lines = issue.lines
        for doc in issue.documents:
            blocks = doc.all_blocks()
            for t in doc.tasks:
                if t.span.start_char is None or t.span.end_char is None:
                    continue
                block = next(b for b in blocks if b.span.start_line <= t.span.start_line <= b.span.end_line
                             and t.note.split("\n")[0] in b.text)
                assert block.text[t.span.start_char:t.span.end_char] == t.note.split("\n")[0]
                assert any(ch in lines[t.span.start_line - 1] for ch in t.note[:3] + t.note[-3:])


# --- the grammar, form by form (forms the corpus shows, and forms other real issues print) -------------

def _one(text: str, jurisdiction: orgs.Jurisdiction | None = NINGXIA) -> dict:
    notes = [n for n in find_notes(text, jurisdiction) if not n.standing]
    assert len(notes) == 1, notes
    n = notes[0]
    return {"leads": list(n.leads), "partners": list(n.partners), "implementers": list(n.implementers),
            "deadline": n.deadline}


def test_bracketed_note_right_after_a_label_is_read_once() -> None:
    """完成时限：〔…〕 — the label's value is the bracketed note, not its first words as a deadline."""
    assert _one("加快建设。完成时限：〔自治区发展改革委牵头，财政厅配合，2022年底前完成〕") == {
        "leads": ["自治区发展改革委"], "partners": ["自治区财政厅"], "implementers": [], "deadline": "2022年底前"}


def test_shared_prefix_and_all_responsible() -> None:
    assert _one("加大投入。〔自治区科技厅、财政厅负责〕") == {
        "leads": ["自治区科技厅", "自治区财政厅"], "partners": [], "implementers": [], "deadline": None}


def test_lead_and_partners_by_duty_with_mixed_brackets_and_comma_groups() -> None:
    r = _one("开展研究。[自治区科技厅，宁夏气象局牵头，自治区财政厅、水利厅，宁夏大学、林草局及中卫市按职责分工负责]")
    assert r["leads"] == ["自治区科技厅", "宁夏气象局"]
    assert r["partners"] == ["自治区财政厅", "自治区水利厅", "宁夏大学", "自治区林草局", "中卫市"]
    assert _one("建设基地。〔自治区药监局、卫生健康委(中\n医药管理局)负责]")["leads"] == [
        "自治区药监局", "自治区卫生健康委（中医药管理局）"]


def test_lead_partner_deadline_in_parentheses() -> None:
    assert _one("推进改革。（市发展改革委牵头，市财政局、自然资源局配合，2022年底前完成）", ZHONGWEI) == {
        "leads": ["市发展改革委"], "partners": ["市财政局", "市自然资源局"], "implementers": [],
        "deadline": "2022年底前"}
    r = _one("推进改革。（自治区教育厅、人力资源社会保障厅分别负责，持续推进）")
    assert r["leads"] == ["自治区教育厅", "自治区人力资源社会保障厅"] and r["deadline"] == "持续推进"
    assert _one("（市卫生健康委员会牵头负责，二〇二二年完成）", ZHONGWEI)["deadline"] == "二〇二二年"


def test_labelled_notes() -> None:
    assert _one("做好工作。[责任单位:各县(区)人民政府;配合单位:市农业农村局、市场监督管理局]", ZHONGWEI) == {
        "leads": ["各县（区）人民政府"], "partners": ["市农业农村局", "市市场监督管理局"], "implementers": [],
        "deadline": None}
    r = _one("〔牵头单位:市自然资源局,配合单位:市财政局、交通运输局,落实单位:各县(区)人民政府〕", ZHONGWEI)
    assert r == {"leads": ["市自然资源局"], "partners": ["市财政局", "市交通运输局"],
                 "implementers": ["各县（区）人民政府"], "deadline": None}
    r = _one("[责任单位：自治区发展改革委牵头，各有关部门（单位）和各市、县（区）人民政府按职责分工负责]")
    assert r["leads"] == ["自治区发展改革委"]
    assert r["partners"] == ["各有关部门（单位）", "各市、县（区）人民政府"]
    r = _one("（牵头单位：市发展改革委；责任单位：各区人民政府；完成时限：2023年6月30日前）", ZHONGWEI)
    assert r == {"leads": ["市发展改革委"], "partners": ["各区人民政府"], "implementers": [],
                 "deadline": "2023年6月30日前"}


def test_other_printed_forms() -> None:
    assert _one("【牵头单位】市发展改革委 【配合单位】市财政局 【完成时限】2022年12月底前", ZHONGWEI) == {
        "leads": ["市发展改革委"], "partners": ["市财政局"], "implementers": [], "deadline": "2022年12月底前"}
    assert _one("（市教育局会同市财政局负责）", ZHONGWEI)["partners"] == ["市财政局"]
    r = _one("（责任单位：市教育局；责任人：张三；完成时间：2019年9月）", ZHONGWEI)
    assert r["leads"] == ["市教育局"] and r["deadline"] == "2019年9月"
    assert _one("（自治区发展改革委牵头，各市、县（区）人民政府配合，2021—2025年）")["deadline"] == "2021—2025年"
    assert _one("（市财政局负责，每年12月底前完成）", ZHONGWEI)["deadline"] == "每年12月底前"
    assert _one("加强研发推广。（工信部、公安部、应急管理部、国家消防救援局）")["leads"] == [
        "工信部", "公安部", "应急管理部", "国家消防救援局"]
    assert find_notes("由市教育体育局（市教育局）负责组织。", ZHONGWEI) == []
    r = _one("（责任单位：市发展改革委（牵头）、市财政局，各县区政府）", ZHONGWEI)
    assert r["leads"] == ["市发展改革委"] and r["partners"] == ["市财政局", "各县区政府"]


@pytest.mark.parametrize("text,units", [
    ("（以下各项任务均由各市、县（区）人民政府负责落实，不再一一列出）", ("各市、县（区）人民政府",)),
    ("以下各项任务各市、县（区）人民政府均负有落实责任，不再列出。", ("各市、县（区）人民政府",)),
    ("（各地区、各部门为各项任务的落实主体，以下不再列出）", ("各地区", "各部门")),
])
def test_standing_notes(text: str, units: tuple[str, ...]) -> None:
    notes = find_notes(text, NINGXIA)
    assert len(notes) == 1 and notes[0].standing and notes[0].implementers == units


def test_label_lines_stop_at_the_source_line_break() -> None:
    text = "配合单位:市生态环境局、自然资源局落实单位:各县(区)人民政府各县(区)要建立安全利用类集中耕地清单。"
    stops = frozenset({text.index("落实"), text.index("各县(区)要")})
    notes = find_notes(text, ZHONGWEI, stops)
    assert len(notes) == 1
    assert notes[0].partners == ("市生态环境局", "市自然资源局")
    assert notes[0].implementers == ("各县（区）人民政府",)
    assert text[notes[0].end:].startswith("各县(区)要")


def test_party_prefix_applies_to_party_organs_only() -> None:
    r = _one("(责任单位:市委宣传部、网络安全与信息化办公室,市公安局、司法局)", ZHONGWEI)
    assert r["leads"] == ["市委宣传部", "市委网络安全与信息化办公室", "市公安局", "市司法局"]
    r = _one("配合单位：市委宣传部、自然资源局、农业农村局", ZHONGWEI)
    assert r["leads"] == [] and r["partners"] == ["市委宣传部", "市自然资源局", "市农业农村局"]


def test_names_with_their_own_place_and_shared_suffix() -> None:
    r = _one("(责任单位:沙坡头区、中宁县人民政府;配合单位:市商务局、市交通运输局)", ZHONGWEI)
    assert r["leads"] == ["沙坡头区人民政府", "中宁县人民政府"]
    r = _one("（市医疗保障局、国家税务总局中卫市税务局、卫生健康委员会根据职责分工负责）", ZHONGWEI)
    assert r["leads"] == ["市医疗保障局", "国家税务总局中卫市税务局", "市卫生健康委员会"]
    r = _one("〔自治区发展改革委、商务厅，银川海关，自治区药监局负责〕")
    assert r["leads"] == ["自治区发展改革委", "自治区商务厅", "银川海关", "自治区药监局"]
    r = _one("（国家发展改革委、财政部等按职责分工负责）")
    assert r["leads"] == ["国家发展改革委", "财政部"]
    r = _one("(市政府办公室牵头,市级各有关部门及各县市区政府按职责分工负责)", ZHONGWEI)
    assert r["partners"] == ["市级各有关部门", "各县市区政府"]


def test_preamble_before_you_is_dropped() -> None:
    r = _one("〔责任单位：37项数据由附件2的责任单位、各地级市人民政府和宁东管委会分别负责〕")
    assert r["leads"] == ["附件2的责任单位", "各地级市人民政府", "宁东管委会"]


@pytest.mark.parametrize("text", [
    "（以下简称“接入机构”）",
    "（由县级人民政府负责组织实施）",
    "（具体负责人由市长担任）",
    "（2019年）",
    "第三条 自治区工业和信息化厅牵头组织发展改革、自然资源等部门，依据部门职责负责化工园区建设。",
    "由人力资源社会保障部门牵头,扶贫、财政等相关部门共同实施。",
    "建立“谁使用、谁负责,谁审核、谁监管”的责任追究机制。",
])
def test_running_text_is_not_a_note(text: str) -> None:
    assert find_notes(text, NINGXIA) == []


def test_parse_roles_rejects_non_units() -> None:
    assert parse_roles("由县级人民政府负责组织实施", NINGXIA) is None
    assert parse_roles("市财政局负责", ZHONGWEI) is not None


def _doc(*texts: str) -> Document:
    """A document whose blocks are the given texts, one source line each, a blank line between."""
    blocks = []
    for i, text in enumerate(texts):
        line = 10 + 2 * i
        m = re.match(r"^(（[一二三四五六七八九十]+）|\d+\.)(.*?)。", text)
        if m:
            blocks.append(Block("heading", text, text, Span(line, line), label=m.group(1), title=m.group(2),
                                level=1, path=(m.group(1),), lines=(line,)))
        else:
            blocks.append(Block("paragraph", text, text, Span(line, line), lines=(line,)))
    return Document(title="测试", title_printed="测试", span=Span(1, 100), body=blocks)


def test_standing_note_applies_to_later_tasks() -> None:
    doc = _doc("（以下任务均需各市、县（区）人民政府落实，不再列出）",
               "（一）加强监管。开展检查。（自治区市场监管厅负责）",
               "（二）完善制度。制定办法。（自治区司法厅牵头，自治区财政厅配合，2023年完成）")
    tasks = find_tasks(doc, Gazette(name="宁夏回族自治区人民政府公报"))
    assert len(tasks) == 2
    assert tasks[0].leads == ["自治区市场监管厅"]
    assert tasks[0].implementers == ["各市、县（区）人民政府"]
    assert tasks[1].partners == ["自治区财政厅"] and tasks[1].deadline == "2023年"
    assert tasks[1].implementers == ["各市、县（区）人民政府"]
    assert tasks[0].measure == "加强监管" and tasks[0].span.start_line == 12


def test_label_lines_in_separate_blocks_make_one_task() -> None:
    doc = _doc("1.做好详查。", "开展农用地土壤污染状况详查。", "牵头单位:市生态环境局", "配合单位:市自然资源局、水务局",
               "落实单位:各县(区)人民政府", "完成时限:2020年底前")
    tasks = find_tasks(doc, Gazette(name="中卫市人民政府公报"))
    assert len(tasks) == 1
    t = tasks[0]
    assert (t.leads, t.partners, t.implementers, t.deadline) == (
        ["市生态环境局"], ["市自然资源局", "市水务局"], ["各县（区）人民政府"], "2020年底前")
    assert (t.span.start_line, t.span.end_line) == (14, 20)
    assert t.text == "开展农用地土壤污染状况详查。"


def test_table_column_tasks() -> None:
    issue = parsed("ningxia-2022-19")
    rows = [t for d in issue.documents for t in d.tasks if t.span.start_line >= 453]
    t = next(t for t in rows if t.span.start_line == 497)
    assert t.leads == ["自治区发展改革委"] and t.partners == ["各市、县（区）", "各有关部门（单位）"]
    assert t.measure == "行政管理信息 行政许可信息"


def _table_doc(rows: list[list[str]]) -> Document:
    from gongbao.model import Cell, Table

    original = "\n".join("\t".join(r) for r in rows)
    lines = tuple(range(50, 50 + len(rows)))
    table = Table([[Cell(c, merged=not c) for c in r] for r in rows], 1, Span(50, 49 + len(rows)))
    block = Block("table", original, original, Span(50, 49 + len(rows)), table=table, lines=lines)
    return Document(title="测试", title_printed="测试", span=Span(1, 100), body=[block])


def test_table_with_unit_and_deadline_columns() -> None:
    doc = _table_doc([
        ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "建设数据平台", "自治区发展改革委", "工业和信息化厅、财政厅", "2022年底前"],
        ["2", "完善标准体系", "自治区市场监管厅", "", "持续推进"],
    ])
    tasks = find_tasks(doc, Gazette(name="宁夏回族自治区人民政府公报"))
    assert [(t.measure, t.leads, t.partners, t.deadline, t.span.start_line) for t in tasks] == [
        ("建设数据平台", ["自治区发展改革委"], ["自治区工业和信息化厅", "自治区财政厅"], "2022年底前", 51),
        ("完善标准体系", ["自治区市场监管厅"], [], "持续推进", 52),
    ]


def test_notes_inside_table_cells() -> None:
    doc = _table_doc([
        ["序号", "任务", "具体措施"],
        ["1", "优化营商环境", "推行告知承诺制。（市审批服务管理局牵头，市直有关部门配合）"],
    ])
    tasks = find_tasks(doc, Gazette(name="中卫市人民政府公报"))
    assert [(t.measure, t.leads, t.partners, t.span.start_line) for t in tasks] == [
        ("优化营商环境", ["市审批服务管理局"], ["市直有关部门"], 51)]


# --- the ledger and the command ---------------------------------------------------------------------

def test_ledger_rows_match_units_through_aliases() -> None:
    rows = ledger.issue_rows(parsed("ningxia-2022-19")) + ledger.issue_rows(parsed("zhongwei-2019-03"))
    fgw = ledger.for_unit(rows, "发展和改革委员会")
    assert any("自治区发展改革委" in r["leads"] for r in fgw)
    assert any("市发展和改革委员会" in r["partners"] for r in fgw)
    assert all(r["roles"] for r in fgw)
    assert not ledger.for_unit(rows, "外交部")
    only_city = ledger.for_unit(rows, "市发展改革委")
    assert only_city and all(r["gazette"] == "中卫市人民政府公报" for r in only_city)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_tasks_for_a_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["tasks", str(SAMPLES / "ningxia-2022-02.txt"), "--unit", "财政厅"], capsys)
    assert code == 0 and "自治区财政厅" in out and "宁政办发〔2021〕78号" in out and "第851行" in out
    code, out, _ = _run(["tasks", str(SAMPLES / "zhongwei-2019-03.txt"), "-u", "医保局", "--json"], capsys)
    rows = json.loads(out)
    assert code == 0 and rows and all("市医疗保障局" in r["leads"] + r["partners"] for r in rows)
    assert {"text", "measure", "leads", "partners", "implementers", "deadline", "span", "doc_number"} <= rows[0].keys()


def test_cli_tasks_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    out_file = tmp_path / "ledger.xlsx"
    code, _, err = _run(["tasks", str(SAMPLES / "zhongwei-2019-03.txt"), "--unit", "教育局", "--xlsx",
                         str(out_file)], capsys)
    assert code == 0 and "已写入" in err
    ws = load_workbook(io.BytesIO(out_file.read_bytes())).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ledger.XLSX_HEADER
    assert len(rows) == 1 + 24
    assert rows[1][2] == "市教育局" and rows[1][6] == "卫政办发〔2019〕23号"
    assert "落实单位" not in (rows[1][3] or "") and rows[1][5].startswith("中卫市人民政府办公室")


@pytest.mark.parametrize("args,code,message", [
    (["tasks", "no-such-file.txt"], 2, "文件不存在"),
    (["tasks", "--data", "no-such-dir"], 3, "档案目录"),
    (["tasks", "samples/ningxia-2022-02.txt", "--unit", " "], 2, "不能为空"),
    (["tasks", "samples/ningxia-2022-02.txt", "--xlsx", "/no/such/dir/x.xlsx"], 1, "无法写入"),
])
def test_cli_tasks_bad_input(args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    got, out, err = _run(args, capsys)
    assert got == code and message in err and "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_cli_tasks_from_the_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The archive path: a real archive of two gazettes, a unit matched through its alias."""
    from gongbao.store import Archive

    with Archive(tmp_path) as archive:
        report = archive.ingest([SAMPLES / "ningxia-2022-02.txt", SAMPLES / "zhongwei-2019-03.txt"])
    assert report.added == 2
    code, out, _ = _run(["tasks", "--data", str(tmp_path), "--unit", "发展和改革委员会", "--json"], capsys)
    got = json.loads(out)
    assert code == 0
    assert {r["gazette"] for r in got} == {"宁夏回族自治区人民政府公报", "中卫市人民政府公报"}
    assert all(r["roles"] for r in got)
