"""Two-factor sign-in (TOTP) pages: the code step after the password, set-up, and the account's security page.

After a right password, an account with two-factor (or an admin, who must have it) is not signed in yet:
the browser session holds `staff_pending` (id, epoch, when) and the next page asks for a code from the
authenticator app or a recovery code. Only then does `auth` start the staff session. The rules (codes,
replay, recovery codes) are in survey.services.two_factor.
"""

from __future__ import annotations

from datetime import timedelta

import segno
from flask import flash, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import two_factor
from survey.services.accounts import account_key
from survey.services.words import gettext
from survey.staff import audit, bp, setting
from survey.staff.auth import (
    _safe_next,
    _start_session,
    current_staff,
    forget_staff_state,
    login_required,
    on_home_page,
    public,
)
from survey.staff.forms import CodeForm
from survey.store import repository_accounts as accounts_repo
from survey.store import repository_staff as repo
from survey.store.db import get_session
from survey.store.models_staff import StaffUser, utcnow

Page = str | WerkzeugResponse | tuple[str, int]
PENDING_KEY = "staff_pending"  # a `staff_` key: forgotten on sign-out and at the next sign-in
PENDING_MINUTES = 10


def second_step(user: StaffUser, next_url: str) -> WerkzeugResponse | None:
    """Called by the sign-in page after a right password: the redirect to the code step, or None."""
    db = get_session()
    enabled = two_factor.is_enabled(db, user)
    if not enabled and not two_factor.required_for(user):
        return None
    forget_staff_state()
    session[PENDING_KEY] = {
        "id": user.id,
        "epoch": user.session_epoch,
        "at": int(utcnow().timestamp()),
        "next": next_url,
    }
    return redirect(url_for("staff.two_factor_code" if enabled else "staff.two_factor_setup"))


def _pending() -> tuple[StaffUser, str] | None:
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = repo.staff_by_id(session=get_session(), staff_id=data["id"])
    started = utcnow().timestamp() - int(data.get("at", 0))
    if (
        user is None
        or user.disabled
        or int(data.get("epoch", -1)) != user.session_epoch
        or started > timedelta(minutes=PENDING_MINUTES).total_seconds()
    ):
        session.pop(PENDING_KEY, None)
        return None
    return user, _safe_next(str(data.get("next") or ""))


def _finish(user: StaffUser, next_url: str, method: str) -> WerkzeugResponse:
    forget_staff_state()
    _start_session(user)
    audit.record("sign_in", actor=user, two_factor=method)
    if user.must_change_password:
        return redirect(url_for("staff.change_password"))
    return redirect(next_url)


def _limits(user: StaffUser) -> dict[str, int]:
    return {"2fa:" + account_key(user.email): setting("SURVEY_STAFF_LOCKOUT_ATTEMPTS")}


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@public
def two_factor_code() -> Page:
    """Sign in: the code from your authenticator app (or a recovery code)."""
    pending = _pending()
    if pending is None:
        return redirect(url_for("staff.sign_in", expired=1))
    user, next_url = pending
    form = CodeForm()
    db = get_session()
    if form.validate_on_submit():
        lockout = timedelta(minutes=setting("SURVEY_STAFF_LOCKOUT_MINUTES"))
        row = accounts_repo.two_factor_of(session=db, staff_id=int(user.id or 0))
        # Each code is counted *before* it is checked, atomically (as passwords are): concurrent attempts
        # queue on the counter's row, so no more codes are ever checked than the limit.
        if not repo.reserve_attempt(
            session=db, limits=_limits(user), now=utcnow(), window=lockout, lockout=lockout
        ):
            audit.record("sign_in.failed", actor=user, reason="two_factor_locked")
            form.code.errors.append(
                gettext("You have entered too many wrong codes. Wait, then sign in again")
            )
        elif (
            row is not None
            and row.confirmed_at is not None
            and two_factor.check_totp(db, row, form.code.data)
        ):
            repo.clear_failures(session=db, key="2fa:" + account_key(user.email))
            return _finish(user, next_url, "totp")
        elif two_factor.use_recovery_code(db, int(user.id or 0), form.code.data):
            repo.clear_failures(session=db, key="2fa:" + account_key(user.email))
            left = two_factor.remaining_recovery_codes(db, int(user.id or 0))
            flash(
                gettext(
                    "You used a recovery code: %(left)s left. Make new ones from your account page.",
                    left=left,
                ),
                "success",
            )
            return _finish(user, next_url, "recovery_code")
        else:  # the attempt was counted when it was reserved
            audit.record("sign_in.failed", actor=user, reason="wrong_code")
            form.code.errors.append(
                gettext(
                    "The code is not right: enter the 6 digits your app shows now, or one of your recovery "
                    "codes"
                )
            )
    page = render_template("staff/two_factor_code.html", form=form)
    return (page, 400) if form.errors else page


def _qr(uri: str) -> Markup:
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, omitsize=False))


def _setup_page(user: StaffUser, action: str, form: CodeForm) -> Page:
    row = two_factor.start_setup(get_session(), user)
    page = render_template(
        "staff/two_factor_setup.html",
        form=form,
        secret=row.secret,
        action=action,
        qr=_qr(two_factor.provisioning_uri(user, row.secret)),
        required=two_factor.required_for(user),
    )
    return (page, 400) if form.errors else page


def _confirm(user: StaffUser, form: CodeForm) -> list[str] | None:
    db = get_session()
    row = accounts_repo.two_factor_of(session=db, staff_id=int(user.id or 0))
    codes = two_factor.confirm(db, row, form.code.data) if row is not None else None
    if codes is None:
        form.code.errors.append(gettext("The code is not right: enter the 6 digits your app shows now"))
    return codes


@bp.route("/sign-in/two-factor/set-up", methods=["GET", "POST"])
@public
def two_factor_setup() -> Page:
    """Sign in: set up two-factor (required for admins) before carrying on."""
    pending = _pending()
    if pending is None:
        return redirect(url_for("staff.sign_in", expired=1))
    user, next_url = pending
    form = CodeForm()
    if form.validate_on_submit():
        codes = _confirm(user, form)
        if codes is not None:
            audit.record("staff.two_factor_on", actor=user)
            _finish(user, next_url, "totp")
            return render_template("staff/two_factor_codes.html", codes=codes, next_url=next_url)
    return _setup_page(user, url_for("staff.two_factor_setup"), form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@on_home_page
@login_required
def account_two_factor() -> Page:
    """Two-factor sign-in for your account: turn it on, make new recovery codes, or turn it off."""
    user = current_staff()
    assert user is not None
    db = get_session()
    enabled = two_factor.is_enabled(db, user)
    form = CodeForm()
    if not enabled:
        if request.method == "POST" and form.validate_on_submit():
            codes = _confirm(user, form)
            if codes is not None:
                audit.record("staff.two_factor_on")
                return render_template(
                    "staff/two_factor_codes.html", codes=codes, next_url=url_for("staff.home")
                )
        return _setup_page(user, url_for("staff.account_two_factor"), form)
    return render_template(
        "staff/two_factor_account.html",
        left=two_factor.remaining_recovery_codes(db, int(user.id or 0)),
        required=two_factor.required_for(user),
    )


@bp.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes() -> Page:
    """Make a new set of recovery codes (the old ones stop working)."""
    user = current_staff()
    assert user is not None
    db = get_session()
    if not two_factor.is_enabled(db, user):
        return redirect(url_for("staff.account_two_factor"))
    codes = two_factor.new_recovery_codes(db, int(user.id or 0))
    audit.record("staff.recovery_codes")
    return render_template("staff/two_factor_codes.html", codes=codes, next_url=url_for("staff.home"))


@bp.post("/account/two-factor/off")
@login_required
def two_factor_off() -> Page:
    """Turn two-factor off (not for admins while it is required)."""
    user = current_staff()
    assert user is not None
    if two_factor.required_for(user):
        flash(gettext("Admins must use two-factor sign-in: it cannot be turned off"), "error")
        return redirect(url_for("staff.account_two_factor"))
    if two_factor.is_enabled(get_session(), user):
        accounts_repo.remove_two_factor(session=get_session(), staff_id=int(user.id or 0))
        audit.record("staff.two_factor_off")
    flash(gettext("Two-factor sign-in is off"), "success")
    return redirect(url_for("staff.home"))
