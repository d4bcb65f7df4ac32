"""Extractors: read parsed documents and add facts (citations, tasks, targets, indicators).

Each extractor is a pure function of a document (and the issue's gazette, for jurisdiction); ``enrich``
runs them all. The parser knows nothing of them; the archive stores what they add.
"""

from __future__ import annotations

from gongbao.extract.citations import find_citations
from gongbao.extract.indicators import find_indicators
from gongbao.extract.targets import find_targets
from gongbao.extract.tasks import find_tasks
from gongbao.extract.validity import find_validity
from gongbao.model import Issue


def enrich(issue: Issue) -> Issue:
    """Add citations, tasks, targets, indicators and validity to every document of ``issue`` (in place)."""
    for document in issue.documents:
        document.citations = find_citations(document)
        document.tasks = find_tasks(document, issue.gazette)
        document.targets = find_targets(document)
        document.indicators = find_indicators(document)
        document.validity = find_validity(document, issue.gazette)
    return issue
