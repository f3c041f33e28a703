"""check_answer: form data in, stored value or GOV.UK error messages out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from survey.engine import check_answer, check_stored, form_data_for, load_dict
from survey.engine.messages import derived_subject
from tests.unit.engine.definitions import MINI

Q = load_dict(MINI, "mini.json")

# "age" is a whole number: the message does not offer a decimal point it would then refuse
SEPARATOR = "Enter a whole number with digits only, like 45, and commas only between thousands (like 1,500)"
CASES: list[tuple[str, dict[str, Any], Any, list[str]]] = [
    ("safe_day", {"answer": "very"}, "very", []),
    ("safe_day", {"answer": ["fairly"]}, "fairly", []),
    ("safe_day", {}, None, ["Select how safe you feel during the day"]),
    ("safe_day", {"answer": "  "}, None, ["Select how safe you feel during the day"]),
    ("safe_day", {"answer": "extremely"}, None, ["Select how safe you feel during the day"]),
    ("safe_day", {"answer": ["very", "fairly"]}, None, ["Select how safe you feel during the day"]),
    ("victim_any", {}, None, ["Select if you have been a victim of crime"]),
    ("sex", {}, None, ["Select your sex"]),
    ("crimes", {"answer": ["theft", "burglary"]}, ["burglary", "theft"], []),
    ("crimes", {"answer": "none"}, ["none"], []),
    (
        "crimes",
        {"answer": ["none", "theft"]},
        None,
        ["Select 'None of these' on its own, or select the other options"],
    ),
    ("crimes", {"answer": ["arson"]}, None, ["Select an answer, or select 'None of these'"]),
    ("crimes", {}, None, ["Select an answer, or select 'None of these'"]),
    ("concern", {"item-burglary": "very", "item-cyber": "not"}, {"burglary": "very", "cyber": "not"}, []),
    ("concern", {"item-burglary": "very"}, None, ["Select how concerned you are about cyber crime"]),
    (
        "concern",
        {"item-burglary": "loud", "item-cyber": "not"},
        None,
        ["Select how concerned you are about burglary"],
    ),
    ("why_unsafe", {"answer": " It is dark \r\nat night "}, "It is dark \nat night", []),
    ("why_unsafe", {}, None, []),
    ("why_unsafe", {"answer": "x" * 21}, None, ["Your answer must be 20 characters or fewer"]),
    ("why_unsafe", {"answer": "x" * 20}, "x" * 20, []),
    # control characters (which break XLSX/XML) are removed; tab and new lines kept; text normalised to NFC
    ("why_unsafe", {"answer": "dark\x1b[31m\x07 lane\x00"}, "dark[31m lane", []),
    ("why_unsafe", {"answer": "a\tb\rc\x0bd\x0c\x7f\x85e"}, "a\tb\ncde", []),
    ("why_unsafe", {"answer": "\x1b\x07"}, None, []),
    ("why_unsafe", {"answer": "Cafe\u0301"}, "Caf\u00e9", []),
    ("why_unsafe", {"answer": "e\u0301" * 20}, "\u00e9" * 20, []),  # 20 characters once composed
    ("age", {"answer": "42"}, 42, []),
    ("age", {"answer": " 1,00 "}, None, [SEPARATOR]),  # never read as 100 (nor as 1)
    ("age", {"answer": "4,5"}, None, [SEPARATOR]),  # was stored as 45
    ("age", {"answer": "1,0"}, None, [SEPARATOR]),
    ("age", {"answer": ""}, None, ["Enter how old you are"]),
    ("age", {"answer": "15"}, None, ["Enter a whole number between 16 and 120"]),
    ("age", {"answer": "121"}, None, ["Enter a whole number between 16 and 120"]),
    ("age", {"answer": "forty"}, None, ["Enter a whole number between 16 and 120"]),
    ("age", {"answer": "42.5"}, None, ["Enter a whole number between 16 and 120"]),
    ("age", {"answer": "٤٢"}, None, ["Enter a whole number between 16 and 120"]),
    ("older_help", {}, None, []),
    ("support_info", {"answer": "anything"}, None, []),
]


@pytest.mark.parametrize(("qid", "form", "value", "errors"), CASES)
def test_check_answer(qid: str, form: dict[str, Any], value: Any, errors: list[str]) -> None:
    assert check_answer(Q.question(qid), form) == (value, errors)


def test_required_text_of_only_control_characters_is_missing() -> None:
    required = dataclasses.replace(Q.question("why_unsafe"), required=True)
    assert check_answer(required, {"answer": "\x1b\x00 "})[1] != []


def test_errors_name_their_form_field() -> None:
    _, errors = check_answer(Q.question("concern"), {"item-burglary": "very"})
    assert [e.field for e in errors] == ["item-cyber"]
    _, errors = check_answer(Q.question("age"), {})
    assert [e.field for e in errors] == ["answer"]


def test_a_multidict_like_object_with_getlist_is_read_fully() -> None:
    class Form(dict[str, str]):
        def getlist(self, key: str) -> list[str]:
            return ["burglary", "theft"] if key == "answer" else []

    assert check_answer(Q.question("crimes"), Form(answer="burglary")) == (["burglary", "theft"], [])


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("safe_day", "fairly"),
        ("crimes", ["burglary", "theft"]),
        ("concern", {"burglary": "very", "cyber": "not"}),
        ("why_unsafe", "Dark"),
        ("age", 99),
    ],
)
def test_form_data_round_trips(qid: str, value: Any) -> None:
    question = Q.question(qid)
    assert check_answer(question, form_data_for(question, value)) == (value, [])
    assert check_stored(question, value) == []


def test_check_stored_finds_values_a_new_version_no_longer_accepts() -> None:
    assert check_stored(Q.question("safe_day"), "retired_code") == ["Select how safe you feel during the day"]
    assert check_stored(Q.question("safe_day"), None) == ["Select how safe you feel during the day"]
    assert check_stored(Q.question("why_unsafe"), None) == []


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("How concerned are you about the following?", "how concerned you are about the following"),
        ("How often do you visit the city centre?", "how often you visit the city centre"),
        ("How long have you lived in Milton Keynes?", "how long you have lived in Milton Keynes"),
        ("What is your age?", "your age"),
        ("Do you feel safe?", "if you feel safe"),
        ("Are you a resident?", "if you are a resident"),
        ("Please tell us more", None),
    ],
)
def test_derived_subjects(text: str, subject: str | None) -> None:
    assert derived_subject(text) == subject


def test_error_subject_overrides_the_derived_one() -> None:
    d: dict[str, Any] = {**MINI, "sections": [dict(MINI["sections"][0])], "demographics": []}
    d["sections"][0]["questions"] = [
        {
            **MINI["sections"][0]["questions"][0],
            "error_subject": {"en": "how safe you feel", "cy": "pa mor ddiogel"},
        }
    ]
    question = load_dict(d).question("safe_day")
    assert check_answer(question, {})[1] == ["Select how safe you feel"]
    assert check_answer(question, {}, "cy")[1] == ["Dewiswch pa mor ddiogel"]


@pytest.mark.parametrize(
    ("lang", "qid", "form", "message"),
    [
        ("cy", "age", {"answer": "3"}, "Rhowch rif cyfan rhwng 16 a 120"),
        ("pl", "age", {"answer": "3"}, "Wpisz liczbę całkowitą od 16 do 120"),
        ("pl", "why_unsafe", {"answer": "x" * 21}, "Odpowiedź może mieć najwyżej 20 znaków"),
        ("cy", "safe_day", {}, "Dewiswch ateb"),  # no Welsh error_subject: a generic Welsh message
        ("cy", "concern", {"item-cyber": "not"}, "Dewiswch ateb ar gyfer byrgleriaeth"),
        (
            "cy",
            "crimes",
            {"answer": ["none", "theft"]},
            "Dewiswch 'Dim un' ar ei ben ei hun, neu dewiswch yr opsiynau eraill",
        ),
        ("fr", "age", {"answer": "3"}, "Enter a whole number between 16 and 120"),  # unknown: English
    ],
)
def test_messages_in_other_languages(lang: str, qid: str, form: dict[str, Any], message: str) -> None:
    assert check_answer(Q.question(qid), form, lang)[1] == [message]


def test_prefer_not_to_say_is_exclusive_but_not_offered_as_none_of_these() -> None:
    d: dict[str, Any] = {**MINI, "demographics": [], "languages": ["en"]}
    d["sections"] = [
        {
            "id": "s",
            "title": "S",
            "questions": [
                {
                    "id": "crimes",
                    "type": "multiple",
                    "text": "Which crimes?",
                    "error_subject": "the crimes",
                    "options": [
                        {"code": "theft", "label": "Theft"},
                        {
                            "code": "pnts",
                            "label": "Prefer not to say",
                            "kind": "prefer_not_to_say",
                            "exclusive": True,
                        },
                    ],
                }
            ],
        }
    ]
    question = load_dict(d).question("crimes")
    assert check_answer(question, {})[1] == ["Select the crimes"]
    assert check_answer(question, {"answer": ["theft", "pnts"]})[1] == [
        "Select 'Prefer not to say' on its own, or select the other options"
    ]


def test_an_error_subject_without_the_pages_language_gives_the_plain_message() -> None:
    """An English-only error_subject is not put into an Urdu or Welsh sentence: the plain message is used."""
    d: dict[str, Any] = {**MINI, "sections": [dict(MINI["sections"][0])], "demographics": []}
    d["sections"][0]["questions"] = [
        {**MINI["sections"][0]["questions"][0], "error_subject": {"en": "how safe you feel"}}
    ]
    question = load_dict(d).question("safe_day")
    assert check_answer(question, {})[1] == ["Select how safe you feel"]
    assert check_answer(question, {}, "cy")[1] == ["Dewiswch ateb"]
    assert check_answer(question, {}, "ur")[1] == ["ایک جواب منتخب کریں"]
    assert check_answer(Q.question("age"), {"answer": "3"}, "ur")[1] == [
        "16 اور 120 کے درمیان ایک مکمل عدد درج کریں"
    ]


# Every bidirectional control: marks (U+200E/F), embeddings and overrides (U+202A-E), isolates (U+2066-9).
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidirectional_controls_are_removed_from_stored_free_text() -> None:
    # "Trojan Source": an override makes "evil" read backwards in whatever shows the stored text
    value, errors = check_answer(Q.question("why_unsafe"), {"answer": "dark \u202elive\u202c lane" + BIDI})
    assert (value, errors) == ("dark live lane", [])


def test_free_text_of_only_bidirectional_controls_is_missing() -> None:
    required = dataclasses.replace(Q.question("why_unsafe"), required=True)
    assert check_answer(required, {"answer": BIDI + " "})[1] != []


def test_clean_text_removes_every_bidirectional_control_and_keeps_the_words() -> None:
    from survey.engine.answers import clean_text

    assert clean_text(f"{BIDI}שלום{BIDI} abc\u2067x\u2069") == "שלום abcx"
    assert all(ch not in clean_text(BIDI * 3) for ch in BIDI)
