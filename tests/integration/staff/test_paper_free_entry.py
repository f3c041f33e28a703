"""Resolving a double-keyed paper form when both entries are wrong: entering what the form says."""

from __future__ import annotations

from flask import Flask

from survey.store.models import Response
from survey.store.models_paper import PaperForm
from survey.store.models_staff import AuditEvent
from tests.helpers import error_summary_links, soup, table_rows
from tests.integration.staff.paper_helpers import ANSWERS, QID, Keyer
from tests.integration.staff.test_paper_double_entry import key_form


def _differences(keyer: Keyer, checker: Keyer) -> str:
    """First entry: age 67, sex female. Second entry: age 70, sex left blank. The differences page."""
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    key_form(checker, "second", {**ANSWERS, "age": 70}, {"sex": "blank"})
    checker.post(f"/staff/paper/{QID}/check", {})
    assert checker.path.startswith(f"/staff/paper/{QID}/differences/"), checker.path
    return checker.path


def test_what_the_form_says_is_entered_checked_like_keying_and_used_when_both_entries_are_wrong(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    path = _differences(keyer, checker)
    page = soup(checker.page)
    assert page.select_one("input[value=entered]") is None  # nothing entered yet: two choices each
    link = page.select_one("#enter-age")
    assert link is not None and "Neither is right: enter what the form says" in link.get_text()
    checker.get(str(link["href"]))

    bad = checker.post(checker.path, {"answer": "5"})  # the engine's own check of the age question
    assert bad.status_code == 400
    [message] = error_summary_links(bad)
    inline = soup(bad).select_one(".govuk-error-message")
    assert inline is not None and message in inline.get_text()
    assert checker.path.endswith("/enter/age")
    [stored] = table_rows(app, Response)
    assert stored.answers["age"] == 67  # nothing was saved
    assert soup(checker.get(path)).select_one("input[value=entered]") is None

    checker.get(f"{path}/enter/age")
    checker.post(checker.path, {"answer": "72"})
    assert checker.path == path
    entered = soup(checker.page).select_one("input[name=choice-age][value=entered]")
    assert entered is not None and entered.has_attr("checked")  # chosen for you, and shown
    assert "What the form says (entered): 72" in soup(checker.page).get_text()
    assert "Change what you entered" in soup(checker.page).select_one("#enter-age").get_text()  # type: ignore[union-attr]

    checker.get(f"{path}/enter/sex")  # ticked twice on the paper: neither "female" nor "left blank"
    checker.post(checker.path, {"mark": "multiple"})
    assert "What the form says (entered): More than one box ticked" in soup(checker.page).get_text()

    checker.post(path, {"choice-age": "entered", "choice-sex": "entered"})
    assert checker.path == f"/staff/paper/{QID}/differences"
    [stored] = table_rows(app, Response)
    [form] = table_rows(app, PaperForm)
    assert stored.answers["age"] == 72 and "sex" not in stored.answers
    assert form.marks == {"sex": "multiple"} and form.verified_at is not None
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "paper.resolved"]
    assert event.details["chosen"] == {"sex": "entered", "age": "entered"}
    assert event.details["entered"] == ["sex", "age"]


def test_entered_answers_go_through_the_routing_of_all_the_chosen_answers(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    crime = {**ANSWERS, "victim_any": "yes", "victim_types": ["burglary"], "reported": "yes_all"}
    key_form(checker, "second", crime, {})
    checker.post(f"/staff/paper/{QID}/check", {})
    path = checker.path
    checker.get(f"{path}/enter/victim_any")
    checker.post(checker.path, {"answer": "prefer_not_to_say"})
    resolved = checker.post(
        path, {"choice-victim_any": "entered", "choice-victim_types": "second", "choice-reported": "second"}
    )
    assert checker.path == f"/staff/paper/{QID}/differences"
    assert "The answers chosen do not lead to" in soup(resolved).get_text()
    [stored] = table_rows(app, Response)
    assert stored.answers["victim_any"] == "prefer_not_to_say"
    assert "victim_types" not in stored.answers and "reported" not in stored.answers


def test_a_required_question_entered_empty_gets_its_message_and_only_differences_can_be_entered(
    app: Flask, keyer: Keyer, checker: Keyer
) -> None:
    path = _differences(keyer, checker)
    checker.get(f"{path}/enter/sex")
    empty = checker.post(checker.path, {})
    assert empty.status_code == 400 and error_summary_links(empty)
    assert soup(empty).select_one("button[name=mark][value=blank]") is not None
    assert checker.client.get(f"{path}/enter/ward").status_code == 404  # both entries agree on it
    assert checker.client.get(f"{path}/enter/nonsense").status_code == 404
    refused = checker.post(path, {"choice-age": "entered", "choice-sex": "first"})  # nothing was entered
    assert refused.status_code == 400
    [form] = table_rows(app, PaperForm)
    assert form.verified_at is None
