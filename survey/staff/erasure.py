"""Erase one resident's response by its id (UK GDPR Article 17): admins only, with a confirmation step.

What goes with the response (its hand-coded themes, unpublished report snapshots and report, export or
theme-suggestion files that may hold it) and what stays (reports published on the public results page,
not recomputed: docs/security.md says why) is survey.services.erasure's rule; the confirmation page lists
it, with counts. Every erasure is in the audit trail as `response.erase`.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import erasure
from survey.services.inputs import whole_number
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.erasure_forms import EraseForm
from survey.staff.form_fields import add_error
from survey.store import repository_security as stored
from survey.store.db import get_session
from survey.store.models import Response

Page = str | WerkzeugResponse | tuple[str, int]


def _find(raw: str) -> tuple[Response | None, str | None]:
    """The response with the typed id, or what is wrong with the id."""
    raw = raw.strip()
    if not raw:
        return None, gettext("Enter the response number")
    number = whole_number(raw)
    if number is None:
        return None, gettext("Enter the response number as a whole number, like 1234")
    found = stored.response_by_id(session=get_session(), response_id=number)
    if found is None:
        return None, gettext(
            "There is no response number %(number)s: it may have been erased already", number=number
        )
    return found, None


@bp.route("/responses/erase", methods=["GET", "POST"])
@on_home_page
@require_role("admin")
def erase_response() -> Page:
    """Erase a response: delete one resident's answers on request, by response number."""
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template("staff/erase.html", form=form)
    found, problem = _find(form.response_id.data)
    if found is None:
        add_error(form.response_id, problem or gettext("Enter the response number"))
        return render_template("staff/erase.html", form=form), 200
    if form.confirm.data != "yes":
        goes = erasure.describe(erasure.plan(session=get_session(), response=found), done=False)
        return render_template("staff/erase_confirm.html", response=found, goes=goes)
    rid, status, qid = found.id, found.status, found.questionnaire_id
    erased = erasure.erase(session=get_session(), response=found)
    audit.record(
        "response.erase", questionnaire=qid, response=rid, status=status, **erasure.audit_counts(erased)
    )
    what = "; ".join(erasure.describe(erased, done=True))
    flash(gettext("Erased response %(id)s: %(what)s", id=rid, what=what), "success")
    return redirect(url_for("staff.erase_response"))
