"""Each chart's text alternative, from the report's numbers alone (no drawing, no matplotlib).

The drawn charts (analysis.report.charts) take their alternatives from here, and the formats that show no
picture (JSON, XLSX, a snapshot's numbers) get the same words without drawing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from analysis.report.model import (
    DayCount,
    Headline,
    NumberResult,
    ProfileDimension,
    QuestionResult,
    RatingSet,
    Report,
    ThemeBlock,
    ThemeRow,
)

# The mime type of each kind of chart (the part of the key before ':'); word clouds are pictures.
MIMES = {"cloud": "image/png"}
SVG = "image/svg+xml"


def pct(value: float | None) -> str:
    """A share as a whole-number percentage."""
    return "–" if value is None else f"{100 * value:.0f}%"


def progress_alt(days: Sequence[DayCount], headline: Headline) -> str:
    """Completions per day and in total, with the projection to the close."""
    alt = (
        f"Chart of responses completed per day from {headline.opens:%d %B %Y}: {headline.complete} in total "
        f"by the report date"
    )
    if headline.closes is not None:
        alt += (
            f"; at the recent rate of {headline.recent_per_day:g} a day the total would reach "
            f"about {headline.projected_at_close} by the close on {headline.closes:%d %B %Y}."
        )
    else:
        alt += f", {headline.recent_per_day:g} a day recently; no closing date is set, so no projection."
    return alt


def question_alt(result: QuestionResult) -> str:
    """Every shown answer's share, the most common answer, and whether weighted shares are marked."""
    rows = list(result.rows)
    shown = [r for r in rows if r.share is not None]
    top = max(shown, key=lambda r: r.share or 0.0) if shown else None
    alt = f"Bar chart for {result.number}: {result.text}. "
    alt += "; ".join(f"{r.label} {pct(r.share)}" for r in shown) + "." if shown else "All cells suppressed."
    if top is not None:
        alt += f" The most common answer was {top.label} ({pct(top.share)})."
    if any(r.weighted_share is not None for r in rows):
        alt += " Weighted shares are marked too; the table gives both with their intervals."
    return alt


def rating_alt(rating: RatingSet) -> str:
    """Per item, the share in the first two points of the scale."""
    parts = []
    for item in rating.items:
        first_two = [s for s in item[3][:2] if s is not None]
        parts.append(
            f"{item[1]}: {pct(sum(first_two))} {rating.labels[0].lower()} or {rating.labels[1].lower()}"
        )
    return f"Stacked bar chart for {rating.number}: {rating.text} " + "; ".join(parts) + "."


def profile_alt(dim: ProfileDimension) -> str:
    """Respondents' and the population's share of each category."""
    return (
        f"Bar chart comparing respondents with the population by {dim.title.lower()}: "
        + "; ".join(
            f"{r.category} {pct(r.sample_share)} of respondents, {pct(r.population_share)} of the population"
            for r in dim.rows
        )
        + "."
    )


def number_alt(result: NumberResult) -> str:
    """Each band's share and the median."""
    return (
        f"Bar chart for {result.number}: {result.text} "
        + "; ".join(f"{b[0]}: {pct(b[2])}" for b in result.bands)
        + (f". Median {result.median:g}." if result.median else ".")
    )


def theme_rows(block: ThemeBlock) -> list[ThemeRow]:
    """The themes a theme chart shows: those with a share, largest first, at most 12."""
    return sorted((t for t in block.themes if t.share), key=lambda t: -(t.share or 0.0))[:12]


def theme_alt(block: ThemeBlock) -> str:
    """The charted themes' shares, largest first."""
    rows = theme_rows(block)
    alt = f"Bar chart of themes in answers to {block.number}, largest first: " + "; ".join(
        f"{t.label} {pct(t.share)}" for t in rows
    )
    return alt + "."


def cloud_alt(question: str, top: Sequence[tuple[str, int]]) -> str:
    """A word cloud's alternative: the most frequent terms."""
    terms = ", ".join(f"{t} ({n})" for t, n in top[:10])
    return f"Word cloud of answers to {question}. Most frequent terms: {terms}."


def alternative(kind: str, subject: Any) -> str:
    """The alternative of a chart of `kind` (its key's part before ':'); `subject` as
    analysis.report.build.chart_subjects gives it (the report itself for the progress chart)."""
    if kind == "progress":
        report: Report = subject
        return progress_alt(report.progress, report.headline)
    if kind == "cloud":
        return cloud_alt(subject.number, subject.top_terms)
    alt: dict[str, Callable[[Any], str]] = {
        "profile": profile_alt,
        "question": question_alt,
        "rating": rating_alt,
        "number": number_alt,
        "themes": theme_alt,
    }
    return alt[kind](subject)
