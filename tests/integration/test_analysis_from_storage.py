"""Responses stored by the web journey, read back with responses_for_report, compared and weighted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask

from analysis.estimates import estimate_questions
from analysis.reference import reference_name_for, resolve_reference
from analysis.representativeness import compare_questionnaire
from analysis.weighting import rake_questionnaire
from survey.store import repository, repository_channels
from survey.store.db import get_session
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
PEOPLE = [
    ("facebook", {"respondent_type": "resident", "age": 19, "sex": "male", "tenure": "rent_private"}),
    (None, {"respondent_type": "resident", "age": 70, "sex": "female", "tenure": "owned_outright"}),
    (None, {"respondent_type": "resident", "age": 45, "sex": "prefer_not_to_say", "tenure": "rent_council"}),
    (None, {"respondent_type": "business"}),
]


def test_stored_responses_feed_the_analysis(app: Flask, respondent: MakeRespondent) -> None:
    with app.app_context():  # the journey records only channels staff created
        repository_channels.create_channel(
            session=get_session(),
            questionnaire_id="safermk-2016",
            partner_name="Council",
            medium="social",
            label="Facebook",
            created_by="test",
            created_at=datetime.now(UTC),
            code="facebook",
        )
    for channel, answers in PEOPLE:
        person = respondent()
        person.start(channel)
        person.walk(answers)
        person.submit()
    unfinished = respondent()
    unfinished.start()
    unfinished.walk({"respondent_type": "resident", "age": 30}, stop_at="sex")
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    q = respondent().q
    assert len(rows) == 5
    ref = resolve_reference(reference_name_for(q))
    table = compare_questionnaire(rows, ref, q)
    assert (table.responses, table.in_population, dict(table.outside)) == (4, 3, {"business": 1})
    age = table.dimension("age_adult16plus")
    assert {r.category: r.respondents for r in age.rows if r.respondents} == {
        "16-24": 1,
        "35-49": 1,
        "65+": 1,
    }
    young = next(r for r in age.rows if r.category == "16-24")
    assert young.channels == (("facebook", 1),)
    assert table.dimension("sex_age16to74").missing["not_stated"] == 1
    result = rake_questionnaire(rows, q, ref, ["age_adult16plus"])
    assert len(result.weights) == 3
    assert not result.report.converged  # three people cannot fill five age bands, and the report says so
    assert any("no respondents in '25-34'" in m for m in result.report.messages)
    found = estimate_questions(rows, q, result.weights)
    estimates = {(e.question, e.item): e for e in found}
    assert estimates[("respondent_type", None)].base == 4
    sex = estimates[("sex", None)]
    assert (sex.base, sex.shares[0].code, sex.shares[0].count) == (4, "female", 2)  # the business owner too
    assert sex.weighted_base == 3.0  # weighted shares cover the weighted residents only
