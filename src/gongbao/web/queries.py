"""The web layer's only contact with the archive: small functions that ask it and shape the answer.

Pages and the API call these rather than the archive directly, so a change in the store's interface is
absorbed in one module, and so the page and the API answer the same question the same way.
"""

from __future__ import annotations

import csv
import io
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from typing import Any

from gongbao.docnumber import normalize_query

FACETS = ("gazette", "issuer", "kind", "category", "year")


def counts(archive: Any) -> dict[str, Any]:
    try:
        return dict(archive.counts())
    except AttributeError:
        return {}


def resolve(archive: Any, ref: str) -> str | None:
    """An id or a 文号 in any spelling → the document id (None if unknown or ambiguous)."""
    ref = ref.strip()
    if not ref or len(ref) > 200:
        return None
    try:
        return archive.resolve(ref)
    except (ValueError, LookupError):
        return None


def resolve_exact(archive: Any, q: str) -> tuple[str | None, list[dict[str, Any]]]:
    """For the search box: (id to go straight to, or None; the documents sharing that 文号 if several)."""
    canonical = normalize_query(q)
    if canonical:
        docs = list(archive.documents_by_number(canonical))
        if len(docs) == 1:
            return str(docs[0]["id"]), []
        if docs:
            return None, docs
        return None, []
    if _looks_like_id(q) and archive.document(q) is not None:
        return q, []
    return None, []


def _looks_like_id(q: str) -> bool:
    return 0 < len(q) <= 100 and not any(ch.isspace() for ch in q) and any(ch.isdigit() for ch in q)


def search(archive: Any, q: str, filters: Mapping[str, Any], *, sort: str = "relevance", page: int = 1,
           limit: int = 20) -> dict[str, Any]:
    kwargs = {k: v for k, v in filters.items() if v not in (None, "")}
    result = archive.search(q, sort=sort, page=page, limit=limit, **kwargs)
    result.setdefault("facets", {})
    result.setdefault("hits", [])
    result.setdefault("total", len(result["hits"]))
    result.setdefault("page", page)
    result.setdefault("limit", limit)
    return result


def facet_options(archive: Any, result: Mapping[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with counts, most frequent first (years newest first)."""
    out: dict[str, list[tuple[str, int]]] = {}
    facets = result.get("facets") or {}
    for name in FACETS:
        values = facets.get(name) or {}
        items = [(str(k), int(v)) for k, v in values.items() if k not in (None, "")]
        if name == "year":
            items.sort(key=lambda kv: kv[0], reverse=True)
        else:
            items.sort(key=lambda kv: (-kv[1], kv[0]))
        out[name] = items
    return out


def document_issue(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    issue = doc.get("issue")
    if isinstance(issue, Mapping):
        return dict(issue)
    return None


def _call(archive: Any, name: str, *args: Any) -> list[dict[str, Any]]:
    fn = getattr(archive, name, None)
    if fn is None:
        return []
    try:
        return list(fn(*args) or [])
    except NotImplementedError:
        return []


def document_facts(archive: Any, doc: Mapping[str, Any]) -> dict[str, Any]:
    """What the document cites (resolved to archive documents where possible), what cites it, its tasks."""
    doc_id = doc.get("id")
    citations = _call(archive, "citations", doc_id) or list(doc.get("citations") or [])
    cited_by = _call(archive, "cited_by", doc_id)
    seen: set[tuple[Any, Any]] = set()
    unique = []
    for c in citations:
        if c.get("self_reference"):
            continue
        key = (c.get("doc_number"), c.get("title"))
        if key in seen:
            continue
        seen.add(key)
        unique.append(c)
    return {"citations": unique, "cited_by": cited_by, "tasks": list(doc.get("tasks") or [])}


def source_lines(doc: Mapping[str, Any]) -> list[tuple[int, str]]:
    out = []
    for pair in doc.get("source_lines") or []:
        if isinstance(pair, Mapping):
            out.append((int(pair.get("line") or pair.get("line_no") or 0), str(pair.get("text") or "")))
        else:
            out.append((int(pair[0]), str(pair[1])))
    return out


def issue_context(issue: Mapping[str, Any]) -> dict[str, Any]:
    """The TOC grouped under its printed category headings, documents the TOC lacks, the problems."""
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
    for p in issue.get("problems") or []:
        p = dict(p)
        doc = by_id.get(p.get("document_id"))
        if doc is None and isinstance(p.get("document"), int) and 0 <= p["document"] < len(docs):
            doc = docs[p["document"]]
        p["doc"] = doc
        # link to the document's original lines when the problem lies in the body, past the TOC
        span = p.get("span") or {}
        p["in_doc"] = bool(doc and span and span.get("start_line", 0) > toc_end)
        problems.append(p)
    source = str(issue.get("source_path") or "")
    return {"toc_groups": [(k.split("\u200b")[0], v) for k, v in groups.items()], "extra_documents": extra,
            "problems": problems, "source_name": source.replace("\\", "/").rsplit("/", 1)[-1]}


def issue_by_id(archive: Any, issue_id: str) -> dict[str, Any] | None:
    fn = getattr(archive, "issue_by_id", None)
    if fn is None:
        return None
    try:
        return fn(int(issue_id) if issue_id.isdigit() else issue_id)
    except (ValueError, LookupError):
        return None


# ------------------------------------------------------------------------------------ tasks & units

def _task_units(task: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for role, key in (("牵头", "leads"), ("配合", "partners"), ("落实", "implementers")):
        out.extend((str(u), role) for u in task.get(key) or [])
    return out


def unit_summaries(archive: Any) -> list[dict[str, Any]]:
    """Every unit named in a task, with how many tasks it leads, supports or implements.

    Spellings of one organ (发展改革委, 发展和改革委员会) are counted together under the alias table's
    canonical form and shown with the spelling printed most often.
    """
    from collections import Counter

    from gongbao.extract import orgs

    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"牵头": 0, "配合": 0, "落实": 0, "documents": set(), "names": Counter()})
    for task in _call(archive, "tasks"):
        jurisdiction = orgs.jurisdiction_of(task.get("gazette") or None)
        for unit, role in _task_units(task):
            s = stats[orgs.canonical(unit, jurisdiction)]
            s[role] += 1
            s["names"][unit] += 1
            s["documents"].add(task.get("document_id"))
    out = []
    for s in stats.values():
        total = s["牵头"] + s["配合"] + s["落实"]
        out.append({"name": s["names"].most_common(1)[0][0], "total": total, "lead": s["牵头"],
                    "partner": s["配合"], "implement": s["落实"], "documents": len(s["documents"] - {None})})
    out.sort(key=lambda u: (-u["total"], u["name"]))
    return out


def unit_tasks(archive: Any, name: str) -> list[dict[str, Any]]:
    """Tasks naming one unit in any role (matched through the alias table), each with its ``roles``."""
    rows = _call(archive, "tasks", name)
    for row in rows:
        row["roles"] = row.get("roles") or [role for unit, role in _task_units(row) if unit == name] or [""]
    return rows


def tasks_xlsx(archive: Any, tasks: list[dict[str, Any]], unit: str) -> bytes:
    """A unit's XLSX ledger, written by the extractor's ledger writer so the CLI and the web agree."""
    from gongbao.extract import ledger

    return ledger.tasks_xlsx(tasks, unit=unit)


# ------------------------------------------------------------------------------------ indicators

def indicator_series(archive: Any) -> list[dict[str, Any]]:
    """Indicators grouped by canonical name, each with its points in time order and a chart."""
    from gongbao.web.svg import line_chart

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _call(archive, "indicators"):
        name = row.get("canonical_name") or row.get("name")
        if name:
            groups[str(name)].append(row)
    out = []
    for name, rows in groups.items():
        rows.sort(key=lambda r: (str((r.get("issue") or {}).get("published") or ""), str(r.get("period") or "")))
        unit = next((r.get("unit") for r in rows if r.get("unit")), None)
        has_values = any(r.get("value") is not None for r in rows)
        points = [(_period_label(r), r.get("value") if has_values else r.get("change")) for r in rows]
        title = name if has_values else f"{name} 同比增长"
        out.append({"name": name, "unit": unit if has_values else "%", "points": rows,
                    "parent": rows[0].get("parent"), "measure": "value" if has_values else "change",
                    "chart": line_chart(points, title=title, unit=unit if has_values else "%")})
    return out


def _period_label(row: Mapping[str, Any]) -> str:
    if row.get("period"):
        return str(row["period"])
    issue = row.get("issue") or {}
    return f"{issue.get('year', '')}年第{issue.get('number', '')}期"


def growth_overview(series: list[dict[str, Any]]) -> Any:
    """One bar chart of the latest year-on-year growth of every indicator that has one."""
    from gongbao.web.svg import bar_chart

    items = [(s["name"], float(s["points"][-1]["change"])) for s in series
             if s["points"] and s["points"][-1].get("change") is not None]
    if not items:
        return None
    return bar_chart(items, title="各指标同比增长（%）")


def indicators_csv(archive: Any, name: str | None = None) -> bytes:
    from gongbao.store.export import csv_safe

    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["指标", "规范名称", "上级指标", "时期", "单位", "绝对值", "绝对值（原文）", "同比增长(%)",
                     "同比增长（原文）", "备注", "文件编号", "公报", "期号", "出版日期"])
    for row in _call(archive, "indicators", name) if name else _call(archive, "indicators"):
        issue = row.get("issue") or {}
        writer.writerow([csv_safe(row.get(k)) for k in (
            "name", "canonical_name", "parent", "period", "unit", "value", "value_text", "change",
            "change_text", "note", "document_id")] + [
            csv_safe(issue.get("gazette")), f"{issue.get('year', '')}年第{issue.get('number', '')}期",
            csv_safe(issue.get("published"))])
    return buf.getvalue().encode()
