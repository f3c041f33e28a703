"""Scale-out: completed questionnaires per second with 1, 2 and 3 app instances on one Postgres.

`python -m bench.scale_out`: for each instance count k, k gunicorn instances (1 gthread worker x 4 threads
each, as one small host would run) share one Postgres schema; k wrk processes run bench/complete.lua at
once, one per instance, with the same total number of residents (BENCH_CONNECTIONS, default 12, split
evenly), for BENCH_SECONDS (10). Printed per k: completions per second (total and per instance), requests
per second, p99, the instances' CPU per request, and the completions stored. On one 2-core machine the
instances share the same two cores, so this measures what an instance costs (process, connections,
caches), not the gain of real extra hosts: docs/scaling.md turns the CPU per request into hosts.
Needs Postgres at SURVEY_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) and wrk.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.journey import HERE, complete_responses, machine, server_cpu_seconds, write_plans
from harness.live_server import LiveServer, init_database
from survey.config import normalise_database_url

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "12"))
BASE = os.environ.get("SURVEY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _wrk(server: LiveServer, plans: Path, connections: int) -> subprocess.Popen[str]:
    env = {**os.environ, "BENCH_PLANS": str(plans)}
    return subprocess.Popen(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "complete.lua"),
            server.base_url,
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def measure(k: int, url: str, tmp: Path, plans: Path) -> dict[str, Any]:
    servers = []
    for i in range(k):
        folder = tmp / f"k{k}-{i}"
        folder.mkdir()
        servers.append(
            LiveServer(
                database_url=url,
                instance_dir=folder,
                workers=1,
                worker_class="gthread",
                threads=4,
                extra_env={"SURVEY_JOBS_WORKER": "none"},
            ).start()
        )
    try:
        for server in servers:  # warm up each instance's caches
            _wrk(server, plans, 1).communicate(timeout=SECONDS + 60)
        before_rows = complete_responses(url)
        before_cpu = sum(server_cpu_seconds(s) for s in servers)
        started = time.perf_counter()
        runs = [_wrk(s, plans, max(1, CONNECTIONS // k)) for s in servers]
        results = []
        for run in runs:
            out, _ = run.communicate(timeout=SECONDS + 60)
            line = next(x for x in out.splitlines() if x.startswith("RESULT "))
            results.append(json.loads(line.removeprefix("RESULT ")))
        wall = time.perf_counter() - started
        time.sleep(1)
        cpu = sum(server_cpu_seconds(s) for s in servers) - before_cpu
        completed = sum(r["completed"] for r in results)
        requests = sum(r["requests"] for r in results)
        seconds = max(r["seconds"] for r in results)
        return {
            "k": k,
            "completed": completed,
            "per_second": completed / seconds,
            "rps": requests / seconds,
            "p99_ms": max(r["p99_ms"] for r in results),
            "failed": sum(r["failed"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "cpu_ms": 1000 * cpu / max(1, requests),
            "stored": complete_responses(url) - before_rows,
            "wall": wall,
            "tracebacks": sum(s.log().count("Traceback") for s in servers),
        }
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(BASE))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{BASE}?options=-csearch_path%3D{schema}"
    print(f"machine: {machine()}; {CONNECTIONS} wrk residents in total, {SECONDS} s per instance count")
    rows = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            init_database(url, tmp)
            plans = tmp / "plans.txt"
            write_plans(plans)
            for k in (1, 2, 3):
                r = measure(k, url, tmp, plans)
                rows.append(r)
                print(
                    f"{k} instance(s): {r['per_second']:.1f} completed/s ({r['per_second'] / k:.1f} per "
                    f"instance), {r['rps']:.0f} req/s, p99 {r['p99_ms']:.0f} ms, server CPU "
                    f"{r['cpu_ms']:.2f} ms/request; {r['stored']} stored, {r['failed']:.0f} failed, "
                    f"{r['errors']:.0f} socket/HTTP errors, {r['tracebacks']} tracebacks",
                    flush=True,
                )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    print("\n| date | machine | instances | completed/s (per instance) | req/s | p99 | server CPU/request |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {time.strftime('%Y-%m-%d')} | {machine()} | {r['k']} | {r['per_second']:.1f} "
            f"({r['per_second'] / r['k']:.1f}) | {r['rps']:.0f} | {r['p99_ms']:.0f} ms | "
            f"{r['cpu_ms']:.2f} ms |"
        )


if __name__ == "__main__":
    main()
