"""Malformed input gets a clear 400/404 (or the form again with a message), never a 500 (second review, F7).

The review found 12 unhandled errors: digits Python's `str.isdigit()` accepts but `int()` refuses ('²'),
fullwidth digits, integers past 4,300 digits or the database's integers, deeply nested JSON in form fields
and uploads, and a Host header with a 64-character label. Every request-borne number and JSON document now
goes through survey.services.inputs; these tests send the review's values, and a list of hostile values,
to every place it found (SQLite and Postgres), then fuzz the helpers themselves with Hypothesis.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from survey.engine.formats import parse_number
from survey.services import inputs, two_factor
from survey.store.db import get_engine
from tests.helpers import csrf_of
from tests.integration.staff.conftest import analyst, app_config, make_staff, sign_in, staff_client  # noqa: F401
from tests.integration.staff.test_builder import draft_of, new_draft, post
from tests.integration.staff.themes_helpers import BURGLARY, store_answers
from tests.respondent import Respondent

QID = "safermk-2016"
# The review's values, and their neighbours: superscript, Arabic-Indic and fullwidth digits, signs, spaces,
# past the database's integers, past Python's 4,300 digits, control characters.
HOSTILE = ["²", "²²²²²²", "١٢", "１２", "-1", "+1", "1e3", " 1 ", "\x00", "9" * 20, "9" * 4301, "12a", ""]
DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000
HUGE_INT = '{"id": ' + "9" * 5000 + "}"


def label(value: str) -> str:
    """A short test id for a long hostile value."""
    return ascii(value)[:14] + (f"..({len(value)})" if len(value) > 12 else "")


def no_500(response: Any, where: str) -> str:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def admin(staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    return staff_client("admin")


# -- residents -------------------------------------------------------------------------------------------


def test_a_number_answer_of_thousands_of_digits_is_refused_with_a_message(
    respondent: Callable[..., Respondent],
) -> None:
    resident = respondent()
    resident.start()
    number = next(q for q in resident.q.questions if q.type == "number")
    resident.walk(stop_at=number.id)
    assert resident.question == number
    page = resident.path
    for value in ["9" * 4301, "9" * 5000, "1" + "0" * 4300, "１２", "²"]:
        response = resident.post(page, {"answer": value})
        text = no_500(response, value[:10])
        assert resident.path == page and resident.error_summary, text[:300]


def test_a_host_header_that_is_not_a_host_name_is_a_plain_400(client: FlaskClient) -> None:
    for path in ("/", f"/s/{QID}", "/staff/sign-in", "/assets/not-there"):
        for host in ("a" * 64, "x." + "b" * 70 + ".example", "a" * 63 + "." + "c" * 64):
            response = client.get(path, headers={"Host": host})
            assert response.status_code == 400, (path, host)
            assert "not a valid host name" in response.get_data(as_text=True)
            assert response.headers["X-Frame-Options"] == "DENY"  # the headers are still set
    assert client.get("/", headers={"Host": "a" * 63}).status_code == 200


def test_save_and_come_back_with_a_malformed_page_number(respondent: Callable[..., Respondent]) -> None:
    resident = respondent()
    resident.start()
    for value in HOSTILE:
        response = resident.client.post(
            f"/s/{QID}/save", data={"page": value, "csrf_token": resident.csrf_token()}
        )
        no_500(response, f"save page={value[:10]!r}")


# -- staff: ids and page numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE, ids=label)
def test_typed_ids_and_page_numbers_never_fail(
    app: Flask, admin: FlaskClient, analyst: FlaskClient, value: str
) -> None:
    moderation = admin.get(f"/staff/moderation/{QID}", query_string={"response": value})
    text = no_500(moderation, "moderation ?response=")
    if value.strip():
        assert moderation.status_code == 400 and "enter the number of a response" in text
    no_500(admin.get("/staff/audit", query_string={"page": value}), "audit ?page=")
    coding = f"/staff/themes/{QID}/concerns_text/coding"
    no_500(analyst.get(coding, query_string={"page": value}), "coding ?page=")
    saved = analyst.post(coding, data={"shown": value, "csrf_token": csrf_of(analyst.get(coding))})
    assert "nothing was saved" in no_500(saved, "coding shown=") or not value
    page = admin.get("/staff/responses/erase")
    erase = admin.post("/staff/responses/erase", data={"response_id": value, "csrf_token": csrf_of(page)})
    text = no_500(erase, "erase response_id=")
    assert "Enter the response number" in text or "There is no response number 1:" in text


def test_a_real_response_number_still_opens(app: Flask, analyst: FlaskClient) -> None:
    [rid] = store_answers(app, BURGLARY[:1])
    found = analyst.get(f"/staff/moderation/{QID}", query_string={"response": f" {rid} "})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/responses/{rid}")


def test_two_factor_codes_in_other_digits_are_simply_wrong(app: Flask) -> None:
    email = "officer@example.gov.uk"
    user = make_staff(app, email, "analyst")
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = two_factor.start_setup(session, user)
        assert two_factor.confirm(session, row, pyotp.TOTP(row.secret).now()) is not None
    client = app.test_client()
    assert sign_in(client, email).headers["Location"] == "/staff/sign-in/two-factor"
    for code in ["²²²²²²", "１２３４５６", "١٢٣٤٥٦", "9" * 5000, "\x00" * 6]:
        page = client.get("/staff/sign-in/two-factor")
        response = client.post("/staff/sign-in/two-factor", data={"code": code, "csrf_token": csrf_of(page)})
        text = no_500(response, f"two-factor {code[:6]!r}")
        assert response.status_code == 400 and ("The code is not right" in text or "too many" in text)


def test_builder_buttons_with_malformed_positions(app: Flask, admin: FlaskClient) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Pick one"})
    url = f"{base}/questions/pick_one/options"
    post(admin, url, {"label": "Yes"})
    for value in HOSTILE:
        for verb in ("remove", "up", "down"):
            no_500(post(admin, url, {"action": f"{verb}:{value}"}), f"builder {verb}:{value[:10]!r}")
    assert [o["label"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]] == ["Yes"]
    for page in ("support", "demographics"):
        no_500(post(admin, f"{base}/{page}", {"action": "remove:²"}), f"builder {page} remove:²")


# -- staff: JSON in form fields and uploads ---------------------------------------------------------------


@pytest.mark.parametrize("carried", [DEEP, DEEP_OBJECT, HUGE_INT, "{not json", "[]"], ids=label)
def test_json_carried_in_form_fields_is_refused_with_a_message(admin: FlaskClient, carried: str) -> None:
    token = csrf_of(admin.get("/staff/questionnaires/publish-spreadsheet"))
    for path in (
        "/staff/questionnaires/publish-spreadsheet/check",
        "/staff/questionnaires/publish-spreadsheet/confirm",
    ):
        response = admin.post(
            path, data={"csrf_token": token, "definition": carried, "filename": "x.xlsx", "version": "9"}
        )
        assert "Upload the spreadsheet again" in no_500(response, path)
    token = csrf_of(admin.get(f"/staff/questionnaires/{QID}/preview"))
    for field in ("definition", "answers", "visited"):
        response = admin.post(
            "/staff/questionnaires/preview", data={"csrf_token": token, field: carried, "action": "continue"}
        )
        no_500(response, f"preview {field}")


@pytest.mark.parametrize(
    ("content", "said"), [(HUGE_INT, "too many digits"), (DEEP, "levels deep")], ids=["huge-int", "deep"]
)
def test_uploads_with_huge_numbers_or_deep_nesting_get_a_clear_message(
    admin: FlaskClient, content: str, said: str
) -> None:
    page = admin.get("/staff/questionnaires/publish")
    publish = admin.post(
        "/staff/questionnaires/publish",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_of(page), "definition": (io.BytesIO(content.encode()), "q.json")},
    )
    assert said in no_500(publish, "publish")
    page = admin.get(f"/staff/themes/{QID}/codebook")
    codebook = admin.post(
        f"/staff/themes/{QID}/codebook/upload",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_of(page), "codebook": (io.BytesIO(content.encode()), "c.json")},
    )
    text = no_500(codebook, "codebook")
    assert said in text or ("more than 100 digits" in text and said == "too many digits")


# -- the helpers themselves, fuzzed --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_whole_number_gives_a_bounded_int_or_none_for_any_text(raw: str) -> None:
    value = inputs.whole_number(raw)
    assert value is None or (0 <= value <= inputs.MAX_DATABASE_INT and raw.strip().isascii())


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=inputs.MAX_DATABASE_INT))
def test_whole_number_reads_every_id_back(number: int) -> None:
    assert inputs.whole_number(str(number)) == number
    assert inputs.whole_number(str(number + inputs.MAX_DATABASE_INT + 1)) is None


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='[]{}",:0123456789-.e \\atrufnl²１', max_size=200))
def test_read_json_raises_only_its_own_error(text: str) -> None:
    try:
        inputs.read_json(text)
    except inputs.JsonInputError as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_read_json_reads_ordinary_json_as_json_does(value: Any) -> None:
    text = json.dumps(value)
    assert inputs.read_json(text) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,  +-²１e", max_size=5000))
def test_a_typed_number_is_a_number_or_a_problem(text: str) -> None:
    parsed = parse_number(text, "en")
    assert parsed.value is None or parsed.value.adjusted() < 12
