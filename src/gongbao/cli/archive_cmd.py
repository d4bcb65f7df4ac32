"""``gongbao ingest | search | show | status | expiring | reindex``: the archive from the command line.

The data directory comes from ``--data``, else ``GONGBAO_DATA``, else ``./gongbao-data``. Every failure is
one line on stderr and a non-zero exit (see :mod:`gongbao.cli`); ``--json`` output is the same dict the
web API serves.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from gongbao.cli import OCR_HELP, OcrMode
from gongbao.errors import NotFound
from gongbao.store.search import FACET_LABELS

DEFAULT_DATA = Path("gongbao-data")
DataOption = Annotated[Path, typer.Option("--data", "-d", envvar="GONGBAO_DATA",
                                          help="档案目录 (archive directory; env GONGBAO_DATA)")]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON)")]
_MARK_RE = re.compile(r"(<mark>.*?</mark>)", re.S)
# what looks like an option rather than a query term: --word, --word=value, -x (one ASCII letter)
_OPTION_RE = re.compile(r"^(--[A-Za-z][\w-]*(=.*)?|-[A-Za-z])$", re.S)


def require_archive(data: Path, hint: str = "") -> None:
    """A clear error when ``data`` holds no archive (before anything creates the directory)."""
    from gongbao.store.archive import DB_NAME

    if not (data / DB_NAME).exists():
        raise NotFound(f"档案目录 {data} 中没有档案：先运行 gongbao ingest{hint} "
                       f"(no archive in {data}: run gongbao ingest)")


def _existing(data: Path) -> Any:
    """The archive in ``data`` for reading. Read-only, so a copy on read-only media works; when its index
    lags the record (a crash) and the archive can be written, a writable open heals it first."""
    from gongbao.errors import GongbaoError
    from gongbao.store import Archive

    require_archive(data)
    archive = Archive(data, readonly=True)
    if archive.index_current() or archive.immutable:
        return archive
    archive.close()
    with contextlib.suppress(GongbaoError):  # read-only or busy: search what there is
        Archive(data).close()  # repairs under the write lock (unless another process holds it)
    archive = Archive(data, readonly=True)
    if not archive.index_current():
        print("gongbao: 注意：检索索引落后于档案记录，结果可能不全（运行 gongbao check --repair） "
              "(the index lags the record)", file=sys.stderr)
    return archive


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _marked(snippet: str) -> Text:
    """An HTML snippet with <mark> as styled terminal text."""
    text = Text()
    for part in _MARK_RE.split(snippet):
        if part.startswith("<mark>"):
            text.append(html.unescape(part[6:-7]), style="bold red")
        else:
            text.append(html.unescape(part))
    return text


def refuse_unknown_options(ctx: typer.Context, words: list[str]) -> None:
    """A command that takes "-水" (exclude 水) as a query word must still refuse ``--statu x``: a word
    shaped like an option is a usage error (exit 2, with the nearest real option), never a query."""
    import difflib

    # typer carries its own copy of click; its usage errors print the usage line and exit 2
    from typer._click.exceptions import NoSuchOption

    for word in words:
        if _OPTION_RE.match(word):
            name = word.split("=", 1)[0]
            known = [o for p in ctx.command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")]
            raise NoSuchOption(name, possibilities=difflib.get_close_matches(name, known, n=3), ctx=ctx)


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: Annotated[list[str], typer.Argument(help="公报文件、目录或通配符 (files, directories, globs)")],
        data: DataOption = DEFAULT_DATA,
        force: Annotated[bool, typer.Option("--force", help="重新解析未变的文件 (re-parse unchanged files)")] = False,
        replace: Annotated[bool, typer.Option(
            "--replace", help="允许用不完整的副本替换库中完整的一期 (let an incomplete copy replace a complete issue)")
        ] = False,
        jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, max=64,
                                                 help="解析进程数 (parser processes)")] = None,
        ocr: Annotated[OcrMode, typer.Option("--ocr", help=OCR_HELP)] = OcrMode.auto,
        workers: Annotated[int | None, typer.Option(
            "--workers", min=1, max=256,
            help="在 Dask 本地集群的 N 个进程上解析和 OCR (parse and OCR on a Dask LocalCluster of N workers)")] = None,
        scheduler: Annotated[str | None, typer.Option(
            "--scheduler", help="把解析和 OCR 交给已有的 Dask 集群 (send the work to a Dask cluster: tcp://HOST:PORT)")
        ] = None,
        max_size: Annotated[float, typer.Option(
            "--max-size", min=0.001, help="单个文件大小上限，MB (refuse files larger than this many MB)")] = 200,
        as_json: JsonOption = False,
    ) -> None:
        """Ingest gazette issues (.txt/.md, .pdf, page images, .ofd, .docx, .html) into the archive.
        将公报导入档案。"""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from gongbao.store import Archive

        console = Console(stderr=True)
        bar = Progress(TextColumn("导入"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       TextColumn("{task.fields[name]}"), console=console, transient=True,
                       disable=not console.is_terminal)
        task = bar.add_task("ingest", total=None, name="")

        def progress(done: int, total: int, path: Path, outcome: str) -> None:
            bar.update(task, completed=done, total=total, name=path.name[-40:])

        with bar, Archive(data) as archive:
            report = archive.ingest(paths, progress=progress, force=force, jobs=jobs, ocr=ocr.value,
                                    workers=workers, scheduler=scheduler, replace=replace,
                                    max_bytes=int(max_size * 2**20))
        if as_json:
            _print_json({
                "added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
                "failed": [{"path": str(p), "message": m} for p, m in report.failed],
                "documents": report.documents, "seconds": round(report.seconds, 3),
                "issues": [{"path": str(p), "id": i, "outcome": o} for p, i, o in report.issues],
            })
        else:
            for path, message in report.failed:
                print(f"gongbao: {path}: {message}", file=sys.stderr)
            print(report.summary())
        if report.failed:
            raise typer.Exit(2)

    # "-水" (exclude 水) is a query, not an unknown option; --unknown is refused by refuse_unknown_options
    @app.command(context_settings={"ignore_unknown_options": True})
    def search(
        ctx: typer.Context,
        query: Annotated[list[str], typer.Argument(help='检索式：词、"短语"、AND/OR/NOT、-排除、文号、title:只查标题 (query)')],
        data: DataOption = DEFAULT_DATA,
        gazette: Annotated[str | None, typer.Option(help="公报名称 (gazette)")] = None,
        issue: Annotated[str | None, typer.Option(help="只检索这一期：期的 id，如 ac54aa-2022-19，见 /api/v1/issues (only this issue, by its id)")] = None,
        issuer: Annotated[str | None, typer.Option(help="发文机关：全称，或名称的一部分如 办公厅 (issuing organ: full name or part of it)")] = None,
        kind: Annotated[str | None, typer.Option(help="文种，如 通知 (kind)")] = None,
        category: Annotated[str | None, typer.Option(help="栏目 (TOC category)")] = None,
        year: Annotated[str | None, typer.Option(help="年份 (year)")] = None,
        date_from: Annotated[str | None, typer.Option("--from", help="起始日期 YYYY[-MM[-DD]]")] = None,
        date_to: Annotated[str | None, typer.Option("--to", help="截止日期 YYYY[-MM[-DD]]")] = None,
        sort: Annotated[str, typer.Option(help="relevance | date")] = "relevance",
        page: Annotated[int, typer.Option(help="页码 (page)")] = 1,
        limit: Annotated[int, typer.Option("--limit", "-n", help="每页条数 (hits per page)")] = 20,
        status: Annotated[str | None, typer.Option(
            help="效力状态：尚未施行 现行有效 已失效 已废止 已修改 未知 (status on --as-of)")] = None,
        as_of: Annotated[str | None, typer.Option("--as-of", help="状态的日期 YYYY-MM-DD，默认今天 (status date)")] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Search the archive. 全文检索。"""
        refuse_unknown_options(ctx, query)
        with _existing(data) as archive:
            result = archive.search(" ".join(query), gazette=gazette, issue=issue, issuer=issuer, kind=kind, category=category,
                                    year=year, date_from=date_from, date_to=date_to, sort=sort, page=page,
                                    limit=limit, status=status, as_of=as_of)
        if as_json:
            _print_json(result)
            return
        out = Console(highlight=False, soft_wrap=True)
        first = (result["page"] - 1) * result["limit"]
        out.print(f"共 {result['total']} 件（第 {result['page']} 页）")
        for n, hit in enumerate(result["hits"], start=first + 1):
            out.print(Text(f"{n}. {hit['title']}", style="bold"))
            facts = [hit.get("status"), hit["doc_number"], "、".join(hit["issuers"]), hit["signed"], hit["kind"],
                     f"{hit['gazette'] or ''} {hit['issue']['year']}年第{hit['issue']['number']}期"
                     if hit["issue"].get("number") else hit["gazette"], f"id {hit['id']}"]
            out.print("   " + " · ".join(str(f) for f in facts if f))
            out.print(Text("   ") + _marked(hit["snippet"]))
        for name, counts in result["facets"].items():
            if counts:
                shown = " · ".join(f"{key} {value}" for key, value in list(counts.items())[:8])
                out.print(f"{FACET_LABELS.get(name, name)}：{shown}")

    @app.command()
    def show(
        ref: Annotated[str, typer.Argument(help="文件 id 或任意写法的文号 (document id or 文号)")],
        data: DataOption = DEFAULT_DATA,
        as_json: JsonOption = False,
    ) -> None:
        """Show one document by id or 文号. 按编号或文号显示文件。"""
        with _existing(data) as archive:
            same = archive.documents_by_number(ref)  # the 文号's documents, most recent first
            doc_id = same[0]["id"] if same else archive.resolve(ref)
            doc = archive.document(doc_id) if doc_id is not None else None
        if doc is None:
            raise NotFound(f"未找到文件：{ref.strip()[:80]} (no document with this id or 文号)")
        if as_json:
            _print_json(doc)
            return
        print(render_document(doc))
        others = [d["id"] for d in same if d["id"] != doc_id]
        if others:
            print(f"\n另有 {len(others)} 件文件使用同一文号：{'、'.join(others)} (other documents share this 文号)")

    @app.command()
    def status(
        ref: Annotated[str, typer.Argument(help="文件 id 或任意写法的文号 (document id or 文号)")],
        data: DataOption = DEFAULT_DATA,
        as_of: Annotated[str | None, typer.Option("--as-of", help="日期 YYYY-MM-DD，默认今天 (date)")] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Is it in force? A document's status on a date and its lifecycle. 文件效力状态与沿革。"""
        with _existing(data) as archive:
            doc_id = archive.resolve(ref)
            life = archive.lifecycle(doc_id, as_of) if doc_id is not None else None
            doc = archive.document(doc_id) if doc_id is not None else None
        if life is None or doc is None:
            raise NotFound(f"未找到文件：{ref.strip()[:80]} (no document with this id or 文号)")
        if as_json:
            _print_json({"id": doc_id, "title": doc["title"], "doc_number": doc["doc_number"], **life})
            return
        print(render_lifecycle(doc, life))

    @app.command()
    def expiring(
        data: DataOption = DEFAULT_DATA,
        days: Annotated[int, typer.Option("--days", min=0, max=3650, help="天数 (within N days)")] = 90,
        as_of: Annotated[str | None, typer.Option("--as-of", help="起算日期 YYYY-MM-DD，默认今天 (from date)")] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Documents whose validity ends within N days. 即将到期的文件。"""
        with _existing(data) as archive:
            found = archive.expiring(days, as_of)
        if as_json:
            _print_json({"days": days, "total": len(found), "documents": found})
            return
        print(f"{days} 天内到期：{len(found)} 件")
        for d in found:
            print(f"{d['expires']}（剩 {d['days_left']} 天） {d['title']} {d['doc_number'] or ''}  id {d['id']}")

    @app.command()
    def reindex(data: DataOption = DEFAULT_DATA) -> None:
        """Rebuild the search index from the archive. 重建检索索引。"""
        import time

        from gongbao.store import Archive

        require_archive(data)
        started = time.perf_counter()
        with Archive(data) as archive:
            count = archive.reindex()
        print(f"已重建索引：{count} 件文件，用时 {time.perf_counter() - started:.1f} 秒 (reindexed)")


def render_document(doc: dict[str, Any]) -> str:
    """A document as plain text: its facts, then its body, enclosures and annexes."""
    issue = doc.get("issue") or {}
    lines = [doc["title"], ""]
    facts = [("文号", doc.get("doc_number")), ("发文机关", "、".join(doc.get("issuers") or [])),
             ("成文日期", doc.get("signed")), ("文种", doc.get("kind")), ("栏目", doc.get("category")),
             ("刊期", f"{issue.get('gazette') or ''} {issue.get('year')}年第{issue.get('number')}期"
              if issue.get("number") else issue.get("gazette")),
             ("页码", doc.get("page")), ("编号", doc.get("id"))]
    lines += [f"{name}：{value}" for name, value in facts if value]
    lines.append("")

    def blocks(items: list[dict[str, Any]]) -> None:
        for block in items:
            text = block.get("text") or ""
            if block.get("table") and not text.strip():
                text = "\n".join(" | ".join(c["text"] for c in row) for row in block["table"]["rows"])
            lines.append(text)

    blocks(doc.get("body") or [])
    for enclosure in doc.get("enclosures") or []:
        lines += ["", enclosure["title"], ""]
        blocks(enclosure.get("body") or [])
    for annex in doc.get("attachments") or []:
        label = f"附件{annex['number']}" if annex.get("number") else "附件"
        lines += ["", f"{label}：{annex['title']}" + ("（略）" if annex.get("omitted") else "")]
        blocks(annex.get("body") or [])
    return "\n".join(lines).rstrip()


def render_lifecycle(doc: dict[str, Any], life: dict[str, Any]) -> str:
    """A document's status on a date, who decided it, and its dated events, as plain text."""
    st = life["status"]
    lines = [doc["title"] + (f"（{doc['doc_number']}）" if doc.get("doc_number") else ""),
             f"{st['as_of']} 效力状态：{st['status']}" + (f"（自 {st['since']}）" if st.get("since") else "")]
    for b in st["by"]:
        lines.append(f"  依据：《{b['title']}》{b['doc_number'] or ''} {b['date'] or ''}")
    if life["events"]:
        lines.append("沿革：")
    for e in life["events"]:
        other = f" 《{e['title']}》{e.get('doc_number') or ''}" if e.get("title") or e.get("doc_number") else ""
        lines.append(f"  {e['date'] or '日期不详'} {e['label']}{other}")
    return "\n".join(lines)
