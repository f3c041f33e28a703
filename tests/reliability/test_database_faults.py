"""Database faults and lost replies (issue 17, findings 2 and 6).

- A write that fails shows residents a GOV.UK "Sorry, there is a problem with the service" page (503) with
  their typed answer still in the form; "Send again" stores it once the database is back.
- Connections opened during a fault stay broken (here: SQLite connections opened while the database was
  read-only, `PRAGMA query_only`); the service empties its pool on a fault and recovers without a restart.
- Postgres connections killed under the service (a restart or fail-over) are replaced (pre-ping).
- A lost reply to Send: the browser resends (or reloads) with its old cookie; it sees the confirmation
  page again and no second response is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import create_engine, event, func, text
from sqlmodel import select

from survey.store.db import dispose_engine, get_engine, get_session
from survey.store.models import Response
from tests.conftest import POSTGRES_URL, PROJECT_ROOT, make_app
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
TYPED = "Speeding on Saxon Gate every night"


def _responses(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [r.model_dump() for r in get_session().exec(select(Response))]


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    """The app on a SQLite file (the read-only spell is SQLite's; Postgres has its own test below)."""
    application = make_app(f"sqlite:///{tmp_path / 'survey.db'}", tmp_path)
    yield application
    dispose_engine(application)


@pytest.fixture
def read_only_spell(sqlite_app: Flask) -> Iterator[dict[str, bool]]:
    """While state["read_only"] is set, each new SQLite connection is read-only, and stays so for its life."""
    state = {"read_only": False}
    with sqlite_app.app_context():
        engine = get_engine()

    def connect(dbapi_connection: Any, _record: Any) -> None:
        if state["read_only"]:
            dbapi_connection.execute("PRAGMA query_only=ON")

    event.listen(engine, "connect", connect)
    engine.dispose()  # drop the connections made before the spell
    yield state
    event.remove(engine, "connect", connect)


def _resident(app: Flask) -> Respondent:
    return Respondent(app.test_client(), "safermk-2016", PROJECT_ROOT / "questionnaires")


def _to_free_text(resident: Respondent) -> None:
    resident.start()
    resident.walk({"respondent_type": "resident"}, stop_at="concerns_text")


def test_a_failed_save_keeps_the_typed_answer_and_the_service_recovers_without_restart(
    sqlite_app: Flask, read_only_spell: dict[str, bool]
) -> None:
    app = sqlite_app
    resident = _resident(app)
    _to_free_text(resident)
    read_only_spell["read_only"] = True
    with app.app_context():
        get_engine().dispose()  # the next connection is made during the fault (it stays read-only)
    failed = resident.answer(TYPED)
    assert failed.status_code == 503
    page = BeautifulSoup(failed.get_data(as_text=True), "html.parser")
    assert (
        page.h1 is not None and page.h1.get_text(strip=True) == "Sorry, there is a problem with the service"
    )
    box = page.find("textarea", attrs={"name": "answer"})
    assert box is not None and box.get_text() == TYPED  # what they typed is in the form, ready to resend
    assert failed.headers.get("Retry-After")
    read_only_spell["read_only"] = False  # the database is writable again; nobody restarts the service
    form = page.find("form")
    assert form is not None
    data = {str(i["name"]): str(i.get("value", "")) for i in form.find_all("input") if i.get("name")}
    data["answer"] = box.get_text()
    resent = resident.client.post(str(form["action"]), data=data)
    assert resent.status_code == 302, resent.get_data(as_text=True)[:500]
    [stored] = _responses(app)
    assert stored["answers"]["concerns_text"] == TYPED


def test_pages_after_a_fault_are_served_once_the_database_is_back(
    sqlite_app: Flask, read_only_spell: dict[str, bool]
) -> None:
    app = sqlite_app
    resident = _resident(app)
    _to_free_text(resident)
    read_only_spell["read_only"] = True
    with app.app_context():
        get_engine().dispose()
    statuses = [resident.answer(f"{TYPED} {n}").status_code for n in range(3)]
    read_only_spell["read_only"] = False  # the database is back; nobody restarts the service
    resident.get("/s/safermk-2016/p/11")
    assert resident.answer(TYPED).status_code == 200  # followed to the next page
    assert resident.question is not None and resident.question.id != "concerns_text"
    assert statuses == [503, 503, 503]  # during the fault: the calm page, never a 500


def test_a_page_read_during_a_fault_leaves_no_read_only_connection_behind(
    sqlite_app: Flask, read_only_spell: dict[str, bool]
) -> None:
    """Third review: a page read during the fault opened a (read-only) connection that went back to the
    pool; the first answer saved after the database came back failed on it (one more 503)."""
    app = sqlite_app
    resident = _resident(app)
    _to_free_text(resident)
    read_only_spell["read_only"] = True
    with app.app_context():
        get_engine().dispose()
    assert resident.answer(TYPED).status_code == 503  # the fault: the pool is emptied
    for _ in range(2):  # pages are still read during the fault (reading works), each on a new connection
        assert resident.get("/s/safermk-2016/p/11").status_code == 200
    read_only_spell["read_only"] = False  # the database is back; nobody restarts the service
    assert resident.answer(TYPED).status_code == 200  # saved at the first try, followed to the next page
    assert resident.question is not None and resident.question.id != "concerns_text"
    [stored] = _responses(app)
    assert stored["answers"]["concerns_text"] == TYPED
    with app.app_context():
        engine = get_engine()
        with engine.connect() as first:
            first_connection = first.connection.dbapi_connection
        with engine.connect() as second:  # after a write succeeded, connections are pooled again
            assert second.connection.dbapi_connection is first_connection


@pytest.mark.postgres
def test_killed_postgres_connections_are_replaced(postgres_schema_url: str, tmp_path: Path) -> None:
    app = make_app(postgres_schema_url, tmp_path)
    resident = _resident(app)
    _to_free_text(resident)
    with app.app_context(), get_engine().connect() as connection:  # the pooled connection the app uses
        pid = connection.execute(text("select pg_backend_pid()")).scalar()
    killer = create_engine(POSTGRES_URL)
    with killer.connect() as connection:  # as a Postgres restart or fail-over would
        assert connection.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()
    assert resident.answer(TYPED).status_code == 200
    [stored] = _responses(app)
    assert stored["answers"]["concerns_text"] == TYPED
    dispose_engine(app)


def _cookie(resident: Respondent) -> str:
    cookie = resident.client.get_cookie("survey_session")
    assert cookie is not None
    return cookie.value


def test_a_lost_reply_to_send_shows_the_confirmation_again_and_makes_no_second_response(
    app: Flask, respondent: MakeRespondent
) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"})
    before_send = _cookie(resident)
    token = resident.csrf_token()
    sent = resident.client.post("/s/safermk-2016/check", data={"csrf_token": token})
    assert sent.status_code == 302  # committed; the reply (and its new cookie) never reaches the browser
    resident.client.set_cookie("survey_session", before_send)
    again = resident.post("/s/safermk-2016/check", {"csrf_token": token}, csrf=False)  # the browser resends
    assert resident.path == "/s/safermk-2016/done", resident.title
    assert "Your answers have been sent" in again.get_data(as_text=True)
    resident.client.set_cookie("survey_session", before_send)
    reloaded = resident.get("/s/safermk-2016/done")  # or reloads the confirmation page
    assert "Your answers have been sent" in reloaded.get_data(as_text=True)
    resident.get("/s/safermk-2016")
    assert resident.client.get("/s/safermk-2016/check").headers["Location"].endswith("/done")
    with app.app_context():
        count = get_session().exec(select(func.count()).select_from(Response)).one()
    statuses = [r["status"] for r in _responses(app)]
    assert count == 1 and statuses == ["complete"]
