"""A report for one audience: small counts hidden (audited), sensitive parts left out, counts rounded.

`protect_results` takes the report's tables with every count and returns them as the audience may see
them. Tables protected: sensitive questions for every audience; every table for partner and public
outputs. Each table is protected on its own first (analysis.disclosure.protect), then the whole output's
constraints (analysis.disclosure.report_system: every table, base, percentage, theme count and routing
link) are audited together; a count still pinned down gets its smallest shown neighbour (a cell or base
it shares a published total with) hidden too, until none is. Progress, tallies and profile are made safe
for partner and public outputs by `protect_outline`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from analysis.disclosure.auditor import System, audit
from analysis.disclosure.policy import Audience, DisclosurePolicy
from analysis.disclosure.protect import HIDDEN, protect
from analysis.disclosure.release import steps
from analysis.disclosure.report_system import (
    base_var,
    cell_var,
    question_key,
    report_system,
    routing_links,
)
from analysis.report.model import (
    DayCount,
    NumberResult,
    ProfileDimension,
    QuestionResult,
    Tally,
    ThemeBlock,
    ThemeRow,
)

MAX_ROUNDS = 200


@dataclass
class _Table:
    """One table's counts and which of them are hidden."""

    kind: str  # question, number, themes
    key: str  # the variable prefix in report_system
    codes: list[str]
    counts: list[int]
    base: int
    rows_add_up: bool
    protected: bool
    hidden: list[bool] = field(default_factory=list)
    base_hidden: bool = False
    force: set[int] = field(default_factory=set)
    force_base: bool = False

    def __post_init__(self) -> None:
        self.hidden = [False] * len(self.counts)

    def reprotect(self, threshold: int, upper: float) -> None:
        result = protect(
            [self.counts],
            [self.base],
            threshold=threshold,
            rows_add_up=self.rows_add_up,
            upper=upper,
            force=[(0, j) for j in self.force],
            force_bases=[0] if self.force_base else [],
        )
        self.hidden = list(result.cells[0])
        self.base_hidden = result.bases[0]


@dataclass(frozen=True)
class Protected:
    """The tables as the audience sees them, and whether every hidden count holds against the audit."""

    questions: tuple[QuestionResult, ...]
    numbers: tuple[NumberResult, ...]
    themes: tuple[ThemeBlock, ...]
    links: tuple[dict[str, Any], ...]
    rounds: int
    unresolved: tuple[str, ...]  # counts no pattern could protect (the whole output is tiny)


def sensitive_question_ids(questionnaire: Mapping[str, Any]) -> frozenset[str]:
    """Questions that are sensitive themselves or sit in a sensitive section."""
    return frozenset(
        str(q.get("id"))
        for s in questionnaire.get("sections", [])
        for q in s.get("questions", [])
        if s.get("sensitive") or q.get("sensitive")
    )


def protect_results(
    questionnaire: Mapping[str, Any],
    questions: Sequence[QuestionResult],
    numbers: Sequence[NumberResult],
    themes: Sequence[ThemeBlock],
    *,
    complete: int,
    policy: DisclosurePolicy,
    audience: Audience,
) -> Protected:
    """The tables (built with every count shown) as `audience` may see them."""
    sensitive = sensitive_question_ids(questionnaire)
    shows_sensitive = policy.shows_sensitive(audience)
    everything = audience.protected
    t = policy.threshold
    questions = [q for q in questions if shows_sensitive or q.id not in sensitive]
    numbers = [n for n in numbers if shows_sensitive or n.id not in sensitive]
    themes = [
        _theme_block(b, policy, shows_sensitive)
        for b in themes
        if shows_sensitive or b.question not in sensitive
    ]
    tables = _tables(questions, numbers, themes, sensitive, everything, policy)
    upper = float(complete)
    for table in tables:
        if table.protected:
            table.reprotect(t, upper)
    links = tuple(
        link
        for link in routing_links(questionnaire)
        if any(q.id == link["question"] for q in questions) and _holds(link, tables, complete)
    )
    rounding = policy.rounding_for(audience)
    rounds, unresolved = _escalate(tables, complete, links, rounding, t)
    return Protected(
        tuple(_question(q, tab, rounding) for q, tab in zip(questions, tables, strict=False)),
        tuple(_number(n, tab, rounding) for n, tab in zip(numbers, tables[len(questions) :], strict=False)),
        tuple(
            _themes(b, tab, rounding)
            for b, tab in zip(themes, tables[len(questions) + len(numbers) :], strict=True)
        ),
        links,
        rounds,
        tuple(unresolved),
    )


def _tables(
    questions: Sequence[QuestionResult],
    numbers: Sequence[NumberResult],
    themes: Sequence[ThemeBlock],
    sensitive: frozenset[str],
    everything: bool,
    policy: DisclosurePolicy,
) -> list[_Table]:
    """One table per question (or rating item), number question and theme block, in that order."""
    tables = [
        _Table(
            "question",
            question_key(q.id, q.item),
            [r.code for r in q.rows],
            [r.count or 0 for r in q.rows],
            q.base or 0,
            q.type != "multiple",
            everything or q.id in sensitive,
        )
        for q in questions
    ]
    tables += [
        _Table(
            "number",
            f"number {n.id}",
            [b[0] for b in n.bands],
            [b[1] or 0 for b in n.bands],
            n.base or 0,
            True,
            everything or n.id in sensitive,
        )
        for n in numbers
    ]
    tables += [
        _Table(
            "themes",
            f"themes of {b.question}",
            [r.id for r in b.themes],
            [r.respondents or 0 for r in b.themes],
            b.answered or 0,
            False,
            everything or b.question in sensitive or any(r.id in policy.sensitive_themes for r in b.themes),
        )
        for b in themes
    ]
    return tables


def _escalate(
    tables: Sequence[_Table],
    complete: int,
    links: Sequence[Mapping[str, Any]],
    rounding: int | None,
    threshold: int,
) -> tuple[int, list[str]]:
    """Audit the whole output; hide one more linked count per pinned-down group until none is pinned."""
    names = _names(tables)
    unresolved: list[str] = []
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        system = report_system(_doc(tables, complete, links, rounding))
        if not system.hidden:
            break
        weak = [r for r in audit(system, threshold) if r.narrower_than(threshold)]
        if not weak:
            break
        changed = False
        touched: set[int] = set()  # one change per linked group per round: the rest may be stale
        for r in weak:
            if r.group in touched:
                continue
            target = _neighbour(system, r.name, names, tables)
            if target is None:
                unresolved.append(r.name)
                continue
            ti, j = target
            table = tables[ti]
            if j < 0:
                table.force_base = True
            else:
                table.force.add(j)
            table.protected = True
            table.reprotect(threshold, float(complete))
            touched.add(r.group)
            changed = True
        if not changed:
            break
    return rounds, unresolved


def _holds(link: Mapping[str, Any], tables: Sequence[_Table], complete: int) -> bool:
    """Whether a routing link is true of the report's own counts (each table has its own population, so a
    link the questionnaire suggests may not hold between two tables); only true links are published."""
    by_key = {t.key: t for t in tables}
    child = by_key.get(question_key(str(link["question"]), None))
    if child is None:
        return False
    if link.get("parent") is None:
        return child.base == complete
    parent = by_key.get(question_key(str(link["parent"]), None))
    if parent is None:
        return False
    total = sum(
        c for code, c in zip(parent.codes, parent.counts, strict=True) if code in link.get("codes", [])
    )
    return child.base == total if link.get("equal") else child.base <= total


def _theme_block(block: ThemeBlock, policy: DisclosurePolicy, shows_sensitive: bool) -> ThemeBlock:
    """Sensitive themes (domestic abuse ...) left out where sensitive topics are not shown."""
    if shows_sensitive:
        return block
    return replace(block, themes=tuple(r for r in block.themes if r.id not in policy.sensitive_themes))


def _names(tables: Sequence[_Table]) -> dict[str, tuple[int, int]]:
    out = {}
    for i, table in enumerate(tables):
        out[base_var(table.key)] = (i, -1)
        for j, code in enumerate(table.codes):
            out[cell_var(table.key, code)] = (i, j)
    return out


def _neighbour(
    system: System, name: str, names: Mapping[str, tuple[int, int]], tables: Sequence[_Table]
) -> tuple[int, int] | None:
    """The smallest shown count linked to `name` through published constraints.

    Searched through the constraints holding `name`, then those holding the hidden counts met on the
    way, so a count pinned through another table (a routed question's base) finds what pins it.
    """
    holding: dict[int, list[int]] = {}
    for r, (row, _, _) in enumerate(system.rows):
        for i in row:
            holding.setdefault(i, []).append(r)
    start = system.index[name]
    seen_vars, seen_rows = {start}, set()
    frontier = [start]
    best: tuple[int, tuple[int, int]] | None = None
    while frontier:
        following = []
        for v in frontier:
            for r in holding.get(v, []):
                if r in seen_rows:
                    continue
                seen_rows.add(r)
                for i in system.rows[r][0]:
                    if i in seen_vars:
                        continue
                    seen_vars.add(i)
                    where = names.get(system.names[i])
                    if i in system.hidden or where is None:
                        following.append(i)
                        continue
                    ti, j = where
                    table = tables[ti]
                    if (j < 0 and table.base_hidden) or (j >= 0 and table.hidden[j]):
                        following.append(i)
                        continue
                    value = table.base if j < 0 else table.counts[j]
                    rank = value if value > 0 else 10**9
                    if best is None or rank < best[0]:
                        best = (rank, where)
        frontier = following
    return best[1] if best is not None else None


def _round(value: int, base: int | None) -> int:
    return value if not base else int(base * round(value / base))


def _doc(
    tables: Sequence[_Table], complete: int, links: Sequence[Mapping[str, Any]], rounding: int | None
) -> dict[str, Any]:
    """The shown figures in the report JSON's shape (just the parts report_system reads)."""
    questions, numbers, themes = [], [], []
    for table in tables:
        base = None if table.base_hidden else _round(table.base, rounding)
        cells = [
            None if (h or table.base_hidden) else _round(c, rounding)
            for c, h in zip(table.counts, table.hidden, strict=True)
        ]
        shares = [
            None if c is None or not table.base else _share(table.counts[j], table.base, rounding)
            for j, c in enumerate(cells)
        ]
        if table.kind == "question":
            questions.append(
                {
                    "id": table.key.split(" ")[1],
                    "item": table.key.split(" item ")[1] if " item " in table.key else None,
                    "type": "single" if table.rows_add_up else "multiple",
                    "base": base,
                    "rows": [
                        {"code": code, "count": c, "share": s}
                        for code, c, s in zip(table.codes, cells, shares, strict=True)
                    ],
                }
            )
        elif table.kind == "number":
            numbers.append(
                {
                    "id": table.key.split(" ", 1)[1],
                    "base": base,
                    "bands": list(zip(table.codes, cells, shares, strict=True)),
                }
            )
        else:
            themes.append(
                {
                    "question": table.key.split(" of ", 1)[1],
                    "answered": base,
                    "themes": [
                        {"id": code, "respondents": c, "share": s}
                        for code, c, s in zip(table.codes, cells, shares, strict=True)
                    ],
                }
            )
    return {
        "headline": {"complete": complete},
        "questions": questions,
        "numbers": numbers,
        "themes": themes,
        "disclosure": {"links": list(links), "rounding": rounding, "share_decimals": 2 if rounding else None},
    }


def _share(count: int, base: int, rounding: int | None) -> float:
    return round(count / base, 2 if rounding else 4)


def _question(q: QuestionResult, table: _Table, rounding: int | None) -> QuestionResult:
    if not table.protected and not rounding:
        return q
    q = replace(q, paper_note="")  # counts of marked paper forms are small counts: internal outputs only
    digits = 2 if rounding else 4
    rows = []
    for row, hidden in zip(q.rows, table.hidden, strict=True):
        if hidden or table.base_hidden:
            rows.append(
                replace(
                    row,
                    count=None,
                    share=None,
                    low=None,
                    high=None,
                    weighted_share=None,
                    weighted_low=None,
                    weighted_high=None,
                    suppressed=HIDDEN,
                )
            )
        else:
            rows.append(
                replace(
                    row,
                    count=_round(row.count or 0, rounding) if row.count is not None else None,
                    share=_r(row.share, digits),
                    low=_r(row.low, digits),
                    high=_r(row.high, digits),
                    weighted_share=_r(row.weighted_share, digits),
                    weighted_low=_r(row.weighted_low, digits),
                    weighted_high=_r(row.weighted_high, digits),
                    suppressed=None,
                )
            )
    if table.base_hidden:
        return replace(
            q,
            base=None,
            base_note="hidden: too few respondents answered to show this question's figures",
            weighted_base=None,
            effective_n=None,
            rows=tuple(rows),
        )
    if rounding:
        return replace(
            q,
            base=_round(q.base or 0, rounding),
            base_note=f"about {_round(q.base or 0, rounding)} respondents "
            f"who answered (counts rounded to the nearest {rounding})",
            weighted_base=None,
            effective_n=None,
            rows=tuple(rows),
        )
    return replace(q, rows=tuple(rows))


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _number(n: NumberResult, table: _Table, rounding: int | None) -> NumberResult:
    if not table.protected and not rounding:
        return n
    bands = tuple(
        (label, None, None)
        if hidden or table.base_hidden
        else (label, _round(count or 0, rounding), _r(share, 2 if rounding else 4))
        for (label, count, share), hidden in zip(n.bands, table.hidden, strict=True)
    )
    if table.base_hidden:
        return replace(n, base=None, median=None, mean=None, bands=bands)
    return replace(n, base=_round(n.base or 0, rounding), bands=bands)


def _themes(block: ThemeBlock, table: _Table, rounding: int | None) -> ThemeBlock:
    if not table.protected and not rounding:
        return block
    rows = tuple(
        ThemeRow(r.id, r.label, None, None, ())
        if hidden or table.base_hidden
        else replace(
            r,
            respondents=_round(r.respondents or 0, rounding),
            share=_r(r.share, 2 if rounding else 4),
            staff=None if rounding else r.staff,  # exact parts would undo the rounding
            model=None if rounding else r.model,
        )
        for r, hidden in zip(block.themes, table.hidden, strict=True)
    )
    return replace(
        block,
        answered=None if table.base_hidden else _round(block.answered or 0, rounding),
        untagged=None,
        themes=rows,
    )


def protect_outline(
    progress: Sequence[DayCount],
    channels: Sequence[Tally],
    modes: Sequence[Tally],
    profile: Sequence[ProfileDimension],
    completions: Sequence[date],
    points: Sequence[date],
    *,
    policy: DisclosurePolicy,
    complete: int,
) -> tuple[tuple[DayCount, ...], tuple[Tally, ...], tuple[Tally, ...], tuple[ProfileDimension, ...]]:
    """Partner and public outputs: progress in release steps, small tallies hidden, profile without counts."""
    started_by_day = {d.day: d.started for d in progress}
    started_total = sum(t.started or 0 for t in channels) or complete
    out_days = []
    total = 0
    previous: date | None = None
    for point, count in steps(completions, points):
        total += count
        started = sum(
            v for day, v in started_by_day.items() if (previous is None or day > previous) and day <= point
        )
        out_days.append(DayCount(point, started, count, total))
        previous = point
    return (
        tuple(out_days),
        _protect_tallies(channels, policy.threshold, started_total),
        _protect_tallies(modes, policy.threshold, started_total),
        tuple(_profile_without_counts(d) for d in profile),
    )


def _protect_tallies(tallies: Sequence[Tally], threshold: int, complete: int) -> tuple[Tally, ...]:
    if not tallies:
        return ()
    started = [t.started or 0 for t in tallies]
    done = [t.complete or 0 for t in tallies]
    counts = [[c, s - c] for s, c in zip(started, done, strict=True)]
    result = protect(counts, started, threshold=threshold, rows_add_up=True, upper=complete)
    return tuple(
        Tally(
            t.name,
            None if result.bases[i] else t.started,
            None if (result.cells[i][0] or result.bases[i]) else t.complete,
        )
        for i, t in enumerate(tallies)
    )


def _profile_without_counts(dim: ProfileDimension) -> ProfileDimension:
    """Census comparison by flag and population share only: no respondent counts or shares per group."""
    return replace(
        dim,
        respondents=None,
        missing={},
        findings=(),
        rows=tuple(
            replace(
                r, respondents=None, sample_share=None, weighted_share=None, index=None, needed=0, channels=()
            )
            for r in dim.rows
        ),
    )
