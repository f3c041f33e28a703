"""?c=CODE on the start page: recorded (in lower case) only when it is an active channel of that survey."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlmodel import Session

from survey.store import repository, repository_channels
from survey.store.db import get_engine
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def make_channel(
    app: Flask, code: str, questionnaire_id: str = "safermk-2016", *, active: bool = True
) -> None:
    """A channel as staff create it (tests/integration/staff/test_channels.py does it through the form)."""
    with app.app_context(), Session(get_engine()) as session:
        channel = repository_channels.create_channel(
            session=session,
            questionnaire_id=questionnaire_id,
            partner_name="MK Libraries",
            medium="poster",
            label="Library posters",
            created_by="test",
            created_at=datetime.now(UTC),
            code=code,
        )
        if not active:
            repository_channels.update_channel(
                session=session,
                channel=channel,
                partner_name="MK Libraries",
                medium="poster",
                label="Library posters",
                active=False,
            )


def _channel_of_the_one_response(app: Flask) -> object:
    with app.app_context(), Session(get_engine()) as session:
        [row] = repository.responses_for_report(session=session, questionnaire_id="safermk-2016")
    return row["channel"]


@pytest.mark.parametrize("typed", ["mk-libraries", "MK-Libraries", "MK-LIBRARIES"])
def test_a_channel_code_is_recorded_in_lower_case_whatever_its_case(
    app: Flask, respondent: MakeRespondent, typed: str
) -> None:
    make_channel(app, "mk-libraries")
    resident = respondent()
    resident.start(channel=typed)
    assert resident.question is not None  # the journey goes on
    assert _channel_of_the_one_response(app) == "mk-libraries"


@pytest.mark.parametrize("typed", ["never-created", "Buy-cheap-pills", "switched-off", "tenant-posters"])
def test_a_code_that_is_not_an_active_channel_of_this_survey_is_not_stored(
    app: Flask, respondent: MakeRespondent, typed: str
) -> None:
    make_channel(app, "switched-off", active=False)
    make_channel(app, "tenant-posters", questionnaire_id="tenant-satisfaction")
    resident = respondent()
    resident.start(channel=typed)
    assert resident.question is not None  # the journey works without a channel
    resident.walk({})
    resident.submit()
    assert resident.path == "/s/safermk-2016/done"
    assert _channel_of_the_one_response(app) is None


def test_a_forged_start_form_cannot_inject_a_channel(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    resident.post("/s/safermk-2016/start", {"c": "anything-i-like"})
    assert resident.question is not None
    assert _channel_of_the_one_response(app) is None
