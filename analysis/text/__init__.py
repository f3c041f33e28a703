"""Themes in free-text answers: codebooks, tagging, discovery, learning from coding, outputs, evaluation.

Pure Python (no Flask, SQLModel or `survey` beyond the pure engine's typed Questionnaire), offline (no
downloads: NLTK's data-free tokeniser and Snowball stemmer, scikit-learn's stopwords plus analysis/text/data/,
VADER's lexicon from the vaderSentiment package).
Inputs are plain: answers are `(response_id, text)` pairs; groups are `{response_id: {"age": "18-34", ...}}`.
Outputs are frozen dataclasses.

Codebooks (analysis/codebooks/*.json; format in docs/themes.md)
    load_codebook(path) -> Codebook       raises CodebookError(.problems: Problem(path, message, file))
    validate_codebook_dict(data, file="") -> list[Problem]; codebook_from_dict(data) -> Codebook
    save_codebook(codebook, path)                  validated, atomic write
    default_codebook() -> Codebook                 the shipped community-safety codebook
    codebook_from_descriptions(id, [{"id", "label", "description"}]) -> Codebook   a starter codebook
    Codebook(id, version, themes: tuple[Theme]) ; Theme(id, label, description, keywords, exact_keywords,
        phrases, negation_exempt, negatable, examples); with_theme(codebook, theme) -> new version
    without_theme(codebook, theme_id) -> new major version

Inputs (from repository.responses_for_report dicts and the engine's Questionnaire q)
    free_text_answers(responses, q, question_ids=None) -> [(response_id, text)]   complete ones only
    free_text_questions(q) -> ids of "type": "text" questions
    codebook_for(questionnaire_id, folders=(instance_codebooks,)) -> Codebook   (default if none serves it)

Tagging
    tag_answers(answers, codebook, min_confidence=0.5) -> list[TaggedAnswer]
    Tagger(codebook).tag(text, response_id) -> TaggedAnswer(response_id, text, themes: tuple[ThemeMatch],
        negated: tuple[theme id]) ; ThemeMatch(theme_id, confidence 0-1, terms) ; .untagged, .theme_ids
    untagged(tagged) -> the answers no theme covers

Discovery (emerging themes among untagged answers)
    suggest_themes(answers, min_size=5, max_themes=10, duplicate_threshold=0.2) -> tuple[Suggestion]
        Suggestion(id, label, key_terms, examples (redacted), size, response_ids, duplicate_of, similarity)
    accept_suggestion(codebook, s, theme_id=None, label=None, into=None) -> Codebook (new version)
    rename_suggestion(s, label) ; merge_suggestions(a, b) ; reject_suggestion(suggestions, id)

Learning from staff coding
    train(texts, labels, codebook=None) -> ThemeModel (.predict(texts), .predict_proba(texts))
    suggest_tags(model, answers) -> list[TaggedAnswer] (confidence = calibrated probability)
    learn_from_coding(answers, {response_id: [theme ids]}, codebook=None) -> CodingSuggestions(
        suggestions: tuple[TaggedAnswer] for the uncoded answers, agreement: Agreement | None)
    cross_validate(texts, labels, codebook=None, folds=5) -> Agreement(answers, folds, micro_f1, macro_f1,
        per_theme: ((theme id, F1, support), ...))

Outputs
    summarise(tagged, codebook, groups=None, min_cell=10, quotes=3, tone=True) -> ThemeSummary(codebook_id,
        codebook_version, respondents, untagged, themes: tuple[ThemeResult(theme_id, label, respondents,
        share, quotes, tone: ToneSummary, by_group: tuple[GroupCell], negated_mentions)], min_cell)
    compare_summaries(interim, final) -> tuple[ThemeChange(theme_id, label, before_*, after_*, change_points,
        significant)]
    redact(text) -> text with [name] [phone] [email] [postcode] [number] [registration]
    word_cloud_png(texts, random_state=2016) -> PNG bytes ; term_frequencies(texts) -> Counter
    summarise_tone(texts) -> ToneSummary(answers, mean, negative, neutral, positive) ; answer_tone(text)

Evaluation
    read_labelled_csv(path) -> LabelledSet(texts, labels)   raises LabelledCsvError("file, line N: ...")
    evaluate(test, train_set=None, codebook=None) -> EvaluationReport ; format_report(report) -> str
    scores(gold, predicted) -> Scores(micro_f1, macro_f1, samples_f1, per_theme: tuple[ThemeScore])
"""

from __future__ import annotations

from analysis.text.cloud import term_frequencies, word_cloud_png
from analysis.text.codebook import (
    Codebook,
    CodebookError,
    Problem,
    Theme,
    codebook_from_descriptions,
    codebook_from_dict,
    codebook_to_dict,
    default_codebook,
    load_codebook,
    save_codebook,
    validate_codebook_dict,
    with_theme,
    without_theme,
)
from analysis.text.discovery import (
    Suggestion,
    accept_suggestion,
    merge_suggestions,
    reject_suggestion,
    rename_suggestion,
    suggest_themes,
)
from analysis.text.evaluation import (
    EvaluationReport,
    LabelledCsvError,
    LabelledSet,
    Scores,
    ThemeScore,
    evaluate,
    format_report,
    read_labelled_csv,
    scores,
)
from analysis.text.inputs import codebook_for, free_text_answers, free_text_questions
from analysis.text.learning import (
    Agreement,
    CodingSuggestions,
    ThemeModel,
    cross_validate,
    learn_from_coding,
    suggest_tags,
    train,
)
from analysis.text.redaction import redact
from analysis.text.summary import (
    GroupCell,
    ThemeChange,
    ThemeResult,
    ThemeSummary,
    compare_summaries,
    summarise,
)
from analysis.text.tagging import TaggedAnswer, Tagger, ThemeMatch, tag_answers, untagged
from analysis.text.tone import ToneSummary, answer_tone, summarise_tone

__all__ = [
    "Agreement",
    "codebook_for",
    "free_text_answers",
    "free_text_questions",
    "CodingSuggestions",
    "learn_from_coding",
    "without_theme",
    "Codebook",
    "CodebookError",
    "EvaluationReport",
    "GroupCell",
    "LabelledCsvError",
    "LabelledSet",
    "Problem",
    "Scores",
    "Suggestion",
    "TaggedAnswer",
    "Tagger",
    "Theme",
    "ThemeChange",
    "ThemeMatch",
    "ThemeModel",
    "ThemeResult",
    "ThemeScore",
    "ThemeSummary",
    "ToneSummary",
    "accept_suggestion",
    "answer_tone",
    "codebook_from_descriptions",
    "codebook_from_dict",
    "codebook_to_dict",
    "compare_summaries",
    "cross_validate",
    "default_codebook",
    "evaluate",
    "format_report",
    "load_codebook",
    "merge_suggestions",
    "read_labelled_csv",
    "redact",
    "reject_suggestion",
    "rename_suggestion",
    "save_codebook",
    "scores",
    "suggest_tags",
    "suggest_themes",
    "summarise",
    "summarise_tone",
    "tag_answers",
    "term_frequencies",
    "train",
    "untagged",
    "validate_codebook_dict",
    "with_theme",
    "word_cloud_png",
]
