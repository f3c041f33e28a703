"""Paper at volume: batch, form number and received date; blank and multiple-tick marks; double entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlmodel import Session

from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_paper import PaperForm, PaperSecondEntry
from survey.store.models_staff import AuditEvent
from tests.integration.staff.test_paper import ANSWERS, QID, Keyer, rows, soup
from tests.integration.staff.test_paper import keyer as keyer  # the fixture, shared
from tests.respondent import default_answer

RECEIVED = {"received-day": "3", "received-month": "3", "received-year": "2026"}


def key_form(keyer: Keyer, entry: str, answers: Mapping[str, Any], marks: Mapping[str, str]) -> None:
    """Key one paper form of batch B7, number 12: answers, with some questions marked instead."""
    started = keyer.start(mode="paper", batch="B7", form_number="12", entry=entry, **RECEIVED)
    assert started.status_code == 200, soup(started).select_one(".govuk-error-summary")
    for _ in range(60):
        question = keyer.question
        if question is None:
            break
        if question.id in marks:
            keyer.seen.append(question.id)
            keyer.post(keyer.path, {"mark": marks[question.id]})
        else:
            keyer.answer(answers.get(question.id, default_answer(question)) if question.asks else None)
    assert keyer.path == f"/staff/paper/{QID}/check", keyer.path


def test_two_blind_entries_are_compared_and_their_differences_resolved(app: Flask, keyer: Keyer) -> None:
    key_form(keyer, "first", ANSWERS, {"sex": "blank", "ward": "multiple"})
    check = soup(keyer.page).get_text()
    assert "Left blank on the form" in check and "More than one box ticked" in check
    assert "batch B7" in check
    keyer.post(f"/staff/paper/{QID}/check", {})
    [first] = rows(app, Response)
    [form] = rows(app, PaperForm)
    assert "sex" not in first.answers and "ward" not in first.answers  # missing, not a forced answer
    assert form.marks == {"sex": "blank", "ward": "multiple"}
    assert (form.batch, form.form_number, form.received_on.isoformat()) == ("B7", "12", "2026-03-03")
    assert form.verified_at is None
    with keyer.client.application.app_context(), Session(get_engine()) as session:
        [row] = repository.responses_for_report(session=session, questionnaire_id=QID)
    assert row["missing_reasons"] == {"sex": "blank", "ward": "multiple"}  # reports can say why

    again = keyer.start(mode="paper", batch="B7", form_number="12", entry="first", **RECEIVED)
    assert again.status_code == 400 and "has already been keyed" in again.get_data(as_text=True)
    unknown = keyer.start(mode="paper", batch="B7", form_number="99", entry="second", **RECEIVED)
    assert "has not been keyed yet" in unknown.get_data(as_text=True)
    missing = keyer.start(mode="paper")
    text = missing.get_data(as_text=True)
    assert "Enter the batch number" in text and "Enter the form number" in text

    keyer.seen = []
    key_form(keyer, "second", {**ANSWERS, "sex": "female", "age": 76}, {"ward": "multiple"})
    keyer.post(f"/staff/paper/{QID}/check", {})
    assert keyer.path.startswith(f"/staff/paper/{QID}/differences/")
    assert len(rows(app, Response)) == 1  # the second entry is not a response of its own
    page = soup(keyer.page)
    legends = [legend.get_text(strip=True) for legend in page.select("legend")]
    assert len(legends) == 2  # sex and age differ; the ward's mark agrees
    assert "First entry: Left blank on the form" in page.get_text()
    assert "Second entry: 76" in page.get_text()

    unresolved = keyer.post(keyer.path, {})
    assert unresolved.status_code == 400 and "Choose which entry is right" in unresolved.get_data(
        as_text=True
    )
    keyer.post(keyer.path, {"choice-sex": "first", "choice-age": "second"})
    assert keyer.path == f"/staff/paper/{QID}/differences"
    assert "1 forms keyed, 1 verified" in soup(keyer.page).get_text()
    [stored] = rows(app, Response)
    [form] = rows(app, PaperForm)
    assert stored.answers["age"] == 76 and "sex" not in stored.answers
    assert form.marks == {"sex": "blank", "ward": "multiple"} and form.verified_at is not None
    [entry] = rows(app, PaperSecondEntry)
    assert entry.resolved_at is not None
    actions = [e.action for e in rows(app, AuditEvent)]
    assert "paper.second_entry" in actions and "paper.resolved" in actions
    index = soup(keyer.get("/staff/paper")).select_one(f"[data-paper-counts={QID}]")
    assert index is not None and "1 keyed, 1 verified" in index.get_text()


def test_a_matching_second_entry_verifies_the_form_at_once(app: Flask, keyer: Keyer) -> None:
    key_form(keyer, "first", ANSWERS, {"sex": "blank"})
    keyer.post(f"/staff/paper/{QID}/check", {})
    keyer.seen = []
    key_form(keyer, "second", ANSWERS, {"sex": "blank"})
    keyer.post(f"/staff/paper/{QID}/check", {})
    assert "matches the first entry" in soup(keyer.page).get_text()
    [form] = rows(app, PaperForm)
    assert form.verified_at is not None
    third = keyer.start(mode="paper", batch="B7", form_number="12", entry="second", **RECEIVED)
    assert "already has a second entry" in third.get_data(as_text=True)
