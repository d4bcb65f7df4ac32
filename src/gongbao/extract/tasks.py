"""Extractor module (in progress: being written in this session)."""

from __future__ import annotations

from gongbao.model import Task, Document, Gazette  # noqa: F401


def find_tasks(document: Document, gazette: Gazette) -> list[Task]:
    return []
