"""/healthz and /readyz, the refusal to start without built assets, the SURVEY_PUBLIC_URL warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask

from survey.app import create_app, serving_app
from survey.config import ConfigurationError
from survey.store.db import dispose_engine, get_engine, head_revisions, upgrade_database


def test_liveness_and_readiness_on_a_migrated_database(app: Flask) -> None:
    client = app.test_client()
    live = client.get("/healthz")
    assert live.status_code == 200 and live.json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json is not None and ready.json["migrations"] == "head"
    assert ready.json["revision"] in head_revisions()
    assert ready.headers["Cache-Control"] == "no-store"


def test_not_ready_until_migrated(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SURVEY_ENV": "test",
            "SECRET_KEY": "k",
            "SURVEY_JOBS_WORKER": "none",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        }
    )
    client = app.test_client()
    try:
        behind = client.get("/readyz")
        assert behind.status_code == 503
        assert behind.json == {
            "status": "unavailable",
            "database": "ok",
            "migrations": "behind",
            "revision": None,
            "head": list(head_revisions()),
        }
        with app.app_context():
            upgrade_database(get_engine())
        assert client.get("/readyz").status_code == 200
        assert client.get("/healthz").status_code == 200
    finally:
        dispose_engine(app)


def test_not_ready_when_the_database_cannot_be_reached() -> None:
    app = create_app(
        {
            "TESTING": True,
            "SURVEY_ENV": "test",
            "SECRET_KEY": "k",
            "SURVEY_JOBS_WORKER": "none",
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2",
        }
    )
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json == {"status": "unavailable", "database": "unreachable"}  # no address, no error
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        dispose_engine(app)


def test_the_app_refuses_to_start_without_its_built_assets(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigurationError,
        match=r"built styles and scripts are missing: .*govuk-frontend"
        r"\.min\.js.*npm ci",
    ):
        create_app({"SURVEY_ENV": "test", "SECRET_KEY": "k", "SURVEY_ASSETS_DIR": str(tmp_path)})


def test_production_without_a_public_url_warns_when_it_starts_serving_not_on_every_command(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setenv("SURVEY_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://survey@db.internal/survey")
    monkeypatch.delenv("SURVEY_PUBLIC_URL", raising=False)
    with caplog.at_level(logging.WARNING):
        serving_app()  # what gunicorn serves (survey/wsgi.py)
    assert any("SURVEY_PUBLIC_URL is not set" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app()  # what each `survey` command makes: it makes no links
    assert not any("SURVEY_PUBLIC_URL" in r.getMessage() for r in caplog.records)
    monkeypatch.setenv("SURVEY_PUBLIC_URL", "https://survey.example.gov.uk")
    with caplog.at_level(logging.WARNING):
        serving_app()
    assert not any("SURVEY_PUBLIC_URL" in r.getMessage() for r in caplog.records)
