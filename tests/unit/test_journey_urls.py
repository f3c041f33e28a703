"""`journey_url`: a journey page's address, built once per app, per mount path and per values."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from survey.journey.runner import journey_url


@pytest.fixture
def app() -> Flask:
    from survey.app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


def test_the_kept_address_is_url_fors_for_each_mount_path_and_values(app: Flask) -> None:
    change = {"questionnaire_id": "q", "n": 3, "change": 1}
    cases = [
        ("http://localhost/", "respond.page", {"questionnaire_id": "q", "n": 3}, "/s/q/p/3"),
        ("http://localhost/", "respond.page", change, "/s/q/p/3?change=1"),
        ("http://localhost/", "respond.page", {"questionnaire_id": "q", "n": 4}, "/s/q/p/4"),
        ("http://localhost/", "respond.check", {"questionnaire_id": "q"}, "/s/q/check"),
        ("http://localhost/", "respond.check", {"questionnaire_id": "other"}, "/s/other/check"),
        ("http://localhost/a/", "respond.page", {"questionnaire_id": "q", "n": 3}, "/a/s/q/p/3"),
        ("http://localhost/b/", "respond.page", {"questionnaire_id": "q", "n": 3}, "/b/s/q/p/3"),
        ("http://localhost/b/", "respond.check", {"questionnaire_id": "q"}, "/b/s/q/check"),
    ]
    for _round in range(2):  # built, then kept: the same address both times
        for base, endpoint, values, expected in cases:
            with app.test_request_context("/", base_url=base):
                assert journey_url(endpoint, **values) == url_for(endpoint, **values) == expected
