"""Partner channels: tracked short links per partner and medium, their QR codes, posters and counts."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from analysis import dashboard as metrics
from analysis.disclosure.partner_page import partner_page
from analysis.disclosure.policy import policy_of
from survey.config import today
from survey.engine import analyse_paths
from survey.services import channels as links
from survey.services import partner_names, screening
from survey.services.questionnaires import closing_date
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.channel_forms import EditChannelForm, NewChannelForm
from survey.staff.dashboard import current_or_404, definition, profile
from survey.staff.form_fields import add_error
from survey.store import repository, repository_channels
from survey.store.db import get_session
from survey.store.models_channels import MEDIA, Channel
from survey.store.models_staff import StaffUser
from survey.store.repository_dashboard import responses_for_dashboard
from survey.web.i18n import format_date

Page = str | WerkzeugResponse | tuple[str, int]


def _user() -> StaffUser:
    user = current_staff()
    assert user is not None  # require_role let the request in
    return user


def visible_channels(user: StaffUser, questionnaire_id: str | None = None) -> list[Channel]:
    """The channels this member of staff may see: all of them, or a partner's own."""
    db = get_session()
    if user.role == "partner":
        if not user.partner_name:
            return []
        rows = repository_channels.list_channels(session=db, questionnaire_id=questionnaire_id)
        return [c for c in rows if partner_names.same(c.partner_name, user.partner_name)]
    return repository_channels.list_channels(session=db, questionnaire_id=questionnaire_id)


def channel_or_404(code: str) -> Channel:
    """The channel if it exists and this member of staff may see it (a partner: only their own)."""
    channel = repository_channels.channel_by_code(session=get_session(), code=code)
    user = _user()
    if channel is None or (
        user.role == "partner" and not partner_names.same(channel.partner_name, user.partner_name)
    ):
        abort(404)
    return channel


@bp.get("/channels")
@on_home_page
@require_role("analyst", "partner")
def channels() -> str:
    """Channels: tracked links, QR codes and posters for partners, with the responses each brought in."""
    user = _user()
    wanted = request.args.get("questionnaire") or None
    rows = visible_channels(user, wanted)
    current = repository.current_questionnaires(session=get_session())
    if user.role == "partner":
        totals = _stepped_totals(rows, {r.questionnaire_id: r for r in current})
    else:
        totals = repository_channels.channel_totals(session=get_session(), codes=[c.code for c in rows])
    return render_template(
        "staff/channels.html",
        rows=rows,
        totals=totals,
        wanted=wanted,
        questionnaires={r.questionnaire_id: r.title for r in current},
        can_edit=user.role != "partner",
    )


def _stepped_totals(rows: list[Channel], current: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Partners' totals as of each channel's last release point (analysis.disclosure.partner_page)."""
    activity = repository_channels.channel_activity(session=get_session(), codes=[c.code for c in rows])
    out = {}
    for c in rows:
        version = current.get(c.questionnaire_id)
        threshold = policy_of(definition(version)).threshold if version is not None else metrics.MIN_CELL
        page = partner_page(activity, c.code, today=today(), threshold=threshold)
        out[c.code] = (page.started or 0, page.completed)
    return out


def _partner_name(typed: str) -> str:
    """The spelling already in use, so a partner's account and all their links carry the same name."""
    return partner_names.canonical(typed, partner_names.names_in_use(get_session()))


def _form_page(form: Any, channel: Channel | None) -> Page:
    page = render_template(
        "staff/channels_form.html",
        form=form,
        channel=channel,
        partners=partner_names.names_in_use(get_session()),
    )
    return (page, 400) if form.errors else page


@bp.route("/channels/new", methods=["GET", "POST"])
@require_role("analyst")
def new_channel() -> Page:
    """Create a tracked link for a partner and medium."""
    shown = {"questionnaire_id": request.args.get("questionnaire", ""), "medium": "poster"}
    form = NewChannelForm(data=None if request.method == "POST" else shown)
    form.questionnaire_id.choices = [SelectChoice("", gettext("Select a questionnaire"))] + [
        SelectChoice(row.questionnaire_id, row.title)
        for row in repository.current_questionnaires(session=get_session())
    ]
    if not form.validate_on_submit():
        return _form_page(form, None)
    try:
        channel = repository_channels.create_channel(
            session=get_session(),
            questionnaire_id=form.questionnaire_id.data,
            partner_name=_partner_name(form.partner_name.data),
            medium=form.medium.data,
            label=form.label.data,
            created_by=_user().email,
            created_at=datetime.now(UTC),
            code=form.code.data or None,
        )
    except repository_channels.ChannelCodeTaken:
        add_error(
            form.code,
            gettext(
                "The short code '%(data)s' is already used by another link: choose another",
                data=form.code.data,
            ),
        )
        return _form_page(form, None)
    audit.record(
        "channel.create",
        questionnaire=channel.questionnaire_id,
        code=channel.code,
        partner=channel.partner_name,
        medium=channel.medium,
        label=channel.label,
    )
    return redirect(url_for("staff.channel", code=channel.code, created=1))


@bp.route("/channels/<code>/edit", methods=["GET", "POST"])
@require_role("analyst")
def edit_channel(code: str) -> Page:
    """Change a channel's partner, medium or label, or switch its link off and on."""
    channel = channel_or_404(code)
    shown = {
        "partner_name": channel.partner_name,
        "medium": channel.medium,
        "label": channel.label,
        "active": "yes" if channel.active else "no",
    }
    form = EditChannelForm(data=None if request.method == "POST" else shown)
    if not form.validate_on_submit():
        return _form_page(form, channel)
    changes = repository_channels.update_channel(
        session=get_session(),
        channel=channel,
        partner_name=_partner_name(form.partner_name.data),
        medium=form.medium.data,
        label=form.label.data,
        active=form.active.data == "yes",
    )
    if changes:
        audit.record(
            "channel.edit",
            questionnaire=channel.questionnaire_id,
            code=channel.code,
            old={k: v[0] for k, v in changes.items()},
            new={k: v[1] for k, v in changes.items()},
        )
    return redirect(url_for("staff.channel", code=channel.code, saved=1 if changes else 0))


@bp.get("/channels/<code>")
@require_role("analyst", "partner")
def channel(code: str) -> str:
    """One channel: its short address, QR code, poster, and responses per day."""
    found = channel_or_404(code)
    user = _user()
    activity = repository_channels.channel_activity(session=get_session(), codes=[found.code])
    days = [d for d in metrics.daily_counts(activity, end=today()) if d.started or d.completed]
    started, completed = len(activity), sum(1 for a in activity if a["status"] == "complete")
    groups: dict[str, Any] = {}
    labels: dict[str, str] = {}
    languages: list[str] = []
    problem = None
    stepped = user.role == "partner"  # partners see the page move only at release points
    min_cell = metrics.MIN_CELL
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=found.questionnaire_id)
    screened: int | None = 0
    if row is not None:
        responses = responses_for_dashboard(session=get_session(), questionnaire_id=found.questionnaire_id)
        loaded = definition(row)
        screening.mark(loaded, responses)
        screened = sum(1 for r in responses if r.get("channel") == found.code and metrics.is_screened_out(r))
        languages = list(loaded.languages)
        result = profile(loaded, responses)
        problem, labels = result.problem, result.labels
        if stepped:
            min_cell = policy_of(loaded).threshold
            page = partner_page(
                responses,
                found.code,
                today=today(),
                threshold=min_cell,
                profile=lambda rows: profile(loaded, [dict(r) for r in rows]).table,
            )
            groups, started, completed = page.groups, page.started or 0, page.completed
            screened = page.screened_out
            days = [metrics.DayCount(day, None, n, 0) for day, n in page.steps]  # type: ignore[arg-type]
        elif result.table is not None:
            groups = metrics.channel_profile(result.table, [found.code])[found.code]
    elif stepped:
        days, started, completed, screened = [], 0, 0, None
    return render_template(
        "staff/channels_detail.html",
        c=found,
        url=links.short_url(found.code),
        days=list(reversed(days)),
        started=started,
        completed=completed,
        screened=screened,
        screens_out=row is not None and screening.has_screen_out(definition(row)),
        groups=groups,
        labels=labels,
        problem=problem,
        min_cell=min_cell,
        languages=languages,
        stepped=stepped,
        can_edit=user.role != "partner",
        title=row.title if row else found.questionnaire_id,
        media=dict(MEDIA),
        created=request.args.get("created"),
        saved=request.args.get("saved"),
    )


def _download(body: bytes, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _file_stem(channel: Channel) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", f"{channel.questionnaire_id}-{channel.code}".lower()).strip("-")


@bp.get("/channels/<code>/qr.svg")
@require_role("analyst", "partner")
def channel_qr_svg(code: str) -> Response:
    """The channel's QR code as SVG (any size, for designers)."""
    found = channel_or_404(code)
    body = links.qr_svg(
        links.short_url(found.code), title=gettext("QR code for %(code)s", code=links.short_url(found.code))
    )
    return _download(
        body, "image/svg+xml", f"{_file_stem(found)}-qr.svg", inline=request.args.get("inline") == "1"
    )


@bp.get("/channels/<code>/qr.png")
@require_role("analyst", "partner")
def channel_qr_png(code: str) -> Response:
    """The channel's QR code as PNG."""
    found = channel_or_404(code)
    return _download(links.qr_png(links.short_url(found.code)), "image/png", f"{_file_stem(found)}-qr.png")


def _colour(value: str | None) -> str:
    """The organisation's colour for the poster's rule when it is a plain #rrggbb, else GOV.UK blue."""
    return value if value and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#1d70b8"


@bp.get("/channels/<code>/poster.pdf")
@require_role("analyst", "partner")
def channel_poster(code: str) -> Page | Response:
    """A printable A4 poster with the QR code and short address (?lang=pl for the Polish one)."""
    found = channel_or_404(code)
    row, q = current_or_404(found.questionnaire_id)
    lang = request.args.get("lang") or q.language
    if lang not in q.languages:
        abort(404)
    url = links.short_url(found.code)
    qr_url = url if lang == q.language else links.short_url(found.code, lang)  # scanning opens that language
    description = q.text(q.description, lang) if q.description else ""
    why = [p.strip() for p in description.replace("\r\n", "\n").split("\n\n") if p.strip()][:1]
    closes = closing_date(row, q)
    shown_url = links.display_url(url)
    html = render_template(
        "staff/channels_poster.html",
        lang=lang,
        title=q.text(q.title, lang),
        owner=q.owner.name if q.owner else "",
        why=why,
        shown_url=shown_url,
        qr=links.qr_png_data_uri(qr_url),
        words=links.poster_words(
            lang,
            minutes=max(1, math.ceil(analyse_paths(q).max_minutes)),
            closes=format_date(closes, lang) if closes else None,
            partner=found.partner_name,
            url=shown_url,
        ),
        colour=_colour(q.owner.colour if q.owner else None),
    )
    try:
        pdf = links.poster_pdf(html)
    except links.PosterError as error:
        current_app.logger.exception("Poster for channel %s failed", found.code)
        return render_template("staff/channels_problem.html", c=found, message=str(error)), 503
    suffix = "" if lang == q.language else f"-{lang}"
    return _download(pdf, "application/pdf", f"{_file_stem(found)}-poster{suffix}.pdf")
