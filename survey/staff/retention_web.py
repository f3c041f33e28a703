"""Retention and erasure on the web: the dry run first (what would go), then apply, both audited.

The rule is survey.services.retention (the command line's `survey retention apply` uses the same one).
The page always shows the dry run; applying needs the admin to tick that they have read it (a refused
apply shows the dry run again, with the GOV.UK error on the box). Opening the page records nothing: a dry
run goes into the audit trail when an admin asks for it (the page's button), and every apply does.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.services import retention
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.erasure_forms import RetentionApplyForm
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]


def _record(action: str, results: list[retention.RetentionResult]) -> None:
    due = [r for r in results if r.due]
    if not due:
        audit.record(action, questionnaires_due=0)
    for result in due:
        audit.record(action, **retention.audit_details(result), via="web")


def _dry_run_page(form: RetentionApplyForm) -> str:
    """The dry run (what would go; recorded only when asked), with the form to apply it."""
    results = retention.run(session=get_session(), today=today(), commit=False)
    lines = [(r, retention.describe(r, commit=False)) for r in results]
    return render_template(
        "staff/retention.html",
        lines=lines,
        anything=any(r.due and r.removes_anything for r in results),
        form=form,
    )


@bp.get("/retention")
@on_home_page
@require_role("admin")
def retention_page() -> str:
    """Retention and erasure: see what is due for deletion (a dry run), then apply it."""
    return _dry_run_page(RetentionApplyForm())


@bp.post("/retention/dry-run")
@require_role("admin")
def retention_record_dry_run() -> WerkzeugResponse:
    """Record today's dry run in the audit trail (for example before a decision to apply it)."""
    results = retention.run(session=get_session(), today=today(), commit=False)
    _record("retention.dry_run", results)
    flash(gettext("Today's dry run is recorded in the audit trail."), "success")
    return redirect(url_for("staff.retention_page"))


@bp.post("/retention/apply")
@require_role("admin")
def retention_apply() -> Page:
    """Delete what the dry run showed (only with the confirmation ticked); safe to run again."""
    form = RetentionApplyForm()
    if not form.validate_on_submit():
        return _dry_run_page(form), 400
    results = retention.run(session=get_session(), today=today(), commit=True)
    _record("retention.apply", results)
    done = [retention.describe(r, commit=True) for r in results if r.due]
    applied = (
        gettext("Retention applied. %(done)s", done=" ".join(done))
        if done
        else gettext("Retention applied. Nothing was due.")
    )
    flash(applied, "success")
    return redirect(url_for("staff.retention_page"))
