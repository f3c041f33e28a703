"""Semantic checks a JSON Schema cannot express: ids, options, conditions, dates, mappings, paths."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from survey.engine.conditions import leaves
from survey.engine.errors import Problem, problem
from survey.engine.localisation import control_problems, translation_problems
from survey.engine.model import Compare, Condition, DemographicMapping, Question, Questionnaire
from survey.engine.semantic_more import (
    ReferenceCatalogue,
    piping_problems,
    question_problems,
    reference_problems,
)

ALLOWED_OPERATORS: dict[str, frozenset[str]] = {
    "single": frozenset({"equals", "not_equals", "in", "not_in", "answered"}),
    "rating_item": frozenset({"equals", "not_equals", "in", "not_in", "answered"}),
    "rating": frozenset({"answered"}),
    "multiple": frozenset({"contains", "in", "not_in", "answered"}),
    "number": frozenset({"equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "answered"}),
    "decimal": frozenset({"gt", "gte", "lt", "lte", "answered"}),
    "money": frozenset({"gt", "gte", "lt", "lte", "answered"}),
    "date": frozenset({"gt", "gte", "lt", "lte", "answered"}),
    "postcode": frozenset({"equals", "not_equals", "in", "not_in", "answered"}),
    "consent": frozenset({"answered"}),
    "grid": frozenset({"answered"}),
    "ranking": frozenset({"answered"}),
    "text": frozenset({"answered"}),
    "info": frozenset(),
}
_FREE_VALUES = frozenset({"date", "postcode"})  # compared with text (ISO dates, outward codes), not codes
_LIST_OPS = frozenset({"in", "not_in"})


def _quote(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values) or "(none)"


# The columns every response export has besides the questions' (analysis/export/responses.py META, and the
# raking weight): a question with one of these ids gave two columns of one name (the SPSS export failed).
RESERVED_QUESTION_IDS = (
    "response_id",
    "questionnaire_version",
    "status",
    "channel",
    "mode",
    "started_on",
    "completed_on",
    "duration_seconds",
    "last_question",
    "weight",
)


def _id_problems(q: Questionnaire) -> Iterator[Problem]:
    seen_sections: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    for section in q.sections:
        if section.id in seen_sections:
            yield problem(
                "DUPLICATE_ID", section.path + "/id", id=section.id, other=seen_sections[section.id]
            )
        seen_sections.setdefault(section.id, section.path)
        if not section.questions:
            yield problem("EMPTY_SECTION", section.path + "/questions", section=section.id)
        for question in section.questions:
            if question.id in seen_questions:
                yield problem(
                    "DUPLICATE_ID", question.path + "/id", id=question.id, other=seen_questions[question.id]
                )
            seen_questions.setdefault(question.id, question.path)
            if question.id in RESERVED_QUESTION_IDS:
                yield problem(
                    "RESERVED_ID",
                    question.path + "/id",
                    id=question.id,
                    reserved=", ".join(RESERVED_QUESTION_IDS),
                )
            yield from _question_problems(question)


def _question_problems(question: Question) -> Iterator[Problem]:
    path = question.path
    if question.type in ("single", "multiple") and not question.options:
        yield problem(
            "NO_OPTIONS", path + "/options", question=question.id, type=question.type, what="options"
        )
    if question.type == "rating":
        if not question.items:
            yield problem("NO_OPTIONS", path + "/items", question=question.id, type="rating", what="items")
        if not question.options:
            yield problem("NO_OPTIONS", path + "/scale", question=question.id, type="rating", what="scale")
    field = "scale" if question.type == "rating" else "options"
    codes: set[str] = set()
    for i, option in enumerate(question.options):
        if option.code in codes:
            yield problem(
                "DUPLICATE_OPTION", f"{path}/{field}/{i}/code", code=option.code, question=question.id
            )
        codes.add(option.code)
    yield from _net_problems(question, codes)
    items: dict[str, int] = {}
    for i, item in enumerate(question.items):
        if item.id in items:
            yield problem(
                "DUPLICATE_ID", f"{path}/items/{i}/id", id=item.id, other=f"{path}/items/{items[item.id]}"
            )
        items.setdefault(item.id, i)
    if question.min is not None and question.max is not None and question.min > question.max:
        yield problem("BAD_BOUNDS", path, min=question.min, max=question.max)


_ANSWERED = "single, multiple, rating, text, number, decimal, money, date, postcode, grid or ranking"


def _net_problems(question: Question, codes: set[str]) -> Iterator[Problem]:
    """Net figures (for reports) may only name the question's own option or scale codes."""
    for i, net in enumerate(question.nets):
        for j, code in enumerate(net.codes):
            if code not in codes:
                yield problem(
                    "UNKNOWN_OPTION",
                    f"{question.path}/net/{i}/codes/{j}",
                    code=code,
                    question=question.id,
                    codes=_quote(sorted(codes)),
                )


_TYPE_FIELDS: dict[str, str] = {
    "options": "single, multiple or grid",
    "items": "rating, grid or ranking",
    "scale": "rating",
    "max_length": "text, single or multiple",
    "multiline": "text",
    "min": "number, decimal or money",
    "max": "number, decimal or money",
    "suffix": "number, decimal or money",
    "style": "info",
    "body": "info",
    "show_support_contacts": "info",
    "required": _ANSWERED,
    "required_if": _ANSWERED,
    "places": "decimal",
    "dont_know": "number, decimal or money",
    "format": "text",
    "pattern": "text",
    "min_date": "date",
    "max_date": "date",
    "keep": "postcode",
    "consent_label": "consent",
    "rank_count": "ranking",
}


def _ignored_fields(data: Mapping[str, Any]) -> Iterator[Problem]:
    """IGNORED_FIELD warnings: type-specific fields on a question of another type."""
    for s, section in enumerate(data.get("sections", ())):
        for j, question in enumerate(section.get("questions", ())):
            kind = question.get("type", "")
            for field, wanted in _TYPE_FIELDS.items():
                if field in question and kind not in wanted.replace(",", " ").split():
                    yield problem(
                        "IGNORED_FIELD",
                        f"/sections/{s}/questions/{j}/{field}",
                        field=field,
                        type=kind,
                        wanted=wanted,
                    )


def _date_problems(q: Questionnaire, data: Mapping[str, Any]) -> Iterator[Problem]:
    for key in ("opens", "closes"):
        raw = data.get(key)
        if raw is not None and getattr(q, key) is None:
            yield problem("BAD_DATE", f"/{key}", value=f"'{raw}'")
    if q.opens and q.closes and q.closes < q.opens:
        yield problem("DATES_REVERSED", "/closes", opens=q.opens.isoformat(), closes=q.closes.isoformat())
    if q.language not in q.languages:
        yield problem("LANGUAGE_NOT_OFFERED", "/languages", language=q.language)


def _kind(question: Question, leaf: Compare) -> str:
    return "rating_item" if question.type == "rating" and leaf.item is not None else question.type


def _value_problem(question: Question, leaf: Compare, path: str) -> Problem | None:
    """A problem with the comparison value of a leaf whose operator fits the question, or None."""
    if leaf.op == "answered":
        return None
    if leaf.value_of is not None:
        return None  # compared with another answer: checked in _leaf_problem
    is_list = isinstance(leaf.value, tuple)
    values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    numeric = question.type in ("number", "decimal", "money")
    fits = (
        is_list == (leaf.op in _LIST_OPS)
        and bool(values)
        and leaf.value is not None
        and all(isinstance(v, int) if numeric else isinstance(v, str) for v in values)
    )
    if not fits:
        kind = "whole numbers" if numeric else "option codes in quotes"
        shape = f"a list of {kind}" if leaf.op in _LIST_OPS else f"one of the {kind}"
        return problem(
            "BAD_CONDITION_VALUE",
            path + "/value",
            value=_show(leaf.value),
            op=leaf.op,
            question=question.id,
            expected=f'Give {shape}, for example "value": ...',
        )
    if not numeric and question.type not in _FREE_VALUES:
        for v in values:
            if v not in question.codes:
                return problem(
                    "UNKNOWN_OPTION",
                    path + "/value",
                    code=v,
                    question=question.id,
                    codes=_quote(question.codes),
                )
    return None


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return "nothing" if value is None else repr(value)


def _leaf_problem(
    q: Questionnaire, leaf: Compare, path: str, target: str, before: int | None, own: frozenset[str]
) -> Problem | None:
    """The first problem of one comparison, or None; referenced questions must come before `before`."""
    if not q.has_question(leaf.q):
        return problem("UNKNOWN_QUESTION", path + "/q", question=leaf.q)
    if leaf.q in own:
        return problem("SELF_REFERENCE", path + "/q", question=leaf.q, target=target)
    if before is not None and q.position(leaf.q) >= before:
        return problem("FORWARD_REFERENCE", path + "/q", question=leaf.q, target=target)
    question = q.question(leaf.q)
    if leaf.item is not None and question.type != "rating":
        return problem(
            "OPERATOR_MISMATCH",
            path + "/item",
            op="item",
            type=question.type,
            question=leaf.q,
            detail=" (only rating questions have items)",
            allowed="remove 'item'",
        )
    if leaf.item is not None and question.item(leaf.item) is None:
        return problem(
            "UNKNOWN_ITEM",
            path + "/item",
            item=leaf.item,
            question=leaf.q,
            items=_quote(i.id for i in question.items),
        )
    if leaf.value_of is not None:
        if not q.has_question(leaf.value_of):
            return problem("UNKNOWN_QUESTION", path + "/value_of", question=leaf.value_of)
        if before is not None and q.position(leaf.value_of) >= before:
            return problem("FORWARD_REFERENCE", path + "/value_of", question=leaf.value_of, target=target)
    allowed = ALLOWED_OPERATORS[_kind(question, leaf)]
    if leaf.op not in allowed:
        detail = " without naming an 'item'" if question.type == "rating" and leaf.item is None else ""
        return problem(
            "OPERATOR_MISMATCH",
            path + "/op",
            op=leaf.op,
            type=question.type,
            question=leaf.q,
            detail=detail,
            allowed=", ".join(sorted(allowed)) or "none (it asks nothing)",
        )
    return _value_problem(question, leaf, path)


def _conditions(q: Questionnaire) -> Iterator[tuple[Condition, str, str, int | None, frozenset[str]]]:
    """Each condition with its path, target name, the position its questions must precede, and own ids."""
    for section in q.sections:
        own = frozenset(x.id for x in section.questions)
        start = q.position(section.questions[0].id) if section.questions else None
        if section.show_if is not None:
            yield section.show_if, section.path + "/show_if", f"section {section.id}", start, own
        for question in section.questions:
            position, own_id = q.position(question.id), frozenset({question.id})
            if question.show_if is not None:
                yield question.show_if, question.path + "/show_if", question.id, position, own_id
            if question.required_if is not None:
                yield question.required_if, question.path + "/required_if", question.id, position, own_id
            for i, option in enumerate(question.options):
                if option.show_if is not None:
                    yield (
                        option.show_if,
                        f"{question.path}/options/{i}/show_if",
                        question.id,
                        position,
                        own_id,
                    )
            for check in question.checks:  # a check may read the page's own answer
                yield check.when, check.path + "/when", question.id, position + 1, frozenset()
    if q.population_filter is not None:
        yield q.population_filter, "/population_filter", "population_filter", None, frozenset()


def condition_problems(q: Questionnaire) -> list[Problem]:
    """Problems of every condition (show_if of sections and questions, and the population filter)."""
    found = []
    for condition, path, target, before, own in _conditions(q):
        for leaf, sub in leaves(condition):
            p = _leaf_problem(q, leaf, path + sub, target, before, own)
            if p is not None:
                found.append(p)
    return found


def _mapping_problems(q: Questionnaire, m: DemographicMapping) -> Iterator[Problem]:
    if not q.has_question(m.question):
        yield problem(
            "MAPPING_UNKNOWN_QUESTION", m.path + "/question", dimension=m.dimension, question=m.question
        )
        return
    question = q.question(m.question)
    if (
        bool(m.map) == bool(m.ranges)
        or (m.map and question.type != "single")
        or (m.ranges and question.type != "number")
    ):
        reason = f"needs 'map' or 'ranges' to fit question '{question.id}', a {question.type} question"
        yield problem("MAPPING_MISMATCH", m.path, dimension=m.dimension, reason=reason)
        return
    if m.map:
        mapped = dict(m.map)
        for code in mapped:
            if code not in question.codes:
                yield problem(
                    "MAPPING_UNKNOWN_OPTION",
                    f"{m.path}/map/{code}",
                    dimension=m.dimension,
                    code=code,
                    question=question.id,
                    codes=_quote(question.codes),
                )
        missing = [c for c in question.codes if c not in mapped]
        if missing:
            yield problem(
                "MAPPING_INCOMPLETE",
                m.path + "/map",
                dimension=m.dimension,
                codes=_quote(missing),
                question=question.id,
            )
    else:
        yield from _range_problems(question, m)


def _range_problems(question: Question, m: DemographicMapping) -> Iterator[Problem]:
    big = 10**9
    lows = [(big * -1 if r.min is None else r.min, big if r.max is None else r.max) for r in m.ranges]
    for i, (low, high) in enumerate(lows):
        if low > high:
            yield problem(
                "MAPPING_RANGES",
                f"{m.path}/ranges/{i}",
                dimension=m.dimension,
                reason=f"include one whose min {low} is above its max {high}",
            )
    ordered = sorted(lows)
    for (_, high), (low, _) in zip(ordered, ordered[1:], strict=False):
        if low <= high:
            yield problem(
                "MAPPING_RANGES", m.path + "/ranges", dimension=m.dimension, reason=f"overlap at {low}"
            )
        elif low > high + 1:
            yield problem(
                "MAPPING_RANGES",
                m.path + "/ranges",
                dimension=m.dimension,
                reason=f"leave a gap from {high + 1} to {low - 1}",
            )


def semantic_problems(
    q: Questionnaire,
    data: Mapping[str, Any],
    *,
    with_paths: bool = True,
    references: ReferenceCatalogue | None = None,
) -> list[Problem]:
    """Every semantic error and warning of a schema-valid definition, errors first within each check."""
    id_problems = list(_id_problems(q))
    found: list[Problem] = [*_date_problems(q, data), *id_problems]
    if not id_problems:
        found += condition_problems(q)
    for mapping in q.demographics:
        found += _mapping_problems(q, mapping)
    found += _ignored_fields(data)
    found += question_problems(q)
    found += piping_problems(q)
    found += reference_problems(q, data, references)
    found += translation_problems(q, data)
    found += control_problems(data)
    if with_paths and not any(p.severity == "error" for p in found):
        from survey.engine.paths import path_problems

        found += path_problems(q)
    return found
