"""Configuration: environment, database URLs, the secret key rule, no engine at import time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from survey.app import create_app
from survey.config import ConfigurationError, normalise_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg_3(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEY_ENV", "production")
    with pytest.raises(ConfigurationError, match="SURVEY_SECRET_KEY"):
        create_app()


def test_production_with_a_key_has_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.setenv("SURVEY_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://survey@db.internal/survey")
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 40
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://survey@db.internal/survey"


def test_development_generates_and_keeps_a_key_in_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    monkeypatch.delenv("SURVEY_ENV", raising=False)
    monkeypatch.setenv("SURVEY_INSTANCE_DIR", str(tmp_path))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app().config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'survey.db'}"


def test_creating_the_app_creates_no_database_engine(tmp_path: Path) -> None:
    code = (
        "import sqlalchemy, survey\n"
        "made = []\n"
        "real = sqlalchemy.create_engine\n"
        "import sqlmodel\n"
        "from survey.app import create_app\n"
        f"app = create_app({{'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite:///{tmp_path}/x.db'}})\n"
        "assert 'survey_db_engine' not in app.extensions\n"
        f"assert not __import__('pathlib').Path('{tmp_path}/x.db').exists()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_malformed_number_in_the_environment_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVEY_PROXY_HOPS", "two")
    with pytest.raises(ConfigurationError, match="SURVEY_PROXY_HOPS must be a whole number, not 'two'"):
        create_app({"SECRET_KEY": "x"})


def test_every_setting_the_code_reads_is_in_the_one_configuration_table() -> None:
    """docs/deploy.md's table is where an operator looks: a SURVEY_ setting named in the code but missing
    there can only be found by reading the source."""
    root = Path(__file__).resolve().parents[2]
    named = {
        match
        for folder in ("survey", "analysis")
        for path in (root / folder).rglob("*.py")
        for match in re.findall(r"[\"'](SURVEY_[A-Z0-9_]*[A-Z0-9])[\"']", path.read_text(encoding="utf-8"))
        if not match.startswith("SURVEY_TEST_")
    }
    deploy = (root / "docs" / "deploy.md").read_text(encoding="utf-8")
    table = deploy[deploy.index("## Configuration") : deploy.index("## Checks")]
    assert "SURVEY_PUBLIC_URL" in named and "SURVEY_STAFF_INVITE_DAYS" in named
    assert sorted(named - set(re.findall(r"`(SURVEY_[A-Z0-9_]+)`", table))) == []
