"""Charts in one house style (matplotlib, Agg, Okabe–Ito colours) as SVG, each with its text alternative.

The alternatives are analysis.report.chart_text's, which the formats without pictures use undrawn.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from analysis.report import chart_text  # noqa: E402
from analysis.report.chart_text import pct  # noqa: E402
from analysis.report.model import (  # noqa: E402
    Chart,
    DayCount,
    Headline,
    NumberResult,
    ProfileDimension,
    QuestionResult,
    RatingSet,
    ThemeBlock,
)

BLUE, SKY, GREEN, YELLOW, ORANGE, VERMILLION, PURPLE = (
    "#0072B2",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#E69F00",
    "#D55E00",
    "#CC79A7",
)
GREY, INK = "#8C8C8C", "#0B0C0C"
DIVERGING = (BLUE, SKY, "#C8C8C8", ORANGE, VERMILLION)
STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#505a5f",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.hashsalt": "survey-report",
    "svg.fonttype": "none",
}


def _svg(fig: Figure, alt: str) -> Chart:
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return Chart("image/svg+xml", buffer.getvalue(), alt)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def progress_chart(days: Sequence[DayCount], headline: Headline) -> Chart:
    """Complete responses per day (bars) and in total (line), with a dashed projection to the close."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 3.0)
        ax = fig.add_subplot()
        xs = list(range(len(days)))  # day numbers from the first day; ticks labelled weekly
        ax.bar(xs, [d.complete for d in days], color=SKY, label="Completed that day", width=0.9)
        ax2 = ax.twinx()
        ax2.plot(xs, [d.cumulative for d in days], color=BLUE, linewidth=2, label="Total completed")
        if days and headline.days_left and headline.projected_at_close is not None:
            ax2.plot(
                [xs[-1], xs[-1] + headline.days_left],
                [days[-1].cumulative, headline.projected_at_close],
                color=BLUE,
                linestyle="--",
                linewidth=1.5,
                label="Projection at recent rate",
            )
        ax.set_ylabel("Per day")
        ticks = [*range(0, len(days), 7)]
        ax.set_xticks(ticks, [f"{days[i].day.day} {days[i].day:%b}" for i in ticks])
        ax2.set_ylabel("Total")
        ax2.spines["right"].set_visible(True)
        ax.tick_params(axis="x", labelrotation=30)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8
        )
    return _svg(fig, chart_text.progress_alt(days, headline))


def question_chart(result: QuestionResult) -> Chart:
    """Horizontal bars of the unweighted shares with 95% intervals, weighted shares as diamonds."""
    rows = list(result.rows)
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 0.9 + 0.36 * len(rows))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        labels: list[tuple[Any, float | None, float]] = []
        for y, row in zip(ys, rows, strict=True):
            if row.share is None:  # said in the axis label, never written over the plot
                continue
            colour = BLUE if row.kind == "answer" else GREY
            ax.barh(y, row.share, color=colour, height=0.6)
            if row.low is not None and row.high is not None:
                ax.errorbar(
                    row.share,
                    y,
                    xerr=[[row.share - row.low], [row.high - row.share]],
                    fmt="none",
                    ecolor=INK,
                    elinewidth=0.8,
                    capsize=2,
                )
            if row.weighted_share is not None:
                ax.plot(row.weighted_share, y, marker="D", color=ORANGE, markersize=5, linestyle="none")
            label = ax.text((row.high or row.share) + 0.01, y, pct(row.share), va="center", fontsize=8)
            labels.append((label, row.weighted_share, y))
        ax.set_yticks(
            ys, [_wrap(r.label + (" (suppressed: small number)" if r.share is None else "")) for r in rows]
        )
        largest = max([r.high or r.share or 0.0 for r in rows] + [r.weighted_share or 0.0 for r in rows])
        ax.set_xlim(0, min(1.08, max(0.2, largest * 1.15 + 0.04)))  # small shares get room to be read
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(f"Share of respondents who answered (n = {result.base})")
        if any(r.weighted_share is not None for r in rows):
            key = [
                Patch(color=BLUE, label="Unweighted share, with 95% interval"),
                Line2D(
                    [], [], marker="D", color=ORANGE, linestyle="none", markersize=5, label="Weighted share"
                ),
            ]
            ax.legend(
                handles=key, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8
            )
            _clear_of_diamonds(fig, ax, labels)
    return _svg(fig, chart_text.question_alt(result))


def _clear_of_diamonds(fig: Figure, ax: Any, labels: Sequence[tuple[Any, float | None, float]]) -> None:
    """Move a bar's value label past its weighted-share diamond where the two would overlap.

    The label sits just after the bar's interval; a weighted share a little larger puts the diamond on
    the label ("◆%"). Positions are measured after layout, in points, so the test does not depend on the
    axis range.
    """
    fig.draw_without_rendering()
    points = fig.dpi / 72
    half = 4.5 * points  # a 5-point diamond is 3.5 points either side of its centre, plus a margin
    for label, weighted, y in labels:
        if weighted is None:
            continue
        box = label.get_window_extent()
        centre = ax.transData.transform((weighted, y))[0]
        if centre + half > box.x0 and centre - half < box.x1:
            label.set_x(ax.transData.inverted().transform((centre + half, 0))[0])


def rating_chart(rating: RatingSet) -> Chart:
    """Every item of a rating set as one stacked horizontal bar across the scale."""
    colours = _scale_colours(rating.codes)
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 1.4 + 0.45 * len(rating.items))
        ax = fig.add_subplot()
        ys = list(range(len(rating.items)))[::-1]
        lefts = [0.0] * len(rating.items)
        for j, label in enumerate(rating.labels):
            widths = [(item[3][j] or 0.0) for item in rating.items]
            ax.barh(ys, widths, left=lefts, color=colours[j], label=label, height=0.6, edgecolor="white")
            for y, left, w in zip(ys, lefts, widths, strict=True):
                if w >= 0.06:
                    ax.text(
                        left + w / 2,
                        y,
                        pct(w),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if colours[j] in (BLUE, VERMILLION) else INK,
                    )
            lefts = [a + b for a, b in zip(lefts, widths, strict=True)]
        ax.set_yticks(ys, [_wrap(f"{item[1]} (n = {item[2]})", 30) for item in rating.items])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=min(3, len(rating.labels)),
            frameon=False,
            fontsize=8,
        )
    return _svg(fig, chart_text.rating_alt(rating))


def _scale_colours(codes: Sequence[str]) -> list[str]:
    """Diverging colours for the answer points, grey for 'don't know' style points at the end."""
    answer = [c for c in codes if c not in ("dont_know", "prefer_not_to_say")]
    out = []
    for code in codes:
        if code not in answer:
            out.append(GREY)
            continue
        i = answer.index(code)
        pos = round(i * (len(DIVERGING) - 1) / max(1, len(answer) - 1))
        out.append(DIVERGING[pos])
    return out


def profile_chart(dim: ProfileDimension) -> Chart:
    """Respondents' shares beside the population's for one dimension."""
    rows = list(dim.rows)
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 0.9 + 0.42 * len(rows))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        ax.barh(
            [y + 0.2 for y in ys],
            [r.sample_share or 0.0 for r in rows],
            height=0.38,
            color=BLUE,
            label="Respondents",
        )
        ax.barh(
            [y - 0.2 for y in ys],
            [r.population_share for r in rows],
            height=0.38,
            color=ORANGE,
            label="Population (Census 2021)",
        )
        ax.set_yticks(ys, [_wrap(r.category, 30) + (" ▼" if r.flag == "under" else "") for r in rows])
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8)
    return _svg(fig, chart_text.profile_alt(dim))


def number_chart(result: NumberResult) -> Chart:
    """Bands of a number question (e.g. age) as vertical bars."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 2.6)
        ax = fig.add_subplot()
        labels = [b[0] for b in result.bands]
        ax.bar(labels, [b[2] or 0.0 for b in result.bands], color=BLUE)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(f"n = {result.base}")
    return _svg(fig, chart_text.number_alt(result))


def theme_chart(block: ThemeBlock) -> Chart:
    """Themes of one free-text question as ranked horizontal bars (largest first): what leads the section."""
    rows = chart_text.theme_rows(block)
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.2, 0.9 + 0.34 * max(len(rows), 1))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        ax.barh(ys, [t.share or 0.0 for t in rows], color=BLUE, height=0.6)
        for y, t in zip(ys, rows, strict=True):
            ax.text((t.share or 0.0) + 0.005, y, pct(t.share), va="center", fontsize=8)
        ax.set_yticks(ys, [_wrap(t.label, 30) for t in rows])
        largest = max([t.share or 0.0 for t in rows] + [0.1])
        ax.set_xlim(0, min(1.0, largest * 1.2 + 0.03))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(f"Share of the {block.answered} who wrote an answer")
    return _svg(fig, chart_text.theme_alt(block))


def cloud_chart(png: bytes, question: str, top: Sequence[tuple[str, int]]) -> Chart:
    """A word cloud picture with its alternative: the most frequent terms."""
    return Chart("image/png", png, chart_text.cloud_alt(question, top))
