"""The demo generator walks the engine: only visible questions answered, valid values, varied free text."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from survey.engine import check_stored, prune_answers, visible_questions
from survey.services.demo import DemoResponse, generate
from tests.unit.report.helpers import START, safermk


def _demo(n: int = 557, seed: int = 2016) -> list[DemoResponse]:
    return generate(safermk(), n, seed, START)


def test_counts_and_drop_offs() -> None:
    demo = _demo()
    complete = [d for d in demo if d.complete]
    assert len(complete) == 557
    dropped = [d for d in demo if not d.complete]
    assert 40 <= len(dropped) <= 120
    assert all(d.completed_on is None and d.duration_seconds is None for d in dropped)
    # a drop-off stopped somewhere: it visited fewer pages than its answers would show
    q = safermk()
    assert all(len(d.visited) < len(visible_questions(q, d.answers)) or not d.answers for d in dropped)


def test_only_visible_questions_answered_with_valid_values() -> None:
    q = safermk()
    for d in _demo(300, seed=5):
        assert prune_answers(q, d.answers) == d.answers  # nothing hidden was answered
        for qid, value in d.answers.items():
            assert check_stored(q.question(qid), value) == [], (qid, value)
        if d.complete:
            required = [x.id for x in visible_questions(q, d.answers) if x.asks and x.required]
            assert set(required) <= set(d.answers)
            assert list(d.visited) == [x.id for x in visible_questions(q, d.answers)]


def test_dates_within_the_first_weeks_and_channels_and_modes() -> None:
    demo = _demo()
    assert all(START <= d.started_on <= START + timedelta(days=41) for d in demo)
    assert all(d.completed_on is None or d.completed_on >= d.started_on for d in demo)
    channels = Counter(d.channel for d in demo)
    assert {"housing-trust-a", "p3-outreach"} <= set(channels)
    assert channels[None] > len(demo) / 2
    assert {d.mode for d in demo} >= {"online", "paper"}
    # partners reach the groups they work with
    trust = [d for d in demo if d.channel == "housing-trust-a"]
    assert all(d.answers.get("tenure") in ("rent_council", "rent_housing_association") for d in trust)


def test_free_text_varied_and_never_repeated() -> None:
    texts = [t for d in _demo() for k in ("concerns_text", "closing_text") if (t := d.answers.get(k))]
    assert len(texts) > 300
    assert len(set(texts)) == len(texts)
    sentences = Counter(s.strip() for t in texts for s in re.split(r"(?<=\.)\s", t) if len(s.strip()) > 40)
    assert sentences.most_common(1)[0][1] <= 2
    words = Counter(w for t in texts for w in re.findall(r"[a-z]+", t.lower()))
    assert words["burglary"] + words["burglaries"] + words["burgled"] > words["litter"]


def test_same_seed_same_data_other_seed_other_data() -> None:
    a, b, c = _demo(50, 3), _demo(50, 3), _demo(50, 4)
    assert [d.answers for d in a] == [d.answers for d in b]
    assert [d.answers for d in a] != [d.answers for d in c]


def test_questionnaire_without_targets_gets_plausible_answers() -> None:
    from survey.engine import load_file
    from tests.unit.report.helpers import ROOT

    q = load_file(ROOT / "questionnaires" / "tenant-satisfaction.json")
    demo = generate(q, 40, 1, date(2026, 1, 5))
    assert sum(d.complete for d in demo) == 40
    for d in demo:
        for qid, value in d.answers.items():
            assert check_stored(q.question(qid), value) == []


def _answer_counts(demo: list[DemoResponse], qid: str, item: str | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for d in demo:
        if not d.complete:
            continue
        value = d.answers.get(qid)
        if item is not None:
            value = value.get(item) if isinstance(value, dict) else None
        if value is not None:
            counts[repr(value)] += 1
    return counts


def test_structure_keeps_every_share_and_every_walk_valid() -> None:
    import random

    from survey.services.demo.structure import add_structure

    q = safermk()
    structured = _demo(400, seed=5)
    # generate() ends with add_structure; dealing its output again must keep every question's counts
    # (only who holds which answer changes)
    again = add_structure(q, structured, random.Random(9))
    for qid in (
        "concern",
        "da_ever",
        "da_support",
        "victim_types",
        "substances",
        "fire_plan_home",
        "smoke_alarms",
    ):
        items = [i.id for i in q.question(qid).items] or [None]
        for item in items:
            assert _answer_counts(again, qid, item) == _answer_counts(structured, qid, item), (qid, item)
    for d in again:
        if d.complete:
            assert prune_answers(q, d.answers) == d.answers  # no answer to a question its routing hides
            assert d.visited == tuple(p.id for p in visible_questions(q, d.answers))


def test_answers_depend_on_demographics() -> None:
    demo = [d for d in _demo(2000, seed=3) if d.complete]

    def share(group: list[DemoResponse], qid: str, code: str) -> float:
        answered = [d for d in group if qid in d.answers]
        return sum(d.answers[qid] == code for d in answered) / len(answered)

    women = [d for d in demo if d.answers.get("sex") == "female"]
    men = [d for d in demo if d.answers.get("sex") == "male"]
    assert share(women, "da_ever", "yes") > share(men, "da_ever", "yes") + 0.1
    renters = [d for d in demo if str(d.answers.get("tenure", "")).startswith("rent")]
    owners = [d for d in demo if str(d.answers.get("tenure", "")).startswith("own")]
    assert share(renters, "fire_plan_home", "no") > share(owners, "fire_plan_home", "no") + 0.15
