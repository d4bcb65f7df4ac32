"""Search semantics on the real corpus: every answer is checked against a brute-force substring scan of
the record's own text (the truth), not against remembered numbers."""

from __future__ import annotations

import html
import random
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storesupport import ROOT, SAMPLES, ingest_samples, python, record_texts, squeezed_texts

from gongbao.errors import GongbaoError
from gongbao.store import Archive
from gongbao.store.tokens import squeeze

MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_samples(tmp_path_factory.mktemp("search") / "data")


@pytest.fixture(scope="module")
def archive(data: Path):
    with Archive(data, readonly=True) as opened:
        yield opened


def truth(data: Path, term: str) -> set[str]:
    """Documents whose title or text contains ``term`` (punctuation and spacing aside)."""
    s = squeeze(term)
    return {doc_id for doc_id, text in squeezed_texts(data).items() if s in text}


def found(archive: Archive, query: str, **filters) -> set[str]:
    result = archive.search(query, limit=100, **filters)
    assert result["total"] == len(result["hits"]) or result["total"] > 100
    return {h["id"] for h in result["hits"]}


def test_random_substrings_are_found_exactly(data: Path, archive: Archive) -> None:
    """Recall and precision: 300 random substrings (1–9 characters) of the corpus, each found in exactly
    the documents that contain it."""
    texts = record_texts(data)
    rng = random.Random(20240601)
    ids = sorted(texts)
    checked = 0
    while checked < 300:
        text = texts[rng.choice(ids)]
        length = rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 9])
        start = rng.randrange(0, max(1, len(text) - length))
        term = text[start:start + length]
        if len(squeeze(term)) != len(term.strip()) or not term.strip():
            continue  # only clean runs of searchable characters: a term a user would type
        assert found(archive, f'"{term}"') == truth(data, term), term
        checked += 1


@pytest.mark.parametrize("term", ["水", "硒", "残疾人", "十四五", "医疗保障", "中药材产业", "宁夏回族自治区人民政府"])
def test_words_and_one_character_terms(data: Path, archive: Archive, term: str) -> None:
    expected = truth(data, term)
    assert expected, "the term is in the corpus"
    assert found(archive, term) == expected
    result = archive.search(term, limit=3)
    for hit in result["hits"]:
        marked = MARK_RE.findall(hit["snippet"]) + MARK_RE.findall(hit["title_html"])
        # each mark is the whole term (adjacent occurrences, 水水, form one mark)
        assert marked and all(not squeeze(html.unescape(m)).replace(squeeze(term), "") for m in marked)


def test_phrase_is_highlighted_whole_not_by_character(archive: Archive) -> None:
    result = archive.search('"残疾人保障"')
    assert result["hits"]
    for hit in result["hits"]:
        marks = MARK_RE.findall(hit["snippet"]) + MARK_RE.findall(hit["title_html"])
        assert marks and all(not squeeze(m).replace("残疾人保障", "") for m in marks)


def test_quoted_phrase_with_space_is_one_term(data: Path, archive: Archive) -> None:
    assert found(archive, '"残疾人 保障"') == truth(data, "残疾人保障")
    both = truth(data, "残疾人") & truth(data, "保障")
    assert found(archive, "残疾人 保障") == both
    assert truth(data, "残疾人保障") < both


def test_boolean_operators(data: Path, archive: Archive) -> None:
    a, b = truth(data, "医疗"), truth(data, "残疾")
    assert found(archive, "医疗 AND 残疾") == a & b
    assert found(archive, "医疗 OR 残疾") == a | b
    assert found(archive, "医疗 NOT 残疾") == a - b
    assert found(archive, "医疗 -残疾") == a - b
    assert found(archive, "(医疗 OR 残疾) 规划") == (a | b) & truth(data, "规划")
    everything = set(squeezed_texts(data))
    assert found(archive, "NOT 医疗") == everything - a


def test_doc_number_in_any_spelling(archive: Archive) -> None:
    spellings = ["宁政办发[2022]68号", "宁政办发（2022）68号", "宁政办发〔2022〕 68 号", "宁政办发 〔2022〕68号"]
    ids = {archive.resolve(s) for s in spellings}
    assert len(ids) == 1 and None not in ids
    doc_id = ids.pop()
    assert archive.document(doc_id)["doc_number"] == "宁政办发〔2022〕68号"
    for spelling in spellings:
        result = archive.search(spelling)
        assert result["hits"][0]["id"] == doc_id, spelling
        assert [d["id"] for d in archive.documents_by_number(spelling)] == [doc_id]
    # a 文号 among other words is still recognised, and documents citing it are found too
    assert archive.search("信用 宁政办发[2022]68号")["hits"][0]["id"] == doc_id
    assert archive.documents_by_number("不是文号") == []


def test_filters_restrict_and_facets_count(data: Path, archive: Archive) -> None:
    everything = archive.search("规划", limit=100)
    expected = truth(data, "规划")
    assert {h["id"] for h in everything["hits"]} == expected
    for facet, values in everything["facets"].items():
        assert values, facet
        if facet in ("gazette", "kind", "year", "category"):  # one value per document: the counts add up
            assert sum(values.values()) == everything["total"], facet
        else:  # issuers: a document may have none (经济数据); no sample document is issued jointly
            assert sum(values.values()) <= everything["total"], facet
        for value, count in values.items():
            key = {"year": "year", "gazette": "gazette", "kind": "kind", "category": "category",
                   "issuer": "issuer"}[facet]
            narrowed = archive.search("规划", limit=100, **{key: value})
            assert narrowed["total"] == count, (facet, value)
            for hit in narrowed["hits"]:
                doc = archive.document(hit["id"])
                if facet == "year":
                    assert doc["date"].startswith(value)
                elif facet == "gazette":
                    assert doc["issue"]["gazette"] == value
                elif facet == "issuer":
                    assert value in doc["issuers"]
                else:
                    assert doc[facet] == value
    assert sum(everything["facets"]["gazette"].values()) == everything["total"]


def _titles(data: Path) -> dict[str, str]:
    return {doc_id: squeeze(text.split("\n", 1)[0]) for doc_id, text in record_texts(data).items()}


@pytest.mark.parametrize("query, term", [
    ("title:规划", "规划"), ("标题：通知", "通知"), ('title:"医疗 保障"', "医疗保障"), ("TITLE:方案", "方案"),
])
def test_title_prefix_searches_titles_only(data: Path, archive: Archive, query: str, term: str) -> None:
    in_title = {doc_id for doc_id, title in _titles(data).items() if term in title}
    assert in_title and found(archive, query) == in_title
    assert in_title <= truth(data, term)


def test_title_prefix_combines_with_words_and_negation(data: Path, archive: Archive) -> None:
    titles = _titles(data)
    with_plan = {d for d, t in titles.items() if "规划" in t}
    assert with_plan < truth(data, "规划"), "规划 also occurs outside titles: the prefix narrows"
    assert found(archive, "title:规划 残疾人") == with_plan & truth(data, "残疾人")
    assert found(archive, "-title:规划 规划") == truth(data, "规划") - with_plan


def test_issuer_filter_by_exact_name_or_any_part_of_it(data: Path, archive: Archive) -> None:
    everything = archive.search("", limit=100)
    issuers = everything["facets"]["issuer"]
    office = "宁夏回族自治区人民政府办公厅"
    government = "宁夏回族自治区人民政府"
    assert office in issuers and government in issuers
    # the exact name of the 政府 does not take in its 办公厅, whose name contains it
    assert archive.search("", issuer=government, limit=100)["total"] == issuers[government]
    # a part of a name selects every issuer containing it
    part = {name: n for name, n in issuers.items() if "办公厅" in name}
    narrowed = archive.search("", issuer="办公厅", limit=100)
    assert narrowed["total"] == sum(part.values()) and set(narrowed["facets"]["issuer"]) >= set(part)
    for hit in narrowed["hits"]:
        assert any("办公厅" in name for name in archive.document(hit["id"])["issuers"])
    assert archive.search("", issuer="中卫", limit=100)["total"] == sum(
        n for name, n in issuers.items() if "中卫" in name)
    assert archive.search("", issuer="没有这个机关", limit=100)["total"] == 0


def test_date_range_and_sort_by_date(archive: Archive) -> None:
    all_docs = archive.search("", limit=100)
    assert all_docs["sort"] == "date"
    dates = [h["date"] for h in all_docs["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)
    ranged = archive.search("", date_from="2021-10-26", date_to="2021-12", limit=100)
    assert ranged["hits"] and all("2021-10-26" <= h["date"] <= "2021-12-31" for h in ranged["hits"])
    expected = sum(1 for h in all_docs["hits"] if h["date"] and "2021-10-26" <= h["date"] <= "2021-12-31")
    assert ranged["total"] == expected
    by_date = archive.search("医疗", sort="date", limit=100)
    dates = [h["date"] for h in by_date["hits"]]
    assert dates == sorted(dates, reverse=True) and all(h["score"] is None for h in by_date["hits"])


def test_relevance_ranks_title_matches_first(archive: Archive) -> None:
    result = archive.search("残疾人")
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert "残疾人" in result["hits"][0]["title"]


def test_pagination_is_disjoint_and_complete(archive: Archive) -> None:
    whole = [h["id"] for h in archive.search("发展", limit=12)["hits"]]
    pages = [h["id"] for page in (1, 2, 3) for h in archive.search("发展", limit=4, page=page)["hits"]]
    assert pages == whole and len(set(pages)) == len(pages)
    result = archive.search("发展", limit=4, page=2)
    assert (result["page"], result["limit"]) == (2, 4)


def test_snippets_are_html_safe(tmp_path: Path) -> None:
    """Source text with markup-like characters comes out escaped; <mark> is the only tag in a snippet."""
    text = SAMPLES[1].read_text("utf-8")
    with Archive(tmp_path / "probe", readonly=False) as probe:
        probe.ingest(SAMPLES[1:2])
        body = probe.document(probe.issues()[0]["id"] + "-01")["body"]
        sentence = next(b["text"] for b in body if len(b["text"]) > 20)[:10]
    assert sentence in text
    injected = "<script>alert('x')</script> A&B <b>标记</b>"
    source = tmp_path / "markup.txt"
    source.write_text(text.replace(sentence, injected + sentence, 1), "utf-8")
    with Archive(tmp_path / "data") as archive:
        archive.ingest([source])
        for query in ("script", "标记", "alert", "A&B", "b"):
            hits = archive.search(query, limit=50)["hits"]
            assert hits, query
            for hit in hits:
                for field in ("snippet", "title_html"):
                    stripped = MARK_RE.sub(lambda m: m.group(1), hit[field])
                    assert "<" not in stripped and ">" not in stripped, (query, hit[field])
        snippet = archive.search("标记")["hits"][0]["snippet"]
        assert "&lt;/script&gt; A&amp;B &lt;b&gt;<mark>标记</mark>&lt;/b&gt;" in snippet


# Queries with nothing to search for, or past the limits, are refused with a one-line message naming why.
NO_CHARACTERS, ONLY_OPERATORS = "没有可检索的文字或数字", "只有运算符，没有检索词"
REFUSED = {
    '"': NO_CHARACTERS, '""': NO_CHARACTERS, "(": NO_CHARACTERS, ")": NO_CHARACTERS, "((((": NO_CHARACTERS,
    "))))": NO_CHARACTERS, "-": NO_CHARACTERS, "*": NO_CHARACTERS, "\\": NO_CHARACTERS, "%": NO_CHARACTERS,
    "_": NO_CHARACTERS,
    "AND": ONLY_OPERATORS, "OR": ONLY_OPERATORS, "NOT": ONLY_OPERATORS, "AND OR NOT": ONLY_OPERATORS,
    "--": ONLY_OPERATORS,
    "x" * 5000: "检索式过长，最多 1000 字", "水 " * 40: "检索词过多，最多 32 个",
    # only control or zero-width characters: refused, never read as "every document" (issue 13)
    "\x01\x02": NO_CHARACTERS, "\u200b\ufeff": NO_CHARACTERS,
}


def _all(data: Path) -> set[str]:
    return set(squeezed_texts(data))


def _in_titles(term: str):
    return lambda data: {doc_id for doc_id, title in _titles(data).items() if term in title}


def _having(*terms: str):
    """Documents containing every term (each a squeezed substring, as :func:`truth`)."""
    return lambda data: set.intersection(*(truth(data, t) for t in terms))


# Odd queries that still mean something, and what they mean: unbalanced quotes and dangling operators are
# dropped, syntax of other engines (^ ~ NEAR TO) is text, control and zero-width characters are ignored.
ANSWERED = {
    '"残疾人': _having("残疾人"), '残疾人"': _having("残疾人"), "title:水": _in_titles("水"),
    "水^2": _having("水2"), "水~2": _having("水2"), "NEAR(水 电)": _having("NEAR", "水", "电"),
    "{水 TO 电}": _having("水", "TO", "电"), "\x00\x01\x02水": _having("水"),
    "水 AND": _having("水"), "OR 水": _having("水"), "水 OR": _having("水"), "NOT NOT 水": _having("水"),
    "' OR 1=1 --": _having("11"), "<script>alert(1)</script>": _having("script", "alert", "1"),
    "水" * 999: _having("水" * 999), "（（宁政办发〔2022〕68号": _having("宁政办发〔2022〕68号"),
    "宁政办发〔〕号": _having("宁政办发号"), "〔2022〕68号": _having("〔2022〕68号"),
}


@pytest.mark.parametrize("query", list(REFUSED), ids=lambda q: repr(q[:12]))
def test_hostile_queries_without_terms_are_refused(archive: Archive, query: str) -> None:
    with pytest.raises(GongbaoError) as info:
        archive.search(query)
    message = str(info.value)
    assert REFUSED[query] in message
    assert "\n" not in message and message.endswith(")") and " (" in message  # Chinese, then (English)


@pytest.mark.parametrize("query", list(ANSWERED), ids=lambda q: repr(q[:12]))
def test_hostile_queries_with_terms_are_answered_truly(data: Path, archive: Archive, query: str) -> None:
    expected = ANSWERED[query](data)
    assert found(archive, query) == expected
    assert archive.search(query, limit=1)["total"] == len(expected)


def test_hostile_queries_answered_with_nothing(data: Path) -> None:
    """Which answers are empty, by the truth: the rest find documents, so agreement above is not vacuous."""
    empty = {q for q, expected in ANSWERED.items() if not expected(data)}
    assert empty == {"NEAR(水 电)", "{水 TO 电}", "<script>alert(1)</script>", "水" * 999, "宁政办发〔〕号"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('水电规划"“”()（）〔〕[] -+:*^~\\|&!ANDORTx0\x00\x1f\n\t\u3000')) , max_size=60))
def test_any_text_is_answered_or_refused_clearly(archive: Archive, query: str) -> None:
    try:
        archive.search(query, limit=5)
    except GongbaoError as exc:
        assert str(exc) and "\n" not in str(exc)


@pytest.mark.parametrize(("options", "needle"), [
    ({"sort": "size"}, "sort"), ({"page": 0}, "page"), ({"limit": 0}, "limit"), ({"limit": 1000}, "limit"),
    ({"year": "twenty"}, "year"), ({"date_from": "2021-13-45"}, "YYYY"), ({"page": 10_000}, "paged"),
])
def test_bad_options_are_refused_clearly(archive: Archive, options: dict, needle: str) -> None:
    with pytest.raises(GongbaoError) as info:
        archive.search("水", **options)
    assert needle in str(info.value)


def _cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python(), "-m", "gongbao", *args, "--data", str(data)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_cli_search_json_shape(data: Path) -> None:
    import json

    result = _cli("search", "残疾人", "--limit", "2", "--json", data=data)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) >= {"total", "hits", "facets"}
    assert len(payload["hits"]) == 2
    assert set(payload["hits"][0]) >= {"id", "doc_number", "title", "issuers", "signed", "kind", "snippet", "score"}
    assert set(payload["facets"]) == {"gazette", "issuer", "kind", "category", "year"}
    text = _cli("search", "残疾人", "--kind", "通知", data=data)
    assert text.returncode == 0 and "残疾人" in text.stdout


@pytest.mark.parametrize(("query", "terms", "code"), [
    ('"残疾人', ["残疾人"], 0), ("\x01\x02", "没有可检索的文字", 2), ("-水", None, 0),
    ("AND", "只有运算符", 2), ("x" * 3000, "检索式过长", 2), ('"', "没有可检索的文字", 2),
], ids=["open-quote", "control-characters", "negation", "operator-only", "too-long", "quote-only"])
def test_cli_hostile_queries_never_show_a_traceback(data: Path, query: str, terms: list[str] | str | None,
                                                    code: int) -> None:
    """Answered queries exit 0 with the true number of documents; refused ones exit 2 with one line."""
    import json

    result = _cli("search", query, "--json", "--limit", "100", data=data)
    assert "Traceback" not in result.stderr
    assert result.returncode == code, result.stderr
    if code == 2:
        assert result.stdout == ""
        assert result.stderr.startswith("gongbao: ") and result.stderr.strip().count("\n") == 0
        assert terms in result.stderr
        return
    expected = _all(data) - truth(data, "水") if terms is None else _having(*terms)(data) if terms else _all(data)
    payload = json.loads(result.stdout)
    assert payload["total"] == len(expected) and {h["id"] for h in payload["hits"]} == expected


def test_cli_show_by_any_spelling_and_missing(data: Path) -> None:
    for ref in ("宁政办发[2022]68号", "宁政办发（2022）68号", "宁政办发〔2022〕 68 号"):
        result = _cli("show", ref, data=data)
        assert result.returncode == 0, result.stderr
        assert "宁政办发〔2022〕68号" in result.stdout
    missing = _cli("show", "宁政办发〔1999〕1号", data=data)
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
    nowhere = subprocess.run([python(), "-m", "gongbao", "search", "水", "--data", str(data.parent / "none")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert nowhere.returncode != 0 and "gongbao ingest" in nowhere.stderr and "Traceback" not in nowhere.stderr


def test_cli_ingest_and_reindex(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01" * 100)
    result = _cli("ingest", str(SAMPLES[0]), str(bad), data=data)
    assert result.returncode == 2 and "bad.txt" in result.stderr and "Traceback" not in result.stderr
    assert "added 1" in result.stdout
    again = _cli("ingest", str(SAMPLES[0]), data=data)
    assert again.returncode == 0 and "unchanged 1" in again.stdout
    reindex = _cli("reindex", data=data)
    assert reindex.returncode == 0, reindex.stderr


@given(st.text(alphabet=st.sampled_from(["a", "文", " ", "\n", "\t", "\u3000", "\r", "\x1c", "\x85", "\xa0", "。"]),
               max_size=60))
def test_snippet_whitespace_folding_equals_the_regex(text: str) -> None:
    """Snippets fold whitespace with ``str.split`` for speed; it must equal the ``\\s+`` rule it replaced,
    ends included, for every kind of whitespace the stored text can hold (full-width spaces, CR, NEL …)."""
    from gongbao.store.snippet import _flat

    assert _flat(text) == re.sub(r"\s+", " ", text)
