"""The service's gettext catalogues (survey/translations/<lang>/LC_MESSAGES/messages.po/.mo), without Flask.

The engine's error messages and the web pages' words share one `messages` domain, so translators work in one
file per language (docs/translating.md). `make setup` compiles the `.mo` files; when one is missing or older
than its `.po` (a fresh checkout, a translator's edit), the `.po` is compiled in memory so the words are never
silently English.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, a keyword of `pybabel extract`
    """Mark `message` for extraction; it is translated where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - `pybabel extract -k Nn_:1,2`
    """Mark a plural message (singular and plural msgids) for extraction."""
    return singular, plural


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """English and every language with a catalogue."""
    found = {p.parent.parent.name for p in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return frozenset(found | {SOURCE_LANGUAGE})


@lru_cache(maxsize=32)
def translations(lang: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of `lang` (NullTranslations, i.e. English, when there is none)."""
    folder = TRANSLATIONS_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if lang == SOURCE_LANGUAGE or not po.exists():
        return stdlib_gettext.NullTranslations()
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return stdlib_gettext.GNUTranslations(handle)
    from babel.messages.mofile import write_mo  # only here: Babel costs a command's start-up otherwise
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return stdlib_gettext.GNUTranslations(buffer)


def gettext(message: str, lang: str | None) -> str:
    """`message` (an English msgid) in `lang`, English when it has no translation."""
    return translations(lang or SOURCE_LANGUAGE).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None) -> str:
    """The plural form of a message for `n` in `lang`'s plural rules."""
    return translations(lang or SOURCE_LANGUAGE).ngettext(singular, plural, n)
