"""Public short addresses of partner channels: /c/<code> opens the survey with the channel recorded."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.store import repository, repository_channels
from survey.store.db import get_session
from survey.web.i18n import supported

bp = Blueprint("links", __name__)
LANG = re.compile(r"^[a-z]{2,3}$")


@bp.get("/c/<code>")
def follow(code: str) -> WerkzeugResponse | tuple[str, int]:
    """Redirect to the channel's survey with ?c=CODE; an unknown or retired code gets a friendly 404."""
    db = get_session()
    channel = repository_channels.channel_by_code(session=db, code=code) if len(code) <= 64 else None
    # the page is in the poster's language (?lang=cy) when the service speaks it, else English
    page_lang = supported(request.args.get("lang"))
    if channel is None or not channel.active:
        return render_template("links/unknown.html", lang=page_lang, retired=channel is not None), 404
    if repository.current_questionnaire(session=db, questionnaire_id=channel.questionnaire_id) is None:
        return render_template("links/unknown.html", lang=page_lang, retired=True), 404
    lang = request.args.get("lang", "")
    extra: dict[str, Any] = {"lang": lang} if LANG.match(lang) else {}  # a Polish poster opens it in Polish
    target = url_for("respond.start", questionnaire_id=channel.questionnaire_id, c=channel.code, **extra)
    return redirect(target, code=302)
