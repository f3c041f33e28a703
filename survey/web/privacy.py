"""The privacy notice's sentence saying when a questionnaire's answers are deleted (the start page)."""
from __future__ import annotations

from flask import Flask

from survey.store import repository_staff as repo
from survey.store.db import Session, get_session
from survey.web.i18n import format_date

NOTICES = {
    "en": {
        "whole_responses": "We keep your answers until {date}, then delete them.",
        "free_text_and_sensitive": "On {date} we will delete anything you wrote in your own words and your "
                                   "answers to sensitive questions. We keep your other answers to compare "
                                   "with future surveys.",
    },
    "pl": {
        "whole_responses": "Przechowujemy Twoje odpowiedzi do {date}, a potem je usuwamy.",
        "free_text_and_sensitive": "Dnia {date} usuniemy wszystko, co napiszesz własnymi słowami, oraz "
                                   "odpowiedzi na pytania drażliwe. Pozostałe odpowiedzi zachowamy, aby "
                                   "porównać je z przyszłymi badaniami.",
    },
}


def notice(*, session: Session, questionnaire_id: str, lang: str) -> str | None:
    """The privacy notice's sentence about the retention date, in `lang` (None when no date is set)."""
    settings = repo.questionnaire_settings(session=session, questionnaire_id=questionnaire_id)
    if settings.retention_date is None:
        return None
    texts = NOTICES.get(lang, NOTICES["en"])
    language = lang if lang in NOTICES else "en"
    return texts[settings.retention_policy].format(date=format_date(settings.retention_date, language))


def retention_notice(questionnaire_id: str, lang: str = "en") -> str | None:
    """For the start page's privacy notice: when (and what of) this questionnaire's answers are deleted."""
    return notice(session=get_session(), questionnaire_id=questionnaire_id, lang=lang)


def init_app(app: Flask) -> None:
    """Templates may call `retention_notice(questionnaire_id, lang)`."""
    app.add_template_global(retention_notice, "retention_notice")
