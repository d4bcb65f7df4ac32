"""Extractor module (in progress: being written in this session)."""

from __future__ import annotations

from gongbao.model import Target, Document, Gazette  # noqa: F401


def find_targets(document: Document) -> list[Target]:
    return []
