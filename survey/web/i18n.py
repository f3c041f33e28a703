"""The service's own words (buttons, headings, messages) in each supported language, through gettext.

The English words are the msgids below (marked `N_` for `pybabel extract`); the translations are the
catalogues in survey/translations/<lang>/LC_MESSAGES/messages.po (docs/translating.md). Callers keep using
keys: `translate("continue", "cy")` is "Parhau". Dates, numbers and plural rules come from Babel's locale
data; the direction of a language (`dir="rtl"` for Urdu) from its CLDR character order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from flask import Flask, g
from flask_babel import Babel
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from survey.engine.catalogue import N_, TRANSLATIONS_DIR, Nn_, gettext, languages, ngettext

DEFAULT = "en"

LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "cy": "Cymraeg", "ur": "اردو"}
_DATE_LOCALES = {"en": "en_GB"}  # "26 July 2016", not the US order

# The service's words by key; the English text is the msgid translators see.
MESSAGES: dict[str, str] = {
    "start_now": N_("Start now"),
    "continue": N_("Continue"),
    "back": N_("Back"),
    "change": N_("Change"),
    "send": N_("Send your answers"),
    "there_is_a_problem": N_("There is a problem"),
    "error_prefix": N_("Error"),
    "section_of": N_("Section %(n)s of %(total)s"),
    "question_n": N_("Question %(n)s"),
    "skip_link": N_("Skip to main content"),
    "who_runs": N_("Who runs this survey"),
    "why": N_("Why we are asking"),
    "how_long": N_("How long it takes"),
    "how_long_range": N_("It takes about %(min)s to %(max)s minutes, depending on your answers."),
    "how_long_one": N_("It takes about %(max)s minutes."),
    "privacy": N_("Your privacy"),
    "privacy_default": N_(
        "We do not ask for your name or contact details, and we do not record your IP "
        "address or device. Your answers are used only for this survey."
    ),
    "closes_on": N_("This survey closes on %(date)s."),
    "anonymous": N_("You do not need to give your name or email address."),
    "resume_prompt": N_("Already started? Continue with your resume code"),
    "check_title": N_("Check your answers before sending them"),
    "not_answered": N_("Not answered"),
    "check_send_heading": N_("Now send your answers"),
    "check_send_text": N_("By sending your answers you confirm that they are your own views."),
    "done_title": N_("Your answers have been sent"),
    "done_thanks": N_("Thank you for taking part."),
    "what_next": N_("What happens next"),
    "save_later": N_("Save and come back later"),
    "save_title": N_("Your resume code"),
    "save_text": N_(
        "Write this code down or keep it somewhere safe. Enter it on any device to "
        "continue where you left off."
    ),
    "save_valid": N_(
        "The code works until %(date)s. It does not show your answers to anyone: it only "
        "lets you carry on with the survey."
    ),
    "save_continue": N_("Continue the survey now"),
    "save_replaces": N_(
        "This code replaces the code you were given before: the earlier code no longer works."
    ),
    "resume_title": N_("Continue with your resume code"),
    "resume_label": N_("Resume code"),
    "resume_hint": N_("The 10 letters and numbers you were given, for example KQ7X4-M2RTD"),
    "resume_error_blank": N_("Enter your resume code"),
    "resume_error_format": N_("Enter the resume code in the right format, like KQ7X4-M2RTD"),
    "resume_error_unknown": N_("The resume code was not recognised: check it and try again"),
    "too_many_title": N_("Too many attempts"),
    "too_many_text": N_("You have entered too many resume codes. Wait 15 minutes and try again."),
    "closed_title": N_("This survey has closed"),
    "closed_on": N_("This survey closed on %(date)s."),
    "closed_not_sent": N_("Your answers were not sent because the survey closed before you finished."),
    "not_open_title": N_("This survey is not open yet"),
    "opens_on": N_("This survey opens on %(date)s."),
    "timed_out_title": N_("Sorry, your session has timed out"),
    "timed_out_text": N_("We have kept the answers you already gave."),
    "timed_out_link": N_("Go back and try again"),
    "not_found_title": N_("Page not found"),
    "not_found_text": N_("If you typed the web address, check it is correct."),
    "error_title": N_("Sorry, there is a problem with the service"),
    "error_text": N_("Try again later. Your answers so far have been kept."),
    "too_large_title": N_("Your answer is too long"),
    "too_large_text": N_("Go back and shorten your answer, then try again."),
    "exit_page": N_("Exit this page"),
    "exit_emergency": N_("Emergency"),
    "exit_activated": N_("Loading."),
    "exit_timed_out": N_("Exit this page expired."),
    "exit_two_more": N_("Shift, press 2 more times to exit."),
    "exit_one_more": N_("Shift, press 1 more time to exit."),
    "support_heading": N_("If you need support"),
    "language": N_("Language"),
    "surveys_title": N_("Surveys"),
    "no_surveys": N_("There are no surveys open at the moment."),
    "edit_language_note": N_("Change the language"),
    "or": N_("or"),
    "chars_description": N_("You can enter up to %(count)s characters"),
    "chars_at_limit": N_("You have 0 characters remaining"),
    "other_details": N_("If you chose '%(label)s', give details"),
    "date_day": N_("Day"),
    "date_month": N_("Month"),
    "date_year": N_("Year"),
    "rank_none": N_("Not ranked"),
    "screened_out": N_("You cannot go on with this survey. You can close this page."),
    "postcode_kept": N_(
        "If you give your postcode, we keep only its first part (before the space), never the full postcode."
    ),
}

# Words of the hardening work (issue 17): receipts, shared devices, outages (merged into MESSAGES).
_HARDENING_MESSAGES: dict[str, str] = {
    "shared_label": N_("I am using a shared or public device"),
    "shared_hint": N_(
        "We will not keep your place on this device: after 15 minutes without using it, "
        "or when you save to come back later, you need your resume code to see or change "
        "your answers. Close the browser when you finish."
    ),
    "outage_text": N_(
        "Your answer has not been saved yet. Try again in a few minutes: your answer is "
        "still in the form below."
    ),
    "outage_retry": N_("Send again"),
    "outage_typed": N_("What you entered"),
    "receipt_offer_text": N_(
        "A receipt code lets you see, print or erase the answers you sent, until the survey closes."
    ),
    "receipt_get": N_("Get a receipt code"),
    "receipt_title": N_("Your receipt code"),
    "receipt_keep": N_(
        "Keep this code safe: anyone who has it can see your answers. Enter it on the "
        "survey's receipt page to see, print or erase your answers until %(date)s."
    ),
    "receipt_once": N_("This code is shown only once. Write it down or print this page now."),
    "receipt_enter_title": N_("See or erase the answers you sent"),
    "receipt_hint": N_("The receipt code you were given after sending your answers, for example KQ7X4-M2RTD"),
    "receipt_error_blank": N_("Enter your receipt code"),
    "receipt_error_format": N_("Enter the receipt code in the right format, like KQ7X4-M2RTD"),
    "receipt_error_unknown": N_("The receipt code was not recognised: check it and try again"),
    "receipt_answers_title": N_("The answers you sent"),
    "receipt_sent_on": N_("Sent on %(date)s."),
    "receipt_print": N_("To keep a copy, print this page or save it as a PDF from your browser's menu."),
    "receipt_erase_button": N_("Erase my answers"),
    "receipt_erase_confirm_title": N_("Are you sure you want to erase your answers?"),
    "receipt_erase_confirm_text": N_(
        "Your answers will be deleted and cannot be brought back. They will not be counted in the results."
    ),
    "receipt_erase_yes": N_("Yes, erase my answers"),
    "receipt_erased_title": N_("Your answers have been erased"),
    "receipt_erased_text": N_("Your answers have been deleted. Results already published are not changed."),
    "receipt_privacy": N_(
        "After you send your answers you can get a receipt code. With it you can see, "
        "print or erase what you sent until the survey closes. After the survey closes "
        "your answers are part of the analysed results and can no longer be erased with "
        "the code."
    ),
    "receipt_link": N_("See or erase answers you sent"),
    "too_many_codes_text": N_("You have entered too many codes. Wait 15 minutes and try again."),
}
MESSAGES.update(_HARDENING_MESSAGES)

# Words of the public results pages (issue 16: "We asked, you said, we did"), merged into MESSAGES.
_RESULTS_MESSAGES: dict[str, str] = {
    "results_title": N_("Results"),
    "results_we_asked": N_("We asked"),
    "results_you_said": N_("You said"),
    "results_we_did": N_("We did"),
    "results_took_part": N_("%(n)s people took part"),
    "results_as_of": N_("Figures from the %(kind)s report, counting responses up to %(day)s."),
    "results_kind_interim": N_("interim"),
    "results_kind_final": N_("final"),
    "results_who": N_("Who took part, compared with everyone who lives here"),
    "results_answer": N_("Answer"),
    "results_people": N_("People"),
    "results_share": N_("Share"),
    "results_category": N_("Group"),
    "results_share_respondents": N_("Share of people who took part"),
    "results_share_population": N_("Share of the population"),
    "results_hidden": N_("hidden"),
    "results_base": N_("%(n)s people answered this question."),
    "results_base_hidden": N_("How many people answered this question is hidden, to protect their privacy."),
    "results_small_cells": N_(
        "To protect people's privacy, some figures are hidden: groups of fewer than %(n)s people, and other "
        "figures that would let someone work them out. Every hidden figure is marked in the same way."
    ),
    "results_rounded": N_("Numbers of people are rounded to the nearest %(n)s."),
    "results_none_yet": N_("Results have not been published yet."),
    "results_no_updates": N_("We have not posted an update yet."),
    "results_open_data": N_("Open data"),
    "results_open_data_text": N_("The published figures (only the totals and shares above) as open data:"),
    "results_download_json": N_("JSON"),
    "results_download_csv": N_("CSV (spreadsheet)"),
    "results_why": N_("Why we asked"),
    "results_open": N_("Open"),
    "results_closed": N_("Closed"),
    "results_take_part": N_("Take part"),
    "results_view": N_("See the results"),
    "results_closes": N_("Closes %(day)s"),
    "results_closed_on": N_("Closed %(day)s"),
    "results_ran": N_("This consultation ran from %(start)s to %(end)s."),
    "results_ran_until": N_("This consultation closed on %(end)s."),
    "results_open_since_until": N_("This consultation opened on %(start)s and is open until %(end)s."),
    "results_open_until": N_("This consultation is open until %(end)s."),
    "results_opened_on": N_("This consultation opened on %(start)s."),
    "results_published_on": N_("These results were published on %(day)s."),
    "results_licence": N_("You may reuse the open data under this licence:"),
    "results_csv_about": N_("Description of the CSV (licence, dates and columns)"),
}
MESSAGES.update(_RESULTS_MESSAGES)


# Plural messages (gettext ngettext): key -> (singular, plural). `count` is filled by the caller.
PLURALS: dict[str, tuple[str, str]] = {
    "chars_under": Nn_("You have %(count)s character remaining", "You have %(count)s characters remaining"),
    "chars_over": Nn_("You have %(count)s character too many", "You have %(count)s characters too many"),
}


def supported(lang: str | None) -> str:
    """The catalogue language to use for `lang` (English when the service has no words for it)."""
    return lang if lang and lang in languages() else DEFAULT


def translate(key: str, lang: str | None = None, **values: Any) -> str:
    """The service's string `key` in `lang` (falling back to English), with `%(placeholders)s` filled."""
    text = gettext(MESSAGES[key], supported(lang))
    return text % values if values else text


def translate_plural(key: str, count: int, lang: str | None = None, **values: Any) -> str:
    """The plural message `key` for `count` in `lang`'s plural rules."""
    singular, plural = PLURALS[key]
    return ngettext(singular, plural, count, supported(lang)) % {"count": count, **values}


def plural_forms(key: str, lang: str | None, count_placeholder: str = "%{count}") -> dict[str, str]:
    """The message in each CLDR plural category of `lang` ({'one': ..., 'other': ...}), for GOV.UK's
    character count script (which picks the category with Intl.PluralRules and fills `%{count}`)."""
    code = supported(lang)
    locale = Locale.parse(_DATE_LOCALES.get(code, code))
    singular, plural = PLURALS[key]
    forms: dict[str, str] = {}
    for n in range(0, 200):
        category = locale.plural_form(n)
        if category not in forms:
            forms[category] = ngettext(singular, plural, n, code) % {"count": count_placeholder}
    forms.setdefault("other", ngettext(singular, plural, 100, code) % {"count": count_placeholder})
    return forms


def format_date(day: date, lang: str | None = None) -> str:
    """A date as people write it, from Babel's locale data: '26 July 2016', '26 Gorffennaf 2016'."""
    code = supported(lang)
    return str(babel_format_date(day, "d MMMM y", locale=_DATE_LOCALES.get(code, code)))


def direction(lang: str | None) -> str:
    """'rtl' for a right-to-left language (Urdu, Arabic), else 'ltr' (CLDR's character order)."""
    try:
        order = Locale.parse(lang or DEFAULT).character_order
    except (ValueError, TypeError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def _page_lang(context: Context) -> str:
    lang = context.get("lang") or g.get("lang")
    return supported(str(lang) if lang else None)


@pass_context
def _template_translate(context: Context, key: str, **values: Any) -> str:
    return translate(key, _page_lang(context), **values)


def _fill(text: str, values: dict[str, Any]) -> str:
    """`text % values`; when a value is markup (a link built in the template with `{% set link %}`), the
    sentence stays whole for the translator and the result is markup with every other value escaped."""
    if any(hasattr(v, "__html__") for v in values.values()):
        return Markup(escape(text)) % values
    return text % values


@pass_context
def _template_gettext(context: Context, message: str, **values: Any) -> str:
    text = gettext(message, _page_lang(context))
    return _fill(text, values) if values else text


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int, **values: Any) -> str:
    return _fill(ngettext(singular, plural, n, _page_lang(context)), {"num": n, **values})


def _locale_selector() -> str:
    return supported(g.get("lang"))


def init_app(app: Flask) -> None:
    """Flask-Babel (locale from the page's language), `t(key)`, `_()`/`gettext`/`ngettext` in templates."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=_locale_selector)
    # The page's own language decides (a template's `lang`), not only the request's: a Welsh page is Welsh.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    app.jinja_env.globals["t"] = _template_translate
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["text_direction"] = direction
