"""Property tests: valid answers always reach the end; mutated definitions never crash the loader."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.engine import (
    CATALOGUE,
    DefinitionError,
    Question,
    Questionnaire,
    is_complete,
    load_dict,
    load_file,
    prune_answers,
    validate_dict,
    visible_questions,
)
from survey.engine.loader import parse_json
from tests.unit.engine.definitions import MINI
from tests.unit.engine.walk import default_answer, walk

ROOT = Path(__file__).parents[3]
FILES = sorted(p for p in (ROOT / "questionnaires").glob("*.json") if not p.name.endswith(".schema.json"))


@cache
def _load(source: Path | None) -> Questionnaire:
    """The small test questionnaire (None) or a shipped one (loaded in the test, not at collection)."""
    return load_dict(MINI, "mini.json") if source is None else load_file(source)


def _answer(data: st.DataObject, question: Question) -> Any:
    """Draw any valid answer (or a skip where the question is optional)."""
    if not question.required and data.draw(st.booleans(), label=f"skip {question.id}"):
        return None
    codes = [o.code for o in question.options if o.show_if is None]  # conditional options may be hidden
    match question.type:
        case "single":
            return data.draw(st.sampled_from(codes))
        case "multiple":
            exclusive = [o.code for o in question.exclusive_options]
            plain = [c for c in codes if c not in exclusive]
            if exclusive and (not plain or data.draw(st.booleans())):
                return [data.draw(st.sampled_from(exclusive))]
            chosen = data.draw(st.sets(st.sampled_from(plain), min_size=1))
            return [c for c in codes if c in chosen]
        case "rating":
            return {i.id: data.draw(st.sampled_from(codes)) for i in question.items}
        case "number":
            low = question.min if question.min is not None else -1000
            high = question.max if question.max is not None else 1000
            return data.draw(st.integers(low, high))
        case "text" if not question.format:
            return data.draw(
                st.text(
                    st.characters(categories=["L", "N", "Zs", "P"]),
                    min_size=1,
                    max_size=min(question.max_length, 60),
                ).filter(str.strip)
            ).strip()
    return default_answer(question)


@pytest.mark.parametrize("source", [None, *FILES], ids=["mini", *(p.stem for p in FILES)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_answers_reach_the_end(source: Path | None, data: st.DataObject) -> None:
    q = _load(source)
    visited, answers = walk(q, lambda question: _answer(data, question))
    assert is_complete(q, answers) or q.question(visited[-1]).screens_out
    assert [x.id for x in visible_questions(q, answers)] == visited
    assert prune_answers(q, answers) == answers


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _locations(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _locations(value, (*path, index))
    return found


def _parent(d: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        d = d[part]
    return d


@cache
def _shipped() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in FILES]


def _swap_ids(data: st.DataObject, d: Any) -> None:
    """Swap the ids (or option codes) of two objects, or give one the other's id."""
    owners = [_parent(d, p) for p in _locations(d) if p and p[-1] in ("id", "code", "q")]
    if len(owners) < 2:
        return
    first, second = data.draw(st.sampled_from(owners)), data.draw(st.sampled_from(owners))
    key1 = next(k for k in ("id", "code", "q") if k in first)
    key2 = next(k for k in ("id", "code", "q") if k in second)
    if data.draw(st.booleans()):
        first[key1], second[key2] = second[key2], first[key1]
    else:
        first[key1] = second[key2]


def _mutate(data: st.DataObject, d: Any) -> Any:
    locations = [p for p in _locations(d) if p]
    path = data.draw(st.sampled_from(locations))
    parent, last = _parent(d, path), path[-1]
    action = data.draw(st.sampled_from(["delete", "replace", "swap", "duplicate", "swap_ids"]))
    if action == "swap_ids":
        _swap_ids(data, d)
    elif action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = data.draw(JSON)
    elif action == "swap":
        other = data.draw(st.sampled_from(locations))
        if other[: len(path)] != path and path[: len(other)] != other:
            other_parent = _parent(d, other)
            parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return d


def _check_never_crashes(d: Any) -> None:
    result = validate_dict(d, "fuzz.json")
    assert all(p.code in CATALOGUE for p in result.errors + result.warnings)
    assert (result.questionnaire is None) == bool(result.errors)
    try:
        load_dict(d, "fuzz.json")
    except DefinitionError as exc:
        assert exc.problems and all(p.code in CATALOGUE for p in exc.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_definitions_only_raise_definition_errors(data: st.DataObject) -> None:
    d = copy.deepcopy(data.draw(st.sampled_from([MINI, *_shipped()])))
    for _ in range(data.draw(st.integers(1, 4))):
        d = _mutate(data, d)
    _check_never_crashes(d)


@settings(max_examples=200, deadline=None)
@given(value=JSON)
def test_random_json_only_raises_definition_errors(value: Any) -> None:
    _check_never_crashes(value)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80) | JSON.map(json.dumps))
def test_random_text_parses_or_reports_a_problem(text: str) -> None:
    data, problems = parse_json(text, "fuzz.json")
    assert problems or data is not None or text.strip() == "null"
    if not problems:
        _check_never_crashes(data)
