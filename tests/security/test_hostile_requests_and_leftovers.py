"""The attack review's lower findings: malformed ids, redirects and uploads, secure_delete, retention of
suggestion terms, and an unfinished journey on a shared browser (issue 17)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlmodel import Session, select

from survey.store.db import get_engine
from survey.store.models_themes import SuggestionDecision
from tests.helpers import csrf_of
from tests.integration.staff.conftest import app_config, make_staff, staff_client  # noqa: F401
from tests.integration.staff.test_retention import FIRST, QID, set_retention, store
from tests.respondent import Respondent

HUGE = ["2147483648", "9223372036854775808", "9" * 30]


@pytest.mark.parametrize("number", HUGE)
def test_ids_beyond_the_database_integers_are_404_not_500(
    respondent: Callable[..., Respondent],
    staff_client: Callable[..., FlaskClient],
    number: str,
) -> None:
    resident = respondent()
    resident.start()
    assert resident.client.get(f"/s/safermk-2016/p/{number}").status_code == 404
    admin = staff_client("admin")
    for path in (f"/staff/reports/snapshots/{number}", f"/staff/paper/safermk-2016/p/{number}"):
        assert admin.get(path).status_code == 404, path
    token = csrf_of(admin.get("/staff/accounts"))
    assert admin.post(f"/staff/accounts/{number}/disable", data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize(
    "target",
    ["/staff/%0d%0aSet-Cookie:%20x=1", "/staff/%0aLocation:%20//evil.example", "/staff/\x00", "/staff/%09"],
)
def test_a_line_break_in_next_never_reaches_a_header(app: Flask, client: FlaskClient, target: str) -> None:
    make_staff(app, "officer@example.gov.uk", "admin")
    page = client.get(f"/staff/sign-in?next={target}")
    assert page.status_code == 200
    token = csrf_of(page)
    response = client.post(
        f"/staff/sign-in?next={target}",
        data={
            "email": "officer@example.gov.uk",
            "password": "correct horse battery staple",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_uploads_get_a_clear_message(
    staff_client: Callable[..., FlaskClient],
    depth: int,
) -> None:
    admin = staff_client("admin")
    nested = ("[" * depth + "]" * depth).encode()
    page = admin.get("/staff/themes/safermk-2016/codebook")
    codebook = admin.post(
        "/staff/themes/safermk-2016/codebook/upload",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_of(page), "codebook": (io.BytesIO(nested), "deep.json")},
    )
    assert codebook.status_code in {200, 400} and "levels deep" in codebook.get_data(as_text=True)
    page = admin.get("/staff/questionnaires/publish")
    publish = admin.post(
        "/staff/questionnaires/publish",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_of(page), "definition": (io.BytesIO(nested), "deep.json")},
    )
    assert publish.status_code in {200, 400} and "levels deep" in publish.get_data(as_text=True)


def test_sqlite_connections_overwrite_deleted_rows() -> None:
    """Every SQLite connection sets `secure_delete` itself (whatever the library's compiled default)."""
    from survey.store.db import make_engine

    class Recorder:
        def __init__(self) -> None:
            self.statements: list[str] = []

        def cursor(self) -> Recorder:
            return self

        def execute(self, statement: str) -> None:
            self.statements.append(statement)

        def close(self) -> None:
            pass

    engine = make_engine("sqlite:///:memory:")
    recorder = Recorder()
    for listener in engine.pool.dispatch.connect:
        try:
            listener(recorder, None)
        except AttributeError:  # SQLAlchemy's own listener wants a real sqlite3 connection
            continue
    assert "PRAGMA secure_delete=ON" in recorder.statements
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
    engine.dispose()


def test_retention_removes_decisions_on_suggested_themes(app: Flask, runner: FlaskCliRunner) -> None:
    store(app, FIRST)
    with Session(get_engine(app)) as session:
        for question in ("concerns_text", "ward"):  # a free-text question's words, and (oddly) another
            session.add(
                SuggestionDecision(
                    questionnaire_id=QID,
                    question_id=question,
                    suggestion_key="landlord / mould",
                    decision="rejected",
                    label="Landlord at 14 Elm Road",
                    decided_by="analyst",
                    decided_at=datetime.now(UTC),
                )
            )
        session.commit()
    set_retention(app, QID, date(2026, 5, 1), "free_text_and_sensitive")
    dry = runner.invoke(args=["retention", "apply"])
    assert "1 decision on suggested themes" in dry.output
    runner.invoke(args=["retention", "apply", "--commit"])
    with Session(get_engine(app)) as session:
        left = [(d.question_id, d.label) for d in session.exec(select(SuggestionDecision))]
    assert left == [("ward", "Landlord at 14 Elm Road")]  # only the removed free-text question's went


def _cookie_header(resident: Respondent) -> str:
    assert resident.response is not None
    return "; ".join(resident.response.headers.getlist("Set-Cookie"))


def test_a_shared_device_journey_ends_with_the_browser_and_hides_answers(
    app: Flask, respondent: Callable[..., Respondent], monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert "I am using a shared or public device" in resident.soup.get_text()
    began = resident.client.post(
        "/s/safermk-2016/start", data={"csrf_token": resident.csrf_token(), "shared": "1"}
    )
    cookie = "; ".join(began.headers.getlist("Set-Cookie"))
    assert "survey_session=" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # a browser-session cookie
    resident.get(began.headers["Location"])
    resident.walk({"respondent_type": "resident", "ward": "olney"}, stop_at="sex")
    import time as clock

    later = clock.time() + 16 * 60  # the resident walked away from the library computer
    monkeypatch.setattr("survey.journey.runner.time.time", lambda: later)
    resident.get("/s/safermk-2016/p/2")  # the next person presses Back
    assert resident.path == "/s/safermk-2016"  # the start page, not the resident's answers
    assert resident.client.get("/s/safermk-2016/check").status_code == 302
    page = resident.client.get("/s/safermk-2016/p/2", follow_redirects=True).get_data(as_text=True)
    assert 'value="olney" checked' not in page and "Start now" in page


def test_saving_on_a_shared_device_leaves_only_the_code(
    app: Flask, respondent: Callable[..., Respondent]
) -> None:
    resident = respondent()
    resident.start(shared=True)
    resident.walk({"respondent_type": "resident", "ward": "olney"}, stop_at="sex")
    resident.post("/s/safermk-2016/save", {"page": "4"})
    code_tag = resident.soup.select_one("#resume-code")
    assert code_tag is not None
    code = code_tag.get_text(strip=True)
    resident.get("/s/safermk-2016/p/2")
    assert resident.path == "/s/safermk-2016"  # this browser no longer holds the journey
    resident.get("/s/safermk-2016/resume")
    resident.post("/s/safermk-2016/resume", {"code": code})
    assert resident.question is not None and resident.question.id == "sex"  # the code brings it back


def test_a_journey_resumed_on_a_shared_device_is_still_forgotten(
    app: Flask, respondent: Callable[..., Respondent], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Third review: resuming with the code dropped the "shared device" choice, so a journey resumed at the
    library computer stayed in its browser (answers readable by the next person) until the browser closed.
    The resume page offers the same choice, ticked when this browser was said to be shared."""
    resident = respondent()
    resident.start(shared=True)
    resident.walk({"respondent_type": "resident", "ward": "olney"}, stop_at="sex")
    resident.post("/s/safermk-2016/save", {"page": "4"})
    code_tag = resident.soup.select_one("#resume-code")
    assert code_tag is not None
    resident.get("/s/safermk-2016/resume")
    box = resident.soup.select_one("input#shared")
    assert box is not None and box.has_attr("checked")  # this browser was said to be shared
    resident.post("/s/safermk-2016/resume", {"code": code_tag.get_text(strip=True), "shared": "1"})
    assert resident.question is not None and resident.question.id == "sex"
    import time as clock

    later = clock.time() + 16 * 60  # the resident walked away again, without saving
    monkeypatch.setattr("survey.journey.runner.time.time", lambda: later)
    resident.get("/s/safermk-2016/p/2")  # the next person presses Back
    assert resident.path == "/s/safermk-2016"
    assert resident.client.get("/s/safermk-2016/check").status_code == 302


def test_the_resume_page_offers_the_shared_device_choice_unticked_elsewhere(
    respondent: Callable[..., Respondent],
) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016/resume")
    box = resident.soup.select_one("input#shared")
    assert box is not None and not box.has_attr("checked")
    assert "I am using a shared or public device" in resident.soup.get_text()


def test_a_journey_on_ones_own_device_is_unchanged(
    app: Flask, respondent: Callable[..., Respondent], monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "resident"}, stop_at="tenure")
    import time as clock

    later = clock.time() + 16 * 60
    monkeypatch.setattr("survey.journey.runner.time.time", lambda: later)
    resident.get("/s/safermk-2016/p/1")
    assert resident.path == "/s/safermk-2016/p/1"
