"""Compare extracted facts with hand-checked expected files (tests/expected/extract/<issue>.<kind>.json).

Used by the tests and by ``bench/evaluate.py`` so both count the same way. Matching keys:

- citations by 文号: (canonical 文号, line) — the extracted citation's start line must be one of the
  source lines the expected citation touches (a title or 文号 split over two lines touches both);
- citations by 《》: (title_key(title), line), same line rule;
- targets: (line, value) with dashes unified, as a multiset (one line can hold the same value twice);
- indicator rows: (canonical_name, value_text);
- tasks by line: the extracted task's start line within the expected note's lines; matched tasks are
  compared on every role (leads, partners, implementers, deadline).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gongbao.extract.tasks import ROLES
from gongbao.model import Citation, Indicator, Target, Task
from gongbao.textnorm import title_key

JSON = dict[str, Any]


@dataclass(slots=True)
class Score:
    """Matches between expected and extracted records of one kind."""

    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # matched records right in one respect (leads, partners, parent, whole target …): name -> count
    exact: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.missed += other.missed
        self.extra += other.extra
        self.notes += other.notes
        for k, v in other.exact.items():
            self.exact[k] = self.exact.get(k, 0) + v


def _match(kind: str, expected: list[Any], extracted: list[Any], ok: Callable[[Any, Any], bool],
           show_e: Callable[[Any], str], show_x: Callable[[Any], str]) -> tuple[Score, list[tuple[Any, Any]]]:
    score = Score(kind)
    free = list(range(len(expected)))
    pairs: list[tuple[Any, Any]] = []
    for x in extracted:
        hit = next((k for k in free if ok(expected[k], x)), None)
        if hit is None:
            score.fp += 1
            score.extra.append(show_x(x))
        else:
            free.remove(hit)
            score.tp += 1
            pairs.append((expected[hit], x))
    score.fn = len(free)
    score.missed = [show_e(expected[k]) for k in free]
    return score, pairs


def _lines(e: JSON) -> set[int]:
    return set(e.get("lines") or [e["start_line"]])


def score_citations(expected: list[JSON], extracted: Iterable[Citation]) -> tuple[Score, Score]:
    """(by 文号, by 《》). The second also checks self-reference flags of matched titles (notes)."""
    got = list(extracted)
    by_number, _ = _match(
        "citations by 文号",
        [e for e in expected if e["doc_number"]], [c for c in got if c.doc_number],
        lambda e, c: e["doc_number"] == c.doc_number and c.span.start_line in _lines(e),
        lambda e: f"{e['start_line']} {e['doc_number']}", lambda c: f"{c.span.start_line} {c.doc_number}")
    paired_expected = [e for e in expected if e["doc_number"] and e["title"]]
    paired = sum(1 for e in paired_expected if any(
        c.doc_number == e["doc_number"] and c.title and title_key(c.title) == title_key(e["title"])
        and c.span.start_line in _lines(e) for c in got))
    by_number.notes.append(f"《title》(文号) printed together and extracted as one citation: "
                           f"{paired}/{len(paired_expected)}")
    by_title, pairs = _match(
        "citations by 《》",
        [e for e in expected if e["title"]], [c for c in got if c.title],
        lambda e, c: title_key(e["title"]) == title_key(c.title or "") and c.span.start_line in _lines(e),
        lambda e: f"{e['start_line']} 《{e['title']}》", lambda c: f"{c.span.start_line} 《{c.title}》")
    wrong = [f"{e['start_line']} 《{e['title']}》 self_reference expected {e['self_reference']}"
             for e, c in pairs if bool(e["self_reference"]) != c.self_reference]
    by_title.exact["self_reference"] = len(pairs) - len(wrong)
    if any("work" in e for e, _ in pairs):  # truth files that say which law each citation names
        by_title.exact["work"] = sum(1 for e, c in pairs if e.get("work") == getattr(c, "work", None))
    by_title.notes.append(f"self-reference flags right: {len(pairs) - len(wrong)}/{len(pairs)}")
    by_title.notes += wrong
    return by_number, by_title


def norm_value(v: str) -> str:
    """A target value for comparison: no spaces, one dash for ranges, ASCII colon."""
    v = re.sub(r"\s+", "", v).replace("：", ":")
    return re.sub(r"[—–\-－~～至]+", "—", v)


_NAME_NOISE_RE = re.compile(r"[\s（）()“”\"、，]")


def same_indicator(expected: str, got: str) -> bool:
    """Whether an extracted indicator name says what the hand-written one says. The truth files name
    indicators in their own words (全区取水总量 for 取水总量), so names agree when one holds the other or
    they share most characters; a clause fragment (的党政机关…, empty) never agrees."""
    a, b = _NAME_NOISE_RE.sub("", expected), _NAME_NOISE_RE.sub("", got)
    if not b or b[0] in "的了和及与、" or not a:
        return False
    if a in b or b in a:
        return True
    common = sum(min(a.count(ch), b.count(ch)) for ch in set(b))
    return common >= 0.75 * max(len(a), len(b))


def score_targets(expected: list[JSON], extracted: Iterable[Target]) -> Score:
    """Targets by (line, value); for matched targets, comparator/unit/year/base agreement (notes)."""
    score, pairs = _match(
        "targets", expected, list(extracted),
        lambda e, t: e["line"] == t.span.start_line and norm_value(e["value"]) == norm_value(t.value),
        lambda e: f"{e['line']} {e['value']}{e.get('unit') or ''} ({e['indicator']})",
        lambda t: f"{t.span.start_line} {t.value}{t.unit or ''} ({t.indicator})")
    score.exact["whole"] = sum(1 for e, t in pairs if same_indicator(e["indicator"], t.indicator) and all(
        (e.get(n) or None) == (getattr(t, n, None) or None) for n in ("comparator", "unit", "year")))
    score.exact["indicator"] = sum(1 for e, t in pairs if same_indicator(e["indicator"], t.indicator))
    for name in ("comparator", "unit", "year", "base_value", "base_year", "nature", "condition"):
        if name == "condition" and not any(name in e for e, _ in pairs):
            continue  # truth files written before conditions were kept
        wrong = [(e, t) for e, t in pairs if (e.get(name) or None) != (getattr(t, name, None) or None)]
        score.notes.append(f"{name} agrees: {len(pairs) - len(wrong)}/{len(pairs)}")
        score.notes += [f"  {e['line']} {e['value']}: {name} expected {e.get(name)!r}, got {getattr(t, name, None)!r}"
                        for e, t in wrong[:40]]
    return score


def score_indicators(expected: list[JSON], extracted: Iterable[Indicator]) -> Score:
    """Rows by (canonical_name, value_text); for matched rows, the other fields are compared (notes)."""
    score, pairs = _match(
        "indicator rows", expected, list(extracted),
        lambda e, i: e["canonical_name"] == i.canonical_name and e["value_text"] == i.value_text,
        lambda e: f"{e['line']} {e['canonical_name']} = {e['value_text']!r}",
        lambda i: f"{i.span.start_line} {i.canonical_name} = {i.value_text!r}")
    score.exact["parent"] = sum(1 for e, i in pairs if e["parent"] == i.parent)
    score.exact["change_kind"] = sum(1 for e, i in pairs if e.get("change_kind") == getattr(i, "change_kind", None))
    for e, i in pairs:
        for name in ("parent", "period", "unit", "change_text", "value", "change", "change_kind"):
            if name == "change_kind" and name not in e:
                continue  # truth files written before change_kind existed
            if e[name] != getattr(i, name, None):
                score.notes.append(f"{e['canonical_name']}: {name} expected {e[name]!r}, got {getattr(i, name, None)!r}")
        if (e.get("note") or None) != (i.note or None):
            score.notes.append(f"{e['canonical_name']}: note (informational) expected {e.get('note')!r}, got {i.note!r}")
        if e["line"] != i.span.start_line:
            score.notes.append(f"{e['canonical_name']}: line expected {e['line']}, got {i.span.start_line}")
    return score


TASK_ROLES = (*ROLES, "deadline")


def score_tasks(expected: list[JSON], extracted: Iterable[Task]) -> Score:
    """Tasks by line (the extracted start line within the expected note's lines); for matched tasks every
    role (leads, partners, implementers, deadline) is compared, and each disagreement is a note."""
    score, pairs = _match(
        "tasks", expected, list(extracted),
        lambda e, t: e["line"] <= t.span.start_line <= e.get("end_line", e["line"]),
        lambda e: f"{e['line']} {','.join(e.get('leads') or [])}",
        lambda t: f"{t.span.start_line} {','.join(t.leads)}")
    right = 0
    for e, t in pairs:
        got = {role: getattr(t, role) if role == "deadline" else list(getattr(t, role)) for role in TASK_ROLES}
        want = {role: e.get(role) if role == "deadline" else list(e.get(role) or []) for role in TASK_ROLES}
        diffs = [f"  {e['line']}: {role} expected {want[role]!r}, got {got[role]!r}"
                 for role in TASK_ROLES if want[role] != got[role]]
        right += not diffs
        score.notes += diffs
    score.notes.insert(0, f"roles exactly right: {right}/{len(pairs)}")
    score.exact["roles"] = right
    for role in ("leads", "partners", "implementers"):
        score.exact[role] = sum(1 for e, t in pairs if list(e.get(role) or []) == list(getattr(t, role)))
    score.exact["deadline"] = sum(1 for e, t in pairs if e.get("deadline") == t.deadline)
    return score


def _validity_facts(doc_number: str | None, v: Any) -> list[tuple[Any, ...]]:
    """A document's validity as comparable facts: (文号, what, value, line or lines)."""
    out: list[tuple[Any, ...]] = []
    if isinstance(v, dict):  # an expected record
        if v.get("commences"):
            out.append((doc_number, "commences", v["commences"], v.get("commences_rule"), {v["commences_line"]}))
        if v.get("expires"):
            out.append((doc_number, "expires", v["expires"], None, {v["expires_line"]}))
        if v.get("trial"):
            out.append((doc_number, "trial", True, None, set(v["trial_lines"])))
        for e in v.get("effects") or []:
            out.append((doc_number, e["type"], e["target_doc_number"], title_key(e["target_title"] or ""),
                        {e["line"]}))
        return out
    if v.commences:
        out.append((doc_number, "commences", v.commences.isoformat(), v.commences_rule,
                    v.commences_span.start_line if v.commences_span else None))
    if v.expires:
        out.append((doc_number, "expires", v.expires.isoformat(), None,
                    v.expires_span.start_line if v.expires_span else None))
    if v.trial:
        out.append((doc_number, "trial", True, None, v.trial_span.start_line if v.trial_span else None))
    for e in v.effects:
        out.append((doc_number, e.type, e.target_doc_number, title_key(e.target_title or ""), e.span.start_line))
    return out


def score_validity(expected: list[JSON], extracted: Iterable[tuple[str | None, Any]]) -> Score:
    """Validity facts (commencement with its rule, expiry, trial, each effect with its target) matched on
    document 文号, value and source line; ``extracted`` is (文号, Validity) per document."""
    want = [f for e in expected for f in _validity_facts(e["doc_number"], e)]
    got = [f for number, v in extracted for f in _validity_facts(number, v)]
    score, _ = _match("validity", want, got, lambda e, x: e[:4] == x[:4] and x[4] in e[4],
                      lambda e: f"{sorted(e[4])} {e[0]} {e[1]} {e[2]} {e[3] or ''}",
                      lambda x: f"{x[4]} {x[0]} {x[1]} {x[2]} {x[3] or ''}")
    return score
