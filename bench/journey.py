"""Benchmark: the resident journey under gunicorn against a Flask hello-world; `python -m bench.journey`.

a. Throughput: wrk drives the question-page mix (GET a question page, POST a valid answer with its CSRF
   token: a database write) and, in alternating rounds on the same gunicorn, a hello-world Flask route.
   Prints requests per second, p50/p99 latency and the ratio (target: ratio >= 0.10).
   Then an open-loop Python generator sends the same mix at a fixed 200 requests per second (latency
   counted from each request's scheduled time, so a slow server cannot hide its queue): target p99 < 100 ms.
b. Completed questionnaires per second: simulated residents (threads, own cookie jars, CSRF parsed from
   the forms) start, answer every page and send (target >= 20 per second on 2 cores).

Options via environment: BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_WORKERS (4), BENCH_CONNECTIONS (16),
BENCH_RESIDENTS (100), BENCH_DATABASE_URL (default: a temporary SQLite file).
"""
from __future__ import annotations

import json
import os
import platform
import queue
import re
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

from tests.http_resident import CSRF, HttpResident
from tests.live_server import LiveServer, init_database

HERE = Path(__file__).resolve().parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
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


def wrk(server: LiveServer, sessions_file: Path, mode: str, seconds: int) -> dict[str, float]:
    """One wrk run (2 threads, CONNECTIONS connections); the Lua script's RESULT line as a dict."""
    env = {**os.environ, "BENCH_SESSIONS": str(sessions_file), "BENCH_MODE": mode, "BENCH_PAGE": PAGE}
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(HERE / "journey.lua"), server.base_url],
        env=env, capture_output=True, text=True, timeout=seconds + 60, check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def fixed_rate(
    server: LiveServer, sessions: list[tuple[str, str]], rate: int, seconds: int
) -> dict[str, float]:
    """Open loop at `rate` requests/s of the same mix; latency from each request's scheduled time."""
    total = rate * seconds
    jobs: queue.Queue[int | None] = queue.Queue()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def worker(index: int) -> None:
        cookie, token = sessions[index % len(sessions)]
        http = requests.Session()
        http.cookies.set("survey_session", cookie, domain="127.0.0.1")
        while (n := jobs.get()) is not None:
            scheduled = start + n / rate
            time.sleep(max(0.0, scheduled - time.monotonic()))
            try:
                if n % 2:
                    reply = http.post(server.url(PAGE), data={"csrf_token": token, "answer": "resident",
                                                              "page": "1"}, allow_redirects=False, timeout=10)
                else:
                    reply = http.get(server.url(PAGE), timeout=10)
                ok = reply.status_code in (200, 302)
            except requests.RequestException:
                ok = False
            with lock:
                latencies.append(time.monotonic() - scheduled)
                errors[0] += 0 if ok else 1
        http.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for n in range(total):
        jobs.put(n)
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    ordered = sorted(latencies)
    return {"requests": total, "achieved_rps": total / elapsed, "errors": errors[0],
            "p50_ms": 1000 * ordered[len(ordered) // 2], "p99_ms": 1000 * ordered[int(len(ordered) * 0.99)]}


def completed_per_second(server: LiveServer, residents: int) -> dict[str, float]:
    """Residents completing the whole SaferMK survey at once (16 threads): completions per second."""
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
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, people))
    elapsed = time.monotonic() - started
    requests_made = sum(p.requests_made for p in people)
    return {"completed": residents - len(failures), "failures": len(failures), "seconds": elapsed,
            "per_second": (residents - len(failures)) / elapsed,
            "requests_per_journey": requests_made / residents}


def main() -> None:
    """Run every part and print the figures (and one markdown row for bench/RESULTS.md)."""
    print(f"machine: {machine()}; date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
        init_database(url, tmp)
        server = LiveServer(database_url=url, instance_dir=tmp, workers=WORKERS,
                            app="bench.journey_wsgi:application").start()
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
                print(f"round {round_number + 1}: journey {journey[-1]['rps']:.0f} req/s "
                      f"(p50 {journey[-1]['p50_ms']:.1f} ms, p99 {journey[-1]['p99_ms']:.1f} ms, "
                      f"errors {journey[-1]['errors']:.0f}); hello {hello[-1]['rps']:.0f} req/s "
                      f"(p50 {hello[-1]['p50_ms']:.1f} ms, p99 {hello[-1]['p99_ms']:.1f} ms)")
            j_rps = statistics.median(r["rps"] for r in journey)
            h_rps = statistics.median(r["rps"] for r in hello)
            ratio = j_rps / h_rps
            print(f"a. journey mix {j_rps:.0f} req/s vs hello-world {h_rps:.0f} req/s: ratio {ratio:.3f} "
                  f"(target >= 0.10: {'met' if ratio >= 0.10 else 'NOT met'})")
            steady = fixed_rate(server, sessions, RATE, SECONDS)
            print(f"   at {RATE} req/s for {SECONDS} s: achieved {steady['achieved_rps']:.0f} req/s, "
                  f"p50 {steady['p50_ms']:.1f} ms, p99 {steady['p99_ms']:.1f} ms, errors {steady['errors']} "
                  f"(target p99 < 100 ms: {'met' if steady['p99_ms'] < 100 else 'NOT met'})")
            done = completed_per_second(server, RESIDENTS)
            print(f"b. {done['completed']:.0f} questionnaires completed in {done['seconds']:.1f} s: "
                  f"{done['per_second']:.1f} per second ({done['requests_per_journey']:.0f} requests each, "
                  f"{done['failures']:.0f} failures; "
                  f"target >= 20: {'met' if done['per_second'] >= 20 else 'NOT met'})")
            errors_logged = server.log().count("Traceback")
            print(f"server log: {errors_logged} tracebacks")
            print("| date | machine | journey req/s (p50/p99) | hello req/s (p50/p99) | ratio | "
                  "200 req/s p50/p99 | completed/s |")
            j = journey[len(journey) // 2]
            h = hello[len(hello) // 2]
            print(f"| {datetime.now(UTC):%Y-%m-%d} | {machine()} | "
                  f"{j_rps:.0f} ({j['p50_ms']:.1f}/{j['p99_ms']:.1f} ms)"
                  f" | {h_rps:.0f} ({h['p50_ms']:.1f}/{h['p99_ms']:.1f} ms) | {ratio:.3f} | "
                  f"{steady['p50_ms']:.1f}/{steady['p99_ms']:.1f} ms | {done['per_second']:.1f} |")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
