"""``gongbao tasks [FILE…] [--unit NAME] [--data DIR] [--json] [--xlsx FILE]``: the task ledger.

With files, the ledger of those issues (read and parsed now); without, the ledger of the archive. A unit
is matched through the alias table, so ``--unit 发展和改革委员会`` finds 自治区发展改革委 and
市发展和改革委员会, and ``--unit 财政厅`` finds 自治区财政厅.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from gongbao.cli.archive_cmd import DEFAULT_DATA, DataOption, require_archive
from gongbao.errors import GongbaoError, UnusableInput
from gongbao.extract import ledger


def _archive_rows(data: Path) -> list[dict[str, Any]]:
    """All task rows of the archive in ``data`` (the unit filter is applied by the caller, via aliases)."""
    require_archive(data, "，或直接给出公报文件")
    from gongbao.store import Archive

    with Archive(data, readonly=True) as archive:
        return [dict(r) for r in archive.tasks()]


def _file_rows(files: list[Path]) -> tuple[list[dict[str, Any]], int]:
    from gongbao.cli import report_unusable
    from gongbao.pipeline import load_each

    failed: list[Path] = []
    rows = [row for issue in load_each(files, report_unusable(failed)) for row in ledger.issue_rows(issue)]
    return rows, len(failed)


def _where(row: Mapping[str, Any]) -> str:
    span = row.get("span") or {}
    line = span.get("start_line") if isinstance(span, Mapping) else None
    doc = row.get("doc_title") or "（未知文件）"
    number = f"（{row['doc_number']}）" if row.get("doc_number") else ""
    return f"{doc}{number}" + (f" 第{line}行" if line else "")


def render(rows: list[dict[str, Any]], unit: str | None) -> str:
    """The ledger as text, one task per paragraph: what, who leads/helps/implements, by when, where."""
    if not rows:
        return f"未找到{unit}的任务 (no tasks for {unit})" if unit else "未找到任务 (no tasks)"
    head = f"{unit}：{len(rows)} 项任务" if unit else f"{len(rows)} 项任务"
    out = [head, ""]
    for i, row in enumerate(rows, start=1):
        roles = f"［{'、'.join(row['roles'])}］" if row.get("roles") else ""
        out.append(f"{i:>3}. {roles}{row.get('measure') or ledger.task_label(row)[:60]}")
        for key, name in (("leads", "牵头"), ("partners", "配合"), ("implementers", "落实")):
            if row.get(key):
                out.append(f"     {name}：{ledger.join_units(row[key])}")
        if row.get("deadline"):
            out.append(f"     时限：{row['deadline']}")
        out.append(f"     文件：{_where(row)}")
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    @app.command("tasks")
    def tasks_command(
        files: Annotated[list[Path] | None, typer.Argument(
            help="Issue files to read (default: the archive in --data)")] = None,
        unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位 (unit), matched through aliases")] = None,
        data: DataOption = DEFAULT_DATA,
        as_json: Annotated[bool, typer.Option("--json", help="Print the tasks as JSON")] = False,
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the ledger as XLSX (督查台账)")] = None,
    ) -> None:
        """The task ledger: what each unit was assigned, by which document, by when (任务台账)."""
        if unit is not None and not unit.strip():
            raise UnusableInput("--unit 不能为空 (empty unit name)")
        unit = unit.strip() if unit else None
        failed = 0
        if files:
            rows, failed = _file_rows(files)
        else:
            rows = _archive_rows(data)
        if failed and not rows:
            raise typer.Exit(2)
        rows = ledger.for_unit(rows, unit)
        if xlsx is not None:
            try:
                xlsx.write_bytes(ledger.tasks_xlsx(rows, unit))
            except OSError as exc:
                raise GongbaoError(f"无法写入 {xlsx}：{exc.strerror or exc} (cannot write {xlsx})") from exc
            print(f"已写入 {xlsx}：{len(rows)} 项任务", file=sys.stderr)
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        elif xlsx is None:
            print(render(rows, unit))
        if failed:
            raise typer.Exit(2)
