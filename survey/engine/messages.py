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
        "separator": "Enter the number with digits only, a full stop for decimals (like"
                     " 4.5) and commas only between thousands (like 1,500)",
        "places": "Enter a number with no more than {places} decimal places",
        "num_between": "Enter a number between {min} and {max}",
        "num_at_least": "Enter a number of {min} or more",
        "num_at_most": "Enter a number of {max} or less",
        "money_any": "Enter an amount in pounds, like 4.50",
        "money_between": "Enter an amount between {min} and {max}",
        "money_at_least": "Enter an amount of {min} or more",
        "money_at_most": "Enter an amount of {max} or less",
        "dont_know_both": "Enter a number or select '{label}', not both",
        "date_incomplete": "Enter a full date, including day, month and year",
        "date_real": "Enter a real date",
        "date_after": "The date must be the same as or after {date}",
        "date_before": "The date must be the same as or before {date}",
        "postcode": "Enter a full UK postcode, like MK9 3EJ",
        "email": "Enter an email address in the correct format, like name@example.com",
        "phone": "Enter a telephone number, like 01632 960 001 or 07700 900 982",
        "format": "Enter your answer in the correct format",
        "consent": "Select the box to say you agree",
        "other": "Enter your own answer for '{label}'",
        "rank_item": "Select a rank for {item}",
        "rank_unique": "Give each item a different rank",
        "rank_count": "Rank {n} of the items",
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
        "separator": "Wpisz liczbę cyframi, z przecinkiem przed częścią dziesiętną (np."
                     " 4,5) i spacjami między tysiącami (np. 1 500)",
        "places": "Wpisz liczbę z najwyżej {places} miejscami po przecinku",
        "num_between": "Wpisz liczbę od {min} do {max}",
        "num_at_least": "Wpisz liczbę równą {min} lub większą",
        "num_at_most": "Wpisz liczbę równą {max} lub mniejszą",
        "money_any": "Wpisz kwotę w funtach, np. 4,50",
        "money_between": "Wpisz kwotę od {min} do {max}",
        "money_at_least": "Wpisz kwotę równą {min} lub większą",
        "money_at_most": "Wpisz kwotę równą {max} lub mniejszą",
        "dont_know_both": "Wpisz liczbę albo zaznacz „{label}”, nie oba",
        "date_incomplete": "Wpisz pełną datę: dzień, miesiąc i rok",
        "date_real": "Wpisz prawdziwą datę",
        "date_after": "Data musi być taka sama jak {date} lub późniejsza",
        "date_before": "Data musi być taka sama jak {date} lub wcześniejsza",
        "postcode": "Wpisz pełny brytyjski kod pocztowy, np. MK9 3EJ",
        "email": "Wpisz adres e-mail w poprawnym formacie, np. imie@example.com",
        "phone": "Wpisz numer telefonu, np. 01632 960 001 lub 07700 900 982",
        "format": "Wpisz odpowiedź w poprawnym formacie",
        "consent": "Zaznacz pole, aby potwierdzić zgodę",
        "other": "Wpisz własną odpowiedź dla „{label}”",
        "rank_item": "Wybierz miejsce dla: {item}",
        "rank_unique": "Każdej pozycji nadaj inne miejsce",
        "rank_count": "Uszereguj tyle pozycji: {n}",
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
        "separator": "Rhowch y rhif gyda digidau yn unig, atalnod llawn ar gyfer degolion"
                     " (fel 4.5) a choma dim ond rhwng miloedd (fel 1,500)",
        "places": "Rhowch rif gyda dim mwy na {places} lle degol",
        "num_between": "Rhowch rif rhwng {min} a {max}",
        "num_at_least": "Rhowch rif o {min} neu fwy",
        "num_at_most": "Rhowch rif o {max} neu lai",
        "money_any": "Rhowch swm mewn punnoedd, fel 4.50",
        "money_between": "Rhowch swm rhwng {min} a {max}",
        "money_at_least": "Rhowch swm o {min} neu fwy",
        "money_at_most": "Rhowch swm o {max} neu lai",
        "dont_know_both": "Rhowch rif neu dewiswch '{label}', nid y ddau",
        "date_incomplete": "Rhowch ddyddiad llawn, gan gynnwys diwrnod, mis a blwyddyn",
        "date_real": "Rhowch ddyddiad go iawn",
        "date_after": "Rhaid i'r dyddiad fod yr un peth â {date} neu ar ei ôl",
        "date_before": "Rhaid i'r dyddiad fod yr un peth â {date} neu cyn hynny",
        "postcode": "Rhowch god post llawn yn y DU, fel MK9 3EJ",
        "email": "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com",
        "phone": "Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982",
        "format": "Rhowch eich ateb yn y fformat cywir",
        "consent": "Dewiswch y blwch i ddweud eich bod yn cytuno",
        "other": "Rhowch eich ateb eich hun ar gyfer '{label}'",
        "rank_item": "Dewiswch safle ar gyfer {item}",
        "rank_unique": "Rhowch safle gwahanol i bob eitem",
        "rank_count": "Rhowch safle i {n} o'r eitemau",
    },
}


def _t(lang: str | None, key: str, **values: object) -> str:
    table = TEMPLATES.get(lang or "en", TEMPLATES["en"])
    return table.get(key, TEMPLATES["en"][key]).format(**values)


def message(question: Question, key: str, lang: str | None, template: str, **values: object) -> str:
    """The question's own wording for error `key` in `lang` (its `errors`), else the service's template."""
    own = question.error_text(key)
    if own:
        return localise(own, lang)
    return _t(lang, template, **values)


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
