"""Every bundled questionnaire can be started, walked with plausible answers and sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from survey.engine import load_file
from tests.conftest import PROJECT_ROOT
from tests.respondent import Respondent

BUNDLED = sorted(
    load_file(path).id
    for path in Path(PROJECT_ROOT / "questionnaires").glob("*.json")
    if not path.name.endswith(".schema.json")
)


@pytest.mark.parametrize("questionnaire_id", BUNDLED)
def test_bundled_questionnaire_walks_to_the_confirmation_page(
    respondent: Callable[..., Respondent], questionnaire_id: str
) -> None:
    resident = respondent(questionnaire_id)
    resident.start()
    resident.walk({})
    assert resident.heading == "Check your answers before sending them"
    resident.submit()
    assert resident.path == f"/s/{questionnaire_id}/done"
