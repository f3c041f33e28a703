"""Semantic checks of the newer parts of the format: the reference population of demographic mappings,
exclusive options, support contacts, patterns, bounds, rankings, screen-out pages and piped answers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from survey.engine.errors import Problem, problem
from survey.engine.model import Question, Questionnaire
from survey.engine.piping import piped_ids


@dataclass(frozen=True)
class ReferenceCatalogue:
    """The reference populations a deployment knows: name -> dimension -> categories (None: any category).

    The engine does not read reference files (they belong to `analysis/`): the caller (CLI, staff pages)
    builds this from `analysis.reference` and passes it to validation; without it mappings are not checked
    against a reference.
    """

    references: Mapping[str, Mapping[str, Sequence[str] | None]] = field(default_factory=dict)
    default: str = ""


def _quote(values: Sequence[str] | Iterator[str]) -> str:
    return ", ".join(f"'{v}'" for v in values) or "(none)"


def reference_problems(
    q: Questionnaire, data: Mapping[str, object], catalogue: ReferenceCatalogue | None
) -> list[Problem]:
    """UNKNOWN_REFERENCE, UNKNOWN_DIMENSION and UNKNOWN_CATEGORY errors naming the valid values."""
    if catalogue is None or not q.demographics and "reference" not in data:
        return []
    name = data.get("reference") or catalogue.default
    if not isinstance(name, str) or name not in catalogue.references:
        return [
            problem(
                "UNKNOWN_REFERENCE", "/reference", reference=name, known=_quote(sorted(catalogue.references))
            )
        ]
    dimensions = catalogue.references[name]
    found: list[Problem] = []
    for m in q.demographics:
        if m.dimension not in dimensions:
            found.append(
                problem(
                    "UNKNOWN_DIMENSION",
                    m.path + "/dimension",
                    dimension=m.dimension,
                    reference=name,
                    known=_quote(list(dimensions)),
                )
            )
            continue
        categories = dimensions[m.dimension]
        if categories is None:
            continue
        targets = [(f"{m.path}/map/{code}", code, cat) for code, cat in m.map]
        targets += [
            (f"{m.path}/ranges/{i}/category", f"{r.min}-{r.max}", r.category) for i, r in enumerate(m.ranges)
        ]
        for path, code, category in targets:
            if category is not None and category not in categories:
                found.append(
                    problem(
                        "UNKNOWN_CATEGORY",
                        path,
                        dimension=m.dimension,
                        code=code,
                        category=category,
                        known=_quote(categories),
                    )
                )
    return found


def question_problems(q: Questionnaire) -> Iterator[Problem]:
    """Problems of single questions: exclusive options, contacts, patterns, bounds, rankings, screen-outs."""
    for question in q.questions:
        yield from _choice_problems(q, question)
        yield from _shape_problems(q, question)


def _choice_problems(q: Questionnaire, question: Question) -> Iterator[Problem]:
    """Exclusive options that do nothing or leave nothing to combine; pages without their contacts."""
    path = question.path
    if question.type == "single":
        for i, option in enumerate(question.options):
            if option.exclusive and option.kind != "none":
                yield problem(
                    "EXCLUSIVE_ON_SINGLE",
                    f"{path}/options/{i}/exclusive",
                    code=option.code,
                    question=question.id,
                )
    if (
        question.type in ("multiple", "grid")
        and len(question.options) > 1
        and all(o.exclusive for o in question.options)
    ):
        yield problem("ALL_EXCLUSIVE", path + "/options", question=question.id)
    if question.show_support_contacts and not q.support_contacts:
        yield problem("NO_SUPPORT_CONTACTS", path + "/show_support_contacts", question=question.id)


def _pattern_problems(question: Question) -> Iterator[Problem]:
    """A pattern text question needs a pattern that compiles."""
    if question.type != "text" or question.format != "pattern":
        return
    if not question.pattern:
        yield problem("MISSING_FIELD", question.path, field="pattern")
        return
    try:
        re.compile(question.pattern)
    except re.error as exc:
        yield problem("BAD_PATTERN", question.path + "/pattern", question=question.id, reason=str(exc))


def _shape_problems(q: Questionnaire, question: Question) -> Iterator[Problem]:
    """Patterns, bounds, items, rankings, dates and screen-out pages."""
    path = question.path
    yield from _pattern_problems(question)
    if question.type == "number":
        for key in ("min", "max"):
            bound = getattr(question, key)
            if bound is not None and bound != int(bound):
                yield problem("WHOLE_BOUNDS", f"{path}/{key}", field=key, question=question.id, value=bound)
    if question.type in ("grid", "ranking") and not question.items:
        yield problem("NO_OPTIONS", path + "/items", question=question.id, type=question.type, what="items")
    if question.type == "grid" and not question.options:
        yield problem("NO_OPTIONS", path + "/options", question=question.id, type="grid", what="options")
    if question.type == "ranking" and question.rank_count and question.rank_count > len(question.items):
        yield problem("BAD_BOUNDS", path + "/rank_count", min=question.rank_count, max=len(question.items))
    if (
        question.type == "date"
        and question.min_date
        and question.max_date
        and "today" not in (question.min_date, question.max_date)
        and question.min_date > question.max_date
    ):
        yield problem("BAD_BOUNDS", path, min=question.min_date, max=question.max_date)
    if question.screens_out and question.show_if is None and q.section_of(question.id).show_if is None:
        yield problem("SCREEN_OUT_ALWAYS", path, question=question.id)
    if question.other_codes and question.type not in ("single", "multiple"):
        yield problem(
            "IGNORED_FIELD",
            path + "/options",
            field="other",
            type=question.type,
            wanted="single or multiple",
        )


def piping_problems(q: Questionnaire) -> Iterator[Problem]:
    """Piped answers ({{id}}) must name a question asked before the text is shown."""
    for question in q.questions:
        for key in ("text", "hint", "body"):
            for qid in piped_ids(getattr(question, key)):
                if not q.has_question(qid):
                    yield problem("UNKNOWN_QUESTION", f"{question.path}/{key}", question=qid)
                elif q.position(qid) >= q.position(question.id):
                    yield problem(
                        "FORWARD_REFERENCE", f"{question.path}/{key}", question=qid, target=question.id
                    )
