"""The partner view that helps: which groups the partnership still needs, and how their links reach them.

For each questionnaire a partner has links for: the under-represented groups of the representativeness
table (respondents against the census), how many more responses each still needs (rounded to the nearest
10; under 10 shown as "fewer than 10"), and what each of the partner's links has brought in from that group
(counts under 10, and any count that would reveal one, hidden: analysis.dashboard.channel_profile), with the
ready poster and QR code of each link.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from analysis import dashboard as metrics
from survey.staff import bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.channels import visible_channels
from survey.staff.dashboard import definition, profile
from survey.store import repository
from survey.store.db import get_session
from survey.store.repository_dashboard import responses_for_dashboard


def rounded_need(needed: int, min_cell: int = metrics.MIN_CELL) -> str:
    """How many more responses a group needs, as shown to partners: to the nearest 10, never a small count."""
    if needed <= 0:
        return "none"
    if needed < min_cell:
        return f"fewer than {min_cell}"
    return f"about {int(round(needed, -1)):,}"


def _questionnaire_needs(questionnaire_id: str, codes: list[str]) -> dict[str, Any]:
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if row is None:
        return {
            "title": questionnaire_id,
            "problem": "This questionnaire is no longer running.",
            "groups": [],
        }
    q = definition(row)
    result = profile(q, responses_for_dashboard(session=get_session(), questionnaire_id=q.id))
    if result.table is None:
        return {"title": row.title, "problem": result.problem, "groups": []}
    mine = metrics.channel_profile(result.table, codes)
    groups = []
    for group in metrics.under_represented(result.table):
        reached = {}
        for code in codes:
            counts = {g.category: g.count for g in mine[code].get(group.dimension, ())}
            reached[code] = counts.get(group.category)
        groups.append(
            {
                "dimension": result.labels.get(group.dimension, group.dimension),
                "category": group.category,
                "sample_share": group.sample_share,
                "population_share": group.population_share,
                "needed": rounded_need(group.needed),
                "reached": reached,
            }
        )
    return {"title": row.title, "problem": None, "groups": groups}


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
        min_cell=metrics.MIN_CELL,
        partner=user.partner_name if user.role == "partner" else None,
    )
