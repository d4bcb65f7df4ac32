"""Is the file the whole issue? TOC items without a body, and a last document cut off mid-text.

A truncated copy must not pass for the issue: the archive keeps a complete issue rather than replace it
with an incomplete one (``Archive.ingest`` refuses unless told to replace). The test is deliberately
narrow: an item the TOC lists and the body lacks, or a last document that has a 文号 but neither
signature nor date and whose last line stops in the middle of a sentence.
"""

from __future__ import annotations

from gongbao.model import Document, TocEntry
from gongbao.parse.lines import Line

_ENDINGS = "。！？；：!?;:)）」』”》〕】]…" + "0123456789"


def completeness(lines: list[Line], toc: list[TocEntry], documents: list[Document]) -> list[str]:
    """Titles of what the file lacks (empty when it is whole)."""
    linked = {d.toc_index for d in documents if d.toc_index is not None}
    missing = [entry.title for i, entry in enumerate(toc) if i not in linked]
    if documents:
        last = documents[-1]
        tail = next((ln for ln in reversed(lines) if not ln.blank), None)
        cut = tail is not None and tail.clean[-1] not in _ENDINGS and not tail.is_pipe_row and not tail.is_tab_row
        if last.doc_number is not None and last.signed is None and cut:
            missing.append(f"{last.title}（正文不完整）")
    return missing
