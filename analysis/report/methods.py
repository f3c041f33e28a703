"""The methods and caveats section, written from the report's own numbers, in the report's language."""

from __future__ import annotations

from typing import Any

from analysis.report.model import Report
from analysis.report.profile import margin_name
from analysis.report.words import words
from survey.engine import Questionnaire


def methods(report: Report, questionnaire: Questionnaire) -> tuple[tuple[str, str], ...]:
    """(heading, paragraph) pairs: sample, denominators, weighting, census, tenure, intervals, suppression."""
    _ = words(report.language).gettext
    head = report.headline
    w = report.weighting
    out = [
        (
            _("An opt-in sample"),
            _(
                "Anyone could take part and people chose to respond, so respondents are not a random sample "
                "of the population. The figures describe the people who answered. Weighting corrects the "
                "known imbalances on the weighting margins only; it cannot correct for differences in views "
                "between people who chose to respond and people who did not."
            ),
        ),
        (
            _("What each percentage is a share of"),
            _(
                "Every table states its base. Shares are of the respondents who answered that question, "
                "counting 'don't know' and 'prefer not to say' as answers, so the shares of a single-choice "
                "question add up to 100%%. Questions shown only to some respondents (for example residents) "
                "are shares of those who were asked and answered. For multiple-choice questions each "
                "answer's share is of everyone who answered, so they add up to more than 100%%. Only "
                "complete responses count; %(n)s journeys that stopped before the end are counted in the "
                "progress figures only.",
                n=head.started - head.complete,
            ),
        ),
    ]
    if w.applied:
        respondents = (
            _("%(n)s of %(total)s", n=w.respondents, total=head.complete)
            if w.respondents is not None
            else _("not counted here")
        )
        margins = ", ".join(margin_name(m) for m in w.margins)
        text = (
            _(
                "Respondents in the survey's population (%(respondents)s; the others, such as visitors or "
                "people living outside the area, are not weighted) were weighted by raking to the census "
                "shares on %(margins)s, with weights capped at %(cap)s times the mean.",
                respondents=respondents,
                margins=margins,
                cap=format(w.cap, "g"),
            )
            if w.cap
            else _(
                "Respondents in the survey's population (%(respondents)s; the others, such as visitors or "
                "people living outside the area, are not weighted) were weighted by raking to the census "
                "shares on %(margins)s.",
                respondents=respondents,
                margins=margins,
            )
        )
        text += " " + _(
            "Weighted shares therefore describe the population only (for example, every weighted "
            "respondent is a resident). Weights range from %(low)s to %(high)s. The weighting efficiency is "
            "%(efficiency)s (design effect %(deff)s), so the weighted figures are as precise as a simple "
            "random sample of about %(n)s people.",
            low=format(w.min_weight, ".2f"),
            high=format(w.max_weight, ".2f"),
            efficiency=format(100 * (w.efficiency or 0), ".0f") + "%",
            deff=format(w.deff or 0, ".2f"),
            n=format(w.effective_n, ".0f"),
        )
        text += (
            " " + _("Raking met every margin.")
            if w.converged
            else " " + _("Raking did not meet every margin:") + " " + " ".join(w.messages)
        )
        out.append((_("Weighting"), text))
    else:
        out.append((_("Weighting"), " ".join(w.messages) or _("The figures are not weighted.")))
    sources = sorted({s for d in report.profile for s in d.sources})
    if sources:
        out.append(
            (
                _("Census sources"),
                _(
                    "Population figures come from the Office for National Statistics (ONS): %(sources)s. "
                    "Reference figures version %(version)s.",
                    sources="; ".join(sources),
                    version=report.reference_version,
                ),
            )
        )
    for dim in report.profile:
        if dim.dimension.startswith("tenure") and dim.caveat:
            out.append((_("Tenure counts households"), dim.caveat))
            break
    out.append(
        (
            _("Confidence intervals"),
            _(
                "Each share has a 95%% confidence interval (Wilson score interval). For weighted shares the "
                "variance comes from Taylor linearisation over all weighted respondents, so a question asked "
                "of some respondents only is treated as a sub-group (domain) of the whole sample; the Wilson "
                "interval is then taken on the sample size that variance implies. The weights are treated as "
                "fixed. Figures from fewer than 30 respondents are marked as a small base. For an opt-in "
                "sample the intervals show sampling variation only, not bias."
            ),
        )
    )
    out.append(
        (
            _("Differences between groups"),
            _(
                "Each headline figure is compared across age, sex, tenure, ethnic group, disability, ward "
                "and the channel a response came through with the Rao–Scott second-order adjusted chi-square "
                "test, which corrects Pearson's test for the weighting (respondents treated as independent, "
                "no clusters). Because many comparisons are made, a difference is called significant only "
                "when it passes the Benjamini–Hochberg procedure across all of them at a false discovery "
                "rate of 5%. Groups with fewer than 10 respondents are left out of a test."
            ),
        )
    )
    out.append(
        (
            _("Key findings"),
            _(
                "Chosen by rule: for each headline question the questionnaire names, its largest net figure "
                "(for example fairly plus very concerned), at most five; then the clearest significant "
                "differences between groups (smallest adjusted p-value, one per figure, at most two); then "
                "the largest significant change since the interim report, if any; then how far the "
                "respondents represent the area."
            ),
        )
    )
    small = (
        _(
            "Questions in sensitive sections (such as domestic abuse) never show counts from 1 to %(top)s "
            "(marked 'suppressed'); where a hidden count could be narrowed down from what the report shows, "
            "more counts are hidden (see Disclosure control). Other questions are shown in full for the "
            "whole sample, because no one can be picked out from a count of all respondents; any breakdown "
            "by group follows the suppression rule.",
            top=report.min_cell - 1,
        )
        if report.audience == "internal"
        else _(
            "No table shows a count from 1 to %(top)s (hidden counts are marked 'suppressed', and more "
            "counts are hidden where one could be narrowed down: see Disclosure control).",
            top=report.min_cell - 1,
        )
    )
    out.append(
        (
            _("Small numbers"),
            small
            + " "
            + _(
                "Quotes are shown only for themes mentioned by at least %(n)s respondents.", n=report.min_cell
            ),
        )
    )
    out.append(
        (
            _("Free-text answers"),
            _(
                "Written answers were tagged with the '%(codebook)s' codebook (version %(version)s) by "
                "keyword and phrase matching, and themes no code covers were suggested automatically for "
                "staff to review. Quotes have names, phone numbers, email addresses, postcodes and other "
                "numbers removed.",
                codebook=report.codebook,
                version=report.codebook_version,
            ),
        )
    )
    if report.kind == "interim":
        still_open = (
            _(
                "The survey is still open (until %(day)s).",
                day=_day_month_year(report, head.closes),
            )
            if head.closes is not None
            else _(
                "The survey is still open, with no closing date set, so no time left or total at the close "
                "is given."
            )
        )
        out.append(
            (
                _("This is an interim report"),
                still_open
                + " "
                + _("These figures are a snapshot and will change; the final report will say what changed."),
            )
        )
    return tuple(out)


def _day_month_year(report: Report, day: Any) -> str:
    """'06 June 2016' (the methods text's English day form); '6 Gorffennaf 2016' in Welsh."""
    said = words(report.language)
    return day.strftime("%d %B %Y") if said.english else said.long_date(day)
