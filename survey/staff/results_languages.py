"""A "we did" update in the questionnaire's other languages (Welsh, Polish ...): its title and text in each.

The update itself is written on the public results page for staff (survey/staff/results.py); this page adds
or changes its translations. The public page shows the resident's language where there is one, and the
text as written, marked with its language, where there is not (survey/services/we_did.py).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from survey.services import we_did
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import require_role
from survey.staff.dashboard import current_or_404
from survey.store import repository_results
from survey.store.db import get_session
from survey.web.i18n import LANGUAGE_NAMES

Page = str | WerkzeugResponse | tuple[str, int]


def _form(languages: list[str], data: dict[str, Any]) -> Any:
    """A Flask-WTF form with a title and a text field per language (the questionnaire decides which)."""

    class TranslationsForm(FlaskForm):  # type: ignore[misc]
        submit = SubmitField(gettext("Save"), widget=GovSubmitInput())

    for code in languages:
        name = LANGUAGE_NAMES.get(code, code)
        setattr(
            TranslationsForm,
            f"title_{code}",
            StringField(
                gettext("Title in %(language)s", language=name),
                widget=GovTextInput(),
                validators=[Optional()],
            ),
        )
        setattr(
            TranslationsForm,
            f"body_{code}",
            TextAreaField(
                gettext("What was done, in %(language)s", language=name),
                widget=GovTextArea(),
                validators=[Optional()],
            ),
        )
    return TranslationsForm(data=data)


@bp.route("/results/<questionnaire_id>/we-did/<int:update_id>/languages", methods=["GET", "POST"])
@require_role("analyst")
def we_did_languages(questionnaire_id: str, update_id: int) -> Page:
    """Write a "we did" update's title and text in the questionnaire's other languages."""
    row, q = current_or_404(questionnaire_id)
    update = repository_results.we_did_update(
        session=get_session(), questionnaire_id=q.id, update_id=update_id
    )
    languages = we_did.other_languages(list(q.languages), q.language)
    if update is None or not languages:
        abort(404)
    saved = update.translations or {}
    data = {
        f"{part}_{code}": (saved.get(code) or {}).get(part, "")
        for code in languages
        for part in ("title", "body")
    }
    form = _form(languages, data)
    if form.validate_on_submit():
        found, errors = we_did.translations_from(form.data, languages, LANGUAGE_NAMES)
        for name, message in errors.items():
            getattr(form, name).errors = [message]
        if not errors:
            repository_results.set_we_did_translations(
                session=get_session(), questionnaire_id=q.id, update_id=update_id, translations=found
            )
            audit.record(
                "results.we_did_translated",
                questionnaire=q.id,
                update_id=update_id,
                title=update.title,
                languages=sorted(found),
            )
            flash(
                gettext("Saved the other languages of the update “%(title)s”", title=update.title), "success"
            )
            return redirect(url_for("staff.results_staff", questionnaire_id=q.id))
    page = render_template(
        "staff/results_languages.html", row=row, q=q, update=update, form=form, languages=languages
    )
    return (page, 400) if form.errors else page
