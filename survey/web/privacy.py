"""The privacy notice's sentence saying when a questionnaire's answers are deleted (the start page)."""

from __future__ import annotations

from flask import Flask

from survey.engine.catalogue import N_, gettext
from survey.store import repository_staff as repo
from survey.store.db import Session, get_session
from survey.web.i18n import format_date, supported

NOTICES = {
    "whole_responses": N_("We keep your answers until %(date)s, then delete them."),
    "free_text_and_sensitive": N_(
        "On %(date)s we will delete anything you wrote in your own words and your "
        "answers to sensitive questions. We keep your other answers to compare "
        "with future surveys."
    ),
}


def notice(*, session: Session, questionnaire_id: str, lang: str) -> str | None:
    """The privacy notice's sentence about the retention date, in `lang` (None when no date is set)."""
    terms = repo.retention_terms(session=session, questionnaire_id=questionnaire_id)
    if terms is None:
        return None
    retention_date, policy = terms
    language = supported(lang)
    text = gettext(NOTICES[policy], language)
    return text % {"date": format_date(retention_date, language)}


def retention_notice(questionnaire_id: str, lang: str = "en") -> str | None:
    """For the start page's privacy notice: when (and what of) this questionnaire's answers are deleted."""
    return notice(session=get_session(), questionnaire_id=questionnaire_id, lang=lang)


def init_app(app: Flask) -> None:
    """Templates may call `retention_notice(questionnaire_id, lang)`."""
    app.add_template_global(retention_notice, "retention_notice")
