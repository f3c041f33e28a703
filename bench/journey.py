"""Benchmark: the resident journey under gunicorn against a Flask hello-world; `python -m bench.journey`.

a. Throughput: wrk drives the question-page mix (GET a question page, POST a valid answer with its CSRF
   token: a database write) and, in alternating rounds on the same gunicorn, a hello-world Flask route.
   Prints requests per second, p50/p99 latency and the ratio (target: ratio >= 0.20, issue 18).
   Then wrk offers the same mix at 200 requests per second (each connection paced): target p99 < 100 ms.
   The gunicorn workers' CPU time per request is printed too: unlike wall-clock rates, it hardly moves
   with the load other work puts on a shared machine.
b. Completed questionnaires per second (target >= 30 per second on 2 cores, issue 18), measured twice:
   - wrk with bench/complete.lua: each connection is a resident who starts, answers every page (valid
     answers the engine made, picked at random so residents take different branches), follows every
     redirect and sends; the figure is confirmation pages served per second, checked against the
     complete responses the database holds afterwards. wrk (C and LuaJIT) leaves the two cores to the
     server, so this is the server's capacity.
   - simulated residents in Python (threads, `requests`, CSRF parsed from the forms, as the reliability
     tests use): the same journeys with a heavy client on the same two cores, so a lower figure.

gunicorn runs as gunicorn.conf.py sets it up for production (2 gthread workers with 2 threads each).

Options via environment: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_WORKERS (2), BENCH_WORKER_CLASS
(gthread; sync to compare), BENCH_THREADS (2), BENCH_CONNECTIONS (16),
BENCH_RESIDENTS (100), BENCH_DATABASE_URL (default: a temporary SQLite file).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import requests
from sqlalchemy import func
from sqlmodel import Session, select

from harness.http_resident import CSRF, HttpResident, bundled, random_answer
from harness.live_server import LiveServer, init_database
from survey.engine import form_data_for
from survey.store.db import make_engine
from survey.store.models import Response

HERE = Path(__file__).resolve().parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # as gunicorn.conf.py: 2 gthread workers, 2 threads each
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "100"))
RATE = 200
PAGE = "/s/safermk-2016/p/1"


def machine() -> str:
    """nproc, CPU model, Python and the load average when the run started (the machine is shared)."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else model
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"nproc={os.cpu_count()}, {model}, Python {platform.python_version()}; load average {load:.1f}"


def resident_sessions(server: LiveServer, count: int) -> list[tuple[str, str]]:
    """(session cookie, CSRF token) of `count` residents standing on the first question page."""
    made = []
    for _ in range(count):
        http = requests.Session()
        page = http.get(server.url("/s/safermk-2016"))
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        page = http.post(server.url("/s/safermk-2016/start"), data={"csrf_token": token})
        assert page.url.endswith(PAGE), page.url
        made.append((http.cookies["survey_session"], CSRF.search(page.text).group(1)))  # type: ignore[union-attr]
        http.close()
    return made


def server_cpu_seconds(server: LiveServer) -> float:
    """CPU time (user + system) the gunicorn workers have used (a figure load hardly blurs)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in server.worker_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wrk(server: LiveServer, sessions_file: Path, mode: str, seconds: int, rate: int = 0) -> dict[str, float]:
    """One wrk run (2 threads, CONNECTIONS connections, paced to `rate` req/s if given): RESULT as a dict."""
    cpu_before = server_cpu_seconds(server)
    env = {
        **os.environ,
        "BENCH_SESSIONS": str(sessions_file),
        "BENCH_MODE": mode,
        "BENCH_PAGE": PAGE,
        "BENCH_RATE": str(rate),
        "BENCH_CONNECTIONS": str(CONNECTIONS),
    }
    done = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "journey.lua"),
            server.base_url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_ms"] = 1000 * (server_cpu_seconds(server) - cpu_before) / max(1, result["requests"])
    return result


def write_plans(path: Path, per_page: int = 12, seed: int = 2016) -> None:
    """For every SaferMK page: `per_page` valid answers as form bodies (page number, tab, body)."""
    rng = random.Random(seed)
    q = bundled("safermk-2016")
    lines = []
    for number, question in enumerate(q.questions, start=1):
        for _ in range(per_page if question.asks else 1):
            value = random_answer(question, rng) if question.asks else None
            lines.append(f"{number}\t{urlencode(form_data_for(question, value), doseq=True)}\n")
    path.write_text("".join(lines))


def complete_responses(database_url: str) -> int:
    """How many complete responses the database holds."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            statement = select(func.count()).select_from(Response).where(Response.status == "complete")
            return int(session.exec(statement).one())
    finally:
        engine.dispose()


def completed_with_wrk(server: LiveServer, database_url: str, plans: Path, seconds: int) -> dict[str, float]:
    """wrk residents completing the survey for `seconds` (one connection per wrk thread)."""
    before = complete_responses(database_url)
    cpu_before = server_cpu_seconds(server)
    env = {**os.environ, "BENCH_PLANS": str(plans)}
    done = subprocess.run(
        [
            "wrk",
            "-t",
            str(CONNECTIONS),
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "complete.lua"),
            server.base_url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    time.sleep(1)  # a send wrk timed out on may still be finishing
    result["stored"] = complete_responses(database_url) - before
    result["per_second"] = result["completed"] / result["seconds"]
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_ms"] = 1000 * (server_cpu_seconds(server) - cpu_before) / max(1, result["requests"])
    return result


def describe_completions(result: dict[str, float]) -> str:
    """One wrk completion round in words."""
    return (
        f"wrk residents completed {result['completed']:.0f} questionnaires in {result['seconds']:.1f} s: "
        f"{result['per_second']:.1f} per second ({result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} "
        f"ms, p99 {result['p99_ms']:.1f} ms, server CPU {result['cpu_ms']:.2f} ms/request; "
        f"{result['stored']:.0f} stored, {result['failed']:.0f} failed, {result['refused']:.0f} refused, "
        f"{result['errors']:.0f} socket/HTTP errors)"
    )


def completed_per_second(server: LiveServer, residents: int) -> dict[str, float]:
    """Residents completing the whole SaferMK survey at once (32 threads): completions per second."""
    people = [HttpResident([server.base_url], seed=i) for i in range(residents)]
    failures = []

    def one(person: HttpResident) -> None:
        try:
            person.complete()
        except Exception as error:  # counted and reported, never hidden
            failures.append(repr(error))
        finally:
            person.http.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, people))
    elapsed = time.monotonic() - started
    requests_made = sum(p.requests_made for p in people)
    return {
        "completed": residents - len(failures),
        "failures": len(failures),
        "seconds": elapsed,
        "per_second": (residents - len(failures)) / elapsed,
        "requests_per_journey": requests_made / residents,
    }


def main() -> None:
    """Run every part and print the figures (and one markdown row for bench/RESULTS.md)."""
    print(
        f"machine: {machine()}; date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; gunicorn {WORKERS} "
        f"{WORKER_CLASS} workers x {THREADS} threads"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
        init_database(url, tmp)
        server = LiveServer(
            database_url=url,
            instance_dir=tmp,
            workers=WORKERS,
            worker_class=WORKER_CLASS,
            threads=THREADS,
            app="bench.journey_wsgi:application",
        ).start()
        try:
            sessions = resident_sessions(server, CONNECTIONS)
            sessions_file = tmp / "sessions.txt"
            sessions_file.write_text("".join(f"{c} {t}\n" for c, t in sessions))
            wrk(server, sessions_file, "journey", 2)  # warm up both
            wrk(server, sessions_file, "hello", 2)
            journey, hello = [], []
            for round_number in range(ROUNDS):
                journey.append(wrk(server, sessions_file, "journey", SECONDS))
                hello.append(wrk(server, sessions_file, "hello", SECONDS))
                print(
                    f"round {round_number + 1}: journey {journey[-1]['rps']:.0f} req/s "
                    f"(p50 {journey[-1]['p50_ms']:.1f} ms, p99 {journey[-1]['p99_ms']:.1f} ms, "
                    f"errors {journey[-1]['errors']:.0f}); hello {hello[-1]['rps']:.0f} req/s "
                    f"(p50 {hello[-1]['p50_ms']:.1f} ms, p99 {hello[-1]['p99_ms']:.1f} ms)"
                )
            j_rps = statistics.median(r["rps"] for r in journey)
            h_rps = statistics.median(r["rps"] for r in hello)
            ratio = j_rps / h_rps
            j_cpu = statistics.median(r["cpu_ms"] for r in journey)
            h_cpu = statistics.median(r["cpu_ms"] for r in hello)
            print(
                f"   server CPU per request: journey mix {j_cpu:.2f} ms, hello-world {h_cpu:.2f} ms "
                f"(CPU ratio {h_cpu / j_cpu:.3f}; two idle cores would serve about {2000 / j_cpu:.0f} "
                f"journey requests/s, {2000 / j_cpu / 40:.1f} questionnaires/s at 40 requests each)"
            )
            print(
                f"a. journey mix {j_rps:.0f} req/s vs hello-world {h_rps:.0f} req/s: ratio {ratio:.3f} "
                f"(target >= 0.20: {'met' if ratio >= 0.20 else 'NOT met'})"
            )
            steady = wrk(server, sessions_file, "journey", SECONDS, rate=RATE)
            print(
                f"   offered {RATE} req/s for {SECONDS} s: achieved {steady['rps']:.0f} req/s, "
                f"p50 {steady['p50_ms']:.1f} ms, p99 {steady['p99_ms']:.1f} ms, "
                f"errors {steady['errors']:.0f} "
                f"(target p99 < 100 ms: {'met' if steady['p99_ms'] < 100 else 'NOT met'})"
            )
            plans = tmp / "plans.txt"
            write_plans(plans)
            rounds = [completed_with_wrk(server, url, plans, SECONDS) for _ in range(ROUNDS)]
            for number, result in enumerate(rounds, start=1):
                print(f"b. round {number}: {describe_completions(result)}")
            best = sorted(rounds, key=lambda r: r["per_second"])[len(rounds) // 2]
            print(
                f"b. median: {best['per_second']:.1f} completed questionnaires per second "
                f"(target >= 30: {'met' if best['per_second'] >= 30 else 'NOT met'})"
            )
            done = completed_per_second(server, RESIDENTS)
            print(
                f"b. Python residents: {done['completed']:.0f} questionnaires completed in "
                f"{done['seconds']:.1f} s: {done['per_second']:.1f} per second "
                f"({done['requests_per_journey']:.0f} requests each, {done['failures']:.0f} failures; the "
                f"client shares the two cores)"
            )
            errors_logged = server.log().count("Traceback")
            print(f"server log: {errors_logged} tracebacks")
            print(
                "| date | machine | journey req/s (p50/p99) | hello req/s (p50/p99) | ratio | "
                "server CPU/request journey, hello | 200 req/s p50/p99 | completed/s wrk (Python) |"
            )
            j = sorted(journey, key=lambda r: r["rps"])[len(journey) // 2]  # the median round's latencies
            h = sorted(hello, key=lambda r: r["rps"])[len(hello) // 2]
            print(
                f"| {datetime.now(UTC):%Y-%m-%d} | {machine()} | "
                f"{j_rps:.0f} ({j['p50_ms']:.1f}/{j['p99_ms']:.1f} ms)"
                f" | {h_rps:.0f} ({h['p50_ms']:.1f}/{h['p99_ms']:.1f} ms) | {ratio:.3f} | "
                f"{j_cpu:.2f} ms, {h_cpu:.2f} ms | "
                f"{steady['p50_ms']:.1f}/{steady['p99_ms']:.1f} ms | {best['per_second']:.1f} "
                f"({done['per_second']:.1f}) |"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
