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

from analysis.report.findings import Figure, GroupTest, PeriodChange, extremes
from analysis.report.words import Words, words
from survey.engine import Questionnaire
from survey.engine.catalogue import N_
from survey.engine.text import localise

MAX_HEADLINE = 5
MAX_DIFFERENCES = 2
MAX_CHANGES = 1
MAX_FINDINGS = 8
KINDS = {  # English msgids (the workbook shows them in the report's language)
    "headline": N_("Headline figure"),
    "difference": N_("Difference between groups"),
    "change": N_("Change since the interim report"),
    "caveat": N_("Caveat"),
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


def natural_frequency(share: float, said: Words | None = None) -> str:
    """'About 7 in 10', 'About 3 in 4', 'About 1 in 6', 'About half of', 'Almost all', 'Very few'.

    Tenths rounded half up (0.75 would be '8 in 10' and 0.65 '6 in 10' with Python's round), except that a
    share within 1.5 points of a quarter, a third, two thirds or three quarters is said that way, as people
    say it; below a fifth, '1 in N', and up to a quarter '1 in 5'.
    """
    _ = (said or words(None)).gettext
    if share >= 0.95:
        return _("Almost all")
    if share < 0.03:
        return _("Very few")
    if share < 0.2:
        return _("About 1 in %(den)s", den=int(1 / share + 0.5))
    for num, den in SIMPLE_FRACTIONS:
        if abs(share - num / den) <= SIMPLE_WITHIN:
            return _("About %(num)s in %(den)s", num=num, den=den)
    tenths = int(share * 10 + 0.5)
    if tenths == 5:
        return _("About half of")
    if tenths == 2:  # "1 in 5", as a share just under a fifth is said: never "2 in 10"
        return _("About 1 in %(den)s", den=5)
    return _("About %(num)s in %(den)s", num=tenths, den=10)


def interval_words(low: float | None, high: float | None, said: Words | None = None) -> str:
    """'95% CI 24–39%', or '' without an interval."""
    if low is None or high is None:
        return ""
    return (said or words(None)).gettext("95% CI") + f" {100 * low:.0f}–{100 * high:.0f}%"


def weighted_pct(fig: Figure, said: Words | None = None) -> str:
    """'75%', or '75% weighted' for a weighted figure: the tables and charts beside a key finding show the
    unweighted share first, so a weighted figure says which it is."""
    said = said or words(None)
    share = said.pct(fig.estimate)
    return said.gettext("%(pct)s weighted", pct=share) if fig.weighted else share


def p_words(p: float, said: Words | None = None) -> str:
    """'adjusted p < 0.001' or 'adjusted p = 0.012'."""
    _ = (said or words(None)).gettext
    return _("adjusted p < 0.001") if p < 0.001 else _("adjusted p = %(p)s", p=format(p, ".3f"))


def who_clause(who: str, label: str, said: Words | None = None) -> str:
    """'residents who are fairly or very concerned about cyber crime, such as online fraud,': a label
    with a comma inside gets a closing one, so the sentence's verb does not join the label's last clause."""
    clause = (said or words(None)).gettext("%(who)s who %(label)s", who=who, label=label)
    return clause + "," if "," in label else clause


def _side_words(side: Compared, said: Words) -> str:
    ci = interval_words(side.low, side.high, said)
    return f"{said.pct(side.share)} {side.among}" + (f" ({ci})" if ci else "")


def key_findings(
    questionnaire: Questionnaire,
    figs: Sequence[Figure],
    tests: Sequence[GroupTest],
    changes: Sequence[PeriodChange],
    caveat: str,
    caveat_source: tuple[str, str] | None = None,
    interim_label: str = "the interim report",
) -> tuple[KeyFinding, ...]:
    """The key findings by the documented rule (module docstring)."""
    lang = questionnaire.language
    said = words(lang)
    _ = said.gettext
    who = localise(questionnaire.population_name, lang) or _("respondents")
    caveat_source = caveat_source or ("profile", _("Who responded"))
    if interim_label == "the interim report":
        interim_label = _("the interim report")
    out: list[KeyFinding] = []
    best: dict[str, Figure] = {}
    for fig in figs:
        if fig.headline and (fig.question not in best or fig.estimate > best[fig.question].estimate):
            best[fig.question] = fig
    for fig in list(best.values())[:MAX_HEADLINE]:
        out.append(
            KeyFinding(
                "headline",
                _(
                    "%(about)s %(who)s (%(pct)s, %(ci)s) %(label)s.",
                    about=natural_frequency(fig.estimate, said),
                    who=who,
                    pct=weighted_pct(fig, said),
                    ci=interval_words(fig.low, fig.high, said),
                    label=fig.label,
                ),
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
        out.append(_difference(test, by_id[test.figure], who, len(tests), said))
    for change in sorted((c for c in changes if c.significant), key=lambda c: -abs(c.points))[:MAX_CHANGES]:
        out.append(_change(change, by_id[change.figure], who, len(changes), interim_label, said))
    out.append(KeyFinding("caveat", caveat, None, None, None, None, caveat_source[0], caveat_source[1]))
    while len(out) > MAX_FINDINGS:
        drop = next((i for i in range(len(out) - 1, -1, -1) if out[i].kind == "difference"), len(out) - 2)
        del out[drop]
    return tuple(out)


def _difference(test: GroupTest, fig: Figure, who: str, made: int, said: Words) -> KeyFinding:
    _ = said.gettext
    hi, lo = extremes(test.groups)
    sides = tuple(Compared(g.group, g.among, g.share, g.low, g.high, g.base) for g in (hi, lo))
    values = {
        "who": who_clause(who, fig.label, said),
        "dimension": test.title.lower(),
        "high": said.pct(hi.share),
        "high_among": hi.among,
        "low": said.pct(lo.share),
        "low_among": lo.among,
        "made": made,
    }
    return KeyFinding(
        "difference",
        (
            _(
                "The share of %(who)s differs by %(dimension)s: %(high)s %(high_among)s against %(low)s "
                "%(low_among)s (weighted shares; a significant difference after allowing for the %(made)s "
                "comparisons made).",
                **values,
            )
            if fig.weighted
            else _(
                "The share of %(who)s differs by %(dimension)s: %(high)s %(high_among)s against %(low)s "
                "%(low_among)s (a significant difference after allowing for the %(made)s comparisons made).",
                **values,
            )
        ),
        round(hi.share - lo.share, 4),
        None,
        None,
        sum(g.base for g in test.groups),
        test.anchor,
        _("%(title)s (by %(dimension)s)", title=fig.source_title, dimension=test.title.lower()),
        compared=sides,
        comparison=_(
            "%(first)s against %(second)s",
            first=_side_words(sides[0], said),
            second=_side_words(sides[1], said),
        ),
        significance=_(
            "Significant after allowing for the %(made)s comparisons made (Rao–Scott test, "
            "Benjamini–Hochberg; %(p)s)",
            made=made,
            p=p_words(test.p_adjusted, said),
        ),
        p_adjusted=test.p_adjusted,
        comparisons=made,
    )


def _change(change: PeriodChange, fig: Figure, who: str, made: int, interim: str, said: Words) -> KeyFinding:
    _ = said.gettext
    sides = (
        Compared(
            _("Answered by %(interim)s", interim=interim),
            _("among those who answered by %(interim)s", interim=interim),
            change.before,
            change.before_low,
            change.before_high,
            change.base_before,
        ),
        Compared(
            _("Answered after %(interim)s", interim=interim),
            _("among those who answered later"),
            change.after,
            change.after_low,
            change.after_high,
            change.base_after,
        ),
    )
    values = {
        "who": who_clause(who, change.label, said),
        "before": said.pct(change.before),
        "before_among": sides[0].among,
        "after": said.pct(change.after),
        "after_among": sides[1].among,
    }
    return KeyFinding(
        "change",
        _change_sentence(change.points > 0, fig.weighted, values, said),
        round(change.after - change.before, 4),
        None,
        None,
        change.base_before + change.base_after,
        "changes",
        _("What changed since the interim report: %(title)s", title=fig.source_title),
        compared=sides,
        comparison=_(
            "%(first)s against %(second)s",
            first=_side_words(sides[0], said),
            second=_side_words(sides[1], said),
        ),
        significance=_(
            "Significant after allowing for the %(made)s headline figures compared (Wald test, "
            "Benjamini–Hochberg; %(p)s)",
            made=made,
            p=p_words(change.p_adjusted, said),
        ),
        p_adjusted=change.p_adjusted,
        comparisons=made,
    )


def _change_sentence(rose: bool, weighted: bool, values: Mapping[str, Any], said: Words) -> str:
    """'The share of … rose from 40% among … to 52% among …' (with '(weighted shares)' when weighted): a
    whole sentence per case, so a translator sees each as it is read."""
    _ = said.gettext
    if rose and weighted:
        return _(
            "The share of %(who)s rose from %(before)s %(before_among)s to %(after)s %(after_among)s "
            "(weighted shares).",
            **values,
        )
    if rose:
        return _(
            "The share of %(who)s rose from %(before)s %(before_among)s to %(after)s %(after_among)s.",
            **values,
        )
    if weighted:
        return _(
            "The share of %(who)s fell from %(before)s %(before_among)s to %(after)s %(after_among)s "
            "(weighted shares).",
            **values,
        )
    return _(
        "The share of %(who)s fell from %(before)s %(before_among)s to %(after)s %(after_among)s.", **values
    )
