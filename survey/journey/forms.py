"""Build the GOV.UK Frontend macro parameters for one question page from the questionnaire definition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import g
from markupsafe import Markup

from survey.engine import Question, pipe, shown_options
from survey.engine.answers import DONT_KNOW_FIELD, FIELD, AnswerError, item_field, other_field
from survey.engine.answers_more import rank_limit
from survey.journey.runner import Journey
from survey.web.i18n import plural_forms, translate
from survey.web.macro_cache import govuk_macro

HEADING_ID = "question-heading"  # the page heading of a rating, grid or ranking page: describes each item

NON_ANSWER_KINDS = frozenset({"prefer_not_to_say", "dont_know", "none"})
FormData = Mapping[str, Sequence[str]]


def heading_html(caption: str, text: str) -> Markup:
    """A caption ('Section 2 of 6') inside the page heading, as GOV.UK recommends for legends."""
    return Markup('<span class="govuk-caption-l">{}</span> {}').format(caption, text)


def _error(errors: Sequence[AnswerError], name: str) -> dict[str, str] | None:
    messages = [e for e in errors if e.field == name]
    if not messages:
        return None
    return {"text": str(messages[0]), "visuallyHiddenText": translate("error_prefix", g.get("lang"))}


def piped(journey: Journey, text: Any) -> str:
    """Questionnaire text in the journey's language with earlier answers piped in ({{question_id}})."""
    return pipe(journey.q, journey.text(text), journey.answers, journey.lang)


def piped_html(journey: Journey, text: Any) -> Markup:
    """`piped` as HTML, marked with its language when it falls back (lang="en" on a Welsh page)."""
    return journey.html(text, piped(journey, text))


def _hint(journey: Journey, question: Question) -> dict[str, Any] | None:
    return {"html": piped_html(journey, question.hint)} if question.hint else None


def _other_inputs(
    journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError]
) -> Markup:
    """The text box of each "other, please specify" option, after the options (holds typed words).

    Not a GOV.UK conditional reveal: its script puts aria-expanded on a radio button, which the role does
    not allow (axe: aria-allowed-attr). The box is always there, labelled with the option it belongs to.
    """
    boxes = []
    for option in shown_options(question, journey.answers):
        if not option.other:
            continue
        name = other_field(option.code)
        label = translate("other_details", journey.lang, label=journey.text(option.label))
        boxes.append(
            Markup(
                govuk_macro("govukInput")(
                    {
                        "id": name,
                        "name": name,
                        "label": {"text": label},
                        "value": (data.get(name) or [""])[0],
                        "errorMessage": _error(errors, name),
                        "spellcheck": True,
                    }
                )
            )
        )
    return Markup("").join(boxes)


def _choice_items(
    journey: Journey, question: Question, chosen: Sequence[str], *, checkboxes: bool
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    divided = False
    for option in shown_options(question, journey.answers):
        special = option.kind in NON_ANSWER_KINDS or option.exclusive
        if special and not divided and items:
            items.append({"divider": translate("or", journey.lang)})
            divided = True
        item: dict[str, Any] = {
            "value": option.code,
            "html": journey.html(option.label),
            "checked": option.code in chosen,
        }
        if option.hint:
            item["hint"] = {"html": journey.html(option.hint)}
        if checkboxes and option.exclusive:
            item["behaviour"] = "exclusive"
        items.append(item)
    return items


def _legend(html: Markup) -> dict[str, Any]:
    return {"legend": {"html": html, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}}


def _label(html: Markup) -> dict[str, Any]:
    return {"html": html, "isPageHeading": True, "classes": "govuk-label--l"}


def _rating_groups(
    journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError]
) -> list[dict[str, Any]]:
    """One radios fieldset per rating item (never a grid): accessible on every device."""
    groups = []
    for item in question.items:
        name = item_field(item.id)
        chosen = data.get(name, [])
        groups.append(
            {
                "name": name,
                "idPrefix": name,
                "classes": "govuk-radios--small",
                "formGroup": {"classes": "app-rating-item"},
                "fieldset": {
                    "legend": {"html": journey.html(item.text), "classes": "govuk-fieldset__legend--s"},
                    "describedBy": HEADING_ID,
                },
                "errorMessage": _error(errors, name),
                "items": [
                    {"value": o.code, "html": journey.html(o.label), "checked": o.code in chosen}
                    for o in question.options
                ],
            }
        )
    return groups


def _text_field(
    journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError], html: Markup
) -> tuple[str, dict[str, Any]]:
    lang = journey.lang
    base = {
        "id": FIELD,
        "name": FIELD,
        "label": _label(html),
        "hint": _hint(journey, question),
        "errorMessage": _error(errors, FIELD),
        "value": (data.get(FIELD) or [""])[0],
    }
    if question.multiline:
        return "character_count", {
            **base,
            "maxlength": question.max_length,
            "rows": 6,
            # GOV.UK's macro and script fill `%{count}` (a gettext `%(count)s` would be read out as is)
            "textareaDescriptionText": translate("chars_description", lang, count="%{count}"),
            "charactersUnderLimitText": _plural("chars_under", lang),
            "charactersAtLimitText": translate("chars_at_limit", lang),
            "charactersOverLimitText": _plural("chars_over", lang),
        }
    return "input", {**base, "spellcheck": True, "autocomplete": "off"}


def _plural(key: str, lang: str) -> dict[str, str]:
    return plural_forms(key, lang)  # every CLDR category of the language (Welsh has six)


def question_fields(
    journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError], caption: str
) -> tuple[str, Any]:
    """(kind, params) for the page's template: the GOV.UK macro to call and its parameters."""
    text = piped_html(journey, question.text)
    html = heading_html(caption, text)
    match question.type:
        case "single" | "multiple":
            checkboxes = question.type == "multiple"
            params = {
                "name": FIELD,
                "idPrefix": FIELD,
                **({"fieldset": _legend(html)}),
                "hint": _hint(journey, question),
                "errorMessage": _error(errors, FIELD),
                "items": _choice_items(journey, question, data.get(FIELD, []), checkboxes=checkboxes),
            }
            if question.other_codes:
                return "choice_other", {
                    "kind": "checkboxes" if checkboxes else "radios",
                    "choice": params,
                    "other": _other_inputs(journey, question, data, errors),
                }
            return ("checkboxes" if checkboxes else "radios"), params
        case "rating":
            return "rating", {
                "heading": html,
                "hint": _hint(journey, question),
                "groups": _rating_groups(journey, question, data, errors),
            }
        case "text":
            return _text_field(journey, question, data, errors, html)
        case "number" | "decimal" | "money" | "postcode" | "date" | "consent" | "grid" | "ranking":
            return more_fields(journey, question, data, errors, html)
        case _:
            return "info", {
                "heading": text,
                "caption": caption,
                "body": [journey.html(question.body, p) for p in paragraphs(piped(journey, question.body))],
                "interruption": question.style == "interruption",
                "screen_out": question.screens_out,
            }


def _value(data: FormData, name: str = FIELD) -> str:
    return (data.get(name) or [""])[0]


_INPUTS: dict[str, dict[str, Any]] = {
    "number": {"inputmode": "numeric", "classes": "govuk-input--width-4"},
    "decimal": {"inputmode": "decimal", "classes": "govuk-input--width-5"},
    "money": {"inputmode": "decimal", "classes": "govuk-input--width-5", "prefix": {"text": "£"}},
    "postcode": {"autocomplete": "postal-code", "classes": "govuk-input--width-10", "spellcheck": False},
}


def more_fields(
    journey: Journey, question: Question, data: FormData, errors: Sequence[AnswerError], html: Markup
) -> tuple[str, Any]:
    """(kind, params) of the newer question types (numbers, postcode, date, consent, grid, ranking)."""
    lang, hint, error = journey.lang, _hint(journey, question), _error(errors, FIELD)
    if question.type in _INPUTS:
        suffix = {"html": journey.html(question.suffix)} if question.suffix else None
        params = {
            "id": FIELD,
            "name": FIELD,
            "label": _label(html),
            "hint": hint,
            "errorMessage": error,
            "value": _value(data),
            "spellcheck": False,
            "autocomplete": "off",
            "suffix": suffix,
            **_INPUTS[question.type],
        }
        if question.dont_know is None:
            return "input", params
        return "number_dont_know", {
            "input": params,
            "or": translate("or", lang),
            "dont_know": {
                "name": DONT_KNOW_FIELD,
                "idPrefix": DONT_KNOW_FIELD,
                "items": [
                    {
                        "value": "yes",
                        "html": journey.html(question.dont_know),
                        "checked": bool(_value(data, DONT_KNOW_FIELD)),
                    }
                ],
            },
        }
    if question.type == "date":
        wrong = " govuk-input--error" if errors else ""
        items = [
            {
                "name": part,
                "label": translate(f"date_{part}", lang),
                "value": _value(data, f"{FIELD}-{part}"),
                "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2") + wrong,
            }
            for part in ("day", "month", "year")
        ]
        return "date", {
            "id": FIELD,
            "namePrefix": FIELD,
            "fieldset": _legend(html),
            "hint": hint,
            "errorMessage": _error(errors, errors[0].field) if errors else None,
            "items": items,
        }
    if question.type == "consent":
        return "checkboxes", {
            "name": FIELD,
            "idPrefix": FIELD,
            "fieldset": _legend(html),
            "hint": hint,
            "errorMessage": error,
            "items": [
                {
                    "value": "yes",
                    "html": journey.html(question.label or question.text),
                    "checked": _value(data) == "yes",
                }
            ],
        }
    if question.type == "grid":
        groups = [
            {
                "name": item_field(i.id),
                "idPrefix": item_field(i.id),
                "classes": "govuk-checkboxes--small",
                "formGroup": {"classes": "app-rating-item"},
                "fieldset": {
                    "legend": {"html": journey.html(i.text), "classes": "govuk-fieldset__legend--s"},
                    "describedBy": HEADING_ID,
                },
                "errorMessage": _error(errors, item_field(i.id)),
                "items": _choice_items(journey, question, data.get(item_field(i.id), []), checkboxes=True),
            }
            for i in question.items
        ]
        return "grid", {"heading": html, "hint": hint, "error": error, "groups": groups}
    ranks = [{"value": "", "text": translate("rank_none", lang)}] + [
        {"value": str(r), "text": str(r)} for r in range(1, rank_limit(question) + 1)
    ]
    selects = [
        {
            "id": item_field(i.id),
            "name": item_field(i.id),
            "label": {"html": journey.html(i.text)},
            "describedBy": HEADING_ID,
            "errorMessage": _error(errors, item_field(i.id)),
            "items": [{**r, "selected": r["value"] == _value(data, item_field(i.id))} for r in ranks],
        }
        for i in question.items
    ]
    return "ranking", {"heading": html, "hint": hint, "error": error, "selects": selects}


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines (or single newlines)."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def error_list(errors: Sequence[AnswerError]) -> list[dict[str, str]]:
    """The error summary's links, each to its field."""
    return [{"text": str(e), "href": f"#{e.field}"} for e in errors]
