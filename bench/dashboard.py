"""Benchmark: the live dashboard of a questionnaire with 100,000 responses; run `python -m bench.dashboard`.

Stores synthetic SaferMK responses (70% complete, four channels, 90 days) in a temporary SQLite database,
then times, best of 3: reading them (`repository_dashboard.responses_for_dashboard`;
`repository.responses_for_report`, which built ORM objects before it read plain columns as the dashboard
does, is timed too as `read (ORM)`), the dashboard figures
(`analysis.dashboard`), the profile against the census (`analysis.representativeness`), and the whole page
through the app (signed in as an analyst). Target: the page in under 10 seconds at 100,000 responses.
"""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

N = int(os.environ.get("BENCH_DASHBOARD_N", "100000"))
REPEATS = 3
QID = "safermk-2016"
TODAY = date(2026, 6, 1)


def rows(n: int, wards: list[str], seed: int = 1) -> list[dict[str, Any]]:
    """Synthetic responses as table rows."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        day = TODAY - timedelta(days=rnd.randrange(90))
        done = rnd.random() < 0.7
        out.append(
            {
                "token": f"bench-{i}",
                "questionnaire_id": QID,
                "questionnaire_version": "1",
                "channel": rnd.choice([None, "trust-a", "trust-b", "p3-outreach"]),
                "mode": "online",
                "status": "complete" if done else "in_progress",
                "language": "en",
                "started_on": day,
                "completed_on": day if done else None,
                "duration_seconds": rnd.randrange(120, 900) if done else None,
                "last_question": rnd.choice(["ward", "tenure", "concern", "closing_text"]),
                "visited": [],
                "answers": {
                    "respondent_type": "resident",
                    "ward": rnd.choice(wards),
                    "tenure": rnd.choice(["owned_outright", "rent_council", "rent_private"]),
                    "sex": rnd.choice(["male", "female"]),
                    "age": rnd.randrange(16, 90),
                },
            }
        )
    return out


def best(run: Callable[[], object]) -> float:
    """Best wall time of REPEATS runs."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Build the database, time each part, print a results row."""
    from analysis import dashboard as metrics
    from survey.app import create_app
    from survey.cli.db import load_questionnaires
    from survey.engine import load_dict
    from survey.staff.dashboard import current_or_404, profile, summary
    from survey.store import repository
    from survey.store import repository_staff as staff_repo
    from survey.store.db import get_engine, upgrade_database
    from survey.store.models import Response
    from survey.store.repository_dashboard import responses_for_dashboard

    folder = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SURVEY_ENV": "test",
            "SURVEY_FIXED_DATE": TODAY.isoformat(),
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "SURVEY_STAFF_ARGON2_TIME_COST": 1,
            "SURVEY_STAFF_ARGON2_MEMORY_KIB": 256,
            "SURVEY_STAFF_ARGON2_PARALLELISM": 1,
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        upgrade_database(get_engine())
        load_questionnaires(Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]))
        with Session(get_engine()) as session:
            row = repository.current_questionnaire(session=session, questionnaire_id=QID)
            assert row is not None
            ward = next(m for m in load_dict(row.definition).demographics if m.dimension == "ward")
            wards = [code for code, category in ward.map if category]
            session.execute(insert(Response), rows(N, wards))
            user = staff_repo.add_staff(
                session=session, email="bench@example.org", role="analyst", password_hash="unused"
            )
            user.must_change_password = False
            staff_repo.save_staff(session=session, user=user)
            user_id = user.id
    with app.test_request_context("/staff/dashboard/" + QID):
        row, q = current_or_404(QID)
        loaded: list[dict[str, Any]] = []

        def read() -> None:
            with Session(get_engine()) as session:
                loaded[:] = responses_for_dashboard(session=session, questionnaire_id=QID)

        def read_orm() -> None:
            with Session(get_engine()) as session:
                repository.responses_for_report(session=session, questionnaire_id=QID)

        orm_s = best(read_orm)
        read_s = best(read)
        figures_s = best(lambda: summary(row, q, loaded, TODAY))
        profile_s = best(lambda: profile(q, loaded))
        assert metrics.completion(loaded).started == N
    client = app.test_client()
    now = int(datetime.now(UTC).timestamp())
    with client.session_transaction() as browser:
        browser["staff"] = {"id": user_id, "epoch": 1, "at": now, "seen": now}

    def page() -> None:
        response = client.get(f"/staff/dashboard/{QID}")
        assert response.status_code == 200, response.status_code

    page_s = best(page)
    machine = (
        f"nproc={os.cpu_count()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| date | machine | responses | read (ORM) | read | figures | profile | whole page "
        "| target (< 10 s) |"
    )
    print(
        f"| {date.today()} | {machine} | {N:,} | {orm_s:.2f} s | {read_s:.2f} s | {figures_s:.2f} s | "
        f"{profile_s:.2f} s | "
        f"{page_s:.2f} s | {'met' if page_s < 10 else 'NOT met'} |"
    )


if __name__ == "__main__":
    main()
