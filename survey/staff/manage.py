"""Survey management: questionnaires with versions and status; dates, close early, reopen, retention, publish.

Publishing a new version never touches responses already given: each keeps the version it answered, and
old versions stay stored. A file whose version number is already stored with other content is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import Questionnaire
from survey.engine.loader import parse_json
from survey.services.publishing import publish_problems
from survey.services.questionnaires import closing_date, opening_date, state
from survey.services.words import gettext
from survey.staff import audit, bp, setting
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import definition
from survey.staff.form_fields import add_error
from survey.staff.questionnaire_forms import (
    POLICY_TEXT,
    CloseForm,
    DatesForm,
    PublishForm,
    ReopenForm,
    RetentionForm,
)
from survey.store import repository
from survey.store import repository_staff as repo
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion
from survey.store.models_staff import QuestionnaireSettings
from survey.web.i18n import format_date
from survey.web.uploads import too_deep_message

Page = str | WerkzeugResponse | tuple[str, int]


@dataclass(frozen=True)
class Status:
    """A questionnaire's dates as they apply today, and what that means."""

    opens: date | None
    closes: date | None
    label: str
    colour: str

    @property
    def is_open(self) -> bool:
        """True while residents can answer."""
        return self.label.startswith("Open")


def status_of(row: QuestionnaireVersion, day: date) -> Status:
    """Open, closed or not open yet, from the staff overrides or else the definition's dates."""
    q = definition(row)
    opens, closes, now = opening_date(row, q), closing_date(row, q), state(row, q, day)
    if now == "not_yet":
        return Status(opens, closes, gettext("Not open yet"), "blue")
    if now == "closed":
        return Status(opens, closes, gettext("Closed"), "grey")
    return Status(opens, closes, gettext("Open") if closes else gettext("Open, no closing date"), "green")


def retention_due(settings: QuestionnaireSettings, day: date) -> bool:
    """True when the retention date has come and retention has not been applied since."""
    when = settings.retention_date
    return (
        when is not None
        and when <= day
        and (settings.retention_applied_on is None or settings.retention_applied_on < when)
    )


def _current_or_404(questionnaire_id: str) -> QuestionnaireVersion:
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if row is None:
        abort(404)
    return row


@bp.get("/questionnaires")
@on_home_page
@require_role("admin", "analyst")
def questionnaires() -> str:
    """Questionnaires: versions, opening and closing dates, status and retention."""
    session = get_session()
    day = today()
    rows = []
    for row in repository.current_questionnaires(session=session):
        qid = row.questionnaire_id
        counts = repo.response_counts(session=session, questionnaire_id=qid)
        rows.append(
            {
                "row": row,
                "status": status_of(row, day),
                "versions": len(repo.questionnaire_versions(session=session, questionnaire_id=qid)),
                "complete": sum(n for (_, status), n in counts.items() if status == "complete"),
                "settings": repo.questionnaire_settings(session=session, questionnaire_id=qid),
            }
        )
    return render_template(
        "staff/questionnaires.html",
        rows=rows,
        policy_text=POLICY_TEXT,
        retention_due=retention_due,
        today=day,
    )


def _detail(row: QuestionnaireVersion, posted: Any = None, status: int = 200) -> Page:
    """The questionnaire's page: `posted` is the form just sent (with its errors); the others show what is
    stored."""
    session = get_session()
    qid = row.questionnaire_id
    counts = repo.response_counts(session=session, questionnaire_id=qid)
    versions = [
        {
            "row": version,
            "complete": counts.get((version.version, "complete"), 0),
            "in_progress": counts.get((version.version, "in_progress"), 0),
        }
        for version in repo.questionnaire_versions(session=session, questionnaire_id=qid)
    ]
    current = status_of(row, today())
    settings = repo.questionnaire_settings(session=session, questionnaire_id=qid)
    weeks = setting("SURVEY_STAFF_DEFAULT_WEEKS_OPEN")
    forms = {
        "dates": DatesForm(formdata=None, data={"opens": current.opens, "closes": current.closes}),
        "close": CloseForm(formdata=None),
        "reopen": ReopenForm(formdata=None, data={"reopen_closes": today() + timedelta(weeks=weeks)}),
        "retention": RetentionForm(
            formdata=None, data={"retention": settings.retention_date, "policy": settings.retention_policy}
        ),
    }
    for name, form in forms.items():
        if posted is not None and type(posted) is type(form):
            forms[name] = posted
    return render_template(
        "staff/questionnaire.html",
        row=row,
        q=definition(row),
        versions=versions,
        status=current,
        settings=settings,
        forms=forms,
        posted=posted,
        weeks=weeks,
        policy_text=POLICY_TEXT,
        today=today(),
        due=retention_due(settings, today()),
    ), status


@bp.get("/questionnaires/<questionnaire_id>")
@require_role("admin", "analyst")
def questionnaire(questionnaire_id: str) -> Page:
    """One questionnaire: its versions with response counts, dates, status and retention."""
    return _detail(_current_or_404(questionnaire_id))


def _back(row: QuestionnaireVersion, message: str) -> WerkzeugResponse:
    flash(message, "success")
    return redirect(url_for("staff.questionnaire", questionnaire_id=row.questionnaire_id))


@bp.post("/questionnaires/<questionnaire_id>/dates")
@require_role("admin")
def set_dates(questionnaire_id: str) -> Page:
    """Set the opening and closing dates (closing defaults to the consultation policy's 12 weeks)."""
    row = _current_or_404(questionnaire_id)
    before = status_of(row, today())
    form = DatesForm()
    if form.validate_on_submit():
        opens, closes = form.opens.data, form.closes.data
        if closes is None:
            closes = opens + timedelta(weeks=setting("SURVEY_STAFF_DEFAULT_WEEKS_OPEN"))
        if closes < opens:
            add_error(form.closes, gettext("Closing date must be the same as or after the opening date"))
    if form.errors or not form.is_submitted():
        return _detail(row, form, 200)
    repository.set_questionnaire_dates(
        session=get_session(), questionnaire_id=questionnaire_id, opens=opens, closes=closes
    )
    audit.record(
        "questionnaire.dates",
        questionnaire=questionnaire_id,
        opens={"old": before.opens, "new": opens},
        closes={"old": before.closes, "new": closes},
    )
    return _back(
        row,
        gettext(
            "Dates saved: open from %(opens)s to %(closes)s",
            opens=format_date(opens),
            closes=format_date(closes),
        ),
    )


@bp.post("/questionnaires/<questionnaire_id>/close")
@require_role("admin")
def close_early(questionnaire_id: str) -> Page:
    """Close the questionnaire now: nobody can start or send answers from today."""
    row = _current_or_404(questionnaire_id)
    before = status_of(row, today())
    form = CloseForm()
    if not before.is_open:
        form.form_errors.append(
            gettext("This questionnaire is not open (it is %(label)s)", label=before.label.lower())
        )
        return _detail(row, form)
    if not form.validate_on_submit():
        return _detail(row, form)
    closes = today() - timedelta(days=1)  # the closing date is the last day answers are taken
    opens = before.opens if before.opens is None or before.opens <= closes else closes
    repository.set_questionnaire_dates(
        session=get_session(), questionnaire_id=questionnaire_id, opens=opens, closes=closes
    )
    audit.record(
        "questionnaire.close", questionnaire=questionnaire_id, closes={"old": before.closes, "new": closes}
    )
    return _back(row, gettext("Closed: residents can no longer start or send answers"))


@bp.post("/questionnaires/<questionnaire_id>/reopen")
@require_role("admin")
def reopen(questionnaire_id: str) -> Page:
    """Reopen a closed questionnaire until a new closing date."""
    row = _current_or_404(questionnaire_id)
    before = status_of(row, today())
    form = ReopenForm()
    if form.validate_on_submit() and form.reopen_closes.data < today():
        add_error(form.reopen_closes, gettext("New closing date must be today or in the future"))
    closes = form.reopen_closes.data
    if form.errors or closes is None:
        return _detail(row, form)
    opens = before.opens if before.opens is not None and before.opens <= today() else today()
    repository.set_questionnaire_dates(
        session=get_session(), questionnaire_id=questionnaire_id, opens=opens, closes=closes
    )
    audit.record(
        "questionnaire.reopen",
        questionnaire=questionnaire_id,
        opens={"old": before.opens, "new": opens},
        closes={"old": before.closes, "new": closes},
    )
    return _back(row, gettext("Reopened until %(closes)s", closes=format_date(closes)))


@bp.post("/questionnaires/<questionnaire_id>/retention")
@require_role("admin")
def set_retention(questionnaire_id: str) -> Page:
    """Set the retention date and what is deleted on it."""
    row = _current_or_404(questionnaire_id)
    session = get_session()
    settings = repo.questionnaire_settings(session=session, questionnaire_id=questionnaire_id)
    form = RetentionForm()
    form.validate_on_submit()
    kept_until, policy = form.retention.data, form.policy.data
    closes = status_of(row, today()).closes
    if form.retention.errors or kept_until is None:
        pass
    elif closes is not None and kept_until <= closes:
        add_error(
            form.retention,
            gettext("Retention date must be after the closing date (%(closes)s)", closes=format_date(closes)),
        )
    elif closes is None and kept_until <= today():
        add_error(
            form.retention,
            gettext("Retention date must be in the future (the questionnaire has no closing date)"),
        )
    if form.errors or kept_until is None:
        return _detail(row, form)
    old = {"retention_date": settings.retention_date, "policy": settings.retention_policy}
    settings.retention_date, settings.retention_policy = kept_until, policy
    settings.retention_applied_on = None
    repo.save_settings(session=session, settings=settings)
    audit.record(
        "questionnaire.retention",
        questionnaire=questionnaire_id,
        retention_date={"old": old["retention_date"], "new": kept_until},
        policy={"old": old["policy"], "new": policy},
    )
    return _back(
        row,
        gettext(
            "Retention saved: %(policy)s on %(kept_until)s",
            policy=POLICY_TEXT[policy].lower(),
            kept_until=format_date(kept_until),
        ),
    )


def _publish_problems(data: Any, filename: str) -> tuple[list[str], Questionnaire | None]:
    """Validation messages for an uploaded definition (empty when it can be published)."""
    return publish_problems(get_session(), data, filename)


@bp.route("/questionnaires/publish", methods=["GET", "POST"])
@require_role("admin")
def publish() -> Page:
    """Publish a questionnaire: upload a new version of a definition file (JSON)."""
    form = PublishForm()
    if not form.validate_on_submit():
        return render_template("staff/publish.html", form=form, problems=[]), 200
    upload = form.definition.data
    filename = (upload.filename or "").rsplit("/", 1)[-1]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and (too_deep := too_deep_message(text)) is not None:
        add_error(form.definition, gettext("The selected file is not valid JSON"))
        return render_template("staff/publish.html", form=form, problems=[f"{filename}: {too_deep}"]), 200
    data, parse_problems = parse_json(text, filename) if text is not None else (None, [])
    if text is None or parse_problems:
        problems = [str(p) for p in parse_problems] or [
            gettext("%(filename)s is not a UTF-8 text file", filename=filename)
        ]
        add_error(form.definition, gettext("The selected file is not valid JSON"))
        return render_template("staff/publish.html", form=form, problems=problems), 200
    problems, q = _publish_problems(data, filename)
    if problems or q is None:
        add_error(form.definition, gettext("The selected file cannot be published"))
        return render_template("staff/publish.html", form=form, problems=problems), 200
    previous = repository.current_questionnaire(session=get_session(), questionnaire_id=q.id)
    row, _action = repository.store_questionnaire(session=get_session(), definition=q.raw, loaded_on=today())
    audit.record(
        "questionnaire.publish",
        questionnaire=q.id,
        file=filename,
        version={"old": previous.version if previous else None, "new": q.version},
    )
    return _back(
        row,
        gettext(
            "Published version %(version)s: new responses use it; earlier responses keep the version "
            "they answered",
            version=q.version,
        ),
    )


@bp.app_template_filter("staff_date")
def staff_date(value: date) -> str:
    """A date as staff read it: 1 June 2026."""
    return format_date(value, "en")
