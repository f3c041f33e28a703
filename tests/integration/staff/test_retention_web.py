"""Retention on the web: the dry run is shown first; applying needs a confirmation; both are audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_staff
from survey.store.db import get_engine
from survey.store.models_staff import QuestionnaireSettings
from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import QID, audit_actions


def _text_answers(app: Flask) -> int:
    with app.app_context(), Session(get_engine()) as session:
        rows = repository.responses_for_report(session=session, questionnaire_id=QID)
    return sum("concerns_text" in r["answers"] for r in rows)


def test_the_dry_run_comes_first_then_retention_is_applied(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 20, 3, date(2026, 3, 1), days=20)
        )
        repository_staff.save_settings(
            session=session,
            settings=QuestionnaireSettings(questionnaire_id=QID, retention_date=date(2026, 5, 1)),
        )
    before = _text_answers(app)
    assert before > 0
    admin = staff_client("admin")
    page = admin.get("/staff/retention").get_data(as_text=True)
    assert f"{QID}: would remove" in page and "free-text or sensitive answers" in page
    assert _text_answers(app) == before  # the dry run deleted nothing
    refused = admin.post(
        "/staff/retention/apply",
        data={"csrf_token": csrf_of(admin.get("/staff/retention"))},
        follow_redirects=True,
    )
    assert "Tick to confirm" in refused.get_data(as_text=True) and _text_answers(app) == before
    done = admin.post(
        "/staff/retention/apply",
        data={"csrf_token": csrf_of(admin.get("/staff/retention")), "confirm": "yes"},
        follow_redirects=True,
    )
    assert "Retention applied" in done.get_data(as_text=True)
    assert _text_answers(app) == 0
    assert audit_actions(app, "retention.apply")
    assert staff_client("analyst").get("/staff/retention").status_code == 403


def test_opening_the_page_records_nothing_and_shows_no_text_from_its_address(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        repository_staff.save_settings(
            session=session,
            settings=QuestionnaireSettings(questionnaire_id=QID, retention_date=date(2026, 5, 1)),
        )
    admin = staff_client("admin")
    for _ in range(3):
        assert admin.get("/staff/retention").status_code == 200
    assert audit_actions(app, "retention.dry_run") == []  # looking is not a dry run worth recording
    recorded = admin.post(
        "/staff/retention/dry-run",
        data={"csrf_token": csrf_of(admin.get("/staff/retention"))},
        follow_redirects=True,
    )
    assert "recorded in the audit trail" in recorded.get_data(as_text=True)
    [event] = audit_actions(app, "retention.dry_run")
    assert event.questionnaire_id == QID
    spoof = admin.get("/staff/retention?error=Your+session+is+compromised.+Phone+0800+000+000")
    assert "compromised" not in spoof.get_data(as_text=True)
    assert "govuk-error-summary" not in spoof.get_data(as_text=True)
    assert 'href="/staff/responses/erase"' in spoof.get_data(as_text=True)  # the page points to erasure
    questionnaire = admin.get(f"/staff/questionnaires/{QID}").get_data(as_text=True)
    assert 'href="/staff/retention"' in questionnaire and "retention apply --commit</code> deletes" not in (
        questionnaire
    )
