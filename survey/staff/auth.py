"""Staff sign-in and out, password change, expiring sessions, lock-out, and the role decorators.

Sessions live on the server (table `staff_sessions`): the signed cookie holds a random session id (stored
only as its SHA-256), the staff id and the account's session epoch. A request is signed in only while the
session's row exists; sign-out deletes it, and a password change, reset, disabling or "sign out
everywhere" deletes every row of the account, so a copied cookie stops working at once.
Failed sign-ins are counted in the database per hashed email and per hashed client address, so every
worker sees the same count.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import passwords
from survey.services.accounts import account_key
from survey.services.words import gettext
from survey.staff import bp, setting
from survey.staff.auth_forms import ChangePasswordForm, SignInForm
from survey.staff.form_fields import add_error
from survey.store import repository_security as sessions_repo
from survey.store import repository_staff as repo
from survey.store.db import get_session
from survey.store.models_staff import ROLES, StaffUser, utcnow
from survey.web.security import client_key

F = TypeVar("F", bound=Callable[..., Any])
Page = str | WerkzeugResponse | tuple[str, int]
SESSION_KEY = "staff"
GENERIC_ERROR = lazy_gettext("Enter a correct email address and password")
# Pages an account that must change its password may still open.
PASSWORD_CHANGE_ENDPOINTS = frozenset(
    {"staff.change_password", "staff.sign_out", "staff.sign_out_everywhere"}
)


# -- who is signed in ---------------------------------------------------------------------------------


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _session_valid(data: dict[str, Any], user: StaffUser, now: datetime) -> bool:
    """The cookie's session is stored on the server, for this account, and neither idle nor too old."""
    sid = data.get("sid")
    if not isinstance(sid, str) or user.disabled or int(data.get("epoch", -1)) != user.session_epoch:
        return False
    stored = sessions_repo.staff_session(session=get_session(), id_hash=_session_hash(sid))
    if stored is None or stored.staff_id != user.id:
        return False
    absolute = timedelta(hours=setting("SURVEY_STAFF_SESSION_HOURS"))
    idle = timedelta(minutes=setting("SURVEY_STAFF_IDLE_MINUTES"))
    if now - _aware(stored.created_at) >= absolute or now - _aware(stored.seen_at) >= idle:
        sessions_repo.end_staff_session(session=get_session(), id_hash=stored.id_hash)
        return False
    if now - _aware(stored.seen_at) >= timedelta(seconds=30):  # not a write on every request
        sessions_repo.touch_staff_session(session=get_session(), id_hash=stored.id_hash, now=now)
    return True


def current_staff() -> StaffUser | None:
    """The signed-in member of staff for this request (None when signed out, expired or disabled)."""
    if "staff_user" in g:
        found: StaffUser | None = g.staff_user
        return found
    user: StaffUser | None = None
    data = session.get(SESSION_KEY)
    if isinstance(data, dict) and isinstance(data.get("id"), int):
        candidate = repo.staff_by_id(session=get_session(), staff_id=data["id"])
        now = utcnow()
        if candidate is not None and _session_valid(data, candidate, now):
            user = candidate
            data["seen"] = _stamp(now)
            session[SESSION_KEY] = data
        else:
            forget_staff_state()
            g.staff_expired = True
    g.staff_user = user
    return user


def forget_staff_state() -> None:
    """Drop the sign-in and all that staff pages keep in the browser session (keys `staff`, `staff_*`).

    Called on sign-out, on signing in and when a session expires, so that whoever uses this browser next
    finds nothing of the last person's work, such as a half-keyed paper form.
    """
    for key in [k for k in session if k == SESSION_KEY or k.startswith(SESSION_KEY + "_")]:
        session.pop(key, None)


def _start_session(user: StaffUser) -> None:
    """A new server-side session with a new id, and a new CSRF token (nothing carries over sign-in)."""
    assert user.id is not None
    moment = utcnow()
    now = _stamp(moment)
    sid = secrets.token_urlsafe(32)
    sessions_repo.add_staff_session(
        session=get_session(), id_hash=_session_hash(sid), staff_id=user.id, now=moment
    )
    session.pop("csrf_token", None)  # Flask-WTF makes a new one for the next form
    session[SESSION_KEY] = {"sid": sid, "id": user.id, "epoch": user.session_epoch, "at": now, "seen": now}
    g.staff_user = user


def _end_session() -> None:
    """End this browser's server-side session (sign-out)."""
    data = session.get(SESSION_KEY)
    sid = data.get("sid") if isinstance(data, dict) else None
    if isinstance(sid, str):
        sessions_repo.end_staff_session(session=get_session(), id_hash=_session_hash(sid))


# -- decorators -----------------------------------------------------------------------------------------


def _sign_in_redirect() -> WerkzeugResponse:
    target = request.full_path if request.method == "GET" else request.path
    expired = 1 if g.get("staff_expired") else None
    return redirect(url_for("staff.sign_in", next=target.rstrip("?"), expired=expired))


def require_role(*roles: str) -> Callable[[F], F]:
    """Allow only signed-in staff with one of `roles` (admins may do everything); records the roles.

    Anonymous visitors are sent to the sign-in page; other roles get 403. The allowed roles are kept on
    the view as `staff_roles` so the route-permission test can check every staff endpoint.
    """
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown or missing staff roles: {sorted(unknown) or 'none given'}")
    allowed = frozenset(roles) | {"admin"}

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                return _sign_in_redirect()
            if user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
                return redirect(url_for("staff.change_password"))
            if user.role not in allowed:
                return render_template("staff/forbidden.html"), 403
            return view(*args, **kwargs)

        wrapper.staff_roles = allowed  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def on_home_page(view: F) -> F:
    """Mark a staff view as a page of its own, listed on the staff home page (not an action or a download)."""
    view.staff_home_page = True  # type: ignore[attr-defined]
    return view


def login_required(view: F) -> F:
    """Allow any signed-in member of staff, whatever their role."""
    return require_role(*ROLES)(view)


def public(view: F) -> F:
    """Mark a staff view that anyone may open (the sign-in page)."""
    view.staff_public = True  # type: ignore[attr-defined]
    return view


# -- throttling ---------------------------------------------------------------------------------------


def _client_key() -> str:
    return f"client:{client_key()}"


def _limits(email: str) -> dict[str, int]:
    return {
        account_key(email): setting("SURVEY_STAFF_LOCKOUT_ATTEMPTS"),
        _client_key(): setting("SURVEY_STAFF_CLIENT_ATTEMPTS"),
    }


def _lockout() -> timedelta:
    return timedelta(minutes=setting("SURVEY_STAFF_LOCKOUT_MINUTES"))


# -- pages ----------------------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a staff page of this site (never another host) after signing in."""
    if (
        target
        and target.startswith("/staff")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and len(target) <= 2000
    ):  # no line breaks or control characters
        return target
    return url_for("staff.home")


def _attempt(email: str, password: str) -> tuple[StaffUser | None, str]:
    """Check a sign-in; returns the account (or None) and what happened, for the audit trail."""
    db = get_session()
    now = utcnow()
    # Each attempt is counted before its password is checked, atomically: no race past the limit.
    if not repo.reserve_attempt(
        session=db, limits=_limits(email), now=now, window=_lockout(), lockout=_lockout()
    ):
        return repo.staff_by_email(session=db, email=email), "locked"
    user = repo.staff_by_email(session=db, email=email)
    if user is None:
        passwords.burn_time(password)
        outcome = "unknown_account"
    elif not passwords.verify_password(user.password_hash, password):
        outcome = "wrong_password"
    elif user.disabled:
        outcome = "disabled"
    else:
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        user.last_sign_in_at = now
        repo.save_staff(session=db, user=user)
        repo.clear_failures(session=db, key=account_key(email))
        repo.forgive_attempt(session=db, key=_client_key(), limit=setting("SURVEY_STAFF_CLIENT_ATTEMPTS"))
        return user, "ok"
    return (user if outcome != "unknown_account" else None), outcome


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Page:
    """Sign in with an email address and password."""
    from survey.staff import audit

    form = SignInForm()
    next_url = _safe_next(form.next.data or request.args.get("next"))
    form.next.data = next_url
    if not form.is_submitted():
        if current_staff() is not None:
            return redirect(next_url)
        expired = bool(g.get("staff_expired") or request.args.get("expired"))
        return render_template("staff/sign_in.html", form=form, expired=expired)
    if form.validate():
        email, password = form.email.data, form.password.data
        user, outcome = _attempt(email, password)
        if user is not None and outcome == "ok":
            from survey.staff.two_factor import second_step

            code_step = second_step(user, next_url)  # two-factor: a code page before the session starts
            if code_step is not None:
                return code_step
            forget_staff_state()
            _start_session(user)
            audit.record("sign_in", actor=user)
            if user.must_change_password:
                return redirect(url_for("staff.change_password"))
            return redirect(next_url)
        audit.record("sign_in.failed", actor=user or "anonymous", reason=outcome)
        if outcome == "locked":
            minutes = setting("SURVEY_STAFF_LOCKOUT_MINUTES")
            add_error(
                form.email,
                gettext(
                    "You have tried to sign in too many times. Wait %(minutes)s minutes, then try again",
                    minutes=minutes,
                ),
            )
        else:
            add_error(form.email, GENERIC_ERROR)
            add_error(form.password, GENERIC_ERROR)
    return render_template("staff/sign_in.html", form=form, expired=False), 200


@bp.post("/sign-out")
@login_required
def sign_out() -> Page:
    """Sign out of this browser."""
    from survey.staff import audit

    audit.record("sign_out")
    _end_session()
    forget_staff_state()  # the sign-in and any keying draft
    g.staff_user = None
    return redirect(url_for("staff.sign_in", signed_out=1))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Page:
    """Sign out of every browser and device this account is signed in on (this one too)."""
    from survey.staff import audit

    user = current_staff()
    assert user is not None and user.id is not None
    ended = sessions_repo.end_staff_sessions(session=get_session(), staff_id=user.id)
    audit.record("sign_out.everywhere", actor=user, sessions=ended)
    forget_staff_state()
    g.staff_user = None
    return redirect(url_for("staff.sign_in", signed_out=1))


def _current_password_problem(user: StaffUser, current: str) -> str | None:
    """Check the current password typed on the password page, counted like a sign-in attempt.

    A signed-in cookie (an unlocked desk, a copied cookie) must not allow guessing the password without
    limit: each check is reserved first against the account's and the address's lock-out, wrong ones are
    audited (`password.change.failed`), and a right one clears the account's count. None when it is right.
    """
    from survey.staff import audit

    db = get_session()
    if not repo.reserve_attempt(
        session=db, limits=_limits(user.email), now=utcnow(), window=_lockout(), lockout=_lockout()
    ):
        audit.record("password.change.failed", actor=user, reason="locked")
        minutes = setting("SURVEY_STAFF_LOCKOUT_MINUTES")
        return gettext(
            "You have tried your password too many times. Wait %(minutes)s minutes, then try again",
            minutes=minutes,
        )
    if not passwords.verify_password(user.password_hash, current):
        audit.record("password.change.failed", actor=user, reason="wrong_password")
        return gettext("Your current password is not correct")
    repo.clear_failures(session=db, key=account_key(user.email))
    repo.forgive_attempt(session=db, key=_client_key(), limit=setting("SURVEY_STAFF_CLIENT_ATTEMPTS"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Page:
    """Change your password (signs out your other sessions)."""
    from survey.staff import audit

    user = current_staff()
    assert user is not None  # the decorator signed them in
    form = ChangePasswordForm()
    if not form.is_submitted():
        return render_template("staff/password.html", form=form, forced=user.must_change_password)
    form.validate()
    current = form.current_password.data or ""
    new = form.new_password.data or ""
    wrong = _current_password_problem(user, current) if current else None
    if wrong:
        add_error(form.current_password, wrong)
    known = current if current and not wrong else None  # compared with the new one only once checked
    problem = passwords.password_problem(
        new, email=user.email, confirm=form.confirm_password.data or "", current=known
    )
    if problem:
        add_error(form.new_password, problem)
    if form.errors:
        return render_template("staff/password.html", form=form, forced=user.must_change_password), 200
    repo.set_password(
        session=get_session(), user=user, password_hash=passwords.hash_password(new), must_change=False
    )
    _start_session(user)
    audit.record("password.change", actor=user)
    return redirect(url_for("staff.home", changed=1))


# -- template helpers -----------------------------------------------------------------------------------


@bp.app_template_global("staff_error_list")
def staff_error_list(errors: dict[str, str], date_fields: Any = ()) -> list[dict[str, str]]:
    """The error summary's list: each message once, linking to its field (a date input's day box)."""
    seen: dict[str, str] = {}
    for field, message in errors.items():
        seen.setdefault(message, f"{field}-day" if field in date_fields else field)
    return [{"text": message, "href": f"#{field}"} for message, field in seen.items()]


bp.add_app_template_global(current_staff, "current_staff")


@bp.context_processor
def _staff_context() -> dict[str, Any]:
    return {"min_length": setting("SURVEY_STAFF_PASSWORD_MIN_LENGTH")}
