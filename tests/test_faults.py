"""Faults injected on purpose, as a user would meet them: killed writers, damaged files, full disks,
read-only media, hostile requests. Every one must end in one line and an exit code (CLI) or a proper HTTP
answer, and the archive must heal or say how to heal it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from storesupport import SAMPLES, ingest_samples, make_issue_files
from websupport import doc_id, serve

SRC = str(Path(__file__).resolve().parent.parent / "src")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="injects the fault through a POSIX facility")


def gongbao(*args: str, preexec=None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True,
                          env=env, timeout=timeout, preexec_fn=preexec)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("gongbao: "), lines
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest_samples(tmp_path_factory.mktemp("faults") / "data")


def copy_of(built: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(built, data)
    return data


def crashed_inside_index_commit(data: Path) -> None:
    """The state kill -9 leaves when it lands inside the index commit of a replacing ingest: the new
    delete file is written, meta.json still the old one (the index one generation behind the record)."""
    from gongbao.store import Archive

    before = data.parent / "index-before"
    shutil.copytree(data / "index", before)
    with Archive(data) as archive:
        archive.ingest(SAMPLES[:1], force=True)
    dels = {p.name: p.read_bytes() for p in (data / "index").glob("*.del")}
    assert dels
    shutil.rmtree(data / "index")
    shutil.copytree(before, data / "index")
    for name, content in dels.items():
        (data / "index" / name).write_bytes(content)
    (data / "index.new-99999").mkdir()  # and a half-built reindex beside it


def test_stale_delete_file_no_longer_blocks_index_writes(built: Path, tmp_path: Path) -> None:
    from storesupport import squeezed_texts

    from gongbao.store import Archive

    data = copy_of(built, tmp_path)
    crashed_inside_index_commit(data)
    with Archive(data) as archive:  # the next writer cleans up and catches the index up
        assert any(line.endswith(".del") for line in archive.repaired)
        report = archive.ingest(SAMPLES[:1], force=True)  # failed with FileAlreadyExists before
        assert report.replaced == 1
        assert archive.index_current()
        found = {h["id"] for h in archive.search("宁夏", limit=100)["hits"]}
    truth = {doc_id for doc_id, text in squeezed_texts(data).items() if "宁夏" in text}
    assert found == truth
    assert not list(data.glob("index.new-*"))


def test_check_finds_and_repairs_a_crashed_archive(built: Path, tmp_path: Path) -> None:
    data = copy_of(built, tmp_path)
    crashed_inside_index_commit(data)
    found = gongbao("check", "-d", str(data))
    assert found.returncode == 4
    assert "check --repair" in one_line(found)
    assert ".del" in found.stdout and "index.new-99999" in found.stdout and "落后" in found.stdout
    assert gongbao("search", "-d", str(data), "宁夏").returncode == 0  # search heals and works meanwhile
    repaired = gongbao("check", "-d", str(data), "--repair")
    assert repaired.returncode == 0, repaired.stderr
    clean = gongbao("check", "-d", str(data))
    assert clean.returncode == 0 and "档案完好" in clean.stdout


def test_check_names_what_is_wrong_with_the_index(built: Path, tmp_path: Path) -> None:
    import json

    from gongbao.store.check import check_archive
    from gongbao.store.search import STATE_FILE

    def index_findings(data: Path) -> list[str]:
        return [f.message for f in check_archive(data).findings if f.kind == "index"]

    data = copy_of(built, tmp_path)
    crashed_inside_index_commit(data)
    [behind] = index_findings(data)
    assert behind.startswith("检索索引落后于档案记录（索引第 ") and "(index at generation " in behind
    (data / "index" / "meta.json").unlink()
    assert index_findings(data) == ["检索索引不存在 (no search index)（可由档案记录重建） (rebuildable)"]
    other = copy_of(built, tmp_path / "other")
    state_file = other / "index" / STATE_FILE
    state = json.loads(state_file.read_text("utf-8"))
    state_file.write_text(json.dumps({**state, "record_id": "0" * 32}), "utf-8")
    assert index_findings(other) == ["检索索引不属于该档案记录或版本不符 (index of another record or schema)"
                                     "（可由档案记录重建） (rebuildable)"]
    damaged = copy_of(built, tmp_path / "damaged")
    for path in (damaged / "index").glob("*.idx"):
        path.write_bytes(b"\x00garbage" * 100)
    [message] = index_findings(damaged)
    assert message.startswith("检索索引已损坏 (the search index is damaged: ") and "请运行" not in message
    assert message.endswith(")（可由档案记录重建） (rebuildable)") and len(message) > 60


def test_serve_start_opens_a_current_archive_read_only(built: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import gongbao.store
    from gongbao.cli.web_cmd import prepare_archive
    from gongbao.store import Archive

    opened: list[bool] = []

    class Spy(Archive):
        def __init__(self, data_dir: Path | str, *, readonly: bool = False) -> None:
            opened.append(readonly)
            super().__init__(data_dir, readonly=readonly)

    monkeypatch.setattr(gongbao.store, "Archive", Spy)
    data = copy_of(built, tmp_path)
    prepare_archive(data)
    assert opened and all(opened)  # current: nothing to mend, never opened writable
    crashed_inside_index_commit(data)
    opened.clear()
    prepare_archive(data)  # behind, with leftovers: a writable open mends it
    assert False in opened
    with Archive(data, readonly=True) as archive:
        assert archive.index_current() and archive.index.leftovers() == []


def test_damaged_index_is_reported_then_rebuilt(built: Path, tmp_path: Path) -> None:
    data = copy_of(built, tmp_path)
    for path in (data / "index").glob("*.idx"):
        path.write_bytes(b"\x00garbage" * 100)
    result = gongbao("search", "-d", str(data), "宁夏")
    assert result.returncode != 0 and "check --repair" in one_line(result)
    assert gongbao("check", "-d", str(data), "--repair").returncode == 0
    assert "共" in gongbao("search", "-d", str(data), "宁夏").stdout


def test_corrupt_database_is_one_line(built: Path, tmp_path: Path) -> None:
    data = copy_of(built, tmp_path)
    db = data / "archive.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[4096:12288] = os.urandom(8192)
    db.write_bytes(raw)
    for args in (["search", "宁夏"], ["ingest", str(SAMPLES[0]), "--force"], ["reindex"], ["check"]):
        result = gongbao(*args, "-d", str(data))
        assert result.returncode == 4, (args, result.stderr)
        one_line(result)
    assert "损坏" in gongbao("check", "-d", str(data)).stdout
    (data / "archive.sqlite3").write_bytes(b"not a database at all" * 50)
    assert "损坏" in one_line(gongbao("show", "-d", str(data), "x"))


@posix_only
def test_disk_full_is_one_line(tmp_path: Path) -> None:
    import resource

    def small_disk() -> None:  # writes past 300 kB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    result = gongbao("ingest", "-d", str(tmp_path / "data"), *map(str, SAMPLES), preexec=small_disk)
    assert result.returncode == 4
    assert "磁盘" in one_line(result)


@posix_only
@pytest.mark.skipif(sys.platform != "win32" and shutil.which("capsh") is None and os.geteuid() == 0,
                    reason="root ignores permissions and capsh is not there to drop that power")
def test_permission_denied_is_one_line(built: Path, tmp_path: Path) -> None:
    data = copy_of(built, tmp_path)
    for path in [data, *data.rglob("*")]:
        path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        args = ["ingest", "-d", str(data), str(SAMPLES[0]), "--force"]
        if os.geteuid() == 0:  # as root without the power to override file permissions
            env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
            command = " ".join([sys.executable, "-m", "gongbao", *args])
            result = subprocess.run(["capsh", "--drop=cap_dac_override,cap_dac_read_search,cap_fowner", "--",
                                     "-c", command], capture_output=True, text=True, env=env, timeout=120)
        else:
            result = gongbao(*args)
        assert result.returncode == 4, result.stderr
        line = one_line(result)
        assert "权限" in line or "不可写" in line, line
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_control_characters_only_are_refused(web: httpx.Client) -> None:
    r = web.get("/api/v1/search", params={"q": "\x01\x02\x03"})
    assert r.status_code == 422
    assert "可检索" in r.json()["error"]["message"]
    page = web.get("/search", params={"q": "\x01"})
    assert page.status_code == 400 and "可检索" in page.text


def test_head_on_every_get_route_and_allow_on_405(web: httpx.Client) -> None:
    spec = web.get("/openapi.json").json()
    for path in ["/", "/search?q=宁夏", "/api/v1/gazettes", "/api/v1/search?q=宁夏", "/api/v1/health",
                 "/api/v1/search.atom", "/about"]:
        got, head = web.get(path), web.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers.get("etag") == got.headers.get("etag"), path
        assert head.headers["content-type"] == got.headers["content-type"]
    assert any("get" in ops for ops in spec["paths"].values())
    r = web.post("/api/v1/gazettes")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert web.delete("/").headers["allow"] == "GET, HEAD"


def test_host_header_cannot_poison_cached_links(web: httpx.Client) -> None:
    # the document page prints its permanent link and a GB/T 7714 citation with it
    page = "/documents/" + doc_id(web, "宁政发〔2021〕34号")
    for path in ("/api/v1/search.atom?q=通知&limit=3", "/api/v1/lifecycle.atom?limit=3",
                 "/api/v1/search?q=通知&format=md&limit=3", page):
        evil = web.get(path, headers={"Host": "evil.test"})
        assert evil.status_code == 200
        assert "evil.test" not in evil.text
        assert "evil.test" not in web.get(path).text


def test_base_url_is_used_for_absolute_links(built: Path) -> None:
    from fastapi.testclient import TestClient

    from gongbao.web.app import create_app

    with TestClient(create_app(built, base_url="https://gongbao.example.org/")) as client:
        feed = client.get("/api/v1/search.atom", params={"q": "通知"}, headers={"Host": "evil.test"}).text
    assert "https://gongbao.example.org/documents/" in feed and "evil.test" not in feed


def test_new_ingest_is_served_within_a_second(built: Path, tmp_path: Path) -> None:
    from gongbao.store import Archive

    data = tmp_path / "data"
    with Archive(data) as archive:
        archive.ingest(SAMPLES[:1])
    base = serve(data)
    with httpx.Client(base_url=base, timeout=30) as client:
        before = client.get("/api/v1/search", params={"q": "中卫"}).json()["total"]
        client.get("/")
        with Archive(data) as archive:
            archive.ingest(SAMPLES[1:])
        done = time.monotonic()
        while True:
            after = client.get("/api/v1/search", params={"q": "中卫"}).json()["total"]
            if after > before:
                break
            assert time.monotonic() - done < 1.0, "stale cached answer after the ingest committed"
            time.sleep(0.05)
        assert client.get("/api/v1/health").json()["index_behind"] is False


def test_lagging_index_is_said_by_a_readonly_server(built: Path, tmp_path: Path) -> None:
    import json

    from fastapi.testclient import TestClient

    from gongbao.web.app import create_app

    data = copy_of(built, tmp_path)
    state = data / "index" / "gongbao-index.json"
    raw = json.loads(state.read_text("utf-8"))
    raw["generation"] -= 1
    state.write_text(json.dumps(raw), "utf-8")
    with TestClient(create_app(data)) as client:
        health = client.get("/api/v1/health").json()
        assert health["index_behind"] is True and health["status"] == "degraded"
        assert "检索索引落后" in client.get("/").text


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    import psutil

    deadline = time.monotonic() + seconds
    while True:
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def _popen(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "gongbao", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@posix_only
def test_kill_9_of_ingest_leaves_no_orphans(tmp_path: Path) -> None:
    pytest.importorskip("psutil")
    files = make_issue_files(tmp_path / "in", 24)
    proc = _popen("ingest", "-d", str(tmp_path / "data"), "--jobs", "2", *map(str, files))
    deadline = time.monotonic() + 30
    while len(_descendants(proc.pid)) < 3 and time.monotonic() < deadline:  # forkserver, tracker, workers
        time.sleep(0.05)
    children = _descendants(proc.pid)
    assert children, "the ingest started no worker processes"
    proc.kill()
    proc.wait()
    assert _wait_gone(children) == []


def test_serve_workers_share_the_archive_and_die_with_it(built: Path) -> None:
    pytest.importorskip("psutil")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = _popen("serve", "-d", str(built), "--port", str(port), "--workers", "2")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        children = _descendants(proc.pid)
        assert len(children) >= 2
    finally:
        proc.kill()
        proc.wait()
    assert _wait_gone(children) == []


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs a tmpfs mount (root)")
def test_archive_on_read_only_media_is_searched_and_served(built: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from gongbao.web.app import create_app

    mnt = tmp_path / "ro"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        data = mnt / "data"
        shutil.copytree(built, data)
        (data / "archive.sqlite3-shm").unlink(missing_ok=True)  # left, or not, by a killed server
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        result = gongbao("search", "-d", str(data), "宁夏")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "共" in result.stdout
        ingest = gongbao("ingest", "-d", str(data), str(SAMPLES[0]), "--force")
        assert ingest.returncode == 4 and "只读" in one_line(ingest)
        with TestClient(create_app(data)) as client:
            assert client.get("/api/v1/search", params={"q": "宁夏"}).json()["total"] > 0
            assert client.get("/").status_code == 200
    finally:
        subprocess.run(["umount", "-l", str(mnt)])


@posix_only
def test_kill_9_at_random_moments_keeps_the_archive_whole() -> None:
    """Two rounds of bench/faults.py (the benchmark runs 30): kill -9 of ingest, then check, repair,
    whole issues only, search = substring scan, no orphans."""
    pytest.importorskip("psutil")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import faults

    result = faults.run(rounds=2, issues=4, seed=7, quiet=True)
    assert result["violations"] == [], result["violations"]


@posix_only
def test_oversized_files_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    from gongbao.store import Archive

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    big.write_text(SAMPLES[0].read_text("utf-8"), "utf-8")
    started = time.monotonic()
    with Archive(tmp_path / "data") as archive:
        report = archive.ingest([fifo, "/dev/zero", big], max_bytes=big.stat().st_size - 1)
    assert time.monotonic() - started < 30
    reasons = {Path(p).name: m for p, m in report.failed}
    assert "不是普通文件" in reasons["pipe.txt"] and "不是普通文件" in reasons["zero"]
    assert "--max-size" in reasons["big.txt"]
    result = gongbao("ingest", "-d", str(tmp_path / "data2"), "--max-size", "0.01", str(SAMPLES[0]))
    assert result.returncode == 2 and "文件过大" in result.stderr and "Traceback" not in result.stderr


def test_megabyte_long_lines_are_cut_at_sentence_ends() -> None:
    from gongbao.sources import MAX_LINE, split_long_lines

    sentence = "各地区各部门要认真贯彻落实本通知要求。"
    line = sentence * (2_000_000 // len(sentence))
    out = split_long_lines(["标题", line, "结尾"])
    assert "".join(out[1:-1]) == line and out[0] == "标题" and out[-1] == "结尾"
    assert all(len(x) <= MAX_LINE for x in out)
    assert all(x.endswith("。") for x in out[1:-2])
    unbroken = "无标点" * 5000
    assert "".join(split_long_lines([unbroken])) == unbroken


def test_damaged_index_and_database_are_503_with_a_body(built: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from gongbao.web.app import create_app

    data = copy_of(built, tmp_path)
    for path in (data / "index").glob("*.idx"):
        path.write_bytes(b"\x00garbage" * 100)
    with TestClient(create_app(data), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/search", params={"q": "宁夏"})
        assert r.status_code == 503 and "check --repair" in r.json()["error"]["message"]
        page = client.get("/search", params={"q": "宁夏"})
        assert page.status_code == 503 and "检索索引已损坏" in page.text
    (data / "archive.sqlite3").write_bytes(b"not a database" * 100)
    with TestClient(create_app(data), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/gazettes")
        assert r.status_code == 503 and "损坏" in r.json()["error"]["message"]
