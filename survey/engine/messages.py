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


def subject(question: Question, lang: str | None = None) -> str | None:
    """The question's `error_subject`, else one derived from its text, else None."""
    if question.error_subject:
        return localise(question.error_subject, lang)
    return derived_subject(localise(question.text, lang))


def select_message(question: Question, lang: str | None = None) -> str:
    """'Select …' for a choice question that needs an answer."""
    words = subject(question, lang)
    message = f"Select {words}" if words else "Select an answer"
    exclusive = question.exclusive_options
    if question.type == "multiple" and exclusive:
        message += f", or select '{localise(exclusive[0].label, lang)}'"
    return message


def item_message(question: Question, item_text: str, lang: str | None = None) -> str:
    """'Select …' for one unanswered item of a rating question."""
    words = subject(question, lang)
    item = _lower_first(_plain(item_text))
    if not words:
        return f"Select an answer for {item}"
    return f"Select {_FOLLOWING.sub('', words)} {item}"


def enter_message(question: Question, lang: str | None = None) -> str:
    """'Enter …' for a text or number question that needs an answer."""
    words = subject(question, lang)
    if words:
        return f"Enter {words}"
    return "Enter a number" if question.type == "number" else "Enter an answer"


def number_message(question: Question) -> str:
    """The message for a number that is not whole or out of bounds."""
    low, high = question.min, question.max
    if low is not None and high is not None:
        return f"Enter a whole number between {low} and {high}"
    if low is not None:
        return f"Enter a whole number of {low} or more"
    if high is not None:
        return f"Enter a whole number of {high} or fewer"
    return "Enter a whole number"


def length_message(question: Question) -> str:
    """The message for free text over the length limit."""
    return f"Your answer must be {question.max_length} characters or fewer"


def exclusive_message(question: Question, lang: str | None = None) -> str:
    """The message for an exclusive option ('None of these') chosen together with others."""
    label = localise(question.exclusive_options[0].label, lang) if question.exclusive_options else "None"
    return f"Select '{label}' on its own, or select the other options"
