"""Representation flags in partner and public outputs: published only where the audit says they are safe.

A profile row's flag compares a group's share of respondents c/n with its census share P: "under" when
100·c/(n·P) is below the lower limit (80), "over" above the upper one (120), "fine" between. In partner and
public outputs c and n are not shown, but a flag is still a linear constraint on them, and c is often the
sum of cells of the output's own question table (the demographic question, same respondents). So a flag
can pin down a hidden count: "fine" for a group with P·n = 11 says 9 ≤ c ≤ 13.

`profile_links` states, for the auditor, which question cells each group's count is the sum of (only
when that is true of the counts; a mapping by number ranges has no such link). The auditor turns flags
and links into constraints (analysis.disclosure.report_system, `_profile`). `protect_flags` audits the
whole output with them and replaces a flag that lets a hidden count (a group's, or a question cell's) be
pinned to a range narrower than the threshold by HIDDEN_FLAG, one at a time, until none does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from analysis.disclosure.auditor import SOLVED, audit
from analysis.disclosure.report_system import (
    FLAGGED,
    cell_var,
    profile_var,
    question_key,
    report_system,
)
from analysis.report.jsonout import report_to_dict
from analysis.report.model import ProfileDimension, QuestionResult, Report
from analysis.representativeness import Thresholds
from survey.engine import Questionnaire

HIDDEN_FLAG = "hidden"  # shown as "not shown: too few people" (never which way the group leans)
MAX_ROUNDS = 500


def flag_limits() -> list[float]:
    """The representation index limits the flags were judged by, as the auditor needs them."""
    limits = Thresholds()
    return [limits.under, limits.over]


def profile_links(
    questionnaire: Questionnaire,
    questions: Sequence[QuestionResult],
    profile: Sequence[ProfileDimension],
) -> list[dict[str, Any]]:
    """{"dimension", "question", "categories": {category: [codes]}} where each group's count is the sum of
    those codes' cells in the question's table (checked on the full counts: only true links are given)."""
    tables = {q.id: q for q in questions if q.item is None and q.type == "single"}
    dims = {d.dimension: d for d in profile}
    out = []
    for mapping in questionnaire.demographics:
        if not mapping.map:
            continue  # a mapping by number ranges
        table, dim = tables.get(mapping.question), dims.get(mapping.dimension)
        if table is None or dim is None:
            continue
        counts = {r.code: r.count for r in table.rows}
        categories: dict[str, list[str]] = {r.category: [] for r in dim.rows}
        for code, category in mapping.map:
            if category is not None and category in categories and code in counts:
                categories[category].append(code)
        if all(
            r.respondents is not None and sum(counts[c] or 0 for c in categories[r.category]) == r.respondents
            for r in dim.rows
        ):
            out.append({"dimension": dim.dimension, "question": table.id, "categories": categories})
    return out


def protect_flags(report: Report, links: Sequence[Mapping[str, Any]], threshold: int) -> Report:
    """The report with every flag that would narrow a hidden count below `threshold` hidden."""
    by_cell = {
        cell_var(question_key(str(link["question"]), None), code): (str(link["dimension"]), category)
        for link in links
        for category, codes in link["categories"].items()
        for code in codes
    }
    by_question = {
        cell_var(question_key(str(link["question"]), None), ""): str(link["dimension"]) for link in links
    }
    memo = SOLVED  # hiding a flag changes one group: the rest are not solved again
    for _ in range(MAX_ROUNDS):
        doc = report_to_dict(report)
        system = report_system(doc)
        if not any(name.startswith("profile ") for name in system.names):
            return report  # no flag says which way a group leans
        # every hidden count: flags bound a dimension's respondents, and so an unmapped answer ("prefer not
        # to say") beside them; counts pinned without any flag were dealt with by protect_results
        weak = [r for r in audit(system, threshold, memo=memo) if r.narrower_than(threshold)]
        behind = (_flag_behind(r.name, by_cell, by_question, report.profile) for r in weak)
        target = next((t for t in behind if t is not None), None)
        if target is None:
            return report
        report = replace(report, profile=_hide(report.profile, *target))
    return report


def _flag_behind(
    name: str,
    by_cell: Mapping[str, tuple[str, str]],
    by_question: Mapping[str, str],
    profile: Sequence[ProfileDimension],
) -> tuple[str, str] | None:
    """(dimension, category) of the flag to hide for a pinned-down count (None: no flag is behind it)."""
    if name in by_cell:
        dimension, category = by_cell[name]
        return _shown(profile, dimension, category)
    for prefix, dimension in by_question.items():
        if name.startswith(prefix):  # an answer no group counts (prefer not to say), or the base
            return _shown(profile, dimension, None)
    for dim in profile:
        prefix = profile_var(dim.dimension, "")
        if name.startswith(prefix):
            category = name[len(prefix) :]
            if any(r.category == category for r in dim.rows):
                return _shown(profile, dim.dimension, category)
            return _shown(profile, dim.dimension, None)  # the dimension's respondents
    return None


def _shown(
    profile: Sequence[ProfileDimension], dimension: str, category: str | None
) -> tuple[str, str] | None:
    """The flag to hide: the category's own if still shown, else the dimension's smallest group's (small
    groups' flags bound their counts most tightly)."""
    dim = next(d for d in profile if d.dimension == dimension)
    flagged = [r for r in dim.rows if r.flag in FLAGGED]
    own = [r for r in flagged if r.category == category]
    if own:
        return dimension, category or ""
    if not flagged:
        return None
    return dimension, min(flagged, key=lambda r: r.population_share).category


def _hide(profile: Sequence[ProfileDimension], dimension: str, category: str) -> tuple[ProfileDimension, ...]:
    return tuple(
        replace(
            d,
            rows=tuple(replace(r, flag=HIDDEN_FLAG) if r.category == category else r for r in d.rows),
        )
        if d.dimension == dimension
        else d
        for d in profile
    )
