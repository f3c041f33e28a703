"""Closed-question tables (unweighted and weighted, 95% intervals, suppression), ratings, numbers."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from analysis.estimates import ITEMISED, QuestionEstimate, question_options
from analysis.mapping import usable
from analysis.paper_marks import count_marks, mark_note
from analysis.report.appendix import describe, numbering
from analysis.report.model import NumberResult, OptionRow, OtherGroup, QuestionResult, RatingSet
from analysis.report.tally import fast_estimates
from analysis.report.words import words
from analysis.suppression import suppress
from survey.engine import Question, Questionnaire, conjuncts, questions_in
from survey.engine.catalogue import N_
from survey.engine.model import Condition
from survey.engine.text import localise


def section_titles(questionnaire: Questionnaire) -> dict[str, str]:
    """The title of the section each question sits in."""
    lang = questionnaire.language
    return {q.id: localise(s.title, lang) for s in questionnaire.sections for q in s.questions}


SMALL_BASE = 30
TOO_FEW = 10  # a group outside the population with fewer answers shows "too few", not shares
EVERYONE = N_("All respondents (unweighted; weighting applies to the population only)")


def _with_marks(
    described: Sequence[Mapping[str, Any]], cache: dict[int, list[Mapping[str, Any]]]
) -> list[Mapping[str, Any]]:
    """The responses of `described` that carry any paper mark (counted once per list, not per question)."""
    key = id(described)
    if key not in cache:
        cache[key] = [r for r in described if r.get("missing_reasons")]
    return cache[key]


def question_results(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    weights: Mapping[Any, float] | None,
    min_cell: int,
    inside: Mapping[Any, bool] | None = None,
    filter_among_population: bool = False,
) -> tuple[QuestionResult, ...]:
    """One table per closed question and per rating item, each describing one population.

    Questions the population filter uses (who is a resident) describe all respondents, unweighted; with
    `filter_among_population` (partner and public outputs) they describe the population like the rest, and
    a question whose answer the filter fixes (respondent type = resident) has no table: the count the filter
    leaves out would be the difference of two shown counts (all residents less the population, whose size
    every population table's base gives), a hidden cell no suppression could protect.
    Questions asked only of a group outside the population (e.g. businesses) describe that group,
    unweighted. Every other question describes the population: unweighted and weighted figures of the
    same respondents, with the groups outside it (businesses, visitors) as their own unweighted columns.
    """
    _ = words(questionnaire.language).gettext
    numbers = numbering(questionnaire)
    sections = section_titles(questionnaire)
    sensitive = questionnaire.sensitive_question_ids
    complete = usable(responses)
    people = [r for r in complete if inside is None or inside.get(r.get("id"), False)]
    population = population_label(questionnaire, weights is not None)
    filter_qs = set(questions_in(questionnaire.population_filter))
    groups = outside_groups(questionnaire)
    gq = _group_question(questionnaire)
    by_group = {code: [r for r in complete if _group_of(r, gq) == code] for code in groups}
    main = fast_estimates(people, questionnaire, weights)
    only = _only(questionnaire, filter_qs)  # all respondents are tallied for the filter's questions only
    everyone = {(e.question, e.item): e for e in fast_estimates(complete, only, None)}
    per_group = {code: fast_estimates(rows, questionnaire, None) for code, rows in by_group.items()}
    asked = asked_only_by(questionnaire, groups)
    marked: dict[int, list[Mapping[str, Any]]] = {}  # per described list: the responses with paper marks
    out = []
    fixed = fixed_by_filter(questionnaire) if filter_among_population else set()
    for i, est in enumerate(main):
        question = questionnaire.question(est.question)
        others: tuple[OtherGroup, ...] = ()
        described: Sequence[Mapping[str, Any]] = people  # the respondents the table describes
        if est.question in fixed:
            continue
        if est.question in filter_qs and not filter_among_population:
            est, who, described = everyone[(est.question, est.item)], _(EVERYONE), complete
        elif est.question in asked:
            code = asked[est.question]
            est, who = (
                per_group[code][i],
                _("%(group)s (unweighted; outside the weighted population)", group=groups[code]),
            )
            described = by_group[code]
        else:
            who = population
            if est.question not in sensitive:
                others = tuple(
                    OtherGroup(
                        groups[code],
                        per_group[code][i].base,
                        tuple(
                            s.unweighted.share if per_group[code][i].base >= TOO_FEW else None
                            for s in per_group[code][i].shares
                        ),
                        tuple(s.count for s in per_group[code][i].shares),
                    )
                    for code in groups
                    if per_group[code][i].base > 0
                )
        out.append(
            QuestionResult(
                id=est.question,
                item=est.item,
                number=numbers.get(est.question, ""),
                section=sections.get(est.question, ""),
                text=est.text,
                type=est.type,
                base=est.base,
                base_note=base_note(est.base, question, questionnaire),
                weighted_base=round(est.weighted_base, 2),
                effective_n=round(est.effective_n, 1),
                low_effective_n=est.low_effective_n,
                sensitive=est.question in sensitive,
                rows=_rows(est, min_cell if est.question in sensitive else 0),
                population=who,
                small_base=0 < est.base < SMALL_BASE,
                others=others,
                paper_note=mark_note(count_marks(_with_marks(described, marked), est.question, est.item)),
            )
        )
    return tuple(out)


def fixed_by_filter(questionnaire: Questionnaire) -> set[str]:
    """Questions whose answer the population filter fixes: an `equals`/`in` clause of the filter itself
    or of its `all` (everyone in the population gave one of those answers)."""
    return {
        c.q for c in conjuncts(questionnaire.population_filter) if c.op in ("equals", "in") and c.item is None
    }


def _only(questionnaire: Questionnaire, ids: set[str]) -> Questionnaire:
    """The questionnaire with only the given questions (same order, same sections)."""
    sections = tuple(
        replace(s, questions=tuple(q for q in s.questions if q.id in ids)) for s in questionnaire.sections
    )
    return replace(questionnaire, sections=sections)


def population_label(questionnaire: Questionnaire, weighted: bool) -> str:
    """Whom population tables describe, e.g. "Residents (weighted to the census)"."""
    lang = questionnaire.language
    _ = words(lang).gettext
    name = localise(questionnaire.population_name, lang) or (
        _("respondents in the population") if questionnaire.population_filter else _("respondents")
    )
    name = name[:1].upper() + name[1:]
    return _("%(name)s (unweighted and weighted to the census)", name=name) if weighted else name


def outside_groups(questionnaire: Questionnaire) -> dict[str, str]:
    """Groups outside the population by the filter's first `equals` question: code -> option label."""
    lang = questionnaire.language
    leaf = _equals_leaf(questionnaire.population_filter)
    if leaf is None or not questionnaire.has_question(leaf[0]):
        return {}
    question = questionnaire.question(leaf[0])
    options = question.options if question.type != "rating" else ()  # a rating's scale names no group
    return {o.code: localise(o.label, lang) for o in options if o.code != leaf[1]}


def _equals_leaf(condition: Condition | None) -> tuple[str, str] | None:
    """The first {q, op: equals, value} at the top of a condition (or of its `all`)."""
    return next(((c.q, str(c.value)) for c in conjuncts(condition) if c.op == "equals"), None)


def _group_question(questionnaire: Questionnaire) -> str | None:
    leaf = _equals_leaf(questionnaire.population_filter)
    return leaf[0] if leaf else None


def _group_of(response: Mapping[str, Any], group_question: str | None) -> str | None:
    """A response's answer to the question that defines the population's groups."""
    if group_question is None:
        return None
    value = (response.get("answers") or {}).get(group_question)
    return str(value) if isinstance(value, str) else None


def asked_only_by(questionnaire: Questionnaire, groups: Mapping[str, str]) -> dict[str, str]:
    """Questions shown only to one outside group (its show_if or its section's): question id -> code."""
    gq = _group_question(questionnaire)
    out: dict[str, str] = {}
    if gq is None:
        return out
    direct: dict[str, str] = {}
    for section in questionnaire.sections:
        sleaf = _equals_leaf(section.show_if)
        for question in section.questions:
            qid = question.id
            leaf = _equals_leaf(question.show_if) or sleaf
            if leaf is None:
                continue
            if leaf[0] == gq and leaf[1] in groups:
                direct[qid] = leaf[1]
            elif leaf[0] in direct:  # routed from a question only that group is asked
                direct[qid] = direct[leaf[0]]
    out.update(direct)
    return out


def base_note(base: int, question: Question, questionnaire: Questionnaire) -> str:
    """Which denominator the shares use, in words."""
    multiple = question.type == "multiple"
    _ = words(questionnaire.language).gettext
    note = _("%(n)s respondents who answered (including 'don't know' and 'prefer not to say')", n=base)
    if multiple:
        note += _("; more than one answer allowed, so shares add up to more than 100%%")
    shown = describe(question.show_if, questionnaire)
    if shown:
        note += _("; asked only when %(condition)s", condition=shown)
    return note


def _rows(est: QuestionEstimate, min_cell: int) -> tuple[OptionRow, ...]:
    """Option rows; with min_cell > 0, small cells (1..min_cell-1) and whatever would reveal them hidden."""
    counts = [s.count for s in est.shares]
    mask = suppress(
        [counts], [est.base], min_cell=max(min_cell, 1), rows_add_up=est.type not in ("multiple", "grid")
    )
    rows = []
    for share, hidden in zip(est.shares, mask.cells[0] if mask.cells else (), strict=True):
        shown = hidden is None and mask.bases[0] is None
        w = share.weighted
        rows.append(
            OptionRow(
                code=share.code,
                label=share.label,
                kind=share.kind,
                count=share.count if shown else None,
                share=round(share.unweighted.share, 4) if shown and est.base else None,
                low=round(share.unweighted.low, 4) if shown and est.base else None,
                high=round(share.unweighted.high, 4) if shown and est.base else None,
                weighted_share=round(w.share, 4) if shown and w is not None else None,
                weighted_low=round(w.low, 4) if shown and w is not None else None,
                weighted_high=round(w.high, 4) if shown and w is not None else None,
                suppressed=None if shown else (hidden or mask.bases[0]),
            )
        )
    return tuple(rows)


def rating_sets(questionnaire: Questionnaire, results: Sequence[QuestionResult]) -> tuple[RatingSet, ...]:
    """Each rating question's items side by side on its scale (unweighted shares)."""
    lang = questionnaire.language
    numbers = numbering(questionnaire)
    out = []
    for question in questionnaire.questions:
        if question.type not in ITEMISED:
            continue
        qid = question.id
        scale = question_options(question)
        items = []
        for item in question.items:
            result = next(r for r in results if r.id == qid and r.item == item.id)
            items.append(
                (item.id, localise(item.text, lang), result.base, tuple(row.share for row in result.rows))
            )
        out.append(
            RatingSet(
                id=qid,
                number=numbers.get(qid, ""),
                text=localise(question.text, lang),
                codes=tuple(o.code for o in scale),
                labels=tuple(localise(o.label, lang) for o in scale),
                items=tuple(items),
            )
        )
    return tuple(out)


def number_results(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    min_cell: int,
    inside: Mapping[Any, bool] | None = None,
) -> tuple[NumberResult, ...]:
    """Number questions in ten-year-wide bands (up to 20, 21-30, ..., 81 and over), median and mean,
    unweighted; each describes the population (`inside`) like the closed questions, or the group outside it
    that alone was asked it (a business question)."""
    lang = questionnaire.language
    _ = words(lang).gettext
    numbers = numbering(questionnaire)
    complete = usable(responses)
    people = [r for r in complete if inside is None or inside.get(r.get("id"), False)]
    groups = outside_groups(questionnaire)
    gq = _group_question(questionnaire)
    asked = asked_only_by(questionnaire, groups)
    out = []
    for question in questionnaire.questions:
        if question.type not in ("number", "decimal", "money"):
            continue
        qid = question.id
        if qid in asked:
            rows = [r for r in complete if _group_of(r, gq) == asked[qid]]
            who = _("%(group)s (unweighted; outside the weighted population)", group=groups[asked[qid]])
        else:
            rows, who = people, population_label(questionnaire, False)
        values = [
            v
            for r in rows
            if isinstance(v := (r.get("answers") or {}).get(qid), int | float) and not isinstance(v, bool)
        ]
        bands = _bands(values, question, lang)
        counts = [c for _, c in bands]
        small = min_cell if qid in questionnaire.sensitive_question_ids else 1
        mask = suppress([counts], [len(values)], min_cell=small)
        shown = tuple(
            (
                label,
                c if m is None else None,
                (round(c / len(values), 4) if values else 0.0) if m is None else None,
            )
            for (label, c), m in zip(bands, mask.cells[0], strict=True)
        )
        out.append(
            NumberResult(
                id=qid,
                number=numbers.get(qid, ""),
                text=localise(question.text, lang),
                base=len(values),
                median=float(statistics.median(values)) if values else None,
                mean=round(statistics.fmean(values), 1) if values else None,
                bands=shown,
                population=who,
            )
        )
    return tuple(out)


def _bands(values: Sequence[float], question: Question, lang: str = "en") -> list[tuple[str, int]]:
    low = int(question.min or 0)
    edges = list(range(20, 81, 10)) if low < 20 else list(range((low // 10 + 1) * 10, low + 70, 10))
    bands: list[tuple[str, int]] = [(f"{low}-{edges[0]}", sum(1 for v in values if v <= edges[0]))]
    for a, b in zip(edges, edges[1:], strict=False):
        bands.append((f"{a + 1}-{b}", sum(1 for v in values if a < v <= b)))
    top = words(lang).gettext("%(low)s and over", low=edges[-1] + 1)
    bands.append((top, sum(1 for v in values if v > edges[-1])))
    return bands
