"""``gongbao check``: is an archive whole, and what would make it so.

Checks, in order: the SQLite record (``PRAGMA integrity_check``); the search index (opens, every segment
readable, reflects the record's generation, holds exactly the record's documents); the original files the
record names (present, the content their name says); leftovers of killed writers (unreferenced index
delete files, half-built or swapped-out index directories, temporary files). ``repair`` fixes what can be
fixed from the archive itself — the index is derived, so it is rebuilt; leftovers are removed — and says
what cannot (a damaged record: restore a backup; a missing original: ingest its file again).
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from gongbao.errors import NotFound, StorageError, storage_message
from gongbao.store.archive import DB_NAME, INDEX_FOREIGN, INDEX_MISSING, ORIGINALS_DIR, Archive


@dataclass(slots=True)
class Finding:
    kind: str  # record | index | originals | leftovers
    message: str
    repairable: bool
    repaired: bool = False


@dataclass(slots=True)
class CheckReport:
    data_dir: Path
    documents: int = 0
    indexed: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.repaired for f in self.findings)

    def add(self, kind: str, message: str, repairable: bool) -> Finding:
        finding = Finding(kind, message, repairable)
        self.findings.append(finding)
        return finding


def _integrity(db: Path) -> tuple[list[str], int]:
    """``integrity_check`` messages (empty when sound) and the number of documents."""
    from urllib.parse import quote

    uri = "file:" + quote(db.resolve().as_posix(), safe="/:") + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=60)
    except sqlite3.Error as exc:
        return [storage_message(exc, db)], 0
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        problems = [] if rows == ["ok"] else rows
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return problems, int(documents)
    except sqlite3.Error as exc:
        return [storage_message(exc, db)], 0
    finally:
        conn.close()


def check_archive(data_dir: Path | str, *, repair: bool = False) -> CheckReport:
    """Check the archive in ``data_dir``; with ``repair``, fix what can be fixed and check again.

    Findings that the second check no longer sees are marked repaired. Never raises for what it finds."""
    data_dir = Path(data_dir)
    if not (data_dir / DB_NAME).exists():
        raise NotFound(f"档案目录 {data_dir} 中没有档案 (no archive in {data_dir})")
    report = _check(data_dir)
    if not repair or not any(f.repairable for f in report.findings):
        return report
    failure = _repair(data_dir)
    after = _check(data_dir)
    remaining = {f.message for f in after.findings}
    for finding in report.findings:
        finding.repaired = finding.repairable and finding.message not in remaining
    report.findings += [f for f in after.findings if f.message not in {g.message for g in report.findings}]
    report.indexed = after.indexed
    if failure:
        report.add("repair", failure, False)
    return report


def _repair(data_dir: Path) -> str | None:
    """Rebuild the index and remove leftovers, under the write lock; a message when that was impossible."""
    from gongbao.errors import GongbaoError

    try:
        archive = Archive(data_dir)  # a writable open removes index leftovers and heals the index
    except GongbaoError as exc:
        return f"无法修复：{exc}"
    try:
        with archive._locked():
            for tmp in (data_dir / ORIGINALS_DIR).glob(".*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            if _check_index(archive, CheckReport(data_dir)) is not None:
                archive.reindex()
    except GongbaoError as exc:
        return f"无法修复：{exc}"
    except (OSError, sqlite3.Error) as exc:
        return "无法修复：" + storage_message(exc, data_dir)
    finally:
        archive.close()
    return None


def _check(data_dir: Path) -> CheckReport:
    report = CheckReport(data_dir)
    problems, report.documents = _integrity(data_dir / DB_NAME)
    if problems:
        for line in problems[:5]:
            report.add("record", f"档案数据库损坏：{line}（从备份恢复，或重新导入原文件） (record damaged)", False)
        return report  # nothing else can be trusted
    try:
        archive = Archive(data_dir, readonly=True)
    except StorageError as exc:
        report.add("record", str(exc), False)
        return report
    try:
        leftovers = archive.index.leftovers()
        originals = data_dir / ORIGINALS_DIR
        if originals.is_dir():
            leftovers += sorted(originals.glob(".*.tmp"))
        for path in leftovers:
            report.add("leftovers", f"遗留文件 {path.relative_to(data_dir).as_posix()}（被中断的写入留下） "
                                    f"(leftover of a killed writer)", True)
        index_problem = _check_index(archive, report)
        if index_problem is not None:
            report.add("index", index_problem + "（可由档案记录重建） (rebuildable)", True)
        named = {r[0]: r[1] for r in archive._conn().execute(
            "SELECT original, issue_id FROM issue_files WHERE original IS NOT NULL AND original != ''")}
        for name, issue_id in sorted(named.items()):
            path = originals / name
            if not path.is_file():
                report.add("originals", f"原件缺失：{issue_id} 的 originals/{name}（用 gongbao ingest --force "
                                        f"重新导入该期原文件） (original missing)", False)
            elif not _matches(path):
                report.add("originals", f"原件内容与名称不符：originals/{name}（用 gongbao ingest --force 重新导入） "
                                        f"(original damaged)", False)
    except (OSError, sqlite3.Error) as exc:
        report.add("record", storage_message(exc, data_dir), False)
    finally:
        archive.close()
    return report


def _matches(path: Path) -> bool:
    """An original is named ``<sha256>.<ext>``: its content must hash to its name."""
    stem = path.name.split(".", 1)[0]
    if len(stem) != 64:
        return True
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest() == stem


def _check_index(archive: Archive, report: CheckReport) -> str | None:
    """What is wrong with the index, or None."""
    index = archive.index
    if not index.exists():
        return "检索索引不存在 (no search index)"
    damage = index.verify()
    if damage is not None:
        return f"检索索引已损坏 (the search index is damaged: {damage})"
    lag = archive.index_lag()
    if lag is not None and lag.reason == INDEX_MISSING:
        return "检索索引不存在 (no search index)"
    if lag is not None and lag.reason == INDEX_FOREIGN:
        return "检索索引不属于该档案记录或版本不符 (index of another record or schema)"
    if lag is not None:
        return (f"检索索引落后于档案记录（索引第 {lag.index_generation} 代，记录第 {lag.record_generation} 代） "
                f"(index at generation {lag.index_generation}, record at {lag.record_generation})")
    ids = index.all_ids()
    report.indexed = len(ids)
    record_ids = {r[0] for r in archive._conn().execute("SELECT id FROM documents")}
    if len(ids) != len(set(ids)) or set(ids) != record_ids:
        missing, extra = len(record_ids - set(ids)), len(set(ids) - record_ids)
        duplicated = len(ids) - len(set(ids))
        return (f"检索索引与档案记录不一致：缺 {missing} 件，多 {extra} 件，重复 {duplicated} 件 "
                f"(index differs from the record: {missing} missing, {extra} extra, {duplicated} duplicated)")
    return None
