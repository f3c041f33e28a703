"""A question page's GOV.UK fields, rendered once and kept (per process) for the next resident.

Rendering the GOV.UK macros (radios, checkboxes, labels, hints) was about half of a question page's
server time, and the same page looks the same for everyone who has not answered it yet. The fields
depend only on the questionnaire version (immutable once published), the question, the language, the
caption and the values shown; so they are cached under exactly those, in a bounded LRU per app.

Never cached: a page showing errors (it echoes what was typed), and text or number fields holding a
value (a resident's own words are not kept in memory beyond their request). Choice values in the key
are option codes from the definition (a GET shows stored answers, which were checked against it).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

from flask import current_app, render_template
from markupsafe import Markup

from survey.engine import Question
from survey.engine.answers import AnswerError
from survey.respond.forms import question_fields
from survey.respond.journey import Journey

CACHE_KEY = "survey_field_fragments"
LIMIT = 2048  # entries (a few KB each): every page of several questionnaires in two languages, and then some
CHOICE_TYPES = frozenset({"single", "multiple", "rating"})
_lock = threading.Lock()  # gthread workers share one cache between threads


def cache_key(journey: Journey, question: Question, data: Mapping[str, Sequence[str]],
              errors: Sequence[AnswerError], caption: str) -> Hashable | None:
    """What the rendered fields depend on, or None when they must not be cached."""
    if errors:
        return None
    shown = tuple(sorted((name, tuple(values)) for name, values in data.items() if any(values)))
    if shown and question.type not in CHOICE_TYPES and question.asks:
        return None
    return (journey.q.id, journey.q.version, question.id, journey.lang, caption, shown)


def _cache() -> OrderedDict[Hashable, Markup]:
    cache: OrderedDict[Hashable, Markup] = current_app.extensions.setdefault(CACHE_KEY, OrderedDict())
    return cache


def fields_html(journey: Journey, question: Question, data: Mapping[str, Sequence[str]],
                errors: Sequence[AnswerError], caption: str) -> Markup:
    """The page's fields (respond/_question_fields.html), from the cache when the same page was shown."""
    key = cache_key(journey, question, data, errors, caption)
    cache = _cache()
    if key is not None:
        with _lock:
            found = cache.get(key)
            if found is not None:
                cache.move_to_end(key)
                return found
    kind, params = question_fields(journey, question, data, errors, caption)
    html = Markup(render_template("respond/_question_fields.html", j=journey, lang=journey.lang,
                                  question=question, kind=kind, params=params))
    if key is not None:
        with _lock:
            cache[key] = html
            while len(cache) > LIMIT:
                cache.popitem(last=False)
    return html
