"""Synthetic respondents for the analysis tests: the 2016 SaferMK interim sample and a small questionnaire."""

from __future__ import annotations

import random
from typing import Any

AGE_RANGES = [
    {"min": 16, "max": 24, "category": "16-24"},
    {"min": 25, "max": 34, "category": "25-34"},
    {"min": 35, "max": 49, "category": "35-49"},
    {"min": 50, "max": 64, "category": "50-64"},
    {"min": 65, "max": None, "category": "65+"},
]
SEX_MAP = {"female": "Female", "male": "Male", "prefer_not_to_say": None}
TENURE_MAP = {
    "owned_outright": "Owner-occupied incl. shared ownership",
    "owned_mortgage": "Owner-occupied incl. shared ownership",
    "shared_ownership": "Owner-occupied incl. shared ownership",
    "rent_council": "Social rented",
    "rent_housing_association": "Social rented",
    "rent_private": "Private rented incl. rent free",
    "rent_free": "Private rented incl. rent free",
    "prefer_not_to_say": None,
}


def options(*codes: str) -> list[dict[str, Any]]:
    """Options with labels made from their codes."""
    return [
        {
            "code": c,
            "label": c.replace("_", " ").capitalize(),
            "kind": "prefer_not_to_say" if "prefer" in c else "answer",
        }
        for c in codes
    ]


def questionnaire() -> dict[str, Any]:
    """A small questionnaire in the documented format with demographics, a filter and closed questions."""
    return {
        "id": "mini",
        "version": "1",
        "language": "en",
        "title": "Mini",
        "population_filter": {"q": "respondent_type", "op": "equals", "value": "resident"},
        "demographics": [
            {"dimension": "sex_age16to74", "question": "sex", "map": SEX_MAP},
            {"dimension": "age_adult16plus", "question": "age", "ranges": AGE_RANGES},
            {"dimension": "tenure_households_grouped", "question": "tenure", "map": TENURE_MAP},
        ],
        "sections": [
            {
                "id": "about",
                "title": "About you",
                "questions": [
                    {
                        "id": "respondent_type",
                        "type": "single",
                        "text": "Are you",
                        "options": options("resident", "business", "visitor"),
                    },
                    {"id": "sex", "type": "single", "text": "Sex", "options": options(*SEX_MAP)},
                    {"id": "age", "type": "number", "text": "Age", "min": 16, "max": 120},
                    {"id": "tenure", "type": "single", "text": "Tenure", "options": options(*TENURE_MAP)},
                ],
            },
            {
                "id": "views",
                "title": "Views",
                "questions": [
                    {
                        "id": "safe",
                        "type": "single",
                        "text": "Do you feel safe?",
                        "options": options("yes", "no"),
                    },
                    {
                        "id": "substances",
                        "type": "multiple",
                        "text": "Problems",
                        "options": options("alcohol", "cannabis", "none"),
                    },
                    {
                        "id": "concern",
                        "type": "rating",
                        "text": "How concerned are you about",
                        "items": [
                            {"id": "burglary", "text": "Burglary"},
                            {"id": "cyber", "text": "Cyber crime"},
                        ],
                        "scale": options("very", "fairly", "not"),
                    },
                    {"id": "comments", "type": "text", "text": "Anything else?"},
                ],
            },
        ],
    }


def response(
    rid: int, channel: str | None = None, status: str = "complete", **answers: Any
) -> dict[str, Any]:
    """A response dict as repository.responses_for_report returns it."""
    return {"id": rid, "channel": channel, "mode": "online", "status": status, "answers": answers}


def interim_2016(seed: int = 2016) -> list[dict[str, Any]]:
    """557 respondents shaped like the 2016 interim report: 80% aged 41-80, 78% owners, 47/53 male/female.

    94% residents, 5% business, 1% visitors; a few prefer not to say their sex or tenure or skip age.
    """
    rng = random.Random(seed)
    types = ["resident"] * 524 + ["business"] * 28 + ["visitor"] * 5
    sexes = ["male"] * 255 + ["female"] * 287 + ["prefer_not_to_say"] * 15
    owners = ["owned_outright"] * 230 + ["owned_mortgage"] * 185 + ["shared_ownership"] * 19
    renters = (
        ["rent_council"] * 40 + ["rent_housing_association"] * 30 + ["rent_private"] * 40 + ["rent_free"] * 3
    )
    tenures = owners + renters + ["prefer_not_to_say"] * 10
    for pool in (types, sexes, tenures):
        rng.shuffle(pool)
    channels = ["facebook", "council_website", "housing_trust", "library_poster", None]
    out = []
    for i in range(557):
        age: int | None = (
            rng.randint(41, 80) if i < 446 else rng.choice([rng.randint(16, 40), rng.randint(81, 92)])
        )
        if i % 97 == 0:
            age = None  # skipped (optional)
        answers: dict[str, Any] = {"respondent_type": types[i], "sex": sexes[i], "tenure": tenures[i]}
        if age is not None:
            answers["age"] = age
        answers["safe"] = "yes" if rng.random() < 0.84 else "no"
        answers["substances"] = [
            c for c, p in (("alcohol", 0.82), ("cannabis", 0.51)) if rng.random() < p
        ] or ["none"]
        answers["concern"] = {"burglary": rng.choice(["very", "fairly", "fairly", "not"])}
        out.append(response(i + 1, channels[i % len(channels)], **answers))
    rng.shuffle(out)
    return out
