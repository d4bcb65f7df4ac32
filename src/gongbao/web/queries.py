"""Questions the pages and the API both ask the archive, shaped once here so both answer the same way
(what a document cites and what cites it, units and their tasks, indicator series, the search box's
文号 shortcut)."""

from __future__ import annotations

import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Mapping
from typing import Any

from gongbao.docnumber import normalize_query
from gongbao.extract import ledger, orgs
from gongbao.store import Archive
from gongbao.store.export import csv_text
from gongbao.store.search import FACETS
from gongbao.web.originals import page_of_line


def resolve(archive: Archive, ref: str) -> str | None:
    """An id or a 文号 in any spelling → the document id (None if unknown)."""
    ref = ref.strip()
    if not ref or len(ref) > 200:
        return None
    return archive.resolve(ref)


def resolve_exact(archive: Archive, q: str) -> tuple[str | None, list[dict[str, Any]], bool]:
    """For the search box: (id to go straight to, or None; the documents sharing the 文号 if several;
    whether ``q`` is a 文号 at all, so the page can say that none carries it)."""
    canonical = normalize_query(q)
    if canonical is None:
        return archive.resolve(q), [], False
    docs = archive.documents_by_number(canonical)
    if len(docs) == 1:
        return str(docs[0]["id"]), [], True
    return None, docs, True


def facet_options(result: Mapping[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with counts, most frequent first (years newest first)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        items = [(str(k), int(v)) for k, v in result["facets"].get(name, {}).items() if k not in (None, "")]
        if name == "year":
            items.sort(key=lambda kv: kv[0], reverse=True)
        else:
            items.sort(key=lambda kv: (-kv[1], kv[0]))
        out[name] = items
    return out


def document_facts(archive: Archive, doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the document cites (resolved to archive documents where possible, each once), what cites
    it, its tasks."""
    seen: set[tuple[Any, Any]] = set()
    unique = []
    for c in doc["citations"]:
        key = (c["doc_number"], c["title"])
        if c["self_reference"] or key in seen:
            continue
        seen.add(key)
        unique.append(c)
    return {"citations": unique, "cited_by": archive.cited_by(doc["id"]), "tasks": doc["tasks"]}


def issue_context(issue: Mapping[str, Any]) -> dict[str, Any]:
    """The TOC grouped under its printed category headings, documents the TOC lacks, the problems (each
    with the page of the original it stands on, for paginated sources)."""
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    last = None
    for entry in issue.get("toc") or []:
        category = entry.get("category") or ""
        if category != last or category not in groups:
            key = category if category not in groups else f"{category}\u200b{len(groups)}"
            groups[key] = []
            last = category
        groups[next(reversed(groups))].append(entry)
    toc_ids = {e.get("document_id") for e in issue.get("toc") or [] if e.get("document_id")}
    extra = [d for d in issue.get("documents") or [] if d.get("id") not in toc_ids]
    docs = issue.get("documents") or []
    by_id = {d.get("id"): d for d in docs}
    toc_end = max(((e.get("span") or {}).get("end_line") or 0 for e in issue.get("toc") or []), default=0)
    problems = []
    source_info = issue.get("source") or {}
    for p in issue.get("problems") or []:
        p = dict(p)
        doc = by_id.get(p.get("document_id"))
        if doc is None and isinstance(p.get("document"), int) and 0 <= p["document"] < len(docs):
            doc = docs[p["document"]]
        p["doc"] = doc
        # link to the document's original lines when the problem lies in the body, past the TOC
        span = p.get("span") or {}
        p["in_doc"] = bool(doc and span and span.get("start_line", 0) > toc_end)
        # the page of the original to check it against (paginated sources: PDF, scans)
        p["page"] = page_of_line(source_info, span["start_line"]) if span.get("start_line") else None
        problems.append(p)
    source = str(issue.get("source_path") or "")
    return {"toc_groups": [(k.split("\u200b")[0], v) for k, v in groups.items()], "extra_documents": extra,
            "problems": problems, "source_name": source.replace("\\", "/").rsplit("/", 1)[-1]}


# ------------------------------------------------------------------------------------ tasks & units

def _task_units(task: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(str(u), role) for key, role in ledger.ROLE_NAMES.items() for u in task.get(key) or []]


# Not a unit: a group of organs (各县（区）人民政府, 各有关部门（单位）, 有关单位, 成员单位), a pointer
# (附件2的责任单位) or a bare place name (中卫市) — a fragment of a responsibility note, not an organ
_GROUP_RE = re.compile(r"^(?:(?:自治区|省|市|县|区|州)?(?:级|直|属)?(?:各|有关|相关|其他|其它)|所属|本级|同级|全市|全区|全省"
                       r"|全县)|附件|(?:成员|责任|相关|有关|牵头|配合)单位$|等(?:部门|单位)$")
_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|旗|盟|州)$")


def is_unit(name: str) -> bool:
    """Whether a name from a task's responsibility note is one organ (listed on /units)."""
    name = name.strip()
    return bool(name) and not _GROUP_RE.search(name) and not _PLACE_RE.match(name)


def unit_summaries(archive: Archive) -> list[dict[str, Any]]:
    """Every organ named in a task, with how many tasks it leads, supports or implements.

    Spellings of one organ (发展改革委, 发展和改革委员会; 市场监管厅 and 市场监管厅（知识产权局）, one organ
    with two names) are counted together under the alias table's canonical form, shown with the spelling
    printed most often and the others as ``variants``. Groups and fragments (各有关部门, 中卫市) are not
    units and are left out.
    """
    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"牵头": 0, "配合": 0, "落实": 0, "documents": set(), "names": Counter()})
    for task in archive.tasks():
        jurisdiction = orgs.jurisdiction_of(task.get("gazette") or None)
        for unit, role in _task_units(task):
            if not is_unit(unit):
                continue
            key = orgs.canonical(unit, jurisdiction)
            key = re.sub(r"（[^（）]*）$", "", key) or key  # 卫生健康委（中医药管理局）: one organ, two names
            s = stats[key]
            s[role] += 1
            s["names"][unit] += 1
            s["documents"].add(task.get("document_id"))
    out = []
    for s in stats.values():
        total = s["牵头"] + s["配合"] + s["落实"]
        names = [n for n, _ in s["names"].most_common()]
        out.append({"name": names[0], "variants": names[1:], "total": total, "lead": s["牵头"],
                    "partner": s["配合"], "implement": s["落实"], "documents": len(s["documents"] - {None})})
    out.sort(key=lambda u: (-u["total"], u["name"]))
    return out


# ------------------------------------------------------------------------------------ indicators

def indicator_series(archive: Archive) -> list[dict[str, Any]]:
    """Indicators grouped by canonical name, each with its points in time order."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in archive.indicators():
        groups[row["canonical_name"] or row["name"]].append(row)
    out = []
    for name, rows in groups.items():
        rows.sort(key=lambda r: (str(r["issue"]["published"] or ""), str(r["period"] or "")))
        has_values = any(r["value"] is not None for r in rows)
        unit = next((r["unit"] for r in rows if r["unit"]), None) if has_values else "%"
        out.append({"name": name, "unit": unit, "points": rows, "parent": rows[0]["parent"],
                    "measure": "value" if has_values else "change"})
    return out


def indicator_chart(series: Mapping[str, Any]) -> str:
    """The line chart of one series (pages only: the API gives the numbers)."""
    from gongbao.web.svg import line_chart

    measure = series["measure"]
    points = [(_period_label(r), r[measure]) for r in series["points"]]
    points_kind = any(r.get("change_kind") == "points" for r in series["points"])
    title = series["name"] if measure == "value" else f"{series['name']} {'变动（百分点）' if points_kind else '同比增长'}"
    return line_chart(points, title=title, unit=series["unit"])


def _period_label(row: Mapping[str, Any]) -> str:
    if row.get("period"):
        return str(row["period"])
    issue = row.get("issue") or {}
    return f"{issue.get('year', '')}年第{issue.get('number', '')}期"


def growth_overview(series: list[dict[str, Any]]) -> Any:
    """One bar chart of the latest year-on-year growth of every indicator that has one."""
    from gongbao.web.svg import bar_chart

    items = [(s["name"], float(s["points"][-1]["change"])) for s in series
             if s["points"] and s["points"][-1].get("change") is not None
             and s["points"][-1].get("change_kind") != "points"]  # points of an index are no 同比 %
    if not items:
        return None
    return bar_chart(items, title="各指标同比增长（%）")


INDICATOR_CSV_HEADER = ["指标", "规范名称", "上级指标", "时期", "单位", "绝对值", "绝对值（原文）", "增减",
                        "增减（原文）", "增减类型", "备注", "文件编号", "公报", "期号", "出版日期"]
CHANGE_KIND_LABELS = {"percent": "同比增长(%)", "points": "百分点"}


def indicators_csv(archive: Archive, name: str | None = None) -> bytes:
    rows = ([row[k] for k in ("name", "canonical_name", "parent", "period", "unit", "value", "value_text",
                              "change", "change_text")]
            + [CHANGE_KIND_LABELS.get(row.get("change_kind") or "", ""), row["note"], row["document_id"]]
            + [row["issue"]["gazette"], f"{row['issue']['year']}年第{row['issue']['number']}期",
               row["issue"]["published"]]
            for row in archive.indicators(name))
    return csv_text(INDICATOR_CSV_HEADER, rows).encode()


def with_lifecycle(archive: Archive, doc: dict[str, Any], as_of: Any = None) -> dict[str, Any]:
    """The document with its ``status`` on ``as_of`` (default today) and dated ``events``; each printed
    effect in ``validity.effects`` gets the ``target_ids`` it resolves to in the archive."""
    life = archive.lifecycle(doc["id"], as_of)
    if life is None:
        return doc
    doc["status"] = life["status"]
    doc["events"] = life["events"]
    for printed, resolved in zip((doc.get("validity") or {}).get("effects") or [], life["effects"], strict=False):
        printed["target_ids"] = resolved["target_ids"]
        printed["targets"] = resolved["targets"]
    return doc
