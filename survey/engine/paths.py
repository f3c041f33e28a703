"""Path analysis: shortest and longest journeys, completion time, branch points and unreachable pages.

Rather than enumerating every possible set of answers, the analysis enumerates *answer classes*: for each
question that a condition reads, one representative answer per class the conditions can tell apart
(each option code a condition names plus one "any other" code; for numbers, each threshold and its
neighbours within the question's bounds; answered / not answered for optional questions). It walks the
questionnaire forward keeping, for each distinct combination of classes still read by a later condition,
the shortest and longest path so far: a dynamic programme whose size is bounded by the branching that is
live at one time, not by the number of paths. Multiple-choice questions with many named codes and very
large state sets are bounded (MAX_SUBSET_CODES, MAX_STATES) and the report then says it is not exhaustive.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from survey.engine.conditions import evaluate, leaves
from survey.engine.errors import Problem, problem
from survey.engine.model import Compare, Question, Questionnaire
from survey.engine.timing import page_seconds, section_seconds

MAX_SUBSET_CODES = 8
MAX_STATES = 20_000


@dataclass(frozen=True)
class BranchPoint:
    """A question whose answer decides whether later questions or sections are shown."""

    question: str
    controls: tuple[str, ...]


@dataclass(frozen=True)
class PathReport:
    """The result of path analysis over all answer classes."""

    min_questions: int
    max_questions: int
    min_minutes: float
    max_minutes: float
    branch_points: tuple[BranchPoint, ...]
    warnings: tuple[Problem, ...]
    paths: int = 1
    exhaustive: bool = True
    unreachable: tuple[str, ...] = ()
    always_shown: tuple[str, ...] = ()
    witnesses: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class _Agg:
    min_q: int
    max_q: int
    min_s: float
    max_s: float
    paths: int
    answers: dict[str, Any]
    history: dict[str, Any]

    def extend(
        self, questions: int, seconds: tuple[float, float], qid: str | None = None, value: Any = None
    ) -> _Agg:
        answers, history = self.answers, self.history
        if qid is not None and value is not None:
            answers, history = {**answers, qid: value}, {**history, qid: value}
        return _Agg(
            self.min_q + questions,
            self.max_q + questions,
            self.min_s + seconds[0],
            self.max_s + seconds[1],
            self.paths,
            answers,
            history,
        )

    def merge(self, other: _Agg) -> None:
        self.min_q, self.max_q = min(self.min_q, other.min_q), max(self.max_q, other.max_q)
        self.min_s, self.max_s = min(self.min_s, other.min_s), max(self.max_s, other.max_s)
        self.paths += other.paths


def _targets(q: Questionnaire) -> Iterator[tuple[str, int, Compare]]:
    """(target name, position of the target's last page, leaf) for every show_if leaf."""
    for section in q.sections:
        if not section.questions:
            continue
        end = q.position(section.questions[-1].id)  # a section's condition is read on each of its pages
        for leaf, _ in leaves(section.show_if):
            yield f"section {section.id}", end, leaf
        for question in section.questions:
            for leaf, _ in leaves(question.show_if):
                yield question.id, q.position(question.id), leaf


def _numbers(question: Question, named: list[Compare]) -> list[Any]:
    thresholds = sorted({v for leaf in named for v in _leaf_values(leaf) if isinstance(v, int)})
    low = question.min if question.min is not None else (thresholds[0] - 1 if thresholds else 0)
    high = question.max if question.max is not None else (thresholds[-1] + 1 if thresholds else low)
    candidates = {low, high} | {t + d for t in thresholds for d in (-1, 0, 1)}
    return sorted(c for c in candidates if low <= c <= high)


def _leaf_values(leaf: Compare) -> tuple[Any, ...]:
    return leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)


def _codes(question: Question, named: list[Compare]) -> list[str]:
    mentioned = [c for c in question.codes if any(c in _leaf_values(leaf) for leaf in named)]
    other = [c for c in question.codes if c not in mentioned][:1]
    return mentioned + other


def _multiple(question: Question, named: list[Compare]) -> tuple[list[Any], bool]:
    mentioned = [c for c in question.codes if any(c in _leaf_values(leaf) for leaf in named)]
    other = [c for c in question.codes if c not in mentioned][:1]
    exclusive = {o.code for o in question.exclusive_options}
    exhaustive = len(mentioned) <= MAX_SUBSET_CODES
    if exhaustive:
        subsets = [list(s) for n in range(len(mentioned) + 1) for s in itertools.combinations(mentioned, n)]
    else:
        subsets = [[]] + [[c] for c in mentioned]
    result = [s or other for s in subsets if len(s) < 2 or not exclusive & set(s)]
    return [r for r in result if r], exhaustive


def _rating(question: Question, named: list[Compare]) -> list[Any]:
    per_item = []
    items = [i.id for i in question.items]
    referenced = [i for i in items if any(leaf.item == i for leaf in named)]
    for item in referenced:
        codes = _codes(question, [leaf for leaf in named if leaf.item == item])
        per_item.append(codes + ([None] if not question.required else []))
    fill = question.codes[0] if question.codes else None
    result: list[Any] = []
    for combo in itertools.product(*per_item):
        value: dict[str, str | None] = dict.fromkeys(items, fill)
        value.update(dict(zip(referenced, combo, strict=True)))
        result.append({k: v for k, v in value.items() if v is not None} or None)
    return result


_EXAMPLES: dict[str, Any] = {
    "text": "Example answer",
    "date": "2000-01-01",
    "postcode": "MK9",
    "consent": "yes",
}


def _free(question: Question, named: list[Compare]) -> list[Any]:
    """Dates and postcodes: each value a condition names (a date also the day either side, for after /
    before), and an example none names, so that 'is', 'is not', 'after' and 'before' can all be met."""
    found: list[Any] = []
    for value in (v for leaf in named for v in _leaf_values(leaf) if isinstance(v, str)):
        found.append(value)
        if question.type == "date":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                continue
            found += [(day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()]
    spares = ("2000-01-01", "1999-12-31") if question.type == "date" else ("MK9", "ZZ9")
    spare = next((x for x in spares if x not in found), None)
    return found if spare is None else [*found, spare]


def answer_classes(question: Question, named: list[Compare]) -> tuple[list[Any], bool]:
    """Representative answers, one per class that the conditions in `named` can tell apart."""
    exhaustive = True
    classes: list[Any]
    if question.type == "single":
        classes = _codes(question, named)
    elif question.type == "multiple":
        classes, exhaustive = _multiple(question, named)
    elif question.type == "rating":
        classes = _rating(question, named)
    elif question.type in ("number", "decimal", "money"):
        classes = _numbers(question, named) + (["dont_know"] if question.dont_know else [])
    elif question.type == "grid" and question.items and question.options:
        classes = [{question.items[0].id: [question.codes[0]]}]
    elif question.type == "ranking" and question.items:
        count = min(question.rank_count or len(question.items), len(question.items))
        classes = [{item.id: rank for rank, item in enumerate(question.items[:count], start=1)}]
    elif question.type in ("date", "postcode"):
        classes = _free(question, named)
    else:
        classes = [_EXAMPLES[question.type]] if question.type in _EXAMPLES else []
    if not question.required or not classes:
        classes = [*classes, None]
    unique: list[Any] = []
    for c in classes:
        if c not in unique:
            unique.append(c)
    return unique, exhaustive


def _key(answers: dict[str, Any]) -> tuple[Any, ...]:
    def freeze(v: Any) -> Any:
        if isinstance(v, list):
            return tuple(v)
        return tuple(sorted(v.items())) if isinstance(v, dict) else v

    return tuple(sorted((k, freeze(v)) for k, v in answers.items()))


class _Walk:
    """The forward dynamic programme over answer classes."""

    def __init__(self, q: Questionnaire):
        self.q = q
        self.named: dict[str, list[Compare]] = {}
        self.last_use: dict[str, int] = {}
        self.controls: dict[str, list[str]] = {}
        for target, position, leaf in _targets(q):
            self.named.setdefault(leaf.q, []).append(leaf)
            self.last_use[leaf.q] = max(self.last_use.get(leaf.q, -1), position)
            if target not in self.controls.setdefault(leaf.q, []):
                self.controls[leaf.q].append(target)
        self.exhaustive = True
        self.witnesses: dict[str, dict[str, Any]] = {}
        self.sometimes_false: set[str] = set()  # targets whose condition was false for some reachable state
        self.states: dict[tuple[Any, ...], _Agg] = {(): _Agg(0, 0, 0.0, 0.0, 1, {}, {})}

    def _add(self, into: dict[tuple[Any, ...], _Agg], agg: _Agg, position: int) -> None:
        live = {k: v for k, v in agg.answers.items() if self.last_use.get(k, -1) > position}
        key = _key(live)
        agg.answers = live
        if key in into:
            into[key].merge(agg)
        elif len(into) < MAX_STATES:
            into[key] = agg
        else:
            self.exhaustive = False

    def step(self, question: Question, position: int, first_in_section: bool) -> None:
        section = self.q.section_of(question.id)
        classes, exhaustive = answer_classes(question, self.named.get(question.id, []))
        self.exhaustive &= exhaustive
        if question.id not in self.last_use:
            classes = classes[:1]  # nobody reads this answer: one representative is enough
        intro = section_seconds(section) if first_in_section else 0.0
        skipped = page_seconds(question, answering=question.required)
        seconds = (skipped + intro, page_seconds(question) + intro)
        asks = 1 if question.asks else 0
        following: dict[tuple[Any, ...], _Agg] = {}
        for agg in self.states.values():
            hidden_by = (
                "section " + section.id
                if not evaluate(section.show_if, agg.answers)
                else question.id
                if not evaluate(question.show_if, agg.answers)
                else None
            )
            if hidden_by is not None:
                self.sometimes_false.add(hidden_by)
                self._add(following, agg.extend(0, (0.0, 0.0)), position)
                continue
            self.witnesses.setdefault(question.id, dict(agg.history))
            if question.screens_out:
                continue  # the journey ends here: paths and times are those of people who take the survey
            for value in classes:
                self._add(following, agg.extend(asks, seconds, question.id, value), position)
        self.states = following

    def run(self) -> None:
        position = 0
        for section in self.q.sections:
            for index, question in enumerate(section.questions):
                self.step(question, position, index == 0)
                position += 1


def _budget_warnings(q: Questionnaire, max_questions: int, max_minutes: float) -> list[Problem]:
    budget = q.time_budget
    path = "/time_budget" if "time_budget" in q.raw else ""
    found = []
    if max_questions > budget.max_questions:
        found.append(
            problem(
                "LONG_PATH",
                path,
                reason=f"asks {max_questions} questions, more than the budget of {budget.max_questions}",
            )
        )
    if max_minutes > budget.max_minutes:
        found.append(
            problem(
                "LONG_PATH",
                path,
                reason=f"takes about {max_minutes:.1f} minutes, more than "
                f"the budget of {budget.max_minutes:g}",
            )
        )
    return found


def analyse_paths(q: Questionnaire) -> PathReport:
    """Shortest and longest paths (questions and minutes), branch points and budget warnings."""
    walk = _Walk(q)
    walk.run()
    finals = list(walk.states.values())
    min_q = min((a.min_q for a in finals), default=0)
    max_q = max((a.max_q for a in finals), default=0)
    min_m = round(min((a.min_s for a in finals), default=0.0) / 60, 1)
    max_m = round(max((a.max_s for a in finals), default=0.0) / 60, 1)
    warnings = _budget_warnings(q, max_q, max_m)
    if not walk.exhaustive:
        warnings.append(
            problem(
                "PATHS_NOT_EXHAUSTIVE",
                "",
                reason=f"more than {MAX_SUBSET_CODES} codes of "
                f"one multiple choice question, or more than {MAX_STATES} live combinations",
            )
        )
    branch_points = tuple(
        BranchPoint(qid, tuple(targets)) for qid, targets in walk.controls.items() if q.has_question(qid)
    )
    branch_points = tuple(sorted(branch_points, key=lambda b: q.position(b.question)))
    unreachable = tuple(x.id for x in q.questions if x.id not in walk.witnesses)
    conditional = [f"section {s.id}" for s in q.sections if s.show_if is not None and s.questions] + [
        x.id for x in q.questions if x.show_if is not None and x.id in walk.witnesses
    ]
    always = tuple(t for t in conditional if t not in walk.sometimes_false)
    return PathReport(
        min_q,
        max_q,
        min_m,
        max_m,
        branch_points,
        tuple(warnings),
        sum(a.paths for a in finals),
        walk.exhaustive,
        unreachable,
        always,
        walk.witnesses,
    )


def path_problems(q: Questionnaire) -> list[Problem]:
    """UNREACHABLE errors (when the analysis was exhaustive) and the path warnings of a questionnaire."""
    report = analyse_paths(q)
    found: list[Problem] = []
    if report.exhaustive:
        hidden = set(report.unreachable)
        for section in q.sections:
            ids = {x.id for x in section.questions}
            if ids and ids <= hidden:
                where = section.path + "/show_if" if section.show_if else section.path
                found.append(
                    problem(
                        "UNREACHABLE",
                        where,
                        target=f"section {section.id}",
                        reason="no earlier answers make its condition (or the conditions of all "
                        "its questions) true",
                    )
                )
                continue
            found += [
                problem(
                    "UNREACHABLE",
                    x.path + "/show_if",
                    target=x.id,
                    reason="no combination of earlier answers makes its condition true",
                )
                for x in section.questions
                if x.id in hidden
            ]
        found += _always_true(q, report.always_shown)
    return found + list(report.warnings)


def _always_true(q: Questionnaire, targets: tuple[str, ...]) -> list[Problem]:
    paths = {f"section {s.id}": s.path for s in q.sections} | {x.id: x.path for x in q.questions}
    return [problem("CONDITION_ALWAYS_TRUE", paths[t] + "/show_if", target=t) for t in targets if t in paths]
