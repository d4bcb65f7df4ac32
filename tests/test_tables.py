"""Tables from converted text, on the real tables of the corpus."""

from __future__ import annotations

from conftest import parsed
from hypothesis import example, given
from hypothesis import strategies as st

from gongbao.parse.lines import make_lines
from gongbao.parse.tables import build_pipe_table, cell_text, is_separator, split_pipe_row


def _tables(doc):
    return [b.table for b in doc.all_blocks() if b.table is not None]


def test_pipe_table_split_over_six_pages_is_one_table() -> None:
    annex = parsed("ningxia-2022-19").documents[1].attachments[1]
    [table] = [b.table for b in annex.body if b.table]
    assert table.header_rows == 1
    assert [c.text for c in table.rows[0]] == ["序号", "信息种类", "", "共享内容", "优先共享方式", "责任单位"]
    texts = [[c.text for c in row] for row in table.rows]
    # no repeated header in the middle, whichever column variant the page printed
    assert sum(1 for r in texts if "序号" in r) == 1
    serials = [r[0] for r in texts[1:] if r[0]]
    assert serials[0] == "1" and serials[-1] == "14"
    # the row the converter pushed three columns left is put back under its sub-kind column
    row = next(r for r in texts if "抽查信息" in r)
    assert row.index("抽查信息") == 2 and row[-1] == "自治区市场监管厅"


def test_merged_cells_are_empty_and_marked() -> None:
    annex = parsed("ningxia-2022-19").documents[1].attachments[1]
    [table] = [b.table for b in annex.body if b.table]
    continuation = table.rows[2]
    assert continuation[0].text == "" and continuation[0].merged
    assert not continuation[3].merged


def test_html_in_cells_becomes_text() -> None:
    doc = parsed("zhongwei-2019-03").documents[4]
    tables = _tables(doc)
    cells = [c.text for t in tables for row in t.rows for c in row]
    assert "一、森林生态系统" in cells
    assert not any("<" in c or ">" in c for c in cells)


def test_tab_table_with_blank_line_inside_stays_whole() -> None:
    annex = parsed("ningxia-2022-02").documents[2].attachments[0]
    [table] = [b.table for b in annex.body if b.table]
    assert [c.text for c in table.rows[0]] == ["序号", "重点项目", "功能", "建设周期"]
    assert [r[0].text for r in table.rows[1:]] == ["1", "2", "3", "4", "5", "6"]


def test_cell_text_unescapes_and_strips_tags() -> None:
    assert cell_text("<b>二、草原</b><br/>生态 &amp; 系统") == "二、草原生态 & 系统"


@given(st.lists(st.lists(st.text(alphabet="ab|-<>: 一二", max_size=6), min_size=1, max_size=5),
                min_size=1, max_size=8))
@example(rows=[["--"]])
@example(rows=[["a", "b"], ["--", ":-:"], ["一"], ["a", "b"], ["--", "--"]])
def test_property_pipe_rows_never_crash(rows: list[list[str]]) -> None:
    raw = ["|" + "|".join(r) + "|" for r in rows]
    lines = make_lines(raw)
    table = build_pipe_table(lines)
    content = [split_pipe_row(line.text) for line in lines if not is_separator(split_pipe_row(line.text))]
    if not content:  # only |---| rows: a table with no rows
        assert table.rows == [] and table.header_rows == 0
        return
    widths = {len(r) for r in table.rows}
    assert len(widths) == 1
    assert widths == {max(len(cells) for cells in content)}
    assert 1 <= len(table.rows) <= len(content)
    assert (table.span.start_line, table.span.end_line) == (1, len(raw))
