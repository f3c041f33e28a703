"""From stored responses to theme inputs; finding a questionnaire's codebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.text import CodebookError, codebook_for, free_text_answers, free_text_questions
from survey.engine import load_dict

QUESTIONNAIRE = load_dict(
    {
        "id": "q",
        "version": "1",
        "language": "en",
        "title": "Q",
        "sections": [
            {
                "id": "s1",
                "title": "One",
                "questions": [
                    {
                        "id": "age",
                        "type": "single",
                        "text": "Age?",
                        "options": [{"code": "over_65", "label": "65 or over"}],
                    },
                    {"id": "concerns", "type": "text", "text": "Concerns?"},
                ],
            },
            {
                "id": "s2",
                "title": "Two",
                "questions": [{"id": "closing", "type": "text", "text": "Anything else?"}],
            },
        ],
    }
)


def test_free_text_questions_and_answers() -> None:
    assert free_text_questions(QUESTIONNAIRE) == ["concerns", "closing"]
    responses = [
        {
            "id": 1,
            "status": "complete",
            "answers": {"age": "over_65", "concerns": "Burglary", "closing": "  "},
        },
        {"id": 2, "status": "in_progress", "answers": {"concerns": "Speeding"}},
        {"id": 3, "status": "complete", "answers": {"concerns": "Parking", "closing": "thanks"}},
        {"id": 4, "status": "complete", "answers": {}},
    ]
    assert free_text_answers(responses, QUESTIONNAIRE) == [(1, "Burglary"), (3, "Parking"), (3, "thanks")]
    assert free_text_answers(
        responses, QUESTIONNAIRE, question_ids=["concerns"], include_incomplete=True
    ) == [
        (1, "Burglary"),
        (2, "Speeding"),
        (3, "Parking"),
    ]


def test_codebook_for_a_questionnaire(tmp_path: Path) -> None:
    assert codebook_for("safermk-2016").id == "community-safety"  # named in the shipped codebook
    assert codebook_for("unknown-survey").id == "community-safety"  # the default
    own = {
        "id": "tenant-codebook",
        "version": "1.0.0",
        "questionnaires": ["tenant-satisfaction"],
        "themes": [{"id": "repairs", "label": "Repairs", "keywords": ["repairs"]}],
    }
    (tmp_path / "tenant.json").write_text(json.dumps(own), encoding="utf-8")
    assert codebook_for("tenant-satisfaction", [tmp_path]).id == "tenant-codebook"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(CodebookError, match="broken.json"):
        codebook_for("tenant-satisfaction", [tmp_path])
