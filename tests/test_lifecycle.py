"""Lifecycle: the status rules as a pure function, and in the archive — real-shaped repeal, amend and 清理
documents (tests/data/lifecycle) ingested before and after the corpus documents they act on, statuses
asserted on dates before and after each event, targets resolved by 文号 and by title, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from storesupport import ROOT, SAMPLES

from gongbao.lifecycle import Facts, Incoming, status_on
from gongbao.store import Archive

LIFECYCLE = sorted((ROOT / "tests" / "data" / "lifecycle").glob("*.txt"))
D = dt.date.fromisoformat


# ----- the rules, pure ---------------------------------------------------------------------------------
def test_status_rules() -> None:
    repeal = Incoming("repeals", D("2023-05-01"), "x", "新办法")
    amend = Incoming("amends", D("2023-03-01"), "y", "修改决定")
    f = Facts(commences=D("2022-12-23"), expires=D("2024-12-22"), signed=D("2022-12-01"), printed=True,
              incoming=(amend, repeal))
    assert status_on(f, D("2022-12-22")).status == "尚未施行"
    assert status_on(f, D("2022-12-23")).status == "现行有效"
    amended = status_on(f, D("2023-03-01"))
    assert amended.status == "已修改" and [b.title for b in amended.by] == ["修改决定"]
    repealed = status_on(f, D("2023-05-01"))
    assert repealed.status == "已废止" and repealed.since == D("2023-05-01") and repealed.by == [repeal]
    g = Facts(commences=D("2022-12-23"), expires=D("2024-12-22"), printed=True)
    assert status_on(g, D("2024-12-22")).status == "现行有效"
    assert status_on(g, D("2024-12-23")).status == "已失效"
    assert status_on(Facts(signed=D("2020-01-01")), D("2030-01-01")).status == "未知"
    declared = Facts(signed=D("2021-10-25"), incoming=(Incoming("declares_expired", D("2023-06-30"), "z", "清理"),))
    assert status_on(declared, D("2023-06-29")).status == "未知"
    assert status_on(declared, D("2023-06-30")).status == "已失效"
    continued = Facts(signed=D("2021-10-25"), incoming=(Incoming("continues", D("2023-06-30"), "z", "清理"),))
    assert status_on(continued, D("2023-07-01")).status == "现行有效"


# ----- in the archive, both orders ---------------------------------------------------------------------
@pytest.fixture(scope="module", params=["targets-first", "actors-first"])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    data = tmp_path_factory.mktemp(request.param) / "data"
    first, second = (SAMPLES, LIFECYCLE) if request.param == "targets-first" else (LIFECYCLE, SAMPLES)
    with Archive(data) as writer:
        assert not writer.ingest(first).failed
        assert not writer.ingest(second).failed
    archive = Archive(data, readonly=True)
    yield archive
    archive.close()


def _id(archive: Archive, number: str) -> str:
    found = archive.documents_by_number(number)
    assert len(found) == 1, number
    return found[0]["id"]


CASES = [
    # (文号, date, status, 文号 of the deciding documents)
    ("宁政办规发〔2022〕13号", "2022-12-22", "尚未施行", []),
    ("宁政办规发〔2022〕13号", "2022-12-23", "现行有效", []),
    ("宁政办规发〔2022〕13号", "2023-04-30", "现行有效", []),
    ("宁政办规发〔2022〕13号", "2023-05-01", "已废止", ["宁政发〔2023〕15号"]),
    ("宁政办规发〔2022〕12号", "2022-12-31", "尚未施行", []),
    ("宁政办规发〔2022〕12号", "2023-04-30", "现行有效", []),
    ("宁政办规发〔2022〕12号", "2023-05-01", "已修改", ["宁政发〔2023〕15号"]),
    ("宁政办发〔2022〕68号", "2023-06-29", "未知", []),
    ("宁政办发〔2022〕68号", "2023-06-30", "现行有效", ["宁政办发〔2023〕30号"]),
    ("宁政办发〔2021〕76号", "2023-06-29", "未知", []),
    ("宁政办发〔2021〕76号", "2023-06-30", "已失效", ["宁政办发〔2023〕30号"]),
    ("宁政办发〔2021〕76号", "2024-01-01", "已废止", ["宁政办规发〔2023〕8号"]),  # by title alone
    ("宁政办发〔2021〕77号", "2023-12-31", "未知", []),
    ("宁政办发〔2021〕77号", "2024-01-01", "已废止", ["宁政办规发〔2023〕8号"]),
    ("宁政办规发〔2023〕8号", "2023-12-31", "尚未施行", []),
    ("宁政办规发〔2023〕8号", "2028-12-31", "现行有效", []),
    ("宁政办规发〔2023〕8号", "2029-01-01", "已失效", []),
    ("卫政办发〔2019〕1号", "2020-12-31", "现行有效", []),
    ("卫政办发〔2019〕1号", "2021-01-01", "已失效", []),
    ("卫政办发〔2019〕36号", "2019-04-10", "尚未施行", []),
    ("卫政办发〔2019〕36号", "2019-04-11", "现行有效", []),
    ("卫政办发〔2019〕16号", "2023-01-01", "未知", []),
]


@pytest.mark.parametrize(("number", "day", "status", "by"), CASES)
def test_status_before_and_after_each_event(archive: Archive, number: str, day: str, status: str,
                                            by: list[str]) -> None:
    life = archive.lifecycle(_id(archive, number), as_of=day)
    assert life is not None
    assert life["status"]["status"] == status
    assert [b["doc_number"] for b in life["status"]["by"]] == by


def test_targets_resolved_and_unresolved_kept_as_printed(archive: Archive) -> None:
    effects = archive.lifecycle(_id(archive, "宁政发〔2023〕15号"))["effects"]
    by_number = {e["target_doc_number"]: e for e in effects}
    assert by_number["宁政办规发〔2022〕13号"]["target_ids"] == [_id(archive, "宁政办规发〔2022〕13号")]
    assert by_number["宁夏回族自治区人民政府令第21号"]["target_ids"] == []  # not archived: stays text
    assert by_number["宁夏回族自治区人民政府令第21号"]["target_title"] == "宁夏回族自治区城镇供热管理暂行办法"
    plan = archive.lifecycle(_id(archive, "宁政办规发〔2023〕8号"))["effects"]
    assert [e["target_ids"] for e in plan] == [[_id(archive, "宁政办发〔2021〕77号")], [_id(archive, "宁政办发〔2021〕76号")]]


def test_corpus_repeal_of_an_unarchived_document_stays_text(archive: Archive) -> None:
    effects = archive.lifecycle(_id(archive, "宁政办规发〔2022〕13号"))["effects"]
    assert [(e["type"], e["target_doc_number"], e["target_ids"]) for e in effects] == [
        ("repeals", "宁政办规发〔2020〕23号", [])]


def test_events_are_dated_and_ordered(archive: Archive) -> None:
    events = archive.lifecycle(_id(archive, "宁政办规发〔2022〕13号"), as_of="2024-01-01")["events"]
    assert [(e["date"], e["type"]) for e in events] == [
        ("2022-12-01", "signed"), ("2022-12-23", "commences"), ("2022-12-23", "repeals"),
        ("2023-05-01", "repealed_by"), ("2024-12-22", "expires")]
    assert events[3]["doc_number"] == "宁政发〔2023〕15号" and events[3]["label"] == "被废止"


def test_search_by_status_on_a_date(archive: Archive) -> None:
    def numbers(**kw: object) -> set[str]:
        result = archive.search("", limit=100, **kw)
        assert result["total"] == len(result["hits"])
        return {h["doc_number"] for h in result["hits"]}

    assert numbers(status="已废止", as_of="2024-06-01") == {
        "宁政办规发〔2022〕13号", "宁政办发〔2021〕76号", "宁政办发〔2021〕77号"}
    assert numbers(status="已废止", as_of="2023-04-30") == set()
    # on 2022-12-31 the 意见 waits for 2023-01-01, and the 2023 documents are not issued yet
    assert numbers(status="尚未施行", as_of="2022-12-31") == {
        "宁政办规发〔2022〕12号", "宁政发〔2023〕15号", "宁政办发〔2023〕30号", "宁政办规发〔2023〕8号"}
    everything = archive.search("", limit=100)["total"]
    known = sum(archive.search("", status=s, as_of="2024-06-01", limit=1)["total"]
                for s in ("尚未施行", "现行有效", "已失效", "已废止", "已修改", "未知"))
    assert known == everything
    hit = archive.search("化工园区", status="已废止", as_of="2024-06-01")["hits"][0]
    assert hit["status"] == "已废止"


def test_expiring_soon(archive: Archive) -> None:
    soon = archive.expiring(days=60, as_of="2024-11-01")
    assert [(d["doc_number"], d["expires"]) for d in soon] == []  # 宁政办规发〔2022〕13号 was repealed
    soon = archive.expiring(days=60, as_of="2020-11-15")
    assert [(d["doc_number"], d["expires"], d["days_left"]) for d in soon] == [
        ("卫政办发〔2019〕1号", "2020-12-31", 46)]
    soon = archive.expiring(days=3650, as_of="2020-01-01")  # several at once: one batch, soonest first
    assert [(d["doc_number"], d["expires"], d["days_left"], d["status"]["status"]) for d in soon] == [
        ("卫政办发〔2019〕1号", "2020-12-31", 365, "现行有效"),
        ("宁政办规发〔2022〕13号", "2024-12-22", 1817, "尚未施行"),
        ("宁政办规发〔2023〕8号", "2028-12-31", 3287, "尚未施行")]


def test_lifecycle_feed_events(archive: Archive) -> None:
    events = archive.lifecycle_events(until="2024-06-01")
    firsts = [(e["date"], e["type"], e["document"]["doc_number"]) for e in events[:3]]
    assert firsts[0][0] == "2024-01-01"
    assert ("2023-05-01", "repealed_by", "宁政办规发〔2022〕13号") in [
        (e["date"], e["type"], e["document"]["doc_number"]) for e in events]
