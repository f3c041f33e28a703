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
        "other_details": "If you chose '{label}', give details",
        "date_day": "Day",
        "date_month": "Month",
        "date_year": "Year",
        "rank_none": "Not ranked",
        "screened_out": "You cannot go on with this survey. You can close this page.",
        "postcode_kept": "If you give your postcode, we keep only its first part (for example MK9), "
                         "never the full postcode.",
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
        "other_details": "Jeśli wybierasz „{label}”, podaj szczegóły",
        "date_day": "Dzień",
        "date_month": "Miesiąc",
        "date_year": "Rok",
        "rank_none": "Bez miejsca",
        "screened_out": "Nie możesz kontynuować tej ankiety. Możesz zamknąć tę stronę.",
        "postcode_kept": "Jeśli podasz kod pocztowy, zachowamy tylko jego pierwszą część (np. MK9), nigdy "
                         "pełnego kodu.",
    },
}


# Welsh, so far only the words of the newer question types and the progress caption: used key by key before
# falling back to English (a language joins CATALOGUE only once every string is translated; issue 19's
# gettext catalogues will replace both).
PARTIAL: dict[str, dict[str, str]] = {
    "cy": {
        "other_details": "Os dewisoch '{label}', rhowch fanylion",
        "date_day": "Diwrnod",
        "date_month": "Mis",
        "date_year": "Blwyddyn",
        "rank_none": "Dim safle",
        "screened_out": "Ni allwch fynd ymlaen â'r arolwg hwn. Gallwch gau'r dudalen hon.",
        "postcode_kept": "Os rhowch eich cod post, dim ond ei ran gyntaf (er enghraifft MK9) rydym yn ei "
                         "chadw, byth y cod post llawn.",
        "section_of": "Adran {n} o {total}",
        "question_n": "Cwestiwn {n}",
        "or": "neu",
    },
}


def supported(lang: str | None) -> str:
    """The catalogue language to use for `lang` (English when the service has no words for it)."""
    return lang if lang in CATALOGUE else DEFAULT


def translate(key: str, lang: str | None = None, **values: Any) -> str:
    """The service's string `key` in `lang` (falling back to English), with `{placeholders}` filled."""
    table = CATALOGUE[supported(lang)]
    text = PARTIAL.get(lang or "", {}).get(key) or table.get(key) or CATALOGUE[DEFAULT][key]
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


# -- words of the hardening work (issue 17): receipts, shared devices, outages -------------------------
# Kept in one block so the catalogue above merges easily; Welsh has these words only (the rest of a
# Welsh page falls back to English, as translate() does for any missing word).
_HARDENING_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "shared_label": "I am using a shared or public device",
        "shared_hint": "We will not keep your place on this device: after 15 minutes without using it, or "
                       "when "
                       "you save to come back later, you need your resume code to see or change your "
                       "answers. "
                       "Close the browser when you finish.",
        "outage_text": "Your answer has not been saved yet. Try again in a few minutes: your answer is still "
                       "in the form below.",
        "outage_retry": "Send again",
        "outage_typed": "What you entered",
        "receipt_offer_heading": "Get a receipt",
        "receipt_offer_text": "A receipt code lets you see, print or erase the answers you sent, until the "
                              "survey closes.",
        "receipt_get": "Get a receipt code",
        "receipt_title": "Your receipt code",
        "receipt_keep": "Keep this code safe: anyone who has it can see your answers. Enter it on the "
                        "survey's receipt page to see, print or erase your answers until {date}.",
        "receipt_replaces": "This code replaces any receipt code you were given before.",
        "receipt_enter_title": "See or erase the answers you sent",
        "receipt_hint": "The receipt code you were given after sending your answers, for example KQ7X4-M2RTD",
        "receipt_error_blank": "Enter your receipt code",
        "receipt_error_format": "Enter the receipt code in the right format, like KQ7X4-M2RTD",
        "receipt_error_unknown": "The receipt code was not recognised: check it and try again",
        "receipt_answers_title": "The answers you sent",
        "receipt_sent_on": "Sent on {date}.",
        "receipt_print": "To keep a copy, print this page or save it as a PDF from your browser's menu.",
        "receipt_erase_button": "Erase my answers",
        "receipt_erase_confirm_title": "Are you sure you want to erase your answers?",
        "receipt_erase_confirm_text": "Your answers will be deleted and cannot be brought back. They will "
                                      "not be counted in the results.",
        "receipt_erase_yes": "Yes, erase my answers",
        "receipt_erased_title": "Your answers have been erased",
        "receipt_erased_text": "Your answers have been deleted. Results already published are not changed.",
        "receipt_privacy": "After you send your answers you can get a receipt code. With it you can see, "
                           "print "
                           "or erase what you sent until the survey closes. After the survey closes your "
                           "answers are part of the analysed results and can no longer be erased with the "
                           "code.",
        "receipt_link": "See or erase answers you sent",
        "too_many_codes_text": "You have entered too many codes. Wait 15 minutes and try again.",
    },
    "pl": {
        "shared_label": "Korzystam ze wspólnego lub publicznego urządzenia",
        "shared_hint": "Nie zapamiętamy Twojego miejsca na tym urządzeniu: po 15 minutach bezczynności lub "
                       "po "
                       "zapisaniu ankiety na później, aby zobaczyć lub zmienić odpowiedzi, potrzebny będzie "
                       "kod powrotu. Po zakończeniu zamknij przeglądarkę.",
        "outage_text": "Twoja odpowiedź nie została jeszcze zapisana. Spróbuj ponownie za kilka minut: "
                       "odpowiedź nadal jest w formularzu poniżej.",
        "outage_retry": "Wyślij ponownie",
        "outage_typed": "Twoja odpowiedź",
        "receipt_offer_heading": "Otrzymaj potwierdzenie",
        "receipt_offer_text": "Kod potwierdzenia pozwala zobaczyć, wydrukować lub usunąć wysłane odpowiedzi "
                              "do czasu zamknięcia ankiety.",
        "receipt_get": "Otrzymaj kod potwierdzenia",
        "receipt_title": "Twój kod potwierdzenia",
        "receipt_keep": "Przechowuj ten kod w bezpiecznym miejscu: każdy, kto go zna, może zobaczyć Twoje "
                        "odpowiedzi. Wpisz go na stronie potwierdzenia ankiety, aby zobaczyć, wydrukować lub "
                        "usunąć odpowiedzi do {date}.",
        "receipt_replaces": "Ten kod zastępuje każdy wcześniej otrzymany kod potwierdzenia.",
        "receipt_enter_title": "Zobacz lub usuń wysłane odpowiedzi",
        "receipt_hint": "Kod potwierdzenia otrzymany po wysłaniu odpowiedzi, na przykład KQ7X4-M2RTD",
        "receipt_error_blank": "Wpisz kod potwierdzenia",
        "receipt_error_format": "Wpisz kod potwierdzenia we właściwym formacie, na przykład KQ7X4-M2RTD",
        "receipt_error_unknown": "Nie rozpoznano kodu potwierdzenia: sprawdź go i spróbuj ponownie",
        "receipt_answers_title": "Wysłane odpowiedzi",
        "receipt_sent_on": "Wysłano {date}.",
        "receipt_print": "Aby zachować kopię, wydrukuj tę stronę lub zapisz ją jako PDF z menu przeglądarki.",
        "receipt_erase_button": "Usuń moje odpowiedzi",
        "receipt_erase_confirm_title": "Czy na pewno chcesz usunąć swoje odpowiedzi?",
        "receipt_erase_confirm_text": "Odpowiedzi zostaną usunięte bez możliwości przywrócenia i nie będą "
                                      "uwzględnione w wynikach.",
        "receipt_erase_yes": "Tak, usuń moje odpowiedzi",
        "receipt_erased_title": "Twoje odpowiedzi zostały usunięte",
        "receipt_erased_text": "Twoje odpowiedzi zostały usunięte. Wyniki już opublikowane nie zmieniają "
                               "się.",
        "receipt_privacy": "Po wysłaniu odpowiedzi możesz otrzymać kod potwierdzenia. Dzięki niemu do czasu "
                           "zamknięcia ankiety możesz zobaczyć, wydrukować lub usunąć wysłane odpowiedzi. Po "
                           "zamknięciu ankiety odpowiedzi są częścią analizowanych wyników i nie można ich "
                           "już "
                           "usunąć za pomocą kodu.",
        "receipt_link": "Zobacz lub usuń wysłane odpowiedzi",
        "too_many_codes_text": "Wpisano zbyt wiele kodów. Odczekaj 15 minut i spróbuj ponownie.",
    },
    "cy": {
        "error_title": "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
        "shared_label": "Rwy'n defnyddio dyfais a rennir neu ddyfais gyhoeddus",
        "shared_hint": "Ni fyddwn yn cadw eich lle ar y ddyfais hon: ar ôl 15 munud heb ei defnyddio, neu "
                       "pan "
                       "fyddwch yn cadw i ddod yn ôl yn nes ymlaen, bydd angen eich cod ailddechrau arnoch i "
                       "weld neu newid eich atebion. Caewch y porwr pan fyddwch wedi gorffen.",
        "outage_text": "Nid yw eich ateb wedi'i gadw eto. Rhowch gynnig arall arni mewn ychydig funudau: mae "
                       "eich ateb yn dal yn y ffurflen isod.",
        "outage_retry": "Anfon eto",
        "outage_typed": "Yr hyn a roesoch",
        "receipt_offer_heading": "Cael derbynneb",
        "receipt_offer_text": "Mae cod derbynneb yn gadael i chi weld, argraffu neu ddileu'r atebion a "
                              "anfonwyd gennych, nes i'r arolwg gau.",
        "receipt_get": "Cael cod derbynneb",
        "receipt_title": "Eich cod derbynneb",
        "receipt_keep": "Cadwch y cod hwn yn ddiogel: gall unrhyw un sydd ag ef weld eich atebion. Rhowch ef "
                        "ar dudalen derbynneb yr arolwg i weld, argraffu neu ddileu eich atebion tan {date}.",
        "receipt_replaces": "Mae'r cod hwn yn cymryd lle unrhyw god derbynneb a gawsoch o'r blaen.",
        "receipt_enter_title": "Gweld neu ddileu'r atebion a anfonwyd gennych",
        "receipt_hint": "Y cod derbynneb a gawsoch ar ôl anfon eich atebion, er enghraifft KQ7X4-M2RTD",
        "receipt_error_blank": "Rhowch eich cod derbynneb",
        "receipt_error_format": "Rhowch y cod derbynneb yn y fformat cywir, fel KQ7X4-M2RTD",
        "receipt_error_unknown": "Nid oedd y cod derbynneb yn cael ei adnabod: gwiriwch ef a rhowch gynnig "
                                 "arall arni",
        "receipt_answers_title": "Yr atebion a anfonwyd gennych",
        "receipt_sent_on": "Anfonwyd ar {date}.",
        "receipt_print": "I gadw copi, argraffwch y dudalen hon neu ei chadw fel PDF o ddewislen eich porwr.",
        "receipt_erase_button": "Dileu fy atebion",
        "receipt_erase_confirm_title": "Ydych chi'n siŵr eich bod am ddileu eich atebion?",
        "receipt_erase_confirm_text": "Bydd eich atebion yn cael eu dileu ac ni ellir dod â nhw yn ôl. Ni "
                                      "fyddant yn cael eu cyfrif yn y canlyniadau.",
        "receipt_erase_yes": "Ydw, dilëwch fy atebion",
        "receipt_erased_title": "Mae eich atebion wedi cael eu dileu",
        "receipt_erased_text": "Mae eich atebion wedi cael eu dileu. Nid yw canlyniadau sydd eisoes wedi'u "
                               "cyhoeddi yn newid.",
        "receipt_privacy": "Ar ôl anfon eich atebion gallwch gael cod derbynneb. Gydag ef gallwch weld, "
                           "argraffu "
                           "neu ddileu'r hyn a anfonwyd gennych nes i'r arolwg gau. Ar ôl i'r arolwg gau, "
                           "mae "
                           "eich atebion yn rhan o'r canlyniadau a ddadansoddwyd ac ni ellir eu dileu gyda'r "
                           "cod mwyach.",
        "receipt_link": "Gweld neu ddileu atebion a anfonwyd gennych",
        "too_many_codes_text": "Rydych wedi rhoi gormod o godau. Arhoswch 15 munud a rhowch gynnig arall "
                               "arni.",
    },
}
for _lang, _words in _HARDENING_WORDS.items():
    if _lang in CATALOGUE:
        CATALOGUE[_lang].update(_words)
    else:  # a language the service does not fully speak yet: these words only (see translate)
        PARTIAL.setdefault(_lang, {}).update(_words)
