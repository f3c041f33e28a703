"""The public results page of a consultation: "We asked, you said, we did", and its open data.

/s/<id>/results shows what was asked and why, how many took part and how they compare with the population,
the main findings of the latest *public-audience* report staff published (made and audited by the
disclosure control of analysis.disclosure; survey.services.results presents its cells as they are, hidden
ones hidden), and staff's dated "we did" updates. /s/<id>/results.json and .csv are the same published
aggregates as open data, with when the consultation ran, when the report was published and the licence
(survey.services.results_meta; the CSV's are in its CSVW metadata, /s/<id>/results.csv-metadata.json).
No JavaScript; the questionnaire's languages are offered.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from flask import Response, abort, current_app, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.journey import runner as journeys
from survey.journey.runner import Journey
from survey.respond import bp
from survey.services import questionnaires
from survey.services.results import (
    NotPublic,
    PublicResults,
    Table,
    open_data,
    open_data_csv,
    public_results,
)
from survey.services.results_meta import Publication, csv_metadata, licence_from, ran_key
from survey.store import repository_results
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion


def _published(journey: Journey) -> tuple[PublicResults, Publication] | None:
    """The latest published public-audience report (reports of other audiences are never shown), with
    when the consultation ran, when the report was published and the open data's licence."""
    found = repository_results.latest_published(session=get_session(), questionnaire_id=journey.q.id)
    if found is None:
        return None
    try:
        shown = public_results(found[0].numbers, journey.q)
    except NotPublic:
        return None
    return shown, _publication(journey, found[1].published_at.date())


def _publication(journey: Journey, published_on: Any) -> Publication:
    return Publication(journey.opens, journey.closes, published_on, licence_from(current_app.config))


def _localised(journey: Journey, table: Table) -> dict[str, Any]:
    """A question's table with its text and answer labels in the page's language where the survey has them."""
    qid = table.key.split(".", 1)[0]
    title, cells = table.title, list(table.cells)
    if table.kind == "question" and journey.q.has_question(qid):
        question = journey.q.question(qid)
        title = journey.text(question.text)
        if "." in table.key:
            item = next((i for i in question.items if i.id == table.key.split(".", 1)[1]), None)
            if item is not None:
                title = f"{title} – {journey.text(item.text)}"
        labels = {o.code: journey.text(o.label) for o in question.options}
        cells = [replace(c, label=labels.get(c.code, c.label)) for c in cells]
    return {"key": table.key, "number": table.number, "title": title, "base": table.base, "cells": cells}


@bp.get("/s/<questionnaire_id>/results")
def results(questionnaire_id: str) -> str:
    """We asked, you said, we did: the published results of a consultation."""
    journey = journeys.load(questionnaire_id, with_response=False)
    found = _published(journey)
    published, publication = found if found else (None, None)
    updates = repository_results.we_did(session=get_session(), questionnaire_id=journey.q.id)
    ran = _publication(journey, None)  # the dates it ran show before any report is published
    return render_template(
        "respond/results.html",
        j=journey,
        lang=journey.lang,
        published=published,
        publication=publication,
        ran=ran,
        ran_key=ran_key(ran, closed=journey.has_closed),
        updates=updates,
        questions=[_localised(journey, t) for t in published.questions] if published else [],
        population=[_localised(journey, t) for t in published.population] if published else [],
    )


def _download(body: str, content_type: str, filename: str) -> WerkzeugResponse:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _found_or_404(questionnaire_id: str) -> tuple[Journey, PublicResults, Publication]:
    journey = journeys.load(questionnaire_id, with_response=False)
    found = _published(journey)
    if found is None:
        abort(404)
    return journey, *found


@bp.get("/s/<questionnaire_id>/results.json")
def results_json(questionnaire_id: str) -> WerkzeugResponse:
    """Open data: the published aggregates as JSON, with the dates and the licence."""
    journey, published, publication = _found_or_404(questionnaire_id)
    body = json.dumps({**open_data(published), **publication.fields()}, indent=2, ensure_ascii=False)
    return _download(body, "application/json; charset=utf-8", f"{journey.q.id}-results.json")


@bp.get("/s/<questionnaire_id>/results.csv")
def results_csv(questionnaire_id: str) -> WerkzeugResponse:
    """Open data: the published aggregates as CSV; its CSVW metadata (licence, dates) is linked."""
    journey, published, _ = _found_or_404(questionnaire_id)
    response = _download(open_data_csv(published), "text/csv; charset=utf-8", f"{journey.q.id}-results.csv")
    described = url_for("respond.results_csv_metadata", questionnaire_id=journey.q.id)
    response.headers["Link"] = f'<{described}>; rel="describedby"; type="application/csvw+json"'
    return response


@bp.get("/s/<questionnaire_id>/results.csv-metadata.json")
def results_csv_metadata(questionnaire_id: str) -> WerkzeugResponse:
    """The CSV open data's description (W3C CSV on the Web): licence, dates and columns."""
    journey, _, publication = _found_or_404(questionnaire_id)
    body = csv_metadata(
        publication,
        csv_url="results.csv",  # relative to this document's address, as CSVW resolves it
        title=journey.q.text(journey.q.title, journey.q.language),
        questionnaire_id=journey.q.id,
    )
    response = Response(json.dumps(body, indent=2, ensure_ascii=False), content_type="application/csvw+json")
    response.headers["Content-Disposition"] = f'inline; filename="{journey.q.id}-results.csv-metadata.json"'
    return response


@bp.app_template_filter("iso_date")
def iso_date(text: str) -> Any:
    """A date written 2026-06-01 as a date (for format_date); the text itself when it is not one."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def home_list(rows: list[QuestionnaireVersion]) -> list[dict[str, Any]]:
    """The home page's consultations: open or closed (with dates), and whether results are published."""
    from survey.config import today

    with_results = repository_results.questionnaires_with_results(session=get_session())
    day = today()
    out = []
    for row in rows:
        q = questionnaires.definition(row)
        assert q is not None  # a full row carries its definition
        closes = questionnaires.closing_date(row, q)
        state = questionnaires.state(row, q, day)
        out.append(
            {
                "id": row.questionnaire_id,
                "title": row.title,
                "state": state,
                "closes": closes,
                "results": row.questionnaire_id in with_results,
            }
        )
    return out
