"""The reference dimensions the service understands: their categories, units and wording for findings."""

from __future__ import annotations

import re
from dataclasses import dataclass

AGE_BANDS = ("16-24", "25-34", "35-49", "50-64", "65+")
SEX = ("Female", "Male")
TENURE_GROUPED = (
    "Owner-occupied incl. shared ownership",
    "Social rented",
    "Private rented incl. rent free",
)
TENURE = (
    "Owned outright",
    "Owned with mortgage or loan",
    "Shared ownership",
    "Social rented: council/LA",
    "Social rented: other (housing association etc.)",
    "Private rented: landlord or letting agency",
    "Private rented: other",
    "Lives rent free",
)
ETHNIC_5 = (
    "Asian or Asian British/Welsh",
    "Black/African/Caribbean/Black British/Welsh",
    "Mixed or Multiple",
    "White",
    "Other ethnic group",
)
DISABILITY = ("Disabled under the Equality Act", "Not disabled under the Equality Act")
AGE_5YR = (
    "0-4",
    "5-9",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75-79",
    "80-84",
    "85+",
)


@dataclass(frozen=True)
class DimensionInfo:
    """What a dimension measures: fixed categories (None = any), unit, universe and whether it is a margin."""

    name: str
    categories: tuple[str, ...] | None
    unit: str  # "persons", "households" or "areas"
    universe: str  # plain words for the population, e.g. "residents aged 16 and over"
    margin: bool = True  # False for totals and counts that are not shares of a population
    caveat: str = ""


DIMENSIONS: dict[str, DimensionInfo] = {
    d.name: d
    for d in (
        DimensionInfo("population_total", None, "persons", "usual residents", margin=False),
        DimensionInfo("households_total", None, "households", "households", margin=False),
        DimensionInfo("geography_count", None, "areas", "areas", margin=False),
        DimensionInfo("sex_all_ages", SEX, "persons", "residents of all ages"),
        DimensionInfo("sex_age16to64", SEX, "persons", "residents aged 16 to 64"),
        DimensionInfo(
            "sex_age16to74",
            SEX,
            "persons",
            "residents aged 16 to 74",
            caveat="No split of residents aged 16+ by sex was found; ages 16-74 stand in for adults.",
        ),
        DimensionInfo("age_adult16plus", AGE_BANDS, "persons", "residents aged 16 and over"),
        DimensionInfo("age_6band_all_ages", ("0-15", *AGE_BANDS), "persons", "residents of all ages"),
        DimensionInfo("age_5yr_all_ages", AGE_5YR, "persons", "residents of all ages"),
        DimensionInfo(
            "tenure_households",
            TENURE,
            "households",
            "households",
            caveat="Census tenure counts households, not people: comparing respondents with it "
            "is an approximation.",
        ),
        DimensionInfo(
            "tenure_households_grouped",
            TENURE_GROUPED,
            "households",
            "households",
            caveat="Census tenure counts households, not people: comparing respondents with it "
            "is an approximation.",
        ),
        DimensionInfo(
            "ethnic_group_5",
            ETHNIC_5,
            "persons",
            "residents of all ages",
            caveat="Ethnic group shares are for all ages; no adults-only figures were found.",
        ),
        DimensionInfo(
            "ethnic_white_british",
            None,
            "persons",
            "residents of all ages",
            caveat="Ethnic group shares are for all ages; no adults-only figures were found.",
        ),
        DimensionInfo(
            "disability_all_ages",
            DISABILITY,
            "persons",
            "residents of all ages",
            caveat="Disability shares are for all ages; no adults-only figures were found.",
        ),
        DimensionInfo(
            "ward",
            None,
            "persons",
            "residents aged 16 and over",
            caveat="Ward figures are summed from best-fitting small areas and are approximate.",
        ),
    )
}

_COMPARATOR = re.compile(r"^([A-Z][A-Z0-9]*)_(.+)$")

# How findings name the people in a category ("People aged 16-24 are 3% of respondents but 12% of ...").
_SUBJECTS: dict[str, str] = {
    "Female": "Women",
    "Male": "Men",
    "Owner-occupied incl. shared ownership": "Home owners",
    "Social rented": "Social renters",
    "Private rented incl. rent free": "Private renters",
    "Disabled under the Equality Act": "Disabled people",
    "Not disabled under the Equality Act": "People who are not disabled",
    "White": "White people",
    "Mixed or Multiple": "People of mixed or multiple ethnic groups",
    "Other ethnic group": "People of other ethnic groups",
    "Asian or Asian British/Welsh": "Asian or Asian British/Welsh people",
    "Black/African/Caribbean/Black British/Welsh": "Black/African/Caribbean/Black British/Welsh people",
}


def comparator_of(dimension: str) -> str | None:
    """The dimension a comparator row stands beside ("ENGLAND_tenure" -> "tenure"), else None."""
    match = _COMPARATOR.match(dimension)
    if match and match.group(2) in DIMENSIONS:
        return match.group(2)
    return None


def subject(dimension: str, category: str) -> str:
    """Plain words for the people in a category of a dimension."""
    if dimension.startswith("age_") or category in AGE_BANDS:
        if category.endswith("+"):
            return f"People aged {category[:-1]} and over"
        return f"People aged {category.replace('-', '–')}"
    if dimension == "ward":
        return f"People living in {category}"
    if dimension.startswith("tenure_households") and category not in _SUBJECTS:
        return f"People whose home is '{category}'"
    return _SUBJECTS.get(category, f"People in '{category}'")
