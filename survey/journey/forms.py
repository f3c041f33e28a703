"""Build the GOV.UK Frontend macro parameters for one question page from the questionnaire definition."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from survey.engine import Question
from survey.engine.answers import FIELD, AnswerError, item_field
from survey.journey.runner import Journey
from survey.web.i18n import translate

NON_ANSWER_KINDS = frozenset({"prefer_not_to_say", "dont_know", "none"})
FormData = Mapping[str, Sequence[str]]


def heading_html(caption: str, text: str) -> Markup:
    """A caption ('Section 2 of 6') inside the page heading, as GOV.UK recommends for legends."""
    return Markup('<span class="govuk-caption-l">{}</span> {}').format(caption, text)


def _error(errors: Sequence[AnswerError], name: str) -> dict[str, str] | None:
    messages = [e for e in errors if e.field == name]
    return {"text": str(messages[0])} if messages else None


def _hint(journey: Journey, question: Question) -> dict[str, str] | None:
    return {"text": journey.text(question.hint)} if question.hint else None


def _choice_items(journey: Journey, question: Question, chosen: Sequence[str],
                  *, checkboxes: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    divided = False
    for option in question.options:
        special = option.kind in NON_ANSWER_KINDS or option.exclusive
        if special and not divided and items:
            items.append({"divider": translate("or", journey.lang)})
            divided = True
        item: dict[str, Any] = {
            "value": option.code,
            "text": journey.text(option.label),
            "checked": option.code in chosen,
        }
        if option.hint:
            item["hint"] = {"text": journey.text(option.hint)}
        if checkboxes and option.exclusive:
            item["behaviour"] = "exclusive"
        items.append(item)
    return items


def _legend(html: Markup) -> dict[str, Any]:
    return {"legend": {"html": html, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}}


def _label(html: Markup) -> dict[str, Any]:
    return {"html": html, "isPageHeading": True, "classes": "govuk-label--l"}


def _rating_groups(journey: Journey, question: Question, data: FormData,
                   errors: Sequence[AnswerError]) -> list[dict[str, Any]]:
    """One radios fieldset per rating item (never a grid): accessible on every device."""
    groups = []
    for item in question.items:
        name = item_field(item.id)
        chosen = data.get(name, [])
        groups.append({
            "name": name,
            "idPrefix": name,
            "classes": "govuk-radios--small",
            "formGroup": {"classes": "app-rating-item"},
            "fieldset": {"legend": {"text": journey.text(item.text), "classes": "govuk-fieldset__legend--s"}},
            "errorMessage": _error(errors, name),
            "items": [
                {"value": o.code, "text": journey.text(o.label), "checked": o.code in chosen}
                for o in question.options
            ],
        })
    return groups


def _text_field(journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError],
                html: Markup) -> tuple[str, dict[str, Any]]:
    lang = journey.lang
    base = {"id": FIELD, "name": FIELD, "label": _label(html), "hint": _hint(journey, question),
            "errorMessage": _error(errors, FIELD), "value": (data.get(FIELD) or [""])[0]}
    if question.multiline:
        return "character_count", {
            **base, "maxlength": question.max_length, "rows": 6,
            "textareaDescriptionText": translate("chars_description", lang),
            "charactersUnderLimitText": _plural("chars_under", lang),
            "charactersAtLimitText": translate("chars_at_limit", lang),
            "charactersOverLimitText": _plural("chars_over", lang),
        }
    return "input", {**base, "spellcheck": True, "autocomplete": "off"}


def _plural(key: str, lang: str) -> dict[str, str]:
    forms = ("one", "few", "many", "other") if lang == "pl" else ("one", "other")
    return {form: translate(f"{key}_{form}", lang) for form in forms}


def question_fields(journey: Journey, question: Question, data: FormData,
                    errors: Sequence[AnswerError], caption: str) -> tuple[str, Any]:
    """(kind, params) for the page's template: the GOV.UK macro to call and its parameters."""
    text = journey.text(question.text)
    html = heading_html(caption, str(escape(text)))
    match question.type:
        case "single" | "multiple":
            checkboxes = question.type == "multiple"
            return ("checkboxes" if checkboxes else "radios"), {
                "name": FIELD, "idPrefix": FIELD, **({"fieldset": _legend(html)}),
                "hint": _hint(journey, question), "errorMessage": _error(errors, FIELD),
                "items": _choice_items(journey, question, data.get(FIELD, []), checkboxes=checkboxes),
            }
        case "rating":
            return "rating", {"heading": html, "hint": _hint(journey, question),
                              "groups": _rating_groups(journey, question, data, errors)}
        case "text":
            return _text_field(journey, question, data, errors, html)
        case "number":
            suffix = {"text": journey.text(question.suffix)} if question.suffix else None
            return "input", {
                "id": FIELD, "name": FIELD, "label": _label(html), "hint": _hint(journey, question),
                "errorMessage": _error(errors, FIELD), "value": (data.get(FIELD) or [""])[0],
                "inputmode": "numeric", "spellcheck": False, "autocomplete": "off",
                "classes": "govuk-input--width-4", "suffix": suffix,
            }
        case _:
            return "info", {"heading": text, "caption": caption,
                            "body": paragraphs(journey.text(question.body)),
                            "interruption": question.style == "interruption"}


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines (or single newlines)."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def error_list(errors: Sequence[AnswerError]) -> list[dict[str, str]]:
    """The error summary's links, each to its field."""
    return [{"text": str(e), "href": f"#{e.field}"} for e in errors]
