"""The page of a one-time invitation or reset link: the member of staff chooses their own password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import invites, passwords
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import forget_staff_state, public
from survey.staff.forms import ChoosePasswordForm
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str) -> Page:
    """Choose your password from a one-time link an admin gave you."""
    db = get_session()
    found = invites.find(db, token)
    if isinstance(found, str):
        return render_template("staff/invite_problem.html", problem=found), 404
    invite_id, user, purpose = found
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        problem = passwords.password_problem(
            form.new_password.data, email=user.email, confirm=form.confirm_password.data
        )
        if problem:
            form.new_password.errors.append(problem)
        elif not invites.choose_password(db, invite_id=invite_id, user=user, password=form.new_password.data):
            return render_template(
                "staff/invite_problem.html",
                problem=gettext("This link has already been used. Sign in, or ask an admin."),
            ), 404
        else:
            forget_staff_state()
            audit.record("staff.invite_accepted", actor=user, purpose=purpose)
            flash(gettext("Your password is saved. Sign in with it now."), "success")
            return redirect(url_for("staff.sign_in"))
    page = render_template("staff/invite_choose.html", form=form, user=user, purpose=purpose)
    return (page, 400) if form.errors else page


@bp.app_template_global("staff_accounts_exist")
def staff_accounts_exist() -> bool:
    """For the sign-in page: False until the first account is made with `survey staff add`."""
    from survey.store.repository_accounts import any_staff

    return any_staff(session=get_session())
