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
"""

from __future__ import annotations

import re

# The people in each shipped census category, as they follow "among" in a sentence.
PEOPLE: dict[str, dict[str, str]] = {
    "sex": {"Female": "women", "Male": "men"},
    "tenure_households_grouped": {
        "Owner-occupied incl. shared ownership": "owner-occupiers",
        "Social rented": "social renters",
        "Private rented incl. rent free": "private renters and people living rent free",
    },
    "tenure_households": {
        "Owned outright": "people who own their home outright",
        "Owned with mortgage or loan": "people buying their home with a mortgage or loan",
        "Shared ownership": "people in shared ownership homes",
        "Social rented: council/LA": "council tenants",
        "Social rented: other (housing association etc.)": "housing association tenants",
        "Private rented: landlord or letting agency": (
            "people renting from a private landlord or letting agency"
        ),
        "Private rented: other": "other private renters",
        "Lives rent free": "people living rent free",
    },
    "ethnic_group_5": {
        "Asian or Asian British/Welsh": "Asian, Asian British or Asian Welsh people",
        "Black/African/Caribbean/Black British/Welsh": (
            "Black, Black British, Black Welsh, Caribbean or African people"
        ),
        "Mixed or Multiple": "people of mixed or multiple ethnic groups",
        "White": "White people",
        "Other ethnic group": "people of other ethnic groups",
    },
    "ethnic_white_british": {
        "White: English/Welsh/Scottish/NI/British": "White British people",
        "All other groups (incl. other White)": "people of all other ethnic groups (including other White)",
    },
    "disability": {
        "Disabled under the Equality Act": "disabled people",
        "Not disabled under the Equality Act": "people who are not disabled",
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


def fallback(category: str) -> str:
    """The people of a category nothing else names."""
    return f"respondents in the group '{category}'"


def people(dimension: str, category: str, phrase: str | None = None) -> str:
    """The people in a category, as they follow "among" ("women", "people aged 16 to 24")."""
    given = (phrase or "").strip()
    if given:
        return re.sub(r"^among\s+", "", given, flags=re.IGNORECASE)
    known = PEOPLE.get(_family(dimension), {}).get(category)
    if known:
        return known
    if dimension.startswith("age_"):
        found = _AGE_RANGE.match(category)
        if found:
            return f"people aged {found.group(1)} to {found.group(2)}"
        found = _AGE_OPEN.match(category)
        if found:
            return f"people aged {found.group(1)} or over"
    if dimension == "ward" and category.strip():
        name = category.strip()
        return f"people in {name}" if name.lower().endswith(" ward") else f"people in {name} ward"
    return fallback(category)


def among(dimension: str, category: str, phrase: str | None = None) -> str:
    """ "among women", "among people aged 16 to 24", "among respondents in the group 'X'"."""
    return f"among {people(dimension, category, phrase)}"


def channel_people(name: str, code: str | None = None) -> str:
    """Respondents of a channel: "respondents who came through Housing trust A – Posters in blocks";
    the channel's code in brackets at the end of its name (as staff pages show it) is left out."""
    if name == DIRECT:
        return "respondents who came by the direct link (no partner channel)"
    suffix = f" ({code})" if code else ""
    if suffix and name.endswith(suffix) and len(name) > len(suffix):
        name = name[: -len(suffix)]
    return f"respondents who came through {name}"
