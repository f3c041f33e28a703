"""Save and return with a short resume code: any device, rate-limited guessing, nothing stored in clear."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlmodel import select

from survey.respond import codes
from survey.store.db import get_session
from survey.store.models import Response, ResumeAttempt
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"SURVEY_RESUME_LIMIT_PER_CLIENT": 4}


def _save(resident: Respondent, value: object = None) -> str:
    """Press 'Save and come back later' on the current page (sending `value` with it)."""
    from survey.engine import form_data_for

    assert resident.question is not None
    data: dict[str, Any] = dict(form_data_for(resident.question, value)) if value is not None else {}
    data["page"] = str(resident.q.position(resident.question.id) + 1)
    resident.post("/s/safermk-2016/save", data)
    code = resident.soup.select_one("#resume-code")
    assert code is not None, resident.soup.get_text()
    return code.get_text(strip=True)


def _resume(resident: Respondent, code: str) -> None:
    resident.get("/s/safermk-2016/resume")
    resident.post("/s/safermk-2016/resume", {"code": code})


def test_code_resumes_on_another_device_where_the_journey_stopped(
    app: Flask, respondent: MakeRespondent
) -> None:
    first = respondent()
    first.start()
    first.walk({"respondent_type": "visitor"}, stop_at="age")
    code = _save(first, 42)  # the age typed on the page is kept too
    assert CODE.match(code)
    assert "until" in first.soup.get_text()
    second = respondent()  # another browser, no cookie
    _resume(second, code.lower().replace("-", " "))
    assert second.question is not None and second.question.id == "ethnic_group"
    second.walk({})
    second.submit()
    assert second.path == "/s/safermk-2016/done"
    with app.app_context():
        rows = [r.model_dump() for r in get_session().exec(select(Response))]
    assert len(rows) == 1 and rows[0]["status"] == "complete" and rows[0]["answers"]["age"] == 42
    assert rows[0]["resume_code_hash"] is None  # the code is spent once the answers are sent


def test_only_a_hash_of_the_code_is_stored(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    code = _save(resident)
    with app.app_context():
        row = get_session().exec(select(Response)).one().model_dump()
    normal = codes.normalise(code)
    assert normal is not None
    with app.app_context():
        assert row["resume_code_hash"] == codes.digest(code, "safermk-2016")
    assert normal not in str(row) and code not in str(row)
    # a keyed hash (HMAC with the server's secret key), not a plain SHA-256 anyone could recompute
    import hashlib

    assert row["resume_code_hash"] != hashlib.sha256(f"safermk-2016:{normal}".encode()).hexdigest()
    app.config["SECRET_KEY"] = "another-server-key"
    with app.app_context():
        assert codes.digest(code, "safermk-2016") != row["resume_code_hash"]


def test_blank_malformed_and_unknown_codes_get_clear_errors(respondent: MakeRespondent) -> None:
    resident = respondent()
    _resume(resident, "")
    assert resident.error_summary == ["Enter your resume code"]
    resident.post("/s/safermk-2016/resume", {"code": "ABC"})
    assert resident.error_summary == ["Enter the resume code in the right format, like KQ7X4-M2RTD"]
    resident.post("/s/safermk-2016/resume", {"code": "KQ7X4-M2RTD"})
    assert resident.error_summary == ["The resume code was not recognised: check it and try again"]
    assert resident.title.startswith("Error: ")


def test_guessing_is_rate_limited_per_client_in_the_database(app: Flask, respondent: MakeRespondent) -> None:
    owner = respondent()
    owner.start()
    code = _save(owner)
    guesser = respondent()
    guesser.get("/s/safermk-2016/resume")
    for attempt in range(4):
        response = guesser.post("/s/safermk-2016/resume", {"code": f"AAAAA-AAAA{attempt}"})
        assert response.status_code == 200
    response = guesser.post("/s/safermk-2016/resume", {"code": code}, csrf=True)
    assert response.status_code == 429 and guesser.heading == "Too many attempts"
    with app.app_context():
        attempts = {a.key: a.attempts for a in get_session().exec(select(ResumeAttempt))}
    assert "global" not in attempts  # no counter that everyone shares
    client_keys = [key for key in attempts if not key.startswith(("c:", "r:"))]
    assert len(client_keys) == 1 and attempts[client_keys[0]] == 4 and "127.0.0.1" not in client_keys[0]
    assert sorted(v for k, v in attempts.items() if k.startswith("c:") and v) == [1, 1, 1, 1]  # one per code


def test_wrong_codes_from_other_addresses_never_lock_out_the_right_code(
    app: Flask, respondent: MakeRespondent
) -> None:
    """The attack review's finding: a few wrong codes from elsewhere used up a global counter."""
    app.config["SURVEY_RESUME_LIMIT_GLOBAL"] = 60  # the old everyone-shares-it limit, set low: now ignored
    owner = respondent()
    owner.start()
    owner.answer("visitor")
    code = _save(owner)
    for index in range(40):  # many addresses, many wrong codes, even the same wrong code over and over
        guesser = respondent()
        guesser.client.environ_base["REMOTE_ADDR"] = f"10.0.{index // 200}.{index % 200}"
        guesser.get("/s/safermk-2016/resume")
        token = guesser.csrf_token()
        for attempt in range(3):
            guesser.post(
                "/s/safermk-2016/resume", {"code": f"AAAAA-AAAA{attempt}", "csrf_token": token}, csrf=False
            )
    resident = respondent()
    resident.client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    _resume(resident, code)
    assert resident.response is not None and resident.response.status_code == 200
    assert resident.question is not None, resident.soup.get_text()[:300]


def test_the_same_code_is_limited_per_code_and_a_response_per_response(
    app: Flask, respondent: MakeRespondent
) -> None:
    app.config.update(
        SURVEY_CODE_LIMIT_PER_CODE=3, SURVEY_CODE_LIMIT_PER_RESPONSE=2, SURVEY_RESUME_LIMIT_PER_CLIENT=100
    )
    for index in range(3):  # one wrong code from three addresses: the code's own limit
        guesser = respondent()
        guesser.client.environ_base["REMOTE_ADDR"] = f"10.1.0.{index}"
        guesser.get("/s/safermk-2016/resume")
        assert guesser.post("/s/safermk-2016/resume", {"code": "BBBBB-BBBBB"}).status_code == 200
    late = respondent()
    late.client.environ_base["REMOTE_ADDR"] = "10.1.0.99"
    late.get("/s/safermk-2016/resume")
    assert late.post("/s/safermk-2016/resume", {"code": "BBBBB-BBBBB"}).status_code == 429
    owner = respondent()
    owner.start()
    code = _save(owner)
    for index in range(2):  # the right code opens its response twice in the window, then no more
        again = respondent()
        again.client.environ_base["REMOTE_ADDR"] = f"10.2.0.{index}"
        _resume(again, code)
        assert again.response is not None and again.response.status_code == 200
    third = respondent()
    third.client.environ_base["REMOTE_ADDR"] = "10.2.0.9"
    _resume(third, code)
    assert third.response is not None and third.response.status_code == 429


def test_code_generation_has_enough_entropy_and_normalises_lookalikes() -> None:
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**45
    generated = {codes.generate() for _ in range(200)}
    assert len(generated) == 200 and all(CODE.match(c) for c in generated)
    assert codes.normalise("kq7x4 m2rtd") == "KQ7X4M2RTD"
    assert codes.normalise("O0I1L-ABCDE") == "00111ABCDE"
    assert codes.normalise("KQ7X4-M2RTU") is None


@pytest.mark.parametrize(
    ("lang", "notice"),
    [
        ("en", "This code replaces the code you were given before: the earlier code no longer works."),
        ("pl", "Ten kod zastępuje kod otrzymany wcześniej: poprzedni kod już nie działa."),
    ],
)
def test_saving_again_says_the_new_code_replaces_the_earlier_one(
    respondent: MakeRespondent, lang: str, notice: str
) -> None:
    resident = respondent()
    resident.get(f"/s/safermk-2016?lang={lang}")
    resident.start()
    resident.answer("visitor")
    first = _save(resident)
    assert notice not in resident.soup.get_text(" ", strip=True)  # nothing was replaced the first time
    resident.get(resident.soup.select_one("a.govuk-button")["href"])  # "Continue the survey now"
    second = _save(resident)
    assert second != first
    assert notice in resident.soup.get_text(" ", strip=True)
    other = respondent()
    _resume(other, first)
    assert other.error_summary != []  # the earlier code really no longer works
    _resume(other, second)
    assert other.question is not None
