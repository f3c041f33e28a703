"""The questionnaire engine: load, validate and navigate questionnaire definitions (no Flask, no database)."""

from __future__ import annotations

from survey.engine.answers import (
    AnswerError,
    check_answer,
    check_page,
    check_stored,
    form_data_for,
    is_required,
    item_field,
    other_field,
    shown_options,
)
from survey.engine.conditions import (
    comparisons,
    condition_json,
    conjuncts,
    evaluate,
    parse_condition,
    questions_in,
)
from survey.engine.errors import CATALOGUE, DefinitionError, ErrorCode, Problem, ValidationResult
from survey.engine.loader import demographic_mapping, load_dict, load_file, validate_dict, validate_file
from survey.engine.model import (
    Compare,
    DemographicMapping,
    Option,
    Question,
    Questionnaire,
    RatingItem,
    Section,
)
from survey.engine.navigation import (
    answer_in_order,
    first_page,
    is_complete,
    next_page,
    previous_page,
    prune_answers,
    screened_out,
    unanswered_required,
    visible_questions,
    walk,
)
from survey.engine.paths import BranchPoint, PathReport, analyse_paths
from survey.engine.piping import answer_words, pipe
from survey.engine.semantic_more import ReferenceCatalogue
from survey.engine.text import Text

__all__ = [
    "AnswerError",
    "BranchPoint",
    "CATALOGUE",
    "Compare",
    "DefinitionError",
    "DemographicMapping",
    "ErrorCode",
    "Option",
    "PathReport",
    "Problem",
    "Question",
    "Questionnaire",
    "RatingItem",
    "ReferenceCatalogue",
    "Section",
    "Text",
    "ValidationResult",
    "analyse_paths",
    "answer_in_order",
    "answer_words",
    "check_answer",
    "check_page",
    "check_stored",
    "comparisons",
    "condition_json",
    "conjuncts",
    "demographic_mapping",
    "evaluate",
    "first_page",
    "form_data_for",
    "is_complete",
    "is_required",
    "item_field",
    "load_dict",
    "load_file",
    "next_page",
    "other_field",
    "parse_condition",
    "pipe",
    "previous_page",
    "prune_answers",
    "questions_in",
    "screened_out",
    "shown_options",
    "unanswered_required",
    "validate_dict",
    "validate_file",
    "visible_questions",
    "walk",
]
