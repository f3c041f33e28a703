"""The profile section's sentences in the report's language: who is over or under-represented, who was left
out of a comparison, which partners to ask, and the census caveats.

`analysis.representativeness` writes its own English findings for the dashboard and the CLI; the report
writes these instead, through the catalogue (analysis/report/words.py), naming groups as the rest of the
report does (analysis/reference/phrases.py: "private renters and people living rent free", "people aged 65
or over"). Data the catalogue does not hold (an imported reference's universe or caveat, a category's own
name) stays as written and is marked with its language in the HTML (analysis/report/sourcelang.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from analysis.mapping import NOT_ANSWERED, NOT_STATED, UNMAPPED
from analysis.reference import Reference
from analysis.reference.phrases import people
from analysis.report.model import ProfileRow
from analysis.report.words import Words
from survey.engine.catalogue import N_

Phrase = Callable[[str, str], "str | None"]  # (dimension, category) -> the reference file's phrase, if any

# The shipped census universes and caveats (analysis/reference/catalogue.py), so a report can say them in its
# language; an imported reference's own words are looked up the same way and stay English when unknown.
UNIVERSES = (
    N_("usual residents"),
    N_("households"),
    N_("residents of all ages"),
    N_("residents aged 16 to 64"),
    N_("residents aged 16 to 74"),
    N_("residents aged 16 and over"),
)
CAVEATS = (
    N_("No split of residents aged 16+ by sex was found; ages 16-74 stand in for adults."),
    N_("Census tenure counts households, not people: comparing respondents with it is an approximation."),
    N_("Ethnic group shares are for all ages; no adults-only figures were found."),
    N_("Disability shares are for all ages; no adults-only figures were found."),
    N_("Ward figures are summed from best-fitting small areas and are approximate."),
)


def reference_phrase(reference: Reference | None, dimension: str, category: str) -> str | None:
    """The reference file's `phrase` for a category (docs/reference-data.md), if it has one."""
    if reference is None or dimension not in reference.names:
        return None
    return reference.dimension(dimension).phrases.get(category)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _share(said: Words, share: float) -> str:
    """A share in whole percent; "less than 1%" for a small one that is not nought."""
    _ = said.gettext
    if 0 < share < 0.005:
        return _("less than %(pct)s", pct=said.pct(0.01))
    return said.pct(share)


def findings(
    dimension: str,
    question: str,
    margin: str,
    universe: str,
    rows: Sequence[ProfileRow],
    missing: Mapping[str, int],
    respondents: int,
    said: Words,
    phrase: Phrase,
) -> tuple[str, ...]:
    """One sentence per group the table flags over or under (largest gap first; groups too small to judge
    get none) and one for the respondents left out of the comparison. `margin` is the dimension as a reader
    names it, in the report's language; `question` the question as the report numbers it ("Q3"); `rows`
    carry the judged flags."""
    _, ngettext = said.gettext, said.ngettext
    out: list[str] = []
    if respondents == 0:
        out.append(_("No respondent could be placed on %(margin)s.", margin=margin))
    place = _(universe)
    judged = [r for r in rows if r.flag in ("over", "under") and r.sample_share is not None and respondents]
    for row in sorted(judged, key=lambda r: -abs((r.sample_share or 0.0) - r.population_share)):
        values = {
            "who": people(dimension, row.category, phrase(dimension, row.category), said),
            "share": _share(said, row.sample_share or 0.0),
            "population": _share(said, row.population_share),
            "universe": place,
        }
        needed = row.needed if row.flag == "under" and row.needed else 0
        if universe == "households" and needed:
            text = ngettext(
                "%(who)s are %(share)s of respondents but %(population)s of households (the census counts "
                "households, not people); about %(num)s more response from this group would bring it "
                "within range.",
                "%(who)s are %(share)s of respondents but %(population)s of households (the census counts "
                "households, not people); about %(num)s more responses from this group would bring it "
                "within range.",
                needed,
                **values,
            )
        elif universe == "households":
            text = _(
                "%(who)s are %(share)s of respondents but %(population)s of households (the census counts "
                "households, not people).",
                **values,
            )
        elif needed:
            text = ngettext(
                "%(who)s are %(share)s of respondents but %(population)s of %(universe)s; about %(num)s "
                "more response from this group would bring it within range.",
                "%(who)s are %(share)s of respondents but %(population)s of %(universe)s; about %(num)s "
                "more responses from this group would bring it within range.",
                needed,
                **values,
            )
        else:
            text = _("%(who)s are %(share)s of respondents but %(population)s of %(universe)s.", **values)
        out.append(_sentence(text))
    left = sum(missing.values())
    if left:
        reasons = []
        if missing.get(NOT_STATED):
            n = missing[NOT_STATED]
            reasons.append(
                ngettext(
                    "%(num)s preferred not to say or did not know",
                    "%(num)s preferred not to say or did not know",
                    n,
                )
            )
        if missing.get(NOT_ANSWERED):
            reasons.append(
                ngettext("%(num)s did not answer", "%(num)s did not answer", missing[NOT_ANSWERED])
            )
        if missing.get(UNMAPPED):
            n = missing[UNMAPPED]
            reasons.append(
                ngettext(
                    "%(num)s gave an answer outside the census categories",
                    "%(num)s gave answers outside the census categories",
                    n,
                )
            )
        out.append(
            ngettext(
                "On %(question)s, %(reasons)s: %(num)s respondent not counted in the %(margin)s comparison.",
                "On %(question)s, %(reasons)s: %(num)s respondents not counted in the %(margin)s comparison.",
                left,
                question=question,
                reasons="; ".join(reasons),
                margin=margin,
            )
        )
    return tuple(out)


def advice(
    dimension: str,
    row: ProfileRow,
    channels: Sequence[tuple[str, int]],
    said: Words,
    phrase: Phrase,
) -> str:
    """What to do about an under-represented group: ask the partners that already reach it (each with its
    responses from the group), or make a tracked link with an organisation that works with it."""
    _, ngettext = said.gettext, said.ngettext
    who = people(dimension, row.category, phrase(dimension, row.category), said)
    if channels:
        return ngettext(
            "Ask the partners that already reach %(who)s to promote the survey again: %(via)s of the %(num)s "
            "response from this group came through them.",
            "Ask the partners that already reach %(who)s to promote the survey again: %(via)s of the %(num)s "
            "responses from this group came through them.",
            row.respondents or 0,
            who=who,
            via="; ".join(f"{name} ({said.number(count)})" for name, count in channels),
        )
    return _(
        "No partner link has brought in %(who)s yet: create a tracked link with an organisation that works "
        "with this group (for example a housing trust, a youth service or a community group).",
        who=who,
    )
