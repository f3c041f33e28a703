"""Dashboard figures (analysis.dashboard) on a hand-built set of responses whose numbers are known."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from analysis import dashboard as m
from analysis.reference import resolve_reference
from analysis.representativeness import compare, compare_questionnaire
from survey.engine import demographic_mapping, load_file
from tests.conftest import PROJECT_ROOT

TODAY = date(2026, 6, 1)
CLOSES = date(2026, 6, 11)


def person(ward: str, tenure: str, sex: str, age: int | None) -> dict[str, Any]:
    """The demographic answers of a resident of Milton Keynes."""
    answers: dict[str, Any] = {"respondent_type": "resident", "ward": ward, "tenure": tenure, "sex": sex}
    if age is not None:
        answers["age"] = age
    return answers


def response(
    rid: int,
    started: str,
    *,
    completed: str | None = None,
    mode: str = "online",
    channel: str | None = None,
    duration: int | None = None,
    last: str | None = None,
    answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A dict shaped like repository.responses_for_report's rows."""
    return {
        "id": rid,
        "questionnaire_version": "1",
        "channel": channel,
        "mode": mode,
        "status": "complete" if completed else "in_progress",
        "started_on": date.fromisoformat(started),
        "completed_on": date.fromisoformat(completed) if completed else None,
        "duration_seconds": duration,
        "last_question": last,
        "answers": answers or {},
    }


# Five complete responses (three online, one paper, one phone) and five unfinished journeys (four online).
HAND_BUILT = [
    response(
        1,
        "2026-05-28",
        completed="2026-05-28",
        channel="trust-a",
        duration=300,
        last="closing_text",
        answers=person("bradwell", "owned_outright", "female", 30),
    ),
    response(
        2,
        "2026-05-29",
        completed="2026-05-29",
        channel="trust-a",
        duration=600,
        last="closing_text",
        answers=person("olney", "rent_council", "male", 70),
    ),
    response(
        3,
        "2026-05-30",
        completed="2026-05-31",
        duration=420,
        last="closing_text",
        answers=person("bradwell", "owned_mortgage", "female", 45),
    ),
    response(
        4,
        "2026-05-31",
        completed="2026-05-31",
        mode="paper",
        channel="trust-b",
        last="closing_text",
        answers=person("olney", "rent_private", "female", 55),
    ),
    response(
        5,
        "2026-06-01",
        completed="2026-06-01",
        mode="phone",
        last="closing_text",
        answers=person("wolverton", "dont_know", "prefer_not_to_say", None),
    ),
    response(
        6,
        "2026-05-29",
        last="tenure",
        answers={"respondent_type": "resident", "ward": "olney", "tenure": "rent_private"},
    ),
    response(
        7,
        "2026-05-30",
        last="tenure",
        answers={"respondent_type": "resident", "ward": "olney", "tenure": "owned_outright"},
    ),
    response(8, "2026-05-31", last="concern", answers=person("bradwell", "owned_outright", "male", 20)),
    response(9, "2026-06-01"),
    response(10, "2026-06-01", mode="paper", last="ward", answers={"respondent_type": "resident"}),
]


def online(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The online journeys only (completion and drop-off are about residents, not staff keying)."""
    return [r for r in rows if r["mode"] == "online"]


def test_daily_counts_and_running_total() -> None:
    days = m.daily_counts(HAND_BUILT, end=TODAY)
    assert [(d.day.isoformat(), d.started, d.completed, d.cumulative) for d in days] == [
        ("2026-05-28", 1, 1, 1),
        ("2026-05-29", 2, 1, 2),
        ("2026-05-30", 2, 0, 2),
        ("2026-05-31", 2, 2, 4),
        ("2026-06-01", 3, 1, 5),
    ]


def test_daily_counts_from_an_opening_date_fill_empty_days_and_carry_earlier_completions() -> None:
    days = m.daily_counts(HAND_BUILT, start=date(2026, 5, 31), end=date(2026, 6, 3))
    assert [(d.started, d.completed, d.cumulative) for d in days] == [
        (2, 2, 4),
        (3, 1, 5),
        (0, 0, 5),
        (0, 0, 5),
    ]
    assert m.daily_counts([], end=TODAY) == ()


def test_projection_is_linear_on_the_recent_rate() -> None:
    days = m.daily_counts(HAND_BUILT, end=TODAY)
    p = m.project(days, today=TODAY, closes=CLOSES)
    assert p is not None
    assert (p.current, p.rate_per_day, p.window_days, p.days_left, p.projected) == (5, 1.0, 5, 10, 15)
    assert p.basis == (
        "Linear projection: 1.0 completed responses a day (the average of the last 5 days) "
        "for the 10 days left until 11 June 2026."
    )
    # A two-day window sees 3 completions in 2 days: 1.5 a day, 15 more in 10 days.
    short = m.project(days, today=TODAY, closes=CLOSES, window=2)
    assert short is not None and (short.rate_per_day, short.projected) == (1.5, 20)
    assert m.project(days, today=TODAY, closes=None) is None
    assert m.project((), today=TODAY, closes=CLOSES) is None


def test_completion_rate_of_online_journeys() -> None:
    assert m.completion(HAND_BUILT) == m.Completion(10, 5)
    rate = m.completion(online(HAND_BUILT))
    assert (rate.started, rate.completed) == (7, 3)
    assert rate.rate == pytest.approx(3 / 7)
    assert m.completion([]).rate is None


def test_drop_off_by_last_question_in_questionnaire_order() -> None:
    q = load_file(PROJECT_ROOT / "questionnaires" / "safermk-2016.json")
    questions = [(x.id, q.text(x.text)) for x in q.questions]
    rows = m.drop_off(online(HAND_BUILT), questions)
    assert [(d.question_id, d.position, d.count, d.share) for d in rows] == [
        ("", None, 1, 0.25),
        ("tenure", 3, 2, 0.5),
        ("concern", 8, 1, 0.25),
    ]
    assert rows[1].text == "Does your household own or rent your home?"


def test_drop_off_of_a_question_no_longer_in_the_questionnaire_comes_last() -> None:
    rows = m.drop_off(
        [response(1, "2026-06-01", last="old_q"), response(2, "2026-06-01", last="b")],
        [("a", "A?"), ("b", "B?")],
    )
    assert [(d.question_id, d.position, d.text) for d in rows] == [
        ("b", 2, "B?"),
        ("old_q", None, "old_q (not in the current version)"),
    ]


def test_median_completion_time_ignores_unfinished_and_untimed_responses() -> None:
    assert m.median_seconds(HAND_BUILT) == 420
    assert m.format_duration(420) == "7 min"
    assert m.format_duration(450.4) == "7 min 30 s"
    assert m.format_duration(42) == "42 s"
    assert m.median_seconds(HAND_BUILT[5:]) is None


def test_mode_mix_lists_every_mode() -> None:
    assert [(x.mode, x.count, x.share) for x in m.mode_mix(HAND_BUILT)] == [
        ("online", 3, 0.6),
        ("paper", 1, 0.2),
        ("phone", 1, 0.2),
        ("assisted", 0, 0.0),
    ]


def test_channel_counts_started_and_completed() -> None:
    assert m.channel_counts(HAND_BUILT) == (
        m.ChannelCount("trust-a", 2, 2),
        m.ChannelCount("trust-b", 1, 1),
        m.ChannelCount(None, 7, 2),
    )


def test_profile_dimensions_pick_age_sex_tenure_area_from_the_mappings() -> None:
    q = load_file(PROJECT_ROOT / "questionnaires" / "safermk-2016.json")
    assert m.profile_dimensions(q) == {
        "age": "age_adult16plus",
        "sex": "sex_age16to74",
        "tenure": "tenure_households_grouped",
        "area": "ward",
    }
    tenants = load_file(PROJECT_ROOT / "questionnaires" / "tenant-satisfaction.json")
    assert m.profile_dimensions(tenants) == {"age": "age_adult16plus"}


def test_under_represented_groups_and_the_channels_that_reach_them() -> None:
    q = load_file(PROJECT_ROOT / "questionnaires" / "safermk-2016.json")
    table = compare_questionnaire(
        HAND_BUILT, resolve_reference(), q, dimensions=["sex_age16to74", "age_adult16plus"]
    )
    under = {(u.dimension, u.category): u for u in m.under_represented(table)}
    male = under[("sex_age16to74", "Male")]
    assert (male.respondents, male.sample_share, male.channels) == (1, 0.25, (("trust-a", 1),))
    assert male.needed == 1  # (1 + 1) / (4 + 1) = 40% reaches 80% of the population's 49.2%
    young = under[("age_adult16plus", "16-24")]
    assert (young.respondents, young.channels) == (0, ())
    assert ("sex_age16to74", "Female") not in under
    assert list(under)[0] == ("sex_age16to74", "Male")  # furthest below its population share first


def test_groups_each_channel_brings_in() -> None:
    q = load_file(PROJECT_ROOT / "questionnaires" / "safermk-2016.json")
    table = compare_questionnaire(HAND_BUILT, resolve_reference(), q, dimensions=["sex_age16to74"])
    groups = m.groups_by_channel(table)
    assert {(g.category, g.count) for g in groups["trust-a"]} == {("Female", 1), ("Male", 1)}
    assert [(g.category, g.count) for g in groups["trust-b"]] == [("Female", 1)]
    assert [(g.category, g.count) for g in groups[None]] == [("Female", 1)]


def test_channel_profile_hides_small_groups_and_what_would_reveal_them() -> None:
    tenure = [
        demographic_mapping(
            {
                "dimension": "tenure_households_grouped",
                "question": "tenure",
                "map": {
                    "own": "Owner-occupied incl. shared ownership",
                    "social": "Social rented",
                    "private": "Private rented incl. rent free",
                },
            }
        )
    ]
    rows = (
        [
            response(i, "2026-06-01", completed="2026-06-01", channel="big", answers={"tenure": "own"})
            for i in range(12)
        ]
        + [
            response(
                100 + i, "2026-06-01", completed="2026-06-01", channel="big", answers={"tenure": "social"}
            )
            for i in range(10)
        ]
        + [
            response(
                200 + i, "2026-06-01", completed="2026-06-01", channel="big", answers={"tenure": "private"}
            )
            for i in range(3)
        ]
        + [
            response(
                300 + i, "2026-06-01", completed="2026-06-01", channel="small", answers={"tenure": "own"}
            )
            for i in range(4)
        ]
    )
    table = compare(rows, resolve_reference(), tenure)
    shown = m.channel_profile(table, ["big", "small"])
    big = {g.category: g.count for g in shown["big"]["tenure_households_grouped"]}
    # 3 is under 10; hiding it alone would let anyone subtract it from the channel's total: 10 goes too.
    assert big == {
        "Owner-occupied incl. shared ownership": 12,
        "Social rented": None,
        "Private rented incl. rent free": None,
    }
    small = {g.category: g.count for g in shown["small"]["tenure_households_grouped"]}
    assert set(small.values()) == {None}  # a channel with fewer than 10 responses shows no profile at all
