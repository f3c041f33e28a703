"""Partner names: the one link between a partner's account and the channels (links) made for them.

A name is matched whatever its capitals and spaces ("Housing Trust A" is "housing  trust a"), and saved in
the spelling already in use: `canonical` turns a typed name into the existing one, so an account and its
links always carry the same text. A name nothing else carries yet is probably a typo: `new_name_problem`
says so, and the pages ask staff to confirm it.
"""

from __future__ import annotations

from collections.abc import Iterable

from survey.services.words import gettext
from survey.store import repository_channels, repository_staff
from survey.store.db import Session


def clean(name: str | None) -> str:
    """The name as typed, with surrounding spaces removed and runs of spaces made one."""
    return " ".join((name or "").split())


def key(name: str | None) -> str:
    """What two names are compared by: cleaned and case-folded."""
    return clean(name).casefold()


def same(one: str | None, other: str | None) -> bool:
    """Whether two partner names are the same partner (any capitals, any spaces); never for empty names."""
    return bool(key(one)) and key(one) == key(other)


def canonical(name: str | None, existing: Iterable[str]) -> str:
    """The spelling already in use for this name, else the name cleaned ('' for an empty name)."""
    return next((e for e in existing if same(e, name)), clean(name))


def names_in_use(session: Session) -> list[str]:
    """Every partner name carried by a channel or an account, one spelling each, sorted (channels first)."""
    found: dict[str, str] = {}
    accounts = [u.partner_name for u in repository_staff.all_staff(session=session) if u.partner_name]
    for name in [*repository_channels.partner_names(session=session), *accounts]:
        found.setdefault(key(name), name)
    return sorted(found.values(), key=str.casefold)


def channel_names(session: Session) -> list[str]:
    """The partner names links carry (an account's name must be one of these to see any link)."""
    return repository_channels.partner_names(session=session)


def new_name_problem(name: str | None, existing: Iterable[str]) -> str | None:
    """Why a partner name needs confirming: no link carries it yet (None when one does, or it is empty)."""
    if not clean(name) or any(same(name, e) for e in existing):
        return None
    return gettext(
        "No link carries the partner name “%(name)s” yet, so this partner will see no links: choose a name "
        "from the list, or tick “This is a new partner” to use it",
        name=clean(name),
    )
