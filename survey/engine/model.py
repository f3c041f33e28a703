"""The questionnaire model: immutable (frozen) dataclasses built by the loader from a validated definition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

from survey.engine.text import Text, localise

QuestionType = Literal[
    "single",
    "multiple",
    "rating",
    "text",
    "number",
    "info",
    "decimal",
    "money",
    "date",
    "postcode",
    "consent",
    "grid",
    "ranking",
]
OptionKind = Literal["answer", "prefer_not_to_say", "dont_know", "none"]
ConditionValue = str | int | tuple[str | int, ...] | None
Answer = str | int | float | list[str] | dict[str, str] | dict[str, list[str]] | dict[str, int]

CHOICE_TYPES = frozenset({"single", "multiple"})
ITEM_TYPES = frozenset({"rating", "grid", "ranking"})  # questions with `items`
DONT_KNOW = "dont_know"  # the stored value of "I don't know" on a number, decimal or money question
OTHER_SUFFIX = ".other"  # answers[qid + OTHER_SUFFIX]: the words typed for an "other, please specify" option


@dataclass(frozen=True)
class Compare:
    """A leaf condition: question `q` (rating `item`), operator `op`, comparison `value`."""

    q: str
    op: str
    value: ConditionValue = None
    item: str | None = None
    value_of: str | None = None  # compare with the answer to this question instead of `value`


@dataclass(frozen=True)
class All:
    """True when every sub-condition is true."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one sub-condition is true."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the sub-condition is false."""

    condition: Condition


Condition = Compare | All | AnyOf | Not


@dataclass(frozen=True)
class Option:
    """A choice with a stable `code` (stored) separate from its `label` (shown)."""

    code: str
    label: Text
    kind: OptionKind = "answer"
    exclusive: bool = False
    hint: Text | None = None
    other: bool = False  # "Other, please specify": choosing it asks for the resident's own words
    show_if: Condition | None = None  # offered only when true for the answers so far


@dataclass(frozen=True)
class Net:
    """A net figure of a question (or of each rating item): the share choosing any of `codes`."""

    codes: tuple[str, ...]
    label: Text


@dataclass(frozen=True)
class RatingItem:
    """One item of a rating set, answered on the question's shared scale."""

    id: str
    text: Text


@dataclass(frozen=True)
class Check:
    """A check across questions: when `when` is true for the answers the page's answer is refused."""

    when: Condition
    message: Text
    path: str


@dataclass(frozen=True)
class Question:
    """One page of the journey: a question, or an information / interruption page (`type == 'info'`)."""

    id: str
    type: QuestionType
    text: Text
    section_id: str
    path: str
    hint: Text | None = None
    required: bool = True
    show_if: Condition | None = None
    sensitive: bool = False
    options: tuple[Option, ...] = ()
    items: tuple[RatingItem, ...] = ()
    max_length: int = 2000
    multiline: bool = True
    min: int | float | None = None
    max: int | float | None = None
    places: int = 2
    dont_know: Text | None = None
    format: str | None = None
    pattern: str | None = None
    min_date: str | None = None
    max_date: str | None = None
    keep: str = "outward"
    label: Text | None = None
    rank_count: int | None = None
    required_if: Condition | None = None
    checks: tuple[Check, ...] = ()
    errors: tuple[tuple[str, Text], ...] = ()
    suffix: Text | None = None
    style: str = "information"
    body: Text | None = None
    show_support_contacts: bool = False
    error_subject: Text | None = None
    headline: bool = False  # a headline question: its net figures lead the report's key findings
    nets: tuple[Net, ...] = ()
    required_as_written: bool = True  # "required" as written (the appendix); `required`: the rule applied

    @property
    def asks(self) -> bool:
        """False for information and interruption pages, which ask nothing."""
        return self.type != "info"

    @property
    def codes(self) -> tuple[str, ...]:
        """Option codes (the scale's codes for a rating question)."""
        return tuple(o.code for o in self.options)

    def option(self, code: str) -> Option | None:
        """The option with this code, or None."""
        return next((o for o in self.options if o.code == code), None)

    def item(self, item_id: str) -> RatingItem | None:
        """The rating item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    def error_text(self, key: str) -> Text | None:
        """The definition's own wording for error `key` (required, invalid, bounds, format, other, unique)."""
        return dict(self.errors).get(key)

    @property
    def other_codes(self) -> tuple[str, ...]:
        """Codes of the "other, please specify" options."""
        return tuple(o.code for o in self.options if o.other)

    @property
    def screens_out(self) -> bool:
        """True for a screen-out ending: the journey stops here ("this survey is for residents of ...")."""
        return self.type == "info" and self.style == "screen_out"

    @property
    def exclusive_options(self) -> tuple[Option, ...]:
        """Options that must be chosen on their own (e.g. 'None of these')."""
        return tuple(o for o in self.options if o.exclusive)


@dataclass(frozen=True)
class Section:
    """A theme of the questionnaire with its introduction and questions."""

    id: str
    title: Text
    path: str
    intro: Text | None = None
    sensitive: bool = False
    show_if: Condition | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Owner:
    """Who runs the survey (shown on the start page and in the header)."""

    name: str
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    colour: str | None = None


@dataclass(frozen=True)
class SupportContact:
    """A support service shown on interruption pages of sensitive sections."""

    name: Text
    phone: str | None = None
    url: str | None = None
    hours: Text | None = None
    description: Text | None = None


@dataclass(frozen=True)
class TimeBudget:
    """The longest acceptable path; longer paths give a LONG_PATH warning."""

    max_questions: int = 30
    max_minutes: float = 10.0


@dataclass(frozen=True)
class Range:
    """A whole-number range [min, max] (None = unbounded) mapped onto a census category."""

    min: int | None
    max: int | None
    category: str | None


@dataclass(frozen=True)
class DemographicMapping:
    """How one question's answers map onto a reference-population dimension."""

    dimension: str
    question: str
    path: str
    map: tuple[tuple[str, str | None], ...] = ()
    ranges: tuple[Range, ...] = ()

    @cached_property
    def _codes(self) -> dict[str, str | None]:
        """`map` as a dict, made once (reports categorise every response)."""
        return dict(self.map)

    def category(self, answer: Any) -> str | None:
        """The census category of an answer, or None when it cannot be mapped."""
        return self.categorise(answer)[0]

    def categorise(self, answer: Any) -> tuple[str | None, str | None]:
        """(category, None), or (None, why not): the one rule for web, reports and weighting.

        Why not: `not_answered` (skipped, hidden, left empty), `not_stated` (mapped to null: prefer not to
        say, don't know), `unmapped` (an answer the mapping does not cover, e.g. an age outside every range).
        A multiple-choice answer with one box ticked counts as that option; with several, as unmapped.
        """
        if isinstance(answer, list | tuple):
            answer = answer[0] if len(answer) == 1 else (None if not answer else [*answer])
        if answer is None or answer == "":
            return None, NOT_ANSWERED
        if self.ranges:
            value = _number(answer)
            if value is None:
                return None, UNMAPPED
            for r in self.ranges:
                if (r.min is None or value >= r.min) and (r.max is None or value <= r.max):
                    return (r.category, None) if r.category is not None else (None, NOT_STATED)
            return None, UNMAPPED
        codes = self._codes
        if not isinstance(answer, str) or answer not in codes:
            return None, UNMAPPED
        category = codes[answer]
        return (category, None) if category is not None else (None, NOT_STATED)


NOT_ANSWERED = "not_answered"
NOT_STATED = "not_stated"
UNMAPPED = "unmapped"


def _number(answer: Any) -> float | None:
    """A stored number (or a number typed as text); None for anything else."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer)
    try:
        return float(answer) if isinstance(answer, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Questionnaire:
    """A loaded, validated questionnaire definition."""

    id: str
    version: str
    language: str
    languages: tuple[str, ...]
    title: Text
    sections: tuple[Section, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)
    description: Text | None = None
    owner: Owner | None = None
    opens: date | None = None
    closes: date | None = None
    privacy: Text | None = None
    results: Text | None = None
    exit_url: str | None = None
    support_contacts: tuple[SupportContact, ...] = ()
    time_budget: TimeBudget = TimeBudget()
    population_filter: Condition | None = None
    demographics: tuple[DemographicMapping, ...] = ()
    source: str = ""
    reference: str | None = None  # the reference population it names (`reference` or `x-reference`)
    population_name: Text | None = None  # who the population is, in a sentence ("residents")

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question (and info page) in order, across sections."""
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def _index(self) -> dict[str, tuple[int, Question, Section]]:
        index: dict[str, tuple[int, Question, Section]] = {}
        for s in self.sections:
            for q in s.questions:
                index.setdefault(q.id, (len(index), q, s))
        return index

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError if there is none."""
        return self._index[qid][1]

    def has_question(self, qid: str) -> bool:
        """True when the questionnaire has a question with this id."""
        return qid in self._index

    def position(self, qid: str) -> int:
        """The 0-based position of question `qid` in the flat order; KeyError if there is none."""
        return self._index[qid][0]

    def section_of(self, qid: str) -> Section:
        """The section holding question `qid`; KeyError if there is none."""
        return self._index[qid][2]

    def section_number(self, qid: str) -> int:
        """The 1-based number of the section holding question `qid`."""
        return self.sections.index(self.section_of(qid)) + 1

    def text(self, localised: Text | str | None, lang: str | None = None) -> str:
        """The string to show for a localised value in `lang`, falling back to the default language."""
        return localise(localised, lang or self.language)

    def is_open(self, today: date) -> bool:
        """True when `today` falls within the optional opening and closing dates (inclusive)."""
        return (self.opens is None or today >= self.opens) and (self.closes is None or today <= self.closes)

    @property
    def disclosure(self) -> dict[str, Any]:
        """The disclosure policy block as written (empty: the defaults; see analysis.disclosure)."""
        block = self.raw.get("disclosure")
        return dict(block) if isinstance(block, dict) else {}

    @property
    def sensitive_question_ids(self) -> frozenset[str]:
        """Questions that are sensitive themselves or sit in a sensitive section."""
        return frozenset(q.id for s in self.sections for q in s.questions if q.sensitive or s.sensitive)
