"""Every query and commit of the staff side: accounts, sign-in attempts, audit events, settings, retention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.store.models import QuestionnaireVersion, Response
from survey.store.models_staff import (
    AuditEvent,
    LoginAttempt,
    QuestionnaireSettings,
    StaffSession,
    StaffUser,
    utcnow,
)

# -- accounts ---------------------------------------------------------------------------------------


class DuplicateAccount(ValueError):
    """An account with this email address already exists."""


def normalise_email(email: str) -> str:
    """Emails are compared without surrounding spaces and case."""
    return email.strip().lower()


def add_staff(
    *, session: Session, email: str, role: str, password_hash: str, partner_name: str | None = None
) -> StaffUser:
    """Create an account that must choose a new password at first sign-in."""
    user = StaffUser(
        email=normalise_email(email),
        role=role,
        partner_name=partner_name,
        password_hash=password_hash,
        must_change_password=True,
        created_at=utcnow(),
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise DuplicateAccount(email) from error
    return user


def staff_by_email(*, session: Session, email: str) -> StaffUser | None:
    """The account with this email address (any case)."""
    return session.exec(select(StaffUser).where(StaffUser.email == normalise_email(email))).first()


def staff_by_id(*, session: Session, staff_id: int) -> StaffUser | None:
    """The account with this id."""
    return session.get(StaffUser, staff_id)


def all_staff(*, session: Session) -> list[StaffUser]:
    """Every account, by email."""
    return list(session.exec(select(StaffUser).order_by(col(StaffUser.email))))


def save_staff(*, session: Session, user: StaffUser) -> None:
    """Store changes to an account; disabling it ends every session it has on the server."""
    session.add(user)
    if user.disabled and user.id is not None:
        session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == user.id))
    session.commit()


def set_password(*, session: Session, user: StaffUser, password_hash: str, must_change: bool) -> None:
    """Replace the password and sign out every other session of this account."""
    user.password_hash = password_hash
    user.must_change_password = must_change
    user.password_changed_at = utcnow()
    user.session_epoch += 1
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == user.id))
    save_staff(session=session, user=user)


# -- sign-in attempts ---------------------------------------------------------------------------------


def locked_until(*, session: Session, keys: Iterable[str], now: datetime) -> datetime | None:
    """The latest lock-out still running for any of `keys` (None when sign-in may be tried)."""
    statement = select(LoginAttempt).where(col(LoginAttempt.key).in_(list(keys)))
    ends = [
        row.locked_until for row in session.exec(statement) if row.locked_until and row.locked_until > now
    ]
    return max(ends) if ends else None


def _insert_ignoring_existing(session: Session, row: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for the login-attempt table, in this database's dialect."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(LoginAttempt).values(**row).on_conflict_do_nothing(index_elements=["key"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(LoginAttempt).values(**row).on_conflict_do_nothing(index_elements=["key"])


def reserve_attempt(
    *, session: Session, limits: Mapping[str, int], now: datetime, window: timedelta, lockout: timedelta
) -> bool:
    """Count a sign-in attempt *before* its password is checked; False (nothing counted) when locked out.

    One conditional UPDATE per key raises the count only while the key is under its limit and not locked
    (`WHERE failures < limit`), in one transaction: concurrent attempts queue on the row, so no more than
    `limit` passwords are ever checked per window, however many arrive at once. A key reaching its limit
    is locked for `lockout`. A successful sign-in gives its attempt back (`forgive_attempt`).
    """
    table = LoginAttempt.__table__  # type: ignore[attr-defined]
    started, failures, locked = table.c.window_start, table.c.failures, table.c.locked_until
    for key in sorted(limits):  # one order for every worker: no deadlock between two keys
        session.execute(_insert_ignoring_existing(session, {"key": key, "window_start": now, "failures": 0}))
    for key in sorted(limits):
        expired = sa.and_(started < now - window, sa.or_(locked.is_(None), locked <= now))
        counted = sa.case((expired, 1), else_=failures + 1)
        open_now = sa.and_(failures < limits[key], sa.or_(locked.is_(None), locked <= now))
        result = session.execute(
            sa.update(table)
            .where(table.c.key == key, sa.or_(expired, open_now))
            .values(
                failures=counted,
                window_start=sa.case((expired, now), else_=started),
                locked_until=sa.case((counted >= limits[key], now + lockout), (expired, None), else_=locked),
            )
        )
        if getattr(result, "rowcount", 0) != 1:
            session.rollback()
            return False
    session.commit()
    return True


def forgive_attempt(*, session: Session, key: str, limit: int) -> None:
    """Give back one reserved attempt of `key` (the sign-in succeeded): it was not a failure."""
    table = LoginAttempt.__table__  # type: ignore[attr-defined]
    remaining = table.c.failures - 1
    session.execute(
        sa.update(table)
        .where(table.c.key == key, table.c.failures > 0)
        .values(
            failures=remaining, locked_until=sa.case((remaining < limit, None), else_=table.c.locked_until)
        )
    )
    session.commit()


def clear_failures(*, session: Session, key: str) -> None:
    """Forget the failures of one key (after a successful sign-in, or an admin's reset)."""
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.key) == key))
    session.commit()


# -- audit --------------------------------------------------------------------------------------------


def add_audit_event(
    *,
    session: Session,
    actor_id: int | None,
    actor: str,
    action: str,
    questionnaire_id: str | None,
    details: Mapping[str, Any],
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the audit trail (events are never changed or deleted by the service)."""
    event = AuditEvent(
        at=at or utcnow(),
        actor_id=actor_id,
        actor=actor,
        action=action,
        questionnaire_id=questionnaire_id,
        details=dict(details),
    )
    session.add(event)
    session.commit()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page is narrowed to (every field optional)."""

    action: str | None = None
    actor: str | None = None
    questionnaire_id: str | None = None
    since: date | None = None
    until: date | None = None


def _filtered(statement: Any, where: AuditFilter) -> Any:
    if where.action:
        statement = statement.where(col(AuditEvent.action) == where.action)
    if where.actor:
        statement = statement.where(col(AuditEvent.actor) == normalise_email(where.actor))
    if where.questionnaire_id:
        statement = statement.where(col(AuditEvent.questionnaire_id) == where.questionnaire_id)
    if where.since:
        statement = statement.where(col(AuditEvent.at) >= datetime.combine(where.since, time(), UTC))
    if where.until:
        end = datetime.combine(where.until + timedelta(days=1), time(), UTC)
        statement = statement.where(col(AuditEvent.at) < end)
    return statement


def audit_events(
    *, session: Session, where: AuditFilter, offset: int = 0, limit: int = 50
) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and how many match in all."""
    total = session.exec(_filtered(select(func.count()).select_from(AuditEvent), where)).one()
    newest = (col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    statement = _filtered(select(AuditEvent), where).order_by(*newest)
    rows = list(session.exec(statement.offset(offset).limit(limit)))
    return rows, int(total)


def audit_choices(*, session: Session) -> tuple[list[str], list[str]]:
    """The actions and the people found in the audit trail (for the filter's drop-downs)."""
    actions = session.exec(select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))).all()
    actors = session.exec(select(AuditEvent.actor).distinct().order_by(col(AuditEvent.actor))).all()
    return list(actions), list(actors)


# -- questionnaire settings ---------------------------------------------------------------------------


def questionnaire_settings(*, session: Session, questionnaire_id: str) -> QuestionnaireSettings:
    """The settings of a questionnaire (defaults when never set; not stored until saved)."""
    row = session.get(QuestionnaireSettings, questionnaire_id)
    return row or QuestionnaireSettings(questionnaire_id=questionnaire_id)


_settings = QuestionnaireSettings.__table__.c  # type: ignore[attr-defined]
_RETENTION_TERMS = sa.select(_settings.retention_date, _settings.retention_policy).where(
    _settings.questionnaire_id == sa.bindparam("qid")
)


def retention_terms(*, session: Session, questionnaire_id: str) -> tuple[date, str] | None:
    """(retention date, policy) of a questionnaire, None when no date is set: what the start page states.

    Every resident's start page asks: two plain columns, the statement built once.
    """
    row = session.connection().execute(_RETENTION_TERMS, {"qid": questionnaire_id}).first()
    if row is None or row[0] is None:
        return None
    return row[0], str(row[1])


def save_settings(*, session: Session, settings: QuestionnaireSettings) -> None:
    """Store a questionnaire's settings."""
    session.add(settings)
    session.commit()


def retention_date(*, session: Session, questionnaire_id: str) -> date | None:
    """The date after which this questionnaire's answers are removed (None when not set)."""
    row = session.get(QuestionnaireSettings, questionnaire_id)
    return row.retention_date if row else None


def questionnaire_versions(*, session: Session, questionnaire_id: str) -> list[QuestionnaireVersion]:
    """Every stored version of one questionnaire, oldest first."""
    statement = (
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(col(QuestionnaireVersion.id))
    )
    return list(session.exec(statement))


def response_counts(*, session: Session, questionnaire_id: str) -> dict[tuple[str, str], int]:
    """Responses per (version, status) of one questionnaire."""
    statement = (
        select(Response.questionnaire_version, Response.status, func.count())
        .where(Response.questionnaire_id == questionnaire_id)
        .group_by(col(Response.questionnaire_version), col(Response.status))
    )
    return {(version, status): int(n) for version, status, n in session.exec(statement)}


# -- retention ------------------------------------------------------------------------------------------


def settings_with_retention(*, session: Session) -> list[QuestionnaireSettings]:
    """Every questionnaire that has a retention date, by id."""
    statement = (
        select(QuestionnaireSettings)
        .where(col(QuestionnaireSettings.retention_date).is_not(None))
        .order_by(col(QuestionnaireSettings.questionnaire_id))
    )
    return list(session.exec(statement))


def responses_of(*, session: Session, questionnaire_id: str) -> list[Response]:
    """Every response (complete or not) of one questionnaire, oldest first."""
    statement = select(Response).where(Response.questionnaire_id == questionnaire_id)
    return list(session.exec(statement.order_by(col(Response.id))))


def count_responses(*, session: Session, questionnaire_id: str) -> int:
    """How many responses (complete or not) one questionnaire has."""
    statement = select(func.count()).select_from(Response)
    return int(session.exec(statement.where(col(Response.questionnaire_id) == questionnaire_id)).one())


def delete_responses(*, session: Session, questionnaire_id: str) -> int:
    """Delete every response of one questionnaire (not committed: the caller commits)."""
    result = session.execute(delete(Response).where(col(Response.questionnaire_id) == questionnaire_id))
    return int(getattr(result, "rowcount", 0) or 0)
