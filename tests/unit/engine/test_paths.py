"""Path analysis: shortest and longest paths, minutes, branch points, budgets and bounding."""

from __future__ import annotations

import copy
from typing import Any

from survey.engine import analyse_paths, load_dict
from survey.engine.paths import answer_classes
from survey.engine.timing import page_seconds
from tests.unit.engine.definitions import MINI
from tests.unit.engine.walk import walk

Q = load_dict(MINI, "mini.json")


def test_min_and_max_questions() -> None:
    report = analyse_paths(Q)
    # shortest: safe_day, concern, victim_any, age, sex; longest adds why_unsafe, crimes, reported, older_help
    assert (report.min_questions, report.max_questions) == (5, 9)
    assert 0 < report.min_minutes < report.max_minutes
    assert report.exhaustive and report.unreachable == ()


def test_path_extremes_match_real_walks() -> None:
    short, _ = walk(Q, {"safe_day": "very", "victim_any": "no", "age": 30})
    long, _ = walk(Q, {"safe_day": "unsafe", "victim_any": "yes", "crimes": ["burglary"], "age": 70})
    asked = [p for p in long if Q.question(p).asks]
    report = analyse_paths(Q)
    assert len(short) == report.min_questions and len(asked) == report.max_questions


def test_branch_points_list_what_they_control() -> None:
    points = {b.question: b.controls for b in analyse_paths(Q).branch_points}
    assert points == {
        "safe_day": ("why_unsafe",),
        "victim_any": ("support_info", "crimes", "reported"),
        "crimes": ("reported",),
        "age": ("older_help",),
    }


def test_number_classes_come_from_thresholds_within_bounds() -> None:
    leaf = Q.question("older_help").show_if
    classes, exhaustive = answer_classes(Q.question("age"), [leaf])  # type: ignore[list-item]
    assert classes == [16, 64, 65, 66, 120] and exhaustive


def test_multiple_choice_classes_respect_exclusive_options() -> None:
    crimes = Q.question("crimes")
    leaf = Q.question("reported").show_if.conditions[1]  # type: ignore[union-attr]
    classes, _ = answer_classes(crimes, [leaf])
    assert classes == [["theft"], ["burglary"]]


def test_a_section_condition_hides_all_its_questions() -> None:
    d = copy.deepcopy(MINI)
    d["sections"][2]["show_if"] = {"q": "victim_any", "op": "equals", "value": "yes"}
    report = analyse_paths(load_dict(d))
    assert (report.min_questions, report.max_questions) == (3, 9)


def test_budget_warnings_use_the_definition_budget() -> None:
    d: dict[str, Any] = copy.deepcopy(MINI)
    d["time_budget"] = {"max_questions": 8, "max_minutes": 30}
    warnings = analyse_paths(load_dict(d)).warnings
    assert [w.code for w in warnings] == ["LONG_PATH"] and "asks 9 questions" in warnings[0].message


def test_many_branches_stay_tractable() -> None:
    # 40 independent yes/no branch points: 2**40 paths, enumerated through merged answer classes.
    questions: list[dict[str, Any]] = []
    for i in range(40):
        questions.append(
            {
                "id": f"q{i}",
                "type": "single",
                "text": "Pick",
                "options": [{"code": "y", "label": "Yes"}, {"code": "n", "label": "No"}],
            }
        )
        questions.append(
            {
                "id": f"f{i}",
                "type": "text",
                "text": "Why",
                "show_if": {"q": f"q{i}", "op": "equals", "value": "y"},
            }
        )
    d = {
        "id": "wide",
        "version": "1",
        "language": "en",
        "title": "Wide",
        "sections": [{"id": "s", "title": "S", "questions": questions}],
        "time_budget": {"max_questions": 100},
    }
    report = analyse_paths(load_dict(d))
    assert (report.min_questions, report.max_questions) == (40, 80)
    assert report.paths == 2**40 and report.exhaustive


def test_reading_model_counts_words_and_typing() -> None:
    short = page_seconds(Q.question("victim_any"))
    text = page_seconds(Q.question("why_unsafe"))
    assert text > short > 4.0
