"""GOV.UK-style error messages made from question text: "Select how concerned you are about burglary"."""
from __future__ import annotations

import re

from survey.engine.model import Question
from survey.engine.text import localise

_WH = r"(?P<wh>how|what|which|when|where|why|who|whose)"
_AUX = r"(?P<aux>are|were|have|had|would|will|can|could|should|is|was)"
# "How concerned are you about crime?" -> "how concerned you are about crime"
_WH_AUX_YOU = re.compile(rf"^{_WH}(?P<mid>(?:\s+\S+)*?)\s+{_AUX}\s+you\b(?P<rest>.*)$", re.IGNORECASE)
# "How often do you visit the centre?" -> "how often you visit the centre"
_WH_DO_YOU = re.compile(rf"^{_WH}(?P<mid>(?:\s+\S+)*?)\s+do\s+you\b(?P<rest>.*)$", re.IGNORECASE)
# "What is your age?" -> "your age"
_WHAT_IS_YOUR = re.compile(r"^what\s+is\s+(?P<rest>your\b.*)$", re.IGNORECASE)
# "Are you a victim...?" / "Have you been...?" / "Do you feel...?" -> "if you are a victim..." etc.
_YES_NO = re.compile(r"^(?P<aux>are|were|have|had|would|will|can|do)\s+you\b(?P<rest>.*)$", re.IGNORECASE)
_FOLLOWING = re.compile(r"\s+(?:each of |any of )?(?:the following|these|the things below)(?:\s+\w+)?$",
                        re.IGNORECASE)


def _plain(text: str) -> str:
    return " ".join(text.strip().rstrip("?.:!").split())


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[:2].isupper():  # keep acronyms such as "ASB" or "CCTV"
        return text
    return text[:1].lower() + text[1:]


def derived_subject(text: str) -> str | None:
    """Turn an English question into the words after "Select"/"Enter", or None when no rule fits."""
    plain = _plain(text)
    if m := _WH_AUX_YOU.match(plain):
        return f"{m['wh'].lower()}{m['mid']} you {m['aux'].lower()}{m['rest']}"
    if m := _WH_DO_YOU.match(plain):
        return f"{m['wh'].lower()}{m['mid']} you{m['rest']}"
    if m := _WHAT_IS_YOUR.match(plain):
        return m["rest"]
    if m := _YES_NO.match(plain):
        aux = m["aux"].lower()
        return f"if you{m['rest']}" if aux == "do" else f"if you {aux}{m['rest']}"
    return None


TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "select": "Select {subject}",
        "select_any": "Select an answer",
        "or_exclusive": ", or select '{label}'",
        "select_item_any": "Select an answer for {item}",
        "enter": "Enter {subject}",
        "enter_any": "Enter an answer",
        "number_any": "Enter a number",
        "between": "Enter a whole number between {min} and {max}",
        "at_least": "Enter a whole number of {min} or more",
        "at_most": "Enter a whole number of {max} or fewer",
        "whole": "Enter a whole number",
        "length": "Your answer must be {max} characters or fewer",
        "exclusive": "Select '{label}' on its own, or select the other options",
    },
    "pl": {
        "select": "Wybierz {subject}",
        "select_any": "Wybierz odpowiedź",
        "or_exclusive": " lub zaznacz „{label}”",
        "select_item_any": "Wybierz odpowiedź: {item}",
        "enter": "Wpisz {subject}",
        "enter_any": "Wpisz odpowiedź",
        "number_any": "Wpisz liczbę",
        "between": "Wpisz liczbę całkowitą od {min} do {max}",
        "at_least": "Wpisz liczbę całkowitą równą {min} lub większą",
        "at_most": "Wpisz liczbę całkowitą równą {max} lub mniejszą",
        "whole": "Wpisz liczbę całkowitą",
        "length": "Odpowiedź może mieć najwyżej {max} znaków",
        "exclusive": "Zaznacz tylko „{label}” albo zaznacz inne odpowiedzi",
    },
    "cy": {
        "select": "Dewiswch {subject}",
        "select_any": "Dewiswch ateb",
        "or_exclusive": ", neu dewiswch '{label}'",
        "select_item_any": "Dewiswch ateb ar gyfer {item}",
        "enter": "Rhowch {subject}",
        "enter_any": "Rhowch ateb",
        "number_any": "Rhowch rif",
        "between": "Rhowch rif cyfan rhwng {min} a {max}",
        "at_least": "Rhowch rif cyfan o {min} neu fwy",
        "at_most": "Rhowch rif cyfan o {max} neu lai",
        "whole": "Rhowch rif cyfan",
        "length": "Rhaid i'ch ateb fod yn {max} o nodau neu lai",
        "exclusive": "Dewiswch '{label}' ar ei ben ei hun, neu dewiswch yr opsiynau eraill",
    },
}


def _t(lang: str | None, key: str, **values: object) -> str:
    table = TEMPLATES.get(lang or "en", TEMPLATES["en"])
    return table.get(key, TEMPLATES["en"][key]).format(**values)


def subject(question: Question, lang: str | None = None) -> str | None:
    """The question's `error_subject`, else one derived from its English text, else None."""
    if question.error_subject:
        return localise(question.error_subject, lang)
    if lang not in (None, "en") and lang in TEMPLATES:
        return None  # the derivation rules are English grammar; other languages use `error_subject`
    return derived_subject(localise(question.text, lang))


def select_message(question: Question, lang: str | None = None) -> str:
    """'Select …' for a choice question that needs an answer."""
    words = subject(question, lang)
    message = _t(lang, "select", subject=words) if words else _t(lang, "select_any")
    # "or select 'None of these'" names a 'none' option (or plain exclusive answer), never 'Prefer not to say'
    nones = [o for o in question.exclusive_options if o.kind in ("none", "answer")]
    if question.type == "multiple" and nones:
        message += _t(lang, "or_exclusive", label=localise(nones[0].label, lang))
    return message


def item_message(question: Question, item_text: str, lang: str | None = None) -> str:
    """'Select …' for one unanswered item of a rating question."""
    words = subject(question, lang)
    item = _lower_first(_plain(item_text))
    if not words:
        return _t(lang, "select_item_any", item=item)
    return _t(lang, "select", subject=f"{_FOLLOWING.sub('', words)} {item}")


def enter_message(question: Question, lang: str | None = None) -> str:
    """'Enter …' for a text or number question that needs an answer."""
    words = subject(question, lang)
    if words:
        return _t(lang, "enter", subject=words)
    return _t(lang, "number_any" if question.type == "number" else "enter_any")


def number_message(question: Question, lang: str | None = None) -> str:
    """The message for a number that is not whole or out of bounds."""
    low, high = question.min, question.max
    if low is not None and high is not None:
        return _t(lang, "between", min=low, max=high)
    if low is not None:
        return _t(lang, "at_least", min=low)
    if high is not None:
        return _t(lang, "at_most", max=high)
    return _t(lang, "whole")


def length_message(question: Question, lang: str | None = None) -> str:
    """The message for free text over the length limit."""
    return _t(lang, "length", max=question.max_length)


def exclusive_message(question: Question, chosen: set[str], lang: str | None = None) -> str:
    """The message for an exclusive option ('None of these') chosen together with others."""
    picked = [o for o in question.exclusive_options if o.code in chosen] or list(question.exclusive_options)
    label = localise(picked[0].label, lang) if picked else ""
    return _t(lang, "exclusive", label=label)
