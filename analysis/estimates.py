"""Shares for closed questions, unweighted and weighted, with design-effect-aware 95% intervals."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.mapping import NOT_ANSWERED, map_dimension, usable
from analysis.suppression import suppress
from analysis.weighting import kish
from survey.engine import DemographicMapping, Option, Question, Questionnaire, Text
from survey.engine.text import localise

Response = Mapping[str, Any]
CLOSED = ("single", "multiple", "rating", "grid", "ranking")
ITEMISED = ("rating", "grid", "ranking")  # one table per item
Z95 = 1.959963984540054
MIN_EFFECTIVE_N = 50
NOT_STATED_GROUP = "Not stated"


@dataclass(frozen=True)
class Interval:
    """A share with its confidence interval (fractions)."""

    share: float
    low: float
    high: float


@dataclass(frozen=True)
class Share:
    """One answer option: how many chose it and the unweighted and weighted shares of those who answered."""

    code: str
    label: str
    kind: str  # answer, prefer_not_to_say, dont_know, none
    count: int
    unweighted: Interval
    weighted: Interval | None  # None without weights, or when no weighted respondent answered


@dataclass(frozen=True)
class QuestionEstimate:
    """Shares for one closed question (or one item of a rating question)."""

    question: str
    item: str | None
    text: str
    type: str
    base: int  # respondents who answered (unweighted)
    weighted_base: float  # sum of weights of weighted respondents who answered
    effective_n: float  # Kish effective sample size of those weights
    low_effective_n: bool  # effective_n below MIN_EFFECTIVE_N: treat weighted shares with caution
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class Cell:
    """A breakdown cell: None values when suppressed (see `suppressed`)."""

    count: int | None
    share: float | None
    weighted_share: float | None
    suppressed: str | None  # None or "suppressed" (never which hidden cells are the small ones)


@dataclass(frozen=True)
class BreakdownRow:
    """One demographic group's answers."""

    group: str
    base: int | None
    effective_n: float | None
    low_effective_n: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Breakdown:
    """A closed question broken down by a demographic dimension, small cells suppressed."""

    question: str
    item: str | None
    dimension: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]
    min_cell: int


def wilson(successes: float, n: float, z: float = Z95) -> Interval:
    """Wilson score interval for successes out of n (n may be an effective sample size)."""
    if n <= 0:
        return Interval(0.0, 0.0, 0.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def closed_questions(questionnaire: Questionnaire) -> Iterator[Question]:
    """Single, multiple, rating, grid and ranking questions in questionnaire order."""
    for question in questionnaire.questions:
        if question.type in CLOSED:
            yield question


def estimate_questions(
    responses: Sequence[Response],
    questionnaire: Questionnaire,
    weights: Mapping[Any, float] | None = None,
    *,
    include_incomplete: bool = False,
) -> tuple[QuestionEstimate, ...]:
    """Estimates for every closed question (each rating item separately), shares of those who answered.

    Unweighted shares use every usable response; weighted shares use respondents that have a weight
    (the population), with the interval computed on their Kish effective sample size.
    """
    rows = usable(responses, include_incomplete)
    out = []
    for question in closed_questions(questionnaire):
        for item in _items(question):
            out.append(estimate(rows, questionnaire, question, item, weights))
    return tuple(out)


def estimate(
    responses: Sequence[Response],
    questionnaire: Questionnaire,
    question: Question,
    item: str | None = None,
    weights: Mapping[Any, float] | None = None,
) -> QuestionEstimate:
    """Estimate one question (or rating item) from the given responses."""
    lang = questionnaire.language
    options = question_options(question)
    chosen = [_chosen(r, question, item) for r in responses]
    answered = [(r, c) for r, c in zip(responses, chosen, strict=True) if c]
    w = [(weights.get(r.get("id")) if weights is not None else None) for r, _ in answered]
    weighted = [(c, float(x)) for (_, c), x in zip(answered, w, strict=True) if x is not None]
    w_total = sum(x for _, x in weighted)
    w_sq_total = sum(x * x for _, x in weighted)
    n_weighted = sum(1 for r in responses if weights is not None and weights.get(r.get("id")) is not None)
    _, ess, _ = kish([x for _, x in weighted]) if weighted else (0.0, 0.0, 0.0)
    shares = []
    for opt in options:
        code = opt.code
        count = sum(code in c for _, c in answered)
        w_in = sum(x for c, x in weighted if code in c)
        w_sq_in = sum(x * x for c, x in weighted if code in c)
        shares.append(
            Share(
                code,
                localise(opt.label, lang),
                opt.kind,
                count,
                wilson(count, len(answered)),
                linearised_interval(w_in, w_sq_in, w_total, w_sq_total, n_weighted, ess)
                if weights is not None and w_total > 0
                else None,
            )
        )
    return QuestionEstimate(
        question.id,
        item,
        question_text(question, item, lang),
        question.type,
        len(answered),
        w_total,
        ess,
        weights is not None and ess < MIN_EFFECTIVE_N,
        tuple(shares),
    )


def breakdown(
    responses: Sequence[Response],
    questionnaire: Questionnaire,
    question_id: str,
    mapping: DemographicMapping,
    weights: Mapping[Any, float] | None = None,
    *,
    item: str | None = None,
    min_cell: int = 10,
    include_incomplete: bool = False,
) -> Breakdown:
    """A closed question by demographic group (from a mapping), with primary and secondary suppression."""
    rows = usable(responses, include_incomplete)
    question = questionnaire.question(question_id) if questionnaire.has_question(question_id) else None
    if question is None or question.type not in CLOSED:
        raise KeyError(f"no closed (single, multiple or rating) question {question_id!r}")
    mapped = map_dimension(rows, mapping)
    groups = _group_order(mapping)
    codes = tuple(o.code for o in question_options(question))
    members: dict[str, list[tuple[frozenset[str], float | None]]] = {g: [] for g in groups}
    for resp, cat, reason in zip(rows, mapped.categories, mapped.reasons, strict=True):
        chosen = _chosen(resp, question, item)
        if chosen:
            group = cat if cat in members else NOT_STATED_GROUP
            if reason == NOT_ANSWERED or cat is None or cat in members:
                members[group].append((chosen, weights.get(resp.get("id")) if weights is not None else None))
    counts = [[sum(c in chosen for chosen, _ in members[g]) for c in codes] for g in groups]
    bases = [len(members[g]) for g in groups]
    mask = suppress(counts, bases, min_cell=min_cell, rows_add_up=question.type != "multiple")
    out_rows = [
        _breakdown_row(g, members[g], codes, counts[i], mask.cells[i], mask.bases[i], weights is not None)
        for i, g in enumerate(groups)
    ]
    labels = tuple(localise(o.label, questionnaire.language) for o in question_options(question))
    return Breakdown(question_id, item, mapping.dimension, codes, labels, tuple(out_rows), min_cell)


def _breakdown_row(
    group: str,
    members: list[tuple[frozenset[str], float | None]],
    codes: tuple[str, ...],
    counts: list[int],
    cell_mask: tuple[str | None, ...],
    base_mask: str | None,
    weighted: bool,
) -> BreakdownRow:
    ws = [x for _, x in members if x is not None]
    w_total = sum(ws)
    _, ess, _ = kish(ws) if ws else (0.0, 0.0, 0.0)
    cells = []
    for code, count, hidden in zip(codes, counts, cell_mask, strict=True):
        if hidden is not None:
            cells.append(Cell(None, None, None, hidden))
            continue
        w_in = sum(x for chosen, x in members if x is not None and code in chosen)
        cells.append(
            Cell(
                count,
                count / len(members) if members else None,
                w_in / w_total if weighted and w_total > 0 else None,
                None,
            )
        )
    shown = base_mask is None
    return BreakdownRow(
        group,
        len(members) if shown else None,
        ess if weighted and shown else None,
        weighted and ess < MIN_EFFECTIVE_N,
        tuple(cells),
    )


def linearised_variance(w_in: float, w_sq_in: float, w_total: float, w_sq_total: float, n: int) -> float:
    """Taylor-linearised variance of the weighted share p = w_in / w_total (a ratio estimator).

    Each respondent's influence is z_i = w_i (y_i - p) / w_total (zero outside the domain, so routed
    sub-questions are domain estimates of the whole weighted sample); with y binary,
    sum z_i^2 = (w_sq_in (1 - 2p) + p^2 w_sq_total) / w_total^2, and the z_i sum to zero, so the
    with-replacement variance is n / (n - 1) * sum z_i^2 (n: weighted respondents in the sample).
    """
    if w_total <= 0 or n < 2:
        return 0.0
    p = w_in / w_total
    total = (w_sq_in * (1 - 2 * p) + p * p * w_sq_total) / (w_total * w_total)
    return max(0.0, n / (n - 1) * total)


def linearised_interval(
    w_in: float, w_sq_in: float, w_total: float, w_sq_total: float, n: int, ess: float
) -> Interval:
    """Weighted share with a Wilson interval on the sample size its linearised variance implies.

    n* = p(1 - p) / var (the design-effect-adjusted base of this very share); at p = 0 or 1 the
    variance is 0 and the Kish effective sample size `ess` stands in.
    """
    p = w_in / w_total
    var = linearised_variance(w_in, w_sq_in, w_total, w_sq_total, n)
    n_star = p * (1 - p) / var if var > 0 and 0 < p < 1 else ess
    interval = wilson(p * n_star, n_star)
    return Interval(p, interval.low, interval.high)


def _items(question: Question) -> list[str | None]:
    if question.type in ITEMISED:
        return [i.id for i in question.items]
    return [None]


def question_options(question: Question) -> tuple[Option, ...]:
    """The codes a table counts: options, a rating's scale, or a ranking's ranks ("1", "2", ...)."""
    if question.type == "ranking":
        items = question.items
        count = min(int(question.rank_count or len(items)), len(items))
        return tuple(Option(str(r), Text.of(f"Ranked {r}", "en")) for r in range(1, count + 1))
    return question.options


def question_text(question: Question, item: str | None, lang: str) -> str:
    """A table's title: the question's text, with " – " and the item's text for one item of a set."""
    text = localise(question.text, lang)
    if item is not None:
        found = question.item(item)
        text += " – " + localise(found.text if found is not None else item, lang)
    return text


def _chosen(response: Response, question: Question, item: str | None) -> frozenset[str]:
    """The option codes a response chose for a question (or rating item); empty when not answered."""
    answer = (response.get("answers") or {}).get(question.id)
    if item is not None:
        answer = answer.get(item) if isinstance(answer, Mapping) else None
    if isinstance(answer, list):
        return frozenset(str(a) for a in answer)
    return frozenset() if answer in (None, "") else frozenset([str(answer)])


def category_order(mapping: DemographicMapping) -> list[str]:
    """A mapping's categories in the order it names them, each once (the reference's order for the shipped
    files); not the null of "not stated" (`"category": null`: those respondents are not stated)."""
    if mapping.ranges:
        found = [r.category for r in mapping.ranges if r.category]
    else:
        found = [c for _, c in mapping.map if c is not None]
    return list(dict.fromkeys(found))


def _group_order(mapping: DemographicMapping) -> list[str]:
    """Categories of a mapping in order of first appearance, then "Not stated"."""
    return [*category_order(mapping), NOT_STATED_GROUP]
