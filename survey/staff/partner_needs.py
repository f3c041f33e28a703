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

from flask import render_template

from analysis import dashboard as metrics
from analysis.disclosure.policy import policy_of
from analysis.report import report_to_dict
from survey.config import today
from survey.services import partner_needs as service
from survey.services.reporting import ReportProblem, make_report
from survey.staff import bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.channels import visible_channels
from survey.staff.dashboard import definition, profile
from survey.store import repository
from survey.store.db import get_session
from survey.store.repository_dashboard import responses_for_dashboard

_REPORTS: dict[tuple[str, str, date, int], dict[str, Any] | None] = {}  # partner reports, as JSON


def partner_report(
    questionnaire_id: str, version: str, point: date, rows: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The partner report (report_to_dict) as of the release point `point`, None before the first. Kept
    while the responses released at `point` are the same (the point moves only in steps; a response
    moderation leaves out makes it anew)."""
    key = (questionnaire_id, version, point, hash(tuple(r["id"] for r in rows)))
    if key not in _REPORTS:
        try:
            made = make_report(
                session=get_session(),
                questionnaire_id=questionnaire_id,
                kind="interim",
                fmt="json",
                as_of=point,
                created_by="partner page",
                keep=False,
                audience="partner",
            )
        except ReportProblem:
            made = None
        if len(_REPORTS) >= 32:
            _REPORTS.clear()
        _REPORTS[key] = report_to_dict(made.report) if made is not None else None
    return _REPORTS[key]


def _questionnaire_needs(questionnaire_id: str, codes: list[str]) -> dict[str, Any]:
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if row is None:
        return {
            "title": questionnaire_id,
            "problem": "This questionnaire is no longer running.",
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
        threshold=policy_of(q.raw).threshold,
        table_of=table_of,
        report_of=lambda point, rows: partner_report(q.id, row.version, point, rows),
    )
    names = dict(metrics.PROFILE_TOPICS)
    labels = {dimension: names[topic] for topic, dimension in metrics.profile_dimensions(q.raw).items()}
    return {
        "title": row.title,
        "problem": problems[0] if problems else None,
        "needs": found,
        "labels": labels,
    }


@bp.get("/partner")
@on_home_page
@require_role("partner", "analyst")
def partner_needs() -> str:
    """Who we still need to hear from: the groups the partnership needs, and how your links reach them."""
    user = current_staff()
    assert user is not None
    channels = visible_channels(user)
    by_questionnaire: dict[str, list[Any]] = {}
    for channel in channels:
        by_questionnaire.setdefault(channel.questionnaire_id, []).append(channel)
    sections = []
    for questionnaire_id, mine in sorted(by_questionnaire.items()):
        needs = _questionnaire_needs(questionnaire_id, [c.code for c in mine])
        sections.append({"id": questionnaire_id, "channels": mine, **needs})
    return render_template(
        "staff/partner_needs.html",
        sections=sections,
        not_yet=service.NOT_YET,
        smaller_groups=service.SMALLER_GROUPS,
        partner=user.partner_name if user.role == "partner" else None,
    )
