"""Free-text themes per question: tagged with the codebook, quotes redacted, emerging themes, word cloud."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from analysis.report.appendix import numbering
from analysis.report.model import Emerging, ThemeBlock, ThemeRow
from analysis.text import (
    Codebook,
    free_text_answers,
    free_text_questions,
    redact,
    suggest_themes,
    summarise,
    tag_answers,
    term_frequencies,
    untagged,
)
from analysis.text.handcodes import count_themes, with_staff_codes
from survey.engine import Questionnaire
from survey.engine.text import localise

SAMPLE_LIMIT = 4000  # discovery and the word cloud read at most this many answers (a seeded sample)


def theme_blocks(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    codebook: Codebook,
    min_cell: int,
    *,
    hand_codes: Mapping[str, Mapping[Any, Sequence[str]]] | None = None,
    cloud_themes: dict[str, list[tuple[str, ...]]] | None = None,
    cloud_terms: dict[str, Counter[str]] | None = None,
) -> tuple[tuple[ThemeBlock, ...], dict[str, list[str]]]:
    """One block per text question, plus the (sampled) texts for each question's word cloud.

    hand_codes: question id -> {response id: staff's theme ids}; a staff code replaces the model's tags.
    cloud_themes: when given, filled with each cloud text's themes (staff's or the model's), in the order of
    the texts, so partner and public outputs can leave out answers about sensitive themes without tagging
    them again. cloud_terms: when given, filled with each cloud's term frequencies (its top terms), so the
    word cloud is not counted again.
    """
    lang = questionnaire.language
    numbers = numbering(questionnaire)
    blocks = []
    cloud_texts: dict[str, list[str]] = {}
    for qid in free_text_questions(questionnaire):
        question = questionnaire.question(qid)
        answers = free_text_answers(responses, questionnaire, question_ids=[qid])
        tagged = tag_answers(answers, codebook)
        codes = dict((hand_codes or {}).get(qid, {}))
        sources = None
        if codes:
            sources = count_themes(
                [t.response_id for t in tagged],
                {t.response_id: t.theme_ids for t in tagged},
                codes,
                codebook.theme_ids,
            )
            tagged = with_staff_codes(tagged, codes)
        # The staff/model split is shown only when neither part is a small cell (1 to min_cell - 1).
        by_source = {
            c.theme_id: c
            for c in (sources.themes if sources else ())
            if not any(0 < n < min_cell for n in (c.staff, c.model))
        }
        summary = summarise(tagged, codebook, min_cell=min_cell, quotes=3, tone=False)
        sample = answers
        if len(answers) > SAMPLE_LIMIT:
            sample = random.Random(2016).sample(answers, SAMPLE_LIMIT)
        left = [(t.response_id, t.text) for t in untagged(tagged)]
        if len(left) > SAMPLE_LIMIT:
            left = random.Random(2016).sample(left, SAMPLE_LIMIT)
        suggestions = suggest_themes(left, min_size=max(5, min_cell), max_themes=6) if left else ()
        texts = [t for _, t in sample]
        cloud_texts[qid] = texts
        terms = term_frequencies(texts) if texts else Counter()
        if cloud_terms is not None and texts:
            cloud_terms[qid] = terms
        if cloud_themes is not None:
            themes_of = {t.response_id: t.theme_ids for t in tagged}
            cloud_themes[qid] = [tuple(themes_of.get(rid, ())) for rid, _ in sample]
        rows = tuple(
            ThemeRow(
                id=t.theme_id,
                label=t.label,
                respondents=t.respondents,
                share=t.share,
                quotes=t.quotes if t.respondents >= min_cell else (),
                staff=by_source[t.theme_id].staff if t.theme_id in by_source else None,
                model=by_source[t.theme_id].model if t.theme_id in by_source else None,
            )
            for t in summary.themes
        )
        blocks.append(
            ThemeBlock(
                question=qid,
                number=numbers.get(qid, ""),
                text=localise(question.text, lang),
                answered=summary.respondents,
                untagged=summary.untagged,
                themes=rows,
                emerging=tuple(
                    Emerging(s.label, s.size, tuple(s.key_terms), tuple(redact(e) for e in s.examples))
                    for s in suggestions
                    if s.duplicate_of is None and s.size >= min_cell
                ),
                top_terms=tuple(terms.most_common(20)) if texts else (),
                sampled=len(sample) if len(sample) < len(answers) else None,
                hand_coded=sources.staff_answers if sources else 0,
            )
        )
    return tuple(blocks), cloud_texts
