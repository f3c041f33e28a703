"""The key findings of a report, chosen by a documented rule and written in plain English.

Rule (docs/reports.md, "Key findings rule"): for each headline question in questionnaire order its largest
net figure (at most 5), then the clearest significant group differences (smallest adjusted p-value, one
per figure, at most 2; 1 when a change is listed), then the largest significant change since the interim
(at most 1), then the representativeness caveat; at most 8 points.

Each finding keeps, besides its sentence, what the HTML, the workbook and the JSON show beside it: the
figure and its 95% interval, the base, the two groups compared (with their shares and intervals) and how
the comparison was judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.estimates import text_of
from analysis.report.findings import Figure, GroupTest, PeriodChange, extremes, pct

MAX_HEADLINE = 5
MAX_DIFFERENCES = 2
MAX_CHANGES = 1
MAX_FINDINGS = 8
KINDS = {
    "headline": "Headline figure",
    "difference": "Difference between groups",
    "change": "Change since the interim report",
    "caveat": "Caveat",
}


@dataclass(frozen=True)
class Compared:
    """One side of a comparison in a key finding: a group (or period) with its share and interval."""

    group: str  # as tables name it: "Female", "Answered by 13 June 2016"
    among: str  # as sentences name it: "among women"
    share: float
    low: float | None
    high: float | None
    base: int


@dataclass(frozen=True)
class KeyFinding:
    """One key finding: a plain sentence, its estimate and interval, base and source table; for a
    difference or change also the two sides compared and how the comparison was judged."""

    kind: str  # headline, difference, change, caveat
    text: str
    estimate: float | None  # the share; a difference: highest minus lowest; a change: after minus before
    low: float | None
    high: float | None
    base: int | None
    source: str
    source_title: str
    compared: tuple[Compared, ...] = ()  # difference: highest, lowest; change: before, after
    comparison: str = ""  # the sides in words, with their intervals
    significance: str = ""  # how the comparison was judged, in words
    p_adjusted: float | None = None
    comparisons: int | None = None  # how many comparisons the Benjamini–Hochberg step allowed for


SIMPLE_FRACTIONS = ((1, 4), (1, 3), (2, 3), (3, 4))  # said instead of tenths when within SIMPLE_WITHIN
SIMPLE_WITHIN = 0.015


def natural_frequency(share: float) -> str:
    """'About 7 in 10', 'About 3 in 4', 'About 1 in 6', 'About half of', 'Almost all', 'Very few'.

    Tenths rounded half up (0.75 would be '8 in 10' and 0.65 '6 in 10' with Python's round), except that a
    share within 1.5 points of a quarter, a third, two thirds or three quarters is said that way, as people
    say it; below a fifth, '1 in N'.
    """
    if share >= 0.95:
        return "Almost all"
    if share < 0.03:
        return "Very few"
    if share < 0.2:
        return f"About 1 in {int(1 / share + 0.5)}"
    for num, den in SIMPLE_FRACTIONS:
        if abs(share - num / den) <= SIMPLE_WITHIN:
            return f"About {num} in {den}"
    tenths = int(share * 10 + 0.5)
    if tenths == 5:
        return "About half of"
    return f"About {tenths} in 10"


def interval_words(low: float | None, high: float | None) -> str:
    """'95% CI 24–39%', or '' without an interval."""
    if low is None or high is None:
        return ""
    return f"95% CI {100 * low:.0f}–{100 * high:.0f}%"


def weighted_word(fig: Figure) -> str:
    """' weighted' after a weighted figure's share: the tables and charts beside a key finding show the
    unweighted share first, so a weighted figure says which it is."""
    return " weighted" if fig.weighted else ""


def p_words(p: float) -> str:
    """'adjusted p < 0.001' or 'adjusted p = 0.012'."""
    return "adjusted p < 0.001" if p < 0.001 else f"adjusted p = {p:.3f}"


def who_clause(who: str, label: str) -> str:
    """'residents who are fairly or very concerned about cyber crime, such as online fraud,': a label
    with a comma inside gets a closing one, so the sentence's verb does not join the label's last clause."""
    clause = f"{who} who {label}"
    return clause + "," if "," in label else clause


def _side_words(side: Compared) -> str:
    ci = interval_words(side.low, side.high)
    return f"{pct(side.share)} {side.among}" + (f" ({ci})" if ci else "")


def key_findings(
    questionnaire: Mapping[str, Any],
    figs: Sequence[Figure],
    tests: Sequence[GroupTest],
    changes: Sequence[PeriodChange],
    caveat: str,
    caveat_source: tuple[str, str] = ("profile", "Who responded"),
    interim_label: str = "the interim report",
) -> tuple[KeyFinding, ...]:
    """The key findings by the documented rule (module docstring)."""
    lang = str(questionnaire.get("language", "en"))
    who = text_of(questionnaire.get("population_name"), lang) or "respondents"
    out: list[KeyFinding] = []
    best: dict[str, Figure] = {}
    for fig in figs:
        if fig.headline and (fig.question not in best or fig.estimate > best[fig.question].estimate):
            best[fig.question] = fig
    for fig in list(best.values())[:MAX_HEADLINE]:
        out.append(
            KeyFinding(
                "headline",
                f"{natural_frequency(fig.estimate)} {who} ({pct(fig.estimate)}{weighted_word(fig)}, "
                f"{interval_words(fig.low, fig.high)}) {fig.label}.",
                fig.estimate,
                fig.low,
                fig.high,
                fig.base,
                fig.source,
                fig.source_title,
            )
        )
    by_id = {f.id: f for f in figs}
    used: set[str] = set()
    budget = max(MAX_DIFFERENCES - (1 if any(c.significant for c in changes) else 0), 1)
    # a headline difference rests on groups large enough to judge (two or more without a small base)
    judgeable = (t for t in tests if t.significant and sum(not g.small for g in t.groups) >= 2)
    for test in sorted(judgeable, key=lambda t: t.p_adjusted):
        if sum(f.kind == "difference" for f in out) >= budget or test.figure in used:
            continue
        used.add(test.figure)
        out.append(_difference(test, by_id[test.figure], who, len(tests)))
    for change in sorted((c for c in changes if c.significant), key=lambda c: -abs(c.points))[:MAX_CHANGES]:
        out.append(_change(change, by_id[change.figure], who, len(changes), interim_label))
    out.append(KeyFinding("caveat", caveat, None, None, None, None, caveat_source[0], caveat_source[1]))
    while len(out) > MAX_FINDINGS:
        drop = next((i for i in range(len(out) - 1, -1, -1) if out[i].kind == "difference"), len(out) - 2)
        del out[drop]
    return tuple(out)


def _difference(test: GroupTest, fig: Figure, who: str, made: int) -> KeyFinding:
    hi, lo = extremes(test.groups)
    sides = tuple(Compared(g.group, g.among, g.share, g.low, g.high, g.base) for g in (hi, lo))
    return KeyFinding(
        "difference",
        f"The share of {who_clause(who, fig.label)} differs by {test.title.lower()}: {pct(hi.share)} "
        f"{hi.among} against {pct(lo.share)} {lo.among} ({'weighted shares; ' if fig.weighted else ''}a "
        f"significant difference after allowing for the {made} comparisons made).",
        round(hi.share - lo.share, 4),
        None,
        None,
        sum(g.base for g in test.groups),
        test.anchor,
        f"{fig.source_title} (by {test.title.lower()})",
        compared=sides,
        comparison=" against ".join(_side_words(s) for s in sides),
        significance=(
            f"Significant after allowing for the {made} comparisons made (Rao–Scott test, "
            f"Benjamini–Hochberg; {p_words(test.p_adjusted)})"
        ),
        p_adjusted=test.p_adjusted,
        comparisons=made,
    )


def _change(change: PeriodChange, fig: Figure, who: str, made: int, interim: str) -> KeyFinding:
    sides = (
        Compared(
            f"Answered by {interim}",
            f"among those who answered by {interim}",
            change.before,
            change.before_low,
            change.before_high,
            change.base_before,
        ),
        Compared(
            f"Answered after {interim}",
            "among those who answered later",
            change.after,
            change.after_low,
            change.after_high,
            change.base_after,
        ),
    )
    direction = "rose" if change.points > 0 else "fell"
    return KeyFinding(
        "change",
        f"The share of {who_clause(who, change.label)} {direction} from {pct(change.before)} "
        f"{sides[0].among} to {pct(change.after)} {sides[1].among}"
        f"{' (weighted shares)' if fig.weighted else ''}.",
        round(change.after - change.before, 4),
        None,
        None,
        change.base_before + change.base_after,
        "changes",
        f"What changed since the interim report: {fig.source_title}",
        compared=sides,
        comparison=" against ".join(_side_words(s) for s in sides),
        significance=(
            f"Significant after allowing for the {made} headline figures compared (Wald test, "
            f"Benjamini–Hochberg; {p_words(change.p_adjusted)})"
        ),
        p_adjusted=change.p_adjusted,
        comparisons=made,
    )
