"""Concurrent residents, kill -9 mid-load, and two servers sharing one Postgres: nothing lost, nothing torn.

SURVEY_RELIABILITY_LONG=1 runs ten times as many residents (for benchmarking sessions, not CI).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from harness.http_resident import HttpResident
from harness.live_server import LiveServer, serve, start_all, stored_responses
from tests.reliability.load import (
    RESIDENTS,
    THREADS,
    Outcome,
    carry_on,
    check_stored_once,
    complete,
    run_residents,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]


def residents(server: LiveServer | list[LiveServer], count: int, seed: int) -> list[HttpResident]:
    """`count` residents with their own cookie jars and random (seeded) answers."""
    servers = server if isinstance(server, list) else [server]
    return [HttpResident([s.base_url for s in servers], seed=seed * 10_000 + i) for i in range(count)]


def assert_clean_log(server: LiveServer) -> None:
    """The server logged no traceback and no locked database."""
    log = server.log()
    assert "Traceback" not in log, log[-4000:]
    assert "database is locked" not in log


# gthread runs on SQLite (threads and processes writing one file is the harder case for locking).
SERVERS = [
    pytest.param("sqlite", "sync", 4, 1, id="sqlite-4-sync-workers"),
    pytest.param("sqlite", "gthread", 2, 4, id="sqlite-2-workers-4-threads"),
    pytest.param("postgres", "sync", 4, 1, id="postgres-4-sync-workers", marks=pytest.mark.postgres),
]


@pytest.mark.parametrize(
    ("database_url", "worker_class", "workers", "threads"), SERVERS, indirect=["database_url"]
)
def test_concurrent_residents_are_each_stored_exactly_once(
    database_url: str, tmp_path: Path, worker_class: str, workers: int, threads: int
) -> None:
    """Many residents at once on several workers: zero errors, every journey stored once and whole."""
    # The fixture's database is migrated, with the bundled questionnaires (what `survey init-db` makes).
    with serve(
        database_url, tmp_path, init=False, workers=workers, worker_class=worker_class, threads=threads
    ) as server:
        people = residents(server, RESIDENTS, seed=1)
        outcome = run_residents(people, complete, threads=THREADS)
        assert outcome.errors == [] and outcome.interrupted == []
        assert len(outcome.confirmed) == RESIDENTS
        assert check_stored_once(database_url, outcome.confirmed) == []
        assert len([r for r in stored_responses(database_url) if r["status"] == "complete"]) == RESIDENTS
        assert_clean_log(server)


def _killer(server: LiveServer, outcome: Outcome, stop: threading.Event, killed: list[str]) -> None:
    """kill -9 one worker after a third of the residents are through, then the master and all workers."""
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline:
        done = len(outcome.confirmed)
        if not killed and done >= RESIDENTS // 3:
            workers = server.worker_pids()
            if workers:
                victim = random.Random(7).choice(workers)
                os.kill(victim, signal.SIGKILL)
                killed.append(f"worker {victim}")
        elif len(killed) == 1 and done >= 2 * RESIDENTS // 3:
            server.kill_hard()
            killed.append("master and workers")
            return
        time.sleep(0.01)


def test_kill_minus_nine_mid_load_loses_nothing_confirmed(database_url: str, tmp_path: Path) -> None:
    """kill -9 of a worker, then of the master with every worker, in the middle of the load; restart.

    Every resident who saw the confirmation page is stored exactly once and whole; residents cut off
    come back with their cookie after the restart, carry on where the server says and are stored once.
    """
    server = serve(database_url, tmp_path, init=False, workers=3)
    people = residents(server, RESIDENTS, seed=2)
    outcome = Outcome()
    stop = threading.Event()
    killed: list[str] = []
    killer = threading.Thread(target=_killer, args=(server, outcome, stop, killed), daemon=True)
    killer.start()
    try:
        run_residents(people, complete, threads=THREADS, outcome=outcome)
    finally:
        stop.set()
        killer.join(timeout=30)
        server.kill_hard()
    assert killed == [killed[0], "master and workers"], f"the load ended before both kills: {killed}"
    assert outcome.errors == [], outcome.errors[:3]
    assert outcome.interrupted, "killing the server interrupted nobody: the test proved nothing"

    restarted = LiveServer(database_url=database_url, instance_dir=tmp_path, workers=2, port=server.port)
    with restarted.start():
        assert check_stored_once(database_url, outcome.confirmed) == []
        if database_url.startswith("sqlite"):
            engine = create_engine(database_url)
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            engine.dispose()
        cut_off = [resident for resident, _why in outcome.interrupted]
        # Those cut off carry on while new residents start: the restarted workers' first requests together.
        with ThreadPoolExecutor(max_workers=2) as both:
            carrying_on = both.submit(run_residents, cut_off, carry_on, threads=THREADS)
            starting = both.submit(run_residents, residents(restarted, 4, seed=3), complete, threads=4)
            again, fresh = carrying_on.result(), starting.result()
        assert again.errors == [] and again.interrupted == [], (again.errors + again.interrupted)[:3]
        assert check_stored_once(database_url, outcome.confirmed + again.confirmed) == []
        assert len(fresh.confirmed) == 4
        assert "Traceback" not in restarted.log()


@pytest.mark.postgres
def test_a_resident_alternating_between_two_servers_sharing_postgres(
    postgres_copy_url: str, tmp_path: Path
) -> None:
    """Two gunicorn instances (same secret key, one Postgres): every request goes to the other server."""
    url = postgres_copy_url  # migrated, with the bundled questionnaires (what `survey init-db` makes)
    first, second = (LiveServer(database_url=url, instance_dir=tmp_path / name, workers=2) for name in "ab")
    for name in "ab":
        (tmp_path / name).mkdir()
    try:
        start_all([first, second])
        people = residents([first, second], 6, seed=4)
        outcome = run_residents(people, complete, threads=3)
        assert outcome.errors == [] and outcome.interrupted == []
        assert all(p.requests_made >= 20 for p in people), [p.requests_made for p in people]  # >= 10 each
        assert check_stored_once(url, outcome.confirmed) == []
        assert_clean_log(first)
        assert_clean_log(second)
    finally:
        first.stop()
        second.stop()
