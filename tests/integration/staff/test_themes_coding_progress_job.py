"""The coding page's progress estimate is a background job: the page shows the answers to code at once.

Without a worker in the request (SURVEY_JOBS_WORKER=none) the page shows the next answers to code and says the
estimate is being worked out (reloading itself, unless `?refresh=off`); once the job has run it shows the
estimate; a new code makes it stale (the earlier one stays, labelled with its number of coded answers); a
failed job is said plainly with a Try again button, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from survey.services import jobs, themes
from survey.services.coding_progress import CHANGED
from survey.store.db import get_engine
from survey.store.models_jobs import Job
from tests.helpers import csrf_of, run_queue
from tests.integration.staff.conftest import FAST_HASHING
from tests.integration.staff.test_themes_web import BUS_TEXTS, CODING, DAYS, SPEED_TEXTS, code
from tests.integration.staff.themes_helpers import TAX, store_answers, text_of

pytestmark = pytest.mark.usefixtures("closed_queue")  # tests/integration/staff/conftest.py

PROGRESS = f"{CODING}/progress"
WORKING = "We are working out the estimate"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue until a worker takes them: nothing runs in the request."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_RETRY_SECONDS": 0}


@pytest.fixture
def coded(app: Flask, staff_client: Callable[..., FlaskClient]) -> tuple[FlaskClient, list[int], list[int]]:
    """An analyst who coded 11 speeding answers as road safety and 11 council tax answers as no theme."""
    speed = store_answers(app, SPEED_TEXTS)
    store_answers(app, BUS_TEXTS)
    tax = store_answers(app, [f"{t} {d}" for t in TAX for d in DAYS[:2]])
    client = staff_client("analyst")
    code(client, {**{rid: ["road_safety"] for rid in speed[:11]}, **{rid: [] for rid in tax[:11]}})
    return client, speed, tax


def _jobs(app: Flask) -> list[Job]:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return list(session.exec(select(Job).where(Job.kind == "coding_progress").order_by(col(Job.id))))


def _page(client: FlaskClient, query: str = "show=next") -> tuple[int, str, BeautifulSoup]:
    response = client.get(f"{CODING}?{query}")
    html = response.get_data(as_text=True)
    return response.status_code, html, BeautifulSoup(html, "html.parser")


def _status(parsed: BeautifulSoup) -> str | None:
    found = parsed.select_one("#progress-status")
    return str(found["data-status"]) if found is not None else None


def test_the_page_shows_the_answers_to_code_at_once_and_the_estimate_when_its_job_is_done(
    app: Flask, coded: tuple[FlaskClient, list[int], list[int]]
) -> None:
    client, speed, tax = coded
    status, html, parsed = _page(client)
    assert status == 200 and _status(parsed) == "preparing"
    shown = [int(str(i["value"])) for i in parsed.select("input[name=shown]")]
    assert shown and not set(shown) & (set(speed[:11]) | set(tax[:11]))  # the next answers, at once
    assert WORKING in text_of(html) and "from your 22 coded answers" in text_of(html)
    assert 'data-reload-after="5"' in html and parsed.select_one("label[for=progress-job]") is not None
    assert not parsed.select("#progress-per-theme, #earlier-per-theme")
    off = _page(client, "show=next&refresh=off")[1]  # WCAG 2.2.1: the updating can be turned off
    assert "data-reload-after" not in off and WORKING in text_of(off) and "Check again" in text_of(off)
    [job] = _jobs(app)  # asked for twice, made once
    assert (job.status, job.created_by, job.params["question"]) == ("queued", "coding page", "concerns_text")

    run_queue(app)
    [job] = _jobs(app)
    assert job.status == "done" and job.result is not None
    status, html, parsed = _page(client)
    assert status == 200 and _status(parsed) is None and "data-reload-after" not in html
    row = parsed.select_one("#progress-road_safety")
    assert row is not None
    cells = [c.get_text(" ", strip=True) for c in row.find_all("td")]
    assert cells[0] == "11" and float(cells[3]) >= 0.8 and "Target reached" in cells[4]
    strict = _page(client, "show=next&target=0.95")[2]  # another target: the same estimate, no new job
    assert "F1 0.95" in strict.get_text() and strict.select_one("#progress-road_safety") is not None
    assert len(_jobs(app)) == 1


def test_a_new_code_makes_the_estimate_stale_and_the_earlier_one_is_labelled(
    app: Flask, coded: tuple[FlaskClient, list[int], list[int]]
) -> None:
    client, speed, _tax = coded
    _page(client)
    run_queue(app)
    code(client, {speed[11]: ["road_safety"]})
    status, html, parsed = _page(client)
    assert status == 200 and _status(parsed) == "preparing" and "from your 23 coded answers" in text_of(html)
    assert parsed.select_one("#progress-per-theme") is None  # never shown as current for other codes
    earlier = parsed.select_one("#earlier-per-theme")
    assert earlier is not None and "from 22 coded answers" in earlier.get_text(" ", strip=True)
    assert earlier.select_one("#earlier-road_safety") is not None
    first, second = _jobs(app)
    assert (first.status, second.status) == ("done", "queued")
    run_queue(app)
    parsed = _page(client)[2]
    row = parsed.select_one("#progress-road_safety")
    assert row is not None and row.find_all("td")[0].get_text(strip=True) == "12"
    assert parsed.select_one("#earlier-per-theme") is None
    first, second = _jobs(app)
    assert first.result is None and second.result is not None  # the older estimate is superseded


def test_codes_changed_before_the_job_ran_are_not_estimated_as_the_old_ones(
    app: Flask, coded: tuple[FlaskClient, list[int], list[int]]
) -> None:
    client, speed, _tax = coded
    _page(client)  # asks for the estimate of 22 codes
    code(client, {speed[11]: ["road_safety"]})  # then one more is saved before a worker takes the job
    run_queue(app)
    [stale] = _jobs(app)
    assert (stale.status, stale.error, stale.result) == ("failed", CHANGED, None)
    assert _status(_page(client)[2]) == "preparing"  # the page asks for the new codes' estimate
    run_queue(app)
    assert [j.status for j in _jobs(app)] == ["failed", "done"]
    parsed = _page(client)[2]
    row = parsed.select_one("#progress-road_safety")
    assert row is not None and row.find_all("td")[0].get_text(strip=True) == "12"
    uncode = {"csrf_token": csrf_of(client.get(CODING)), "shown": [str(speed[11])]}  # nothing ticked
    assert client.post(CODING, data=uncode).status_code == 302  # back to the first codes: their job is
    assert _status(_page(client)[2]) == "preparing"  # queued again, not shown as failed
    assert _jobs(app)[0].status == "queued"


def broken_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    progress(10, "first step")
    raise RuntimeError("the estimate could not be made: secret detail")


def test_a_failed_estimate_is_said_plainly_and_try_again_works_it_out_once_more(
    app: Flask, coded: tuple[FlaskClient, list[int], list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _speed, _tax = coded
    real = jobs.KINDS["coding_progress"]
    monkeypatch.setitem(jobs.KINDS, "coding_progress", f"{__name__}:broken_body")
    _page(client)
    run_queue(app)
    [job] = _jobs(app)
    assert (job.status, job.attempts) == ("failed", 1 + jobs.RETRIES)
    status, html, parsed = _page(client)
    assert status == 200 and _status(parsed) == "failed"
    assert "The estimate could not be worked out" in text_of(html) and "secret detail" not in html
    assert "data-reload-after" not in html and parsed.select("input[name=shown]")  # still codable
    form = parsed.select_one(f"form[action='{PROGRESS}']")
    assert form is not None and "Try again" in form.get_text()
    assert _jobs(app)[0].attempts == 1 + jobs.RETRIES  # a visit alone does not try again
    assert client.post(PROGRESS, data={}).status_code == 400  # no CSRF token: refused

    monkeypatch.setitem(jobs.KINDS, "coding_progress", real)
    answer = client.post(PROGRESS, data={"csrf_token": csrf_of(client.get(CODING)), "show": "next"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"{CODING}?show=next#progress")
    assert _status(_page(client)[2]) == "preparing"
    run_queue(app)
    [job] = _jobs(app)
    assert (job.status, job.attempts, job.error) == ("done", 1, None)
    assert _page(client)[2].select_one("#progress-road_safety") is not None


def test_the_estimate_is_asked_for_from_the_second_coded_answer(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    speed = store_answers(app, SPEED_TEXTS)
    client = staff_client("analyst")
    code(client, {speed[0]: ["road_safety"]})
    status, html, parsed = _page(client)
    assert status == 200 and _status(parsed) is None and "Code at least two answers" in text_of(html)
    assert _jobs(app) == []
    code(client, {speed[1]: ["road_safety"]})  # the second coded answer: now there is something to estimate
    assert _status(_page(client)[2]) == "preparing" and len(_jobs(app)) == 1


def test_the_suggestions_page_uses_the_estimate_the_job_stored(
    app: Flask, coded: tuple[FlaskClient, list[int], list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _speed, _tax = coded
    _page(client)
    run_queue(app)
    [job] = _jobs(app)
    stored = json.loads(job.result or b"{}")["agreement"]
    themes._agreement.cache_clear()  # nothing of the job's run kept in this process
    monkeypatch.setattr(themes, "cross_validate", _no_cross_validation)
    response = client.get(f"{CODING}/suggestions")
    assert response.status_code == 200
    f1 = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#micro-f1")
    assert f1 is not None and f1.get_text(strip=True) == f"{stored['micro_f1']:.2f}"


def _no_cross_validation(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("cross-validated in the request although the job had stored the estimate")
