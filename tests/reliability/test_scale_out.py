"""Scale-out: three app instances and one job worker on one Postgres; one instance killed mid-load.

Residents spread their requests over the three instances (each request goes to the next one, so one
journey crosses all three); a report job is asked for during the load and run by the separate worker
process. When a third of the residents are through, one instance is killed (kill -9, master and workers).
Every resident who saw the confirmation is stored exactly once and whole; those cut off carry on, on the
two instances left, and are stored once; the job finishes and its file is kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from harness.live_server import PROJECT_ROOT, LiveServer, _die_with_parent, server_environment
from tests.conftest import make_app
from tests.reliability.load import (
    RESIDENTS,
    THREADS,
    Outcome,
    carry_on,
    check_stored_once,
    complete,
    run_residents,
)
from tests.reliability.test_load_and_crash import assert_clean_log, residents

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("reliability")]


def _kill_one(victim: LiveServer, outcome: Outcome, stop: threading.Event, killed: list[str]) -> None:
    deadline = time.monotonic() + 180
    while not stop.is_set() and time.monotonic() < deadline:
        if len(outcome.confirmed) >= RESIDENTS // 3:
            victim.kill_hard()
            killed.append(f"instance on port {victim.port}")
            return
        time.sleep(0.01)


def test_three_instances_one_worker_one_instance_killed_nothing_lost(
    postgres_copy_url: str, tmp_path: Path
) -> None:
    from survey.services import jobs
    from survey.store import repository_jobs
    from survey.store.db import dispose_engine, get_engine

    url = postgres_copy_url  # migrated, with the bundled questionnaires (what `survey init-db` makes)
    extra = {"SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_RETRY_SECONDS": "1"}
    servers = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir(exist_ok=True)
        servers.append(LiveServer(database_url=url, instance_dir=tmp_path / name, workers=2, extra_env=extra))
    # The three instances and the job worker start together (each may be first to make huey's tables).
    for server in servers:
        server.launch()
    worker_log = (tmp_path / "worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "-c", "from survey.cli import main; main()", "worker"],
        cwd=PROJECT_ROOT,
        env=server_environment(url, tmp_path / "w", **extra),
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )
    app = make_app(url, tmp_path / "test", SURVEY_JOBS_WORKER="none")
    try:
        for server in servers:
            server.wait_ready(180)
        people = residents(servers, RESIDENTS, seed=18)
        outcome = Outcome()
        stop = threading.Event()
        killed: list[str] = []
        killer = threading.Thread(target=_kill_one, args=(servers[1], outcome, stop, killed), daemon=True)
        killer.start()
        with app.test_request_context(), Session(get_engine(app), expire_on_commit=False) as session:
            job = jobs.submit(
                session=session,
                kind="retention",
                questionnaire_id=None,
                params={},
                created_by="scale-out test",
            )
        try:
            run_residents(people, complete, threads=THREADS, outcome=outcome)
        finally:
            stop.set()
            killer.join(timeout=30)
        assert killed, "the load ended before the instance was killed"
        assert outcome.errors == [], outcome.errors[:3]
        assert outcome.interrupted, "killing an instance interrupted nobody: the test proved nothing"
        assert check_stored_once(url, outcome.confirmed) == []

        live = [servers[0].base_url, servers[2].base_url]
        cut_off = [resident for resident, _why in outcome.interrupted]
        for resident in cut_off:
            resident.base_urls = live
        again = run_residents(cut_off, carry_on, threads=THREADS)
        assert again.errors == [] and again.interrupted == [], (again.errors + again.interrupted)[:3]
        assert check_stored_once(url, outcome.confirmed + again.confirmed) == []
        assert len(outcome.confirmed) + len(again.confirmed) == RESIDENTS

        with app.test_request_context(), Session(get_engine(app), expire_on_commit=False) as session:
            report = jobs.submit(
                session=session,
                kind="report",
                questionnaire_id="safermk-2016",
                created_by="scale-out test",
                params={
                    "kind": "interim",
                    "format": "json",
                    "as_of": date.today().isoformat(),
                    "keep": False,
                },
            )

        def finished(job_id: int | None) -> Any:
            assert job_id is not None
            deadline = time.monotonic() + 180
            with Session(get_engine(app)) as session:
                while time.monotonic() < deadline:
                    found = repository_jobs.job_by_id(session=session, job_id=job_id, with_result=True)
                    if found is not None and found.status in ("done", "failed"):
                        return found
                    session.expire_all()
                    time.sleep(0.5)
            raise AssertionError(f"job {job_id} did not finish")

        done = finished(job.id)
        assert done.status == "done" and done.result and b"retention" in done.result.lower()
        done = finished(report.id)
        assert done.status == "done", done.error
        assert json.loads(done.result)["headline"]["complete"] == RESIDENTS
        for server in (servers[0], servers[2]):
            assert_clean_log(server)
    finally:
        worker.terminate()  # it finishes the job in hand while the instances stop
        for server in servers:
            server.stop()
        worker.wait(timeout=30)
        worker_log.close()
        jobs.close_queue(app)
        dispose_engine(app)
    assert "Traceback" not in (tmp_path / "worker.log").read_text(errors="replace")
