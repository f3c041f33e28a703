"""The staff face of the audit trail: `record(action, ...)` by the signed-in member of staff; the audit page.

The actions, and the rule of what an event holds, are in survey.services.audit (one list, one place).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, has_request_context, make_response, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services.audit import ACTIONS, CLI_ACTOR, CSV_LIMIT
from survey.services.audit import record as record_event
from survey.services.inputs import whole_number
from survey.services.words import gettext
from survey.staff import bp, setting
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.store import repository_staff as repo
from survey.store.db import Session, get_session
from survey.store.models_staff import AuditEvent, StaffUser

__all__ = ["ACTIONS", "CLI_ACTOR", "record"]


def record(
    action: str,
    *,
    questionnaire: str | None = None,
    actor: StaffUser | str | None = None,
    session: Session | None = None,
    **details: Any,
) -> AuditEvent:
    """Record an audit event by the signed-in member of staff (or `actor`), in the request's session.

    Example: `audit.record("report.download", questionnaire="safermk-2016", format="pdf")`.
    """
    who: StaffUser | str | None = actor
    if who is None:
        who = (current_staff() if has_request_context() else None) or (
            "anonymous" if has_request_context() else CLI_ACTOR
        )
    return record_event(
        action, questionnaire=questionnaire, actor=who, session=session or get_session(), **details
    )


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = gettext("Enter a date in the format 2026-05-31")
        return None


def _page_number() -> int:
    return whole_number(request.args.get("page", "1"), low=1, high=99_999) or 1


def _filter(errors: dict[str, str]) -> repo.AuditFilter:
    where = repo.AuditFilter(
        action=request.args.get("action") or None,
        actor=request.args.get("actor") or None,
        questionnaire_id=request.args.get("questionnaire") or None,
        since=_date_arg("since", errors),
        until=_date_arg("until", errors),
    )
    if where.since and where.until and where.since > where.until:
        errors["until"] = gettext("The end date must be the same as or after the start date")
    return where


@bp.get("/audit")
@on_home_page
@require_role("admin")
def audit_log() -> str:
    """Audit trail: who did what and when; filter by action, person, questionnaire and date."""
    errors: dict[str, str] = {}
    where = _filter(errors)
    session = get_session()
    size = setting("SURVEY_STAFF_AUDIT_PAGE_SIZE")
    page = _page_number()
    events, total = repo.audit_events(session=session, where=where, offset=(page - 1) * size, limit=size)
    found, actors = repo.audit_choices(session=session)
    actions = sorted({*ACTIONS, *found})  # every action, even one not yet recorded, can be chosen
    pages = max(1, -(-total // size))
    args = {k: v for k, v in request.args.items() if k != "page" and v}

    def link(number: int) -> str:
        values: dict[str, Any] = {**args, "page": number}
        return url_for("staff.audit_log", **values)

    return render_template(
        "staff/audit.html",
        events=events,
        total=total,
        page=page,
        pages=pages,
        link=link,
        errors=errors,
        actions=actions,
        actors=actors,
        where=where,
        args=request.args,
        actions_items=_select_items,
        page_items=page_items,
        csv_args=args,
        timezone_name=current_app.config["SURVEY_TIMEZONE"],
    )


def _select_items(values: list[str], chosen: str) -> list[dict[str, Any]]:
    return [{"value": value, "text": value, "selected": value == chosen} for value in values]


def page_items(page: int, pages: int, link: Callable[[int], str]) -> list[dict[str, Any]]:
    """Page links: the first, the last, and two either side of the current one, with gaps as ellipses."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    items: list[dict[str, Any]] = []
    for index, number in enumerate(shown):
        if index and number - shown[index - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page})
    return items


@bp.app_template_filter("staff_time")
def staff_time(moment: datetime) -> str:
    """A stored UTC time in the service's time zone, as staff read it: 21 Nov 2026 14:05."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(ZoneInfo(current_app.config["SURVEY_TIMEZONE"]))
    return f"{local.day} {local:%b %Y %H:%M}"


@bp.app_template_filter("audit_value")
def audit_value(value: Any) -> str:
    """A detail of an event as text: an old → new change on one line, lists joined."""
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        return f"{audit_value(value['old'])} → {audit_value(value['new'])}"
    if isinstance(value, list):
        return ", ".join(audit_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {audit_value(v)}" for k, v in value.items())
    return "none" if value is None else str(value)


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = audit_value(value) if not isinstance(value, str) else value
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@bp.get("/audit.csv")
@require_role("admin")
def audit_csv() -> WerkzeugResponse:
    """Download the filtered audit trail as CSV (the download is itself audited)."""
    errors: dict[str, str] = {}
    where = _filter(errors)
    if errors:
        abort(400)
    events, total = repo.audit_events(session=get_session(), where=where, offset=0, limit=CSV_LIMIT)
    record(
        "audit.download", format="csv", rows=len(events), filters={k: v for k, v in request.args.items() if v}
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time_utc", "person", "action", "questionnaire", "details"])
    for event in events:
        at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        details = "; ".join(f"{key}: {audit_value(value)}" for key, value in event.details.items())
        writer.writerow(
            [
                at.astimezone(UTC).isoformat(timespec="seconds"),
                _cell(event.actor),
                _cell(event.action),
                _cell(event.questionnaire_id or ""),
                _cell(details),
            ]
        )
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    if total > len(events):
        response.headers["X-Truncated"] = f"{len(events)} of {total}"
    return response
