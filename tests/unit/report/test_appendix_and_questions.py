"""Plain-English routes, question tables (bases, suppression of sensitive questions), number bands."""

from __future__ import annotations

from datetime import date
from typing import Any

from analysis.report.appendix import appendix, describe, numbering
from analysis.report.questions import fixed_by_filter, number_results, outside_groups, question_results
from survey.engine import load_dict, parse_condition
from tests.unit.report.helpers import safermk

Q: dict[str, Any] = {
    "id": "t",
    "version": "1",
    "language": "en",
    "title": "Test",
    "sections": [
        {
            "id": "a",
            "title": "About",
            "questions": [
                {
                    "id": "kind",
                    "type": "single",
                    "text": "Who are you?",
                    "options": [{"code": "r", "label": "Resident"}, {"code": "v", "label": "Visitor"}],
                },
                {"id": "age", "type": "number", "text": "Age?", "min": 16, "max": 120},
                {"id": "info", "type": "info", "text": "Next"},
                {
                    "id": "worry",
                    "type": "rating",
                    "text": "Worry",
                    "items": [{"id": "x", "text": "X"}],
                    "scale": [{"code": "hi", "label": "High"}, {"code": "lo", "label": "Low"}],
                    "show_if": {
                        "any": [
                            {"q": "kind", "op": "equals", "value": "r"},
                            {"q": "age", "op": "gte", "value": 70},
                        ]
                    },
                },
            ],
        },
        {
            "id": "s",
            "title": "Sensitive",
            "sensitive": True,
            "questions": [
                {
                    "id": "hurt",
                    "type": "single",
                    "text": "Hurt?",
                    "options": [
                        {"code": "yes", "label": "Yes"},
                        {"code": "no", "label": "No"},
                        {"code": "pnts", "label": "Prefer not to say", "kind": "prefer_not_to_say"},
                    ],
                },
            ],
        },
    ],
}


def _rows(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "status": "complete",
            "started_on": date(2026, 1, 1),
            "completed_on": date(2026, 1, 1),
            "answers": a,
        }
        for i, a in enumerate(answers, start=1)
    ]


QT = load_dict(Q)


def test_numbering_skips_information_pages() -> None:
    assert numbering(QT) == {"kind": "Q1", "age": "Q2", "worry": "Q3", "hurt": "Q4"}


def test_conditions_in_plain_english() -> None:
    text = describe(QT.question("worry").show_if, QT)
    assert (
        text == "the answer to Q1 ('Who are you?') is 'Resident' or the answer to Q2 ('Age?') is at least 70"
    )
    nested = {"all": [{"q": "age", "op": "lt", "value": 30}, Q["sections"][0]["questions"][3]["show_if"]]}
    assert describe(parse_condition(nested), QT).startswith(
        "the answer to Q2 ('Age?') is less than 30 and (the answer to Q1"
    )
    assert describe(parse_condition({"not": {"q": "kind", "op": "in", "value": ["r", "v"]}}), QT) == (
        "not the answer to Q1 ('Who are you?') is one of 'Resident' or 'Visitor'"
    )
    assert describe(parse_condition({"q": "age", "op": "answered"}), QT) == "Q2 was answered"
    # An empty list (the schema allows it; the condition never holds) is described, not an error.
    assert describe(parse_condition({"q": "kind", "op": "in", "value": []}), QT).endswith("is one of –")


def test_appendix_lists_every_question_with_answers_and_routes() -> None:
    sections = appendix(safermk())
    asked = [q for s in sections for q in s.questions]
    assert len(asked) == len(safermk().questions)
    by_id = {q.id: q for q in asked}
    assert "'I live in Milton Keynes'" in by_id["ward"].shown_when
    assert by_id["concern"].items and "Very concerned" in by_id["concern"].answers
    assert any(s.sensitive for s in sections)


def test_sensitive_question_small_cells_suppressed_others_shown() -> None:
    answers = (
        [{"kind": "r", "hurt": "no"}] * 30
        + [{"kind": "v", "hurt": "yes"}] * 3
        + [{"kind": "r", "hurt": "pnts"}] * 12
    )
    results = {r.id: r for r in question_results(_rows(answers), QT, None, 10)}
    kind = {row.code: row for row in results["kind"].rows}
    assert kind["v"].count == 3 and kind["v"].suppressed is None  # not sensitive: shown in full
    hurt = {row.code: row for row in results["hurt"].rows}
    assert hurt["yes"].count is None and hurt["yes"].suppressed == "suppressed"
    assert hurt["pnts"].count is None and hurt["pnts"].suppressed == "suppressed"  # else 45-30 reveals it
    assert hurt["no"].count == 30 and hurt["no"].share == round(30 / 45, 4)
    assert results["hurt"].sensitive and "45 respondents who answered" in results["hurt"].base_note


def test_rating_items_and_conditional_base_note() -> None:
    answers = [{"kind": "r", "worry": {"x": "hi"}}] * 4 + [{"kind": "v", "age": 80, "worry": {"x": "lo"}}]
    result = next(r for r in question_results(_rows(answers), QT, None, 10) if r.id == "worry")
    assert result.item == "x" and result.base == 5
    assert [row.share for row in result.rows] == [0.8, 0.2]
    assert "asked only when" in result.base_note


def test_weighted_shares_and_intervals() -> None:
    answers = [{"kind": "r"}] * 10 + [{"kind": "v"}] * 10
    weights = {i: (3.0 if i <= 10 else 1.0) for i in range(1, 21)}
    result = next(r for r in question_results(_rows(answers), QT, weights, 10) if r.id == "kind")
    resident = result.rows[0]
    assert resident.share == 0.5 and resident.weighted_share == 0.75
    assert resident.weighted_low is not None and resident.weighted_low < 0.75 < (resident.weighted_high or 0)
    assert result.effective_n < 20  # unequal weights cost precision


def test_number_bands_and_median() -> None:
    answers = [{"age": a} for a in (16, 20, 21, 45, 45, 80, 81, 99)]
    (result,) = number_results(_rows(answers), QT, 10)
    bands = {label: count for label, count, _ in result.bands}
    assert bands["16-20"] == 2 and bands["41-50"] == 2 and bands["71-80"] == 1 and bands["81 and over"] == 2
    assert result.median == 45 and result.base == 8


def test_a_number_question_describes_the_population_like_the_closed_questions() -> None:
    """Q5 age once counted visitors and businesses (545 answered, 507 of them residents) with no 'Who' line,
    the one table of 'About you' that did not describe the residents."""
    from bs4 import BeautifulSoup

    from analysis.reference import reference_name_for, resolve_reference
    from analysis.report import build_report, render_html
    from analysis.report.build import population
    from analysis.text import default_codebook
    from tests.unit.report.helpers import INTERIM_DAY, demo_rows

    q = safermk()
    rows = demo_rows(150, seed=3)
    reference = resolve_reference(reference_name_for(q))
    report = build_report("interim", q, rows, INTERIM_DAY, reference, default_codebook(), with_charts=False)
    (age,) = [n for n in report.numbers if n.id == "age"]
    inside = population(rows, q)
    gave_age = [r for r in rows if r["status"] == "complete" and isinstance(r["answers"].get("age"), int)]
    residents = [r for r in gave_age if inside.get(r["id"], False)]
    assert len(gave_age) > len(residents)  # the demo has visitors and businesses who gave an age
    assert age.base == len(residents) and age.population == "Residents"
    soup = BeautifulSoup(render_html(report).decode("utf-8"), "html.parser")
    (caption,) = [c.get_text(" ", strip=True) for c in soup.find_all("caption") if "in bands" in c.get_text()]
    assert caption.endswith("Who: Residents."), caption


def test_the_filter_fixes_the_answers_of_its_all_clauses_nested_or_not() -> None:
    # An `all` inside the filter's `all` is the same conjunction: its equals/in clauses fix answers too
    # (the population's table of such a question would reveal the count the filter leaves out).
    kind = {"q": "kind", "op": "equals", "value": "r"}
    age = {"q": "age", "op": "in", "value": [40, 50]}
    for rule in ({"all": [kind, age]}, {"all": [{"all": [kind]}, age]}, {"all": [{"all": [kind, age]}]}):
        q = load_dict({**Q, "population_filter": rule})
        assert fixed_by_filter(q) == {"kind", "age"}
        assert outside_groups(q) == {"v": "Visitor"}
    # Under `any` or `not` a clause fixes nothing.
    q = load_dict({**Q, "population_filter": {"all": [{"any": [kind, age]}, {"not": kind}]}})
    assert fixed_by_filter(q) == set()
    assert outside_groups(q) == {}
