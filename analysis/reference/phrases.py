"""How a report names the people in a group: "among women", "among people aged 16 to 24".

Group comparisons name their highest and lowest groups in sentences ("31% among women against 7% among
men"). The words come, in this order, from:

1. the reference file's optional `phrase` column for that category (docs/reference-data.md), which an
   imported reference can use for categories the service does not know or to change the wording;
2. the built-in wording of the shipped census categories below (sex, tenure, ethnic group, disability);
3. a rule for age bands ("16-24": people aged 16 to 24; "65+": people aged 65 or over) and wards
   ("Bletchley East": people in Bletchley East ward);
4. the fallback: respondents in the group 'X'.

Channels (partner links) are not census categories: "respondents who came through <channel>".

The words are the service's own, in the report's language: each function takes the report's `Words`
(analysis/report/words.py) and looks its sentences up in the catalogues (`pybabel extract` reads this file);
without one they are English. A reference file's `phrase` column is the file's own (English) text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from survey.engine.catalogue import N_

if TYPE_CHECKING:
    from analysis.report.words import Words

# The people in each shipped census category, as they follow "among" in a sentence.
PEOPLE: dict[str, dict[str, str]] = {
    "sex": {"Female": N_("women"), "Male": N_("men")},
    "tenure_households_grouped": {
        "Owner-occupied incl. shared ownership": N_("owner-occupiers"),
        "Social rented": N_("social renters"),
        "Private rented incl. rent free": N_("private renters and people living rent free"),
    },
    "tenure_households": {
        "Owned outright": N_("people who own their home outright"),
        "Owned with mortgage or loan": N_("people buying their home with a mortgage or loan"),
        "Shared ownership": N_("people in shared ownership homes"),
        "Social rented: council/LA": N_("council tenants"),
        "Social rented: other (housing association etc.)": N_("housing association tenants"),
        "Private rented: landlord or letting agency": N_(
            "people renting from a private landlord or letting agency"
        ),
        "Private rented: other": N_("other private renters"),
        "Lives rent free": N_("people living rent free"),
    },
    "ethnic_group_5": {
        "Asian or Asian British/Welsh": N_("Asian, Asian British or Asian Welsh people"),
        "Black/African/Caribbean/Black British/Welsh": N_(
            "Black, Black British, Black Welsh, Caribbean or African people"
        ),
        "Mixed or Multiple": N_("people of mixed or multiple ethnic groups"),
        "White": N_("White people"),
        "Other ethnic group": N_("people of other ethnic groups"),
    },
    "ethnic_white_british": {
        "White: English/Welsh/Scottish/NI/British": N_("White British people"),
        "All other groups (incl. other White)": N_(
            "people of all other ethnic groups (including other White)"
        ),
    },
    "disability": {
        "Disabled under the Equality Act": N_("disabled people"),
        "Not disabled under the Equality Act": N_("people who are not disabled"),
    },
}

_AGE_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_AGE_OPEN = re.compile(r"^(\d+)\s*\+$")
DIRECT = "Direct link or no channel"


def _family(dimension: str) -> str:
    """The table of PEOPLE a dimension uses ("sex_age16to74" -> "sex", "disability_all_ages" -> ...)."""
    for prefix in ("sex", "disability"):
        if dimension.startswith(prefix + "_"):
            return prefix
    return dimension


def _say(said: Words | None, message: str, **values: Any) -> str:
    """The message in the report's language (English without `said`), with `values` formatted in."""
    if said is not None:
        return said.gettext(message, **values)
    return message % values if values else message


def fallback(category: str, said: Words | None = None) -> str:
    """The people of a category nothing else names."""
    return _say(said, N_("respondents in the group '%(category)s'"), category=category)


def people(dimension: str, category: str, phrase: str | None = None, said: Words | None = None) -> str:
    """The people in a category, as they follow "among" ("women", "people aged 16 to 24")."""
    given = (phrase or "").strip()
    if given:
        return re.sub(r"^among\s+", "", given, flags=re.IGNORECASE)
    known = PEOPLE.get(_family(dimension), {}).get(category)
    if known:
        return _say(said, known)
    if dimension.startswith("age_"):
        found = _AGE_RANGE.match(category)
        if found:
            return _say(said, N_("people aged %(low)s to %(high)s"), low=found.group(1), high=found.group(2))
        found = _AGE_OPEN.match(category)
        if found:
            return _say(said, N_("people aged %(low)s or over"), low=found.group(1))
    if dimension == "ward" and category.strip():
        name = category.strip()
        if name.lower().endswith(" ward"):
            return _say(said, N_("people in %(name)s"), name=name)
        return _say(said, N_("people in %(name)s ward"), name=name)
    return fallback(category, said)


def among(dimension: str, category: str, phrase: str | None = None, said: Words | None = None) -> str:
    """ "among women", "among people aged 16 to 24", "among respondents in the group 'X'"."""
    return among_people(people(dimension, category, phrase, said), said)


def among_people(who: str, said: Words | None = None) -> str:
    """ "among <people>" in the report's language."""
    return _say(said, N_("among %(people)s"), people=who)


def channel_people(name: str, code: str | None = None, said: Words | None = None) -> str:
    """Respondents of a channel: "respondents who came through Housing trust A – Posters in blocks";
    the channel's code in brackets at the end of its name (as staff pages show it) is left out."""
    if name == DIRECT or (said is not None and name == said.gettext(DIRECT)):
        return _say(said, N_("respondents who came by the direct link (no partner channel)"))
    suffix = f" ({code})" if code else ""
    if suffix and name.endswith(suffix) and len(name) > len(suffix):
        name = name[: -len(suffix)]
    return _say(said, N_("respondents who came through %(name)s"), name=name)
