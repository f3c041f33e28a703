"""The benchmark's wrk residents (bench/complete.lua) against gunicorn as production runs it: every journey
completes, every completion is stored whole. Checks that the benchmark measures real completions; no timing
is asserted here (speed is for `python -m bench.journey`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.journey import completed_with_wrk, write_plans
from harness.live_server import serve, stored_responses
from tests.conftest import IN_CI
from tests.reliability.load import torn

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]
CONNECTIONS = 16  # bench.journey's default: at most this many sends can be under way when wrk stops


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_wrk_residents_complete_the_survey_and_each_completion_is_stored(
    database_url: str, tmp_path: Path
) -> None:
    if shutil.which("wrk") is None:
        message = "wrk is not installed (Debian package wrk; scripts/system-deps installs it)"
        if IN_CI:
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    plans = tmp_path / "plans.txt"
    write_plans(plans)
    # The fixture's database is migrated, with the bundled questionnaires (what `survey init-db` makes).
    with serve(database_url, tmp_path, init=False, workers=2, worker_class="gthread", threads=4) as server:
        result = completed_with_wrk(server, database_url, plans, 5)
        rounds = 1
        if result["completed"] == 0:
            # A loaded machine (the browser tests on the other worker): every resident's journey was still
            # under way after 5 s. Go on for longer and count both rounds together.
            more = completed_with_wrk(server, database_url, plans, 20)
            result = {k: result[k] + more[k] for k in ("completed", "failed", "refused", "errors", "stored")}
            rounds = 2
        print(result)
        log = server.log()
    assert result["completed"] > 0
    assert (result["failed"], result["refused"], result["errors"]) == (0, 0, 0)
    # each round may end with one sent response per connection whose confirmation wrk did not see
    assert result["completed"] <= result["stored"] <= result["completed"] + rounds * CONNECTIONS
    complete = [row for row in stored_responses(database_url) if row["status"] == "complete"]
    assert len(complete) == result["stored"]
    assert [row["id"] for row in complete if torn(row)] == []
    branches = {tuple(sorted(row["answers"])) for row in complete}
    assert len(branches) > 1  # residents answered differently and took different routes
    assert "Traceback" not in log and "database is locked" not in log
