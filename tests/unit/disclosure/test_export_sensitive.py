"""--no-sensitive and partner exports: respondents who differ only in sensitive answers give equal rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.export import dictionary_markdown, flatten
from analysis.export.responses import sensitive_dependent
from survey.engine import load_dict, load_file, prune_answers, visible_questions

Q = load_file("questionnaires/safermk-2016.json")
SENSITIVE = Q.sensitive_question_ids


def answer(draw: Callable[..., Any], question: Any) -> Any:
    raw = next(q for s in Q.raw["sections"] for q in s["questions"] if q["id"] == question.id)
    kind = raw["type"]
    codes = [str(o["code"]) for o in raw.get("options", [])]
    if kind == "single":
        return draw(st.sampled_from(codes))
    if kind == "multiple":
        return draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
    if kind == "rating":
        scale = [str(o["code"]) for o in raw["scale"]]
        return {str(i["id"]): draw(st.sampled_from(scale)) for i in raw["items"]}
    if kind == "number":
        return draw(st.integers(int(raw.get("min") or 16), int(raw.get("max") or 99)))
    if kind == "text":
        return draw(st.text(min_size=1, max_size=20))
    return None


def row(answers: dict[str, Any]) -> dict[str, Any]:
    """A complete response as the repository gives it; the journey's own fields follow its route."""
    kept = prune_answers(Q, answers)
    pages = [q.id for q in visible_questions(Q, kept)]
    return {
        "id": 7,
        "questionnaire_version": Q.version,
        "status": "complete",
        "channel": "library",
        "mode": "online",
        "started_on": "2016-05-10",
        "completed_on": "2016-05-10",
        "duration_seconds": 25 * len(pages),
        "last_question": pages[-1],
        "answers": kept,
    }


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rows_do_not_depend_on_sensitive_answers(data: st.DataObject) -> None:
    shared = {q.id: answer(data.draw, q) for q in Q.questions if q.id not in SENSITIVE}
    one = {**shared, **{q.id: answer(data.draw, q) for q in Q.questions if q.id in SENSITIVE}}
    two = {**shared, **{q.id: answer(data.draw, q) for q in Q.questions if q.id in SENSITIVE}}
    rows = [row(one), row(two)]
    for table in (
        flatten(rows, Q, {7: 1.25}, sensitive=False),
        flatten(rows, Q, {7: 1.25}, audience="partner"),
        flatten(rows, Q, {7: 1.25}, audience="public"),
    ):
        assert table.rows[0] == table.rows[1]
    full = flatten(rows, Q)
    names = [c.name for c in full.columns]
    assert "last_question" in names and "duration_seconds" in names  # kept for analysts' own exports


def test_the_sensitive_fields_are_the_ones_left_out() -> None:
    names = {c.name for c in flatten([], Q, sensitive=False).columns}
    assert "last_question" not in names and "duration_seconds" not in names
    assert not any(n.startswith(("da_", "domestic")) for n in names)
    assert "victim_any" in names and "started_on" in names
    assert sensitive_dependent(Q) >= {"da_ever", "da_recent", "da_support"}


def test_partner_exports_say_so_and_leave_out_free_text() -> None:
    table = flatten([], Q, audience="partner")
    assert not any(c.kind == "text" for c in table.columns)
    assert dictionary_markdown(table).decode().startswith("Audience: partner")
    assert dictionary_markdown(flatten([], Q)).decode().startswith("Audience: internal (not for publication)")
    with pytest.raises(ValueError, match="audience must be one of"):
        flatten([], Q, audience="press")


def _yes_no(qid: str, show_if: Any = None) -> dict[str, Any]:
    options = [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}]
    return {"id": qid, "type": "single", "text": qid, "options": options} | (
        {"show_if": show_if} if show_if else {}
    )


def test_a_question_asked_because_of_a_sensitive_answer_is_left_out_too() -> None:
    raw = {
        "id": "t",
        "version": "1",
        "language": "en",
        "title": "T",
        "sections": [
            {"id": "s", "title": "S", "sensitive": True, "questions": [_yes_no("hurt")]},
            {
                "id": "t",
                "title": "T",
                "questions": [
                    _yes_no("help", {"q": "hurt", "op": "equals", "value": "yes"}),
                    _yes_no("more", {"any": [{"q": "help", "op": "answered"}]}),
                    _yes_no("free"),
                ],
            },
        ],
    }
    assert sensitive_dependent(load_dict(raw)) == {"hurt", "help", "more"}
