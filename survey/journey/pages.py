"""What the start page and the check-your-answers page show, worked out from the definition."""

from __future__ import annotations

import math
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from survey.engine import PathReport, Question, analyse_paths, answer_words, pipe
from survey.engine.model import DONT_KNOW, OTHER_SUFFIX
from survey.engine.text import language_shown
from survey.journey.runner import Journey
from survey.web.i18n import format_date, translate

PATHS_CACHE = "survey_path_reports"


def path_report(journey: Journey) -> PathReport:
    """The questionnaire's path analysis (cached per id and version: it does not change)."""
    cache: dict[tuple[str, str], PathReport] = current_app.extensions.setdefault(PATHS_CACHE, {})
    key = (journey.q.id, journey.q.version)
    if key not in cache:
        cache[key] = analyse_paths(journey.q)
    return cache[key]


def start_page_facts(journey: Journey) -> dict[str, Any]:
    """Owner, purpose, time it takes, privacy and closing date, in the journey's language."""
    lang = journey.lang
    report = path_report(journey)
    low, high = max(1, math.ceil(report.min_minutes)), max(1, math.ceil(report.max_minutes))
    if low == high:
        how_long = translate("how_long_one", lang, max=high)
    else:
        how_long = translate("how_long_range", lang, min=low, max=high)
    owner = journey.q.owner
    closes = translate("closes_on", lang, date=format_date(journey.closes, lang)) if journey.closes else ""
    return {
        "owner": owner,
        "description": journey.text(journey.q.description) if journey.q.description else "",
        # the language of the description and privacy paragraphs when it is not the page's (lang="en")
        "description_lang": _fallback(journey, journey.q.description),
        "privacy_lang": _fallback(journey, journey.q.privacy) if journey.q.privacy else None,
        "how_long": how_long,
        "privacy": journey.text(journey.q.privacy)
        if journey.q.privacy
        else translate("privacy_default", lang),
        "closes": closes,
        # a postcode question keeps only the outward code: the privacy notice says so in every language
        "postcode_note": translate("postcode_kept", lang)
        if any(x.type == "postcode" for x in journey.q.questions)
        else "",
    }


def _fallback(journey: Journey, value: Any) -> str | None:
    """The language `value` is shown in when that is not the journey's, else None."""
    shown = language_shown(value, journey.lang, journey.q.language)
    return None if shown == journey.lang else shown


def _display(journey: Journey, question: Question, value: Any) -> Markup:
    """An answer as the resident would read it (labels, not codes), escaped."""
    match question.type:
        case "single" | "multiple":  # labels, and the words of an "other, please specify" option
            codes = value if isinstance(value, list) else [value]
            return Markup("<br>").join(_option_words(journey, question, code) for code in codes)
        case "rating":
            lines = []
            for item in question.items:
                option = question.option(str((value or {}).get(item.id, "")))
                shown = journey.html(option.label) if option else translate("not_answered", journey.lang)
                lines.append(Markup("{}: {}").format(journey.html(item.text), shown))
            return Markup("<br>").join(lines)
        case "number" if question.dont_know is None:  # the unit marked with its language when it falls back
            if question.suffix:
                return Markup("{} {}").format(value, journey.html(question.suffix))
            return escape(value)
        case "text":
            return Markup("<br>").join(escape(line) for line in str(value).split("\n"))
        case _:  # the newer types: option labels, numbers and dates as the language writes them
            words = answer_words(question, value, journey.lang, journey.answers)
            if question.suffix and question.type in ("number", "decimal") and value != DONT_KNOW:
                unit = journey.html(question.suffix)
                return Markup("<br>").join(Markup("{} {}").format(line, unit) for line in words)
            return Markup("<br>").join(escape(line) for line in words)


def _option_words(journey: Journey, question: Question, code: Any) -> Markup:
    """A chosen option's label, marked with its language when it falls back (a label written only in
    English on an Urdu page: WCAG 3.1.2), and the resident's own words of an "other" option."""
    option = question.option(str(code))
    if option is None:
        return escape(str(code))
    label = journey.html(option.label)
    words = journey.answers.get(question.id + OTHER_SUFFIX) if option.other else None
    return Markup("{}: {}").format(label, words) if words else label


def answer_rows(journey: Journey) -> list[dict[str, Any]]:
    """Summary-list rows per visible section: question, answer, change link."""
    sections: dict[str, dict[str, Any]] = {}
    for question in journey.visible():
        if not question.asks:
            continue
        section = journey.q.section_of(question.id)
        entry = sections.setdefault(section.id, {"title": journey.html(section.title), "rows": []})
        value = journey.answers.get(question.id)
        shown = (
            translate("not_answered", journey.lang) if value is None else _display(journey, question, value)
        )
        text = pipe(journey.q, journey.text(question.text), journey.answers, journey.lang)
        entry["rows"].append(
            {
                "key": {"html": journey.html(question.text, text)},
                "value": {"html": shown if isinstance(shown, Markup) else escape(shown)},
                "actions": {
                    "items": [
                        {
                            "href": journey.page_url(question.id, change=1),
                            "text": translate("change", journey.lang),
                            "visuallyHiddenText": journey.html(question.text, text),  # its lang too
                        }
                    ]
                },
            }
        )
    return list(sections.values())
