"""The budget consultation's newer question types through the resident's pages (Flask test client)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlmodel import select

from survey.store.db import get_session
from survey.store.models import Response
from tests.respondent import Respondent

BUDGET = "council-budget-2027"
PRIORITIES = {"item-schools": "1", "item-social_care": "2", "item-roads": "3"}


def _stored(app: Flask) -> dict[str, Any]:
    with app.app_context():
        session = get_session()
        session.expire_all()
        rows = list(session.exec(select(Response).where(Response.questionnaire_id == BUDGET)))
        return dict(rows[-1].answers)


def _to(resident: Respondent, qid: str, answers: dict[str, Any] | None = None) -> None:
    resident.walk(answers or {}, stop_at=qid)
    assert resident.question is not None and resident.question.id == qid, resident.path


def test_a_resident_answers_every_new_type_and_sends(
    app: Flask, respondent: Callable[..., Respondent]
) -> None:
    resident = respondent(BUDGET)
    resident.start()
    resident.answer("live")
    assert resident.question is not None and resident.question.id == "postcode"
    resident.answer_raw({"answer": "cf10 4uw"})
    # consent: a required tick
    resident.answer_raw({})
    assert resident.error_summary == ["Select the box to say you understand how your answers will be used"]
    resident.answer_raw({"answer": "yes"})
    # the grid: one fieldset of checkboxes per service, no table
    assert resident.soup.find("table") is None
    legends = [x.get_text(strip=True) for x in resident.soup.select("fieldset legend")]
    assert legends == ["Libraries", "Leisure centres", "Recycling centres", "Parks and countryside"]
    resident.answer_raw({"item-libraries": ["online", "in_person"], "item-parks": "not_used"})
    # "other, please specify": the words are required, then stored beside the answer
    codes = [x["value"] for x in resident.soup.select("input[name=answer]")]
    assert "business_rates" not in codes  # offered only to people who work in the county
    resident.answer_raw({"answer": "other"})
    assert resident.error_summary == ["Enter your own answer for 'Something else'"]
    link = resident.soup.select_one(".govuk-error-summary a")
    assert link is not None and link["href"] == "#other-other"
    resident.answer_raw({"answer": "other", "other-other": "Potholes on our lane"})
    # a GOV.UK date input with bounds
    resident.answer_raw({"answer-day": "3", "answer-month": "5", "answer-year": "2016"})
    assert resident.error_summary == ["The date must be the same as or after 1 January 2020"]
    resident.answer_raw({"answer-day": "3", "answer-month": "5", "answer-year": "2026"})
    # ranking: a select per service, described by the question; ranks must differ
    selects = resident.soup.select("select")
    assert len(selects) == 6 and all("question-heading" in s["aria-describedby"] for s in selects)
    resident.answer_raw({"item-schools": "1", "item-roads": "1", "item-bins": "2"})
    assert resident.error_summary == ["Give each service a different number"]
    resident.answer_raw(PRIORITIES)
    # a decimal in the page's language: "4,5" is refused on an English page, never stored as 45
    resident.answer_raw({"answer": "4,5"})
    assert resident.error_summary[0].startswith("Enter the number with digits only, a full stop for decimals")
    resident.answer_raw({"answer": "4.5"})
    # piping: the earlier answer in the hint of the next page
    assert "You said council tax should rise by 4.5 percent" in resident.soup.get_text(" ")
    resident.answer(None)
    resident.answer_raw({"answer": "£2.50"})
    resident.answer_raw({"answer": "3"})
    # a check across questions
    resident.answer_raw({"answer": "3"})
    assert resident.error_summary == [
        "The number of children must be fewer than the number of people in your home"
    ]
    resident.answer_raw({"answer": "1"})
    resident.answer_raw({"answer": "LB07"})
    assert resident.path == f"/s/{BUDGET}/check"
    page = resident.soup.get_text(" ")
    for words in (
        "CF10",
        "Something else: Potholes on our lane",
        "3 May 2026",
        "1. Schools",
        "£2.50",
        "Libraries: Online, In person",
    ):
        assert words in page, words
    assert "CF10 4UW" not in page
    resident.submit()
    stored = _stored(app)
    assert stored["postcode"] == "CF10"  # never the full postcode
    assert stored["contact_reason"] == "other" and stored["contact_reason.other"] == "Potholes on our lane"
    assert stored["priorities"] == {"schools": 1, "social_care": 2, "roads": 3}
    assert stored["tax_rise"] == 4.5 and stored["extra_pay"] == 2.5 and stored["last_contact"] == "2026-05-03"
    assert stored["services_used"] == {"libraries": ["online", "in_person"], "parks": ["not_used"]}


def test_conditionally_required_and_dont_know(respondent: Callable[..., Respondent]) -> None:
    resident = respondent(BUDGET)
    resident.start()
    _to(resident, "tax_rise", {"priorities": {"schools": 1, "roads": 2, "bins": 3}})
    resident.answer_raw({"answer": "0"})
    resident.answer_raw({})  # "which would you reduce" is required when the rise is 0
    assert resident.error_summary == ["Enter which services you would reduce"]
    resident.get(resident.path.replace("/p/10", "/p/9") + "?change=1")
    resident.answer_raw({"dont-know": "yes", "answer": "2"})
    assert resident.error_summary == ["Enter a number or select 'I don't know', not both"]
    resident.answer_raw({"dont-know": "yes"})
    assert resident.question is not None and resident.question.id == "cuts"
    resident.answer_raw({})  # optional now
    assert resident.question is None or resident.question.id != "cuts"


def test_the_privacy_notice_says_only_the_outward_code_is_kept(respondent: Callable[..., Respondent]) -> None:
    resident = respondent(BUDGET)
    resident.get(f"/s/{BUDGET}")
    words = resident.soup.get_text(" ")
    assert "we keep only its first part (before the space), never the full postcode" in words
    resident.get(f"/s/{BUDGET}?lang=cy")
    assert "byth y cod post llawn" in resident.soup.get_text(" ")


def test_a_check_across_questions_is_asked_again_when_an_earlier_answer_changes(
    respondent: Callable[..., Respondent],
) -> None:
    resident = respondent(BUDGET)
    resident.start()
    resident.walk({"priorities": {"schools": 1, "roads": 2, "bins": 3}, "people": 3, "children": 2})
    assert resident.path == f"/s/{BUDGET}/check"
    people = resident.q.position("people") + 1
    resident.get(f"/s/{BUDGET}/p/{people}?change=1")
    resident.answer_raw({"answer": "2"})  # as many people as the 2 children already given
    assert resident.question is not None and resident.question.id == "children"
    assert resident.error_summary == []
    resident.answer_raw({"answer": "2"})
    assert resident.error_summary == [
        "The number of children must be fewer than the number of people in your home"
    ]


def test_the_screen_out_ending_stops_the_journey(respondent: Callable[..., Respondent]) -> None:
    resident = respondent(BUDGET)
    resident.start()
    resident.answer("neither")
    assert resident.heading == "This consultation is for people who live or work in Example County"
    assert not resident.soup.select("form button.govuk-button")  # no Continue
    assert not resident.soup.select(".govuk-caption-l")  # an ending is no "Section 1 of 1"
    resident.get(f"/s/{BUDGET}/check")
    assert resident.heading == "This consultation is for people who live or work in Example County"


def test_progress_counts_the_sections_on_this_path(respondent: Callable[..., Respondent]) -> None:
    resident = respondent(BUDGET)
    resident.start()
    _to(resident, "tax_rise", {"connection": "work", "priorities": {"schools": 1, "roads": 2, "bins": 3}})
    caption = resident.soup.select_one("h1 .govuk-caption-l")
    assert caption is not None and caption.get_text(strip=True) == "Section 3 of 3"  # no household section


def test_welsh_pages_use_welsh_words_for_the_new_types(respondent: Callable[..., Respondent]) -> None:
    resident = respondent(BUDGET)
    resident.get(f"/s/{BUDGET}?lang=cy")
    resident.start()
    resident.answer("live")
    resident.answer_raw({"answer": "MK9"})
    assert resident.error_summary == ["Rhowch god post llawn, fel CF10 4UW"]
    _to(resident, "last_contact", {"contact_reason": "bins"})
    labels = [x.get_text(strip=True) for x in resident.soup.select(".govuk-date-input label")]
    assert labels == ["Diwrnod", "Mis", "Blwyddyn"]
    caption = resident.soup.select_one(".govuk-caption-l")
    assert caption is not None and caption.get_text(strip=True) == "Adran 2 o 4"
    resident.answer(None)
    resident.answer_raw({"item-schools": "1", "item-roads": "2", "item-bins": "3"})
    resident.answer_raw({"answer": "4,5"})
    assert resident.error_summary[0].startswith("Rhowch y rhif gyda digidau yn unig")


def test_a_polish_page_reads_a_decimal_comma_and_refuses_it_for_a_whole_number(
    respondent: Callable[..., Respondent],
) -> None:
    resident = respondent("safermk-2016")
    resident.get("/s/safermk-2016?lang=pl")
    resident.start()
    age = next(q.id for q in resident.q.questions if q.type == "number")
    resident.walk({}, stop_at=age)
    resident.answer_raw({"answer": "4,5"})
    assert resident.error_summary and "całkowit" in resident.error_summary[0]  # not stored as 45


def test_rating_items_are_described_by_the_question(respondent: Callable[..., Respondent]) -> None:
    resident = respondent("safermk-2016")
    resident.start()
    rating = next(q.id for q in resident.q.questions if q.type == "rating" and not q.show_if)
    resident.walk({}, stop_at=rating)
    fieldsets = resident.soup.select(".app-rating-item fieldset")
    assert fieldsets and all("question-heading" in f["aria-describedby"] for f in fieldsets)
    assert resident.soup.select_one("h1#question-heading") is not None


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "You can enter up to 1000 characters"), ("cy", "Gallwch roi hyd at 1000 nod")]
)
def test_a_long_answers_limit_is_said_with_the_number(
    respondent: Callable[..., Respondent], lang: str, words: str
) -> None:
    # GOV.UK's character count fills `%{count}`: a gettext `%(count)s` left in the message was read out as is
    resident = respondent(BUDGET)
    resident.get(f"/s/{BUDGET}?lang={lang}")
    resident.start()
    _to(resident, "cuts", {"priorities": {"schools": 1, "roads": 2, "bins": 3}, "tax_rise": 4.5})
    hint = resident.soup.select_one(".govuk-character-count__message")
    assert hint is not None and hint.get_text(strip=True) == words
    assert "%(count)s" not in str(resident.soup)


def test_check_your_answers_bounds_a_date_by_the_same_today_as_its_page(
    app: Flask, respondent: Callable[..., Respondent]
) -> None:
    """'Today' is the service's (survey.config.today: its time zone, or SURVEY_FIXED_DATE), on the page and
    when check your answers checks the stored answers again; a day ahead of the machine's date (here a
    pinned date) taken on the page is not refused there, which would send the resident back in a loop."""
    day = datetime.now(UTC).date() + timedelta(days=400)
    app.config["SURVEY_FIXED_DATE"] = day.isoformat()
    resident = respondent(BUDGET)
    resident.start()
    resident.walk({"contact_reason": "bins", "last_contact": day.isoformat()})
    assert resident.path == f"/s/{BUDGET}/check"
    resident.submit()
    assert _stored(app)["last_contact"] == day.isoformat()
