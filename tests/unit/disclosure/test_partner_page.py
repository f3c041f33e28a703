"""A partner's page sampled after each of 30 single responses: it moves only in steps of the threshold."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.dashboard import profile_dimensions
from analysis.disclosure.partner_page import PartnerPage, partner_page
from analysis.reference import reference_name_for, resolve_reference
from analysis.representativeness import compare_questionnaire
from survey.engine import load_file
from survey.services.demo import generate

Q = load_file("questionnaires/safermk-2016.json")
REFERENCE = resolve_reference(reference_name_for(Q))
START = date(2016, 5, 3)


def table(responses: Any) -> Any:
    return compare_questionnaire(responses, REFERENCE, Q, dimensions=list(profile_dimensions(Q).values()))


def channel_rows() -> list[dict[str, Any]]:
    demo = generate(Q, 120, 2016, START)
    rows = [d.as_row(i, Q.version) for i, d in enumerate(demo, start=1)]
    done = [r for r in rows if r["status"] == "complete"][:55]
    for k, r in enumerate(done):
        r["channel"] = "library"
        day = START + timedelta(days=k // 5 if k < 25 else k - 20)  # 25 early ones, then one a day
        r["started_on"] = r["completed_on"] = day.isoformat()
    return done


def attack_groups(page: PartnerPage) -> list[tuple[str, str, int, int]]:
    """Independent integer programme per dimension: hidden cells add up to at most the shown total
    minus the shown cells; returns every hidden cell's (dimension, group, low, high)."""
    out = []
    for dimension, cells in page.groups.items():
        hidden = [c for c in cells if c.count is None]
        if not hidden:
            continue
        left = page.completed - sum(c.count or 0 for c in cells)
        n = len(hidden)
        cons = LinearConstraint(np.ones((1, n)), [0], [left])
        for k, c in enumerate(hidden):
            obj = np.zeros(n)
            obj[k] = 1
            bounds = Bounds(np.zeros(n), np.full(n, left))
            low = milp(obj, integrality=np.ones(n), bounds=bounds, constraints=cons)
            high = milp(-obj, integrality=np.ones(n), bounds=bounds, constraints=cons)
            out.append((dimension, c.category, round(low.fun), round(-high.fun)))
    return out


def test_thirty_single_responses_move_the_page_only_in_steps() -> None:
    rows = channel_rows()
    first_single = START + timedelta(days=5)
    pages = []
    for k in range(30):
        today = first_single + timedelta(days=k)
        seen = [r for r in rows if r["completed_on"] <= today.isoformat()]
        assert len(seen) == 25 + k + 1  # one more response each time
        pages.append(partner_page(seen, "library", today=today, threshold=10, profile=table))
    moves = 0
    for before, after in zip(pages, pages[1:], strict=False):
        if after.completed == before.completed:
            assert after == before  # the page does not move at all between release points
        else:
            moves += 1
            assert after.completed - before.completed >= 10
    assert moves >= 2
    for page in pages:
        assert page.steps and all(count >= 10 for _, count in page.steps)  # no small or zero day counts
        assert sum(count for _, count in page.steps) == page.completed
        for dimension, group, low, high in attack_groups(page):
            assert high - low >= 10, (page.release, dimension, group, low, high)
    assert any(c.count is None for p in pages for cells in p.groups.values() for c in cells)


def test_nothing_but_the_fact_before_the_first_release() -> None:
    rows = channel_rows()[:9]
    page = partner_page(rows, "library", today=START + timedelta(days=60), threshold=10, profile=table)
    assert page.release is None and page.completed == 0 and page.groups == {} and page.steps == ()


def test_a_published_date_starts_the_steps_again() -> None:
    rows = channel_rows()
    make = partial(partner_page, rows, "library", threshold=10)
    plain = make(today=START + timedelta(days=40))
    published = START + timedelta(days=6)
    moved = make(today=START + timedelta(days=40), published=[published])
    assert published in [d for d, _ in moved.steps]
    assert plain.completed != moved.completed or plain.steps != moved.steps


def test_responses_of_the_same_day_wait_for_the_next_day() -> None:
    """Completion dates carry no time: a release point on today would take in the day's later responses
    one at a time, so only whole days before today count."""
    rows = channel_rows()[:25]  # five a day over five days
    day = date.fromisoformat(rows[-1]["completed_on"])
    today = partner_page(rows, "library", today=day, threshold=10, profile=table)
    assert today.completed == 20 and today.release == day - timedelta(days=1)
    for extra in range(1, 5):  # more of the same day: the page does not move
        more = [*rows, *({**r, "completed_on": day.isoformat()} for r in channel_rows()[25 : 25 + extra])]
        assert partner_page(more, "library", today=day, threshold=10, profile=table) == today
    ten = [*rows, *({**r, "completed_on": day.isoformat()} for r in channel_rows()[25:30])]
    assert partner_page(ten, "library", today=day, threshold=10, profile=table) == today  # the tenth, today
    assert partner_page(ten, "library", today=day + timedelta(days=1), threshold=10).completed == 30
