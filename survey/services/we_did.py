"""'We did' updates in the questionnaire's other languages: what a translation must hold.

An update is written in the questionnaire's default language; each other language the questionnaire
offers may have its own title and text (`we_did_updates.translations`). The public page shows the page's
language where there is a translation, else the text as written, marked with its language
(`WeDidUpdate.in_language`: WCAG 3.1.2, language of parts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey.services.words import gettext

TITLE_LIMIT = 200
BODY_LIMIT = 5000


def other_languages(languages: tuple[str, ...] | list[str], default: str) -> list[str]:
    """The languages an update can be translated into: the questionnaire's, without its default."""
    return [code for code in languages if code != default]


def translations_from(
    values: Mapping[str, Any], languages: list[str], names: Mapping[str, str]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """({language: {title, body}}, {field: message}) from `title_<code>` and `body_<code>` values.

    A language left empty has no translation; one with a title needs its text and the other way round.
    `names`: language code -> its name in the messages ("Cymraeg").
    """
    found: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for code in languages:
        name = names.get(code, code)
        title = " ".join(str(values.get(f"title_{code}") or "").split())
        body = str(values.get(f"body_{code}") or "").replace("\r\n", "\n").strip()
        if not title and not body:
            continue
        if not title:
            errors[f"title_{code}"] = gettext(
                "Enter the title in %(name)s, or leave the %(name)s text empty", name=name
            )
        elif len(title) > TITLE_LIMIT:
            errors[f"title_{code}"] = gettext(
                "The title in %(name)s must be %(TITLE_LIMIT)s characters or fewer",
                name=name,
                TITLE_LIMIT=TITLE_LIMIT,
            )
        if not body:
            errors[f"body_{code}"] = gettext(
                "Say what was done in %(name)s, or leave the %(name)s title empty", name=name
            )
        elif len(body) > BODY_LIMIT:
            errors[f"body_{code}"] = gettext(
                "The text in %(name)s must be %(BODY_LIMIT)s characters or fewer",
                name=name,
                BODY_LIMIT=BODY_LIMIT,
            )
        if title and body:
            found[code] = {"title": title, "body": body}
    return found, errors
