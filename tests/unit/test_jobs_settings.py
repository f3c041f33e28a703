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
