"""Headline figures, group comparisons, change since the interim and the key findings chosen by rule.

A questionnaire names its headline questions (`"headline": true`) and their net figures (`"net": [{"codes":
[...], "label": ...}]`, e.g. fairly + very concerned). From those:

- figures: each net of each question that has one (every rating item separately), as a weighted share of
  the population with a linearised 95% interval (unweighted when no weights);
- group comparisons: each figure by each demographic dimension and by channel, Rao–Scott adjusted
  chi-square on the weighted table (group x chose / did not), Benjamini–Hochberg across all of them;
- change since the interim: each headline figure among responses completed by the interim date against
  those completed after it (disjoint sets of respondents, so independent), BH across the headline figures;
- key findings are chosen from these by rule in analysis.report.keyfindings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from analysis.design import benjamini_hochberg, domain_difference_p, rao_scott
from analysis.estimates import Interval, category_order, linearised_interval, wilson
from analysis.mapping import map_dimension, usable
from analysis.reference import Reference, phrases
from analysis.report.appendix import numbering
from analysis.report.profile import TITLES
from analysis.report.words import Words, words
from survey.engine import DemographicMapping, Question, Questionnaire
from survey.engine.catalogue import N_
from survey.engine.model import Net
from survey.engine.text import localise

SMALL_BASE = 30  # unweighted bases below this are flagged ("treat with caution")
MIN_GROUP = 10  # groups smaller than this are left out of a test (too small to judge)
CHANNEL = "channel"
DIRECT = N_("Direct link or no channel")


@dataclass(frozen=True)
class Figure:
    """A net figure of one question (or rating item) for the population."""

    id: str  # question[.item]#net index: stable across reports
    question: str
    item: str | None
    number: str
    label: str  # "are fairly or very concerned about burglary"
    headline: bool
    estimate: float
    low: float
    high: float
    weighted: bool
    base: int  # unweighted respondents who answered
    source: str  # the anchor of its table in the HTML report
    source_title: str


@dataclass(frozen=True)
class GroupShare:
    """One group's share of a figure."""

    group: str
    base: int
    share: float
    low: float
    high: float
    small: bool  # unweighted base below SMALL_BASE
    among: str = ""  # the group in a sentence: "among women", "among people aged 16 to 24"


@dataclass(frozen=True)
class GroupTest:
    """A figure by one dimension with its Rao–Scott test (after Benjamini–Hochberg)."""

    figure: str
    dimension: str
    title: str
    groups: tuple[GroupShare, ...]
    statistic: float
    df: float
    mean_deff: float
    p_value: float
    p_adjusted: float
    significant: bool
    words: str
    anchor: str


@dataclass(frozen=True)
class PeriodChange:
    """A headline figure among responses completed by the interim date and among later ones."""

    figure: str
    label: str
    before: float
    after: float
    base_before: int
    base_after: int
    points: float
    p_value: float
    p_adjusted: float
    significant: bool
    before_low: float | None = None  # 95% intervals of each period's share (linearised when weighted)
    before_high: float | None = None
    after_low: float | None = None
    after_high: float | None = None


def figure_values(
    rows: Sequence[Mapping[str, Any]], question: Question, item: str | None, codes: Sequence[str]
) -> list[int | None]:
    """1 if a response chose any of `codes`, 0 if it answered otherwise, None if it did not answer."""
    qid = question.id
    out: list[int | None] = []
    wanted = {str(c) for c in codes}
    for r in rows:
        answer = (r.get("answers") or {}).get(qid)
        if item is not None:
            answer = answer.get(item) if isinstance(answer, Mapping) else None
        if isinstance(answer, list):
            out.append(int(any(str(a) in wanted for a in answer)) if answer else None)
        else:
            out.append(int(str(answer) in wanted) if answer else None)
    return out


def share_interval(
    values: Sequence[int] | np.ndarray, weights: Sequence[float] | np.ndarray | None
) -> Interval:
    """Share of ones, weighted with a linearised interval (or Wilson when unweighted)."""
    y = np.asarray(values, dtype=float)
    if weights is None:
        return wilson(float(y.sum()), len(y))
    w = np.asarray(weights, dtype=float)
    total, w_sq = float(w.sum()), float((w * w).sum())
    ess = total * total / w_sq if w_sq > 0 else 0.0
    return linearised_interval(float((w * y).sum()), float((w * w * y).sum()), total, w_sq, len(w), ess)


def population_rows(
    rows: Sequence[Mapping[str, Any]], inside: Mapping[Any, bool] | None
) -> list[Mapping[str, Any]]:
    """Complete responses in the population."""
    return [r for r in usable(rows) if inside is None or inside.get(r.get("id"), False)]


def _net_label(net: Net, item_text: str | None, lang: str) -> str:
    label = localise(net.label, lang)
    if item_text is None:
        return label
    item_text = item_text[:1].lower() + item_text[1:] if not item_text[:2].isupper() else item_text
    if "{item}" in label:
        return label.replace("{item}", item_text)
    return f"{label} ({item_text})"


NetRow = tuple[Question, str | None, str | None, int, Net]


def _nets(questionnaire: Questionnaire) -> list[NetRow]:
    """(question, item, item text, net index, net) for every net of every question."""
    lang = questionnaire.language
    out = []
    for question in questionnaire.questions:
        items: list[tuple[str | None, str | None]] = (
            [(i.id, localise(i.text, lang)) for i in question.items]
            if question.type == "rating"
            else [(None, None)]
        )
        for k, net in enumerate(question.nets):
            for item, item_text in items:
                out.append((question, item, item_text, k, net))
    return out


def table_anchor(qid: str, item: str | None) -> str:
    """The id of a question's (or rating item's) table in the HTML report."""
    return f"table-{qid}" + (f"-{item}" if item else "")


def figures(
    rows: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    weights: Mapping[Any, float] | None,
    inside: Mapping[Any, bool] | None,
    keep: dict[str, np.ndarray] | None = None,
) -> tuple[Figure, ...]:
    """Every net figure of the questionnaire for the population (weighted when weights are given).

    `keep`: filled with each figure's respondent values (1, 0, -1 not answered), for `group_tests`."""
    lang = questionnaire.language
    numbers = numbering(questionnaire)
    people = population_rows(rows, inside)
    if weights is not None:
        people = [r for r in people if weights.get(r.get("id")) is not None]
    all_w = np.array([float(weights[r.get("id")]) for r in people]) if weights is not None else None
    out = []
    for question, item, item_text, k, net in _nets(questionnaire):
        qid = question.id
        found = figure_values(people, question, item, net.codes)
        values = np.fromiter((-1 if x is None else x for x in found), dtype=np.int64, count=len(found))
        answered = values >= 0
        if not answered.any():
            continue
        if keep is not None:
            keep[f"{qid}{'.' + item if item else ''}#{k}"] = values
        ys = values[answered]
        ws = all_w[answered] if all_w is not None else None
        est = share_interval(ys, ws)
        title = f"{numbers.get(qid, '')} {localise(question.text, lang)}".strip()
        if item_text:
            title += f" – {item_text}"
        out.append(
            Figure(
                id=f"{qid}{'.' + item if item else ''}#{k}",
                question=qid,
                item=item,
                number=numbers.get(qid, ""),
                label=_net_label(net, item_text, lang),
                headline=question.headline,
                estimate=round(est.share, 4),
                low=round(est.low, 4),
                high=round(est.high, 4),
                weighted=ws is not None,
                base=int(answered.sum()),
                source=table_anchor(qid, item),
                source_title=title,
            )
        )
    return tuple(out)


def dimensions(questionnaire: Questionnaire) -> list[tuple[str, str, DemographicMapping | None]]:
    """(dimension, title, mapping) for the first mapping of each demographic question, then channel; the
    titles in the questionnaire's (the report's) language."""
    _ = words(questionnaire.language).gettext
    seen: set[str] = set()
    out: list[tuple[str, str, DemographicMapping | None]] = []
    for mapping in questionnaire.demographics:
        question = mapping.question
        if question in seen:
            continue
        seen.add(question)
        dim = mapping.dimension
        title = TITLES.get(dim, question.replace("_", " ").capitalize()).replace(" (grouped)", "")
        out.append((dim, _(title), mapping))
    out.append((CHANNEL, _("Channel"), None))
    return out


@dataclass(frozen=True)
class Grouping:
    """Respondents split on one dimension: group names in reading order, each one's phrase, and each
    respondent's group index (-1: not known)."""

    dimension: str
    title: str
    groups: tuple[str, ...]
    among: tuple[str, ...]
    codes: np.ndarray


def _groupings(
    people: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    channel_names: Mapping[str, str] | None,
    reference: Reference | None = None,
) -> list[Grouping]:
    """Every dimension compared: census categories in the mapping's order (phrases from the reference
    file where it has them, else analysis.reference.phrases), then channels (direct link first)."""
    out = []
    names = channel_names or {}
    said = words(questionnaire.language)
    direct = said.gettext(DIRECT)
    for dim, title, mapping in dimensions(questionnaire):
        if mapping is not None:
            cats: list[str | None] = list(map_dimension(people, mapping).categories)
            seen = {c for c in cats if c is not None}
            order = [c for c in category_order(mapping) if c in seen]
            order += sorted(seen - set(order))
            given = _reference_phrases(reference, dim)
            among = [phrases.among(dim, c, given.get(c), said) for c in order]
        else:
            codes_of: dict[str, str] = {}
            cats = []
            for r in people:
                code = str(r.get(CHANNEL) or "")
                name = names.get(code, code) if code else direct
                codes_of.setdefault(name, code)
                cats.append(name)
            order = sorted({c for c in cats if c is not None}, key=lambda c: (c != direct, c.lower()))
            among = [
                phrases.among_people(phrases.channel_people(c, codes_of.get(c), said), said) for c in order
            ]
        index = {g: i for i, g in enumerate(order)}
        codes = np.fromiter(
            (index[c] if c is not None else -1 for c in cats), dtype=np.int64, count=len(cats)
        )
        out.append(Grouping(dim, title, tuple(order), tuple(among), codes))
    return out


def _reference_phrases(reference: Reference | None, dimension: str) -> dict[str, str]:
    """The reference file's phrases for a dimension's categories (none when it lacks the dimension)."""
    if reference is None or dimension not in reference.names:
        return {}
    return reference.dimension(dimension).phrases


def _compare(
    values: np.ndarray,
    groups: np.ndarray,
    order: Sequence[str],
    weights: np.ndarray | None,
    among: Sequence[str] = (),
) -> tuple[list[GroupShare], Any]:
    """Shares per group (linearised intervals when weighted) and the Rao–Scott test over the groups of at
    least MIN_GROUP respondents; `values` 1/0/-1 (not answered), `groups` index or -1 per respondent."""
    keep = (values >= 0) & (groups >= 0)
    v, g = values[keep].astype(float), groups[keep]
    w = weights[keep] if weights is not None else np.ones(v.shape)
    k = len(order)
    n = np.bincount(g, minlength=k)
    total = np.bincount(g, weights=w, minlength=k)
    w_in = np.bincount(g, weights=w * v, minlength=k)
    w_sq = np.bincount(g, weights=w * w, minlength=k)
    w_sq_in = np.bincount(g, weights=w * w * v, minlength=k)
    shares = []
    for i, name in enumerate(order):
        if n[i] == 0:
            continue
        if weights is None:
            est = wilson(float(w_in[i]), float(n[i]))
        else:
            ess = float(total[i] ** 2 / w_sq[i]) if w_sq[i] > 0 else 0.0
            est = linearised_interval(
                float(w_in[i]), float(w_sq_in[i]), float(total[i]), float(w_sq[i]), int(n[i]), ess
            )
        shares.append(
            GroupShare(
                name,
                int(n[i]),
                round(est.share, 4),
                round(est.low, 4),
                round(est.high, 4),
                bool(n[i] < SMALL_BASE),
                among[i] if i < len(among) else f"among {phrases.fallback(name)}",
            )
        )
    tested = np.flatnonzero(n >= MIN_GROUP)
    if len(tested) < 2:
        return shares, None
    inside = np.isin(g, tested)
    return shares, rao_scott(g[inside], v[inside].astype(int), w[inside] if weights is not None else None)


def group_tests(
    rows: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    figs: Sequence[Figure],
    weights: Mapping[Any, float] | None,
    inside: Mapping[Any, bool] | None,
    channel_names: Mapping[str, str] | None = None,
    reference: Reference | None = None,
    kept: Mapping[str, np.ndarray] | None = None,
) -> tuple[GroupTest, ...]:
    """Each headline figure by each dimension: shares per group and Rao–Scott tests, BH across all;
    `reference` gives the groups' phrases where its file has them (analysis.reference.phrases).

    `kept`: the figures' values as `figures(..., keep=)` left them (same rows, so not read again)."""
    said = words(questionnaire.language)
    people = population_rows(rows, inside)
    if weights is not None:
        people = [r for r in people if weights.get(r.get("id")) is not None]
    ws = np.array([float(weights[r.get("id")]) for r in people]) if weights is not None else None
    nets = {f"{q.id}{'.' + i if i else ''}#{k}": (q, i, n) for q, i, _, k, n in _nets(questionnaire)}
    groupings = _groupings(people, questionnaire, channel_names, reference)
    raw: list[tuple[Figure, str, str, list[GroupShare], Any]] = []
    for fig in figs:
        if not fig.headline or fig.id not in nets:
            continue
        question, item, net = nets[fig.id]
        values = (kept or {}).get(fig.id)
        if values is None:
            found = figure_values(people, question, item, net.codes)
            values = np.fromiter((-1 if x is None else x for x in found), dtype=np.int64, count=len(found))
        for grouping in groupings:
            shares, result = _compare(values, grouping.codes, grouping.groups, ws, grouping.among)
            if result is not None:
                raw.append((fig, grouping.dimension, grouping.title, shares, result))
    adjusted, significant = benjamini_hochberg([x[4].p_value for x in raw])
    return tuple(
        GroupTest(
            figure=fig.id,
            dimension=dim,
            title=title,
            groups=tuple(shares),
            statistic=round(result.statistic, 2),
            df=round(result.df, 2),
            mean_deff=round(result.mean_deff, 2),
            p_value=result.p_value,
            p_adjusted=p_adj,
            significant=sig,
            words=_difference_words(fig, title, shares, sig, said),
            anchor=_group_anchor(fig, dim),
        )
        for (fig, dim, title, shares, result), p_adj, sig in zip(raw, adjusted, significant, strict=True)
    )


def _group_anchor(fig: Figure, dimension: str) -> str:
    """The HTML id of a figure's table by a dimension: a question's second and later nets (Q20's cannabis
    after alcohol) get their number, so no two tables share an id or a link."""
    net = int(fig.id.rpartition("#")[2] or 0)
    suffix = f"-net{net + 1}" if net else ""
    return f"groups-{fig.source.removeprefix('table-')}{suffix}-{dimension}".replace("_", "-")


def extremes(shares: Sequence[GroupShare]) -> tuple[GroupShare, GroupShare]:
    """The highest and lowest groups, leaving out groups with small bases unless fewer than two are left
    (then the highest and lowest of all: never one group "against" itself)."""
    judged = [s for s in shares if not s.small]
    if len(judged) < 2:
        judged = list(shares)
    return max(judged, key=lambda s: s.share), min(judged, key=lambda s: s.share)


def _difference_words(
    fig: Figure, title: str, shares: Sequence[GroupShare], significant: bool, said: Words | None = None
) -> str:
    said = said or words(None)
    _ = said.gettext
    if not significant:
        return _("No clear difference by %(dimension)s.", dimension=title.lower())
    hi, lo = extremes(shares)
    return _(
        "Differs by %(dimension)s: highest %(high_among)s (%(high)s), lowest %(low_among)s (%(low)s).",
        dimension=title.lower(),
        high_among=hi.among,
        high=said.pct(hi.share),
        low_among=lo.among,
        low=said.pct(lo.share),
    )


def period_changes(
    rows: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    figs: Sequence[Figure],
    weights: Mapping[Any, float] | None,
    inside: Mapping[Any, bool] | None,
    interim_day: date,
) -> tuple[PeriodChange, ...]:
    """Headline figures among responses completed by `interim_day` against those completed after it."""
    people = population_rows(rows, inside)
    if weights is not None:
        people = [r for r in people if weights.get(r.get("id")) is not None]
    later = [_completed(r) is not None and _completed(r) > interim_day for r in people]  # type: ignore[operator]
    nets = {f"{q.id}{'.' + i if i else ''}#{k}": (q, i, n) for q, i, _, k, n in _nets(questionnaire)}
    raw = []
    for fig in figs:
        if not fig.headline:
            continue
        question, item, net = nets[fig.id]
        values = figure_values(people, question, item, net.codes)
        keep = [i for i, v in enumerate(values) if v is not None]
        ys = [values[i] or 0 for i in keep]
        after = [later[i] for i in keep]
        before = [not x for x in after]
        if sum(after) < 2 or sum(before) < 2:
            continue
        ws = [float(weights[people[i].get("id")]) for i in keep] if weights is not None else None
        p_before, p_after, p_value = domain_difference_p(ys, before, after, ws)
        ends = [_period_interval(ys, ws, part) for part in (before, after)]
        raw.append((fig, p_before, p_after, sum(before), sum(after), p_value, ends))
    adjusted, significant = benjamini_hochberg([x[5] for x in raw])
    return tuple(
        PeriodChange(
            figure=fig.id,
            label=fig.label,
            before=round(b, 4),
            after=round(a, 4),
            base_before=nb,
            base_after=na,
            points=round(100 * (a - b), 1),
            p_value=p,
            p_adjusted=pa,
            significant=sig,
            before_low=ends[0][0],
            before_high=ends[0][1],
            after_low=ends[1][0],
            after_high=ends[1][1],
        )
        for (fig, b, a, nb, na, p, ends), pa, sig in zip(raw, adjusted, significant, strict=True)
    )


def _period_interval(
    ys: Sequence[int], ws: Sequence[float] | None, part: Sequence[bool]
) -> tuple[float, float]:
    """The 95% interval of one period's share (its respondents only: the periods are independent)."""
    pick = np.asarray(part, dtype=bool)
    est = share_interval(
        np.asarray(ys, dtype=float)[pick], None if ws is None else np.asarray(ws, dtype=float)[pick]
    )
    return round(est.low, 4), round(est.high, 4)


def _completed(r: Mapping[str, Any]) -> date | None:
    value = r.get("completed_on")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def pct(value: float) -> str:
    """A share as a whole percentage: 0.314 -> '31%'."""
    return f"{100 * value:.0f}%"


def isfinite(value: float | None) -> bool:
    """True for a real number (not None, NaN or infinite)."""
    return value is not None and math.isfinite(value)
