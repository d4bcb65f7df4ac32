"""Extractor module (in progress: being written in this session)."""

from __future__ import annotations

from gongbao.model import Indicator, Document, Gazette  # noqa: F401


def find_indicators(document: Document) -> list[Indicator]:
    return []
