"""Paper at volume: batch, form number and received date; blank and multiple-tick marks; double entry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_paper import PaperForm, PaperSecondEntry
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of, soup, table_rows
from tests.integration.staff.paper_helpers import ANSWERS, QID, Keyer
from tests.respondent import default_answer

RECEIVED = {"received-day": "3", "received-month": "3", "received-year": "2026"}


def key_form(
    keyer: Keyer,
    entry: str,
    answers: Mapping[str, Any],
    marks: Mapping[str, str],
    *,
    form_number: str = "12",
    **extra: str,
) -> None:
    """Key one paper form of batch B7 (number 12): answers, with some questions marked instead."""
    started = keyer.start(mode="paper", batch="B7", form_number=form_number, entry=entry, **RECEIVED, **extra)
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


def test_two_blind_entries_are_compared_and_their_differences_resolved(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    key_form(keyer, "first", ANSWERS, {"sex": "blank", "ward": "multiple"})
    check = soup(keyer.page).get_text()
    assert "Left blank on the form" in check and "More than one box ticked" in check
    assert "batch B7" in check
    keyer.post(f"/staff/paper/{QID}/check", {})
    [first] = table_rows(app, Response)
    [form] = table_rows(app, PaperForm)
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

    key_form(checker, "second", {**ANSWERS, "sex": "female", "age": 76}, {"ward": "multiple"})
    checker.post(f"/staff/paper/{QID}/check", {})
    keyer, checker = checker, keyer  # the second keyer resolves (the first may not)
    assert keyer.path.startswith(f"/staff/paper/{QID}/differences/")
    assert len(table_rows(app, Response)) == 1  # the second entry is not a response of its own
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
    [stored] = table_rows(app, Response)
    [form] = table_rows(app, PaperForm)
    assert stored.answers["age"] == 76 and "sex" not in stored.answers
    assert form.marks == {"sex": "blank", "ward": "multiple"} and form.verified_at is not None
    [entry] = table_rows(app, PaperSecondEntry)
    assert entry.resolved_at is not None
    actions = [e.action for e in table_rows(app, AuditEvent)]
    assert "paper.second_entry" in actions and "paper.resolved" in actions
    index = soup(keyer.get("/staff/paper")).select_one(f"[data-paper-counts={QID}]")
    assert index is not None and "1 keyed, 1 verified" in index.get_text()


def test_a_matching_second_entry_verifies_the_form_at_once(app: Flask, keyer: Keyer, checker: Keyer) -> None:
    key_form(keyer, "first", ANSWERS, {"sex": "blank"})
    keyer.post(f"/staff/paper/{QID}/check", {})
    key_form(checker, "second", ANSWERS, {"sex": "blank"})
    checker.post(f"/staff/paper/{QID}/check", {})
    assert "matches the first entry" in soup(checker.page).get_text()
    [form] = table_rows(app, PaperForm)
    assert form.verified_at is not None
    third = keyer.start(mode="paper", batch="B7", form_number="12", entry="second", **RECEIVED)
    assert "already has a second entry" in third.get_data(as_text=True)


def _second_entry_with_a_crime(keyer: Keyer, checker: Keyer) -> str:
    """First entry: not a victim. Second entry (another person): a burglary, all reported. The
    differences page's path."""
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    crime = {**ANSWERS, "victim_any": "yes", "victim_types": ["burglary"], "reported": "yes_all"}
    key_form(checker, "second", crime, {})
    checker.post(f"/staff/paper/{QID}/check", {})
    assert checker.path.startswith(f"/staff/paper/{QID}/differences/"), checker.path
    return checker.path


def test_resolving_drops_answers_the_chosen_routing_does_not_ask_and_says_so(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    path = _second_entry_with_a_crime(keyer, checker)
    page = soup(checker.page).get_text()
    assert "First entry: Not asked (routing)" in page  # not "Not answered": the routing skipped it
    resolved = checker.post(
        path, {"choice-victim_any": "first", "choice-victim_types": "second", "choice-reported": "second"}
    )
    assert checker.path == f"/staff/paper/{QID}/differences", soup(resolved).get_text()[:800]
    said = soup(resolved).get_text()
    assert "The answers chosen do not lead to" in said and "What type of crime" in said
    [stored] = table_rows(app, Response)
    assert stored.answers["victim_any"] == "no"
    assert "victim_types" not in stored.answers and "reported" not in stored.answers  # no contradiction
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "paper.resolved"]
    assert len(event.details["dropped"]) == 2


def test_a_resolution_whose_routing_asks_a_question_nobody_chose_an_answer_for_is_refused(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    path = _second_entry_with_a_crime(keyer, checker)
    refused = checker.post(
        path, {"choice-victim_any": "second", "choice-victim_types": "first", "choice-reported": "second"}
    )
    assert refused.status_code == 400
    text = soup(refused).get_text()
    assert "is asked after the answers chosen, but the entry chosen for it does not answer it" in text
    [stored] = table_rows(app, Response)
    assert stored.answers["victim_any"] == "no"  # nothing was written
    [form] = table_rows(app, PaperForm)
    assert form.verified_at is None


def test_the_first_keyer_may_neither_key_the_second_entry_nor_resolve_it(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    own = keyer.start(mode="paper", batch="B7", form_number="12", entry="second", **RECEIVED)
    assert own.status_code == 400
    assert "You keyed the first entry of this form: someone else must key its second entry" in own.get_data(
        as_text=True
    )
    assert "override_reason" not in own.get_data(as_text=True)  # analysts cannot override
    key_form(checker, "second", {**ANSWERS, "age": 70}, {})
    checker.post(f"/staff/paper/{QID}/check", {})
    path = checker.path
    page = keyer.get(path)
    assert "someone else must resolve the differences" in page.get_data(as_text=True)
    assert soup(page).select_one("form#choices") is None
    token = csrf_of(keyer.client.get(f"/staff/paper/{QID}"))
    refused = keyer.client.post(path, data={"choice-age": "second", "csrf_token": token})
    assert refused.status_code == 400
    [form] = table_rows(app, PaperForm)
    assert form.verified_at is None
    checker.post(path, {"choice-age": "second"})
    [form] = table_rows(app, PaperForm)
    assert form.verified_by == form.keyed_by.replace("analyst1", "analyst2") and form.verified_at is not None


def test_an_admin_may_check_their_own_keying_only_with_a_reason_which_is_audited(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    admin = Keyer(staff_client("admin"))
    key_form(admin, "first", ANSWERS, {})
    admin.post(f"/staff/paper/{QID}/check", {})
    own = admin.start(mode="paper", batch="B7", form_number="12", entry="second", **RECEIVED)
    assert own.status_code == 400
    assert "or give your reason for doing it yourself" in own.get_data(as_text=True)
    reason = "Only keyer on duty at the weekend"
    key_form(admin, "second", {**ANSWERS, "age": 70}, {}, override_reason=reason)
    admin.post(f"/staff/paper/{QID}/check", {})
    [second] = [e for e in table_rows(app, AuditEvent) if e.action == "paper.second_entry"]
    assert second.details["own_keying_reason"] == reason
    path = admin.path
    without = admin.post(path, {"choice-age": "second"})
    assert without.status_code == 400 and "give your reason" in without.get_data(as_text=True)
    admin.post(path, {"choice-age": "second", "override_reason": reason})
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "paper.resolved"]
    assert event.details["own_keying_reason"] == reason
    [form] = table_rows(app, PaperForm)
    assert form.verified_at is not None


def test_the_dashboard_shows_keyed_and_verified_paper_forms_like_the_paper_pages(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    with app.app_context(), Session(get_engine()) as session:  # two paper responses loaded from a file
        for token in ("loaded-1", "loaded-2"):
            session.add(
                Response(
                    token=token,
                    questionnaire_id=QID,
                    questionnaire_version="1",
                    mode="paper",
                    status="complete",
                    started_on=date(2026, 5, 1),
                    completed_on=date(2026, 5, 1),
                    answers={"respondent_type": "visitor"},
                )
            )
        session.commit()
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    key_form(keyer, "first", ANSWERS, {}, form_number="13")
    keyer.post(f"/staff/paper/{QID}/check", {})
    key_form(checker, "second", {**ANSWERS, "age": 70}, {})
    checker.post(f"/staff/paper/{QID}/check", {})

    def dashboard() -> str:
        page = soup(keyer.get(f"/staff/dashboard/{QID}"))
        found = page.select_one("#paper-forms")
        assert found is not None, "the dashboard says nothing of paper forms"
        unbatched = page.select_one("#paper-unbatched")
        return (
            found.get_text(" ", strip=True)
            + " | "
            + (unbatched.get_text(" ", strip=True) if unbatched else "")
        )

    shown = dashboard()
    assert "2 keyed, 0 verified by a second entry, 1 with differences to resolve" in shown
    assert "2 of the completed paper responses above have no batch record" in shown
    paper_page = soup(keyer.get(f"/staff/paper/{QID}")).select_one("#paper-counts")
    assert paper_page is not None and "2 keyed, 0 verified" in paper_page.get_text(" ", strip=True)
    checker.post(checker.path, {"choice-age": "second"})
    assert "2 keyed, 1 verified by a second entry." in dashboard()


def test_the_next_form_of_a_batch_keeps_mode_batch_and_date_and_forms_awaiting_a_check_are_listed(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    start = soup(keyer.get(f"/staff/paper/{QID}"))
    mode = start.select_one("input[name=mode][checked]")
    assert mode is not None and mode["value"] == "paper"
    assert start.select_one("#batch")["value"] == "B7"  # type: ignore[index]
    received = [start.select_one(f"#received-{part}")["value"] for part in ("day", "month", "year")]  # type: ignore[index]
    assert received == ["3", "3", "2026"]  # the form's received date, not today
    assert "1 waiting for a second entry" in start.get_text(" ", strip=True)
    waiting = soup(keyer.get(f"/staff/paper/{QID}/differences"))
    assert [(r["data-batch"], r["data-form"]) for r in waiting.select("#awaiting tbody tr")] == [("B7", "12")]
    key_form(checker, "second", {**ANSWERS, "age": 70}, {})
    checker.post(f"/staff/paper/{QID}/check", {})
    assert "1 difference from the first entry" in soup(checker.page).get_text()  # one, not "1 differences"
    waiting = soup(keyer.get(f"/staff/paper/{QID}/differences"))
    assert waiting.select("#awaiting tbody tr") == []
