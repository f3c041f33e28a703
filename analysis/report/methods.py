"""The methods and caveats section, written from the report's own numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.report.model import Report
from analysis.report.profile import margin_name


def methods(report: Report, questionnaire: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(heading, paragraph) pairs: sample, denominators, weighting, census, tenure, intervals, suppression."""
    head = report.headline
    w = report.weighting
    out = [
        (
            "An opt-in sample",
            "Anyone could take part and people chose to respond, so respondents are not a random sample of "
            "the population. The figures describe the people who answered. Weighting corrects the known "
            "imbalances on the weighting margins only; it cannot correct for differences in views between "
            "people who chose to respond and people who did not.",
        ),
        (
            "What each percentage is a share of",
            "Every table states its base. Shares are of the respondents who answered that question, counting "
            "'don't know' and 'prefer not to say' as answers, so the shares of a single-choice question "
            "add up "
            "to 100%. Questions shown only to some respondents (for example residents) are shares of those "
            "who were asked and answered. For multiple-choice questions each answer's share is of everyone "
            "who "
            "answered, so they add up to more than 100%. Only complete responses count; "
            f"{head.started - head.complete} journeys that stopped before the end are counted in the "
            "progress "
            "figures only.",
        ),
    ]
    if w.applied:
        out.append(
            (
                "Weighting",
                "Respondents in the survey's population ("
                + (f"{w.respondents} of {head.complete}" if w.respondents is not None else "not counted here")
                + "; the others, "
                "such as visitors or people living outside the area, are not weighted) were weighted by "
                "raking "
                f"to the census shares on {', '.join(margin_name(m) for m in w.margins)}"
                + (f", with weights capped at {w.cap:g} times the mean" if w.cap else "")
                + ". Weighted shares therefore describe the population only (for example, every weighted "
                "respondent is a resident)"
                + f". Weights range from {w.min_weight:.2f} to {w.max_weight:.2f}. "
                "The weighting efficiency is "
                f"{100 * (w.efficiency or 0):.0f}% (design effect {w.deff or 0:.2f}), so the weighted "
                "figures are "
                f"as precise as a simple random sample of about {w.effective_n:.0f} people."
                + (
                    " Raking met every margin."
                    if w.converged
                    else " Raking did not meet every margin: " + " ".join(w.messages)
                ),
            )
        )
    else:
        out.append(("Weighting", " ".join(w.messages) or "The figures are not weighted."))
    sources = sorted({s for d in report.profile for s in d.sources})
    if sources:
        out.append(
            (
                "Census sources",
                "Population figures come from the Office for National Statistics (ONS): "
                + "; ".join(sources)
                + f". Reference figures version {report.reference_version}.",
            )
        )
    for dim in report.profile:
        if dim.dimension.startswith("tenure") and dim.caveat:
            out.append(("Tenure counts households", dim.caveat))
            break
    out.append(
        (
            "Confidence intervals",
            "Each share has a 95% confidence interval (Wilson score interval). For weighted shares the "
            "variance comes from Taylor linearisation over all weighted respondents, so a question asked of "
            "some respondents only is treated as a sub-group (domain) of the whole sample; the Wilson "
            "interval is then taken on the sample size that variance implies. The weights are treated as "
            "fixed. Figures from fewer than 30 respondents are marked as a small base. For an opt-in sample "
            "the intervals show sampling variation only, not bias.",
        )
    )
    out.append(
        (
            "Differences between groups",
            "Each headline figure is compared across age, sex, tenure, ethnic group, disability, ward and "
            "the channel a response came through with the Rao–Scott second-order adjusted chi-square test, "
            "which corrects Pearson's test for the weighting (respondents treated as independent, no "
            "clusters). Because many comparisons are made, a difference is called significant only when it "
            "passes the Benjamini–Hochberg procedure across all of them at a false discovery rate of 5%. "
            "Groups with fewer than 10 respondents are left out of a test.",
        )
    )
    out.append(
        (
            "Key findings",
            "Chosen by rule: for each headline question the questionnaire names, its largest net figure "
            "(for example fairly plus very concerned), at most five; then the clearest significant "
            "differences between groups (smallest adjusted p-value, one per figure, at most two); then the "
            "largest significant change since the interim report, if any; then how far the respondents "
            "represent the area.",
        )
    )
    out.append(
        (
            "Small numbers",
            (
                "Questions in sensitive sections (such as domestic abuse) never show counts from 1 to "
                f"{report.min_cell - 1} (marked 'suppressed'); where a hidden count could be narrowed down "
                "from what the report shows, more counts are hidden (see Disclosure control). Other "
                "questions are shown in full for the whole sample, because no one can be picked out from a "
                "count of all respondents; any breakdown by group follows the suppression rule. "
                if report.audience == "internal"
                else f"No table shows a count from 1 to {report.min_cell - 1} (hidden counts are marked "
                "'suppressed', and more counts are hidden where one could be narrowed down: see Disclosure "
                "control). "
            )
            + "Quotes are shown only for themes mentioned by at least "
            f"{report.min_cell} respondents.",
        )
    )
    out.append(
        (
            "Free-text answers",
            f"Written answers were tagged with the '{report.codebook}' codebook (version "
            f"{report.codebook_version}) by keyword and phrase matching, and themes no code covers were "
            "suggested automatically for staff to review. Quotes have names, phone numbers, email addresses, "
            "postcodes and other numbers removed.",
        )
    )
    if report.kind == "interim":
        out.append(
            (
                "This is an interim report",
                (
                    f"The survey is still open (until {head.closes:%d %B %Y})."
                    if head.closes is not None
                    else "The survey is still open, with no closing date set, so no time left or total at "
                    "the close is given."
                )
                + " These figures are a snapshot and will change; the final report will say what changed.",
            )
        )
    return tuple(out)
