"""Respondent profile against the census, the groups to chase (and who reaches them), and the weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from analysis.reference import Reference
from analysis.report import profile_words
from analysis.report.appendix import numbering
from analysis.report.model import Action, ProfileDimension, ProfileRow, Weighting
from analysis.report.profile_words import reference_phrase
from analysis.report.sources import reader_source
from analysis.report.words import Words, words
from analysis.representativeness import NO_CHANNEL, RepresentativenessTable, compare_questionnaire
from analysis.weighting import WeightingResult, rake_questionnaire
from survey.engine import Questionnaire
from survey.engine.catalogue import N_

WEIGHT_DIMENSIONS = ("sex_age16to74", "age_adult16plus", "tenure_households_grouped")
TITLES = {  # English msgids: the report shows them in its language (analysis/report/words.py)
    "sex_age16to74": N_("Sex"),
    "age_adult16plus": N_("Age"),
    "tenure_households_grouped": N_("Tenure (grouped)"),
    "tenure_households": N_("Tenure"),
    "ethnic_group_5": N_("Ethnic group"),
    "disability_all_ages": N_("Disability"),
    "ward": N_("Ward"),
}


MIN_EXPECTED = 10  # a group expected to bring fewer respondents than this is too small to judge


def judged_flag(flag: str, population_share: float, total: int) -> str:
    """The representation flag, or "small" when the census share would give the group fewer than
    MIN_EXPECTED respondents (an index of 800 from 11 respondents against an expected 2 says nothing)."""
    if population_share * total < MIN_EXPECTED:
        return "small" if flag != "fine" else flag
    return flag


def margin_name(dimension: str, said: Words | None = None) -> str:
    """A census dimension as a reader names it ("tenure (grouped)", not its code), in the report's language
    when `said` is given."""
    if dimension in TITLES:
        title = said.gettext(TITLES[dimension]) if said else TITLES[dimension]
        return title.lower()
    return dimension.replace("_", " ").lower()


def weigh(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    reference: Reference,
    dimensions: Sequence[str] | None,
    cap: float | None,
    in_population: Mapping[Any, bool] | None = None,
) -> tuple[WeightingResult | None, Weighting]:
    """Rake the population's respondents to the census margins; no weights when raking cannot be done."""
    mapped = {m.dimension for m in questionnaire.demographics}
    wanted = [d for d in (dimensions or WEIGHT_DIMENSIONS) if d in mapped and d in reference.names]
    if not wanted:
        return None, Weighting(
            False,
            (),
            0,
            False,
            0.0,
            None,
            None,
            None,
            None,
            cap,
            ("No census margins are mapped for this questionnaire: figures are unweighted.",),
        )
    try:
        result = rake_questionnaire(
            responses, questionnaire, reference, wanted, cap, in_population=in_population
        )
    except (ValueError, KeyError) as error:
        return None, Weighting(
            False,
            tuple(wanted),
            0,
            False,
            0.0,
            None,
            None,
            None,
            None,
            cap,
            (f"Weighting could not be done: {error}. Figures are unweighted.",),
        )
    rep = result.report
    usable = rep.respondents > 0 and rep.method != "none"
    return (result if usable else None), Weighting(
        applied=usable,
        margins=tuple(wanted),
        respondents=rep.respondents,
        converged=rep.converged,
        effective_n=round(rep.effective_n, 1),
        efficiency=round(rep.efficiency, 4) if usable else None,
        deff=round(rep.deff, 4) if usable else None,
        min_weight=round(rep.min_weight, 4) if usable else None,
        max_weight=round(rep.max_weight, 4) if usable else None,
        cap=cap,
        messages=tuple(_plain_message(m, wanted) for m in rep.messages),
    )


def _plain_message(message: str, dimensions: Sequence[str]) -> str:
    """A raking message with its margins named as a reader would ("Sex: 8 respondents ..."), not by code."""
    for dimension in sorted(dimensions, key=len, reverse=True):
        name = margin_name(dimension)
        if message.startswith(dimension + ":"):
            message = name[:1].upper() + name[1:] + message[len(dimension) :]
        message = message.replace(dimension, name)
    return message


def profile(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    reference: Reference,
    weights: Mapping[Any, float] | None,
    in_population: Mapping[Any, bool] | None = None,
    channel_names: Mapping[str, str] | None = None,
    said: Words | None = None,
) -> tuple[tuple[ProfileDimension, ...], tuple[Action, ...], RepresentativenessTable]:
    """Each mapped dimension against the census (with weighted shares when weighted) and the actions;
    `channel_names` (code -> "Partner – label (code)") names the partners in the actions' advice; `said`:
    the report's language (English without it) for the findings, advice and caveats."""
    said = said or words(None)
    phrase = partial(reference_phrase, reference)
    numbers = numbering(questionnaire)
    plain = compare_questionnaire(responses, reference, questionnaire, in_population=in_population)
    weighted = None
    if weights:
        weighted = compare_questionnaire(
            responses, reference, questionnaire, weights=weights, in_population=in_population
        )
    dims = []
    actions: list[Action] = []
    for table in plain.dimensions:
        wrows = (
            {r.category: r.sample_share for r in weighted.dimension(table.dimension).rows} if weighted else {}
        )
        rows = tuple(
            ProfileRow(
                category=r.category,
                respondents=r.respondents,
                sample_share=round(r.sample_share, 4),
                weighted_share=round(wrows[r.category], 4) if r.category in wrows else None,
                population_share=round(r.population_share, 4),
                index=round(r.index, 1) if r.index is not None else None,
                flag=judged_flag(r.flag, r.population_share, table.respondents),
                needed=r.needed,
                channels=r.channels,
            )
            for r in table.rows
        )
        dims.append(
            ProfileDimension(
                dimension=table.dimension,
                title=TITLES.get(table.dimension, table.dimension.replace("_", " ").capitalize()),
                question=table.question,
                universe=table.universe,
                caveat=table.caveat,
                respondents=table.respondents,
                missing=dict(table.missing),
                rows=rows,
                dissimilarity=round(table.dissimilarity, 4),
                findings=profile_words.findings(
                    table.dimension,
                    numbers.get(table.question, table.question),
                    margin_name(table.dimension, said),
                    table.universe,
                    rows,
                    table.missing,
                    table.respondents,
                    said,
                    phrase,
                ),
                sources=tuple(dict.fromkeys(reader_source(x) for x in table.sources)),
            )
        )
        if table.dimension != "ward":  # wards: too many small groups to chase one by one
            actions.extend(
                _action(table.dimension, row, channel_names or {}, said, phrase)
                for row in rows
                if row.flag == "under" and row.needed
            )
    names = {d.dimension for d in dims}
    # a detailed dimension with a grouped variant (tenure_households / _grouped) would repeat its actions
    actions = [a for a in actions if not any(n.startswith(a.dimension + "_") for n in names)]
    actions.sort(key=lambda a: -a.needed)
    return tuple(dims), tuple(actions), plain


def partner_name(code: str, names: Mapping[str, str]) -> str:
    """A channel as a sentence names it: "P3 – Outreach with young people" (its code left out), or the
    code itself when the channel is unknown."""
    name = names.get(code, code)
    suffix = f" ({code})"
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else name


def _action(
    dimension: str, row: ProfileRow, names: Mapping[str, str], said: Words, phrase: profile_words.Phrase
) -> Action:
    """What to do about one under-represented group: the partners that already reach it, or a search."""
    codes = tuple(code for code, _ in row.channels if code != NO_CHANNEL)[:3]
    partners = tuple(partner_name(code, names) for code in codes)
    via = [(partner_name(code, names), count) for code, count in row.channels if code in codes]
    advice = profile_words.advice(dimension, row, via, said, phrase)
    return Action(
        dimension, row.category, row.sample_share or 0.0, row.population_share, row.needed, partners, advice
    )
