"""The live dashboard per questionnaire: responses per day, projection, completion, drop-off, profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import abort, current_app, render_template

from analysis import dashboard as metrics
from analysis.reference import ReferenceDataError, reference_name_for, resolve_reference
from analysis.representativeness import NO_CHANNEL, RepresentativenessTable, compare_questionnaire
from survey.config import today
from survey.engine import Questionnaire
from survey.services import questionnaires, screening
from survey.services.questionnaires import closing_date, opening_date
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import on_home_page, require_role
from survey.store import repository, repository_channels, repository_paper, repository_staff
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion
from survey.store.models_channels import Channel
from survey.store.repository_dashboard import responses_for_dashboard, unfinished_answers


@dataclass(frozen=True)
class Profile:
    """The respondent profile against the population, or why it could not be made."""

    table: RepresentativenessTable | None
    topics: dict[str, str]  # topic (age, sex, tenure, area) -> dimension compared
    missing_topics: tuple[str, ...]  # topics the questionnaire has no census mapping for
    problem: str | None = None

    @property
    def labels(self) -> dict[str, str]:
        """Dimension -> plain label of its topic ("Age", "Area (ward)")."""
        names = dict(metrics.PROFILE_TOPICS)
        return {dimension: names[topic] for topic, dimension in self.topics.items()}


def definition(row: QuestionnaireVersion) -> Questionnaire:
    """The loaded questionnaire of a stored version (survey.services.questionnaires: one cache)."""
    q = questionnaires.definition(row)
    assert q is not None  # a QuestionnaireVersion row carries its definition
    return q


def current_or_404(questionnaire_id: str) -> tuple[QuestionnaireVersion, Questionnaire]:
    """The current version of a questionnaire and its loaded definition; 404 when there is none."""
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if row is None:
        abort(404)
    return row, definition(row)


def profile(q: Questionnaire, responses: list[dict[str, Any]]) -> Profile:
    """Compare complete responses with the questionnaire's reference population on age, sex, tenure, area."""
    topics = metrics.profile_dimensions(q)
    missing = tuple(label for topic, label in metrics.PROFILE_TOPICS if topic not in topics)
    if not topics:
        return Profile(
            None,
            topics,
            missing,
            gettext(
                "This questionnaire maps no question on age, sex, tenure or "
                "area to the census, so there is no profile to compare."
            ),
        )
    name = reference_name_for(q)
    try:
        reference = resolve_reference(name, Path(current_app.instance_path) / "reference")
        table = compare_questionnaire(responses, reference, q, dimensions=list(topics.values()))
    except (KeyError, ReferenceDataError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        return Profile(
            None,
            topics,
            missing,
            gettext(
                "The profile could not be compared with reference population %(name)s: %(message_)s",
                name=repr(name),
                message_=message,
            ),
        )
    return Profile(table, topics, missing)


def channel_names(questionnaire_id: str | None = None) -> dict[str, Channel]:
    """Channel code -> channel (for labels and partner names)."""
    rows = repository_channels.list_channels(session=get_session(), questionnaire_id=questionnaire_id)
    return {row.code: row for row in rows}


def _question_texts(q: Questionnaire) -> list[tuple[str, str]]:
    return [(x.id, q.text(x.text) or x.id) for x in q.questions]


def with_idle_channels(
    counts: tuple[metrics.ChannelCount, ...], codes: list[str]
) -> tuple[metrics.ChannelCount, ...]:
    """Channel counts plus a zero row for every channel that has brought nobody in yet."""
    seen = {c.channel for c in counts}
    idle = [metrics.ChannelCount(code, 0, 0) for code in sorted(codes) if code not in seen]
    direct = [c for c in counts if c.channel is None]
    return (*[c for c in counts if c.channel is not None], *idle, *direct)


def summary(
    row: QuestionnaireVersion, q: Questionnaire, responses: list[dict[str, Any]], day: date
) -> dict[str, Any]:
    """Every figure the dashboard shows, from the responses_for_report dicts."""
    closes, opens = closing_date(row, q), opening_date(row, q)
    first = min((r["started_on"] for r in responses), default=None)
    start = min(d for d in (opens, first) if d is not None) if (opens or first) else None
    last = max((d for r in responses for d in (r["started_on"], r["completed_on"]) if d), default=None)
    # Up to today, or the closing date when nothing came in after it (late paper forms extend it).
    end = min(day, max(closes, last or closes)) if closes and start and closes >= start else day
    days = metrics.daily_counts(responses, end=end, start=start) if start and start <= end else ()
    online = [r for r in responses if r.get("mode", "online") == "online"]
    codes = list(channel_names(row.questionnaire_id))
    return {
        "closes": closes,
        "opens": opens,
        "days": days,
        "projection": metrics.project(days, today=end, closes=closes) if closes and day <= closes else None,
        "total": metrics.completion(responses),
        "online": metrics.completion(online),
        "drop_off": metrics.drop_off(online, _question_texts(q)),
        "median": metrics.median_seconds(responses),
        "median_text": metrics.format_duration(metrics.median_seconds(responses)),
        "modes": metrics.mode_mix(responses),
        "channels": with_idle_channels(metrics.channel_counts(responses), codes),
    }


@bp.get("/dashboard")
@on_home_page
@require_role("analyst")
def dashboard_index() -> str:
    """Live dashboard: responses, completion, drop-off and who is responding, per questionnaire."""
    db = get_session()
    rows = repository.current_questionnaires(session=db)
    counts = {}
    for row in rows:  # grouped counts, and unfinished answers only where a screen-out page can end a journey
        by_status = repository_staff.response_counts(session=db, questionnaire_id=row.questionnaire_id)
        q = definition(row)
        screened = (
            screening.count(q, unfinished_answers(session=db, questionnaire_id=row.questionnaire_id))
            if screening.has_screen_out(q)
            else 0
        )
        counts[row.questionnaire_id] = metrics.Completion(
            sum(by_status.values()),
            sum(n for (_, status), n in by_status.items() if status == "complete"),
            screened,
        )
    return render_template("staff/dashboard_index.html", rows=rows, counts=counts)


@bp.get("/dashboard/<questionnaire_id>")
@require_role("analyst")
def dashboard(questionnaire_id: str) -> str:
    """One questionnaire's live dashboard."""
    row, q = current_or_404(questionnaire_id)
    responses = responses_for_dashboard(session=get_session(), questionnaire_id=questionnaire_id)
    screening.mark(q, responses)
    figures = summary(row, q, responses, today())
    paper = repository_paper.paper_counts(session=get_session(), questionnaire_id=questionnaire_id)
    paper_mode = next((m.count for m in figures["modes"] if m.mode == "paper"), 0)
    found = profile(q, responses)
    table = found.table
    return render_template(
        "staff/dashboard.html",
        row=row,
        q=q,
        today=today(),
        f=figures,
        profile=found,
        under=metrics.under_represented(table) if table else (),
        groups=metrics.groups_by_channel(table) if table else {},
        channels=channel_names(questionnaire_id),
        no_channel=NO_CHANNEL,
        screens_out=screening.has_screen_out(q),
        paper=paper,
        # completed paper-mode responses with no batch record (loaded from a file, or keyed before batches)
        unbatched=max(0, paper_mode - (paper["keyed"] - paper["excluded"])),
    )
