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
from analysis.report.words import Words, words

# The mime type of each kind of chart (the part of the key before ':'); word clouds are pictures.
MIMES = {"cloud": "image/png"}
SVG = "image/svg+xml"


def pct(value: float | None) -> str:
    """A share as a whole-number percentage."""
    return "–" if value is None else f"{100 * value:.0f}%"


def _said(said: Words | None) -> Words:
    return said or words(None)


def _rate(w: Words, value: float) -> str:
    """A rate per day as the report writes it (English: "7.93", "8")."""
    return f"{value:g}" if w.english else w.number(value)


def progress_alt(days: Sequence[DayCount], headline: Headline, said: Words | None = None) -> str:
    """Completions per day and in total, with the projection to the close."""
    w = _said(said)
    _ = w.gettext
    if headline.closes is not None:
        return _(
            "Chart of responses completed per day from %(opens)s: %(total)s in total by the report date; at "
            "the recent rate of %(rate)s a day the total would reach about %(projected)s by the close on "
            "%(closes)s.",
            opens=w.long_date(headline.opens),
            total=w.number(headline.complete),
            rate=_rate(w, headline.recent_per_day),
            projected=w.number(headline.projected_at_close),
            closes=w.long_date(headline.closes),
        )
    return _(
        "Chart of responses completed per day from %(opens)s: %(total)s in total by the report date, "
        "%(rate)s a day recently; no closing date is set, so no projection.",
        opens=w.long_date(headline.opens),
        total=w.number(headline.complete),
        rate=_rate(w, headline.recent_per_day),
    )


def question_alt(result: QuestionResult, said: Words | None = None) -> str:
    """Every shown answer's share, the most common answer, and whether weighted shares are marked."""
    w = _said(said)
    _ = w.gettext
    rows = list(result.rows)
    shown = [r for r in rows if r.share is not None]
    top = max(shown, key=lambda r: r.share or 0.0) if shown else None
    if shown:
        shares = "; ".join(f"{r.label} {w.pct(r.share)}" for r in shown)
        alt = _(
            "Bar chart for %(number)s: %(question)s. %(shares)s.",
            number=result.number,
            question=result.text,
            shares=shares,
        )
    else:
        alt = _(
            "Bar chart for %(number)s: %(question)s. All cells suppressed.",
            number=result.number,
            question=result.text,
        )
    if top is not None:
        alt += " " + _(
            "The most common answer was %(answer)s (%(share)s).", answer=top.label, share=w.pct(top.share)
        )
    if any(r.weighted_share is not None for r in rows):
        alt += " " + _("Weighted shares are marked too; the table gives both with their intervals.")
    return alt


def rating_alt(rating: RatingSet, said: Words | None = None) -> str:
    """Per item, the share in the first two points of the scale."""
    w = _said(said)
    _ = w.gettext
    parts = []
    for item in rating.items:
        first_two = [s for s in item[3][:2] if s is not None]
        parts.append(
            _(
                "%(item)s: %(share)s %(first)s or %(second)s",
                item=item[1],
                share=w.pct(sum(first_two)),
                first=rating.labels[0].lower(),
                second=rating.labels[1].lower(),
            )
        )
    return _(
        "Stacked bar chart for %(number)s: %(question)s %(items)s.",
        number=rating.number,
        question=rating.text,
        items="; ".join(parts),
    )


def profile_alt(dim: ProfileDimension, said: Words | None = None) -> str:
    """Respondents' and the population's share of each category."""
    w = _said(said)
    _ = w.gettext
    rows = "; ".join(
        _(
            "%(group)s %(sample)s of respondents, %(population)s of the population",
            group=r.category,
            sample=w.pct(r.sample_share),
            population=w.pct(r.population_share),
        )
        for r in dim.rows
    )
    return _(
        "Bar chart comparing respondents with the population by %(dimension)s: %(rows)s.",
        dimension=_(dim.title).lower(),
        rows=rows,
    )


def number_alt(result: NumberResult, said: Words | None = None) -> str:
    """Each band's share and the median."""
    w = _said(said)
    _ = w.gettext
    bands = "; ".join(f"{b[0]}: {w.pct(b[2])}" for b in result.bands)
    if result.median:
        return _(
            "Bar chart for %(number)s: %(question)s %(bands)s. Median %(median)s.",
            number=result.number,
            question=result.text,
            bands=bands,
            median=_rate(w, result.median),
        )
    return _(
        "Bar chart for %(number)s: %(question)s %(bands)s.",
        number=result.number,
        question=result.text,
        bands=bands,
    )


def theme_rows(block: ThemeBlock) -> list[ThemeRow]:
    """The themes a theme chart shows: those with a share, largest first, at most 12."""
    return sorted((t for t in block.themes if t.share), key=lambda t: -(t.share or 0.0))[:12]


def theme_alt(block: ThemeBlock, said: Words | None = None) -> str:
    """The charted themes' shares, largest first."""
    w = _said(said)
    themes = "; ".join(f"{t.label} {w.pct(t.share)}" for t in theme_rows(block))
    return w.gettext(
        "Bar chart of themes in answers to %(number)s, largest first: %(themes)s.",
        number=block.number,
        themes=themes,
    )


def cloud_alt(question: str, top: Sequence[tuple[str, int]], said: Words | None = None) -> str:
    """A word cloud's alternative: the most frequent terms."""
    w = _said(said)
    terms = ", ".join(f"{t} ({w.number(n)})" for t, n in top[:10])
    return w.gettext(
        "Word cloud of answers to %(question)s. Most frequent terms: %(terms)s.",
        question=question,
        terms=terms,
    )


def alternative(kind: str, subject: Any, said: Words | None = None) -> str:
    """The alternative of a chart of `kind` (its key's part before ':') in the report's language (`said`;
    English without it); `subject` as analysis.report.build.chart_subjects gives it (the report itself for
    the progress chart)."""
    if kind == "progress":
        report: Report = subject
        return progress_alt(report.progress, report.headline, said)
    if kind == "cloud":
        return cloud_alt(subject.number, subject.top_terms, said)
    alt: dict[str, Callable[[Any, Words | None], str]] = {
        "profile": profile_alt,
        "question": question_alt,
        "rating": rating_alt,
        "number": number_alt,
        "themes": theme_alt,
    }
    return alt[kind](subject, said)
