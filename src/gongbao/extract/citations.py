"""Extractor module (in progress: being written in this session)."""

from __future__ import annotations

from gongbao.model import Citation, Document, Gazette  # noqa: F401


def find_citations(document: Document) -> list[Citation]:
    return []
