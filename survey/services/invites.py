"""Invitation and reset links for staff accounts: the rules shared by the accounts pages (and any face).

A link carries a random token (about 256 bits); only its SHA-256 is stored, it works once, and for
SURVEY_STAFF_INVITE_DAYS days. The admin passes the link on (in person, by phone or a message they trust);
an email is sent only when an SMTP server is configured (SURVEY_SMTP_HOST), see `survey.services.mail`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from survey.services import passwords
from survey.services.staff_settings import setting
from survey.services.words import gettext
from survey.store import repository_accounts as accounts_repo
from survey.store import repository_staff as staff_repo
from survey.store.db import Session
from survey.store.models_staff import StaffUser, utcnow


@dataclass(frozen=True)
class Link:
    """A one-time link's token (shown once, never stored) and the account it is for."""

    user: StaffUser
    token: str


def token_hash(token: str) -> str:
    """The stored form of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _link(session: Session, user: StaffUser, purpose: str, actor: str) -> Link:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    accounts_repo.add_invite(
        session=session,
        staff_id=int(user.id or 0),
        token_hash=token_hash(token),
        purpose=purpose,
        now=now,
        expires_at=now + timedelta(days=setting("SURVEY_STAFF_INVITE_DAYS")),
        created_by=actor,
    )
    return Link(user=user, token=token)


def invite(session: Session, *, email: str, role: str, partner_name: str | None, actor: str) -> Link:
    """Create an account that can only be used through its link (raises DuplicateAccount)."""
    unusable = passwords.hash_password(secrets.token_urlsafe(32))  # nobody knows it
    user = staff_repo.add_staff(
        session=session, email=email, role=role, partner_name=partner_name, password_hash=unusable
    )
    return _link(session, user, "invite", actor)


def reset(session: Session, *, user: StaffUser, actor: str) -> Link:
    """A reset link: the old password stops working now and every session of the account is signed out."""
    staff_repo.set_password(
        session=session,
        user=user,
        password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
        must_change=True,
    )
    return _link(session, user, "reset", actor)


def find(session: Session, token: str) -> tuple[int, StaffUser, str] | str:
    """(invite id, account, purpose) for a working link, else why it does not work (a sentence)."""
    found = accounts_repo.invite_by_hash(session=session, token_hash=token_hash(token))
    if found is None:
        return gettext("This link is not right. Check you copied all of it, or ask an admin for a new one.")
    row, user = found
    if row.used_at is not None:
        return gettext("This link has already been used. Sign in, or ask an admin for a new link.")
    if row.expires_at <= utcnow():
        return gettext("This link has expired. Ask an admin for a new one.")
    if user.disabled:
        return gettext("This account has been disabled. Ask an admin.")
    return int(row.id or 0), user, row.purpose


def choose_password(session: Session, *, invite_id: int, user: StaffUser, password: str) -> bool:
    """Spend the link and set the account's own password (False when the link was used meanwhile)."""
    if not accounts_repo.use_invite(session=session, invite_id=invite_id, now=utcnow()):
        session.rollback()
        return False
    staff_repo.set_password(
        session=session, user=user, password_hash=passwords.hash_password(password), must_change=False
    )
    return True
