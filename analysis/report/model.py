"""The report model: frozen dataclasses holding every number a report shows (charts are kept apart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

KINDS = ("interim", "final")
FORMAT_VERSION = "1.0"


@dataclass(frozen=True)
class Headline:
    """Responses so far, completion, time left and where the count is heading."""

    started: int
    complete: int
    completion_rate: float | None
    opens: date
    closes: date | None  # None: no closing date set (neither in the questionnaire nor by staff)
    days_open: int
    days_left: int | None  # None without a closing date

    recent_per_day: float  # complete responses per day over the last 14 days
    projected_at_close: int | None  # None without a closing date
    median_minutes: float | None
    outside_population: int | None  # None in partner and public outputs (it links hidden answers)
    # unfinished journeys a screen-out page ended (the survey was not for them), not counted as drop-outs
    # and left out of the completion rate; None in a partner or public output when under the threshold
    screened_out: int | None = 0


@dataclass(frozen=True)
class DayCount:
    """Responses started and completed on one day, with the running total of complete ones."""

    day: date
    started: int
    complete: int
    cumulative: int


@dataclass(frozen=True)
class Tally:
    """Started and complete responses for one channel or mode."""

    name: str
    started: int | None  # None: hidden (disclosure control)
    complete: int | None


@dataclass(frozen=True)
class ProfileRow:
    """One census category: respondents (unweighted and weighted share) against the population."""

    category: str
    respondents: int | None  # None in partner and public outputs (flags and population shares only)
    sample_share: float | None
    weighted_share: float | None
    population_share: float
    index: float | None
    flag: str
    needed: int
    channels: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ProfileDimension:
    """Respondents against the census on one dimension (age, sex, tenure, ...)."""

    dimension: str
    title: str
    question: str
    universe: str
    caveat: str
    respondents: int | None
    missing: dict[str, int]
    rows: tuple[ProfileRow, ...]
    dissimilarity: float
    findings: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    """An under-represented group: how many more responses it needs and who can reach it."""

    dimension: str
    group: str
    sample_share: float
    population_share: float
    needed: int
    partners: tuple[str, ...]
    advice: str


@dataclass(frozen=True)
class Weighting:
    """How the weights were made and what they cost in precision."""

    applied: bool
    margins: tuple[str, ...]
    respondents: int | None  # None in partner and public outputs
    converged: bool
    effective_n: float
    efficiency: float | None
    deff: float | None
    min_weight: float | None
    max_weight: float | None
    cap: float | None
    messages: tuple[str, ...]


@dataclass(frozen=True)
class OptionRow:
    """One answer: count and shares with 95% intervals (None where suppressed or not weighted)."""

    code: str
    label: str
    kind: str
    count: int | None
    share: float | None
    low: float | None
    high: float | None
    weighted_share: float | None
    weighted_low: float | None
    weighted_high: float | None
    suppressed: str | None


@dataclass(frozen=True)
class QuestionResult:
    """A closed question (or one rating item): the table behind its chart."""

    id: str
    item: str | None
    number: str
    section: str
    text: str
    type: str
    base: int | None  # None: hidden (disclosure control), like every count of the table then
    base_note: str
    weighted_base: float | None
    effective_n: float | None
    low_effective_n: bool
    sensitive: bool
    rows: tuple[OptionRow, ...]
    population: str = ""  # whom the figures describe ("Residents (...)", "All respondents (...)")
    small_base: bool = False  # unweighted base below 30: treat with caution
    others: tuple[OtherGroup, ...] = ()  # groups outside the population asked the same question
    paper_note: str = ""  # how many paper forms marked it left blank / several boxes (analysis.paper_marks)


@dataclass(frozen=True)
class OtherGroup:
    """Respondents outside the population (e.g. businesses) asked the same question: unweighted shares."""

    label: str
    base: int
    shares: tuple[float | None, ...]  # per row of the table; None when the group is too small for shares
    counts: tuple[int, ...] = ()  # per row of the table (non-sensitive questions only)


@dataclass(frozen=True)
class RatingSet:
    """A rating question's items on one scale: the comparative stacked-bar chart and its table."""

    id: str
    number: str
    text: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    items: tuple[tuple[str, str, int | None, tuple[float | None, ...]], ...]  # (item, label, base, shares)


@dataclass(frozen=True)
class NumberResult:
    """A number question (e.g. age) in bands, with its median."""

    id: str
    number: str
    text: str
    base: int | None
    median: float | None
    mean: float | None
    bands: tuple[tuple[str, int | None, float | None], ...]  # (label, count, share); None = suppressed
    population: str = ""  # whom the figures describe ("Residents"), as the closed questions say it


@dataclass(frozen=True)
class ThemeRow:
    """A theme in one free-text question: respondents mentioning it and redacted quotes."""

    id: str
    label: str
    respondents: int | None
    share: float | None
    quotes: tuple[str, ...]
    # Of the respondents: counted from staff hand codes (None: nobody coded, or a part would be a small cell)
    staff: int | None = None
    model: int | None = None  # of the respondents: counted from the model's tags where staff did not code


@dataclass(frozen=True)
class Emerging:
    """A possible new theme found among answers no theme covers."""

    label: str
    size: int
    key_terms: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class ThemeBlock:
    """Themes of one free-text question."""

    question: str
    number: str
    text: str
    answered: int | None
    untagged: int | None
    themes: tuple[ThemeRow, ...]
    emerging: tuple[Emerging, ...]
    top_terms: tuple[tuple[str, int], ...]
    sampled: int | None  # answers used for discovery and the word cloud when there were very many
    hand_coded: int = 0  # answers whose themes are the staff's hand codes (the rest: the model's tags)


@dataclass(frozen=True)
class Change:
    """A share that moved between the last interim snapshot and this report (percentage points)."""

    question: str
    item: str | None
    code: str
    label: str
    before: float
    after: float
    points: float
    significant: bool


@dataclass(frozen=True)
class Comparison:
    """What changed since the latest stored interim report."""

    snapshot_id: int | None
    as_of: date | None
    responses_before: int
    responses_after: int
    changes: tuple[Change, ...]
    theme_changes: tuple[Change, ...]
    new_themes: tuple[str, ...]


@dataclass(frozen=True)
class AppendixQuestion:
    """A question as asked, with its answers and when it is shown."""

    number: str
    id: str
    text: str
    type: str
    required: bool
    answers: tuple[str, ...]
    items: tuple[str, ...]
    shown_when: str


@dataclass(frozen=True)
class AppendixSection:
    """A section of the questionnaire as asked."""

    title: str
    shown_when: str
    sensitive: bool
    questions: tuple[AppendixQuestion, ...]


@dataclass(frozen=True)
class Chart:
    """A chart as SVG (or PNG) bytes with its text alternative."""

    mime: str
    data: bytes
    alt: str


@dataclass(frozen=True)
class Report:
    """An interim or final report; `to_dict` (analysis.report.jsonout) gives its numbers."""

    kind: str
    title: str
    organisation: str
    questionnaire_id: str
    questionnaire_versions: tuple[str, ...]
    as_of: date
    generated_at: datetime
    reference: str
    reference_version: str
    codebook: str
    codebook_version: str
    min_cell: int
    headline: Headline
    progress: tuple[DayCount, ...]
    channels: tuple[Tally, ...]
    modes: tuple[Tally, ...]
    profile: tuple[ProfileDimension, ...]
    actions: tuple[Action, ...]
    weighting: Weighting
    questions: tuple[QuestionResult, ...]
    ratings: tuple[RatingSet, ...]
    numbers: tuple[NumberResult, ...]
    themes: tuple[ThemeBlock, ...]
    comparison: Comparison | None
    methods: tuple[tuple[str, str], ...]  # (heading, paragraph)
    appendix: tuple[AppendixSection, ...]
    key_findings: tuple[Any, ...] = ()  # analysis.report.keyfindings.KeyFinding
    figures: tuple[Any, ...] = ()  # analysis.report.findings.Figure
    group_tests: tuple[Any, ...] = ()  # analysis.report.findings.GroupTest
    period_changes: tuple[Any, ...] = ()  # analysis.report.findings.PeriodChange
    language: str = "en"  # the questionnaire's language: the report's <html lang> and the PDF's /Lang
    audience: str = "internal"  # internal, partner or public (analysis.disclosure.Audience)
    disclosure: dict[str, Any] = field(default_factory=dict)  # policy, rounding, routing links, release point
    charts: dict[str, Chart] = field(default_factory=dict, compare=False, repr=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def question(self, qid: str, item: str | None = None) -> QuestionResult:
        """The result for one question (or rating item); KeyError if absent."""
        for q in self.questions:
            if q.id == qid and q.item == item:
                return q
        raise KeyError(f"no closed question {qid!r}" + (f" item {item!r}" if item else ""))
