"""Issue 18: the background jobs' settings are checked when the app starts, said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.app import create_app
from survey.config import ConfigurationError, from_environment


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SURVEY_JOBS_STALE_MINUTES", "ten"),
        ("SURVEY_JOBS_KEEP_DAYS", "1.5"),
        ("SURVEY_JOBS_RETRY_SECONDS", "x"),
    ],
)
def test_job_settings_that_are_not_whole_numbers_stop_the_start(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} must be a whole number"):
        from_environment({name: value})


@pytest.mark.parametrize(("name", "value"), [("SURVEY_JOBS_STALE_MINUTES", 0), ("SURVEY_JOBS_KEEP_DAYS", -1)])
def test_job_settings_out_of_range_stop_the_start(name: str, value: int, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=name):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", name: value})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (  # two settings in `options`, as SQLAlchemy writes a space ("+"): libpq must get both
            "postgresql+psycopg://survey@db:5432/survey?options=-csearch_path%3Dconsult+-cstatement_timeout%3D5000",
            {"options": "-csearch_path=consult -cstatement_timeout=5000", "host": "db", "dbname": "survey"},
        ),
        (
            "postgres://u:p%40ss%20word@db.example:5433/survey?sslmode=require",
            {"user": "u", "password": "p@ss word", "port": "5433", "sslmode": "require"},
        ),
        (
            "postgresql:///survey?host=/var/run/postgresql",
            {"host": "/var/run/postgresql", "dbname": "survey"},
        ),
    ],
)
def test_the_job_queue_reaches_postgres_with_the_database_urls_own_settings(
    url: str, expected: dict[str, str]
) -> None:
    """huey's Postgres queue connects with psycopg directly: it must read the URL as the app's engine does."""
    from psycopg.conninfo import conninfo_to_dict

    from survey.store.db import libpq_conninfo

    parsed = conninfo_to_dict(libpq_conninfo(url))
    assert {key: parsed.get(key) for key in expected} == expected


def test_processes_starting_together_on_postgres_all_get_the_queue_tables() -> None:
    """Two sessions creating huey's tables at once: the loser's unique violation is tried again."""
    from psycopg import errors

    from survey.services.jobs import _create_queue_tables

    class Racing:
        def __init__(self, failures: int) -> None:
            self.failures, self.calls = failures, 0

        def initialize_schema(self) -> None:
            self.calls += 1
            if self.calls <= self.failures:
                raise errors.UniqueViolation(
                    'duplicate key value violates unique constraint "pg_type_typname_nsp_index"'
                )

    storage = Racing(failures=2)
    _create_queue_tables(storage)
    assert storage.calls == 3
    with pytest.raises(errors.UniqueViolation):  # a table that can never be made is still said
        _create_queue_tables(Racing(failures=99), attempts=3)
