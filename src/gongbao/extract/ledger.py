"""The task ledger as rows: what each unit was assigned, by which document, by when.

Tasks live on documents (:attr:`Document.tasks`); a ledger needs them flat, each with the document, 文号
and gazette it came from, filtered to one unit through the alias table (``--unit 发展和改革委员会`` finds
自治区发展改革委). The same rows feed ``gongbao tasks``, its ``--json`` and ``--xlsx`` output, and the web
view per unit, so the CLI and the web export the same ledger. Rows are plain dicts (the archive returns
dicts too), so this module works on either.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from gongbao import contract
from gongbao.extract import orgs
from gongbao.model import Issue

Row = dict[str, Any]
ROLE_NAMES = {"leads": "牵头", "partners": "配合", "implementers": "落实"}
XLSX_HEADER = ["序号", "任务", "牵头单位", "配合单位", "完成时限", "文件", "文号"]


def issue_rows(issue: Issue) -> list[Row]:
    """Every task of an issue as a ledger row: the task's contract fields plus its document and gazette."""
    rows: list[Row] = []
    for doc in issue.documents:
        for task in doc.tasks:
            row = contract.task(task)
            row.update(doc_title=doc.title, doc_number=doc.doc_number.canonical if doc.doc_number else None,
                       gazette=issue.gazette.name, source=issue.source.path)
            rows.append(row)
    return rows


def _names(value: Any) -> list[str]:
    """A unit list as stored: a list, or a JSON string (SQLite rows)."""
    if value is None:
        return []
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value] if value else []
        return [str(v) for v in loaded] if isinstance(loaded, list) else [str(loaded)]
    return [str(v) for v in value]


def normalise_row(row: Mapping[str, Any]) -> Row:
    """A ledger row from any source (issue, archive): unit lists as lists, the usual keys present."""
    out = dict(row)
    for role in ROLE_NAMES:
        out[role] = _names(row.get(role))
    out["doc_title"] = row.get("doc_title") or row.get("document_title") or row.get("title") or ""
    out["doc_number"] = row.get("doc_number") or ""
    out["gazette"] = row.get("gazette") or row.get("gazette_name") or ""
    return out


def roles_of(row: Mapping[str, Any], unit: str) -> list[str]:
    """The roles (牵头/配合/落实) ``unit`` holds in a task, matched through the alias table."""
    jurisdiction = orgs.jurisdiction_of(row.get("gazette") or None)
    return [name for role, name in ROLE_NAMES.items()
            if any(orgs.unit_matches(unit, u, jurisdiction) for u in _names(row.get(role)))]


def for_unit(rows: Iterable[Mapping[str, Any]], unit: str | None) -> list[Row]:
    """Rows in which ``unit`` is named (any role), each with ``roles``; all rows when ``unit`` is None."""
    out: list[Row] = []
    for row in rows:
        r = normalise_row(row)
        if unit is None:
            out.append(r)
            continue
        roles = roles_of(r, unit)
        if roles:
            r["roles"] = roles
            out.append(r)
    return out


def join_units(units: Iterable[str]) -> str:
    """Units for display: 、 between names, or ， when a name has a 、 of its own (各市、县（区）人民政府)."""
    names = list(units)
    return ("，" if any("、" in n for n in names) else "、").join(names)


def task_label(row: Mapping[str, Any]) -> str:
    """The 任务 column: the measure's title and its text (the title alone when the text repeats it)."""
    measure = str(row.get("measure") or "").strip()
    text = str(row.get("text") or "").strip()
    if not text:
        return measure
    if not measure or measure in text[: len(measure) + 12]:
        return text
    return f"{measure}：{text}"


def xlsx_rows(rows: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """Rows in the 督查 columns. Implementers go into the 配合单位 cell, marked, so nothing is lost."""
    out: list[list[Any]] = []
    for i, row in enumerate(rows, start=1):
        partners = join_units(_names(row.get("partners")))
        implementers = join_units(_names(row.get("implementers")))
        if implementers:
            partners = (partners + "；" if partners else "") + f"落实单位：{implementers}"
        out.append([i, task_label(row), join_units(_names(row.get("leads"))), partners,
                    row.get("deadline") or "", row.get("doc_title") or row.get("title") or "",
                    row.get("doc_number") or ""])
    return out


def tasks_xlsx(rows: Iterable[Mapping[str, Any]], unit: str | None = None) -> bytes:
    """An XLSX ledger (序号, 任务, 牵头单位, 配合单位, 完成时限, 文件, 文号), as the 督查 office keeps it."""
    from openpyxl import Workbook

    from gongbao.store.export import write_sheet

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "", f"{unit}任务台账" if unit else "任务台账")[:31]
    write_sheet(ws, XLSX_HEADER, xlsx_rows(rows), widths={1: 6, 2: 70, 3: 28, 4: 36, 5: 14, 6: 40, 7: 20},
                kinds={1: "number"}, wrap=(2,))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
