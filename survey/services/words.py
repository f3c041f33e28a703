"""The words that services compose for staff pages, through Flask-Babel's gettext (docs/translating.md).

`gettext("Password must be %(minimum)s characters or more", minimum=12)`: the English msgid, translated
into the request's language (English outside a request), with its `%(placeholders)s` filled. `pybabel
extract` finds the calls by the name `gettext`.
"""

from __future__ import annotations

from flask_babel import gettext as _flask_gettext
from flask_babel import ngettext as _flask_ngettext


def gettext(message: str, **values: object) -> str:
    """`message` translated and filled (a plain string, for typed callers)."""
    return str(_flask_gettext(message, **values))


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The plural form for `num` (`%(num)s` in the message is the count), translated and filled."""
    return str(_flask_ngettext(singular, plural, num, **values))
