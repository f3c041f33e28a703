"""Public results for staff: publish a stored public-audience report on the public results page, write
"we did" updates.

The public page (/s/<id>/results, survey/respond/results.py) shows the latest published report's aggregates
as a public-audience report has them (small counts hidden and audited by analysis.disclosure; presented by
survey/services/results.py) and these updates, newest first. Only a report made for the public audience
may be published (survey/services/results_publish.py says why another may not).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services.results_publish import publish_problem
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.forms import WeDidForm
from survey.store import repository, repository_reports, repository_results
from survey.store.db import get_session
from survey.store.models_staff import utcnow

Page = str | WerkzeugResponse | tuple[str, int]


@bp.get("/results")
@on_home_page
@require_role("analyst")
def results_index() -> str:
    """Public results: publish reports and write "we did" updates for residents."""
    return render_template(
        "staff/results_index.html", rows=repository.current_questionnaires(session=get_session())
    )


def _page(questionnaire_id: str, form: WeDidForm, status: int = 200, problem: str = "") -> Page:
    row, q = current_or_404(questionnaire_id)
    db = get_session()
    page = render_template(
        "staff/results.html",
        row=row,
        q=q,
        form=form,
        snapshots=repository_reports.list_snapshots(session=db, questionnaire_id=q.id),
        audiences=repository_reports.snapshot_audiences(session=db, questionnaire_id=q.id),
        published=repository_results.published_ids(session=db, questionnaire_id=q.id),
        updates=repository_results.we_did(session=db, questionnaire_id=q.id),
        problem=problem,
    )
    return (page, status) if status != 200 else page


@bp.get("/results/<questionnaire_id>")
@require_role("analyst")
def results_staff(questionnaire_id: str) -> Page:
    """One questionnaire's public results: which report is published, and the "we did" updates."""
    return _page(questionnaire_id, WeDidForm())


@bp.post("/results/<questionnaire_id>/we-did")
@require_role("analyst")
def add_we_did(questionnaire_id: str) -> Page:
    """Publish a dated "we did" update on the public results page."""
    _row, q = current_or_404(questionnaire_id)
    form = WeDidForm()
    if not form.validate_on_submit():
        return _page(q.id, form, 400)
    me = current_staff()
    assert form.on.data is not None  # required, and the date's format was checked
    update = repository_results.add_we_did(
        session=get_session(),
        questionnaire_id=q.id,
        on=form.on.data,
        title=form.title.data.strip(),
        body=form.body.data.strip(),
        by=me.email if me else "unknown",
        now=utcnow(),
    )
    audit.record("results.we_did", questionnaire=q.id, update_id=update.id, title=update.title, on=update.on)
    flash(gettext("Published the update “%(title)s”", title=update.title), "success")
    return redirect(url_for("staff.results_staff", questionnaire_id=q.id))


@bp.post("/results/<questionnaire_id>/we-did/<int:update_id>/remove")
@require_role("analyst")
def remove_we_did(questionnaire_id: str, update_id: int) -> Page:
    """Take a "we did" update off the public page."""
    _row, q = current_or_404(questionnaire_id)
    removed = repository_results.remove_we_did(
        session=get_session(), questionnaire_id=q.id, update_id=update_id
    )
    if removed is not None:
        audit.record("results.we_did_removed", questionnaire=q.id, update_id=update_id, title=removed.title)
        flash(gettext("Removed the update “%(title)s”", title=removed.title), "success")
    return redirect(url_for("staff.results_staff", questionnaire_id=q.id))


@bp.post("/results/<questionnaire_id>/publish/<int:snapshot_id>")
@require_role("analyst")
def publish_results(questionnaire_id: str, snapshot_id: int) -> Page:
    """Publish a stored public-audience report's aggregates on the public results page (another audience's
    report is refused, with the reason, and nothing is published)."""
    _row, q = current_or_404(questionnaire_id)
    db = get_session()
    snapshot = repository_reports.snapshot_by_id(session=db, snapshot_id=snapshot_id)
    if snapshot is None or snapshot.questionnaire_id != q.id:
        abort(404)
    problem = publish_problem(snapshot_id, snapshot.numbers, q)
    if problem is not None:
        return _page(q.id, WeDidForm(), 400, problem)
    me = current_staff()
    if repository_results.publish(
        session=db, snapshot=snapshot, by=me.email if me else "unknown", now=utcnow()
    ):
        audit.record(
            "results.publish",
            questionnaire=q.id,
            snapshot=snapshot_id,
            kind=snapshot.kind,
            audience=str(snapshot.numbers.get("audience")),
            as_of=snapshot.as_of,
            responses=snapshot.responses,
        )
        flash(gettext("Report %(id)s is published on the public results page", id=snapshot_id), "success")
    return redirect(url_for("staff.results_staff", questionnaire_id=q.id))


@bp.post("/results/<questionnaire_id>/unpublish/<int:snapshot_id>")
@require_role("analyst")
def unpublish_results(questionnaire_id: str, snapshot_id: int) -> Page:
    """Take a report off the public results page."""
    _row, q = current_or_404(questionnaire_id)
    if repository_results.unpublish(session=get_session(), snapshot_id=snapshot_id):
        audit.record("results.unpublish", questionnaire=q.id, snapshot=snapshot_id)
        flash(gettext("Report %(id)s is no longer published", id=snapshot_id), "success")
    return redirect(url_for("staff.results_staff", questionnaire_id=q.id))
