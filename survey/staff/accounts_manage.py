"""Admins manage accounts on the web: invite, change role and partner name, reset, enable, reset two-factor.

An invitation or reset makes a one-time link that is shown to the admin once to pass on (and emailed only
when SMTP is configured). The link's page (`staff.accept_invite`, in survey/staff/invite.py) lets the
member of staff choose their own password. Every action is in the audit trail.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import invites, mail, partner_names
from survey.services.accounts import account_key
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, require_role
from survey.staff.forms import InviteForm, ResetForm, RoleForm
from survey.store import repository_accounts as accounts_repo
from survey.store import repository_staff as repo
from survey.store.db import get_session
from survey.store.models_staff import StaffUser

Page = str | WerkzeugResponse | tuple[str, int]


def _link_page(link: invites.Link, purpose: str, *, send_email: bool) -> str:
    url = url_for("staff.accept_invite", token=link.token, _external=True)
    sent: str | None = None
    problem: str | None = None
    if mail.configured() and send_email:
        if purpose == "invite":
            subject = gettext("Your survey staff account")
        else:
            subject = gettext("Reset your survey staff password")
        body = gettext("Open this link to choose your password (it works once):\n\n%(url)s\n", url=url)
        problem = mail.send(link.user.email, subject, body)
        sent = None if problem else link.user.email
    return render_template(
        "staff/accounts_link.html", user=link.user, url=url, purpose=purpose, sent=sent, problem=problem
    )


@bp.route("/accounts/invite", methods=["GET", "POST"])
@require_role("admin")
def invite_staff() -> Page:
    """Invite a member of staff: a one-time link to choose their password."""
    form = InviteForm()
    if form.validate_on_submit() and _partner_name_ok(form):
        me = current_staff()
        assert me is not None
        partner = _partner_name(form)
        try:
            link = invites.invite(
                get_session(),
                email=form.email.data,
                role=form.role.data,
                partner_name=partner,
                actor=me.email,
            )
        except repo.DuplicateAccount:
            form.email.errors.append(
                gettext("There is already an account for this email address: reset it instead")
            )
        else:
            audit.record("staff.invite", target=link.user.email, role=link.user.role, partner_name=partner)
            return _link_page(link, "invite", send_email=form.send_email.data)
    page = render_template(
        "staff/accounts_invite.html",
        form=form,
        smtp=mail.configured(),
        partners=partner_names.names_in_use(get_session()),
    )
    return (page, 400) if form.errors else page


def _partner_name(form: InviteForm | RoleForm) -> str | None:
    """The partner name in the spelling its links already carry (any capitals and spaces match)."""
    name = partner_names.canonical(form.partner_name.data, partner_names.names_in_use(get_session()))
    return name or None


def _partner_name_ok(form: InviteForm | RoleForm) -> bool:
    """False (with the field's error) for a partner name no link carries, unless staff say it is new."""
    if form.role.data != "partner" or form.new_partner.data:
        return True
    problem = partner_names.new_name_problem(
        form.partner_name.data, partner_names.channel_names(get_session())
    )
    if problem:
        form.partner_name.errors = [*form.partner_name.errors, problem]
    return problem is None


def _account_or_404(staff_id: int) -> StaffUser | tuple[str, int]:
    user = repo.staff_by_id(session=get_session(), staff_id=staff_id)
    if user is None:
        return render_template("staff/forbidden.html", missing=True), 404
    return user


@bp.route("/accounts/<int:staff_id>", methods=["GET", "POST"])
@require_role("admin")
def edit_account(staff_id: int) -> Page:
    """One account: its role and partner name, reset, enable or disable, two-factor."""
    user = _account_or_404(staff_id)
    if not isinstance(user, StaffUser):
        return user
    me = current_staff()
    form = RoleForm(data={"role": user.role, "partner_name": user.partner_name or ""})
    if request.method == "POST":
        form = RoleForm()
        if me is not None and user.id == me.id and form.role.data != "admin":
            form.role.errors = [gettext("You cannot take away your own admin role: ask another admin")]
        elif form.validate_on_submit() and _partner_name_ok(form):
            old = {"role": user.role, "partner_name": user.partner_name}
            user.role = form.role.data
            user.partner_name = _partner_name(form)
            user.session_epoch += 1  # a new role takes effect at the next sign-in
            repo.save_staff(session=get_session(), user=user)
            audit.record(
                "staff.role",
                target=user.email,
                role={"old": old["role"], "new": user.role},
                partner_name={"old": old["partner_name"], "new": user.partner_name},
            )
            flash(gettext("Saved the role of %(email)s", email=user.email), "success")
            return redirect(url_for("staff.accounts"))
    two_factor = accounts_repo.two_factor_of(session=get_session(), staff_id=staff_id)
    page = render_template(
        "staff/accounts_edit.html",
        user=user,
        form=form,
        me=me,
        smtp=mail.configured(),
        reset_form=ResetForm(formdata=None),
        two_factor=two_factor is not None and two_factor.confirmed_at is not None,
        partners=partner_names.names_in_use(get_session()),
    )
    return (page, 400) if form.errors else page


@bp.post("/accounts/<int:staff_id>/reset")
@require_role("admin")
def reset_account(staff_id: int) -> Page:
    """Reset a password: a new one-time link; the old password stops working and sessions end."""
    user = _account_or_404(staff_id)
    if not isinstance(user, StaffUser):
        return user
    me = current_staff()
    assert me is not None
    if user.id == me.id:
        flash(gettext("You cannot reset your own password here: change it from your account page"), "error")
        return redirect(url_for("staff.edit_account", staff_id=staff_id))
    link = invites.reset(get_session(), user=user, actor=me.email)
    repo.clear_failures(session=get_session(), key=account_key(user.email))
    audit.record("password.reset", target=user.email, by="link")
    return _link_page(link, "reset", send_email=ResetForm().send_email.data)


@bp.post("/accounts/<int:staff_id>/enable")
@require_role("admin")
def enable_account(staff_id: int) -> Page:
    """Let a disabled account sign in again."""
    user = _account_or_404(staff_id)
    if not isinstance(user, StaffUser):
        return user
    if user.disabled:
        user.disabled = False
        repo.save_staff(session=get_session(), user=user)
        audit.record("staff.enable", target=user.email)
    flash(gettext("Enabled %(email)s: they can sign in again", email=user.email), "success")
    return redirect(url_for("staff.accounts"))


@bp.post("/accounts/<int:staff_id>/two-factor/reset")
@require_role("admin")
def reset_two_factor(staff_id: int) -> Page:
    """Remove an account's two-factor (a lost phone): they set it up again at their next sign-in."""
    user = _account_or_404(staff_id)
    if not isinstance(user, StaffUser):
        return user
    me = current_staff()
    if me is not None and user.id == me.id:
        flash(gettext("You cannot remove your own two-factor here: ask another admin"), "error")
        return redirect(url_for("staff.edit_account", staff_id=staff_id))
    accounts_repo.remove_two_factor(session=get_session(), staff_id=staff_id)
    user.session_epoch += 1
    repo.save_staff(session=get_session(), user=user)
    audit.record("staff.two_factor_reset", target=user.email)
    flash(
        gettext(
            "Removed two-factor from %(email)s: they set it up again when they next sign in", email=user.email
        ),
        "success",
    )
    return redirect(url_for("staff.accounts"))
