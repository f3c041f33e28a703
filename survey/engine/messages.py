"""GOV.UK-style error messages made from question text: "Select how concerned you are about burglary"."""

from __future__ import annotations

import re

from survey.engine.catalogue import N_, gettext, languages
from survey.engine.model import Question
from survey.engine.text import language_shown, localise

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
_FOLLOWING = re.compile(
    r"\s+(?:each of |any of )?(?:the following|these|the things below)(?:\s+\w+)?$", re.IGNORECASE
)


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


# The engine's error messages (English msgids, translated in survey/translations/*/messages.po).
TEMPLATES: dict[str, str] = {
    "select": N_("Select %(subject)s"),
    "select_any": N_("Select an answer"),
    "or_exclusive": N_(", or select '%(label)s'"),
    "select_item_any": N_("Select an answer for %(item)s"),
    "enter": N_("Enter %(subject)s"),
    "enter_any": N_("Enter an answer"),
    "number_any": N_("Enter a number"),
    "between": N_("Enter a whole number between %(min)s and %(max)s"),
    "at_least": N_("Enter a whole number of %(min)s or more"),
    "at_most": N_("Enter a whole number of %(max)s or fewer"),
    "whole": N_("Enter a whole number"),
    "length": N_("Your answer must be %(max)s characters or fewer"),
    "exclusive": N_("Select '%(label)s' on its own, or select the other options"),
    "separator": N_(
        "Enter the number with digits only, a full stop for decimals (like"
        " 4.5) and commas only between thousands (like 1,500)"
    ),
    "separator_whole": N_(
        "Enter a whole number with digits only, like 45, and commas only between thousands (like 1,500)"
    ),
    "places": N_("Enter a number with no more than %(places)s decimal places"),
    "num_between": N_("Enter a number between %(min)s and %(max)s"),
    "num_at_least": N_("Enter a number of %(min)s or more"),
    "num_at_most": N_("Enter a number of %(max)s or less"),
    "money_any": N_("Enter an amount in pounds, like 4.50"),
    "money_between": N_("Enter an amount between %(min)s and %(max)s"),
    "money_at_least": N_("Enter an amount of %(min)s or more"),
    "money_at_most": N_("Enter an amount of %(max)s or less"),
    "dont_know_both": N_("Enter a number or select '%(label)s', not both"),
    "date_incomplete": N_("Enter a full date, including day, month and year"),
    "date_real": N_("Enter a real date"),
    "date_after": N_("The date must be the same as or after %(date)s"),
    "date_before": N_("The date must be the same as or before %(date)s"),
    "postcode": N_("Enter a full UK postcode, like MK9 3EJ"),
    "email": N_("Enter an email address in the correct format, like name@example.com"),
    "phone": N_("Enter a telephone number, like 01632 960 001 or 07700 900 982"),
    "format": N_("Enter your answer in the correct format"),
    "consent": N_("Select the box to say you agree"),
    "other": N_("Enter your own answer for '%(label)s'"),
    "rank_item": N_("Select a rank for %(item)s"),
    "rank_unique": N_("Give each item a different rank"),
    "rank_count": N_("Rank %(n)s of the items"),
}


def _t(lang: str | None, key: str, **values: object) -> str:
    return gettext(TEMPLATES[key], lang) % values


def message(question: Question, key: str, lang: str | None, template: str, **values: object) -> str:
    """The question's own wording for error `key` in `lang` (its `errors`), else the service's template."""
    own = question.error_text(key)
    if own:
        return localise(own, lang)
    return _t(lang, template, **values)


def subject(question: Question, lang: str | None = None) -> str | None:
    """The question's `error_subject`, else one derived from its English text, else None."""
    if question.error_subject:
        if lang and language_shown(question.error_subject, lang, lang) != lang:
            return None  # not written in this language: the plain message, not English words in a Welsh one
        return localise(question.error_subject, lang)
    if lang not in (None, "en") and lang in languages():
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
