"""Retention: the admin's setting, `survey retention apply` (dry run, --commit, idempotent), start page."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from survey.store import repository
from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models import Response
from tests.helpers import audit_events_of, csrf_of

QID = "safermk-2016"
OTHER = "tenant-satisfaction"
PAGE = f"/staff/questionnaires/{QID}"
FIRST = {  # free text: concerns_text, closing_text; sensitive section: da_ever, da_recent
    "respondent_type": "resident",
    "tenure": "owned",
    "age": 44,
    "concerns_text": "Speeding on Elm Road",
    "da_ever": "no",
    "closing_text": "Thanks",
    "smoke_alarms": "yes",
}
SECOND = {
    "respondent_type": "resident",
    "tenure": "rented_social",
    "age": 30,
    "da_ever": "yes",
    "da_recent": "no",
}
THIRD = {"respondent_type": "resident", "tenure": "owned", "age": 71}  # nothing to remove


def store(
    app: Flask,
    answers: dict[str, Any],
    *,
    questionnaire: str = QID,
    version: str = "1.0.0",
    complete: bool = True,
) -> int:
    with Session(get_engine(app), expire_on_commit=False) as session:
        response = repository.start_response(
            session=session,
            questionnaire_id=questionnaire,
            questionnaire_version=version,
            started_on=date(2026, 2, 1),
            language="en",
        )
        assert response.id is not None
        if complete:
            repository.submit_response(
                session=session,
                response_id=response.id,
                answers=answers,
                completed_on=date(2026, 2, 1),
                duration_seconds=300,
            )
        else:
            repository.save_answer(
                session=session,
                response=response,
                question_id="tenure",
                answers=answers,
                visited=list(answers),
            )
        return response.id


def answers_by_id(app: Flask) -> dict[int, dict[str, Any]]:
    with Session(get_engine(app)) as session:
        return {r.id: dict(r.answers) for r in session.exec(select(Response)) if r.id is not None}


def set_retention(app: Flask, questionnaire: str, when: date, policy: str) -> None:
    with Session(get_engine(app)) as session:
        settings = repo.questionnaire_settings(session=session, questionnaire_id=questionnaire)
        settings.retention_date, settings.retention_policy = when, policy
        repo.save_settings(session=session, settings=settings)


def test_dry_run_says_what_would_go_and_deletes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    ids = [store(app, FIRST), store(app, SECOND), store(app, THIRD)]
    before = answers_by_id(app)
    set_retention(app, QID, date(2026, 5, 31), "free_text_and_sensitive")
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert (
        "safermk-2016: would remove 5 free-text or sensitive answers from 2 responses, "
        "0 hand-coded themes, 0 stored reports and 0 report, export or suggestion files kept for download "
        "(retention date 2026-05-31)"
    ) in result.output
    assert "This was a dry run: nothing was deleted." in result.output
    assert answers_by_id(app) == before and len(ids) == 3
    [event] = audit_events_of(app, "retention.dry_run")
    assert event.questionnaire_id == QID and event.actor == "command line"
    assert (event.details["answers_removed"], event.details["responses_changed"]) == (5, 2)


def test_commit_removes_free_text_and_sensitive_answers_once(app: Flask, runner: FlaskCliRunner) -> None:
    first, second, third = store(app, FIRST), store(app, SECOND), store(app, THIRD, complete=False)
    set_retention(app, QID, date(2026, 6, 1), "free_text_and_sensitive")
    result = runner.invoke(args=["retention", "apply", "--commit"])
    assert result.exit_code == 0, result.output
    assert "safermk-2016: removed 5 free-text or sensitive answers from 2 responses" in result.output
    kept = answers_by_id(app)
    assert kept[first] == {"respondent_type": "resident", "tenure": "owned", "age": 44, "smoke_alarms": "yes"}
    assert kept[second] == {"respondent_type": "resident", "tenure": "rented_social", "age": 30}
    assert kept[third] == THIRD
    [event] = audit_events_of(app, "retention.apply")
    assert event.details["answers_removed"] == 5 and event.details["policy"] == "free_text_and_sensitive"
    with Session(get_engine(app)) as session:
        assert repo.questionnaire_settings(
            session=session, questionnaire_id=QID
        ).retention_applied_on == date(2026, 6, 1)
    again = runner.invoke(args=["retention", "apply", "--commit"])
    assert "safermk-2016: removed 0 free-text or sensitive answers from 0 responses" in again.output
    assert answers_by_id(app) == kept
    assert len(audit_events_of(app, "retention.apply")) == 2  # every run is on the record


def test_each_response_is_judged_by_the_version_it_answered(app: Flask, runner: FlaskCliRunner) -> None:
    with Session(get_engine(app)) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        revised = copy.deepcopy(row.definition)
        revised["version"] = "2.0.0"
        about_you = next(s for s in revised["sections"] if s["id"] == "about_you")
        next(q for q in about_you["questions"] if q["id"] == "age")["sensitive"] = True
        repository.store_questionnaire(session=session, definition=revised, loaded_on=date(2026, 3, 1))
    old = store(app, THIRD, version="1.0.0")
    new = store(app, THIRD, version="2.0.0")
    set_retention(app, QID, date(2026, 5, 1), "free_text_and_sensitive")
    runner.invoke(args=["retention", "apply", "--commit"])
    kept = answers_by_id(app)
    assert "age" in kept[old] and "age" not in kept[new]


def test_whole_responses_policy_deletes_only_that_questionnaires_responses(
    app: Flask, runner: FlaskCliRunner
) -> None:
    store(app, FIRST)
    store(app, SECOND, complete=False)
    other = store(app, {"tenure": "owned"}, questionnaire=OTHER)
    set_retention(app, QID, date(2026, 4, 30), "whole_responses")
    dry = runner.invoke(args=["retention", "apply"])
    assert (
        "safermk-2016: would remove 2 whole responses, 0 hand-coded themes, 0 stored reports and "
        "0 report, export or suggestion files kept for download (retention date 2026-04-30)"
    ) in dry.output
    assert len(answers_by_id(app)) == 3
    done = runner.invoke(args=["retention", "apply", "--commit"])
    assert "safermk-2016: removed 2 whole responses" in done.output
    assert list(answers_by_id(app)) == [other]
    assert "removed 0 whole responses" in runner.invoke(args=["retention", "apply", "--commit"]).output


def test_nothing_happens_before_the_retention_date(app: Flask, runner: FlaskCliRunner) -> None:
    store(app, FIRST)
    before = answers_by_id(app)
    set_retention(app, QID, date(2027, 1, 31), "whole_responses")
    result = runner.invoke(args=["retention", "apply", "--commit"])
    assert "safermk-2016: nothing yet (retention date 2027-01-31)" in result.output
    assert answers_by_id(app) == before
    [event] = audit_events_of(app, "retention.apply")
    assert event.details == {"questionnaires_due": 0}


def test_no_retention_dates_at_all(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0
    assert "No questionnaire has a retention date" in result.output


def _retention_form(when: date | None, policy: str | None) -> dict[str, str]:
    form = {"retention-day": "", "retention-month": "", "retention-year": ""}
    if when:
        form = {
            "retention-day": str(when.day),
            "retention-month": str(when.month),
            "retention-year": str(when.year),
        }
    return {**form, **({"policy": policy} if policy else {})}


def _errors(page: Any) -> list[str]:
    from bs4 import BeautifulSoup

    box = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in box.find_all("li")] if box else []


def test_admin_sets_retention_and_the_start_page_says_it(app: Flask, admin: FlaskClient) -> None:
    token = csrf_of(admin.get(PAGE))
    dates = {
        "opens-day": "1",
        "opens-month": "6",
        "opens-year": "2026",
        "csrf_token": token,
        "closes-day": "31",
        "closes-month": "8",
        "closes-year": "2026",
    }
    assert admin.post(f"{PAGE}/dates", data=dates).status_code == 302
    too_early = admin.post(
        f"{PAGE}/retention",
        data={**_retention_form(date(2026, 8, 1), "whole_responses"), "csrf_token": token},
    )
    assert _errors(too_early) == ["Retention date must be after the closing date (31 August 2026)"]
    no_policy = admin.post(
        f"{PAGE}/retention", data={**_retention_form(date(2027, 3, 31), None), "csrf_token": token}
    )
    assert _errors(no_policy) == ["Select what is deleted on the retention date"]
    saved = admin.post(
        f"{PAGE}/retention",
        data={**_retention_form(date(2027, 3, 31), "free_text_and_sensitive"), "csrf_token": token},
    )
    assert saved.status_code == 302
    [event] = audit_events_of(app, "questionnaire.retention")
    assert event.details["retention_date"] == {"old": None, "new": "2027-03-31"}
    assert event.details["policy"] == {"old": "free_text_and_sensitive", "new": "free_text_and_sensitive"}
    resident = app.test_client()
    start = resident.get(f"/s/{QID}").get_data(as_text=True)
    assert "On 31 March 2027 we will delete anything you wrote in your own words" in start
    polish = resident.get(f"/s/{QID}?lang=pl", follow_redirects=True).get_data(as_text=True)
    assert "Dnia 31 marca 2027 usuniemy" in polish
    admin.post(
        f"{PAGE}/retention",
        data={**_retention_form(date(2027, 3, 31), "whole_responses"), "csrf_token": token},
    )
    assert "We keep your answers until 31 March 2027, then delete them." in resident.get(
        f"/s/{QID}?lang=en", follow_redirects=True
    ).get_data(as_text=True)


def test_start_page_without_a_retention_date_says_nothing_about_it(app: Flask) -> None:
    page = app.test_client().get(f"/s/{QID}").get_data(as_text=True)
    assert 'id="retention-notice"' not in page


def test_a_passed_retention_date_is_flagged_until_applied(
    app: Flask, admin: FlaskClient, runner: FlaskCliRunner
) -> None:
    set_retention(app, QID, date(2026, 5, 31), "free_text_and_sensitive")
    assert "Retention due" in admin.get("/staff/questionnaires").get_data(as_text=True)
    assert "The retention date has passed" in admin.get(PAGE).get_data(as_text=True)
    runner.invoke(args=["retention", "apply", "--commit"])
    assert "Retention due" not in admin.get("/staff/questionnaires").get_data(as_text=True)
    assert "The retention date has passed" not in admin.get(PAGE).get_data(as_text=True)


def test_date_errors_link_to_the_day_box(admin: FlaskClient) -> None:
    from bs4 import BeautifulSoup

    token = csrf_of(admin.get(PAGE))
    form = {**_retention_form(None, "whole_responses"), "csrf_token": token}
    page = admin.post(f"{PAGE}/retention", data=form)
    link = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary a")
    assert link is not None
    assert (link.get_text(), link["href"]) == ("Enter the retention date", "#retention-day")
    assert BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="retention-day") is not None
