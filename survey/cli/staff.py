"""`survey staff add|list|reset-password|disable`: staff accounts from the command line (audited)."""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext

from survey.services import audit, partner_names, passwords
from survey.services.accounts import account_key
from survey.store import repository_staff as repo
from survey.store.db import Session, get_engine
from survey.store.models_staff import ROLES

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _handover(email: str, password: str) -> None:
    click.echo(f"One-time password for {email}: {password}")
    click.echo("Give it to them in person or by phone (never by email together with the service's address).")
    click.echo("They must choose their own password when they first sign in at /staff/sign-in.")


@click.group("staff")
def staff_group() -> None:
    """Manage staff accounts (admin, analyst, partner)."""


@staff_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--partner-name", default=None, help="For partners: the partner name their channels carry.")
@with_appcontext
def add_command(email: str, role: str, partner_name: str | None) -> None:
    """Create an account and print a one-time password (changed at first sign-in)."""
    email = repo.normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise click.BadParameter(
            f"{email!r} is not an email address (like name@example.gov.uk)", param_hint="EMAIL"
        )
    partner_name = partner_names.clean(partner_name) or None
    if role == "partner" and partner_name is None:
        raise click.UsageError("a partner account needs --partner-name (the partner its channels carry)")
    if role != "partner" and partner_name is not None:
        raise click.UsageError("--partner-name is only for partner accounts")
    password = passwords.one_time_password()
    with Session(get_engine(), expire_on_commit=False) as session:
        if partner_name is not None:  # the spelling its links carry; say so when none does
            partner_name = partner_names.canonical(partner_name, partner_names.names_in_use(session))
            if partner_names.new_name_problem(partner_name, partner_names.channel_names(session)):
                click.echo(
                    f"Warning: no link carries the partner name {partner_name!r} yet, so this partner sees "
                    "no links until one is made with that name (names in use: "
                    + (", ".join(partner_names.names_in_use(session)) or "none")
                    + ")",
                    err=True,
                )
        try:
            user = repo.add_staff(
                session=session,
                email=email,
                role=role,
                partner_name=partner_name,
                password_hash=passwords.hash_password(password),
            )
        except repo.DuplicateAccount:
            raise click.ClickException(
                f"an account for {email} already exists (use `survey staff reset-password {email}`)"
            ) from None
        audit.record(
            "staff.add",
            actor=audit.CLI_ACTOR,
            session=session,
            target=email,
            role=role,
            partner_name=partner_name,
        )
    click.echo(f"Added {user.email} as {role}" + (f" for {partner_name}" if partner_name else ""))
    _handover(email, password)


@staff_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the accounts: email, role, partner, status, last sign-in."""
    with Session(get_engine()) as session:
        users = repo.all_staff(session=session)
    if not users:
        click.echo("No staff accounts yet: add one with `survey staff add EMAIL --role admin`")
        return
    for user in users:
        status = (
            "disabled"
            if user.disabled
            else ("must change password" if user.must_change_password else "active")
        )
        last = user.last_sign_in_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_sign_in_at else "never"
        who = user.role + (f" ({user.partner_name})" if user.partner_name else "")
        click.echo(f"{user.email:40} {who:32} {status:22} last sign-in {last}")


@staff_group.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password_command(email: str) -> None:
    """Give an account a new one-time password, sign it out everywhere and lift any lock-out."""
    password = passwords.one_time_password()
    with Session(get_engine(), expire_on_commit=False) as session:
        user = repo.staff_by_email(session=session, email=email)
        if user is None:
            raise click.ClickException(f"there is no account for {repo.normalise_email(email)}")
        repo.set_password(
            session=session, user=user, password_hash=passwords.hash_password(password), must_change=True
        )
        repo.clear_failures(session=session, key=account_key(user.email))
        audit.record("password.reset", actor=audit.CLI_ACTOR, session=session, target=user.email)
    click.echo(f"Reset the password of {user.email}; their other sessions are signed out.")
    _handover(user.email, password)


@staff_group.command("disable")
@click.argument("email")
@with_appcontext
def disable_command(email: str) -> None:
    """Stop an account signing in and sign it out everywhere (its audit history is kept)."""
    with Session(get_engine(), expire_on_commit=False) as session:
        user = repo.staff_by_email(session=session, email=email)
        if user is None:
            raise click.ClickException(f"there is no account for {repo.normalise_email(email)}")
        if user.disabled:
            click.echo(f"{user.email} is already disabled.")
            return
        user.disabled = True
        user.session_epoch += 1
        repo.save_staff(session=session, user=user)
        audit.record("staff.disable", actor=audit.CLI_ACTOR, session=session, target=user.email)
    click.echo(f"Disabled {user.email}: they are signed out and cannot sign in.")
