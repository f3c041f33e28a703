"""The staff home page: what the signed-in role can do, found from the staff views themselves.

Every staff view marked `@on_home_page` (a GET page with no `<...>` part, meant for navigating to; not
forms that act, nor downloads) that the role may open is listed, titled by its docstring: "Title: what it
is for." A new staff page appears by adding that one decorator.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext

from survey.staff import bp
from survey.staff.auth import current_staff, login_required
from survey.store.models_staff import StaffUser

HIDDEN = frozenset({"staff.home", "staff.sign_in", "staff.sign_out", "staff.change_password"})
ROLE_SUMMARY = {
    "admin": lazy_gettext(
        "You can do everything: manage questionnaires, dates and retention, invite and manage staff, "
        "staff work, and read the audit trail."
    ),
    "analyst": lazy_gettext(
        "You can see dashboards, reports and exports, code free-text answers into themes, key and "
        "check paper forms, moderate responses and publish results."
    ),
    "partner": lazy_gettext(
        "You can see the numbers of responses that came in through your organisation's links, and "
        "which groups the partnership still needs to hear from."
    ),
}


@dataclass(frozen=True)
class Link:
    """One thing the role can do."""

    title: str
    description: str
    href: str


def links_for(user: StaffUser) -> list[Link]:
    """The staff pages marked for the home page that this member of staff may open, by title."""
    found: list[Link] = []
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or rule.endpoint in HIDDEN or rule.arguments:
            continue
        if "GET" not in (rule.methods or set()):
            continue
        view = current_app.view_functions[rule.endpoint]
        if not getattr(view, "staff_home_page", False):
            continue
        roles = getattr(view, "staff_roles", None)
        if roles is None or user.role not in roles:
            continue
        first = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
        title, _, description = first.partition(":")
        description = description.strip().rstrip(".")
        found.append(Link(title.strip(), description[:1].upper() + description[1:], url_for(rule.endpoint)))
    return sorted(found, key=lambda link: link.title)


@bp.get("/")
@login_required
def home() -> str:
    """Staff home: what you can do."""
    user = current_staff()
    assert user is not None
    return render_template(
        "staff/home.html", user=user, links=links_for(user), summary=ROLE_SUMMARY.get(user.role, "")
    )
