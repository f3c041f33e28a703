"""Every query and commit of the service: keyword-only functions taking `session=`."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal

from packaging.version import InvalidVersion, Version
from sqlalchemy import and_, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import configure_mappers, make_transient_to_detached, object_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from survey.store.models import QuestionnaireVersion, Response

LoadAction = Literal["added", "unchanged", "updated"]
BundleAction = Literal["added", "unchanged", "refused"]


# -- questionnaires ---------------------------------------------------------------------------------


def _title_text(definition: Mapping[str, Any]) -> str:
    qid = str(definition["id"])
    title = definition.get("title", qid)
    text = title if isinstance(title, str) else str(title.get(definition.get("language", "en"), qid))
    return text[:300]


def _new_version_row(
    definition: Mapping[str, Any], loaded_on: date, previous: QuestionnaireVersion | None
) -> QuestionnaireVersion:
    row = QuestionnaireVersion(
        questionnaire_id=str(definition["id"]),
        version=str(definition["version"]),
        title=_title_text(definition),
        definition=dict(definition),
        loaded_on=loaded_on,
    )
    if previous is not None:  # staff's date overrides belong to the questionnaire, not to one version
        row.opens_override = previous.opens_override
        row.closes_override = previous.closes_override
    return row


def _versions_of(session: Session, questionnaire_id: str) -> list[QuestionnaireVersion]:
    statement = select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
    return list(session.exec(statement))


def store_questionnaire(
    *, session: Session, definition: Mapping[str, Any], loaded_on: date
) -> tuple[QuestionnaireVersion, LoadAction]:
    """Publish a validated definition (the staff publish page): store it and make it current.

    The publish page refuses a version that is already stored with other content before calling this;
    `survey init-db` uses `load_bundled_questionnaire`, which never overwrites nor moves "current" back.
    """
    qid, version = str(definition["id"]), str(definition["version"])
    rows = _versions_of(session, qid)
    same = next((row for row in rows if row.version == version), None)
    previous = next((row for row in rows if row.is_current), None)
    action: LoadAction = "added"
    if same is not None:
        action = "unchanged" if same.definition == dict(definition) else "updated"
        same.definition = dict(definition)
        same.title = _title_text(definition)
        target = same
    else:
        target = _new_version_row(definition, loaded_on, previous)
        session.add(target)
    for row in rows:
        row.is_current = row is target
    target.is_current = True
    session.commit()
    return target, action


def version_is_newer(candidate: str, current: str) -> bool:
    """True when `candidate` is a later version number than `current` (1.10.0 > 1.9.0; PEP 440 rules).

    False when either is not a version number: then nobody can tell, and the current version stays.
    """
    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


def load_bundled_questionnaire(
    *, session: Session, definition: Mapping[str, Any], loaded_on: date
) -> tuple[QuestionnaireVersion, BundleAction, str]:
    """Store a bundled file's version if it is new; returns (row, action, note for the operator).

    Rules (`survey init-db`): a version already stored is never rewritten ("unchanged" when the file
    matches it, "refused" when it differs: responses answered the stored text). A new version is added,
    and becomes current only when the questionnaire is new or the version is newer than the current one,
    so a version published on the website later (with a higher number) stays current.
    """
    qid, version = str(definition["id"]), str(definition["version"])
    rows = _versions_of(session, qid)
    same = next((row for row in rows if row.version == version), None)
    current = next((row for row in rows if row.is_current), None)
    if same is not None:
        if same.definition == dict(definition):
            return same, "unchanged", ""
        return (
            same,
            "refused",
            (
                f"version {version} is already stored with different content: it was not changed (responses "
                "keep the version they answered); give the edited file a new version number"
            ),
        )
    target = _new_version_row(definition, loaded_on, current)
    session.add(target)
    note = ""
    target.is_current = current is None or version_is_newer(version, current.version)
    if target.is_current:
        for row in rows:
            row.is_current = False
    elif current is not None:
        note = f"(not made current: version {current.version} stays current, it is not older)"
    session.commit()
    return target, "added", note


def current_questionnaire(*, session: Session, questionnaire_id: str) -> QuestionnaireVersion | None:
    """The version that new journeys of this questionnaire use."""
    statement = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id, col(QuestionnaireVersion.is_current)
    )
    return session.exec(statement).first()


def questionnaire_version(
    *, session: Session, questionnaire_id: str, version: str
) -> QuestionnaireVersion | None:
    """One stored version of a questionnaire (a journey keeps the version it started on)."""
    statement = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id, QuestionnaireVersion.version == version
    )
    return session.exec(statement).first()


@dataclass(frozen=True)
class VersionHead:
    """What a resident's request needs of a stored version besides its (cached) definition."""

    questionnaire_id: str
    version: str
    opens_override: date | None
    closes_override: date | None


# The resident's pages run these on every request: plain column reads with statements built once. Loading
# the ORM row and decoding its JSON definition was a sixth of a question page's time; the pages keep the
# loaded definition per id and version (a stored version never changes) and read it only when new to them.
_versions = QuestionnaireVersion.__table__.c  # type: ignore[attr-defined]
_HEAD = select(
    _versions.questionnaire_id, _versions.version, _versions.opens_override, _versions.closes_override
)
_CURRENT_HEAD = _HEAD.where(_versions.questionnaire_id == bindparam("qid"), _versions.is_current)
_VERSION_HEAD = _HEAD.where(
    _versions.questionnaire_id == bindparam("qid"), _versions.version == bindparam("version")
)
_DEFINITION = select(_versions.definition).where(
    _versions.questionnaire_id == bindparam("qid"), _versions.version == bindparam("version")
)


def questionnaire_head(
    *, session: Session, questionnaire_id: str, version: str | None = None
) -> VersionHead | None:
    """The current version of a questionnaire (or the given one): id, version and staff's date overrides."""
    params = {"qid": questionnaire_id} if version is None else {"qid": questionnaire_id, "version": version}
    row = session.connection().execute(_CURRENT_HEAD if version is None else _VERSION_HEAD, params).first()
    return None if row is None else VersionHead(*row)


def questionnaire_definition(
    *, session: Session, questionnaire_id: str, version: str
) -> dict[str, Any] | None:
    """The stored JSON definition of one version."""
    row = session.connection().execute(_DEFINITION, {"qid": questionnaire_id, "version": version}).first()
    return None if row is None else dict(row[0])


def current_questionnaires(*, session: Session) -> list[QuestionnaireVersion]:
    """Every questionnaire's current version, by id."""
    statement = (
        select(QuestionnaireVersion)
        .where(col(QuestionnaireVersion.is_current))
        .order_by(col(QuestionnaireVersion.questionnaire_id))
    )
    return list(session.exec(statement))


def set_questionnaire_dates(
    *, session: Session, questionnaire_id: str, opens: date | None, closes: date | None
) -> None:
    """Override the opening and closing dates of a questionnaire (every stored version)."""
    session.execute(
        update(QuestionnaireVersion)
        .where(col(QuestionnaireVersion.questionnaire_id) == questionnaire_id)
        .values(opens_override=opens, closes_override=closes)
    )
    session.commit()


# -- responses --------------------------------------------------------------------------------------


def start_response(
    *,
    session: Session,
    questionnaire_id: str,
    questionnaire_version: str,
    started_on: date,
    language: str,
    channel: str | None = None,
    mode: str = "online",
) -> Response:
    """Create an in-progress response with a random token (the only handle the browser holds)."""
    response = Response(
        token=secrets.token_urlsafe(32),
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        channel=channel,
        mode=mode,
        language=language,
        started_on=started_on,
        # the defaults, given: for a default factory pydantic reads the factory's signature on every call
        answers={},
        visited=[],
    )
    session.add(response)
    session.commit()
    return response


_BY_TOKEN = select(Response).where(col(Response.token) == bindparam("token"))
_responses = Response.__table__  # type: ignore[attr-defined]
_WITH_HEAD = (
    sa_select(_responses, *_HEAD.selected_columns)
    .join_from(
        _responses,
        QuestionnaireVersion.__table__,  # type: ignore[attr-defined]
        and_(
            _versions.questionnaire_id == _responses.c.questionnaire_id,
            _versions.version == _responses.c.questionnaire_version,
        ),
    )
    .where(_responses.c.token == bindparam("token"), _responses.c.questionnaire_id == bindparam("qid"))
)
_RESPONSE_KEYS = tuple(column.key for column in _responses.columns)


def response_by_token(*, session: Session, token: str) -> Response | None:
    """The response a browser's journey points at (every resident request: the statement is built once)."""
    return session.exec(_BY_TOKEN, params={"token": token}).first()


def response_with_head(
    *, session: Session, token: str, questionnaire_id: str
) -> tuple[Response, VersionHead] | None:
    """A browser's response to this questionnaire with the head of the version it answers (one query).

    Every resident request runs this: the row is read as plain columns (an ORM query cost a third of a
    question page's database time) and made into a *detached* `Response`, as if loaded and let go. Its
    updates go through `_update_in_progress`, which never needs it in the session.
    """
    row = session.connection().execute(_WITH_HEAD, {"token": token, "qid": questionnaire_id}).first()
    if row is None:
        return None
    count = len(_RESPONSE_KEYS)
    # new_instance() skips what the constructor does first: making sure the mappers are configured. A new
    # worker process whose first request comes here (after a restart, under load) would otherwise make a
    # half-instrumented object (AttributeError, a 500). Once configured, the mapper's own flag says so.
    if not Response.__mapper__.configured:  # type: ignore[attr-defined]
        configure_mappers()
    response: Response = Response.__mapper__.class_manager.new_instance()  # type: ignore[attr-defined]
    response.__dict__.update(zip(_RESPONSE_KEYS, row[:count], strict=True))
    make_transient_to_detached(response)
    return response, VersionHead(*row[count:])


@cache
def _in_progress_update(names: tuple[str, ...]) -> Any:
    """UPDATE responses SET <names> WHERE id = :rid AND status = 'in_progress' (built once per column set)."""
    table = Response.__table__  # type: ignore[attr-defined]
    return (
        table.update()
        .where(table.c.id == bindparam("rid"), table.c.status == "in_progress")
        .values({name: bindparam(f"v_{name}", type_=table.c[name].type) for name in names})
    )


def _update_in_progress(session: Session, response: Response, **values: Any) -> bool:
    """Update a response only while it is in progress (never a sent one); False when no row changed.

    On success the object in hand takes the new values without being marked dirty (a later commit of
    this session must not write them again, unconditionally); otherwise, when this session holds it, it
    is expired and reloads (a detached one, as `response_with_head` makes, is not: its callers then go
    back to the database for the journey, as `no_longer_running` does).
    """
    result = session.connection().execute(
        _in_progress_update(tuple(sorted(values))),
        {"rid": response.id, **{f"v_{k}": v for k, v in values.items()}},
    )
    session.commit()
    if getattr(result, "rowcount", 0) != 1:
        if object_session(response) is session:
            session.expire(response)
        return False
    for name, value in values.items():
        set_committed_value(response, name, value)
    return True


def save_answer(
    *,
    session: Session,
    response: Response,
    question_id: str,
    answers: Mapping[str, Any],
    visited: Sequence[str],
) -> bool:
    """Store the journey's answers after answering `question_id` (already pruned by the engine).

    The whole answers dict is written: of two tabs saving pages of one journey, the last save wins.
    False (nothing written) when the response is no longer in progress, e.g. sent from another tab.
    """
    return _update_in_progress(
        session, response, answers=dict(answers), visited=list(visited), last_question=question_id
    )


def submit_response(
    *,
    session: Session,
    response_id: int,
    answers: Mapping[str, Any],
    completed_on: date,
    duration_seconds: int | None,
    language: str | None = None,
    receipt: tuple[str, date] | None = None,
) -> bool:
    """Mark a response complete with its final answers in one statement; False if it already was.

    `receipt`: (code hash, valid until) of the receipt code the resident asked for, stored by the same
    statement, so only the request that sends the answers gives a code, and a code is never replaced.
    """
    values: dict[str, Any] = {"language": language} if language else {}
    if receipt is not None:
        values.update(receipt_code_hash=receipt[0], receipt_expires_on=receipt[1])
    values.update(
        status="complete",
        answers=dict(answers),
        completed_on=completed_on,
        duration_seconds=duration_seconds,
        resume_code_hash=None,
        resume_expires_on=None,
    )
    result = session.connection().execute(  # the statement built once per set of columns
        _in_progress_update(tuple(sorted(values))),
        {"rid": response_id, **{f"v_{k}": v for k, v in values.items()}},
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def set_resume_code(
    *, session: Session, response: Response, code_hash: str, expires_on: date, duration_seconds: int | None
) -> bool:
    """Attach a (hashed) resume code to an in-progress response, replacing any earlier code.

    False (nothing written) when the response is no longer in progress.
    """
    return _update_in_progress(
        session,
        response,
        resume_code_hash=code_hash,
        resume_expires_on=expires_on,
        duration_seconds=duration_seconds,
    )


def resumable_response(
    *, session: Session, questionnaire_id: str, code_hash: str, today: date
) -> Response | None:
    """The in-progress response whose resume code hashes to `code_hash`, if still valid today."""
    statement = select(Response).where(
        Response.resume_code_hash == code_hash,
        Response.questionnaire_id == questionnaire_id,
        Response.status == "in_progress",
        col(Response.resume_expires_on) >= today,
    )
    return session.exec(statement).first()


def responses_for_report(
    *, session: Session, questionnaire_id: str, as_of: date | None = None
) -> list[dict[str, Any]]:
    """Plain dicts for analysis/: every response (complete or not) as it stood at the end of `as_of`.

    Responses that staff excluded (survey/store/repository_moderation.py) are left out: they reach no
    report and no export. The rule and the dicts are `repository_asof`'s, read here in one query (the
    report jobs read the same rows in chunks: `repository_stream.iter_responses_for_report`).
    """
    from survey.store.repository_asof import report_rows, report_statement
    from survey.store.repository_paper import missing_reasons

    reasons = missing_reasons(session=session, questionnaire_id=questionnaire_id)  # paper forms' marks
    rows = session.execute(report_statement(questionnaire_id, as_of))  # one at a time: no second copy held
    return report_rows(rows, as_of=as_of, reasons=reasons, pool={})
