"""Queries and commits of accounts made on the web: invitations, two-factor secrets and recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from survey.store.models_accounts import StaffInvite, StaffRecoveryCode, StaffTwoFactor
from survey.store.models_staff import StaffUser

# -- invitations --------------------------------------------------------------------------------------


def add_invite(
    *,
    session: Session,
    staff_id: int,
    token_hash: str,
    purpose: str,
    now: datetime,
    expires_at: datetime,
    created_by: str,
) -> StaffInvite:
    """Store a one-time link (any earlier unused link of the account stops working)."""
    session.execute(
        delete(StaffInvite).where(col(StaffInvite.staff_id) == staff_id, col(StaffInvite.used_at).is_(None))
    )
    invite = StaffInvite(
        staff_id=staff_id,
        token_hash=token_hash,
        purpose=purpose,
        created_at=now,
        expires_at=expires_at,
        created_by=created_by,
    )
    session.add(invite)
    session.commit()
    return invite


def invite_by_hash(*, session: Session, token_hash: str) -> tuple[StaffInvite, StaffUser] | None:
    """The invitation with this token hash and its account (None when there is none)."""
    statement = (
        select(StaffInvite, StaffUser)
        .join(StaffUser, col(StaffUser.id) == col(StaffInvite.staff_id))
        .where(col(StaffInvite.token_hash) == token_hash)
    )
    found = session.exec(statement).first()
    return (found[0], found[1]) if found else None


def use_invite(*, session: Session, invite_id: int, now: datetime) -> bool:
    """Mark an invitation used, once: False when it had been used meanwhile (a second tab)."""
    result = session.execute(
        update(StaffInvite)
        .where(col(StaffInvite.id) == invite_id, col(StaffInvite.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


# -- two-factor ---------------------------------------------------------------------------------------


def two_factor_of(*, session: Session, staff_id: int) -> StaffTwoFactor | None:
    """The account's TOTP secret (confirmed or still being set up), if any."""
    return session.get(StaffTwoFactor, staff_id)


def save_two_factor(*, session: Session, row: StaffTwoFactor) -> None:
    """Store a TOTP secret or its confirmation."""
    session.add(row)
    session.commit()


def use_time_step(*, session: Session, staff_id: int, step: int) -> bool:
    """Accept a code's time step once: False when this or a later step was already used (a replay)."""
    result = session.execute(
        update(StaffTwoFactor)
        .where(col(StaffTwoFactor.staff_id) == staff_id, col(StaffTwoFactor.last_step) < step)
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def remove_two_factor(*, session: Session, staff_id: int) -> None:
    """Turn two-factor off for an account: its secret and recovery codes go."""
    session.execute(delete(StaffRecoveryCode).where(col(StaffRecoveryCode.staff_id) == staff_id))
    session.execute(delete(StaffTwoFactor).where(col(StaffTwoFactor.staff_id) == staff_id))
    session.commit()


def replace_recovery_codes(*, session: Session, staff_id: int, code_hashes: list[str]) -> None:
    """A fresh set of recovery codes (the old ones stop working)."""
    session.execute(delete(StaffRecoveryCode).where(col(StaffRecoveryCode.staff_id) == staff_id))
    for code_hash in code_hashes:
        session.add(StaffRecoveryCode(staff_id=staff_id, code_hash=code_hash))
    session.commit()


def unused_recovery_codes(*, session: Session, staff_id: int) -> list[StaffRecoveryCode]:
    """The account's recovery codes not yet used."""
    statement = select(StaffRecoveryCode).where(
        col(StaffRecoveryCode.staff_id) == staff_id, col(StaffRecoveryCode.used_at).is_(None)
    )
    return list(session.exec(statement))


def use_recovery_code(*, session: Session, code_id: int, now: datetime) -> bool:
    """Spend a recovery code once: False when it was used meanwhile."""
    result = session.execute(
        update(StaffRecoveryCode)
        .where(col(StaffRecoveryCode.id) == code_id, col(StaffRecoveryCode.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def any_staff(*, session: Session) -> bool:
    """True when at least one staff account exists (the sign-in page says how to make the first)."""
    return session.exec(select(StaffUser.id).limit(1)).first() is not None
