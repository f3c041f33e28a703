"""From stored responses and questionnaires to the plain inputs of the theme pipeline; codebook lookup."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from analysis.text.codebook import Codebook, codebook_from_dict, default_codebook, load_codebook
from analysis.text.tagging import ResponseId
from survey.engine import Questionnaire


def free_text_questions(questionnaire: Questionnaire) -> list[str]:
    """Ids of the free-text (`"type": "text"`) questions of a questionnaire, in order."""
    return [question.id for question in questionnaire.questions if question.type == "text"]


def free_text_answers(
    responses: Iterable[Mapping[str, Any]],
    questionnaire: Questionnaire,
    *,
    question_ids: Sequence[str] | None = None,
    include_incomplete: bool = False,
) -> list[tuple[ResponseId, str]]:
    """(response id, text) for every non-blank free-text answer (responses as repository dicts)."""
    wanted = list(question_ids) if question_ids is not None else free_text_questions(questionnaire)
    out: list[tuple[ResponseId, str]] = []
    for response in responses:
        if not include_incomplete and response.get("status", "complete") != "complete":
            continue
        answers = response.get("answers") or {}
        for qid in wanted:
            value = answers.get(qid)
            if isinstance(value, str) and value.strip():
                out.append((response["id"], value))
    return out


def codebook_for(questionnaire_id: str, folders: Sequence[str | Path] = ()) -> Codebook:
    """The codebook for a questionnaire: from `folders` (e.g. instance/codebooks) first, then shipped ones.

    A codebook serves a questionnaire when its `id` equals the questionnaire id or its `questionnaires`
    list names it; with none, the default community-safety codebook. Invalid files raise CodebookError.
    """
    for folder in folders:
        for path in sorted(Path(folder).glob("*.json")):
            codebook = load_codebook(path)
            if questionnaire_id == codebook.id or questionnaire_id in codebook.questionnaires:
                return codebook
    shipped = resources.files("analysis").joinpath("codebooks")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            codebook = codebook_from_dict(
                json.loads(entry.read_text(encoding="utf-8")), f"codebooks/{entry.name}"
            )
            if questionnaire_id == codebook.id or questionnaire_id in codebook.questionnaires:
                return codebook
    return default_codebook()
