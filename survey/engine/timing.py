"""The completion-time model: reading at 200 words a minute plus time to answer each kind of question.

Per page: the words on it (question, hint, option labels, rating items, info body) read at READING_WPM,
plus PAGE_SECONDS to take in the page and press Continue, plus the answering time for its type:
CHOICE_SECONDS and SECONDS_PER_OPTION for choices, ANSWER_SECONDS_PER_ITEM per rating item, NUMBER_SECONDS
for a number and, for free text, TYPED_WORDS typed at TYPING_WPM. A section's title and introduction are
read once, with its first page. The shortest time assumes optional questions are skipped (the page is
still read); the longest assumes every question shown is answered.
"""

from __future__ import annotations

from survey.engine.model import Question, Section
from survey.engine.text import word_count

READING_WPM = 200
TYPING_WPM = 30
TYPED_WORDS = 25
PAGE_SECONDS = 4.0
CHOICE_SECONDS = 2.0
SECONDS_PER_OPTION = 0.5
ANSWER_SECONDS_PER_ITEM = 3.0
NUMBER_SECONDS = 5.0


def _reading(words: int) -> float:
    return words * 60.0 / READING_WPM


def page_seconds(question: Question, *, answering: bool = True) -> float:
    """Estimated seconds a respondent spends on one page (`answering=False`: read it and skip)."""
    words = sum(word_count(t) for t in (question.text, question.hint, question.body, question.suffix))
    words += sum(word_count(o.label) + word_count(o.hint) for o in question.options)
    words += sum(word_count(i.text) for i in question.items)
    answer_seconds = {
        "single": CHOICE_SECONDS + SECONDS_PER_OPTION * len(question.options),
        "multiple": CHOICE_SECONDS + SECONDS_PER_OPTION * len(question.options),
        "rating": ANSWER_SECONDS_PER_ITEM * len(question.items),
        "number": NUMBER_SECONDS,
        "text": TYPED_WORDS * 60.0 / TYPING_WPM,
    }.get(question.type, 0.0)
    return PAGE_SECONDS + _reading(words) + (answer_seconds if answering else 0.0)


def section_seconds(section: Section) -> float:
    """Estimated seconds to read a section's title and introduction."""
    return _reading(word_count(section.title) + word_count(section.intro))
