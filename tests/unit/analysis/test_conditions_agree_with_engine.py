"""analysis.conditions (no survey import) gives the same answer as survey.engine.evaluate on any condition."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.conditions import OPERATORS
from analysis.conditions import evaluate as analysis_evaluate
from survey.engine import evaluate as engine_evaluate

QUESTIONS = ["a", "b", "c"]
SCALARS = st.one_of(st.sampled_from(["x", "y", "z", ""]), st.integers(-3, 3))
ANSWER = st.one_of(
    st.none(),
    SCALARS,
    st.lists(st.sampled_from(["x", "y", "z"]), max_size=3),
    st.dictionaries(st.sampled_from(["i", "j"]), st.sampled_from(["x", "y"]), max_size=2),
)


@st.composite
def leaf(draw: st.DrawFn) -> dict[str, Any]:
    test: dict[str, Any] = {"q": draw(st.sampled_from(QUESTIONS)), "op": draw(st.sampled_from(OPERATORS))}
    if test["op"] != "answered":
        test["value"] = draw(st.one_of(SCALARS, st.lists(SCALARS, max_size=3)))
    if draw(st.booleans()):
        test["item"] = draw(st.sampled_from(["i", "j"]))
    return test


CONDITIONS = st.recursive(
    leaf(),
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(CONDITIONS, st.dictionaries(st.sampled_from(QUESTIONS), ANSWER))
def test_same_result_as_the_engine(condition: dict[str, Any], answers: dict[str, Any]) -> None:
    assert analysis_evaluate(condition, answers) == engine_evaluate(condition, answers)
