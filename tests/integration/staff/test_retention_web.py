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
from tests.integration.staff.conftest import csrf_of
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
    assert audit_actions(app, "retention.dry_run") and audit_actions(app, "retention.apply")
    assert staff_client("analyst").get("/staff/retention").status_code == 403
