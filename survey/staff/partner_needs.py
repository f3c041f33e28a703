"""The partner view that helps: which groups the partnership still needs, and how their links reach them.

For each questionnaire a partner has links for: the under-represented groups of the representativeness
table, how many more responses each still needs, and what each of the partner's links has brought in from
that group, with the ready poster and QR code of each link. Every figure is as of a release point, built by
survey.services.partner_needs from the same stepped data as the partner channel page (so the two agree,
and one more response changes nothing until the step is reached).
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from analysis import dashboard as metrics
from analysis.disclosure.policy import policy_of
from survey.config import today
from survey.services import partner_needs as service
from survey.services.partner_needs import rounded_need as rounded_need
from survey.staff import bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.channels import visible_channels
from survey.staff.dashboard import definition, profile
from survey.store import repository
from survey.store.db import get_session
from survey.store.repository_dashboard import responses_for_dashboard


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
        partner=user.partner_name if user.role == "partner" else None,
    )
