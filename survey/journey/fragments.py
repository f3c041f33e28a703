"""A question page rendered once and kept (per process) for the next resident: its fields and its shell.

Rendering the GOV.UK macros (radios, checkboxes, labels, hints) was about half of a question page's
server time, and the same page looks the same for everyone who has not answered it yet. The fields
depend only on the questionnaire version (immutable once published), the question, the language, the
caption and the values shown; so they are cached under exactly those, in a bounded LRU per app.
The rest of the page (layout, title, back link, language links, buttons) is kept too, as a *shell* with
two holes, the CSRF token and the fields, filled in for each request.

Never cached: a page showing errors (it echoes what was typed), and text or number fields holding a
value (a resident's own words are not kept in memory beyond their request). Choice values in the key
are option codes from the definition (a GET shows stored answers, which were checked against it).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

from flask import render_template
from markupsafe import Markup

from survey.engine import Question, shown_options
from survey.engine.answers import OTHER_PREFIX, AnswerError
from survey.engine.piping import piped_ids
from survey.journey.forms import question_fields
from survey.journey.runner import Journey
from survey.web.lru import app_lru

CACHE_KEY = "survey_field_fragments"
SHELLS_KEY = "survey_page_shells"
PAGES_KEY = "survey_kept_pages"  # whole pages with no holes (kept_page)
LIMIT = 2048  # entries (a few KB each): every page of several questionnaires in two languages, and then some
CHOICE_TYPES = frozenset({"single", "multiple", "rating", "grid", "ranking", "consent"})
# Holes in a kept page: text from a questionnaire or a resident is escaped, so "<" only comes from here.
CSRF_HOLE = Markup("<survey-hole:csrf>")
FIELDS_HOLE = Markup("<survey-hole:fields>")


def cache_key(
    journey: Journey,
    question: Question,
    data: Mapping[str, Sequence[str]],
    errors: Sequence[AnswerError],
    caption: str,
) -> Hashable | None:
    """What the rendered fields depend on, or None when they must not be cached."""
    if errors or pipes_answers(question):
        return None
    shown = tuple(sorted((name, tuple(values)) for name, values in data.items() if any(values)))
    if shown and question.type not in CHOICE_TYPES and question.asks:
        return None
    if any(name.startswith(OTHER_PREFIX) for name, _ in shown):
        return None  # the words typed for an "other" option
    offered = tuple(o.code for o in shown_options(question, journey.answers)) if question.options else ()
    return (journey.q.id, journey.q.version, question.id, journey.lang, caption, shown, offered)


def pipes_answers(question: Question) -> bool:
    """True when the page shows earlier answers ({{question_id}}): never kept, it may hold typed words."""
    return any(True for key in ("text", "hint", "body") for _ in piped_ids(getattr(question, key)))


def fields_html(
    journey: Journey,
    question: Question,
    data: Mapping[str, Sequence[str]],
    errors: Sequence[AnswerError],
    caption: str,
) -> Markup:
    """The page's fields (respond/_question_fields.html), from the cache when the same page was shown."""
    key = cache_key(journey, question, data, errors, caption)
    cache = app_lru(CACHE_KEY, LIMIT)
    if key is not None and (found := cache.get(key)) is not None:
        kept: Markup = found
        return kept
    kind, params = question_fields(journey, question, data, errors, caption)
    html = Markup(
        render_template(
            "respond/_question_fields.html",
            j=journey,
            lang=journey.lang,
            question=question,
            kind=kind,
            params=params,
        )
    )
    if key is not None:
        cache.put(key, html)
    return html


def page_html(shell_key: Hashable | None, csrf: str, fields: Markup, render: Callable[..., str]) -> str:
    """A page rendered by `render(csrf=..., fields=...)`, its shell kept under `shell_key` (None: not kept).

    The shell is rendered with holes where the CSRF token and the fields go, and filled for each request.
    """
    if shell_key is None:
        return render(csrf=csrf, fields=fields)
    shells = app_lru(SHELLS_KEY, LIMIT)
    shell: str | None = shells.get(shell_key)
    if shell is None:
        shell = render(csrf=CSRF_HOLE, fields=FIELDS_HOLE)
        shells.put(shell_key, shell)
    return shell.replace(CSRF_HOLE, Markup.escape(csrf), 1).replace(FIELDS_HOLE, fields, 1)


def kept_page(key: Hashable, render: Callable[[], str]) -> str:
    """A page with no form and nothing a resident typed, the same for everyone under `key`: rendered once.

    `key` names everything the page shows (questionnaire version, language, address) and starts with the
    page's name; kept apart from the question pages' shells (those always have holes).
    """
    pages = app_lru(PAGES_KEY, LIMIT)
    html: str | None = pages.get(key)
    if html is None:
        html = render()
        pages.put(key, html)
    return html
