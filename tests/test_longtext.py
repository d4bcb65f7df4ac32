"""Megabyte-long texts kept as pieces (:mod:`gongbao.store.longtext`) stand for exactly the joined text:
sliced, sized, encoded, squeezed and stored, each is what the joined string would give."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongbao.store import longtext, tokens
from gongbao.store.longtext import Joined, insert_joined

ROOT = Path(__file__).resolve().parent.parent

pieces_st = st.lists(st.text(alphabet="0123汉字。，、 \nAbΣσé\u0301ﾊﾟ①\u3000,.-\U0001f600", max_size=12), max_size=6)
seps = st.sampled_from(["", "\n", "。a"])


@given(pieces_st, seps, st.integers(-4, 80), st.integers(-4, 80), st.integers(1, 5))
def test_joined_is_the_joined_string(pieces: list[str], sep: str, start: int, stop: int, chunk: int) -> None:
    joined, text = Joined(pieces, sep), sep.join(pieces)
    assert len(joined) == len(text) and str(joined) == text and joined == text
    assert joined[start:stop] == text[start:stop] and joined[start:] == text[start:]
    assert b"".join(joined.utf8(chunk)) == text.encode() and joined.utf8_size() == len(text.encode())
    assert pickle.loads(pickle.dumps(joined))[start:stop] == text[start:stop]


@given(pieces_st, seps, st.integers(1, 9))
def test_squeezed_in_pieces_equals_squeezed_whole(pieces: list[str], sep: str, chunk: int) -> None:
    whole = tokens.squeeze(sep.join(pieces))
    with pytest.MonkeyPatch.context() as mp:  # cut as often as possible
        mp.setattr(tokens, "SQUEEZE_CHUNK", chunk)
        assert str(tokens.squeeze_joined(Joined(pieces, sep))) == whole
        assert tokens.squeeze(sep.join(pieces)) == whole  # a long string is cut the same way


def test_a_joined_text_is_stored_as_the_same_text_value() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, text TEXT NOT NULL, other TEXT, note TEXT)")
    text = Joined(["0123456789" * 50_000, "汉字é\U0001f600", "", "尾"], "\n")
    other = Joined(["é" * 3, "x"])
    conn.execute("BEGIN")
    insert_joined(conn, "t", ("id", "text", "other", "note"), ("a", text, other, None))
    conn.execute("COMMIT")
    assert conn.execute("SELECT typeof(text), text = ?, typeof(other), other, note FROM t WHERE id = 'a'",
                        (str(text),)).fetchone() == ("text", 1, "text", "éééx", None)


def test_an_archive_written_in_pieces_equals_one_written_whole(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text of the samples over 300 characters kept and written as pieces: the record's texts and
    search answers are those of a normal ingest, and check passes."""
    from gongbao.store.archive import Archive
    from gongbao.store.check import check_archive

    samples = sorted((ROOT / "samples").glob("*.txt"))
    with Archive(tmp_path / "whole") as whole:
        whole.ingest(samples, jobs=1)
    monkeypatch.setattr(longtext, "LONG_JOIN", 300)
    with Archive(tmp_path / "pieces") as pieces:
        pieces.ingest(samples, jobs=1)
        for sql in ("SELECT issue_id, typeof(text), text FROM issue_sources ORDER BY 1",
                    "SELECT document_id, typeof(text), text FROM document_text ORDER BY 1",
                    "SELECT document_id || part || part_seq || '.' || seq, typeof(text), text, original "
                    "FROM blocks ORDER BY 1"):
            rows = pieces._conn().execute(sql).fetchall()
            assert [tuple(r) for r in rows] == [tuple(r) for r in whole._conn().execute(sql).fetchall()]
            assert any(len(r[2]) > 300 for r in rows)
        for query in ("的", "残疾人服务", '"加强中药注册申请指导"'):
            assert pieces.search(query)["total"] == whole.search(query)["total"]
    assert check_archive(tmp_path / "pieces").ok


def test_reindex_reads_long_texts_in_pieces_and_finds_the_same(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild of the index reads every text over 300 bytes in pieces of 64 bytes (characters cut
    between reads included): every search answers as from the texts read whole, and check passes."""
    from gongbao.store.archive import Archive
    from gongbao.store.check import check_archive

    samples = sorted((ROOT / "samples").glob("*.txt"))
    queries = ("的", "残疾人服务", '"加强中药注册申请指导"', "2025年", "宁政办发〔2022〕68号", "水权 -残疾人")
    with Archive(tmp_path / "a") as archive:
        archive.ingest(samples, jobs=1)
        before = {q: archive.search(q) for q in queries}
        conn = archive._conn()
        rowid = conn.execute("SELECT rowid FROM document_text ORDER BY length(text) DESC").fetchone()[0]
        stored = conn.execute("SELECT text FROM document_text WHERE rowid = ?", (rowid,)).fetchone()[0]
        monkeypatch.setattr(longtext, "LONG_JOIN", 300)
        monkeypatch.setattr(longtext, "WRITE_CHUNK", 64)
        read = longtext.read_text(conn, "document_text", "text", rowid)
        assert isinstance(read, Joined) and len(read.pieces) > 100 and str(read) == stored
        archive.reindex()
        after = {q: archive.search(q) for q in queries}
    assert [(a["total"], [h["id"] for h in a["hits"]]) for a in after.values()] == \
        [(b["total"], [h["id"] for h in b["hits"]]) for b in before.values()]
    assert check_archive(tmp_path / "a").ok
