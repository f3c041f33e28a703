"""Staff accounts for admins: who has access, with what role, when they last signed in; disable an account.

Accounts are added and passwords reset on the command line (`survey staff ...`), where the one-time
password can be handed over safely; the page shows who has access, as an information-governance review needs.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.store import repository_staff as repo
from survey.store.db import get_session


@bp.get("/accounts")
@on_home_page
@require_role("admin")
def accounts() -> str:
    """Staff accounts: who has access, their role and last sign-in."""
    return render_template(
        "staff/accounts.html", users=repo.all_staff(session=get_session()), me=current_staff()
    )


@bp.post("/accounts/<int:staff_id>/disable")
@require_role("admin")
def disable_account(staff_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """Disable an account: it is signed out everywhere and cannot sign in (its history is kept)."""
    session = get_session()
    user = repo.staff_by_id(session=session, staff_id=staff_id)
    me = current_staff()
    if user is None:
        return render_template(
            "staff/accounts.html",
            users=repo.all_staff(session=session),
            me=me,
            errors={"accounts": gettext("That account does not exist")},
        ), 404
    if me is not None and user.id == me.id:
        return render_template(
            "staff/accounts.html",
            users=repo.all_staff(session=session),
            me=me,
            errors={"accounts": gettext("You cannot disable your own account")},
        ), 200
    if not user.disabled:
        user.disabled = True
        user.session_epoch += 1
        repo.save_staff(session=session, user=user)
        audit.record("staff.disable", target=user.email)
    flash(gettext("Disabled %(email)s: they are signed out and cannot sign in", email=user.email), "success")
    return redirect(url_for("staff.accounts"))
