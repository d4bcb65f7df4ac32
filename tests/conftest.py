"""Shared fixtures: the real corpus shipped in samples/, parsed once per session."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = ROOT / "tests" / "expected"
ISSUES = ["ningxia-2022-02", "ningxia-2022-19", "zhongwei-2019-03"]


@cache
def parsed(name: str):
    from gongbao.pipeline import load_issue

    return load_issue(SAMPLES / f"{name}.txt")


@cache
def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=ISSUES)
def issue_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def web():
    """An HTTP client on the one live server the web tests share (started on first use)."""
    import httpx
    from websupport import live_server

    with httpx.Client(base_url=live_server(), timeout=30) as client:
        yield client
