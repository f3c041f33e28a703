"""The partner view that helps: which groups the partnership still needs, and how their links reach them.

For each questionnaire a partner has links for: the under-represented groups of the representativeness
table, how many more responses each still needs, and what each of the partner's links has brought in from
that group, with the ready poster and QR code of each link. Every figure is as of a release point, built by
survey.services.partner_needs from the same stepped data as the partner channel page (so the two agree,
and one more response changes nothing until the step is reached). A group is listed only when the partner
report built for the same release point (survey.services.reporting, audience "partner") still shows its
flag as "under", and its need band only when the auditor finds it pins no hidden count of that report
(survey.services.need_bands).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis import dashboard as metrics
from analysis.disclosure.policy import policy_of
from survey.config import today
from survey.services import partner_needs as service
from survey.services import partner_reports
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.channels import visible_channels
from survey.staff.dashboard import definition, profile
from survey.store import repository
from survey.store.db import get_session
from survey.store.repository_dashboard import responses_for_dashboard

REFRESH_SECONDS = 5  # the "preparing" page reloads itself this often


def partner_report(
    questionnaire_id: str,
    version: str,
    point: date,
    rows: Sequence[Mapping[str, Any]],
    *,
    retry: bool = False,
) -> dict[str, Any] | None:
    """The partner report (report_to_dict) as of the release point `point`, None when none can be made;
    raises partner_reports.Pending while its background job is queued, running or has failed. Made once
    per questionnaire version, point and set of released responses, read back by every process."""
    return partner_reports.report_of(
        session=get_session(),
        questionnaire_id=questionnaire_id,
        version=version,
        point=point,
        ids=[int(r["id"]) for r in rows],
        retry=retry,
    )


def _questionnaire_needs(questionnaire_id: str, codes: list[str], retry: bool = False) -> dict[str, Any]:
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if row is None:
        return {
            "title": questionnaire_id,
            "problem": gettext("This questionnaire is no longer running."),
            "needs": None,
        }
    q = definition(row)
    problems: list[str] = []

    def table_of(rows: Any) -> Any:  # the same profile the channel page uses
        found = profile(q, [dict(r) for r in rows])
        if found.problem:
            problems.append(found.problem)
        return found.table

    found = service.needs(
        responses_for_dashboard(session=get_session(), questionnaire_id=q.id),
        codes,
        today=today(),
        threshold=policy_of(q).threshold,
        table_of=table_of,
        report_of=lambda point, rows: partner_report(q.id, row.version, point, rows, retry=retry),
    )
    names = dict(metrics.PROFILE_TOPICS)
    labels = {dimension: names[topic] for topic, dimension in metrics.profile_dimensions(q).items()}
    return {
        "title": row.title,
        "problem": problems[0] if problems else None,
        "needs": found,
        "labels": labels,
    }


def _page(*, retry: bool = False, refresh: bool = True) -> WerkzeugResponse:
    """The page; or, while a questionnaire's partner report is being made (or failed), a page saying so."""
    user = current_staff()
    assert user is not None
    channels = visible_channels(user)
    by_questionnaire: dict[str, list[Any]] = {}
    for channel in channels:
        by_questionnaire.setdefault(channel.questionnaire_id, []).append(channel)
    sections = []
    waiting: list[partner_reports.Pending] = []
    for questionnaire_id, mine in sorted(by_questionnaire.items()):
        try:
            needs = _questionnaire_needs(questionnaire_id, [c.code for c in mine], retry)
        except partner_reports.Pending as pending:  # never partial figures: the whole page waits
            waiting.append(pending)
            continue
        sections.append({"id": questionnaire_id, "channels": mine, **needs})
    if waiting:
        failed = any(p.failed for p in waiting)
        progress = min(p.job.progress for p in waiting if not p.failed) if not failed else 0
        page = render_template(
            "staff/partner_preparing.html",
            failed=failed,
            progress=progress,
            refresh=REFRESH_SECONDS if refresh and not failed else None,
        )
        response = make_response(page)
        response.headers["Cache-Control"] = "no-store"
        return response
    return make_response(
        render_template(
            "staff/partner_needs.html",
            sections=sections,
            not_yet=service.NOT_YET,
            smaller_groups=service.SMALLER_GROUPS,
            partner=user.partner_name if user.role == "partner" else None,
        )
    )


@bp.get("/partner")
@on_home_page
@require_role("partner", "analyst")
def partner_needs() -> WerkzeugResponse:
    """Who we still need to hear from: the groups the partnership needs, and how your links reach them.

    The figures need the partner report of the release point, made once in the background: until it is
    ready the page says the figures are being prepared (and reloads itself, unless `?refresh=off`: WCAG
    2.2.1 lets the reader turn that off), or that they could not be."""
    return _page(refresh=request.args.get("refresh") != "off")


@bp.post("/partner/prepare")
@require_role("partner", "analyst")
def partner_needs_prepare() -> WerkzeugResponse:
    """Try again: queue once more the partner report whose making failed, then back to the page."""
    _page(retry=True)
    return redirect(url_for("staff.partner_needs"), 303)
