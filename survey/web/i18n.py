"""The service's own words (buttons, headings, messages) in each supported language: a small catalogue."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, g
from jinja2 import pass_context
from jinja2.runtime import Context

DEFAULT = "en"

LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "cy": "Cymraeg"}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    # Polish dates use the genitive month name ("3 maja 2016").
    "pl": ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"],
}

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "start_now": "Start now",
        "continue": "Continue",
        "back": "Back",
        "change": "Change",
        "send": "Send your answers",
        "there_is_a_problem": "There is a problem",
        "error_prefix": "Error",
        "section_of": "Section {n} of {total}",
        "question_n": "Question {n}",
        "skip_link": "Skip to main content",
        "who_runs": "Who runs this survey",
        "why": "Why we are asking",
        "how_long": "How long it takes",
        "how_long_range": "It takes about {min} to {max} minutes, depending on your answers.",
        "how_long_one": "It takes about {max} minutes.",
        "privacy": "Your privacy",
        "privacy_default": "We do not ask for your name or contact details, and we do not record your IP "
                           "address or device. Your answers are used only for this survey.",
        "closes_on": "This survey closes on {date}.",
        "anonymous": "You do not need to give your name or email address.",
        "resume_prompt": "Already started? Continue with your resume code",
        "check_title": "Check your answers before sending them",
        "not_answered": "Not answered",
        "check_send_heading": "Now send your answers",
        "check_send_text": "By sending your answers you confirm that they are your own views.",
        "done_title": "Your answers have been sent",
        "done_thanks": "Thank you for taking part.",
        "what_next": "What happens next",
        "save_later": "Save and come back later",
        "save_title": "Your resume code",
        "save_text": "Write this code down or keep it somewhere safe. Enter it on any device to continue "
                     "where you left off.",
        "save_valid": "The code works until {date}. It does not show your answers to anyone: it only lets "
                      "you carry on with the survey.",
        "save_continue": "Continue the survey now",
        "save_replaces": "This code replaces the code you were given before: the earlier code no longer "
                         "works.",
        "resume_title": "Continue with your resume code",
        "resume_label": "Resume code",
        "resume_hint": "The 10 letters and numbers you were given, for example KQ7X4-M2RTD",
        "resume_error_blank": "Enter your resume code",
        "resume_error_format": "Enter the resume code in the right format, like KQ7X4-M2RTD",
        "resume_error_unknown": "The resume code was not recognised: check it and try again",
        "too_many_title": "Too many attempts",
        "too_many_text": "You have entered too many resume codes. Wait 15 minutes and try again.",
        "closed_title": "This survey has closed",
        "closed_on": "This survey closed on {date}.",
        "closed_not_sent": "Your answers were not sent because the survey closed before you finished.",
        "not_open_title": "This survey is not open yet",
        "opens_on": "This survey opens on {date}.",
        "timed_out_title": "Sorry, your session has timed out",
        "timed_out_text": "We have kept the answers you already gave.",
        "timed_out_link": "Go back and try again",
        "not_found_title": "Page not found",
        "not_found_text": "If you typed the web address, check it is correct.",
        "error_title": "Sorry, there is a problem with the service",
        "error_text": "Try again later. Your answers so far have been kept.",
        "too_large_title": "Your answer is too long",
        "too_large_text": "Go back and shorten your answer, then try again.",
        "exit_page": "Exit this page",
        "exit_emergency": "Emergency",
        "exit_activated": "Loading.",
        "exit_timed_out": "Exit this page expired.",
        "exit_two_more": "Shift, press 2 more times to exit.",
        "exit_one_more": "Shift, press 1 more time to exit.",
        "support_heading": "If you need support",
        "language": "Language",
        "surveys_title": "Surveys",
        "no_surveys": "There are no surveys open at the moment.",
        "edit_language_note": "Change the language",
        "or": "or",
        "chars_description": "You can enter up to %{count} characters",
        "chars_under_one": "You have %{count} character remaining",
        "chars_under_other": "You have %{count} characters remaining",
        "chars_at_limit": "You have 0 characters remaining",
        "chars_over_one": "You have %{count} character too many",
        "chars_over_other": "You have %{count} characters too many",

        "results_title": "Results",
        "results_we_asked": "We asked",
        "results_you_said": "You said",
        "results_we_did": "We did",
        "results_took_part": "{n} people took part",
        "results_as_of": "Figures from the {kind} report, counting responses up to {day}.",
        "results_kind_interim": "interim",
        "results_kind_final": "final",
        "results_who": "Who took part, compared with everyone who lives here",
        "results_answer": "Answer",
        "results_people": "People",
        "results_share": "Share",
        "results_category": "Group",
        "results_share_respondents": "Share of people who took part",
        "results_share_population": "Share of the population",
        "results_fewer": "fewer than {n}",
        "results_base": "{n} people answered this question.",
        "results_small_cells": ("To protect people's privacy, groups of fewer than {n} people are not shown, "
                                "and nor is one more small group where that would let you work them out."),
        "results_none_yet": "Results have not been published yet.",
        "results_no_updates": "We have not posted an update yet.",
        "results_open_data": "Open data",
        "results_open_data_text": "The published figures (only the totals and shares above) as open data:",
        "results_download_json": "JSON",
        "results_download_csv": "CSV (spreadsheet)",
        "results_why": "Why we asked",
        "results_open": "Open",
        "results_closed": "Closed",
        "results_take_part": "Take part",
        "results_view": "See the results",
        "results_closes": "Closes {day}",
        "results_closed_on": "Closed {day}",
    },
    "pl": {
        "start_now": "Rozpocznij",
        "continue": "Dalej",
        "back": "Wstecz",
        "change": "Zmień",
        "send": "Wyślij odpowiedzi",
        "there_is_a_problem": "Wystąpił problem",
        "error_prefix": "Błąd",
        "section_of": "Część {n} z {total}",
        "question_n": "Pytanie {n}",
        "skip_link": "Przejdź do treści głównej",
        "who_runs": "Kto prowadzi tę ankietę",
        "why": "Dlaczego pytamy",
        "how_long": "Ile to potrwa",
        "how_long_range": "Zajmie to około {min}–{max} minut, w zależności od odpowiedzi.",
        "how_long_one": "Zajmie to około {max} minut.",
        "privacy": "Twoja prywatność",
        "privacy_default": "Nie pytamy o imię, nazwisko ani dane kontaktowe i nie zapisujemy adresu IP ani "
                           "urządzenia. Odpowiedzi służą wyłącznie tej ankiecie.",
        "closes_on": "Ankieta potrwa do {date}.",
        "anonymous": "Nie musisz podawać imienia ani adresu e-mail.",
        "resume_prompt": "Masz już kod? Kontynuuj ankietę",
        "check_title": "Sprawdź odpowiedzi przed wysłaniem",
        "not_answered": "Brak odpowiedzi",
        "check_send_heading": "Wyślij odpowiedzi",
        "check_send_text": "Wysyłając odpowiedzi potwierdzasz, że wyrażają one Twoje własne zdanie.",
        "done_title": "Twoje odpowiedzi zostały wysłane",
        "done_thanks": "Dziękujemy za udział.",
        "what_next": "Co dalej",
        "save_later": "Zapisz i wróć później",
        "save_title": "Twój kod powrotu",
        "save_text": "Zapisz ten kod lub przechowaj go w bezpiecznym miejscu. Wpisz go na dowolnym "
                     "urządzeniu, aby kontynuować od miejsca, w którym skończono.",
        "save_valid": "Kod działa do {date}. Nikomu nie pokazuje Twoich odpowiedzi: pozwala jedynie "
                      "kontynuować ankietę.",
        "save_continue": "Kontynuuj ankietę teraz",
        "save_replaces": "Ten kod zastępuje kod otrzymany wcześniej: poprzedni kod już nie działa.",
        "resume_title": "Kontynuuj za pomocą kodu",
        "resume_label": "Kod powrotu",
        "resume_hint": "10 liter i cyfr, które otrzymano, na przykład KQ7X4-M2RTD",
        "resume_error_blank": "Wpisz kod powrotu",
        "resume_error_format": "Wpisz kod powrotu we właściwym formacie, na przykład KQ7X4-M2RTD",
        "resume_error_unknown": "Nie rozpoznano kodu powrotu: sprawdź go i spróbuj ponownie",
        "too_many_title": "Zbyt wiele prób",
        "too_many_text": "Wpisano zbyt wiele kodów. Odczekaj 15 minut i spróbuj ponownie.",
        "closed_title": "Ankieta została zamknięta",
        "closed_on": "Ankieta została zamknięta {date}.",
        "closed_not_sent": "Odpowiedzi nie zostały wysłane, ponieważ ankietę zamknięto przed jej "
                           "ukończeniem.",
        "not_open_title": "Ankieta nie jest jeszcze otwarta",
        "opens_on": "Ankieta zostanie otwarta {date}.",
        "timed_out_title": "Przepraszamy, sesja wygasła",
        "timed_out_text": "Zachowaliśmy udzielone już odpowiedzi.",
        "timed_out_link": "Wróć i spróbuj ponownie",
        "not_found_title": "Nie znaleziono strony",
        "not_found_text": "Jeśli adres został wpisany ręcznie, sprawdź, czy jest poprawny.",
        "error_title": "Przepraszamy, wystąpił problem z usługą",
        "error_text": "Spróbuj ponownie później. Dotychczasowe odpowiedzi zostały zachowane.",
        "too_large_title": "Odpowiedź jest zbyt długa",
        "too_large_text": "Wróć, skróć odpowiedź i spróbuj ponownie.",
        "exit_page": "Opuść tę stronę",
        "exit_emergency": "Pilne",
        "exit_activated": "Ładowanie.",
        "exit_timed_out": "Opcja opuszczenia strony wygasła.",
        "exit_two_more": "Naciśnij Shift jeszcze 2 razy, aby wyjść.",
        "exit_one_more": "Naciśnij Shift jeszcze 1 raz, aby wyjść.",
        "support_heading": "Jeśli potrzebujesz wsparcia",
        "language": "Język",
        "surveys_title": "Ankiety",
        "no_surveys": "Obecnie nie ma otwartych ankiet.",
        "edit_language_note": "Zmień język",
        "or": "lub",
        "chars_description": "Możesz wpisać do %{count} znaków",
        "chars_under_one": "Pozostał %{count} znak",
        "chars_under_few": "Pozostały %{count} znaki",
        "chars_under_many": "Pozostało %{count} znaków",
        "chars_under_other": "Pozostało %{count} znaku",
        "chars_at_limit": "Pozostało 0 znaków",
        "chars_over_one": "Przekroczono limit o %{count} znak",
        "chars_over_few": "Przekroczono limit o %{count} znaki",
        "chars_over_many": "Przekroczono limit o %{count} znaków",
        "chars_over_other": "Przekroczono limit o %{count} znaku",

        "results_title": "Wyniki",
        "results_we_asked": "Zapytaliśmy",
        "results_you_said": "Odpowiedzieliście",
        "results_we_did": "Co zrobiliśmy",
        "results_took_part": "Liczba uczestników: {n}",
        "results_as_of": "Dane z raportu ({kind}) obejmują odpowiedzi do {day}.",
        "results_kind_interim": "śródokresowy",
        "results_kind_final": "końcowy",
        "results_who": "Kto wziął udział w porównaniu z wszystkimi mieszkańcami",
        "results_answer": "Odpowiedź",
        "results_people": "Osoby",
        "results_share": "Odsetek",
        "results_category": "Grupa",
        "results_share_respondents": "Odsetek uczestników",
        "results_share_population": "Odsetek mieszkańców",
        "results_fewer": "mniej niż {n}",
        "results_base": "Na to pytanie odpowiedziało {n} osób.",
        "results_small_cells": ("Aby chronić prywatność, nie pokazujemy grup liczących mniej niż {n} osób "
                                "ani jednej dodatkowej małej grupy, jeśli pozwalałaby je obliczyć."),
        "results_none_yet": "Wyniki nie zostały jeszcze opublikowane.",
        "results_no_updates": "Nie opublikowaliśmy jeszcze informacji o działaniach.",
        "results_open_data": "Otwarte dane",
        "results_open_data_text": "Opublikowane dane (tylko powyższe sumy i odsetki) jako otwarte dane:",
        "results_download_json": "JSON",
        "results_download_csv": "CSV (arkusz kalkulacyjny)",
        "results_why": "Dlaczego pytaliśmy",
        "results_open": "Otwarta",
        "results_closed": "Zamknięta",
        "results_take_part": "Weź udział",
        "results_view": "Zobacz wyniki",
        "results_closes": "Zamknięcie: {day}",
        "results_closed_on": "Zamknięta {day}",
    },
}


def supported(lang: str | None) -> str:
    """The catalogue language to use for `lang` (English when the service has no words for it)."""
    return lang if lang in CATALOGUE else DEFAULT


def translate(key: str, lang: str | None = None, **values: Any) -> str:
    """The service's string `key` in `lang` (falling back to English), with `{placeholders}` filled."""
    table = CATALOGUE[supported(lang)]
    text = table.get(key) or CATALOGUE[DEFAULT][key]
    return text.format(**values) if values else text


def format_date(day: date, lang: str | None = None) -> str:
    """A date as people write it: '26 July 2016', '26 lipca 2016'."""
    months = MONTHS.get(supported(lang), MONTHS[DEFAULT])
    return f"{day.day} {months[day.month - 1]} {day.year}"


@pass_context
def _template_translate(context: Context, key: str, **values: Any) -> str:
    lang = context.get("lang") or g.get("lang")
    return translate(key, str(lang) if lang else None, **values)


def init_app(app: Flask) -> None:
    """Make `t(key, ...)` (in the page's `lang`) and `format_date` available in every template."""
    app.jinja_env.globals["t"] = _template_translate
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
