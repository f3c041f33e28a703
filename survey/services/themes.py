"""Hand codes are the truth: the rules the staff pages, the command line and jobs share about theme counts.

A staff code counts where an answer has one and the model's tag everywhere else (analysis.text.handcodes).
`hand_codes` reads the staff's codes of a questionnaire; `question_counts` counts one question's themes by
source with the codebook tagger's agreement with staff on the answers they coded; `export_with_themes` adds
theme columns (with their source) to a responses export; `coding_state` drives the coding page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from analysis.export import ExportTable
from analysis.export.themes import with_theme_columns
from analysis.text import Codebook, free_text_answers, free_text_questions, tag_answers
from analysis.text.active import TARGET_AGREEMENT, ThemeProgress, ToCode, next_to_code, progress_of
from analysis.text.evaluation import ThemeScore, scores
from analysis.text.handcodes import HandCodeCounts, count_themes, resolve
from analysis.text.learning import (
    Agreement,
    CodingSuggestions,
    LearnedCoding,
    ThemeModel,
    cross_validate,
    learn_coding,
    representation,
    suggestions_from,
)
from analysis.text.tagging import ResponseId
from survey.engine import Questionnaire
from survey.store import repository, repository_themes
from survey.store.db import Session

HandCodes = dict[str, dict[int, list[str]]]
CACHED = 8  # results kept per process (pure functions of their inputs: never stale)
# Learned models kept per process, shared by the coding page and the suggestions page: each holds the feature
# rows of its answers (a few tens of MB at 2,000 answers), hence fewer than CACHED.
CACHED_MODELS = 4
FOLDS = 5  # the cross-validation of the agreement (as learn_coding's default)
Answers = tuple[tuple[ResponseId, str], ...]
Coded = tuple[tuple[int, tuple[str, ...]], ...]


def hand_codes(*, session: Session, questionnaire_id: str) -> HandCodes:
    """Question id -> response id -> the staff's theme ids (an empty list: staff said no theme applies)."""
    return repository_themes.manual_codes_by_question(session=session, questionnaire_id=questionnaire_id)


def question_answers(
    *, session: Session, questionnaire_id: str, questionnaire: Questionnaire, question_id: str
) -> list[tuple[int, str]]:
    """(response id, text) of every complete response's answer to a free-text question, by response id:
    the answers the coding pages show and the coding progress job learns from."""
    responses = repository.responses_for_report(session=session, questionnaire_id=questionnaire_id)
    found = free_text_answers(responses, questionnaire, question_ids=[question_id])
    return sorted((int(rid), text) for rid, text in found)


def _coded(
    answers: Sequence[tuple[ResponseId, str]], codes: Mapping[int, Sequence[str]]
) -> tuple[list[str], list[list[str]]]:
    done = [(rid, text) for rid, text in answers if rid in codes]
    return [text for _, text in done], [list(codes[int(rid)]) for rid, _ in done]


def agreement_scores(
    answers: Sequence[tuple[ResponseId, str]], codes: Mapping[int, Sequence[str]], codebook: Codebook
) -> tuple[ThemeScore, ...]:
    """Per theme, how the tags counted for answers staff did not code agree with the staff on the answers
    they did code: the codebook tagger's precision, recall and F1 against the staff's codes (the themes
    table and reports count the tagger's tags; a learned model's cross-validated agreement would describe
    other tags). Not cross-validated: the tagger does not learn from the codes."""
    coded = [(rid, text) for rid, text in answers if rid in codes]
    if not coded:
        return ()
    tags = {t.response_id: t.theme_ids for t in tag_answers(coded, codebook)}
    return scores([codes[int(rid)] for rid, _ in coded], [tags[rid] for rid, _ in coded]).per_theme


def question_counts(
    answers: Sequence[tuple[ResponseId, str]], codes: Mapping[int, Sequence[str]], codebook: Codebook
) -> HandCodeCounts:
    """Respondents per theme of one question: staff codes over model tags, with the model's agreement."""
    tags = {t.response_id: t.theme_ids for t in tag_answers(list(answers), codebook)}
    staff = {rid: codes[int(rid)] for rid, _ in answers if rid in codes}
    return count_themes(
        [rid for rid, _ in answers],
        tags,
        staff,
        codebook.theme_ids,
        agreement_scores(answers, codes, codebook),
    )


def export_with_themes(
    table: ExportTable,
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    codebook: Codebook,
    codes: Mapping[str, Mapping[int, Sequence[str]]],
) -> ExportTable:
    """The export with theme columns per free-text question and a source column (staff / model)."""
    for question_id in free_text_questions(questionnaire):
        answers = free_text_answers(responses, questionnaire, question_ids=[question_id])
        tags = {t.response_id: t.theme_ids for t in tag_answers(answers, codebook)}
        staff = codes.get(question_id, {})
        resolved = resolve(
            [rid for rid, _ in answers], tags, {rid: staff[int(rid)] for rid, _ in answers if rid in staff}
        )
        table = with_theme_columns(table, question_id, resolved, codebook)
    return table


@dataclass(frozen=True)
class Coding:
    """What the coding page shows besides the answers: what to code next. Each theme's progress (the
    cross-validated agreement) is worked out by a background job (survey.services.coding_progress)."""

    next_up: tuple[ToCode, ...]
    target: float


def _keys(
    answers: Sequence[tuple[ResponseId, str]], codes: Mapping[int, Sequence[str]]
) -> tuple[Answers, Coded]:
    keyed = tuple((rid, text) for rid, text in answers)
    coded = tuple((int(rid), tuple(codes[int(rid)])) for rid, _ in answers if rid in codes)
    return keyed, coded


@lru_cache(maxsize=CACHED_MODELS)
def _learned(answers: Answers, coded: Coded, codebook: Codebook) -> LearnedCoding:
    """The model learned from the staff's codes (coded must be non-empty), without its cross-validated
    agreement (`_agreement`: the coding page has it worked out in the background).

    One per answers, codes and codebook, shared by the coding and suggestions pages: coding one more answer
    (or changing a code, an answer or the codebook) is another key, so a cached model is never stale."""
    codes: dict[ResponseId, Sequence[str]] = dict(coded)
    features = _representation(tuple(sorted(text for _, text in answers)), codebook)
    return learn_coding(answers, codes, codebook=codebook, representation_of=features, folds=0)


@lru_cache(maxsize=CACHED_MODELS)
def _representation(texts: tuple[str, ...], codebook: Codebook) -> ThemeModel:
    """The answers' features (vocabulary, latent dimensions, each answer's rows): they use no codes, so
    they are kept per set of answer texts and codebook and a newly saved code refits only the classifiers
    (about a fifth of a first view's cost at 2,000 answers, more at 10,000; bench/RESULTS.md)."""
    return representation(texts, codebook=codebook)


def agreement(
    answers: Sequence[tuple[ResponseId, str]], codes: Mapping[int, Sequence[str]], codebook: Codebook
) -> Agreement | None:
    """The learner's 5-fold cross-validated agreement with the staff's codes (None below two coded answers):
    what the coding page's progress and the suggestions page's trust are estimated from. Kept per process
    for the same answers, codes and codebook (the background job and the suggestions page share it)."""
    keyed, coded = _keys(answers, codes)
    return _agreement(keyed, coded, codebook)


@lru_cache(maxsize=CACHED)
def _agreement(answers: Answers, coded: Coded, codebook: Codebook) -> Agreement | None:
    if len(coded) < 2:
        return None
    texts, labels = _coded(answers, dict(coded))
    uncoded = [text for rid, text in answers if rid not in dict(coded)]
    return cross_validate(texts, labels, codebook=codebook, folds=FOLDS, uncoded=uncoded)


def coding_suggestions(
    answers: Sequence[tuple[ResponseId, str]],
    codes: Mapping[int, Sequence[str]],
    codebook: Codebook,
    *,
    agreement: Agreement | None = None,
) -> CodingSuggestions:
    """Suggested tags for the answers staff have not coded, and the learner's agreement with their codes.

    `agreement`: the agreement of these answers, codes and codebook when already worked out (the coding
    page's progress job); else it is cross-validated here. Raises ValueError when no answer is coded. Kept
    per process for the same answers, codes and codebook."""
    keyed, coded = _keys(answers, codes)
    if not coded:
        raise ValueError("no answer has been coded by hand yet")
    return _coding_suggestions(keyed, coded, codebook, agreement)


@lru_cache(maxsize=CACHED)
def _coding_suggestions(
    answers: Answers, coded: Coded, codebook: Codebook, agreement: Agreement | None
) -> CodingSuggestions:
    learned = _learned(answers, coded, codebook)
    found = agreement if agreement is not None else _agreement(answers, coded, codebook)
    return suggestions_from(replace(learned, agreement=found))


def coding_state(
    answers: Sequence[tuple[ResponseId, str]],
    codes: Mapping[int, Sequence[str]],
    codebook: Codebook,
    *,
    n: int = 20,
    target: float = TARGET_AGREEMENT,
) -> Coding:
    """The uncoded answers whose coding would teach the model most.

    Kept per process for the same answers, codes, codebook, n and target (a pure function of them); the
    learned model is shared with `coding_suggestions`.
    """
    keyed, coded = _keys(answers, codes)
    return _coding_state(keyed, coded, codebook, n, target)


@lru_cache(maxsize=CACHED)
def _coding_state(answers: Answers, coded: Coded, codebook: Codebook, n: int, target: float) -> Coding:
    if not coded:
        return Coding((), target)
    learned = _learned(answers, coded, codebook)
    next_up = tuple(next_to_code(learned.model, learned.uncoded, n=n)) if learned.uncoded else ()
    return Coding(next_up, target)


def progress(found: Agreement, target: float = TARGET_AGREEMENT) -> tuple[ThemeProgress, ...]:
    """Per theme the staff have coded (in the agreement's scores): precision, recall, F1, target reached."""
    themes = [s.theme_id for s in found.scores if s.support]
    return progress_of(found, [themes], target=target)


def _download_theme_ids(
    *, session: Session, questionnaire_id: str, current: Codebook, uploaded: Codebook
) -> set[str] | None:
    """The theme ids of the codebook version the uploaded file was downloaded as; None when that version
    is not one saved here (nor the one in use)."""
    if uploaded.version == current.version:
        return set(current.theme_ids)
    row = repository_themes.codebook_version(
        session=session, questionnaire_id=questionnaire_id, version=uploaded.version
    )
    if row is None:
        return None
    return {str(t.get("id")) for t in row.definition.get("themes", []) if isinstance(t, dict)}


def themes_dropped_since_download(
    *, session: Session, questionnaire_id: str, current: Codebook, uploaded: Codebook
) -> list[tuple[str, str]]:
    """(id, label) of current themes an upload would drop that were created after the file's version.

    The file's version says which codebook it was downloaded as. Themes missing from the file that its
    version already had were removed on purpose; themes added since would be lost by accident. When the
    file's version is not one saved here (nor the one in use), every missing theme counts as added since.
    """
    missing = [t for t in current.themes if t.id not in uploaded.theme_ids]
    if not missing:
        return []
    base_ids = _download_theme_ids(
        session=session, questionnaire_id=questionnaire_id, current=current, uploaded=uploaded
    )
    return [(t.id, t.label) for t in missing if t.id not in (base_ids or set())]


def themes_restored_since_download(
    *, session: Session, questionnaire_id: str, current: Codebook, uploaded: Codebook
) -> list[tuple[str, str]]:
    """(id, label) of themes an upload would bring back that were removed after the file's version: the
    file's version had them, the codebook in use does not (someone removed them since). A theme the file
    adds that its version did not have is a new theme, not one brought back; when the file's version is
    not saved here nothing can be told and nothing is listed."""
    extra = [t for t in uploaded.themes if t.id not in current.theme_ids]
    if not extra:
        return []
    base_ids = _download_theme_ids(
        session=session, questionnaire_id=questionnaire_id, current=current, uploaded=uploaded
    )
    return [(t.id, t.label) for t in extra if base_ids and t.id in base_ids]
