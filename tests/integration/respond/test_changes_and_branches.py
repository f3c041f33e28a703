"""Every branch of the SaferMK questionnaire, and changing answers from check your answers."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask

from survey.engine import analyse_paths, visible_questions
from survey.store import repository
from survey.store.db import get_session
from tests.conftest import PROJECT_ROOT
from tests.respondent import Respondent, default_answer, questionnaire

MakeRespondent = Callable[..., Respondent]
SAFERMK = questionnaire(PROJECT_ROOT / "questionnaires", "safermk-2016")


def _maximal_witnesses() -> list[dict[str, object]]:
    """The engine's witness answers for every question, minus those contained in another."""
    found = {json.dumps(w, sort_keys=True): w for w in analyse_paths(SAFERMK).witnesses.values()}
    witnesses = list(found.values())
    return [
        w for w in witnesses if not any(w is not other and w.items() <= other.items() for other in witnesses)
    ]


def _branch_journeys() -> list[tuple[str, dict[str, object]]]:
    """One journey per option of every branching question, plus one per maximal witness."""
    journeys: list[tuple[str, dict[str, object]]] = []
    for point in analyse_paths(SAFERMK).branch_points:
        question = SAFERMK.question(point.question)
        for option in question.options:
            value: object = [option.code] if question.type == "multiple" else option.code
            journeys.append((f"{point.question}={option.code}", {point.question: value}))
    for index, witness in enumerate(_maximal_witnesses()):
        journeys.append((f"witness-{index}", witness))
    return journeys


JOURNEYS = _branch_journeys()


@pytest.mark.parametrize("answers", [a for _, a in JOURNEYS], ids=[name for name, _ in JOURNEYS])
def test_every_branch_walks_to_a_complete_response(
    app: Flask, respondent: MakeRespondent, answers: dict[str, object]
) -> None:
    resident = respondent()
    resident.start()
    resident.walk(answers)
    final = {qid: value for qid, value in answers.items() if qid in resident.seen}
    expected = visible_questions(SAFERMK, _full_answers(resident, final))
    assert resident.seen == [q.id for q in expected]
    expected_pages = [q.id for q in expected if q.asks]
    resident.submit()
    assert resident.path == "/s/safermk-2016/done"
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    assert [r["status"] for r in rows] == ["complete"]
    stored = rows[0]["answers"]
    assert isinstance(stored, dict) and set(stored) == set(expected_pages)
    for qid, value in final.items():
        assert stored[qid] == value


def _full_answers(resident: Respondent, chosen: dict[str, object]) -> dict[str, object]:
    return {
        qid: chosen.get(qid, default_answer(SAFERMK.question(qid)))
        for qid in resident.seen
        if SAFERMK.question(qid).asks
    }


def test_every_question_is_reached_by_some_journey() -> None:
    reached: set[str] = set()
    for _, answers in JOURNEYS:
        walk: dict[str, object] = {}
        for question in SAFERMK.questions:
            if question in visible_questions(SAFERMK, walk) and question.asks:
                walk[question.id] = answers.get(question.id, default_answer(question))
        reached |= {q.id for q in visible_questions(SAFERMK, walk)}
    assert reached == {q.id for q in SAFERMK.questions}


def _check_rows(resident: Respondent) -> dict[str, str]:
    rows = {}
    for row in resident.soup.select(".govuk-summary-list__row"):
        key, value = row.select_one(".govuk-summary-list__key"), row.select_one(".govuk-summary-list__value")
        assert key is not None and value is not None
        rows[key.get_text(" ", strip=True)] = value.get_text(" ", strip=True)
    return rows


def _change_link(resident: Respondent, qid: str) -> str:
    n = SAFERMK.position(qid) + 1
    link = resident.soup.select_one(f'a[href="/s/safermk-2016/p/{n}?change=1"]')
    assert link is not None, f"no change link for {qid}"
    return str(link["href"])


def test_change_that_hides_questions_drops_their_answers(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk(
        {"respondent_type": "resident", "victim_any": "yes", "victim_types": ["burglary"], "reported": "no"}
    )
    text = resident.soup.get_text(" ", strip=True)
    assert "Burglary" in text or "burglary" in text
    resident.get(_change_link(resident, "victim_any"))
    assert resident.question is not None and resident.question.id == "victim_any"
    assert resident.soup.select_one("a.govuk-back-link")["href"] == "/s/safermk-2016/check"  # type: ignore[index]
    resident.answer("no")
    assert resident.path == "/s/safermk-2016/check"
    with app.app_context():
        row = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")[0]
    answers = row["answers"]
    assert isinstance(answers, dict)
    assert answers["victim_any"] == "no"
    assert "victim_types" not in answers and "reported" not in answers and "not_reported_why" not in answers


def test_change_that_reveals_questions_asks_them_then_returns(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor", "victim_any": "no"})
    resident.get(_change_link(resident, "respondent_type"))
    resident.answer("business")
    assert resident.question is not None and resident.question.id == "business_crime"
    assert "change=1" in resident.response_url()
    resident.answer("no")
    assert resident.question is not None and resident.question.id == "fire_plan_business"
    resident.answer("yes")
    assert resident.path == "/s/safermk-2016/check"
    rows = _check_rows(resident)
    assert any("Business" in v or "business" in v for v in rows.values())


def test_change_without_effect_returns_straight_to_check(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"})
    resident.get(_change_link(resident, "sex"))
    resident.answer("male")
    assert resident.path == "/s/safermk-2016/check"
