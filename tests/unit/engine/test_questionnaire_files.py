"""Every questionnaire shipped in questionnaires/ validates without errors and is walked on all branches."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.engine import analyse_paths, load_file, prune_answers, validate_file, visible_questions
from tests.unit.engine.walk import walk

FILES = sorted(
    p
    for p in (Path(__file__).parents[3] / "questionnaires").glob("*.json")
    if not p.name.endswith(".schema.json")
)


def test_there_is_something_to_check() -> None:
    assert FILES, "no questionnaires found"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_validates_without_errors(path: Path) -> None:
    result = validate_file(path)
    assert result.errors == (), "\n".join(str(p) for p in result.errors)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_page_is_reached_by_some_walk(path: Path) -> None:
    q = load_file(path)
    report = analyse_paths(q)
    assert report.unreachable == ()
    reached: set[str] = set()
    for target, witness in report.witnesses.items():
        visited, answers = walk(q, witness)
        assert target in visited, f"{target} not reached with {witness}"
        assert [x.id for x in visible_questions(q, answers)] == visited
        assert set(prune_answers(q, answers)) == set(answers)
        reached |= set(visited)
    assert reached == {x.id for x in q.questions}
