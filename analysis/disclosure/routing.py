"""Routing through any condition on choice questions, as linear constraints on counts ("atoms").

A routed question's base is the number of respondents who met its condition. For a one-clause `equals`/`in`
condition on a single-choice question that is a sum of the parent's counts (report_system's simple links).
Any other condition built from choice questions (`all`, `any`, `not`, `not_equals`, `not_in`, `contains`,
`answered`, a multiple-choice parent, a question and a section condition at once) is a union or
intersection of answer groups: not a linear function of the published counts (|A or B| = |A| + |B| -
|A and B|, and |A and B| is published nowhere). It is exactly linear in the *atoms*: the numbers of
respondents with each combination of answers to the parent questions. So the auditor holds one integer
variable per atom and publishes nothing new:

- the atoms add up to at most the respondents the tables describe (each group its own count);
- a parent's count for a code is the sum of the atoms with that answer; its base the atoms that answered;
  the codes no condition names are one "other answer" state (a single choice: their counts add up to it;
  a multiple choice: each at most it, together at least it);
- atoms the questionnaire rules out are left out: a parent asked only under its own condition is
  unanswered wherever that condition is false (its condition's questions join the atoms too), and a
  required parent is answered wherever it is asked;
- the routed question's base is the sum of the atoms its condition holds for (at most, when optional).

Atoms of conditions that share a parent form one group (so |A or B| and |A and B| published together
are tied by inclusion-exclusion, as a reader would tie them). A condition on a number, a date or text, a
comparison with another answer (`value_of`), a rating item, or a group of more than MAX_ATOMS atoms is
*not modelled*: `routing(questionnaire).unmodelled` names those questions, and protected outputs hide their
tables whole (analysis.report.audience), which is safe by construction.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.engine import Compare, Question, Questionnaire, Section, comparisons, evaluate
from survey.engine.conditions import condition_json
from survey.engine.model import All, Condition

MAX_ATOMS = 4096
OTHER = "__other answer__"  # a state: answered with a code no condition names
LEAF_OPS = frozenset({"equals", "not_equals", "in", "not_in", "contains", "answered"})
CHOICE = frozenset({"single", "multiple"})


@dataclass(frozen=True)
class Routing:
    """Published links (simple and by atoms; their conditions as JSON) and the questions whose routing is
    not modelled (why)."""

    links: tuple[dict[str, Any], ...]
    unmodelled: Mapping[str, str]


def show_conditions(question: Question, section: Section) -> tuple[Condition, ...]:
    """The conditions that must all hold for a question to be asked: its section's, then its own (those
    set). The one place analysis puts a question's and its section's `show_if` together."""
    return tuple(c for c in (section.show_if, question.show_if) if c is not None)


def show_condition(question: Question, section: Section) -> Condition | None:
    """The condition a question is asked under, as one (show_conditions; an `all` of the section's and the
    question's when both are set; the report's links publish it as JSON, condition_json)."""
    conditions = show_conditions(question, section)
    if len(conditions) > 1:
        return All(conditions)
    return conditions[0] if conditions else None


def simple_clause(condition: Condition, questionnaire: Questionnaire) -> Compare | None:
    """The condition when it is one `equals`/`in` clause on a single-choice question (a sum of the parent's
    counts), else None."""
    if (
        isinstance(condition, Compare)
        and condition.op in ("equals", "in")
        and questionnaire.has_question(condition.q)
        and questionnaire.question(condition.q).type == "single"
        and condition.item is None
        and condition.value_of is None
    ):
        return condition
    return None


def _codes(leaf: Compare) -> list[str]:
    """The answer codes a comparison names."""
    value = leaf.value
    return [str(v) for v in (value if isinstance(value, tuple) else () if value is None else (value,))]


def routing(questionnaire: Questionnaire) -> Routing:
    """Every question's routing as links (see the module docstring), or why it is not modelled."""
    simple: list[dict[str, Any]] = []
    complex_links: list[dict[str, Any]] = []
    unmodelled: dict[str, str] = {}
    for s in questionnaire.sections:
        for q in s.questions:
            if q.type in ("info", "text"):
                continue
            cond = show_condition(q, s)
            if cond is None:
                if q.required and q.type != "number":
                    simple.append({"question": q.id, "parent": None, "codes": [], "equal": True})
                continue  # asked of everyone and required: its base is every complete response
            equal = q.required and q.type != "rating"
            clause = simple_clause(cond, questionnaire)  # None for a question and a section condition
            if clause is not None:
                simple.append({"question": q.id, "parent": clause.q, "codes": _codes(clause), "equal": equal})
                continue
            parents, why = _parents(cond, questionnaire)
            if parents is None:
                unmodelled[q.id] = why
                continue
            condition = condition_json(cond)
            complex_links.append(
                {"question": q.id, "condition": condition, "parents": parents, "equal": equal}
            )
    for group in _components(complex_links):
        size = atom_count(_merged_parents(group))
        if size > MAX_ATOMS:
            for link in group:
                unmodelled[link["question"]] = f"its routing has {size} answer combinations to follow"
    kept = [link for link in complex_links if link["question"] not in unmodelled]
    return Routing(tuple(simple + kept), unmodelled)


def _parents(condition: Condition, questionnaire: Questionnaire) -> tuple[list[dict[str, Any]] | None, str]:
    """The questions a condition reads, with the conditions they are asked under (transitively; as JSON)."""
    found: dict[str, dict[str, Any]] = {}
    todo = [condition]
    while todo:
        for leaf in comparisons(todo.pop()):
            p = leaf.q
            if leaf.op not in LEAF_OPS:
                return None, f"it is routed with '{leaf.op}' on {p}"
            if leaf.item is not None or leaf.value_of is not None:
                return None, f"it is routed on a rating item or another answer ({p})"
            if not questionnaire.has_question(p) or questionnaire.question(p).type not in CHOICE:
                return None, f"it is routed on {p}, which is not a choice question"
            pq = questionnaire.question(p)
            entry = found.get(p)
            if entry is None:
                options = list(pq.codes)
                if not options:
                    return None, f"it is routed on {p}, whose answers are not listed in the questionnaire"
                pc = show_condition(pq, questionnaire.section_of(p))
                entry = found[p] = {
                    "question": p,
                    "type": pq.type,
                    "required": pq.required,
                    "condition": None if pc is None else condition_json(pc),
                    "codes": [],
                    "options": options,
                }
                if pc is not None:
                    todo.append(pc)
            for code in _codes(leaf):
                if code not in entry["codes"]:
                    entry["codes"].append(code)
    return list(found.values()), ""


def _components(links: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Links whose conditions share a parent question, grouped (their atoms must be one space)."""
    groups: list[tuple[set[str], list[dict[str, Any]]]] = []
    for link in links:
        names = {p["question"] for p in link["parents"]}
        joined = [g for g in groups if g[0] & names]
        merged: tuple[set[str], list[dict[str, Any]]] = (set(names), [link])
        for g in joined:
            merged[0].update(g[0])
            merged[1][:0] = g[1]
            groups.remove(g)
        groups.append(merged)
    return [g[1] for g in groups]


def components(links: Sequence[Mapping[str, Any]]) -> list[list[dict[str, Any]]]:
    """The atom groups of the links with a condition (as published in a report's `disclosure.links`)."""
    return _components([dict(link) for link in links if link.get("condition") is not None])


def _merged_parents(group: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for link in group:
        for p in link["parents"]:
            entry = out.setdefault(p["question"], {**p, "codes": list(p["codes"])})
            entry["codes"] += [c for c in p["codes"] if c not in entry["codes"]]
    return list(out.values())


def merged_parents(group: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per parent question of a group of links, with every code any of them names."""
    return _merged_parents(group)


def _states(parent: Mapping[str, Any]) -> list[Any]:
    """Each answer a respondent can have given to the parent, as the engine stores it (None: none)."""
    codes = list(parent["codes"])
    other = [OTHER] if any(o not in codes for o in parent.get("options", [])) else []
    if parent["type"] == "single":
        return [None, *codes, *other]
    out: list[Any] = [None]
    pool = codes + other
    for r in range(1, len(pool) + 1):
        out += [list(c) for c in itertools.combinations(pool, r)]
    return out


def atom_count(parents: Sequence[Mapping[str, Any]]) -> int:
    """How many answer combinations the parents allow before the questionnaire's rules remove some."""
    return math.prod(len(_states(p)) for p in parents)


def atoms(parents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The answer combinations the questionnaire allows: a parent is unanswered where it is not asked and,
    when required, answered where it is."""
    out = []
    for combo in itertools.product(*(_states(p) for p in parents)):
        answers = {p["question"]: v for p, v in zip(parents, combo, strict=True) if v is not None}
        if all(_possible(p, answers) for p in parents):
            out.append(answers)
    return out


def _possible(parent: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    asked = parent.get("condition") is None or evaluate(parent["condition"], answers)
    answered = parent["question"] in answers
    return (answered and asked) or (not answered and not (asked and parent.get("required")))


def holds(condition: Any, answers: Mapping[str, Any]) -> bool:
    """Whether a respondent with these answers meets the condition (the engine's own evaluation)."""
    return evaluate(condition, answers)


def has(state: Any, code: str) -> bool:
    """Whether an atom's answer includes the code."""
    return state == code or (isinstance(state, list) and code in state)


def sensitive_dependent(questionnaire: Questionnaire) -> frozenset[str]:
    """Sensitive questions and every question whose asking depends on one (through show_if, transitively).

    Whether such a question was answered at all tells a reader something about a sensitive answer: the
    export's --no-sensitive leaves them out, and so do reports that leave sensitive sections out.
    """
    found = set(questionnaire.sensitive_question_ids)
    reads = [  # each question with the questions its asking reads
        (q.id, {leaf.q for leaf in comparisons(show_condition(q, s))})
        for s in questionnaire.sections
        for q in s.questions
    ]
    changed = True
    while changed:
        changed = False
        for qid, names in reads:
            if qid not in found and names & found:
                found.add(qid)
                changed = True
    return frozenset(found)
