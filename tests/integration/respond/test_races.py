"""A page save or a resume code racing a submit never touches a sent response."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from survey.store import repository, repository_security
from survey.store.db import get_engine
from survey.store.models import Response
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


@contextmanager
def _other_session(app: Flask) -> Iterator[Session]:
    with app.app_context(), Session(get_engine()) as session:
        yield session


def _only_response(app: Flask) -> Response:
    with _other_session(app) as session:
        rows = list(session.exec(select(Response)))
        assert len(rows) == 1
        session.expunge_all()
        return rows[0]


def _submit_elsewhere(app: Flask, response_id: int, answers: dict[str, Any]) -> None:
    """The other tab (or device) sends the response."""
    with _other_session(app) as session:
        assert repository.submit_response(
            session=session,
            response_id=response_id,
            answers=answers,
            completed_on=date(2026, 6, 1),
            duration_seconds=60,
        )


def test_save_answer_does_not_overwrite_a_response_sent_meanwhile(app: Flask) -> None:
    with _other_session(app) as session:
        response = repository.start_response(
            session=session,
            questionnaire_id="safermk-2016",
            questionnaire_version="1.0.0",
            started_on=date(2026, 6, 1),
            language="en",
        )
        assert response.id is not None
        _submit_elsewhere(app, response.id, {"respondent_type": "visitor"})
        saved = repository.save_answer(
            session=session,
            response=response,
            question_id="age",
            answers={"respondent_type": "resident"},
            visited=["respondent_type"],
        )
        assert saved is False
        stored = repository.set_resume_code(
            session=session,
            response=response,
            code_hash="x" * 64,
            expires_on=date(2026, 7, 1),
            duration_seconds=5,
        )
        assert stored is False
    sent = _only_response(app)
    assert sent.status == "complete"
    assert sent.answers == {"respondent_type": "visitor"}
    assert sent.resume_code_hash is None and sent.duration_seconds == 60


def test_save_answer_stores_while_in_progress(app: Flask) -> None:
    with _other_session(app) as session:
        response = repository.start_response(
            session=session,
            questionnaire_id="safermk-2016",
            questionnaire_version="1.0.0",
            started_on=date(2026, 6, 1),
            language="en",
        )
        assert repository.save_answer(
            session=session,
            response=response,
            question_id="respondent_type",
            answers={"respondent_type": "resident"},
            visited=["respondent_type"],
        )
        assert response.answers == {"respondent_type": "resident"}  # the object in hand follows the row
    assert _only_response(app).answers == {"respondent_type": "resident"}


def test_a_page_posted_while_another_tab_sends_goes_to_the_confirmation(
    app: Flask, respondent: MakeRespondent, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = respondent()
    resident.start()
    resident.answer("visitor")
    response = _only_response(app)
    assert response.id is not None
    from survey.journey import answering

    real_check = answering.check_page

    def check_then_other_tab_sends(*args: Any, **kwargs: Any) -> Any:
        _submit_elsewhere(app, int(response.id or 0), {"respondent_type": "visitor"})
        return real_check(*args, **kwargs)

    monkeypatch.setattr(answering, "check_page", check_then_other_tab_sends)
    with resident.client.session_transaction() as cookie:  # the other tab was in this browser
        cookie["done"] = ["safermk-2016"]
    resident.answer(
        resident.q.question(resident.question.id).options[0].code
        if resident.question and resident.question.options
        else None
    )
    assert resident.path == "/s/safermk-2016/done"
    sent = _only_response(app)
    assert sent.status == "complete" and sent.answers == {"respondent_type": "visitor"}


def test_save_and_come_back_after_the_response_was_sent_gives_no_code(
    app: Flask, respondent: MakeRespondent, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = respondent()
    resident.start()
    resident.answer("visitor")
    response = _only_response(app)
    from survey.respond import codes

    real_generate = codes.generate

    def generate_after_other_tab_sent() -> str:
        _submit_elsewhere(app, int(response.id or 0), {"respondent_type": "visitor"})
        return real_generate()

    monkeypatch.setattr(codes, "generate", generate_after_other_tab_sent)
    with resident.client.session_transaction() as cookie:
        cookie["done"] = ["safermk-2016"]
    resident.post("/s/safermk-2016/save", {})
    assert resident.path == "/s/safermk-2016/done"
    assert resident.soup.select_one("#resume-code") is None
    assert _only_response(app).resume_code_hash is None


def test_concurrent_resume_guesses_are_all_counted_and_never_exceed_the_limit(app: Flask) -> None:
    """Guesses from many requests at once (the counter survey/respond/code_limits.py uses): the counters add
    up (no lost update) and the limit holds."""
    import threading
    from datetime import UTC, datetime, timedelta

    from survey.store.models import ResumeAttempt

    threads, per_thread, limit = 6, 8, 40
    allowed: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def guess() -> None:
        with _other_session(app) as session:
            barrier.wait()
            for _ in range(per_thread):
                ok = repository_security.allow_attempt(
                    session=session,
                    limits={"same-client": limit, "global": 1000},
                    now=datetime.now(UTC),
                    window=timedelta(minutes=15),
                )
                with lock:
                    allowed.append(ok)

    workers = [threading.Thread(target=guess) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with _other_session(app) as session:
        counts = {row.key: row.attempts for row in session.exec(select(ResumeAttempt))}
    assert len(allowed) == threads * per_thread
    assert sum(allowed) == limit  # 48 guesses against a limit of 40: exactly 40 allowed
    assert counts == {"same-client": limit, "global": limit}
