"""``gongbao check [--repair]``: verify an archive and fix what can be fixed from the archive itself."""

from __future__ import annotations

from typing import Annotated

import typer

from gongbao.cli.archive_cmd import DEFAULT_DATA, DataOption, JsonOption, _print_json
from gongbao.errors import StorageError

LABELS = {"record": "记录", "index": "索引", "originals": "原件", "leftovers": "遗留", "repair": "修复"}


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        data: DataOption = DEFAULT_DATA,
        repair: Annotated[bool, typer.Option("--repair", help="修复能修复的问题：重建索引、清除遗留文件 "
                                                             "(rebuild the index, remove leftovers)")] = False,
        as_json: JsonOption = False,
    ) -> None:
        """Verify the archive: database integrity, index = record, originals, leftovers. 检查档案。"""
        from gongbao.store.check import check_archive

        report = check_archive(data, repair=repair)
        if as_json:
            _print_json({"ok": report.ok, "documents": report.documents, "indexed": report.indexed,
                         "findings": [{"kind": f.kind, "message": f.message, "repairable": f.repairable,
                                       "repaired": f.repaired} for f in report.findings]})
        else:
            for f in report.findings:
                mark = "已修复" if f.repaired else ("可修复" if f.repairable else "需处理")
                print(f"[{LABELS.get(f.kind, f.kind)}·{mark}] {f.message}")
            indexed = "" if report.indexed is None else f"，索引 {report.indexed} 件"
            print(f"档案 {data}：记录 {report.documents} 件文件{indexed}")
        if not report.ok:
            repairable = any(f.repairable and not f.repaired for f in report.findings)
            hint = "；运行 gongbao check --repair 修复" if repairable and not repair else ""
            raise StorageError(f"档案有 {sum(not f.repaired for f in report.findings)} 个问题{hint} "
                               f"(the archive has problems{'; run gongbao check --repair' if hint else ''})")
        if not as_json:
            print("档案完好 (archive OK)" if not report.findings else "已修复 (repaired)")
