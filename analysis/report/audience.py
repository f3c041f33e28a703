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

from analysis.disclosure.auditor import SOLVED, System, audit, feasible
from analysis.disclosure.policy import Audience, DisclosurePolicy
from analysis.disclosure.protect import HIDDEN, protect
from analysis.disclosure.release import steps
from analysis.disclosure.report_system import (
    base_var,
    cell_var,
    question_key,
    report_system,
)
from analysis.disclosure.routing import components, routing, sensitive_dependent
from analysis.report.model import (
    DayCount,
    NumberResult,
    OptionRow,
    ProfileDimension,
    QuestionResult,
    Report,
    Tally,
    ThemeBlock,
    ThemeRow,
)
from survey.engine import Questionnaire

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

    @property
    def question(self) -> str:
        """The id of the question the table is of."""
        if self.kind == "themes":
            return self.key.split(" of ", 1)[1]
        return self.key.split(" ")[1]

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


def protect_results(
    questionnaire: Questionnaire,
    questions: Sequence[QuestionResult],
    numbers: Sequence[NumberResult],
    themes: Sequence[ThemeBlock],
    *,
    complete: int,
    policy: DisclosurePolicy,
    audience: Audience,
) -> Protected:
    """The tables (built with every count shown) as `audience` may see them."""
    sensitive = questionnaire.sensitive_question_ids
    shows_sensitive = policy.shows_sensitive(audience)
    # where sensitive sections are left out, so is every question asked because of a sensitive answer:
    # its base would count the people who gave it
    left_out = frozenset() if shows_sensitive else sensitive_dependent(questionnaire)
    everything = audience.protected
    t = policy.threshold
    questions = [q for q in questions if q.id not in left_out]
    numbers = [n for n in numbers if n.id not in left_out]
    themes = [_theme_block(b, policy, shows_sensitive) for b in themes if b.question not in left_out]
    tables = _tables(questions, numbers, themes, sensitive, everything, policy)
    upper = float(complete)
    route = routing(questionnaire)
    shown_ids = {q.id for q in questions} | {n.id for n in numbers}
    candidates = [link for link in route.links if link["question"] in shown_ids]
    links = [link for link in candidates if link.get("condition") is None and _holds(link, tables, complete)]
    by_atoms, untrue = _true_atom_links(
        [link for link in candidates if link.get("condition") is not None], tables, complete
    )
    links += by_atoms
    unmodelled = set(route.unmodelled) | untrue
    for table in tables:
        if table.protected and table.question in unmodelled:
            # routing the auditor cannot follow: nothing of the table is shown (safe by construction)
            table.force = set(range(len(table.counts)))
            table.force_base = True
        if table.protected:
            table.reprotect(t, upper)
    rounding = policy.rounding_for(audience)
    rounds, unresolved = _escalate(tables, complete, links, rounding, t)
    return Protected(
        tuple(_question(q, tab, rounding) for q, tab in zip(questions, tables, strict=False)),
        tuple(_number(n, tab, rounding) for n, tab in zip(numbers, tables[len(questions) :], strict=False)),
        tuple(
            _themes(b, tab, rounding)
            for b, tab in zip(themes, tables[len(questions) + len(numbers) :], strict=True)
        ),
        tuple(links),
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
    memo = SOLVED  # groups of tables this round (or an earlier build) left alone are not solved again
    while rounds < MAX_ROUNDS:
        rounds += 1
        system = report_system(_doc(tables, complete, links, rounding))
        if not system.hidden:
            break
        weak = [r for r in audit(system, threshold, memo=memo) if r.narrower_than(threshold)]
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


def _true_atom_links(
    links: Sequence[dict[str, Any]], tables: Sequence[_Table], complete: int
) -> tuple[list[dict[str, Any]], set[str]]:
    """Links by atoms that hold of the report's full counts (each group checked: some non-negative
    integer atoms fit every count); the questions of a group that does not are returned apart."""
    kept: list[dict[str, Any]] = []
    untrue: set[str] = set()
    full = [replace(t, base_hidden=False) for t in tables]  # every count shown
    for group in components(links):
        if feasible(report_system(_doc(full, complete, group, None))):
            kept += group
        else:
            untrue |= {str(link["question"]) for link in group}
    return kept, untrue


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


WEIGHTED_DIGITS = 2  # weighted shares in partner and public outputs: whole percentages


def weighted_withheld(
    report: Report, questionnaire: Questionnaire, true_profile: Sequence[ProfileDimension], threshold: int
) -> list[str]:
    """Why a partner or public output may show no weighted figure at all ([] when it may show them).

    Weighted figures tell a reader who knows every weight at most, for each table shown whole, how many
    of each answer's respondents fall in each weighting cell (age, sex, tenure group), and the counts of
    the weighting cells themselves. Those touch no hidden count when (docs/disclosure-control.md,
    "Weighted shares"): every table of a weighting question is shown whole, every table routed through
    atoms on a weighting question too, and no weighting group has 1 to threshold-1 respondents.
    """
    w = report.weighting
    if not w.applied:
        return []
    weighting_questions = {m.question for m in questionnaire.demographics if m.dimension in w.margins}
    routed = {
        str(link["question"])
        for link in (report.disclosure or {}).get("links", [])
        if link.get("condition") is not None
        and any(p.get("question") in weighting_questions for p in link.get("parents", []))
    }
    why = []
    for q in report.questions:
        whole = q.base is not None and all(r.count is not None for r in q.rows)
        if not whole and q.id in weighting_questions:
            why.append(f"the table of {q.id}, a weighting question, has hidden counts")
        elif not whole and q.id in routed:
            why.append(f"the table of {q.id}, routed on a weighting question, has hidden counts")
    for n in report.numbers:
        if n.id in weighting_questions and (n.base is None or any(b[1] is None for b in n.bands)):
            why.append(f"the bands of {n.id}, a weighting question, have hidden counts")
    for d in true_profile:
        if d.dimension in w.margins and any(0 < (r.respondents or 0) < threshold for r in d.rows):
            why.append(f"a weighting group of {d.dimension} has fewer than {threshold} respondents")
    return why


def protect_weighted(report: Report, why: Sequence[str]) -> Report:
    """Weighted figures as a partner or public output may show them (see weighted_withheld).

    With reasons: none at all (shares, intervals, weighted bases, and the weights' range, design effect
    and effective sample size, which are functions of the same weights). Otherwise only in tables shown
    whole (a hidden count's row, and every other row of its table, shows none), as whole percentages.
    """
    if not report.weighting.applied:
        return report
    if why:
        questions = tuple(_unweighted(q) for q in report.questions)
        weighting = replace(
            report.weighting,
            applied=False,
            respondents=None,
            effective_n=0.0,
            efficiency=None,
            deff=None,
            min_weight=None,
            max_weight=None,
            messages=(
                "The respondents were weighted to the census, but this output shows no weighted figures: "
                "with hidden counts among the weighting questions, weighted shares could narrow them "
                "(see the disclosure control section).",
            ),
        )
        return replace(report, questions=questions, weighting=weighting)
    questions = tuple(
        _unweighted(q)
        if q.base is None or any(r.count is None for r in q.rows)
        else replace(
            q,
            weighted_base=None if q.weighted_base is None else float(round(q.weighted_base)),
            effective_n=None if q.effective_n is None else float(round(q.effective_n)),
            rows=tuple(
                replace(
                    r,
                    weighted_share=_r(r.weighted_share, WEIGHTED_DIGITS),
                    weighted_low=_r(r.weighted_low, WEIGHTED_DIGITS),
                    weighted_high=_r(r.weighted_high, WEIGHTED_DIGITS),
                )
                for r in q.rows
            ),
        )
        for q in report.questions
    )
    return replace(report, questions=questions)


def _unweighted(q: QuestionResult) -> QuestionResult:
    rows: tuple[OptionRow, ...] = tuple(
        replace(r, weighted_share=None, weighted_low=None, weighted_high=None) for r in q.rows
    )
    return replace(q, weighted_base=None, effective_n=None, rows=rows)
