"""The newer question types and format features: form data in, stored value or message out; navigation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from survey.engine import (
    ReferenceCatalogue,
    answer_words,
    check_answer,
    check_page,
    check_stored,
    form_data_for,
    is_complete,
    load_dict,
    next_page,
    pipe,
    prune_answers,
    screened_out,
    shown_options,
    validate_dict,
    visible_questions,
)
from survey.engine.formats import parse_number
from tests.unit.engine.cases import REFERENCE_CASES, Def, changed_mini
from tests.unit.engine.definitions import MINI

L = {"en": "x", "cy": "x"}


def _q(**fields: Any) -> dict[str, Any]:
    return {"text": {"en": "Question", "cy": "Cwestiwn"}, **fields}


TYPES: Def = {
    "id": "types",
    "version": "1",
    "language": "en",
    "languages": ["en", "cy", "pl"],
    "title": "Types",
    "sections": [
        {
            "id": "all",
            "title": "All",
            "questions": [
                _q(
                    id="area",
                    type="single",
                    options=[
                        {"code": "mk", "label": "Milton Keynes"},
                        {"code": "elsewhere", "label": "Somewhere else"},
                    ],
                ),
                _q(
                    id="not_for_you",
                    type="info",
                    style="screen_out",
                    text="This survey is for residents of Milton Keynes",
                    show_if={"q": "area", "op": "equals", "value": "elsewhere"},
                ),
                _q(id="people", type="number", min=1, max=20, dont_know="I don't know"),
                _q(
                    id="adults",
                    type="number",
                    min=0,
                    max=20,
                    checks=[
                        {
                            "when": {"q": "adults", "op": "gt", "value_of": "people"},
                            "message": {
                                "en": "Adults cannot be more than the people in your home",
                                "cy": "Ni all oedolion fod yn fwy na'r bobl yn eich cartref",
                            },
                        }
                    ],
                ),
                _q(id="hours", type="decimal", min=0, max=24, places=1),
                _q(id="pay", type="money", min=0, max=100, required=False),
                _q(id="moved", type="date", min_date="1950-01-01", max_date="today"),
                _q(id="postcode", type="postcode"),
                _q(id="email", type="text", format="email", required=False),
                _q(id="phone", type="text", format="phone", required=False),
                _q(
                    id="ref",
                    type="text",
                    format="pattern",
                    pattern="[A-Z]{2}[0-9]{4}",
                    required=False,
                    errors={
                        "format": {
                            "en": "Enter the reference as 2 letters then 4 digits, like AB1234",
                            "cy": "Rhowch y cyfeirnod fel 2 lythyren a 4 digid, fel AB1234",
                        }
                    },
                ),
                _q(
                    id="contact",
                    type="single",
                    options=[
                        {"code": "bin", "label": "Bins"},
                        {
                            "code": "road",
                            "label": "Roads",
                            "show_if": {"q": "area", "op": "equals", "value": "mk"},
                        },
                        {"code": "other", "label": "Something else", "other": True},
                    ],
                ),
                _q(id="why", type="text", required_if={"q": "contact", "op": "equals", "value": "other"}),
                _q(id="agree", type="consent", consent_label="I agree to take part"),
                _q(
                    id="used",
                    type="grid",
                    items=[{"id": "library", "text": "Libraries"}, {"id": "tip", "text": "Tips"}],
                    options=[
                        {"code": "online", "label": "Online"},
                        {"code": "visit", "label": "In person"},
                        {"code": "never", "label": "Not used", "exclusive": True},
                    ],
                ),
                _q(
                    id="priority",
                    type="ranking",
                    rank_count=2,
                    items=[
                        {"id": "roads", "text": "Roads"},
                        {"id": "parks", "text": "Parks"},
                        {"id": "bins", "text": "Bins"},
                    ],
                ),
                _q(id="thanks", type="info", text="You said {{contact}}; {{pay|no amount}}."),
            ],
        }
    ],
}
Q = load_dict(TYPES)


def check(qid: str, form: dict[str, Any], lang: str | None = None, **kw: Any) -> tuple[Any, list[str]]:
    value, errors = check_answer(Q.question(qid), form, lang, **kw)
    return value, [str(e) for e in errors]


CASES: list[tuple[str, dict[str, Any], str | None, Any, list[str]]] = [
    # whole numbers, with "I don't know"
    ("people", {"answer": "4"}, None, 4, []),
    ("people", {"dont-know": "yes"}, None, "dont_know", []),
    (
        "people",
        {"answer": "4", "dont-know": "yes"},
        None,
        None,
        ["Enter a number or select 'I don't know', not both"],
    ),
    ("people", {"answer": "4,5"}, "pl", None, ["Wpisz liczbę całkowitą od 1 do 20"]),
    # decimals in the page's language: never silently wrong
    ("hours", {"answer": "4.5"}, "en", 4.5, []),
    ("hours", {"answer": "4,5"}, "pl", 4.5, []),
    (
        "hours",
        {"answer": "4,5"},
        "cy",
        None,
        [
            "Rhowch y rhif gyda digidau yn unig, atalnod llawn ar gyfer degolion (fel 4.5) a choma "
            "dim ond rhwng miloedd (fel 1,500)"
        ],
    ),
    ("hours", {"answer": "4.25"}, "en", None, ["Enter a number with no more than 1 decimal places"]),
    ("hours", {"answer": "25"}, "en", None, ["Enter a number between 0 and 24"]),
    (
        "hours",
        {"answer": "1.500"},
        "pl",
        None,
        [
            "Wpisz liczbę cyframi, z przecinkiem przed częścią dziesiętną (np. 4,5) i spacjami "
            "między tysiącami (np. 1 500)"
        ],
    ),
    # money
    ("pay", {"answer": "£4.50"}, None, 4.5, []),
    ("pay", {"answer": "12"}, None, 12, []),
    ("pay", {"answer": "4.505"}, None, None, ["Enter a number with no more than 2 decimal places"]),
    ("pay", {"answer": "150"}, None, None, ["Enter an amount between £0.00 and £100.00"]),
    ("pay", {}, None, None, []),
    # dates with bounds
    ("moved", {"answer-day": "3", "answer-month": "5", "answer-year": "2016"}, None, "2016-05-03", []),
    (
        "moved",
        {"answer-day": "31", "answer-month": "2", "answer-year": "2016"},
        None,
        None,
        ["Enter a real date"],
    ),
    (
        "moved",
        {"answer-day": "3", "answer-month": "", "answer-year": "2016"},
        None,
        None,
        ["Enter a full date, including day, month and year"],
    ),
    (
        "moved",
        {"answer-day": "3", "answer-month": "5", "answer-year": "1900"},
        None,
        None,
        ["The date must be the same as or after 1 January 1950"],
    ),
    (
        "moved",
        {"answer-day": "3", "answer-month": "5", "answer-year": "2030"},
        "cy",
        None,
        ["Rhaid i'r dyddiad fod yr un peth â 2 Rhagfyr 2026 neu cyn hynny"],
    ),
    # postcode: only the outward code is kept
    ("postcode", {"answer": "mk9 3ej"}, None, "MK9", []),
    ("postcode", {"answer": "SW1A1AA"}, None, "SW1A", []),
    ("postcode", {"answer": "MK9"}, None, None, ["Enter a full UK postcode, like MK9 3EJ"]),
    # e-mail, phone, pattern with the question's own wording per language
    ("email", {"answer": "name@example.com"}, None, "name@example.com", []),
    (
        "email",
        {"answer": "name@example"},
        None,
        None,
        ["Enter an email address in the correct format, like name@example.com"],
    ),
    ("phone", {"answer": "01632 960 001"}, None, "01632 960 001", []),
    (
        "phone",
        {"answer": "call me"},
        None,
        None,
        ["Enter a telephone number, like 01632 960 001 or 07700 900 982"],
    ),
    ("ref", {"answer": "AB1234"}, None, "AB1234", []),
    ("ref", {"answer": "AB12"}, "cy", None, ["Rhowch y cyfeirnod fel 2 lythyren a 4 digid, fel AB1234"]),
    # consent: a required tick
    ("agree", {"answer": "yes"}, None, "yes", []),
    ("agree", {}, None, None, ["Select the box to say you agree"]),
    # checkbox grid: one fieldset per row
    (
        "used",
        {"item-library": ["online", "visit"], "item-tip": "never"},
        None,
        {"library": ["online", "visit"], "tip": ["never"]},
        [],
    ),
    (
        "used",
        {"item-tip": ["never", "visit"]},
        None,
        None,
        ["Select 'Not used' on its own, or select the other options"],
    ),
    ("used", {}, None, None, ["Select an answer"]),
    # ranking: the top 2, each rank once
    ("priority", {"item-roads": "1", "item-bins": "2"}, None, {"roads": 1, "bins": 2}, []),
    ("priority", {"item-roads": "1", "item-bins": "1"}, None, None, ["Give each item a different rank"]),
    ("priority", {"item-roads": "1"}, None, None, ["Rank 2 of the items"]),
    ("priority", {"item-roads": "3"}, None, None, ["Select a rank for Roads"]),
]


@pytest.mark.parametrize(("qid", "form", "lang", "value", "errors"), CASES)
def test_check_answer(
    qid: str, form: dict[str, Any], lang: str | None, value: Any, errors: list[str]
) -> None:
    assert check(qid, form, lang, today=date(2026, 12, 2)) == (value, errors)


@pytest.mark.parametrize(("qid", "form", "lang", "value", "errors"), [c for c in CASES if c[3] is not None])
def test_stored_values_fill_the_form_again(
    qid: str, form: dict[str, Any], lang: str | None, value: Any, errors: list[str]
) -> None:
    question = Q.question(qid)
    assert check_stored(question, value) == []
    if qid != "postcode":  # the full postcode is never kept, so it cannot be shown again
        assert check_answer(question, form_data_for(question, value), lang)[0] == value


def test_locale_numbers_are_read_or_refused_never_guessed() -> None:
    assert parse_number("1,500", "en").value == 1500
    assert parse_number("1 500", "pl").value == 1500
    assert parse_number("4,5", "en").problem == "separator"
    assert parse_number("12,34", "cy").problem == "separator"
    assert parse_number("1e5", "en").problem == "invalid"


def test_other_please_specify_is_stored_beside_the_answer() -> None:
    question = Q.question("contact")
    entries, errors = check_page(question, {"answer": "other", "other-other": " Dog fouling "}, answers={})
    assert (entries, errors) == ({"contact": "other", "contact.other": "Dog fouling"}, [])
    _, errors = check_page(question, {"answer": "other"}, answers={})
    assert [str(e) for e in errors] == ["Enter your own answer for 'Something else'"]
    assert errors[0].field == "other-other"
    answers = {"area": "mk", "contact": "other", "contact.other": "Dog fouling"}
    assert prune_answers(Q, answers)["contact.other"] == "Dog fouling"
    assert "contact.other" not in prune_answers(Q, {**answers, "contact": "bin"})
    assert form_data_for(question, "other", answers)["other-other"] == ["Dog fouling"]
    assert answer_words(question, "other", "en", answers) == ["Something else: Dog fouling"]


def test_options_shown_on_a_condition() -> None:
    question = Q.question("contact")
    assert [o.code for o in shown_options(question, {"area": "mk"})] == ["bin", "road", "other"]
    assert [o.code for o in shown_options(question, {})] == ["bin", "other"]
    assert check("contact", {"answer": "road"}, answers={})[1] == ["Select an answer"]
    assert check("contact", {"answer": "road"}, answers={"area": "mk"})[0] == "road"


def test_conditionally_required() -> None:
    assert check("why", {}, answers={"contact": "bin"}) == (None, [])
    assert check("why", {}, answers={"contact": "other"})[1] == ["Enter an answer"]


def test_checks_across_questions() -> None:
    assert check("adults", {"answer": "3"}, "cy", answers={"people": 2})[1] == [
        "Ni all oedolion fod yn fwy na'r bobl yn eich cartref"
    ]
    assert check("adults", {"answer": "2"}, answers={"people": 2})[0] == 2
    assert check("adults", {"answer": "3"}, answers={"people": "dont_know"})[0] == 3


def test_screen_out_ends_the_journey() -> None:
    answers = {"area": "elsewhere"}
    assert [x.id for x in visible_questions(Q, answers)] == ["area", "not_for_you"]
    assert next_page(Q, answers, "not_for_you") is None
    assert screened_out(Q, answers) is not None and not is_complete(Q, answers)
    assert screened_out(Q, {"area": "mk"}) is None


def test_piping_an_earlier_answer() -> None:
    text = Q.text(Q.question("thanks").text)
    assert pipe(Q, text, {"contact": "bin"}, "en") == "You said Bins; no amount."
    assert (
        pipe(Q, text, {"contact": "bin", "pay": 4.5}, "pl") == "You said Bins; 4,50\xa0GBP."
    )  # Polish writes the currency code


def test_answer_words_for_reports_and_check_page() -> None:
    assert answer_words(Q.question("priority"), {"bins": 2, "roads": 1}, "en") == ["1. Roads", "2. Bins"]
    assert answer_words(Q.question("moved"), "2016-05-03", "cy") == ["3 Mai 2016"]
    assert answer_words(Q.question("people"), "dont_know", "en") == ["I don't know"]
    assert answer_words(Q.question("used"), {"tip": ["never"]}, "en") == ["Tips: Not used"]


def test_every_new_type_has_a_clean_definition() -> None:
    result = validate_dict(TYPES, "types.json")
    assert result.errors == (), [str(p) for p in result.errors]


CATALOGUE = ReferenceCatalogue(
    references={
        "mk": {"age_adult16plus": ("16-24", "65+"), "sex_age16to74": ("Female", "Male"), "ward": None}
    },
    default="mk",
)


def test_mappings_are_clean_against_a_known_reference() -> None:
    assert validate_dict(MINI, "mini.json", references=CATALOGUE).errors == ()


@pytest.mark.parametrize(("code", "change", "path", "words"), REFERENCE_CASES)
def test_mappings_against_the_reference(
    code: str, change: Callable[[Def], None], path: str, words: str
) -> None:
    result = validate_dict(changed_mini(change), "mini.json", references=CATALOGUE)
    found = [p for p in result.errors if (p.code, p.path) == (code, path)]
    assert found, [(p.code, p.path) for p in result.errors]
    assert words in found[0].message
    assert "Use one of" in found[0].advice and "'" in found[0].advice  # names the valid values
    assert result.questionnaire is None
    assert validate_dict(changed_mini(change), "mini.json").errors == () or code == "UNKNOWN_REFERENCE"
